"""The published files (`make dist`) and the workflow that publishes them.

Fast: the archive formats on hand-made folders and a tiny git repository; the refusal of a dirty tree;
the workflow file through the linter. Slow: `appraisal dist` run twice on a clone of the current commit
gives the same bytes; the checksums pass `sha256sum --check`; the source archive, unpacked alone, builds
the same pages, downloads and notebook outputs (two clean builds agree); the unpacked site opens in
Chromium with every chart drawn; no page shows `{{ ... }}`."""
import gzip
import html
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import nbformat
import pytest
import yaml

from appraisal import paths
from appraisal.pipeline import dist
from appraisal.pipeline.build import Layout
from appraisal.publication import archive, release
from conftest import copy_of_build

GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
WORKFLOW = paths.ROOT / ".github" / "workflows" / "publish.yml"
ZIZMOR = Path(sys.executable).parent / "zizmor"


def git(root: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def tiny_repo(tmp_path) -> Path:
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    (root / "README.md").write_text("hello\n")
    (root / "data" / "a.csv").write_text("x\n1\n")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "one")
    return root


def members(path: Path) -> list[tarfile.TarInfo]:
    with tarfile.open(path) as tar:
        return tar.getmembers()


# --- the archive formats -------------------------------------------------------------------------------

def test_a_folder_archive_depends_only_on_names_and_contents(tmp_path):
    for name, order in (("one", ["b.txt", "a/c.txt"]), ("two", ["a/c.txt", "b.txt"])):
        for rel in order:  # written in a different order, at different times, with different modes
            path = tmp_path / name / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"content of {rel}\n")
            os.chmod(path, 0o600 if name == "one" else 0o664)
            os.utime(path, (1_000_000 * len(name + rel), 1_000_000 * len(name + rel)))
    first = archive.folder_tar_gz(tmp_path / "one", tmp_path / "one.tar.gz", "site", 1_700_000_000)
    second = archive.folder_tar_gz(tmp_path / "two", tmp_path / "two.tar.gz", "site", 1_700_000_000)
    assert first.read_bytes() == second.read_bytes()
    entries = members(first)
    assert [m.name for m in entries] == ["site", "site/a", "site/a/c.txt", "site/b.txt"]
    assert {(m.mtime, m.uid, m.gid, m.uname, m.gname) for m in entries} == {(1_700_000_000, 0, 0, "", "")}
    assert {m.name: m.mode for m in entries}["site/b.txt"] == 0o644


