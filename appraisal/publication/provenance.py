"""Every number on a page comes from the figures register and says where it comes from.

When the book is staged, each number reference in a page's text (`register.REF`: a chapter's own key in
its notebook, or `chapter.key` from another page) is replaced by the register's text for that id, marked up
as a link to the number's entry on the figures register page. With JavaScript the link opens, in place, a
panel with the entry (`_static/provenance.js`, reading the page's own copy of its entries); without it, the
link goes to the entry. A reference to an id that is not in the register stops the build.

Words with no digit in them (a council's name, a formula's name) are filled in as text, marked with their id. A sentence
written by the model, which may carry several numbers, keeps its text and is followed by one small link.
"""
import html
import json
import re
from dataclasses import dataclass

import pandas as pd

from appraisal.publication import register

REGISTER_PAGE = "register.html"   # the figures register page, beside every chapter page
LONGEST_LINKED = 60               # characters: a longer text with a number in it is a sentence
MARKER = "ⓘ"                      # the link after a sentence; its label says what it opens
SOURCES_SHOWN = 8                 # sources listed for one input before "and n more"


class UnregisteredNumber(Exception):
    """A page refers to a number the figures register does not hold."""


def anchor(figure_id: str) -> str:
    """The stable anchor of a register entry: 'savings.npv_central_text' -> 'fig-savings-npv-central-text'."""
    return "fig-" + re.sub(r"[^a-z0-9]+", "-", figure_id.lower()).strip("-")


def is_number(text: str) -> bool:
    return bool(re.search(r"\d", text))


def kept_together(escaped: str) -> str:
    """A sign, an amount and its unit never break across lines: '−£23.6 million' stays whole."""
    escaped = re.sub(r"(\d)\s+(million|billion|thousand|years?|months?|times)\b", "\\1\u00a0\\2", escaped)
    return re.sub(r"([−-])(£)", "\\1\u2060\\2", escaped)


def _link(figure_id: str, text: str) -> str:
    href = f"{REGISTER_PAGE}#{anchor(figure_id)}"
    if not is_number(text):
        return f'<span class="figure-text" data-figure="{figure_id}">{html.escape(text, quote=False)}</span>'
    if len(text) <= LONGEST_LINKED:
        return f'<a class="figure-ref" href="{href}" data-figure="{figure_id}">{kept_together(html.escape(text, quote=False))}</a>'
    return (f'<span class="figure-sentence" data-figure="{figure_id}">{html.escape(text, quote=False)}'
            f'<a class="figure-ref figure-ref-marker" href="{href}" '
            f'data-figure="{figure_id}" aria-label="Where the figures in this sentence come from" '
            f'title="Where the figures in this sentence come from">{MARKER}</a></span>')


def references(text: str, own_chapter: str) -> list[str]:
    """The register ids a page's text refers to, in order."""
    return [f"{chapter or own_chapter}.{key}" for chapter, key in register.REF.findall(text)]


def fill(text: str, own_chapter: str, texts: dict[str, str], where: str) -> str:
    """The page's text with every number reference replaced by its register text as a provenance link.
    `texts` maps register id to text; `where` names the page in the error."""
    missing = sorted({rid for rid in references(text, own_chapter) if rid not in texts})
    if missing:
        raise UnregisteredNumber(f"{where}: not in the figures register: {', '.join(missing)}")
    return register.REF.sub(lambda m: _link(f"{m.group(1) or own_chapter}.{m.group(2)}",
                                            texts[f"{m.group(1) or own_chapter}.{m.group(2)}"]), text)


def _plain(markdown: str) -> str:
    """Markdown prose as a reader would read it, roughly: roles to their text, markup removed."""
    text = re.sub(r"\{term\}`([^`<]*?)(?:\s*<[^>]+>)?`", r"\1", markdown)
    text = re.sub(r"\{(?:ref|numref|doc)\}`([^`<]*?)(?:\s*<[^>]+>)?`", r"\1", text)
    text = re.sub(r"\{cite:p\}`[^`]*`", "", text)
    text = re.sub(r"\*\*|(?<!\w)\*|\*(?!\w)", "", text)  # bold and italic markers
    return re.sub(r"\s+", " ", text).strip()


def sentences(text: str, own_chapter: str, texts: dict[str, str]) -> dict[str, str]:
    """For each register id a page refers to, the first sentence of the page that states it, as the reader
    reads it: the label that says what the number is."""
    found = {}
    prose = "\n".join(line for line in text.splitlines() if not line.startswith(("```", ":", "(", "#")))
    for paragraph in re.split(r"\n\s*\n|\n\s*[-*] |\n\s*\d+\. ", prose):
        for sentence in re.split(r"(?<=[.:;])\s+(?=[A-Z{*])", paragraph):
            ids = references(sentence, own_chapter)
            if not ids:
                continue
            shown = _plain(register.REF.sub(lambda m: texts.get(f"{m.group(1) or own_chapter}.{m.group(2)}", ""),
                                            sentence))
            for rid in ids:
                found.setdefault(rid, shown)
    return found


@dataclass(frozen=True)
class Inputs:
    """What the provenance of a number is built from: the value of every parameters field, and the source
    ids behind each input (each parameter's own sources, or each data file's)."""
    values: dict[str, str]
    sources: dict[str, tuple[str, ...]]
    labels: dict[str, str]          # source id -> citation label
    parameter_labels: dict[str, str]  # parameter name -> reader's label


