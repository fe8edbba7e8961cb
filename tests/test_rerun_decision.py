"""A notebook re-runs only when its own inputs change, decided by content hashes."""
from pathlib import Path

import pytest

from appraisal.pipeline import fingerprint
from appraisal.pipeline.steps import STEPS, Step

STEPS_UNDER_TEST = (
    Step("alpha", reads=("a.csv", "parameters.yaml")),
    Step("beta", reads=("b.csv",), exports=("beta_out.csv",)),
    Step("gamma", reads=("a.csv", "b.csv"), needs=("beta_out.csv",)),
    Step("everything", reads=("*",)),
)


@pytest.fixture
def project(tmp_path) -> dict:
    root = tmp_path
    for d in ("notebooks", "data", "exports", "executed", "appraisal"):
        (root / d).mkdir()
    for step in STEPS_UNDER_TEST:
        (root / step.notebook).write_text(f"notebook {step.name}")
        (root / "executed" / f"{step.name}.ipynb").write_text("done")
    (root / "data" / "a.csv").write_text("a\n1\n")
    (root / "data" / "b.csv").write_text("b\n1\n")
    (root / "data" / "c.csv").write_text("c\n1\n")
    (root / "params.yaml").write_text("x: 1\n")
    (root / "exports" / "beta_out.csv").write_text("out\n1\n")
    (root / "appraisal" / "savings.py").write_text("RATE = 0.035\n")
    return {"root": root}


def snapshot(root: Path) -> dict:
    return {s.name: fingerprint.step_inputs(s, root, root / "data", root / "params.yaml", root / "exports",
                                            root / "appraisal") for s in STEPS_UNDER_TEST}


def to_run(root: Path, before: dict) -> set[str]:
    now = snapshot(root)
    return {s.name for s in STEPS_UNDER_TEST
            if fingerprint.reason_to_run(s, now[s.name], before[s.name], root / "executed" / f"{s.name}.ipynb",
                                         root / "exports")}


def test_unchanged_inputs_run_nothing(project):
    root = project["root"]
    assert to_run(root, snapshot(root)) == set()


def test_a_changed_data_file_reruns_exactly_the_notebooks_that_declared_it(project):
    root = project["root"]
    before = snapshot(root)
    (root / "data" / "a.csv").write_text("a\n2\n")
    assert to_run(root, before) == {"alpha", "gamma", "everything"}


def test_a_data_file_nobody_declared_reruns_only_the_step_that_reads_everything(project):
    root = project["root"]
    before = snapshot(root)
    (root / "data" / "c.csv").write_text("c\n2\n")
    assert to_run(root, before) == {"everything"}


def test_touching_a_file_without_changing_it_reruns_nothing(project):
    root = project["root"]
    before = snapshot(root)
    path = root / "data" / "a.csv"
    path.write_text(path.read_text())
    assert to_run(root, before) == set()


def test_a_changed_parameter_reruns_the_notebooks_that_use_parameters(project):
    root = project["root"]
    before = snapshot(root)
    (root / "params.yaml").write_text("x: 2\n")
    assert to_run(root, before) == {"alpha", "everything"}


def test_a_changed_package_file_reruns_every_notebook(project):
    root = project["root"]
    before = snapshot(root)
    (root / "appraisal" / "savings.py").write_text("RATE = 0.03\n")
    assert to_run(root, before) == {s.name for s in STEPS_UNDER_TEST}


def test_a_changed_export_reruns_the_notebook_that_reads_it(project):
    root = project["root"]
    before = snapshot(root)
    (root / "exports" / "beta_out.csv").write_text("out\n2\n")
    assert to_run(root, before) == {"gamma"}


def test_a_changed_notebook_reruns_only_itself(project):
    root = project["root"]
    before = snapshot(root)
    (root / "notebooks" / "beta.ipynb").write_text("edited")
    assert to_run(root, before) == {"beta"}


def test_a_missing_executed_notebook_or_export_is_rerun(project):
    root = project["root"]
    before = snapshot(root)
    (root / "executed" / "alpha.ipynb").unlink()
    (root / "exports" / "beta_out.csv").unlink()
    assert {"alpha", "beta"} <= to_run(root, before)


def test_every_real_step_declares_files_that_exist(tmp_path):
    from appraisal import paths

    for step in STEPS:
        assert (paths.ROOT / step.notebook).exists(), step.notebook
        for name in step.reads:
            assert name == "*" or (paths.DATA / name).exists(), f"{step.name} declares missing data/{name}"
