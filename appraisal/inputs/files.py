"""Opening input files safely: anything that is not a regular, readable file of sensible size is
refused with one line naming it, before any parser sees it.

Standard library only: the command line checks its path arguments with it before the no-op check,
which must not load pandas.
"""
import os
import stat
from pathlib import Path

from appraisal import paths
from appraisal.inputs.errors import InputError

MAX_BYTES = 10_000_000  # the largest table in data/ is about 30 kB; anything near this is a wrong file


def shown_name(path: Path) -> str:
    """How a file is named in messages: `data/x` for a file in the project's data folder, else the path."""
    path = Path(path)
    return f"data/{path.name}" if path.parent.resolve() == paths.DATA else str(path)


def file_problem(path: Path, shown: str, expected: str = "a file") -> str | None:
    """One line saying why `path` cannot be read as an input file, or None when it can."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return f"{shown}: is a link to {os.readlink(path)}, which does not exist; expected {expected}"
        return f"{shown}: file not found"
    except NotADirectoryError:
        return f"{shown}: file not found (its folder is a file)"
    except OSError as exc:
        return f"{shown}: cannot be read ({exc.strerror}); expected {expected}"
    if stat.S_ISDIR(info.st_mode):
        return f"{shown}: is a folder, not a file; expected {expected}"
    if not stat.S_ISREG(info.st_mode):
        return f"{shown}: is not a regular file (a pipe, socket or device); expected {expected}"
    if info.st_size > MAX_BYTES:
        return f"{shown}: is {info.st_size:,} bytes; an input file may be at most {MAX_BYTES:,} bytes"
    return None


def read_bytes(path: Path, shown: str, expected: str = "a file") -> bytes:
    """The bytes of an input file; InputError with one line if it is missing, a folder, a broken link,
    not a regular file, too large or unreadable."""
    problem = file_problem(path, shown, expected)
    if problem:
        raise InputError([problem])
    try:
        return Path(path).read_bytes()
    except PermissionError:
        raise InputError([f"{shown}: cannot be read (permission denied); check the file's permissions"]) from None
    except OSError as exc:
        raise InputError([f"{shown}: cannot be read ({exc.strerror or exc})"]) from None


def folder_problem(path: Path, shown: str) -> str | None:
    """One line saying why `path` is not a usable folder, or None when it is."""
    path = Path(path)
    if path.is_dir():
        return None
    if path.exists():
        return f"{shown}: is a file, not a folder; give the folder that holds the data files"
    if path.is_symlink():
        return f"{shown}: is a link to {os.readlink(path)}, which does not exist; expected a folder"
    return f"{shown}: folder not found"


def linked_files(data_dir: Path) -> list[tuple[Path, Path]]:
    """Every file in the data folder that is a symbolic link to a file, with the real path it leads to.
    (A link that leads nowhere is reported as such when the file is read.)"""
    try:
        entries = sorted(Path(data_dir).iterdir())
    except OSError:
        return []
    return [(path, path.resolve()) for path in entries if path.is_symlink() and path.is_file()]


def link_problem(link: Path, real: Path) -> str:
    return (f"data/{link.name}: is a symbolic link to {real}; a data file must be a regular file inside the "
            "data folder: copy the file in, or build with --allow-linked-data to read it from there")


def argument_problems(data_dir: Path, params_path: Path, params_in_data: bool = False,
                      allow_linked_data: bool = False) -> list[str]:
    """Problems with the data folder and parameters file named on the command line, found before a build
    reads (or hashes) anything: every regular file in the data folder must be readable, and none may be a
    symbolic link unless `allow_linked_data`. When the parameters file is the data folder's own, a bad
    folder is the one problem reported."""
    problems = []
    folder = folder_problem(data_dir, f"--data {data_dir}")
    if folder:
        problems.append(folder)
        if params_in_data:
            return problems
    else:
        try:
            entries = sorted(Path(data_dir).iterdir())
        except OSError as exc:
            entries = []
            problems.append(f"--data {data_dir}: the folder cannot be read ({exc.strerror})")
        if not allow_linked_data:
            problems += [link_problem(link, real) for link, real in linked_files(data_dir)]
        for path in entries:
            if path.is_file():
                try:
                    with open(path, "rb"):
                        pass
                except OSError as exc:
                    reason = "permission denied" if isinstance(exc, PermissionError) else exc.strerror
                    problems.append(f"data/{path.name}: cannot be read ({reason}); check the file's permissions")
    params = file_problem(params_path, shown_name(params_path), "a YAML file")
    if params:
        problems.append(params if params_path.resolve() == paths.PARAMETERS else f"--params {params}")
    return problems
