"""Run one chapter notebook with papermill, and prepare its output for the book."""
import os
import re
import shutil
import sys
import tempfile
from contextlib import contextmanager
from queue import Empty
from pathlib import Path

import nbformat
import papermill
from papermill.exceptions import PapermillExecutionError

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
HIDDEN_CELL_TAGS = {"parameters", "injected-parameters"}
# A kernel that dies before it answers its first message has run no cell. Starting it again is safe; a
# kernel that fails this many times in a row is a real fault and its error is raised.
KERNEL_STARTS = 3
KERNEL_DIED = "Kernel died before replying to kernel_info"


class NotebookFailed(Exception):
    """A notebook raised an error: names the notebook, the cell and the error."""


def _mark_for_book(path: Path) -> None:
    """Hide code on published pages: parameter cells are removed, other code is collapsed."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", []))
        if tags & HIDDEN_CELL_TAGS:
            tags.add("remove-cell")
        elif not tags & {"remove-cell", "remove-input"}:
            tags.add("hide-input")
        cell.metadata["tags"] = sorted(tags)
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nb.metadata.pop("papermill", None)
    nbformat.write(nb, path)


@contextmanager
def _stderr_to(log: Path):
    """Send the kernel's own chatter (start-up notices) to a log file instead of the terminal."""
    log.parent.mkdir(parents=True, exist_ok=True)
    saved = os.dup(2)
    with open(log, "w") as f:
        os.dup2(f.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _shown(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


# How often the end of a kernel is looked for once it was asked to end (jupyter_client's own: every 0.1 s).
SHUTDOWN_POLL = 0.01
# A socket file's address may be at most 107 characters long: the kernel's folder is made in /tmp.
SOCKET_PARENT = "/tmp" if os.path.isdir("/tmp") else None


def _ready_client() -> type:
    """jupyter_client's asynchronous kernel client, ready as soon as the kernel has answered its first message.

    jupyter_client's own wait then reads the kernel's broadcast channel until it has been silent for 0.2 s,
    to drop the messages the first answer caused: 0.2 s of every chapter spent waiting. They need not be
    dropped: nbclient takes as a cell's output only the messages that answer that cell's own request."""
    import time

    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_core.utils import ensure_async

    class ReadyClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.time() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    msg = await ensure_async(self.shell_channel.get_msg(timeout=1))
                except Empty:
                    pass
                else:
                    if msg["msg_type"] == "kernel_info_reply":
                        try:  # the broadcast channel is connected once it carries a message
                            await ensure_async(self.iopub_channel.get_msg(timeout=0.2))
                        except Empty:
                            pass
                        else:
                            self._handle_kernel_info_reply(msg)
                            return
                if not await self._async_is_alive():
                    raise RuntimeError(KERNEL_DIED)
                if time.time() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    return ReadyClient


def kernel_manager_in(folder: str) -> type:
    """A kernel manager whose kernel talks over Unix sockets in `folder` (a new, private folder) rather than
    TCP ports. On TCP, each kernel is given ports that were free a moment before it starts: two kernels
    started at once (two chapters, or two builds) can be given the same port, and one then dies or never
    answers. Socket files in a folder of its own cannot clash."""
    from jupyter_client.manager import AsyncKernelManager  # nbclient's own default: no thread of its own

    class SocketFileKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(transport="ipc", connection_file=os.path.join(folder, "kernel.json"),
                             client_factory=_ready_client(), **kwargs)

        async def _async_finish_shutdown(self, waittime=None, pollinterval=SHUTDOWN_POLL, restart=False):
            """jupyter_client's wait for the kernel to end, looking every SHUTDOWN_POLL seconds."""
            await super()._async_finish_shutdown(waittime, pollinterval, restart)

        def format_kernel_cmd(self, extra_arguments=None):
            """Within a build that started a warm kernel server, the kernel is forked by it (see warm_kernel)."""
            from appraisal.pipeline import warm_kernel

            cmd = super().format_kernel_cmd(extra_arguments)
            if not os.environ.get(warm_kernel.SERVER):
                return cmd
            return [sys.executable, "-m", warm_kernel.__name__, "launch", "-f", os.path.realpath(self.connection_file)]

    return SocketFileKernelManager


def _execute(source: Path, running: Path, parameters: dict, cwd: Path, starts: int = KERNEL_STARTS) -> None:
    """papermill's run, started again when the kernel died before running anything (see KERNEL_STARTS)."""
    for start in range(1, starts + 1):
        try:
            with tempfile.TemporaryDirectory(prefix="kernel-", dir=SOCKET_PARENT) as sockets:
                papermill.execute_notebook(str(source), str(running), parameters=parameters, cwd=str(cwd),
                                           progress_bar=False, log_output=False, kernel_name="python3",
                                           kernel_manager_class=kernel_manager_in(sockets))
            return
        except RuntimeError as err:
            if KERNEL_DIED not in str(err) or start == starts:
                raise
            print(f"{source.name}: {err}; starting the kernel again ({start + 1} of {starts})", file=sys.stderr)


def run_notebook(source: Path, output: Path, failed_dir: Path, cwd: Path, parameters: dict,
                 log: Path | None = None) -> None:
    """Execute `source` into `output`. On error the partial notebook goes to `failed_dir`. The kernel's own
    messages go to `log` (by default logs/<notebook>.log beside the output's folder)."""
    running = output.parent / f".{output.stem}.running.ipynb"
    output.parent.mkdir(parents=True, exist_ok=True)
    log = output.parent.parent / "logs" / f"{source.stem}.log" if log is None else log
    try:
        with _stderr_to(log):
            _execute(source, running, parameters, cwd)
    except PapermillExecutionError as err:
        failed_dir.mkdir(parents=True, exist_ok=True)
        kept = failed_dir / source.name
        shutil.move(running, kept)
        last = [ANSI.sub("", line) for line in err.traceback][-3:]
        raise NotebookFailed(
            f"{_shown(source, cwd)} failed in cell {err.cell_index + 1} "
            f"(execution count {err.exec_count}): {err.ename}: {err.evalue}\n"
            + "\n".join("    " + line for line in "\n".join(last).splitlines()[-6:])
            + f"\n  The partly executed notebook is kept at {_shown(kept, cwd)}"
        ) from None
    _mark_for_book(running)
    running.replace(output)
