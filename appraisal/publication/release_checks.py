"""What must hold before a version is cut: nothing uncommitted, a version newer than every earlier one
and not yet tagged, a record of who is responsible for it and what assurance it had
(releases/next/assurance.yaml), and something in "What changed" unless the release is confirmed without changes.

(`make release` also runs the whole test suite before cutting; see the README.)"""
import re
import subprocess
from pathlib import Path

from appraisal.publication import register, release, responsibility


class NotAWorkTree(Exception):
    """The folder is not a git work tree, so what is committed cannot be checked."""


def _git(root: Path, *args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as err:
        raise NotAWorkTree(f"{root} is not a git work tree (git {' '.join(args)} failed)") from err


def work_tree_changes(root: Path) -> list[str]:
    """Every path with uncommitted changes, untracked files included (ignored files are not changes)."""
    return [line[3:] for line in _git(root, "status", "--porcelain", "--untracked-files=all").splitlines() if line]


def version_problems(version: str, current: str, released: list[str], tags: list[str]) -> list[str]:
    """Why `version` cannot be cut after the version in CITATION.cff and the recorded releases ([] if it can)."""
    if not re.fullmatch(release.VERSION_PATTERN, version):
        return [f"version {version!r} must look like 2026.2 (year, then release number)"]
    problems = []
    latest = max([current, *released], key=register.version_key)
    if register.version_key(version) <= register.version_key(latest):
        problems.append(f"version {version} is not newer than {latest}, the latest version "
                        "(CITATION.cff and releases/): give a higher one")
    if f"v{version}" in tags:
        problems.append(f"the tag v{version} already exists: a published version is never cut again")
    return problems


def problems_before_cut(version: str, root: Path) -> list[str]:
    """Everything that stops `version` being cut from `root` now, one line each ([] if nothing does)."""
    try:
        changes = work_tree_changes(root)
        tags = _git(root, "tag", "--list").split()
    except NotAWorkTree as err:
        return [str(err)]
    problems = []
    if changes:
        shown = ", ".join(changes[:5]) + (f" and {len(changes) - 5} more" if len(changes) > 5 else "")
        problems.append(f"the work tree has uncommitted changes ({shown}): commit them first")
    current = release.read_version(root / "CITATION.cff")[0]
    problems += version_problems(version, current, register.releases(root / "releases"), tags)
    problems += responsibility.read(root / responsibility.NEXT)[1]
    return problems


def no_change_problem(previous: str | None, changed_figures: int, confirmed: bool) -> str | None:
    """A release that moves no figure needs saying so: a new version is then usually a mistake."""
    if previous is None or changed_figures or confirmed:
        return None
    return (f"no figure differs from release {previous}, so 'What changed' would be empty. If this version is "
            "still wanted (a corrected text or source), cut it with CONFIRM=yes (make) or --confirm-no-changes")
