"""After the chapters have run: the figures register, the zip of all downloads, and the two pages that
show them ("Data and downloads", "What changed"), written as Markdown into the staged book."""
import json
import re
from pathlib import Path

import pandas as pd

from appraisal import paths
from appraisal.publication import figures, licence, register

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

The register lists every number that the pages state in words ({count} in all): its value as stated, the
pages where it appears, a stable id, the version, and the inputs it depends on. It is
published as <a href="../downloads/figures_register.csv" download>CSV</a> and
<a href="../downloads/figures_register.json" download>JSON</a>; the {{ref}}`ch-what-changed` page compares it
with the last release.
"""

CHANGED_INTRO = """(ch-what-changed)=
# What changed

Every number stated in the publication that differs from the previous release: the old value, the new
value, and the change in the data or parameters that caused it. Committee papers that cite a figure should
give the version; this page shows whether that figure has since moved.

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


def write_register(exports: Path, chapters: list[str], data_dir: Path, params, version: str,
                   root: Path = paths.ROOT) -> tuple[pd.DataFrame, list[Path], Path]:
    """Register (CSV and JSON) of the numbers the pages state, the input fingerprint, and a zip of every download."""
    downloads = exports / "downloads"
    reg = register.stated_only(register.collect(exports, chapters, version),
                               register.glued_pages(_sources(chapters, root)))
    register.write(reg, downloads)
    fingerprint = register.input_fingerprint(data_dir, params)
    (exports / "inputs_fingerprint.json").write_text(json.dumps(fingerprint, indent=1, sort_keys=True))
    for old in downloads.glob("all-downloads-*.zip"):
        old.unlink()
    files = sorted(p for p in downloads.iterdir() if p.suffix in (".csv", ".svg", ".png", ".json"))
    terms = downloads / licence.FILE
    terms.write_text(licence.text(licence.title(root / "CITATION.cff"), version or "unversioned"), encoding="utf-8")
    bundle = register.deterministic_zip([*files, terms], downloads / f"all-downloads-{version or 'unversioned'}.zip")
    return reg, files, bundle


def _as_code(table_html: str, columns: set[int]) -> str:
    """The cells of the given columns (from 0) that hold ids, file or input names, set as code."""
    def row(match):
        cells = iter(range(10_000))
        return re.sub(r"(<td[^>]*>)(.*?)(</td>)",
                      lambda c: (f"{c[1]}<code>{c[2]}</code>{c[3]}"
                                 if next(cells) in columns and re.search(r"[_./]", c[2]) else c[0]),
                      match.group(0))
    return re.sub(r"<tr>.*?</tr>", row, table_html)


def downloads_page(reg: pd.DataFrame, files: list[Path], bundle: Path, root: Path = paths.ROOT) -> str:
    titles = _page_titles(register.page_sources(root))
    where = reg["pages"].fillna("").map(lambda p: "; ".join(titles.get(a, a) for a in p.split("; ") if a))
    table = reg.assign(where=where)[["text", "unit", "where", "id", "version", "depends_on"]].rename(columns={
        "text": "Value as stated", "unit": "Unit", "where": "Where it appears", "id": "Figure id",
        "version": "Version", "depends_on": "Depends on"})
    intro = DOWNLOADS_INTRO.format(licence_name=licence.NAME, licence_url=licence.URL, licence_file=licence.FILE)
    return (intro + "\n" + _raw_html(figures.download_list(files, bundle))
            + REGISTER_INTRO.format(count=f"{len(reg):,}") + "\n"
            + _raw_html(_as_code(figures.html_table(table, "Figures register"), {3, 5})))


def what_changed_page(exports: Path, releases_dir: Path) -> str:
    released = register.releases(releases_dir)
    current = register.read(exports / "downloads" / "figures_register.json")
    current_inputs = json.loads((exports / "inputs_fingerprint.json").read_text())
    if not released:
        return CHANGED_INTRO + "No release has been made yet, so there is nothing to compare with.\n"
    latest = releases_dir / released[-1]
    changes = register.diff(register.read(latest / "figures_register.json"), current,
                            json.loads((latest / "inputs_fingerprint.json").read_text()), current_inputs)
    heading = f"Changes since release {released[-1]}, not yet released."
    if changes.empty:
        stored = latest / "changes.csv"
        previous = released[-2] if len(released) > 1 else None
        changes = pd.read_csv(stored, keep_default_na=False) if stored.exists() else changes
        heading = (f"Release {released[-1]}: changes since release {previous}." if previous
                   else f"Release {released[-1]} is the first release.")
    body = (_raw_html(_as_code(figures.html_table(changes, "Figures that changed"), {0, 3})) if not changes.empty
            else "No figure differs.\n")
    return CHANGED_INTRO + heading + "\n\n" + body
