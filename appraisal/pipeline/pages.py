"""After the chapters have run: the figures register, the zip of all downloads, and the two pages that
show them ("Data and downloads", "What changed"), written as Markdown into the staged book."""
import json
import re
from pathlib import Path

import pandas as pd

from appraisal import paths
from appraisal.pipeline import stamping
from appraisal.publication import changes as changes_page
from appraisal.publication import figures, licence, provenance, register

DOWNLOADS_INTRO = """(ch-downloads)=
# Data and downloads

Every figure offers its data as CSV and the chart as SVG and PNG; every table offers its data as CSV. Each
CSV begins with four lines starting `#` that give its title, source, version and licence; read it with
`pandas.read_csv(path, comment="#")` or skip those lines in a spreadsheet. One zip holds everything.

The text and data of this publication are published under the [{licence_name}]({licence_url}): you may
reuse them if you credit the publication. The zip holds the terms as
<a href="../downloads/{licence_file}" download>{licence_file}</a>, with a suggested credit line. The
documents the publication cites keep their own terms.
"""

REGISTER_INTRO = """
## Figures register

The {{ref}}`ch-register` lists every number that the pages state in words ({count} in all), each with its
own address: its value as stated, what it is, the pages where it appears, the inputs it is computed from
and their sources, and the version. It is also published as
<a href="../downloads/figures_register.csv" download>CSV</a> and
<a href="../downloads/figures_register.json" download>JSON</a>; the {{ref}}`ch-what-changed` page compares it
with the last release.
"""

REGISTER_PAGE = """(ch-register)=
# Figures register

Every number that the pages state in words, with its own address on this page, so that a committee paper
can cite one number. Each entry gives the number as stated, what it is (the sentence in which it first
appears), the chapter that computes it and the pages that state it, the inputs it is computed from as
recorded when that chapter ran, with their values and sources, and the version. Each number on the other
pages links here; a reader with JavaScript sees the same entry in place. The register is also a
download: <a href="../downloads/figures_register.csv" download>CSV</a> and
<a href="../downloads/figures_register.json" download>JSON</a>.

"""

CHANGED_INTRO = """(ch-what-changed)=
# What changed

Every number stated in the publication that differs from the last release, and the changes in the data or
parameters behind them. Committee papers that cite a figure should give the version; this page shows whether
that figure has since moved. The {ref}`ch-register` gives every number with its sources.

"""


def _raw_html(html: str) -> str:
    """A raw HTML block for MyST: blank lines inside would end it, so none are left."""
    return "\n".join(line for line in html.splitlines() if line.strip()) + "\n"


