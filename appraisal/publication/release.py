"""The citable state of the publication: version (from CITATION.cff), source commit and build date;
and the record kept of each release in releases/<version>/."""
import datetime as dt
import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from appraisal import paths

CITATION = paths.ROOT / "CITATION.cff"
RELEASES = paths.ROOT / "releases"
VERSION_PATTERN = r"\d{4}\.\d+"
# An unpacked source archive has no git history: the archive carries its commit in this file instead.
SOURCE_COMMIT_FILE = "SOURCE_COMMIT"
# What is known of a published release besides its register: releases/<version>/release.json holds its date
# (written when it is cut) and, once the archive has minted it, its DOI; releases/<version>/SHA256SUMS is a
# copy of the checksums file published with it.
RELEASE_FILE = "release.json"
SUMS_FILE = "SHA256SUMS"


# Chapter notebooks run before the build knows whether its figures are a release's: they write this
# token wherever the edition is named (download headers, source lines under charts), and the build puts the
# edition's label in its place when it publishes them (appraisal.pipeline.stamping). Notebooks therefore
# never run again only because the label or the build date changed.
PLACEHOLDER = "EDITION-LABEL-PENDING"


def long_date(iso: str) -> str:
    """'2026-12-05' -> '5 December 2026' (GOV.UK style); anything else as it is."""
    try:
        day = dt.date.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso
    return f"{day.day} {day:%B %Y}"


def version_label(version: str) -> str:
    """How a release names itself on every page and in every download: 'Version 2026.2'."""
    return f"Version {version}"


@dataclass(frozen=True)
class Edition:
    version: str  # the version CITATION.cff names
    released: str
    commit: str
    built: str
    commit_id: str = ""  # the full hash, for links to the source; empty when unknown
    scenario: tuple[str, ...] = ()  # for a scenario build, each value that differs from the published file
    # A build is that version only when its figures equal the register kept for it in releases/<version>/;
    # any other build is a draft, named after the last release (empty when there has been none).
    draft: bool = True
    last_release: str = ""

    @property
    def status(self) -> str:
        """'Version 2026.2', or 'Draft after 2026.1, built 5 December 2026, not for citation'."""
        if not self.draft:
            return version_label(self.version)
        after = f" after {self.last_release}" if self.last_release else ""
        return f"Draft{after}, built {long_date(self.built)}, not for citation"

    @property
    def label(self) -> str:
        """How every page, the register and every download name this build."""
        return f"{self.status}; scenario, not the published figures" if self.scenario else self.status

    @property
    def file_tag(self) -> str:
        """The version as download file names carry it: '2026.2', or 'draft' for any other build."""
        return "draft" if self.draft or self.scenario else self.version


def read_version(citation: Path = CITATION) -> tuple[str, str]:
    text = citation.read_text(encoding="utf-8")
    version = re.search(r'^version:\s*"?([^"\n]+)"?', text, re.M)
    released = re.search(r'^date-released:\s*"?([^"\n]+)"?', text, re.M)
    if not version:
        raise ValueError(f"{citation.name}: no version line")
    return version.group(1).strip(), released.group(1).strip() if released else ""


def read_repository(citation: Path = CITATION) -> str:
    """The source repository's address (`repository-code` in CITATION.cff), or '' if none is given."""
    found = re.search(r'^repository-code:\s*"?([^"\n]+)"?', citation.read_text(encoding="utf-8"), re.M)
    return found.group(1).strip() if found else ""


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()


