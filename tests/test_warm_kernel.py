"""Chapter kernels forked by a build's warm kernel server behave as ordinary kernels: they run a notebook with
the same modules loaded (so a chapter's record of the code it ran is the same), stop with their launcher, and
the server stops with its build. Without a server the launcher starts an ordinary kernel."""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from appraisal import paths
from appraisal.pipeline import execute, warm_kernel

pytestmark = pytest.mark.slow

SHOW = ("import os, sys, json\n"
        "print(json.dumps({'parent': os.getppid(), 'cwd': os.getcwd(), 'shown': os.environ.get('SHOWN'),\n"
        "                  'modules': sorted(n for n in sys.modules if n.startswith('appraisal'))}))")


def run_showing(folder: Path) -> dict:
    """Run a notebook that imports a chapter's machinery and says what its kernel sees."""
    source = folder / "show.ipynb"
    cells = [nbformat.v4.new_code_cell("from appraisal.chapters.notebook import open_chapter"),
             nbformat.v4.new_code_cell(SHOW)]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), source)
    out = folder / "out" / "show.ipynb"
    execute.run_notebook(source, out, folder / "failed", folder, {})
    return json.loads(nbformat.read(out, as_version=4).cells[1].outputs[0]["text"])


@pytest.fixture
def server():
    started = warm_kernel.Server()
    assert started.wait_ready()
    yield started
    started.stop()


def children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_a_kernel_from_the_server_sees_what_an_ordinary_kernel_sees(server, tmp_path, monkeypatch):
    monkeypatch.setenv("SHOWN", "the launcher's environment")
    (tmp_path / "cold").mkdir()
    (tmp_path / "warm").mkdir()
    cold = run_showing(tmp_path / "cold")
    with server.named():
        warm = run_showing(tmp_path / "warm")
    assert warm["parent"] == server.process.pid != cold["parent"]  # forked by the server
    assert warm["cwd"] == str(tmp_path / "warm") and warm["shown"] == "the launcher's environment"
    assert warm["modules"] == cold["modules"]  # no module of the server's own among them
    assert not [m for m in warm["modules"] if m.startswith("appraisal.pipeline")]


def test_without_a_server_the_launcher_starts_an_ordinary_kernel(tmp_path, monkeypatch):
    monkeypatch.setenv(warm_kernel.SERVER, str(tmp_path / "nothing-listens-here"))
    assert run_showing(tmp_path)["shown"] is None


def test_a_kernel_ends_when_its_launcher_is_killed(server, tmp_path):
    from jupyter_client.connect import write_connection_file

    connection, _ = write_connection_file(str(tmp_path / "kernel.json"))
    launcher = subprocess.Popen([sys.executable, "-m", warm_kernel.__name__, "launch", "-f", connection],
                                env={**os.environ, warm_kernel.SERVER: server.address}, cwd=paths.ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not children(server.process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    kernel, = children(server.process.pid)
    launcher.kill()
    launcher.wait()
    deadline = time.monotonic() + 10
    while kernel in children(server.process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert kernel not in children(server.process.pid)


def test_the_server_ends_when_the_build_that_started_it_ends(tmp_path):
    code = ("import os; from appraisal.pipeline import warm_kernel; s = warm_kernel.Server(); "
            "assert s.wait_ready(); print(s.process.pid, flush=True); os._exit(0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.ROOT, timeout=60)
    pid = int(done.stdout)
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        if Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z":
            break  # ended; its parent is gone, so only the system reaps it
        time.sleep(0.05)
    assert not Path(f"/proc/{pid}").exists() or Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
