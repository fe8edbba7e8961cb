"""Cutting and recording a release: the checks before a cut (on small temporary git repositories), the
source commit and build date a page shows, the table of releases, and the footer's links."""
import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import yaml

from appraisal import cli, paths
from appraisal.publication import licence, release, release_checks
from appraisal.pipeline import site

REPO = "https://example.org/team/appraisal"
GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]


def git(root: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def repo(tmp_path) -> Path:
    """A committed project holding version 2026.1, its recorded release and the assurance of the next."""
    root = tmp_path / "project"
    (root / "releases" / "2026.1").mkdir(parents=True)
    (root / "CITATION.cff").write_text('version: "2026.1"\ndate-released: "2026-11-26"\n')
    (root / "releases" / "2026.1" / "figures_register.json").write_text("[]")
    (root / ".gitignore").write_text("_build/\n")
    (root / "releases" / "next").mkdir()
    (root / "releases" / "next" / "assurance.yaml").write_text(
        "assurance:\n  - {who: a second analyst, covered: every number, date: 2026-11-30, result: agreed}\n")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "Release 2026.1")
    return root


def test_a_clean_tree_and_a_newer_version_can_be_cut(repo):
    assert release_checks.problems_before_cut("2026.2", repo) == []


def test_a_changed_tracked_file_stops_the_cut(repo):
    (repo / "CITATION.cff").write_text('version: "2026.1"\ndate-released: "2026-11-27"\n')
    [problem] = release_checks.problems_before_cut("2026.2", repo)
    assert "uncommitted changes (CITATION.cff)" in problem


def test_a_new_untracked_file_stops_the_cut_but_an_ignored_one_does_not(repo):
    (repo / "_build").mkdir()
    (repo / "_build" / "site.html").write_text("generated")
    assert release_checks.problems_before_cut("2026.2", repo) == []
    (repo / "notes.txt").write_text("draft")
    [problem] = release_checks.problems_before_cut("2026.2", repo)
    assert "notes.txt" in problem


@pytest.mark.parametrize("version", ["2026.1", "2025.9", "2026.0"])
def test_a_version_not_newer_than_the_last_stops_the_cut(repo, version):
    [problem] = release_checks.problems_before_cut(version, repo)
    assert f"version {version} is not newer than 2026.1" in problem


def test_versions_compare_by_number_not_by_text():
    assert release_checks.version_problems("2026.10", "2026.9", ["2026.9"], []) == []
    assert release_checks.version_problems("2026.9", "2026.9", ["2026.10"], [])[0].endswith("give a higher one")


def test_a_version_older_than_a_recorded_release_stops_the_cut_even_if_citation_is_behind():
    [problem] = release_checks.version_problems("2026.2", "2026.1", ["2026.1", "2026.3"], [])
    assert "not newer than 2026.3" in problem


def test_an_existing_tag_or_a_malformed_version_stops_the_cut(repo):
    git(repo, "tag", "v2026.2")
    assert release_checks.problems_before_cut("2026.2", repo) == [
        "the tag v2026.2 already exists: a published version is never cut again"]
    assert "must look like" in release_checks.problems_before_cut("next", repo)[0]


def test_a_folder_outside_git_cannot_be_cut(tmp_path):
    (tmp_path / "CITATION.cff").write_text('version: "2026.1"\n')
    [problem] = release_checks.problems_before_cut("2026.2", tmp_path)
    assert "not a git work tree" in problem


def test_a_release_that_moves_no_figure_needs_confirming():
    assert "CONFIRM=yes" in release_checks.no_change_problem("2026.1", 0, confirmed=False)
    assert release_checks.no_change_problem("2026.1", 0, confirmed=True) is None
    assert release_checks.no_change_problem("2026.1", 3, confirmed=False) is None
    assert release_checks.no_change_problem(None, 0, confirmed=False) is None  # a first release


def test_the_release_command_refuses_a_dirty_tree_and_an_old_version_and_changes_nothing(repo, monkeypatch, capsys):
    monkeypatch.setattr(paths, "ROOT", repo)
    assert cli.main(["release", "2026.2", "--check-only"]) == 0
    assert cli.main(["release", "2026.1", "--check-only"]) == 2
    assert "not newer than 2026.1" in capsys.readouterr().err
    (repo / "notes.txt").write_text("draft")
    before = (repo / "CITATION.cff").read_text()
    assert cli.main(["release", "2026.2"]) == 2
    assert "uncommitted changes" in capsys.readouterr().err
    assert (repo / "CITATION.cff").read_text() == before