def head(root: Path = paths.ROOT) -> tuple[str, bool] | None:
    """(full hash of the source commit, whether tracked files differ from it), or None if unknown.

    Git is asked only when `root` is the top of its own work tree, so that a source archive unpacked
    inside some other repository reports its own commit (from SOURCE_COMMIT), not that repository's."""
    try:
        if Path(_git(root, "rev-parse", "--show-toplevel")).resolve() == Path(root).resolve():
            return _git(root, "rev-parse", "HEAD"), bool(_git(root, "status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.CalledProcessError):
        pass
    stamp = Path(root) / SOURCE_COMMIT_FILE
    if stamp.is_file() and re.fullmatch(r"[0-9a-f]{40}", stamp.read_text().strip()):
        return stamp.read_text().strip(), False
    return None


def source_commit(root: Path = paths.ROOT) -> str:
    """Short hash of the source commit, marked '+changes' when tracked files differ from it; 'unknown' if none."""
    found = head(root)
    if found is None:
        return "unknown"
    return found[0][:10] + ("+changes" if found[1] else "")


def build_date() -> str:
    """Today (UTC); or the date of SOURCE_DATE_EPOCH when set, so that rebuilding a commit gives the same pages."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    now = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch.isdigit() else dt.datetime.now(dt.timezone.utc)
    return now.date().isoformat()


def current(root: Path = paths.ROOT) -> Edition:
    version, released = read_version(root / "CITATION.cff")
    found = head(root)
    return Edition(version, released, source_commit(root), build_date(), found[0] if found else "")


def set_version(version: str, released: str, citation: Path = CITATION) -> None:
    """Write a new version and release date into CITATION.cff."""
    if not re.fullmatch(VERSION_PATTERN, version):
        raise ValueError(f"version {version!r} must look like 2026.2 (year, then release number)")
    text = citation.read_text(encoding="utf-8")
    text = re.sub(r'^version:.*$', f'version: "{version}"', text, flags=re.M)
    text = re.sub(r'^date-released:.*$', f'date-released: "{released}"', text, flags=re.M)
    citation.write_text(text, encoding="utf-8")


def changes_since_last(version: str, exports: Path, releases_dir: Path = RELEASES):
    """(the last release before `version`, the figures that differ from it), or (None, None) for a first release."""
    from appraisal.publication import register

    earlier = [v for v in register.releases(releases_dir) if v != version]
    if not earlier:
        return None, None
    previous = releases_dir / earlier[-1]
    return earlier[-1], register.diff(
        register.read(previous / "figures_register.json"), register.read(exports / "downloads" / "figures_register.json"),
        json.loads((previous / "inputs_fingerprint.json").read_text()),
        json.loads((exports / "inputs_fingerprint.json").read_text()))


def record(version: str, exports: Path, releases_dir: Path = RELEASES, released: str = "",
           responsibility: dict | None = None) -> Path:
    """Keep the released figures register and input fingerprint, the release date with the record of
    responsibility and assurance (see responsibility.py), and what changed since the release before."""
    import shutil

    folder = releases_dir / version
    folder.mkdir(parents=True, exist_ok=True)
    # The build that made these figures was a draft (no register of this version existed yet): the kept
    # register names the version it now is.
    rows = json.loads((exports / "downloads" / "figures_register.json").read_text())
    for row in rows:
        row["version"] = version_label(version)
    (folder / "figures_register.json").write_text(json.dumps(rows, indent=1, sort_keys=True, allow_nan=False))
    shutil.copyfile(exports / "inputs_fingerprint.json", folder / "inputs_fingerprint.json")
    if released:
        info = {"version": version, "date": released}
        if responsibility is not None:
            info["responsibility"] = responsibility
        (folder / RELEASE_FILE).write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    _, changes = changes_since_last(version, exports, releases_dir)
    if changes is not None:
        changes.to_csv(folder / "changes.csv", index=False)
    return folder



@dataclass(frozen=True)
class Published:
    version: str
    date: str
    doi: str
    site_sha256: str
    note: str


def published(releases_dir: Path = RELEASES) -> list[Published]:
    """Every recorded release, oldest first, with what is known of its publication."""
    from appraisal.publication import register

    out = []
    for version in register.releases(releases_dir):
        folder = releases_dir / version
        info = json.loads((folder / RELEASE_FILE).read_text()) if (folder / RELEASE_FILE).exists() else {}
        site_sum = ""
        if (folder / SUMS_FILE).exists():
            for line in (folder / SUMS_FILE).read_text().splitlines():
                digest, _, name = line.partition("  ")
                if name.endswith("-site.tar.gz"):
                    site_sum = digest
        out.append(Published(version, info.get("date", ""), info.get("doi", ""), site_sum, info.get("note", "")))
    return out


def releases_table(releases: list[Published], repository: str, commit_id: str) -> str:
    """The how-to-cite page's table of releases, in Markdown. Each register is linked in the repository
    at the commit the page was built from, which holds every earlier release's folder."""
    if not releases:
        return "No version has been released yet."
    rows = ["| Version | Released | Figures register | Site archive SHA-256 | DOI |", "|---|---|---|---|---|"]
    for r in releases:
        path = f"releases/{r.version}/figures_register.json"
        register_cell = f"[{path}]({repository}/blob/{commit_id}/{path})" if repository and commit_id else f"`{path}`"
        checksum = f"`{r.site_sha256}`" if r.site_sha256 else (r.note or "not recorded yet")
        doi = f"[{r.doi}](https://doi.org/{r.doi})" if r.doi else "not recorded yet"
        rows.append(f"| {r.version} | {r.date or 'not recorded'} | {register_cell} | {checksum} | {doi} |")
    return "\n".join(rows)