def test_the_gzip_header_carries_no_time_and_no_file_name(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<p>x</p>")
    data = archive.folder_tar_gz(tmp_path / "site", tmp_path / "s.tar.gz", "s", 0).read_bytes()
    assert data[:2] == b"\x1f\x8b"
    assert data[4:8] == b"\0\0\0\0", "gzip mtime must be zero"
    assert not data[3] & 0x08, "gzip must not store a file name"
    assert gzip.decompress(data)


def test_a_symbolic_link_is_refused_rather_than_archived_as_a_link(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.html").write_text("a")
    (tmp_path / "site" / "b.html").symlink_to(tmp_path / "site" / "a.html")
    with pytest.raises(ValueError, match="symbolic link"):
        archive.folder_tar_gz(tmp_path / "site", tmp_path / "s.tar.gz", "s", 0)


def test_the_source_archive_is_the_commit_with_its_hash_inside_and_the_same_bytes_twice(tiny_repo, tmp_path):
    commit = git(tiny_repo, "rev-parse", "HEAD")
    (tiny_repo / "untracked.txt").write_text("not part of the commit")
    extra = {release.SOURCE_COMMIT_FILE: commit + "\n"}
    first = archive.source_tar_gz(tiny_repo, commit, tmp_path / "a.tar.gz", "src", extra)
    second = archive.source_tar_gz(tiny_repo, commit, tmp_path / "b.tar.gz", "src", extra)
    assert first.read_bytes() == second.read_bytes()
    names = [m.name for m in members(first) if m.isfile()]
    assert sorted(names) == ["src/README.md", "src/SOURCE_COMMIT", "src/data/a.csv"]
    with tarfile.open(first) as tar:
        assert tar.extractfile("src/SOURCE_COMMIT").read().decode().strip() == commit
    carried = subprocess.run(["git", "get-tar-commit-id"], input=gzip.decompress(first.read_bytes()),
                             capture_output=True, check=True).stdout.decode().strip()
    assert carried == commit


def test_sha256sum_accepts_the_checksums_file_and_catches_a_changed_byte(tmp_path):
    (tmp_path / "a.zip").write_bytes(b"zip")
    (tmp_path / "b.tar.gz").write_bytes(b"tar")
    sums = archive.write_sums(tmp_path)
    assert [line.split("  ")[1] for line in sums.read_text().splitlines()] == ["a.zip", "b.tar.gz"]
    ok = subprocess.run(["sha256sum", "--check", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (tmp_path / "b.tar.gz").write_bytes(b"taR")
    bad = subprocess.run(["sha256sum", "--check", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True)
    assert bad.returncode != 0 and "b.tar.gz: FAILED" in bad.stdout


def test_dist_refuses_a_work_tree_with_uncommitted_changes_before_building(tiny_repo, tmp_path):
    (tiny_repo / "data" / "a.csv").write_text("x\n2\n")
    layout = Layout(root=tiny_repo, data_dir=tiny_repo / "data", build_dir=tmp_path / "b", site_dir=tmp_path / "b" / "html")
    with pytest.raises(dist.DistRefused, match=r"uncommitted changes \(data/a.csv\)"):
        dist.make(layout, log=lambda *_: None)
    assert not (tmp_path / "b").exists()


# --- the publishing workflow ---------------------------------------------------------------------------

def lint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(ZIZMOR), "--offline", "--pedantic", "--strict-collection", "--no-progress",
                           "--color=never", str(path)], capture_output=True, text=True)


def test_the_workflow_passes_the_linter():
    done = lint(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_linter_catches_an_action_pinned_to_a_tag_and_a_malformed_workflow(tmp_path):
    text = WORKFLOW.read_text()
    unpinned = tmp_path / "unpinned.yml"
    unpinned.write_text(re.sub(r"(actions/checkout)@[0-9a-f]{40}", r"\1@v7", text))
    assert lint(unpinned).returncode != 0
    malformed = tmp_path / "malformed.yml"
    malformed.write_text(text.replace("runs-on:", "runs_on:", 1))
    assert lint(malformed).returncode != 0


def test_every_action_is_pinned_to_a_full_commit_and_the_build_is_the_make_targets():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert list(workflow[True]["push"]) == ["tags"]  # `on:` reads as True in YAML 1.1
    steps = [s for job in workflow["jobs"].values() for s in job.get("steps", [])]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses), uses
    runs = "\n".join(s.get("run", "") for s in steps)
    made = [line.strip() for line in runs.splitlines() if line.strip().startswith("make ")]
    assert made == ["make book", "make test", "make dist"]
    for second_recipe in ("appraisal build", "jupyter-book", "pip install", "papermill"):
        assert second_recipe not in runs
    assert "_build/html" in str(steps) and "_build/dist/" in str(steps)


# --- the real thing, on a clone of the current commit ---------------------------------------------------

def run_in(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The project's command line from the source in `root`, with this environment's packages (no new install)."""
    full_env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    full_env.update({"PYTHONPATH": str(root), **(env or {})})
    return subprocess.run([sys.executable, "-m", "appraisal.cli", *args], cwd=root, env=full_env,
                          capture_output=True, text=True, timeout=1200)


@pytest.fixture(scope="module")
def dist_twice(built, tmp_path_factory):
    """`appraisal dist` twice on a clone of the current commit: (clone, first dist folder, second dist folder).
    The clone's build folder starts as a copy of the main build's, as an analyst's would hold the last build:
    the first `dist` builds again only what differs (the build date, taken from the commit, when it is not
    today; anything not yet committed)."""
    if not (paths.ROOT / ".git").exists():
        pytest.skip("needs the git repository: an unpacked source archive has no history to archive")
    base = tmp_path_factory.mktemp("dist")
    clone = base / "clone"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(paths.ROOT), str(clone)], check=True)
    copy_of_build(built, clone / "_build")
    outputs = []
    for n in (1, 2):
        done = run_in(clone, "dist", "--build-dir", str(clone / "_build"))
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
        outputs.append(shutil.copytree(clone / "_build" / "dist", base / f"dist-{n}"))
    return clone, outputs[0], outputs[1]


@pytest.fixture(scope="module")
def unpacked_site(dist_twice, tmp_path_factory) -> Path:
    _, first, _ = dist_twice
    [site_archive] = first.glob("*-site.tar.gz")
    target = tmp_path_factory.mktemp("site")
    with tarfile.open(site_archive) as tar:
        tar.extractall(target, filter="data")
    [folder] = target.iterdir()
    return folder


@pytest.mark.slow
def test_dist_twice_from_the_same_commit_gives_identical_bytes(dist_twice):
    _, first, second = dist_twice
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert {n: (first / n).read_bytes() == (second / n).read_bytes() for n in names} == {n: True for n in names}


@pytest.mark.slow
def test_dist_holds_the_site_source_downloads_register_citation_and_checksums(dist_twice):
    clone, first, _ = dist_twice
    version = release.read_version(clone / "CITATION.cff")[0]
    if not (first / f"{dist.ARCHIVE_NAME}-{version}-site.tar.gz").exists():  # a draft names itself so
        version = "draft"
        assert (first / f"{dist.ARCHIVE_NAME}-draft-site.tar.gz").exists()
    stem = f"{dist.ARCHIVE_NAME}-{version}"
    assert sorted(p.name for p in first.iterdir()) == sorted([
        f"{stem}-site.tar.gz", f"{stem}-source.tar.gz", f"all-downloads-{version}.zip", "figures_register.csv",
        "figures_register.json", "CITATION.cff", "SHA256SUMS", "committee-briefing.docx", f"all-tables-{version}.ods"])
    done = subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=first, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": OK") == 8


def unreplaced_substitutions(page: str) -> list[str]:
    """Every `{{ ... }}` a reader would see on a page (scripts and styles are not shown)."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return re.findall(r"\{\{[^{}]*\}\}", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def test_the_substitution_check_sees_braces_in_text_and_code_but_not_in_scripts():
    page = "<p>commit <code>{{ commit }}</code></p><script>var t = '{{ x }}';</script><p>{{version}}</p>"
    assert unreplaced_substitutions(page) == ["{{ commit }}", "{{version}}"]


@pytest.mark.slow
def test_the_unpacked_site_names_its_commit_and_shows_no_unreplaced_substitution(dist_twice, unpacked_site):
    clone, _, _ = dist_twice
    commit = git(clone, "rev-parse", "HEAD")
    pages = sorted(unpacked_site.rglob("*.html"))
    assert len(pages) > 10
    shown = {str(p.relative_to(unpacked_site)): found for p in pages
             if (found := unreplaced_substitutions(p.read_text(encoding="utf-8")))}
    assert shown == {}
    cite = (unpacked_site / "chapters" / "cite.html").read_text(encoding="utf-8")
    assert f"/tree/{commit}" in cite and commit[:10] in cite
    assert "from source commit <a href=" in (unpacked_site / "chapters" / "risk.html").read_text(encoding="utf-8")


def notebook_outputs(path: Path) -> list:
    """What each code cell of an executed notebook showed, without the run's own counters."""
    nb = nbformat.read(path, as_version=4)
    return [[{k: v for k, v in out.items() if k != "execution_count"} for out in cell.get("outputs", [])]
            for cell in nb.cells if cell.cell_type == "code"]


@pytest.mark.slow
def test_the_source_archive_alone_builds_the_same_pages(dist_twice, tmp_path):
    """A clean build from the unpacked source archive gives what the repository's build gives (a clean build
    in another folder, built again in the clone by `dist`): every page, figure and table label, download, register and chart image
    is the same byte for byte, and every notebook showed the same outputs."""
    clone, first, _ = dist_twice
    [source_archive] = first.glob("*-source.tar.gz")
    with tarfile.open(source_archive) as tar:
        tar.extractall(tmp_path, filter="data")
    [source] = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert not (source / ".git").exists()
    epoch = git(clone, "log", "-1", "--format=%ct")
    done = run_in(source, "build", "--build-dir", str(tmp_path / "build"), env={"SOURCE_DATE_EPOCH": epoch})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    ours, theirs = clone / "_build" / "html", tmp_path / "build" / "html"
    assert files_compared(theirs) == files_compared(ours)
    differ = [p for p in files_compared(ours) if (ours / p).read_bytes() != (theirs / p).read_bytes()]
    assert differ == []
    assert any(p.startswith("downloads/") and p.endswith(".zip") for p in files_compared(ours))
    ran_ours, ran_theirs = clone / "_build" / "executed", tmp_path / "build" / "executed"
    notebooks = sorted(p.name for p in ran_ours.glob("*.ipynb"))
    assert len(notebooks) >= 5 and notebooks == sorted(p.name for p in ran_theirs.glob("*.ipynb"))
    for name in notebooks:
        assert notebook_outputs(ran_ours / name) == notebook_outputs(ran_theirs / name), name


def files_compared(site: Path) -> list[str]:
    """Every file of a site except those a browser stamps or a notebook run times: the printed briefing
    (Chromium writes the time and its own ids into the PDF) and the executed notebooks offered as source."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
                  and p.relative_to(site).parts[0] != "_sources" and p.name != "committee-briefing.pdf")


@pytest.mark.slow
def test_the_unpacked_site_opens_in_a_browser_with_every_chart_drawn(unpacked_site, browser):
    prefix = unpacked_site.as_uri()
    page = browser.new_page()
    errors, off_site = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith((prefix, "data:"))
               else (off_site.append(r.request.url), r.abort()))
    page.goto((unpacked_site / "index.html").as_uri())
    page.wait_for_url(re.compile(r".*chapters/index\.html$"), timeout=5000)
    assert "Sharing ICT and legal services" in page.title()
    drawn = {}
    for chapter in sorted((unpacked_site / "chapters").glob("*.html")):
        page.goto(chapter.as_uri(), wait_until="load")
        charts = page.locator(".vega-chart").count()
        if charts:
            page.wait_for_function(
                f"document.querySelectorAll('.vega-chart[data-drawn=true]').length === {charts}", timeout=15000)
            drawn[chapter.name] = page.evaluate(
                "Array.from(document.querySelectorAll('.vega-chart')).map(c => c.querySelectorAll('svg *').length)")
    page.close()
    assert errors == [] and off_site == []
    assert sum(len(v) for v in drawn.values()) >= 8
    assert all(n > 10 for marks in drawn.values() for n in marks), drawn


@pytest.mark.slow
def test_make_release_refuses_a_version_that_is_not_newer_and_a_dirty_tree(dist_twice):
    """Through the Makefile, as a maintainer would run it: the checks stop it before the tests or a build."""
    clone, _, _ = dist_twice
    version = release.read_version(clone / "CITATION.cff")[0]
    env = {**os.environ, "PYTHONPATH": str(clone)}
    make = ["make", "--no-print-directory", f"VENV={Path(sys.executable).parent.parent}",
            "-o", f"{Path(sys.executable).parent.parent}/.installed", "-o", "browser", "release"]
    done = subprocess.run([*make, f"VERSION={version}"], cwd=clone, env=env, capture_output=True, text=True)
    assert done.returncode != 0 and f"not newer than {version}" in done.stderr
    (clone / "scratch.txt").write_text("not committed")
    try:
        done = subprocess.run([*make, "VERSION=2999.1"], cwd=clone, env=env, capture_output=True, text=True)
    finally:
        (clone / "scratch.txt").unlink()
    assert done.returncode != 0 and "uncommitted changes (scratch.txt)" in done.stderr
    assert "pytest" not in done.stdout, "the checks must stop it before the tests run"
