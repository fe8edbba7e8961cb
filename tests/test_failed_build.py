"""A build that fails part-way leaves nothing that a later build trusts.

Papermill runs two chapters at a time. When one fails, the other may still be running: it finishes from the
input the failed build was given. The next build, after that input is put back, must not publish what it
computed. The test makes this happen on purpose: one chapter runs a notebook that raises, and the other
chapter that reads the edited file is held until that failure and then runs to its end. After the input is
put back, every page must be the same as on a clean build."""
import time
from pathlib import Path

import nbformat
import pytest

from appraisal import cli, paths
from appraisal.pipeline import build as build_module
from appraisal.pipeline import execute, steps
from appraisal.pipeline.build import Layout, build
from appraisal.pipeline.execute import NotebookFailed
from conftest import quiet
from test_build_end_to_end import page, recorded_reads
from test_dist import files_compared

pytestmark = pytest.mark.slow
CHAPTERS = [c.name for c in steps.chapters(paths.ROOT)]

# Set by the test before the build; the notebook workers are forked from this process and see it.
PLAN: dict[str, str] = {}


def raising_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("params_path = data_dir = exports_dir = version = number = ''",
                                          metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("raise ValueError('deliberate failure')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def staged_run_notebook(source, output, failed_dir, cwd, parameters, **kwargs):
    """In a worker: the victim chapter runs a notebook that raises; the witness waits for that failure and
    then runs its real notebook to the end. Every other chapter runs as usual."""
    name = Path(source).stem
    if name == PLAN["victim"]:
        try:
            execute.run_notebook(Path(PLAN["raising"]), output, failed_dir, cwd, parameters=parameters, **kwargs)
        finally:
            Path(PLAN["failed"]).touch()
        return
    if name == PLAN["witness"]:
        deadline = time.monotonic() + 120
        while not Path(PLAN["failed"]).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    execute.run_notebook(source, output, failed_dir, cwd, parameters=parameters, **kwargs)
    if name == PLAN["witness"]:
        Path(PLAN["witness_done"]).touch()


def test_a_chapter_finished_beside_a_failing_one_is_not_trusted_once_the_input_is_put_back(
        built, own_copy, data_copy, tmp_path, monkeypatch):
    clean, _ = built
    layout = Layout(data_dir=data_copy, build_dir=own_copy.build_dir, site_dir=own_copy.site_dir)
    readers = [name for name in CHAPTERS if "data/baseline_costs.csv" in recorded_reads(layout, name)]
    witness, victim = readers[0], readers[1]  # the first two chapters the edit below re-runs: they start together
    PLAN.update(victim=victim, witness=witness, raising=str(raising_notebook(tmp_path / "nb" / f"{victim}.ipynb")),
                failed=str(tmp_path / "victim-failed"), witness_done=str(tmp_path / "witness-done"))
    costs = data_copy / "baseline_costs.csv"
    original = costs.read_bytes()
    costs.write_text(costs.read_text().replace("ICT,6100000", "ICT,7100000"))

    monkeypatch.setattr(build_module, "run_notebook", staged_run_notebook)
    with pytest.raises(NotebookFailed, match="deliberate failure"):
        build(layout, jobs=2, log=quiet)
    monkeypatch.undo()
    assert Path(PLAN["witness_done"]).exists(), f"{witness} did not run to its end beside the failing {victim}"

    costs.write_bytes(original)  # the input is put back ...
    (data_copy / "notes.txt").write_text("an unrelated file\n")  # ... and an unrelated edit gets past the no-op check
    code = cli.main(["build", "--data", str(data_copy), "--build-dir", str(layout.build_dir)])
    assert code == 0
    assert "£7.1 million" not in page(layout, "context"), f"{witness} shows the input the failed build was given"
    assert "£6.1 million" in page(layout, "context")
    ours, theirs = layout.site_dir, clean.site_dir
    assert files_compared(ours) == files_compared(theirs)
    differ = [p for p in files_compared(ours) if (ours / p).read_bytes() != (theirs / p).read_bytes()]
    assert differ == []