def test_the_release_command_puts_the_version_back_when_no_figure_changed(repo, monkeypatch, capsys):
    import appraisal.pipeline.build as pipeline_build

    real_citation = (paths.ROOT / "CITATION.cff").read_text()
    monkeypatch.setattr(paths, "ROOT", repo)
    seen = []
    monkeypatch.setattr(pipeline_build, "build", lambda layout, *a, **k: seen.append(
        release.read_version(layout.root / "CITATION.cff")[0]))
    monkeypatch.setattr(release, "changes_since_last", lambda *a, **k: ("2026.1", pd.DataFrame()))
    before = (repo / "CITATION.cff").read_text()
    assert cli.main(["release", "2026.2"]) == 2
    assert "no figure differs from release 2026.1" in capsys.readouterr().err
    assert seen == ["2026.2"], "the build between the checks and the record sees the new version"
    assert (repo / "CITATION.cff").read_text() == before
    assert (Path(cli.__file__).parent.parent / "CITATION.cff").read_text() == real_citation


def test_the_source_commit_comes_from_git_and_is_marked_when_tracked_files_differ(repo):
    full = git(repo, "rev-parse", "HEAD")
    assert release.head(repo) == (full, False)
    assert release.source_commit(repo) == full[:10]
    (repo / "CITATION.cff").write_text('version: "2026.1"\n')
    assert release.source_commit(repo) == full[:10] + "+changes"


def test_an_unpacked_source_archive_reports_the_commit_it_carries(repo, tmp_path):
    commit = "0123456789abcdef0123456789abcdef01234567"
    for folder in (tmp_path / "unpacked", repo / "unpacked-inside-another-repository"):
        folder.mkdir()
        (folder / release.SOURCE_COMMIT_FILE).write_text(commit + "\n")
        assert release.head(folder) == (commit, False)
        assert release.source_commit(folder) == commit[:10]
    (tmp_path / "bare").mkdir()
    assert release.source_commit(tmp_path / "bare") == "unknown"


def test_the_build_date_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795656643")  # 2026-11-26 01:30:43 UTC
    assert release.build_date() == "2026-11-26"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert len(release.build_date()) == 10


def test_recording_a_release_keeps_its_date(tmp_path):
    exports = tmp_path / "exports"
    (exports / "downloads").mkdir(parents=True)
    (exports / "downloads" / "figures_register.json").write_text("[]")
    (exports / "inputs_fingerprint.json").write_text("{}")
    folder = release.record("2026.2", exports, tmp_path / "releases", released="2026-12-01")
    assert json.loads((folder / release.RELEASE_FILE).read_text()) == {"version": "2026.2", "date": "2026-12-01"}


def test_published_releases_carry_their_date_doi_and_site_checksum(tmp_path):
    for version in ("2026.1", "2026.2"):
        (tmp_path / version).mkdir()
        (tmp_path / version / "figures_register.json").write_text("[]")
    (tmp_path / "2026.1" / "release.json").write_text(json.dumps({"date": "2026-11-26", "note": "no archive"}))
    (tmp_path / "2026.2" / "release.json").write_text(json.dumps({"date": "2026-12-01", "doi": "10.5281/zenodo.1"}))
    (tmp_path / "2026.2" / "SHA256SUMS").write_text(f"{'a' * 64}  CITATION.cff\n{'b' * 64}  x-2026.2-site.tar.gz\n")
    first, second = release.published(tmp_path)
    assert first == release.Published("2026.1", "2026-11-26", "", "", "no archive")
    assert second == release.Published("2026.2", "2026-12-01", "10.5281/zenodo.1", "b" * 64, "")


def test_the_table_of_releases_links_each_register_at_the_built_commit():
    rows = [release.Published("2026.1", "2026-11-26", "", "", "no archive"),
            release.Published("2026.2", "2026-12-01", "10.5281/zenodo.1", "b" * 64, "")]
    table = release.releases_table(rows, REPO, "c0ffee").splitlines()
    assert table[2] == ("| 2026.1 | 2026-11-26 | [releases/2026.1/figures_register.json]"
                        f"({REPO}/blob/c0ffee/releases/2026.1/figures_register.json) | no archive | not recorded yet |")
    assert f"`{'b' * 64}`" in table[3] and "[10.5281/zenodo.1](https://doi.org/10.5281/zenodo.1)" in table[3]
    assert "`releases/2026.1/figures_register.json`" in release.releases_table(rows, "", "")
    assert release.releases_table([], REPO, "c0ffee") == "No version has been released yet."


def book_root(tmp_path: Path, repository: str | None) -> Path:
    config = {"title": "t", "html": {"extra_footer": ""}, "parse": {}}
    if repository:
        config["repository"] = {"url": repository}
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config))
    return tmp_path


