"""The build's one change detector and its one state file.

For each thing a build may skip (the whole build, each chapter, the site, the briefing PDF) the state
file holds the hashes of the inputs it was last made from, under a name. It is made again when it was
never made, or when any of those hashes differs now. Names of files are relative to the project or to
the build folder, so a copied checkout or build folder is not rebuilt for nothing.

Standard library only: the no-op check runs before pandas, a kernel or Sphinx is loaded.
"""
import json
import os
from pathlib import Path

STATE_FILE = "state.json"


def load(build_dir: Path) -> dict:
    try:
        return json.loads((Path(build_dir) / STATE_FILE).read_text())
    except (FileNotFoundError, json.JSONDecodeError, IsADirectoryError):
        return {}


def save(build_dir: Path, state: dict) -> None:
    """Write the whole state at once (a build killed here leaves the old file or the new, never half)."""
    path = Path(build_dir) / STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True))
    tmp.replace(path)


def changes(previous: dict | None, current: dict[str, str]) -> list[str]:
    """The names whose hash differs between the last time and now; ['never made'] when there was no last time."""
    if not previous:
        return ["never made"]
    return sorted(k for k in set(previous) | set(current) if previous.get(k) != current.get(k))


def site_name(build_dir: Path, site: Path) -> str:
    """How the state file names a site: its path relative to the build folder."""
    return os.path.relpath(Path(site).resolve(), Path(build_dir).resolve())


def entry(state: dict, group: str, name: str) -> dict | None:
    return state.get(group, {}).get(name)


def remember(state: dict, group: str, name: str, hashes: dict) -> None:
    state.setdefault(group, {})[name] = hashes


def forget(state: dict, group: str, name: str) -> None:
    state.get(group, {}).pop(name, None)
