"""`appraisal dist`: the published files of the current version, in `<build folder>/dist/`.

From a work tree with nothing uncommitted, it builds the site (the ordinary build, with the build date
taken from the source commit) and writes:

  <name>-<version>-site.tar.gz     the site, to unpack and open index.html
  <name>-<version>-source.tar.gz   the source of that commit, which rebuilds the site with `make book`
  all-downloads-<version>.zip      every figure's and table's data, as on the downloads page
  committee-briefing.docx          the committee briefing as a Word document
  all-tables-<version>.ods         every table in one spreadsheet
  figures_register.csv, .json      every number the text states
  CITATION.cff                     the citation
  SHA256SUMS                       the checksum of each file above, for `sha256sum --check`

Every file depends only on the commit and the build folder's contents: run twice, it gives the same bytes."""
import os
import shutil
import subprocess
from pathlib import Path

from appraisal.pipeline import folders, office
from appraisal.pipeline.build import Layout, build
from appraisal.publication import archive, release, release_checks

ARCHIVE_NAME = "cambridgeshire-shared-services"
COPIED = ("figures_register.csv", "figures_register.json")


class DistRefused(Exception):
    """The work tree holds uncommitted changes, so no archive could say which source it was built from."""


def commit_time(root: Path, commit: str) -> int:
    return int(subprocess.run(["git", "log", "-1", "--format=%ct", commit], cwd=root, capture_output=True,
                              text=True, check=True).stdout.strip())


def make(layout: Layout, log=print) -> Path:
    """Build the current commit and write its published files. Returns the dist folder."""
    root = layout.root
    changes = release_checks.work_tree_changes(root)
    if changes:
        shown = ", ".join(changes[:5]) + (f" and {len(changes) - 5} more" if len(changes) > 5 else "")
        raise DistRefused(f"the work tree has uncommitted changes ({shown}): commit them first, so that the "
                          "archives match a source commit")
    commit = release.head(root)[0]
    # The pages show this as their build date: rebuilding the same commit on another day gives the same pages.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(commit_time(root, commit)))
    epoch = int(os.environ["SOURCE_DATE_EPOCH"])
    # A release build's files carry its version; a draft's say 'draft' (see release.Edition.file_tag).
    version = build(layout, log=log).edition.file_tag
    stem = f"{ARCHIVE_NAME}-{version}"
    out = layout.build_dir / "dist"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    archive.folder_tar_gz(layout.site_dir, out / f"{stem}-site.tar.gz", f"{stem}-site", epoch,
                          leave_out=(folders.MARKER,))  # the build's own mark on the folder, not part of the site
    archive.source_tar_gz(root, commit, out / f"{stem}-source.tar.gz", f"{stem}-source",
                          {release.SOURCE_COMMIT_FILE: commit + "\n"})
    downloads = layout.site_dir / "downloads"
    for name in (*COPIED, f"all-downloads-{version}.zip", office.DOCX, office.ods_name(version)):
        shutil.copyfile(downloads / name, out / name)
    shutil.copyfile(root / "CITATION.cff", out / "CITATION.cff")
    archive.write_sums(out)
    return out
