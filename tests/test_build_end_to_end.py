"""End to end: build the real book into a temporary folder and read the site as a reader would get it."""
import hashlib
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from appraisal import cli, paths
from appraisal.pipeline.build import Layout, build
from appraisal.pipeline.execute import NotebookFailed
from appraisal.pipeline.steps import STEPS, Step

CHAPTERS = ["index", "context", "savings", "case_studies", "risk", "method", "data_log", "assumptions_log", "bibliography"]
OFF_SITE = re.compile(r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=["'](?:https?:)?//""", re.I)


def quiet(*_args):
    pass


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    layout = Layout(build_dir=tmp_path_factory.mktemp("build"))
    layout.site_dir = layout.build_dir / "html"
    report = build(layout, log=quiet)
    return layout, report


def page(layout, name) -> str:
    return (layout.site_dir / "chapters" / f"{name}.html").read_text(encoding="utf-8")


def site_digest(site: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        digest.update(path.relative_to(site).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def test_the_first_build_runs_every_notebook_and_writes_the_site(built):
    layout, report = built
    assert sorted(report.ran) == sorted(s.name for s in STEPS)
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
    assert "Show code cell source" in html


def test_headline_numbers_reach_the_front_page_by_glue(built):
    layout, _ = built
    html = page(layout, "index")
    assert re.search(r"a net (saving|cost) of £[\d.,]+ (million|billion)?", html)


def test_a_second_build_runs_no_notebook_and_leaves_the_site(built):
    layout, _ = built
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
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("params_path = data_dir = exports_dir = ''", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("raise ValueError('deliberate failure')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "notebooks" / "broken.ipynb")
    before = site_digest(layout.site_dir)
    broken = Layout(root=root, build_dir=tmp_path / "build", site_dir=layout.site_dir)
    with pytest.raises(NotebookFailed) as err:
        build(broken, steps=(Step("broken", reads=()),), log=quiet)
    assert "notebooks/broken.ipynb failed in cell 3" in str(err.value)
    assert "ValueError: deliberate failure" in str(err.value)
    assert site_digest(layout.site_dir) == before


def test_bad_input_exits_non_zero_with_one_line_per_problem_and_leaves_the_site(built, data_copy, capsys):
    layout, _ = built
    path = data_copy / "councils.csv"
    path.write_text(path.read_text().replace("123867", "£123,867"))
    before = site_digest(layout.site_dir)
    code = cli.main(["build", "--data", str(data_copy), "--build-dir", str(layout.build_dir)])
    err = capsys.readouterr().err
    assert code == 2
    assert "data/councils.csv: row 2: 8 values where the header has 7 columns" in err
    assert "Traceback" not in err
    assert site_digest(layout.site_dir) == before


def test_changing_a_data_value_changes_the_page_and_reruns_only_its_readers(built, data_copy):
    layout, _ = built
    path = data_copy / "baseline_costs.csv"
    path.write_text(path.read_text().replace("ICT,6100000", "ICT,7100000"))
    report = build(Layout(data_dir=data_copy, build_dir=layout.build_dir, site_dir=layout.site_dir), log=quiet)
    readers = {s.name for s in STEPS if "baseline_costs.csv" in s.reads or "*" in s.reads}
    assert set(report.ran) == readers
    assert "£8.8 million" in page(layout, "savings")  # 7.1 + 1.7, set by hand from the edit above


def test_a_set_override_changes_the_headline_npv_on_the_page(built):
    layout, _ = built
    pattern = re.compile(r"together <span class=\"pasted-text\">(a net (?:saving|cost) of £[^<]+)</span>")
    before = pattern.search(page(layout, "savings")).group(1)
    code = cli.main(["build", "--build-dir", str(layout.build_dir), "--set", "transition_cost_ratio=0.5"])
    assert code == 0
    after = pattern.search(page(layout, "savings")).group(1)
    assert after != before
