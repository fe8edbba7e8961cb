"""The What changed page: each number that moved since a release, in the sentence or caption a reader sees
it in, its old value in today's number style, grouped by chapter with the front page's and the briefing's
numbers first and the rest folded."""
import html
import re

import pandas as pd

from appraisal.publication import formats, register

# A number on either of these pages is a headline: shown first, never folded.
HEADLINE_PAGES = ("chapters/index.html", "chapters/briefing.html")
NET = re.compile(r"^a net (saving|cost) of ")


def restyle(value, unit: str, new_text: str, old_text: str) -> str:
    """An old value written as today's pages write a number of its kind; the old words when it has no value
    or no style is known for its unit."""
    if value is None or (isinstance(value, float) and value != value) or isinstance(value, str):
        return old_text
    value, unit = float(value), (unit or "").lower()
    if NET.match(new_text or "") and unit.startswith("gbp"):
        return formats.net_result(value)
    if unit.startswith(("gbp", "percent")):
        text = formats.fact_text(abs(value), unit)
        return ("\u2212" if value < 0 else "") + text
    if unit == "probability":
        return formats.chance(value)
    if unit.startswith("share"):
        return formats.percent(value)
    if unit == "ratio":
        return formats.ratio(value)
    if value == int(value) and unit:
        return f"{int(value):,}"
    return old_text


def _text(row, column: str) -> str:
    value = row.get(column) if row is not None else None
    return value if isinstance(value, str) and value else ""


def _row(r, old: pd.DataFrame, new: pd.DataFrame) -> dict:
    rid = r["Figure id"]
    before = old.loc[rid] if rid in old.index else None
    after = new.loc[rid] if rid in new.index else None
    either = after if after is not None else before
    kind = "added" if before is None else "removed" if after is None else "changed"
    label = _text(either, "label")
    if before is None:
        was = ""
    else:
        now_like = after if after is not None else before
        was = restyle(before["value"], _text(now_like, "unit"), _text(now_like, "text"), _text(before, "text"))
    pages = _text(after, "pages")
    return {"id": rid, "unit": _text(either, "unit"), "chapter": str(either["chapter"]), "label": label, "kind": kind, "was": was,
            "now": _text(after, "text"), "headline": any(p in pages.split(";") for p in HEADLINE_PAGES)}


def rows(changes: pd.DataFrame, old_reg: pd.DataFrame, new_reg: pd.DataFrame) -> list[dict]:
    old = old_reg.set_index("id", drop=False)
    new = new_reg.set_index("id", drop=False)
    return [_row(r, old, new) for _, r in changes.iterrows()]


def _item(row: dict) -> str:
    e = html.escape
    if row["kind"] == "added":
        values = f'New: <strong>{e(row["now"])}</strong>.'
    elif row["kind"] == "removed":
        values = f'Was <strong>{e(row["was"])}</strong>; no longer stated.'
    else:
        values = f'Was <strong>{e(row["was"])}</strong>; now <strong>{e(row["now"])}</strong>.'
    # A number no page states any more has no sentence: its register id (and unit) stand for it.
    label = re.sub(r"`([^`]+)`", r"<code>\1</code>", e(row["label"])) if row["label"] else (
        f'<code>{e(row["id"])}</code>' + (f' ({e(row["unit"])})' if row["unit"] else ""))
    return f'<li><p class="change-label">{label}</p><p class="change-values">{values}</p></li>'


def _folded(items: list[dict], one: str, many: str) -> str:
    if not items:
        return ""
    what = one if len(items) == 1 else many
    return (f'<details class="changes-more"><summary>{formats.count_words(len(items)).capitalize()} {what}'
            f'</summary><ul class="changes">' + "".join(_item(r) for r in items) + "</ul></details>")


def page_html(items: list[dict], chapter_titles: dict[str, str], order: list[str]) -> str:
    """Sections by chapter (in the book's order): changed headlines listed; the other changed numbers, the
    numbers first stated since and those no longer stated each in a folded list."""
    out = []
    chapters = sorted({r["chapter"] for r in items}, key=lambda c: (order.index(c) if c in order else len(order), c))
    for chapter in chapters:
        mine = [r for r in items if r["chapter"] == chapter]
        changed = [r for r in mine if r["kind"] == "changed"]
        first = [r for r in changed if r["headline"]]
        out.append(f'<h2 id="changed-{html.escape(chapter)}">{html.escape(chapter_titles.get(chapter, chapter))}</h2>')
        if first:
            out.append('<ul class="changes">' + "".join(_item(r) for r in first) + "</ul>")
        out.append(_folded([r for r in changed if not r["headline"]], "other number changed", "other numbers changed"))
        out.append(_folded([r for r in mine if r["kind"] == "added"], "number stated for the first time",
                           "numbers stated for the first time"))
        out.append(_folded([r for r in mine if r["kind"] == "removed"], "number no longer stated",
                           "numbers no longer stated"))
    return "\n".join(part for part in out if part)


def causes_html(old_inputs: dict, new_inputs: dict) -> str:
    """The inputs that differ from the release, once for the page, folded."""
    changed = register.changed_inputs(old_inputs, new_inputs)
    if not changed:
        return ("<p>No data file or parameter differs from that release: the numbers moved because the method "
                "or the model code changed.</p>")
    lines = "".join(f"<li><code>{html.escape(register.describe_change(c, old_inputs, new_inputs))}</code></li>"
                    for c in changed)
    return (f'<details class="changes-more"><summary>{formats.count_words(len(changed)).capitalize()} '
            f'{"input" if len(changed) == 1 else "inputs"} changed since that release</summary>'
            f"<ul>{lines}</ul></details>")