def _page_titles(sources: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Each page's title: the first heading of its prose."""
    titles = {}
    for address, (_, text) in sources.items():
        heading = re.search(r"^# (.+)$", text, re.M)
        titles[address] = heading.group(1).strip() if heading else address
    return titles


def _sources(chapters: list[str], root: Path) -> dict[str, tuple[str, str]]:
    """The prose of the Markdown pages and of the chapters being built."""
    return {address: page for address, page in register.page_sources(root).items() if page[0] in ("", *chapters)}


def labelled(reg: pd.DataFrame, sources: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """The register with each number's label: the first sentence, in page order, that states it."""
    texts = dict(zip(reg["id"], reg["text"]))
    found = {}
    for _, (chapter, text) in sources.items():
        for rid, sentence in provenance.sentences(text, chapter, texts).items():
            found.setdefault(rid, sentence)
    return reg.assign(label=reg["id"].map(found).fillna(""))


def collect_register(exports: Path, chapters: list[str], root: Path = paths.ROOT) -> pd.DataFrame:
    """The numbers the pages state, each with the sentence or caption it appears in (version left blank)."""
    sources = _sources(chapters, root)
    return labelled(register.stated_only(register.collect(exports, chapters, ""), register.glued_pages(sources)),
                    sources)


def write_register(reg: pd.DataFrame, exports: Path, data_dir: Path, params, edition,
                   root: Path = paths.ROOT) -> tuple[list[Path], Path]:
    """Into the published downloads: the register (CSV and JSON) with the edition's label, the licence
    terms and a zip of every download; beside them, the input fingerprint."""
    downloads = exports / "downloads"
    register.write(reg.assign(version=edition.label), downloads)
    fingerprint = register.input_fingerprint(data_dir, params)
    (exports / "inputs_fingerprint.json").write_text(json.dumps(fingerprint, indent=1, sort_keys=True))
    files = sorted(p for p in downloads.iterdir() if p.suffix in (".csv", ".svg", ".png", ".json"))
    terms = downloads / licence.FILE
    terms.write_text(licence.text(licence.title(root / "CITATION.cff"), edition.label), encoding="utf-8")
    bundle = register.deterministic_zip([*files, terms], downloads / f"all-downloads-{edition.file_tag}.zip")
    return files, bundle


def _as_code(table_html: str, columns: set[int]) -> str:
    """The cells of the given columns (from 0) that hold ids, file or input names, set as code."""
    def row(match):
        cells = iter(range(10_000))
        return re.sub(r"(<td[^>]*>)(.*?)(</td>)",
                      lambda c: (f"{c[1]}<code>{c[2]}</code>{c[3]}"
                                 if next(cells) in columns and re.search(r"[_./]", c[2]) else c[0]),
                      match.group(0))
    return re.sub(r"<tr>.*?</tr>", row, table_html)


def downloads_page(reg: pd.DataFrame, files: list[Path], bundle: Path, root: Path = paths.ROOT, also: str = "") -> str:
    intro = DOWNLOADS_INTRO.format(licence_name=licence.NAME, licence_url=licence.URL, licence_file=licence.FILE)
    return (intro + "\n" + (_raw_html(also) + "\n" if also else "") + _raw_html(figures.download_list(files, bundle))
            + REGISTER_INTRO.format(count=f"{len(reg):,}"))


def page_titles(root: Path = paths.ROOT) -> dict[str, str]:
    return _page_titles(register.page_sources(root))


def register_page(entries: dict[str, dict], inputs: dict[str, list[dict]], source_labels: dict[str, str],
                  order: list[str]) -> str:
    """The figures register page: one section per chapter with its recorded inputs, one block with a stable
    anchor per number."""
    out = [REGISTER_PAGE]
    by_chapter = {}
    for entry in entries.values():
        by_chapter.setdefault((entry["chapter_name"], entry["chapter"]), []).append(entry)
    rank = {name: i for i, name in enumerate(order)}
    for (name, title), items in sorted(by_chapter.items(), key=lambda kv: rank.get(kv[0][0], len(rank))):
        out.append(f"## {title}\n\n")
        out.append(_raw_html(provenance.inputs_html(name, inputs.get(name, []), source_labels)
                             + "".join(provenance.entry_html(e) for e in items)) + "\n")
    return "".join(out)


def what_changed_page(exports: Path, releases_dir: Path, order: list[str] | None = None,
                      root: Path = paths.ROOT) -> str:
    """Each number that moved since the last release (or, for a release build, since the one before it), in
    the sentence or caption it appears in, by chapter; a number moved when its value did, not its format."""
    released = register.releases(releases_dir)
    current = register.read(exports / "downloads" / "figures_register.json")
    current_inputs = json.loads((exports / "inputs_fingerprint.json").read_text())
    if not released:
        return CHANGED_INTRO + "No release has been made yet, so there is nothing to compare with.\n"
    latest = releases_dir / released[-1]
    old_reg = register.read(latest / "figures_register.json")
    old_inputs = json.loads((latest / "inputs_fingerprint.json").read_text())
    heading = f"Changes since release {released[-1]}, not yet released."
    changes = register.diff(old_reg, current, old_inputs, current_inputs)
    if changes.empty and len(released) > 1:  # this build is the latest release: show what it changed
        previous = releases_dir / released[-2]
        heading = f"Release {released[-1]}: changes since release {released[-2]}."
        new_reg, current_inputs, old_inputs = old_reg, old_inputs, json.loads(
            (previous / "inputs_fingerprint.json").read_text())
        old_reg = register.read(previous / "figures_register.json")
        changes = register.diff(old_reg, new_reg, old_inputs, current_inputs)
        current = new_reg
    elif changes.empty:
        return CHANGED_INTRO + f"Release {released[-1]} is the first release.\n"
    if changes.empty:
        return CHANGED_INTRO + heading + "\n\nNo number differs.\n"
    items = changes_page.rows(changes, old_reg, current)
    titles = {Path(address).stem: title for address, title in page_titles(root).items()}
    kinds = [sum(r["kind"] == k for r in items) for k in ("changed", "added", "removed")]
    summary = (f"{kinds[0]:,} {'number' if kinds[0] == 1 else 'numbers'} changed, {kinds[1]:,} "
               f"{'is' if kinds[1] == 1 else 'are'} stated for the first time and {kinds[2]:,} no longer. Each "
               "is shown in the sentence or caption it appears in, with its value then and now; a number whose "
               "value is the same but is now written differently is not listed. The changed numbers on the "
               "front page and in the committee briefing come first in each chapter; open a folded list for the "
               "rest.")
    return (CHANGED_INTRO + heading + "\n\n" + summary + "\n\n"
            + _raw_html(changes_page.causes_html(old_inputs, current_inputs))
            + _raw_html(changes_page.page_html(items, titles, order or [])))


# Another chapter's unnumbered table, filled from that chapter's export when the book is staged.
SNIPPET = re.compile(r"^```\{chapter-table\} (\w+)\.(\w+)\n```\n", re.M)


class Filler:
    """Fills every page's number references from the register when the book is staged, with provenance links
    and the page's own copy of its entries; and another chapter's table from that chapter's export."""

    def __init__(self, reg: pd.DataFrame, entries: dict[str, dict], inputs: dict[str, list[dict]],
                 source_labels: dict[str, str], exports: Path, label: str = ""):
        self.texts = dict(zip(reg["id"], reg["text"]))
        self.entries = entries
        self.inputs = inputs
        self.labels = source_labels
        self.exports = Path(exports)
        self.label = label  # the edition, in place of the placeholder chapters wrote (see stamping.py)

    def _snippet(self, match) -> str:
        chapter, key = match.group(1), match.group(2)
        path = self.exports / f"{chapter}_snippets.json"
        snippets = json.loads(path.read_text()) if path.exists() else {}
        if key not in snippets:
            raise provenance.UnregisteredNumber(f"no table {key!r} in the {chapter} chapter")
        return _raw_html(snippets[key])

    def markdown(self, text: str, chapter: str, where: str) -> str:
        used = provenance.references(text, chapter)
        text = SNIPPET.sub(self._snippet, text)
        filled = provenance.fill(text, chapter, self.texts, where)
        if used:
            filled = filled.rstrip("\n") + "\n\n" + provenance.page_data(used, self.entries, self.inputs, self.labels) + "\n"
        return filled

    def notebook(self, text: str, chapter: str, where: str) -> str:
        book = json.loads(text)
        used = []
        for cell in book["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            used += provenance.references(source, chapter)
            cell["source"] = provenance.fill(source, chapter, self.texts, where)
        if used:
            book["cells"].append({"cell_type": "markdown", "id": "figure-data", "metadata": {},
                                  "source": provenance.page_data(used, self.entries, self.inputs, self.labels)})
        return json.dumps(book, indent=1, ensure_ascii=False)

    def __call__(self, rel: str, text: str) -> str:
        chapter = Path(rel).stem if rel.endswith(".ipynb") else ""
        text = stamping.stamp(text, self.label)
        return self.notebook(text, chapter, rel) if rel.endswith(".ipynb") else self.markdown(text, chapter, rel)
