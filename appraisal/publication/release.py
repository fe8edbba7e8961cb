"""The citable state of the publication: version (from CITATION.cff), source commit and build date."""
import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from appraisal import paths

CITATION = paths.ROOT / "CITATION.cff"
RELEASES = paths.ROOT / "releases"


@dataclass(frozen=True)
class Edition:
    version: str
    released: str
    commit: str
    built: str

    def footer(self) -> str:
        return f"Version {self.version} · built {self.built} from source commit {self.commit}"


def read_version(citation: Path = CITATION) -> tuple[str, str]:
    text = citation.read_text(encoding="utf-8")
    version = re.search(r'^version:\s*"?([^"\n]+)"?', text, re.M)
    released = re.search(r'^date-released:\s*"?([^"\n]+)"?', text, re.M)
    if not version:
        raise ValueError(f"{citation.name}: no version line")
    return version.group(1).strip(), released.group(1).strip() if released else ""


def source_commit(root: Path = paths.ROOT) -> str:
    """Short hash of HEAD, marked '+changes' when the tracked files differ from it; 'unknown' outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=root, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


def current(root: Path = paths.ROOT) -> Edition:
    version, released = read_version(root / "CITATION.cff")
    return Edition(version, released, source_commit(root), dt.datetime.now(dt.timezone.utc).date().isoformat())


def set_version(version: str, released: str, citation: Path = CITATION) -> None:
    """Write a new version and release date into CITATION.cff."""
    if not re.fullmatch(r"\d{4}\.\d+", version):
        raise ValueError(f"version {version!r} must look like 2026.2 (year, then release number)")
    text = citation.read_text(encoding="utf-8")
    text = re.sub(r'^version:.*$', f'version: "{version}"', text, flags=re.M)
    text = re.sub(r'^date-released:.*$', f'date-released: "{released}"', text, flags=re.M)
    citation.write_text(text, encoding="utf-8")


def record(version: str, exports: Path, releases_dir: Path = RELEASES) -> Path:
    """Keep the released figures register and input fingerprint, and what changed since the release before."""
    import json
    import shutil

    from appraisal.publication import register

    earlier = [v for v in register.releases(releases_dir) if v != version]
    folder = releases_dir / version
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(exports / "downloads" / "figures_register.json", folder / "figures_register.json")
    shutil.copyfile(exports / "inputs_fingerprint.json", folder / "inputs_fingerprint.json")
    if earlier:
        previous = releases_dir / earlier[-1]
        changes = register.diff(register.read(previous / "figures_register.json"),
                                register.read(folder / "figures_register.json"),
                                json.loads((previous / "inputs_fingerprint.json").read_text()),
                                json.loads((folder / "inputs_fingerprint.json").read_text()))
        changes.to_csv(folder / "changes.csv", index=False)
    return folder
