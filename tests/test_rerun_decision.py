"""A chapter re-runs exactly when an input it read, its notebook or the code it ran has changed.

What a chapter reads is recorded while it computes (never declared by hand); these tests check the
recording and the one change detector on small hand-made inputs and chapters."""
import shutil
from pathlib import Path

import pandas as pd
import pytest

from appraisal import paths
from appraisal.inputs.loading import Inputs, load
from appraisal.inputs.recorder import RecordingInputs, current_hash
from appraisal.pipeline import state, steps
from appraisal.pipeline.build import Layout, chapter_hashes_now


def small_compute(inputs):
    """A hand-made chapter: one table and one parameter."""
    inputs.table("baseline_costs")
    return inputs.params.parameters["discount_rate"].central


@pytest.fixture
def data_dir(tmp_path) -> Path:
    dst = tmp_path / "data"
    shutil.copytree(paths.DATA, dst)
    return dst


def record(compute, data_dir: Path, overrides=None) -> tuple[dict, Inputs]:
    checked = load(data_dir / "parameters.yaml", overrides, data_dir)
    recording = RecordingInputs(checked, data_dir)
    compute(recording)
    return recording.reads, checked


def changed_since(reads: dict, data_dir: Path, overrides=None) -> list[str]:
    now = load(data_dir / "parameters.yaml", overrides, data_dir).params.model_dump(mode="json")
    return state.changes(reads, {k: current_hash(k, data_dir, now) for k in reads})


def test_the_record_lists_exactly_the_table_and_the_parameter_read(data_dir):
    reads, _ = record(small_compute, data_dir)
    assert set(reads) == {"data/baseline_costs.csv", "parameters:parameters.discount_rate.central"}


def test_a_model_method_records_only_the_fields_it_reads(data_dir):
    reads, checked = record(lambda i: i.params.values("central"), data_dir)
    assert set(reads) == {f"parameters:parameters.{name}.central" for name in checked.params.parameters}


def test_reading_every_table_records_every_table(data_dir):
    reads, checked = record(lambda i: i.tables, data_dir)
    assert set(reads) == {f"data/{name}" for name in checked.tables}


def test_a_parameter_the_chapter_did_not_read_changes_nothing(data_dir):
    reads, _ = record(small_compute, data_dir)
    assert changed_since(reads, data_dir, {"planned_saving_share.central": "0.12"}) == []


def test_a_parameter_the_chapter_read_is_named_as_the_change(data_dir):
    reads, _ = record(small_compute, data_dir)
    assert changed_since(reads, data_dir, {"discount_rate": "0.05"}) == ["parameters:parameters.discount_rate.central"]


def test_a_data_file_the_chapter_read_is_named_and_others_are_not(data_dir):
    reads, _ = record(small_compute, data_dir)
    (data_dir / "timeline.csv").write_text((data_dir / "timeline.csv").read_text() + "\n")
    assert changed_since(reads, data_dir) == []
    costs = data_dir / "baseline_costs.csv"
    costs.write_text(costs.read_text().replace("6100000", "6200000"))
    assert changed_since(reads, data_dir) == ["data/baseline_costs.csv"]


def test_rewriting_a_file_with_the_same_bytes_changes_nothing(data_dir):
    reads, _ = record(small_compute, data_dir)
    costs = data_dir / "baseline_costs.csv"
    costs.write_bytes(costs.read_bytes())
    assert changed_since(reads, data_dir) == []


def test_recorded_inputs_cannot_be_written():
    checked = load()
    recording = RecordingInputs(checked, paths.DATA)
    with pytest.raises(AttributeError):
        recording.params.appraisal_years = 3


def test_the_change_detector_names_new_removed_and_changed_inputs():
    assert state.changes(None, {"a": "1"}) == ["never made"]
    assert state.changes({"a": "1", "b": "2"}, {"a": "1", "b": "2"}) == []
    assert state.changes({"a": "1", "b": "2"}, {"a": "9", "c": "3"}) == ["a", "b", "c"]


def test_a_chapter_reruns_when_its_notebook_or_code_changes_and_not_otherwise(tmp_path):
    root = tmp_path
    (root / "notebooks").mkdir()
    (root / "appraisal").mkdir()
    (root / "notebooks" / "alpha.ipynb").write_text("notebook")
    (root / "appraisal" / "model.py").write_text("RATE = 0.035\n")
    layout = Layout(root=root, data_dir=paths.DATA, build_dir=root / "_build", site_dir=root / "_build" / "html")
    chapter = steps.Chapter("alpha", "1")
    dumped = load().params.model_dump(mode="json")
    before = {**chapter_hashes_now({}, chapter, layout, "1", dumped),
              "code:appraisal/model.py": current_code(root / "appraisal" / "model.py")}
    assert state.changes(before, chapter_hashes_now(before, chapter, layout, "1", dumped)) == []
    (root / "appraisal" / "model.py").write_text("RATE = 0.03\n")
    assert state.changes(before, chapter_hashes_now(before, chapter, layout, "1", dumped)) == ["code:appraisal/model.py"]
    (root / "notebooks" / "alpha.ipynb").write_text("edited")
    assert "notebook" in state.changes(before, chapter_hashes_now(before, chapter, layout, "1", dumped))
    assert "call" in state.changes(before, chapter_hashes_now(before, chapter, layout, "2", dumped))


def current_code(path: Path) -> str:
    from appraisal.inputs.recorder import file_hash

    return file_hash(path)


def test_chapter_numbers_come_from_the_table_of_contents(tmp_path):
    (tmp_path / "notebooks").mkdir()
    for name in ("one", "two", "log"):
        (tmp_path / "notebooks" / f"{name}.ipynb").write_text("{}")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nparts:\n"
        "  - caption: A\n    numbered: true\n    chapters:\n      - file: chapters/one\n      - file: chapters/page\n"
        "      - file: chapters/two\n"
        "  - caption: B\n    chapters:\n      - file: chapters/log\n")
    assert steps.chapters(tmp_path) == (steps.Chapter("one", "1"), steps.Chapter("two", "3"), steps.Chapter("log", "A"))


def test_every_chapter_in_the_book_has_a_notebook_and_a_module():
    import importlib

    for chapter in steps.chapters(paths.ROOT):
        assert (paths.ROOT / chapter.notebook).exists()
        assert hasattr(importlib.import_module(f"appraisal.chapters.{chapter.name}"), "compute")
