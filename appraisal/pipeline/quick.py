"""The no-op check: one hash over everything a build reads, computed with the standard library only,
so that a rebuild with nothing changed finishes without loading pandas, a kernel or Sphinx.

Identical bytes give identical validation results and outputs, so a match with the last successful
build means the site on disk is already the site these inputs produce."""
import datetime as dt
import hashlib
import json
from pathlib import Path

from appraisal.pipeline import state

SOURCES = ("_config.yml", "_toc.yml", "CITATION.cff")
FOLDERS = ("appraisal", "notebooks", "chapters", "_static", "_templates", "releases")


def _update(digest, path: Path, base: Path) -> None:
    digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")


def inputs_digest(root: Path, data_dir: Path, params: Path, overrides: dict, commit: str) -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        if (root / name).exists():
            _update(digest, root / name, root)
    for folder in FOLDERS:
        for path in sorted(p for p in (root / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            _update(digest, path, root)
    for path in sorted(p for p in data_dir.iterdir() if p.is_file()):
        _update(digest, path, data_dir)
    digest.update(b"params\0" + params.read_bytes())
    digest.update(json.dumps(overrides, sort_keys=True).encode())
    digest.update(commit.encode() + dt.datetime.now(dt.timezone.utc).date().isoformat().encode())
    return digest.hexdigest()


def unchanged(build_dir: Path, site: Path, digest: str) -> bool:
    previous = state.entry(state.load(build_dir), "build", state.site_name(build_dir, site))
    return not state.changes(previous, {"inputs": digest}) and (site / "index.html").exists()


def remember(build_dir: Path, site: Path, digest: str) -> None:
    current = state.load(build_dir)
    state.remember(current, "build", state.site_name(build_dir, site), {"inputs": digest})
    state.save(build_dir, current)