def _dependencies(depends_on: str, inputs: Inputs) -> list[dict]:
    """The inputs a number was computed from, as recorded when its chapter ran: one item per parameter (its
    fields read together), per setting and per data file, each with its value and sources."""
    out = {}
    for dep in filter(None, str(depends_on).split(";")):
        if dep.startswith(register.PARAMETERS):
            parts = dep.removeprefix(register.PARAMETERS).split(".")
            key = ".".join(parts[:2]) if parts[0] == "parameters" and len(parts) > 1 else parts[0]
        else:
            key = dep
        if key in out:
            continue
        name = key.split(".", 1)[1] if key.startswith("parameters.") else key
        out[key] = {"input": inputs.parameter_labels.get(name, name), "name": key,
                    "value": inputs.values.get(key), "sources": list(inputs.sources.get(key, ()))}
    return list(out.values())


def entries(reg: pd.DataFrame, inputs: Inputs, titles: dict[str, str]) -> dict[str, dict]:
    """Each register entry as the provenance panel and the register page show it. The inputs are recorded per
    chapter (what the chapter read when it ran), so an entry names its chapter's list: see `chapter_inputs`."""
    out = {}
    for r in reg.itertuples():
        pages = [p for p in str(r.pages or "").split("; ") if p]
        out[r.id] = {
            "id": r.id, "text": r.text, "unit": r.unit or "", "label": getattr(r, "label", "") or "",
            "chapter": titles.get(f"chapters/{r.chapter}.html", r.chapter), "chapter_name": r.chapter,
            "chapter_page": f"{r.chapter}.html",
            "pages": [{"title": titles.get(p, p), "href": p.removeprefix("chapters/")} for p in pages],
            "version": r.version}
    return out


def chapter_inputs(reg: pd.DataFrame, inputs: Inputs) -> dict[str, list[dict]]:
    """For each chapter, the inputs its numbers are computed from, as recorded when it ran."""
    return {chapter: _dependencies(group["depends_on"].iloc[0], inputs)
            for chapter, group in reg.groupby("chapter", sort=False)}


def _source_links(ids, labels: dict[str, str]) -> str:
    ids = list(ids)
    shown = [f'<a href="bibliography.html#src-{html.escape(s)}">{html.escape(labels.get(s, s))}</a>'
             for s in ids[:SOURCES_SHOWN]]
    more = f" and {len(ids) - SOURCES_SHOWN} more (see the data log)" if len(ids) > SOURCES_SHOWN else ""
    return ", ".join(shown) + more


def _code_spans(escaped: str) -> str:
    """`names` in a label set as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


def _value_html(value: str) -> str:
    """A value in words, or set as code where it holds names from the parameters file."""
    return f"<code>{html.escape(value)}</code>" if re.search(r"\w_\w", value) else html.escape(value)


def inputs_html(chapter: str, items: list[dict], labels: dict[str, str]) -> str:
    """A chapter's recorded inputs, once, with an anchor its entries link to."""
    esc = html.escape
    rows = "".join(
        f"<li>{esc(i['input'])} (<code>{esc(i['name'])}</code>)"
        f"{(': ' + _value_html(str(i['value']))) if i['value'] is not None else ''}"
        f"{(' (sources: ' + _source_links(i['sources'], labels) + ')') if i['sources'] else ''}</li>"
        for i in items)
    return (f'<details class="register-inputs" id="inputs-{esc(chapter)}"><summary>The inputs every number of '
            f'this chapter is computed from, as recorded when it ran ({len(items)})</summary><ul>{rows}</ul></details>')


def entry_html(entry: dict) -> str:
    """One register entry as a block with its stable anchor."""
    esc = html.escape
    where = ", ".join(f'<a href="{esc(p["href"])}">{esc(p["title"])}</a>' for p in entry["pages"])
    unit = f' <span class="register-unit">({esc(entry["unit"])})</span>' if entry["unit"] else ""
    return (f'<div class="register-entry" id="{anchor(entry["id"])}">'
            f'<p class="register-value"><strong>{esc(entry["text"])}</strong>{unit} '
            f'<code>{esc(entry["id"])}</code></p>'
            + (f'<p>What it is: {_code_spans(esc(entry["label"]))}</p>' if entry["label"] else "")
            + f'<p>Computed in <a href="{esc(entry["chapter_page"])}">{esc(entry["chapter"])}</a> from '
            + f'<a href="#inputs-{esc(entry["chapter_name"])}">its recorded inputs</a>'
            + (f'. Stated in: {where}' if where else "") + f'. {esc(str(entry["version"]))}.</p>'
            + "</div>")


def page_data(used: list[str], all_entries: dict[str, dict], inputs: dict[str, list[dict]],
              labels: dict[str, str]) -> str:
    """The entries a page uses and their chapters' inputs, as a JSON script the provenance panel reads (no
    request is made)."""
    picked = {rid: all_entries[rid] for rid in dict.fromkeys(used) if rid in all_entries}
    chapters = {e["chapter_name"] for e in picked.values()}
    data = {"entries": picked, "inputs": {
        chapter: [{**i, "sources": [{"id": s, "label": labels.get(s, s)} for s in i["sources"][:SOURCES_SHOWN]],
                   "more_sources": max(len(i["sources"]) - SOURCES_SHOWN, 0)} for i in inputs.get(chapter, [])]
        for chapter in sorted(chapters)}}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, allow_nan=False).replace("</", "<\\/")
    return f'<script type="application/json" id="figure-data">{text}</script>'
