"""After the chapters have run: the figures register, the zip of all downloads, and the two pages that
show them ("Data and downloads", "What changed"), written as Markdown into the staged book."""
import json
from pathlib import Path

import pandas as pd

from appraisal.publication import figures, register

DOWNLOADS_INTRO = """(ch-downloads)=
# Data and downloads

Every figure offers its data as CSV and the chart as SVG and PNG; every table offers its data as CSV. Each
CSV begins with three lines starting `#` that give its title, source and version; read it with
`pandas.read_csv(path, comment="#")` or skip those lines in a spreadsheet. One zip holds everything.
"""

REGISTER_INTRO = """
## Figures register

The register lists every number that the chapters and the briefing state in words ({count} in all), with a
stable id, its value as stated, the chapter it belongs to, the version, and the inputs it depends on. It is
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


def write_register(exports: Path, chapters: list[str], data_dir: Path, params, version: str) -> tuple[pd.DataFrame, list[Path], Path]:
    """Register (CSV and JSON), the input fingerprint, and a zip of every download."""
    downloads = exports / "downloads"
    reg = register.collect(exports, chapters, version)
    register.write(reg, downloads)
    fingerprint = register.input_fingerprint(data_dir, params)
    (exports / "inputs_fingerprint.json").write_text(json.dumps(fingerprint, indent=1, sort_keys=True))
    for old in downloads.glob("all-downloads-*.zip"):
        old.unlink()
    files = sorted(p for p in downloads.iterdir() if p.suffix in (".csv", ".svg", ".png", ".json"))
    bundle = register.deterministic_zip(files, downloads / f"all-downloads-{version or 'unversioned'}.zip")
    return reg, files, bundle


def downloads_page(reg: pd.DataFrame, files: list[Path], bundle: Path) -> str:
    table = reg[["id", "text", "unit", "chapter", "version", "depends_on"]].rename(columns={
        "id": "Figure id", "text": "Value as stated", "unit": "Unit", "chapter": "Chapter", "version": "Version",
        "depends_on": "Depends on"})
    return (DOWNLOADS_INTRO + "\n" + _raw_html(figures.download_list(files, bundle))
            + REGISTER_INTRO.format(count=f"{len(reg):,}") + "\n" + _raw_html(figures.html_table(table, "Figures register")))


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
    body = (_raw_html(figures.html_table(changes, "Figures that changed")) if not changes.empty
            else "No figure differs.\n")
    return CHANGED_INTRO + heading + "\n\n" + body
