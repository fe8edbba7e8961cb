"""End to end: build the real book into a temporary folder and read the site as a reader would get it."""
import hashlib
import unicodedata
import re
import shutil
from pathlib import Path

import nbformat
import pytest

import json

import pandas as pd
from pypdf import PdfReader

from appraisal import cli, paths
from appraisal.pipeline import steps
from appraisal.pipeline.build import Layout, build
from appraisal.pipeline.execute import NotebookFailed
from appraisal.publication import figures, register, release

pytestmark = pytest.mark.slow
CHAPTER_NAMES = [c.name for c in steps.chapters(paths.ROOT)]
from appraisal.publication.register import REF

CHAPTERS = ["index", "context", "savings", "case_studies", "risk", "method", "data_log", "assumptions_log", "bibliography"]
OFF_SITE = re.compile(r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=["'](?:https?:)?//""", re.I)


from conftest import quiet


def page(layout, name) -> str:
    return (layout.site_dir / "chapters" / f"{name}.html").read_text(encoding="utf-8")


def site_digest(site: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        digest.update(path.relative_to(site).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def test_the_first_build_runs_every_notebook_and_writes_the_site(built):
    layout, report = built
    assert sorted(report.ran) == sorted(CHAPTER_NAMES)
    assert (layout.site_dir / "index.html").exists()
    for name in CHAPTERS:
        assert (layout.site_dir / "chapters" / f"{name}.html").exists(), name


def test_no_page_shows_a_traceback_or_an_error_output(built):
    layout, _ = built
    for path in layout.site_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "Traceback (most recent call last)" not in text, path
        assert "output traceback" not in text and "output stderr" not in text, path


def test_no_page_loads_anything_from_another_host(built):
    layout, _ = built
    for path in layout.site_dir.rglob("*.html"):
        found = OFF_SITE.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.name} loads from another host: {found[:3]}"


def test_the_vega_libraries_are_served_from_the_site(built):
    layout, _ = built
    assert (layout.site_dir / "_static" / "vega-bundle.js").stat().st_size > 500_000
    assert 'src="../_static/vega-bundle.js' in page(layout, "savings")


def test_every_chart_has_a_spec_a_text_alternative_and_downloads(built):
    layout, _ = built
    for name in ("context", "savings", "case_studies", "risk"):
        html = page(layout, name)
        ids = re.findall(r'<figure class="chart-figure" id="([^"]+)"', html)
        assert ids, name
        for fig_id in ids:
            assert f'id="spec-{fig_id}"' in html
            assert re.search(rf'id="vis-{fig_id}" role="img" aria-label="[^"]{{20,}}"', html)
            for ext in ("csv", "svg", "png"):
                assert (layout.site_dir / "downloads" / f"{fig_id}.{ext}").exists()


def test_code_is_hidden_and_the_parameter_cells_are_removed(built):
    layout, _ = built
    html = page(layout, "savings")
    assert "parameters.resolved.yaml" not in html  # the injected-parameters cell
    assert "_build/exports" not in html  # the notebook's own parameters cell
    assert "Show code cell source" not in html  # chart specifications and display calls are not shown at all
    assert "page.figure(" not in html and "open_chapter(" not in html


def test_headline_numbers_reach_the_front_page_by_glue(built):
    layout, _ = built
    html = page(layout, "index")
    assert re.search(r"a net (saving|cost) of £[\d.,]+ (million|billion)?", html)


def test_each_download_holds_the_charts_own_data(built):
    layout, _ = built
    for name in ("context", "savings", "case_studies", "risk"):
        html = page(layout, name)
        for fig_id, spec_text in re.findall(r'<script type="application/json" id="spec-([^"]+)">(.*?)</script>', html, re.S):
            spec = json.loads(spec_text.replace("<\\/", "</"))
            data = pd.read_csv(layout.site_dir / "downloads" / f"{fig_id}.csv", comment="#")
            frames = [pd.DataFrame(rows) for rows in spec["datasets"].values()]  # headers as the download words them
            frames = [f.rename(columns={c: figures.download_header(c, f[c]) for c in f.columns}) for f in frames]
            chart = max(frames, key=lambda f: len(set(f.columns) & set(data.columns)))
            assert len(chart) == len(data), fig_id
            for col in data.columns:
                if pd.api.types.is_numeric_dtype(data[col]) and col in chart:
                    pd.testing.assert_series_equal(chart[col].astype(float), data[col].astype(float),
                                                   check_names=False, obj=f"{fig_id} {col}")


def test_every_download_carries_its_title_source_and_version(built):
    layout, _ = built
    version = release.read_version()[0]
    for path in (layout.site_dir / "downloads").glob("*.csv"):
        if path.name.startswith("figures_register"):
            continue
        head = path.read_text(encoding="utf-8").splitlines()[:3]
        assert head[0].startswith("# Figure ") or head[0].startswith("# Table "), path.name
        assert head[1].startswith("# Source: ") and head[2] == f"# {expected_label(layout)}", path.name


def test_the_committee_briefing_pdf_has_one_or_two_pages_with_the_headline_and_version(built):
    layout, _ = built
    pdf = layout.site_dir / "downloads" / "committee-briefing.pdf"
    assert pdf.exists(), "Chromium is needed for the briefing PDF: make test installs it when it can"
    reader = PdfReader(pdf)
    assert 1 <= len(reader.pages) <= 2
    text = " ".join(p.extract_text() for p in reader.pages)
    headline = json.loads((layout.exports / "savings_headlines.json").read_text())["npv_central_text"]["text"]
    assert headline in " ".join(text.split())
    assert expected_label(layout) in " ".join(text.split())


def test_every_page_shows_the_version_and_source_commit(built):
    layout, _ = built
    for name in CHAPTERS:
        assert f"{expected_label(layout)} · built" in page(layout, name), name


def expected_label(layout) -> str:
    """What the build must call itself, worked out here from the two registers: the version CITATION.cff
    names if every figure has the value (to one part in a billion: another processor's last binary digits
    may differ) or, stated in words, the words kept for that version; otherwise a draft after the last kept
    release, built today (SOURCE_DATE_EPOCH is not set in these tests)."""
    import datetime as dt
    import math

    def same(old, new) -> bool:
        if all(isinstance(v, (int, float)) for v in (old, new)):
            return math.isclose(old, new, rel_tol=1e-9, abs_tol=1e-12)
        return old == new

    version = release.read_version()[0]
    kept = paths.ROOT / "releases" / version / "figures_register.json"
    built_rows = {r["id"]: r for r in json.loads((layout.site_dir / "downloads" / "figures_register.json").read_text())}
    if kept.exists():
        kept_rows = {r["id"]: r for r in json.loads(kept.read_text())}
        if kept_rows.keys() == built_rows.keys() and all(
                same(kept_rows[k]["value"], built_rows[k]["value"]) if kept_rows[k]["value"] is not None
                or built_rows[k]["value"] is not None else kept_rows[k]["text"] == built_rows[k]["text"]
                for k in built_rows):
            return f"Version {version}"
    folders = sorted((p.name for p in (paths.ROOT / "releases").iterdir() if (p / "figures_register.json").exists()),
                     key=lambda v: [int(n) for n in v.split(".")])
    today = dt.date.today()
    return f"Draft after {folders[-1]}, built {today.day} {today:%B %Y}, not for citation"


def expected_file_tag(layout) -> str:
    """How download names carry the edition: the version for a release, 'draft' otherwise."""
    label = expected_label(layout)
    return label.removeprefix("Version ") if label.startswith("Version ") else "draft"


RELEASE_LABEL = re.compile(r"\b[Vv]ersion \d{4}\.\d+\b")


def texts_published(site: Path):
    """(file, text) for every page and download a reader can get: HTML, CSV, JSON, SVG and text files, the
    briefing PDF's text, and the XML inside the Word document and the spreadsheet."""
    import zipfile

    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        if path.suffix in (".html", ".csv", ".json", ".svg", ".txt", ".md"):
            yield path.name, path.read_text(encoding="utf-8")
        elif path.suffix == ".pdf":
            yield path.name, " ".join(" ".join(pg.extract_text().split()) for pg in PdfReader(path).pages)
        elif path.suffix in (".docx", ".ods", ".zip"):
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    if name.endswith((".xml", ".csv", ".json", ".txt", ".svg")):
                        yield f"{path.name}/{name}", zf.read(name).decode("utf-8")


def assert_no_release_label_in_a_draft(site: Path) -> None:
    """A draft names no version as if it were that version: 'Version 2026.1' (or 'version 2026.1') appears in
    no page and no download. Citation examples in a draft leave the version to fill in."""
    found = [(name, m.group(0)) for name, text in texts_published(site) for m in RELEASE_LABEL.finditer(text)]
    assert found == []


def test_the_label_is_a_draft_everywhere_or_the_release_everywhere(built):
    layout, _ = built
    label = expected_label(layout)
    if label.startswith("Draft"):
        assert_no_release_label_in_a_draft(layout.site_dir)
        assert label in page(layout, "briefing") and "not those of any release" in page(layout, "briefing")
    else:
        others = [(name, m.group(0)) for name, text in texts_published(layout.site_dir)
                  for m in RELEASE_LABEL.finditer(text) if m.group(0).lower() != label.lower()]
        assert others == [] and "Draft" not in page(layout, "briefing")
        assert f"released {release.long_date(release.read_version()[1])}" in page(layout, "briefing")


def test_a_second_build_runs_no_notebook_and_leaves_the_site(own_copy):
    layout = own_copy
    before = site_digest(layout.site_dir)
    report = build(layout, log=quiet)
    assert report.ran == []
    assert not report.site_rebuilt
    assert site_digest(layout.site_dir) == before


def test_a_failing_notebook_stops_the_build_and_leaves_the_site_byte_for_byte(built, tmp_path):
    layout, _ = built
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    (root / "appraisal").mkdir()
    shutil.copyfile(paths.ROOT / "CITATION.cff", root / "CITATION.cff")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("params_path = data_dir = exports_dir = version = number = ''",
                                          metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("raise ValueError('deliberate failure')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "notebooks" / "broken.ipynb")
    before = site_digest(layout.site_dir)
    broken = Layout(root=root, build_dir=tmp_path / "build", site_dir=layout.site_dir)
    with pytest.raises(NotebookFailed) as err:
        build(broken, chapters=(steps.Chapter("broken", "1"),), log=quiet)
    assert "notebooks/broken.ipynb failed in cell 3" in str(err.value)
    assert "ValueError: deliberate failure" in str(err.value)
    assert site_digest(layout.site_dir) == before


def test_bad_input_exits_non_zero_with_one_line_per_problem_and_leaves_the_site(own_copy, data_copy, capsys):
    layout = own_copy
    path = data_copy / "councils.csv"
    path.write_text(path.read_text().replace("123867", "£123,867"))
    before = site_digest(layout.site_dir)
    code = cli.main(["build", "--data", str(data_copy), "--build-dir", str(layout.build_dir)])
    err = capsys.readouterr().err
    assert code == 2
    assert "data/councils.csv: row 2: 8 values where the header has 7 columns" in err
    assert "Traceback" not in err
    assert site_digest(layout.site_dir) == before


def test_changing_a_data_value_changes_the_page_and_reruns_only_its_readers(own_copy, data_copy):
    layout = own_copy
    path = data_copy / "baseline_costs.csv"
    path.write_text(path.read_text().replace("ICT,6100000", "ICT,7100000"))
    readers = {name for name in CHAPTER_NAMES if "data/baseline_costs.csv" in recorded_reads(layout, name)}
    report = build(Layout(data_dir=data_copy, build_dir=layout.build_dir, site_dir=layout.site_dir), log=quiet)
    assert set(report.ran) == readers
    assert {"context", "savings", "risk"} <= readers and "case_studies" not in readers
    assert "£8.8 million" in page(layout, "savings")  # 7.1 + 1.7, set by hand from the edit above
    assert "£7.1 million" in page(layout, "context") and "£6.1 million" not in page(layout, "context")
    assert_every_page_agrees_with_the_register(layout)


def test_a_rebuild_with_nothing_changed_returns_without_loading_the_pipeline(own_copy, capsys):
    args = ["build", "--build-dir", str(own_copy.build_dir)]
    assert cli.main(args) == 0
    capsys.readouterr()
    assert cli.main(args) == 0
    assert "Nothing has changed since the last build" in capsys.readouterr().out


def test_the_no_op_check_notices_a_changed_data_file(own_copy, data_copy, capsys):
    args = ["build", "--build-dir", str(own_copy.build_dir), "--data", str(data_copy)]
    assert cli.main(args) == 0
    path = data_copy / "timeline.csv"
    path.write_text(path.read_text().replace("Renewed 3C partnership agreement.", "Renewed the 3C partnership agreement."))
    capsys.readouterr()
    assert cli.main(args) == 0
    assert "Nothing has changed" not in capsys.readouterr().out


def recorded_reads(layout, chapter: str) -> set[str]:
    return set(json.loads((layout.exports / f"{chapter}.record.json").read_text())["reads"])


def glued_ids() -> dict[str, set[str]]:
    """For each page of the site, the register ids of the values it glues (from the page sources)."""
    pages = {}
    for md in paths.CHAPTERS.glob("*.md"):
        pages[f"chapters/{md.stem}.html"] = {f"{c}.{k}" for c, k in REF.findall(md.read_text()) if c}
    for name in CHAPTER_NAMES:
        cells = nbformat.read(paths.ROOT / "notebooks" / f"{name}.ipynb", as_version=4).cells
        text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
        pages[f"chapters/{name}.html"] = {f"{c or name}.{k}" for c, k in REF.findall(text)}
    return pages


def shows(body: str, fid: str, text: str) -> bool:
    """Whether a page shows a number from the register: its text right after the mark of its id (a link to
    the register, whose amount keeps its unit on the same line, a sentence with its link, or words)."""
    import html as html_lib

    from appraisal.publication.provenance import kept_together

    escaped = html_lib.escape(text, quote=False)
    return any(f'data-figure="{fid}">{t}' in body for t in (kept_together(escaped), escaped))


def assert_every_page_agrees_with_the_register(layout):
    """Every value glued into every page, and into the briefing PDF, is the register's current value."""
    reg = register.read(layout.exports / "downloads" / "figures_register.json").set_index("id")["text"]
    for rel, ids in glued_ids().items():
        body = (layout.site_dir / rel).read_text(encoding="utf-8")
        for fid in sorted(ids):
            assert shows(body, fid, reg[fid]), f"{rel} does not show the current value of {fid}: {reg[fid]!r}"
    pdf = layout.site_dir / "downloads" / "committee-briefing.pdf"
    if pdf.exists():
        text = unicodedata.normalize("NFKC", " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages))
        text = text.replace("\u2060", "")  # the joiner that keeps a sign with its amount
        text = re.sub(r"(?<=\w)- (?=\w)", "-", text)  # a line broken after a hyphen ("one-\noff") reads "one- off"
        for fid in sorted(glued_ids()["chapters/briefing.html"]):
            assert " ".join(reg[fid].split()) in text, f"the briefing PDF does not show {fid}: {reg[fid]!r}"


def test_every_page_and_the_briefing_pdf_agree_with_the_register_after_a_clean_build(built):
    layout, _ = built
    assert_every_page_agrees_with_the_register(layout)


def test_an_edited_parameters_file_reruns_only_the_chapters_that_read_the_parameter(own_copy, data_copy):
    layout = own_copy
    params = data_copy / "parameters.yaml"
    params.write_text(params.read_text().replace("    central: 0.15\n", "    central: 0.18\n", 1))
    readers = {n for n in CHAPTER_NAMES if "parameters:parameters.planned_saving_share.central" in recorded_reads(layout, n)}
    report = build(Layout(data_dir=data_copy, build_dir=layout.build_dir, site_dir=layout.site_dir), log=quiet)
    assert set(report.ran) == readers and "context" not in readers and "case_studies" not in readers
    assert "18%" in page(layout, "savings")
    assert_every_page_agrees_with_the_register(layout)


def test_a_params_file_is_a_labelled_scenario_and_every_page_shows_its_values(own_copy, tmp_path):
    from conftest import write_params

    layout = own_copy
    params = write_params(tmp_path / "scenario.yaml", lambda raw: raw["parameters"]["planned_saving_share"].update(central=0.18))
    build(layout, params_path=params, log=quiet)
    assert "18%" in page(layout, "savings") and "not the published figures" in page(layout, "savings")
    assert_every_page_agrees_with_the_register(layout)
