"""The figures register: every number the prose states, with a stable id, the pages that state it, its
inputs and version; and what changed between two registers, with the changed inputs that caused it."""
import hashlib
import json
import math
import numbers
import re
import zipfile
from pathlib import Path

import pandas as pd

from appraisal.inputs.parameters import Parameters

REGISTER_COLUMNS = ["id", "chapter", "key", "text", "value", "unit", "label", "pages", "depends_on", "version"]
# A number referred to in a page's text by its register id: {num}`key` in a chapter's own notebook, or
# {num}`chapter.key` from any page. The staging step fills each from the register
# (appraisal/publication/provenance.py); no page reads another page's notebook.
REF = re.compile(r"\{num\}`(?:(\w+)\.)?(\w+)`")


def collect(exports_dir: Path, chapters: list[str], version: str) -> pd.DataFrame:
    """One row per headline number, from each chapter's `<chapter>_headlines.json` export."""
    rows = []
    for chapter in chapters:
        items = json.loads((Path(exports_dir) / f"{chapter}_headlines.json").read_text())
        for key, item in sorted(items.items()):
            rows.append({"id": f"{chapter}.{key}", "chapter": chapter, "key": key, "text": item["text"],
                         "value": item["value"], "unit": item["unit"], "label": "", "pages": "",
                         "depends_on": ";".join(item["depends_on"]), "version": version})
    # object dtype: a text figure's missing value stays None (a float column would turn it into NaN)
    return pd.DataFrame(rows, columns=REGISTER_COLUMNS, dtype=object)


def page_sources(root: Path) -> dict[str, tuple[str, str]]:
    """Each page's address in the site with its own chapter name and its prose: the Markdown pages, and the
    Markdown cells of each chapter notebook."""
    import nbformat

    root = Path(root)
    pages = {f"chapters/{md.stem}.html": ("", md.read_text(encoding="utf-8")) for md in sorted((root / "chapters").glob("*.md"))}
    for nb in sorted((root / "notebooks").glob("*.ipynb")):
        cells = nbformat.read(nb, as_version=4).cells
        pages[f"chapters/{nb.stem}.html"] = (nb.stem, "\n".join(c.source for c in cells if c.cell_type == "markdown"))
    return pages


def glued_pages(pages: dict[str, tuple[str, str]]) -> dict[str, list[str]]:
    """For each register id ('chapter.key') the prose refers to, the pages that state it."""
    found = {}
    for address, (own_chapter, text) in pages.items():
        for chapter, key in REF.findall(text):
            found.setdefault(f"{chapter or own_chapter}.{key}", set()).add(address)
    return {rid: sorted(addresses) for rid, addresses in found.items()}


def stated_only(register: pd.DataFrame, glued: dict[str, list[str]]) -> pd.DataFrame:
    """Only the numbers a reader can find on a page, each with the pages that state it."""
    stated = register[register["id"].isin(glued)].copy()
    stated["pages"] = stated["id"].map(lambda rid: "; ".join(glued[rid]))
    if "label" not in stated:
        stated["label"] = ""
    return stated.reset_index(drop=True)[REGISTER_COLUMNS]


def _missing(value) -> bool:
    """No value: None, or the NaN that pandas puts in a gap (never a value a chapter may state)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def records(register: pd.DataFrame) -> list[dict]:
    """The register as JSON records. A gap (a figure stated only in words has no value) is null, never NaN;
    chapters cannot state a NaN value (see content.ChapterContent.add). An infinite value, or a text that
    prints a number that is not a number ('nan', 'inf'), stops the build naming the figure."""
    from appraisal.publication.content import NOT_A_NUMBER

    out, problems = [], []
    for record in register.to_dict(orient="records"):
        record = {key: None if _missing(value) else value for key, value in record.items()}
        value = record.get("value")
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            if not math.isfinite(float(value)):
                problems.append(f"{record['id']}: value {value} is not a number")
            record["value"] = float(value)  # every value a number in one form, as releases have recorded them
        if NOT_A_NUMBER.search(str(record.get("text") or "")):
            problems.append(f"{record['id']}: text {record['text']!r} shows a number that is not a number")
        out.append(record)
    if problems:
        raise ValueError("figures register: " + "; ".join(problems) + ". Nothing is published with such a figure.")
    return out


def write(register: pd.DataFrame, folder: Path) -> tuple[Path, Path]:
    """The register as CSV and as strict JSON (no NaN or Infinity, which JSON does not allow)."""
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, json_path = folder / "figures_register.csv", folder / "figures_register.json"
    from appraisal.publication.spreadsheet_safe import spreadsheet_safe

    rows = records(register)
    spreadsheet_safe(pd.DataFrame(rows, columns=list(register.columns), dtype=object)).to_csv(csv_path, index=False)
    json_path.write_text(json.dumps(rows, indent=1, sort_keys=True, allow_nan=False, default=str))
    return csv_path, json_path


def read(path: Path) -> pd.DataFrame:
    return pd.DataFrame(json.loads(Path(path).read_text()), columns=REGISTER_COLUMNS)


FORMAT_KEY, FORMAT = "_format", "2"
PARAMETERS = "parameters:"


def _leaves(node, path: str = ""):
    """(dotted path, value) for every leaf of a nested dict."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{path}.{key}" if path else str(key))
    else:
        yield path, node


