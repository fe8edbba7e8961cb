"""A kernel that dies before running any cell is started again; any other failure is not retried."""
import pytest

from appraisal.pipeline import execute


def starts_recorded(monkeypatch, failures: list[Exception]):
    calls = []

    def fake_execute_notebook(source, output, **kwargs):
        calls.append(source)
        if len(calls) <= len(failures):
            raise failures[len(calls) - 1]

    monkeypatch.setattr(execute.papermill, "execute_notebook", fake_execute_notebook)
    return calls


def test_a_kernel_that_died_at_start_is_started_again(monkeypatch, tmp_path):
    calls = starts_recorded(monkeypatch, [RuntimeError(execute.KERNEL_DIED)])
    execute._execute(tmp_path / "a.ipynb", tmp_path / "out.ipynb", {}, tmp_path, starts=3)
    assert len(calls) == 2


def test_a_kernel_that_keeps_dying_is_an_error(monkeypatch, tmp_path):
    calls = starts_recorded(monkeypatch, [RuntimeError(execute.KERNEL_DIED)] * 3)
    with pytest.raises(RuntimeError, match="Kernel died"):
        execute._execute(tmp_path / "a.ipynb", tmp_path / "out.ipynb", {}, tmp_path, starts=3)
    assert len(calls) == 3


def test_any_other_failure_is_not_run_again(monkeypatch, tmp_path):
    calls = starts_recorded(monkeypatch, [RuntimeError("something else")])
    with pytest.raises(RuntimeError, match="something else"):
        execute._execute(tmp_path / "a.ipynb", tmp_path / "out.ipynb", {}, tmp_path, starts=3)
    assert len(calls) == 1