def test_every_page_footer_links_the_exact_source_commit_and_the_repository(tmp_path):
    edition = release.Edition("2026.2", "2026-12-01", "c0ffee1234", "2026-12-02", "c0ffee1234" + "5" * 30, draft=False)
    config = yaml.safe_load(site.book_config(book_root(tmp_path, REPO + "/"), edition))
    footer = config["html"]["extra_footer"]
    assert footer.startswith("<p>Version 2026.2 · built 2026-12-02 from source commit ")
    assert f'<a href="{REPO}/tree/{edition.commit_id}">c0ffee1234</a>' in footer
    assert f'<a href="{REPO}">source repository</a>' in footer
    assert footer.endswith(f' · Text and data under the <a href="{licence.URL}" rel="license">'
                           "Open Government Licence v3.0</a></p>")
    subs = config["parse"]["myst_substitutions"]
    assert subs["source"] == f"[c0ffee1234]({REPO}/tree/{edition.commit_id})"
    assert subs["commit"] == "c0ffee1234" and subs["releases"] == "No version has been released yet."


def test_without_a_repository_or_a_known_commit_the_footer_names_the_commit_without_a_link(tmp_path):
    edition = release.Edition("2026.2", "", "unknown", "2026-12-02", "", draft=False)
    config = yaml.safe_load(site.book_config(book_root(tmp_path, REPO), edition))
    assert config["html"]["extra_footer"] == (
        f'<p>Version 2026.2 · built 2026-12-02 from source commit unknown · <a href="{REPO}">source repository</a>'
        f' · {licence.footer_html()}</p>')
    config = yaml.safe_load(site.book_config(book_root(tmp_path, None), edition))
    assert config["html"]["extra_footer"] == (
        f"<p>Version 2026.2 · built 2026-12-02 from source commit unknown · {licence.footer_html()}</p>")


def test_the_repository_address_is_one_setting_in_config_and_citation():
    config = yaml.safe_load((paths.ROOT / "_config.yml").read_text())
    assert config["repository"]["url"].startswith("https://")
    assert config["repository"]["url"] == release.read_repository(paths.ROOT / "CITATION.cff")


def test_no_page_source_puts_a_substitution_inside_a_code_span():
    """MyST never replaces {{ name }} inside `code`: the page would show the braces."""
    found = {p.name: spans for p in paths.CHAPTERS.glob("*.md")
             if (spans := [s for s in _code_spans(p.read_text()) if "{{" in s])}
    assert found == {}
    assert _code_spans("built from `{{ commit }}` and {{ version }}") == ["{{ commit }}"]


def _code_spans(text: str) -> list[str]:
    import re

    return re.findall(r"(?<!`)`([^`\n]+)`(?!`)", text)


def test_a_draft_says_so_in_its_footer_banner_briefing_line_and_citation_page(tmp_path):
    edition = release.Edition("2026.2", "2026-12-01", "c0ffee1234", "2026-12-05", "c0ffee1234" + "5" * 30,
                              draft=True, last_release="2026.1")
    config = yaml.safe_load(site.book_config(book_root(tmp_path, REPO + "/"), edition))
    label = "Draft after 2026.1, built 5 December 2026, not for citation"
    assert config["html"]["extra_footer"].startswith(f"<p>{label} · built 2026-12-05 from source commit ")
    assert label in config["html"]["announcement"] and 'href="WHAT_CHANGED_PAGE"' in config["html"]["announcement"]
    subs = config["parse"]["myst_substitutions"]
    assert subs["edition_dated"].startswith(label) and "Version 2026.2" not in str(subs)
    assert "**draft**" in subs["edition_status"] and "cite release 2026.1" in subs["edition_status"]
    assert "not recorded" in subs["responsibility"] and "This is a draft" in subs["responsibility"]


def test_a_release_names_its_date_and_its_own_pages_where_the_briefing_is_cited(tmp_path):
    edition = release.Edition("2026.2", "2026-12-05", "c0ffee1234", "2026-12-05", "c0ffee1234" + "5" * 30,
                              draft=False, last_release="2026.2")
    subs = yaml.safe_load(site.book_config(book_root(tmp_path, REPO + "/"), edition))["parse"]["myst_substitutions"]
    assert subs["edition_dated"].startswith("Version 2026.2, released 5 December 2026.")
    assert f"({REPO}/tree/v2026.2)" in subs["edition_dated"]
    assert "announcement" not in yaml.safe_load(site.book_config(book_root(tmp_path, REPO + "/"), edition))["html"]
