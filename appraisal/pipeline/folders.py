"""Which folders a build may write into, and which site it may replace.

A build writes everything under its build folder and, when it succeeds, replaces the site folder with the
new site (writing `<site>.next` first and keeping the old one as `<site>.old` for a moment). Neither
folder may be one that holds anything else: the root of the file system, the home folder, the project's
own folder or a folder that holds it, or an existing folder with files in it that git tracks or that this
project did not make. A folder the project makes carries a marker file, `.made-by-appraisal`.

Two kinds of folder without the marker are taken on as the project's, so that folders made before the
marker existed keep working: a build folder that holds the project's own state file or lock
(`state.json`, `build.lock`), which then gets the marker; and anything inside the build folder, such as
the default site `_build/html`. A site anywhere else is replaced only if it carries the marker.

Standard library only: the command line checks its folders before the no-op check.
"""
import os
import subprocess
from pathlib import Path

MARKER = ".made-by-appraisal"
MARKER_TEXT = ("This folder was made by the appraisal's build (appraisal build). The next build may replace "
               "or delete what is in it.\n")
OWN_FILES = ("state.json", "build.lock")  # what a build folder made by an older build holds


class FolderRefused(Exception):
    """--build-dir or --site names a folder the build must not write into or replace."""


def made_by_project(folder: Path) -> bool:
    return (Path(folder) / MARKER).is_file()


def tracked_files(folder: Path) -> list[str]:
    """The files under `folder` that git tracks, in whatever repository holds it; none outside a repository
    (or without git)."""
    try:
        done = subprocess.run(["git", "-C", str(folder), "ls-files", "-z", "--", "."], capture_output=True,
                              timeout=60)
    except (OSError, subprocess.SubprocessError):
        return []
    if done.returncode != 0:
        return []
    return [name for name in done.stdout.decode(errors="replace").split("\0") if name]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):
        return None


def _never(path: Path, roots: list[Path]) -> str | None:
    """Why `path` can never be a folder the build writes into or replaces, or None."""
    if path == Path(path.anchor):
        return "is the root of the file system"
    if path == _home():
        return "is your home folder"
    for root in roots:
        if path == root:
            return "is the project's own folder"
        if path in root.parents:
            return f"holds the project's own folder ({root})"
    return None


def _contents_problem(folder: Path, owned_by_build: bool = False) -> str | None:
    """Why an existing folder's contents must not be overwritten or deleted, or None."""
    try:
        if not any(folder.iterdir()):
            return None
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    tracked = tracked_files(folder)
    if tracked:
        more = f" and {len(tracked) - 1} more" if len(tracked) > 1 else ""
        return (f"holds files that git tracks ({tracked[0]}{more}), which the build would overwrite or delete; "
                "give a new or empty folder")
    if owned_by_build or made_by_project(folder):
        return None
    return (f"already holds files that this project did not make (it has no {MARKER} file), which the build "
            "would overwrite or delete; give a new or empty folder")


def _not_a_folder(label: str, given: Path, real: Path, what: str) -> str | None:
    """Why `real` cannot be the folder asked for: it is a file, or a file stands where a folder above it must
    be made; None when it is a folder or can be made."""
    if real.exists() and not real.is_dir():
        return f"{label} {given}: is a file, not a folder; give a folder for {what}"
    parent = next((p for p in real.parents if p.exists()), None)
    if not real.exists() and parent is not None and not parent.is_dir():
        return f"{label} {given}: cannot be made, because {parent} is a file, not a folder"
    return None


def build_dir_problem(build_dir: Path, roots: list[Path], label: str = "the build folder") -> str | None:
    """One line saying why the build must not write into `build_dir`, or None when it may."""
    path = Path(os.path.abspath(build_dir))
    real = path.resolve()
    never = _never(real, roots)
    if never:
        return f"{label} {build_dir}: {never}; give a folder of its own for the generated files, such as _build"
    not_a_folder = _not_a_folder(label, build_dir, real, "the generated files")
    if not_a_folder or not real.exists():
        return not_a_folder
    adopted = any((real / name).is_file() for name in OWN_FILES)  # made by an older build
    problem = _contents_problem(real, owned_by_build=adopted)
    return f"{label} {build_dir}: {problem}" if problem else None


def site_problem(site: Path, build_dir: Path, roots: list[Path], label: str = "the site folder") -> str | None:
    """One line saying why the build must not replace `site` with the new site, or None when it may."""
    path = Path(os.path.abspath(site))
    real, build = path.resolve(), Path(os.path.abspath(build_dir)).resolve()
    never = _never(real, roots)
    if never:
        return f"{label} {site}: {never}; give a folder of its own for the site, such as {build / 'html'}"
    if _inside(build, real):
        return (f"{label} {site}: is the build folder or holds it, and replacing the site would delete it; "
                f"give a folder of its own for the site, such as {build / 'html'}")
    not_a_folder = _not_a_folder(label, site, real, "the site")
    if not_a_folder:
        return not_a_folder
    if real.exists() and (problem := _contents_problem(real, owned_by_build=_inside(real, build))):
        return f"{label} {site}: {problem}"
    for suffix in (".next", ".old"):  # written and deleted while the site is replaced
        side = real.with_name(real.name + suffix)
        if not side.exists() and not side.is_symlink():
            continue
        if side.is_symlink() or not side.is_dir() or _contents_problem(side, owned_by_build=_inside(side, build)):
            return (f"{side}: is in the way: a build writes the new site there and then deletes it, and this "
                    f"project did not make it; move or rename it to publish the site to {site}")
    return None


def check(build_dir: Path, site: Path, roots: list[Path], build_label: str = "the build folder",
          site_label: str = "the site folder") -> None:
    """Raise FolderRefused with one line if the build must not write into `build_dir` or replace `site`."""
    problem = build_dir_problem(build_dir, roots, build_label) or site_problem(site, build_dir, roots, site_label)
    if problem:
        raise FolderRefused(problem)


def claim(folder: Path, label: str = "the build folder") -> None:
    """Make `folder` if need be and mark it as the project's."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not made_by_project(folder):
            (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    except OSError as exc:
        raise FolderRefused(f"{label} {folder}: cannot be made or written ({exc.strerror})") from None
