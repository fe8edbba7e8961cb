"""A kernel that dies before running any cell is started again; any other failure is not retried."""
import os
from pathlib import Path

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


def test_a_kernel_talks_over_socket_files_in_its_own_folder_not_tcp_ports(tmp_path):
    manager = execute.kernel_manager_in(str(tmp_path))(kernel_name="python3")
    assert manager.transport == "ipc"
    assert manager.connection_file == str(tmp_path / "kernel.json")
    assert manager.ip.startswith(str(tmp_path))  # every socket file is made inside the folder


@pytest.mark.slow
def test_two_notebooks_started_at_once_both_run(tmp_path):
    import nbformat
    from concurrent.futures import ThreadPoolExecutor

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 6 * 7\nprint(x)")])
    source = tmp_path / "tiny.ipynb"
    nbformat.write(nb, source)
    outputs = [tmp_path / f"out-{n}" / "tiny.ipynb" for n in (1, 2)]
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda out: execute.run_notebook(source, out, tmp_path / "failed", tmp_path, {}), outputs))
    for out in outputs:
        assert nbformat.read(out, as_version=4).cells[0].outputs[0]["text"] == "42\n"


def _run_tiny(folder: Path) -> str:
    import nbformat

    source = folder / "tiny.ipynb"
    if not source.exists():
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")]), source)
    out = folder / f"out-{os.getpid()}" / "tiny.ipynb"
    execute.run_notebook(source, out, folder / "failed", folder, {})
    return nbformat.read(out, as_version=4).cells[0].outputs[0]["text"]


def _run_tiny_and_say(folder: Path) -> None:
    (folder / "child.txt").write_text(_run_tiny(folder))


@pytest.mark.slow
def test_a_kernel_starts_in_a_process_forked_after_one_ran_in_its_parent(tmp_path):
    """The build runs chapters in forked worker processes, sometimes from a process that has run a notebook
    itself (the test suite). A kernel manager that starts its kernel through a helper thread of the parent
    waits for ever in the child; this one must start."""
    import multiprocessing

    assert _run_tiny(tmp_path) == "42\n"
    child = multiprocessing.get_context("fork").Process(target=_run_tiny_and_say, args=(tmp_path,))
    child.start()
    child.join(timeout=90)
    if child.is_alive():
        child.kill()
        child.join()
        pytest.fail("the kernel in the forked process never started")
    assert (tmp_path / "child.txt").read_text() == "42\n"


def test_each_cell_has_only_its_own_output_though_start_up_messages_are_not_drained(tmp_path):
    """The client is ready once the kernel answers (execute._ready_client): what the kernel broadcast while it
    started is left unread, and must never be taken as the output of a cell."""
    import nbformat

    cells = [nbformat.v4.new_code_cell("print('first')"), nbformat.v4.new_code_cell("'second'"),
             nbformat.v4.new_code_cell("x = 1")]
    source = tmp_path / "three.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), source)
    out = tmp_path / "out" / "three.ipynb"
    execute.run_notebook(source, out, tmp_path / "failed", tmp_path, {})
    ran = nbformat.read(out, as_version=4).cells
    assert [[o.get("text") or o.get("data", {}).get("text/plain") for o in c.outputs] for c in ran] == \
        [["first\n"], ["'second'"], []]