def input_fingerprint(data_dir: Path, params: Parameters) -> dict[str, str]:
    """What a build's numbers were computed from, by the names chapters record their reads under:
    a hash per data file, and every field of the parameters file with its value."""
    out = {FORMAT_KEY: FORMAT}
    for path in sorted(Path(data_dir).glob("*.csv")):
        out[f"data/{path.name}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    for dotted, value in _leaves(params.model_dump(mode="json")):
        out[PARAMETERS + dotted] = json.dumps(value, sort_keys=True)
    return out


def _from_first_format(old: dict[str, str]) -> dict[str, str]:
    """A fingerprint of release 2026.1 under today's names ('parameter:x.central', 'setting:y' before)."""
    out = {}
    for key, value in old.items():
        kind, _, name = key.partition(":")
        if kind == "parameter":
            out[f"{PARAMETERS}parameters.{name}"] = value
        elif kind == "setting":
            out.update({PARAMETERS + (f"{name}.{k}" if k else name): json.dumps(v, sort_keys=True)
                        for k, v in _leaves(json.loads(value))})
        else:
            out[key] = value
    return out


def changed_inputs(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """Inputs whose value differs. An old fingerprint of the first format is compared on what it holds."""
    if old.get(FORMAT_KEY) != FORMAT:
        old = _from_first_format(old)
        new = {k: v for k, v in new.items() if k in old or k.startswith("data/")}
    keys = (set(old) | set(new)) - {FORMAT_KEY}
    return sorted(k for k in keys if old.get(k) != new.get(k))


def _causes(depends_on: str, changed: list[str]) -> list[str]:
    """The changed inputs among those a figure was computed from (a recorded read may be a whole group)."""
    found = []
    for dep in filter(None, depends_on.split(";")):
        if dep == PARAMETERS + "*":
            found += [c for c in changed if c.startswith(PARAMETERS)]
        else:
            found += [c for c in changed if c == dep or c.startswith(dep + ".")]
    return sorted(set(found))


def describe_change(key: str, old: dict, new: dict) -> str:
    """'parameters.one_off_cost_share.central: 0.3 → 0.15' or 'data/baseline_costs.csv changed'."""
    if key.startswith(PARAMETERS):
        if old.get(FORMAT_KEY) != FORMAT:
            old = _from_first_format(old)
        return f"{key.removeprefix(PARAMETERS)}: {old.get(key, 'absent')} → {new.get(key, 'absent')}"
    return f"{key} {'added' if key not in old else 'removed' if key not in new else 'changed'}"


# Two values of a figure closer than this (relative) are the same figure. The same inputs and code give values
# that differ in the last binary digit or two on another processor (numpy sums in a different order where the
# processor has wider vector instructions); no change of an input moves a figure by so little, and no page
# shows a value to more than a few significant digits.
SAME_VALUE_TOLERANCE = 1e-9


def _same_value(old, new) -> bool:
    """Whether two registers give a figure the same value (to SAME_VALUE_TOLERANCE). A figure stated only in
    words has none: an earlier register wrote that as NaN, a later one as null."""
    if _missing(old) or _missing(new):
        return _missing(old) and _missing(new)
    if all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in (old, new)):
        return math.isclose(float(old), float(new), rel_tol=SAME_VALUE_TOLERANCE, abs_tol=1e-12)
    return str(old) == str(new)


def same_figure(old_value, new_value, old_text: str, new_text: str) -> bool:
    """Whether a figure is unchanged: its value, when it has one (so '£7.0 million' and '£7 million' of the
    same value are the same figure); its words, when it is stated only in words."""
    if _missing(old_value) and _missing(new_value):
        return old_text == new_text
    return _same_value(old_value, new_value)


def diff(old: pd.DataFrame, new: pd.DataFrame, old_inputs: dict, new_inputs: dict) -> pd.DataFrame:
    """Every headline whose value or text differs, with the changed inputs among those it depends on."""
    changed = changed_inputs(old_inputs, new_inputs)
    merged = old.merge(new, on="id", how="outer", suffixes=(" old", " new"), indicator=True)
    rows = []
    for _, r in merged.iterrows():
        if r["_merge"] == "both" and same_figure(r["value old"], r["value new"], r["text old"], r["text new"]):
            continue
        deps = r["depends_on new"] if isinstance(r["depends_on new"], str) else r["depends_on old"]
        causes = _causes(deps, changed)
        rows.append({"Figure id": r["id"], "Old value": r["text old"] if r["_merge"] != "right_only" else "(new)",
                     "New value": r["text new"] if r["_merge"] != "left_only" else "(removed)",
                     "Caused by": "; ".join(describe_change(c, old_inputs, new_inputs) for c in causes)
                     or "method or model code"})
    return pd.DataFrame(rows, columns=["Figure id", "Old value", "New value", "Caused by"])


def version_key(version: str) -> tuple:
    return tuple(int(n) if n.isdigit() else n for n in re.split(r"[.\-]", version))


def releases(folder: Path) -> list[str]:
    """Released versions, oldest first."""
    if not folder.exists():
        return []
    return sorted((p.name for p in folder.iterdir() if (p / "figures_register.json").exists()), key=version_key)


def deterministic_zip(files: list[Path], target: Path) -> Path:
    """A zip whose bytes depend only on the files' names and contents (fixed timestamps)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(files, key=lambda p: p.name):
            info = zipfile.ZipInfo(path.name, date_time=(2000, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
    return target
