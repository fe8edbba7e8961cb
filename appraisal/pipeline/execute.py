"""Run one chapter notebook with papermill, and prepare its output for the book."""
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import nbformat
import papermill
from papermill.exceptions import PapermillExecutionError

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
HIDDEN_CELL_TAGS = {"parameters", "injected-parameters"}


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


def run_notebook(source: Path, output: Path, failed_dir: Path, cwd: Path, parameters: dict,
                 log: Path | None = None) -> None:
    """Execute `source` into `output`. On error the partial notebook goes to `failed_dir`. The kernel's own
    messages go to `log` (by default logs/<notebook>.log beside the output's folder)."""
    running = output.parent / f".{output.stem}.running.ipynb"
    output.parent.mkdir(parents=True, exist_ok=True)
    log = output.parent.parent / "logs" / f"{source.stem}.log" if log is None else log
    try:
        with _stderr_to(log):
            papermill.execute_notebook(str(source), str(running), parameters=parameters, cwd=str(cwd),
                                       progress_bar=False, log_output=False, kernel_name="python3")
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
