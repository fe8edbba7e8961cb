"""A chapter's output is trusted only through the record of a run that succeeded: what it read, and a hash
of every file it wrote, saved together. These tests drive the build's chapter step with hand-made chapters
whose "notebook" is a small function (no kernel is started), so they run in about a second."""
import json
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from appraisal.inputs.recorder import file_hash
from appraisal.pipeline import build as build_module
from appraisal.pipeline import state, steps
from appraisal.pipeline.build import Layout, run_chapters
from appraisal.pipeline.execute import NotebookFailed
from conftest import quiet

CHAPTERS = (steps.Chapter("alpha", "1"), steps.Chapter("beta", "2"))
CHECKED = SimpleNamespace(params=SimpleNamespace(model_dump=lambda mode: {}))

# Set by a test before the chapters run; worker processes are forked from this one and see it.
PLAN: dict = {}


def fake_run_notebook(source, output, failed_dir, cwd, parameters, **kwargs):
    """A chapter that reads data/x.csv and writes it into its 'executed notebook', a download and its record.
    The chapter named in PLAN['fail'] fails after writing its download, as a notebook does that fails after
    showing a table; the one in PLAN['wait'] first waits for that failure."""
    name = Path(source).stem
    data = Path(parameters["data_dir"]) / "x.csv"
    seen = data.read_text()
    exports = Path(parameters["exports_dir"])
    (exports / "downloads").mkdir(parents=True, exist_ok=True)
    if name == PLAN.get("fail"):
        (exports / "downloads" / f"tbl-{name}.csv").write_text(seen)
        Path(PLAN["failed"]).touch()
        raise NotebookFailed(f"notebooks/{name}.ipynb failed in cell 2: ValueError: deliberate failure")
    if name == PLAN.get("wait"):
        deadline = time.monotonic() + 30
        while not Path(PLAN["failed"]).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_text(seen)
    (exports / "downloads" / f"tbl-{name}.csv").write_text(seen)
    (exports / f"{name}_headlines.json").write_text("{}")
    (exports / f"{name}.record.json").write_text(
        json.dumps({"chapter": name, "reads": {"data/x.csv": file_hash(data)}, "modules": {}}))


@pytest.fixture
def layout(tmp_path, monkeypatch):
    root, data = tmp_path / "project", tmp_path / "data"
    (root / "notebooks").mkdir(parents=True)
    for chapter in CHAPTERS:
        (root / chapter.notebook).write_text(f"the {chapter.name} notebook")
    data.mkdir()
    (data / "x.csv").write_text("first\n")
    monkeypatch.setattr(build_module, "run_notebook", fake_run_notebook)
    PLAN.clear()
    PLAN["failed"] = str(tmp_path / "failed-marker")
    return Layout(root=root, data_dir=data, build_dir=tmp_path / "build", site_dir=tmp_path / "build" / "html")


def run(layout, jobs=2):
    return run_chapters(layout, CHECKED, "1", CHAPTERS, jobs, quiet)


def shown(layout, name) -> str:
    return (layout.executed / f"{name}.ipynb").read_text()


def test_a_chapter_that_finishes_beside_a_failing_one_is_run_again_once_the_input_is_put_back(layout):
    assert sorted(run(layout).ran) == ["alpha", "beta"]
    (layout.data_dir / "x.csv").write_text("edited\n")
    PLAN.update(fail="beta", wait="alpha")  # beta fails while alpha is still running
    with pytest.raises(NotebookFailed):
        run(layout)
    PLAN.update(fail=None, wait=None)
    (layout.data_dir / "x.csv").write_text("first\n")
    run(layout)
    assert shown(layout, "alpha") == "first\n" and shown(layout, "beta") == "first\n"
    assert (layout.exports / "downloads" / "tbl-alpha.csv").read_text() == "first\n"


def test_a_failed_run_leaves_nothing_in_the_executed_notebooks_or_exports(layout):
    run(layout)
    before = {p: p.read_bytes() for p in layout.build_dir.rglob("*") if p.is_file() and p.name != "state.json"}
    (layout.data_dir / "x.csv").write_text("edited\n")
    PLAN.update(fail="alpha")  # the first to run: beta never starts
    with pytest.raises(NotebookFailed):
        run(layout, jobs=1)
    assert (layout.exports / "downloads" / "tbl-alpha.csv").read_text() == "first\n"
    PLAN.update(fail=None)
    (layout.data_dir / "x.csv").write_text("first\n")
    assert run(layout).ran == []
    assert {p: p.read_bytes() for p in before} == before


def test_an_output_changed_since_its_run_was_recorded_is_made_again(layout):
    run(layout)
    (layout.executed / "alpha.ipynb").write_text("written by something else\n")
    (layout.exports / "downloads" / "tbl-beta.csv").write_text("written by something else\n")
    report = run(layout)
    assert sorted(report.ran) == ["alpha", "beta"]
    assert shown(layout, "alpha") == "first\n"
    assert (layout.exports / "downloads" / "tbl-beta.csv").read_text() == "first\n"


def test_a_record_from_an_older_build_without_its_outputs_is_run_once_more(layout):
    run(layout)
    current = state.load(layout.build_dir)
    for entry in current["chapters"].values():
        for key in [k for k in entry if k.startswith("output:")]:
            del entry[key]
    state.save(layout.build_dir, current)
    assert sorted(run(layout).ran) == ["alpha", "beta"]
    assert run(layout).ran == []


def test_each_recorded_run_names_every_file_it_wrote_with_its_hash(layout):
    run(layout)
    entry = state.entry(state.load(layout.build_dir), "chapters", "alpha")
    outputs = {k.removeprefix("output:"): v for k, v in entry.items() if k.startswith("output:")}
    assert outputs == {rel: file_hash(layout.build_dir / rel) for rel in (
        "executed/alpha.ipynb", "exports/alpha.record.json", "exports/alpha_headlines.json",
        "exports/downloads/tbl-alpha.csv")}
