"""Responsibility and assurance, recorded per release: a version is not cut without a record of at least one
complete check in releases/next/assurance.yaml; cutting it keeps the record in releases/<version>/release.json
and puts the blank form back; the About page shows what was recorded and "not recorded" for the rest,
including for a release recorded before this record existed."""
import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import yaml

from appraisal import cli, paths
from appraisal.pipeline import site
from appraisal.publication import release, release_checks, responsibility

TODAY = dt.date(2026, 12, 4)
GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]

FILLED = """\
publisher: Cambridgeshire Shared Services Appraisal
author: the lead analyst
commissioner:
approver:
  who: the project board
  date: 2026-12-02
assurance:
  - who: a second analyst, who did not write the publication
    covered: independent recomputation of every published number from the data and the method text
    date: 2026-12-01
    result: all numbers agreed; two labels corrected
  - who: the test suite
    covered: every test, including the browser and accessibility checks
    date: 2026-12-03
    result: passed
"""


def write(folder: Path, text: str) -> Path:
    path = folder / responsibility.NEXT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_complete_record_is_read_with_empty_fields_kept_empty(tmp_path):
    record, problems = responsibility.read(write(tmp_path, FILLED), TODAY)
    assert problems == []
    assert record["publisher"] == "Cambridgeshire Shared Services Appraisal" and record["commissioner"] == ""
    assert record["approver"] == {"who": "the project board", "date": "2026-12-02"}
    assert record["assurance"][0] == {
        "who": "a second analyst, who did not write the publication",
        "covered": "independent recomputation of every published number from the data and the method text",
        "date": "2026-12-01", "result": "all numbers agreed; two labels corrected"}
    assert json.loads(json.dumps(record)) == record, "the record goes into release.json as it is"


def test_the_blank_form_a_missing_file_or_no_check_is_refused(tmp_path):
    _, problems = responsibility.read(write(tmp_path, responsibility.TEMPLATE), TODAY)
    assert problems == ["releases/next/assurance.yaml: assurance check 1: who, covered, date, result are empty; "
                        "a check is recorded with who made it, what it covered, its date and its result"]
    _, [problem] = responsibility.read(tmp_path / "elsewhere" / "assurance.yaml", TODAY)
    assert "is missing" in problem
    _, [problem] = responsibility.read(write(tmp_path, "author: the lead analyst\n"), TODAY)
    assert "no assurance check is recorded" in problem


@pytest.mark.parametrize("change, expected", [
    (("date: 2026-12-01", "date: 1 December 2026"), "assurance check 1 date: '1 December 2026' is not a date"),
    (("date: 2026-12-01", "date: 2026-12-05"), "assurance check 1 date: 2026-12-05 is after today"),
    (("    result: passed\n", "    result:\n"), "assurance check 2: result is empty"),
    (("commissioner:\n", "comissioner: the council\n"), "unknown field 'comissioner'"),
    (("  who: the project board\n", ""), "approver date is given but not who approved"),
    (("author: the lead analyst\n", "author: the lead analyst\nauthor: someone\n"), "key 'author' appears twice"),
])
def test_a_record_with_a_wrong_field_is_refused_with_the_reason(tmp_path, change, expected):
    record, problems = responsibility.read(write(tmp_path, FILLED.replace(*change, 1)), TODAY)
    assert record is None and len(problems) == 1 and expected in problems[0], problems


# Cutting a version.

@pytest.fixture
def repo(tmp_path) -> Path:
    """A committed project holding version 2026.1 (recorded before this record existed) and a record for the next."""
    root = tmp_path / "project"
    (root / "releases" / "2026.1").mkdir(parents=True)
    (root / "CITATION.cff").write_text('version: "2026.1"\ndate-released: "2026-11-26"\n')
    (root / "releases" / "2026.1" / "figures_register.json").write_text("[]")
    (root / "releases" / "2026.1" / "release.json").write_text(json.dumps({"version": "2026.1", "date": "2026-11-26"}))
    (root / ".gitignore").write_text("_build/\n")
    write(root, FILLED)
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "Release 2026.1"]):
        subprocess.run([*GIT, *args], cwd=root, check=True, capture_output=True)
    return root


def commit_all(root: Path) -> None:
    subprocess.run([*GIT, "commit", "-qam", "change"], cwd=root, check=True, capture_output=True)


def test_a_version_is_not_cut_without_the_record(repo, monkeypatch, capsys):
    assert release_checks.problems_before_cut("2026.2", repo) == []
    write(repo, responsibility.TEMPLATE)
    commit_all(repo)
    [problem] = release_checks.problems_before_cut("2026.2", repo)
    assert problem.startswith("releases/next/assurance.yaml: assurance check 1: who, covered, date, result are empty")
    (repo / responsibility.NEXT).unlink()
    commit_all(repo)
    monkeypatch.setattr(paths, "ROOT", repo)
    before = (repo / "CITATION.cff").read_text()
    assert cli.main(["release", "2026.2", "--check-only"]) == 2
    assert cli.main(["release", "2026.2"]) == 2
    assert "releases/next/assurance.yaml is missing" in capsys.readouterr().err
    assert (repo / "CITATION.cff").read_text() == before and not (repo / "releases" / "2026.2").exists()


def test_cutting_a_version_keeps_the_record_with_the_release_and_puts_the_blank_form_back(repo, monkeypatch):
    import appraisal.pipeline.build as pipeline_build

    monkeypatch.setattr(paths, "ROOT", repo)
    shown = []

    def fake_build(layout, *args, **kwargs):
        (layout.exports / "downloads").mkdir(parents=True, exist_ok=True)
        (layout.exports / "downloads" / "figures_register.json").write_text("[]")
        (layout.exports / "inputs_fingerprint.json").write_text("{}")
        shown.append(responsibility.markdown(layout.root / "releases", release.read_version(layout.root / "CITATION.cff")[0]))

    monkeypatch.setattr(pipeline_build, "build", fake_build)
    monkeypatch.setattr(release, "changes_since_last", lambda *a, **k: ("2026.1", pd.DataFrame({"id": ["x"]})))
    expected, _ = responsibility.read(repo / responsibility.NEXT)
    assert cli.main(["release", "2026.2"]) == 0
    kept = json.loads((repo / "releases" / "2026.2" / "release.json").read_text())
    assert kept["version"] == "2026.2" and kept["responsibility"] == expected
    assert (repo / responsibility.NEXT).read_text() == responsibility.TEMPLATE
    assert "No record" in shown[0] and "the project board, on 2026" in shown[1], "the second build shows the record"


# The About page.

def release_json(folder: Path, version: str, info: dict) -> Path:
    (folder / version).mkdir(parents=True)
    (folder / version / "release.json").write_text(json.dumps(info))
    return folder


def test_the_about_page_shows_every_recorded_field_and_not_recorded_for_the_rest(tmp_path):
    record, _ = responsibility.read(write(tmp_path, FILLED), TODAY)
    record["approver"] = {"who": "", "date": ""}
    folder = release_json(tmp_path / "releases", "2026.2", {"version": "2026.2", "date": "2026-12-04",
                                                            "responsibility": record})
    text = responsibility.markdown(folder, "2026.2")
    assert text.startswith("As recorded for version 2026.2 when it was released (in `releases/2026.2/release.json`")
    assert "- **Publisher:** Cambridgeshire Shared Services Appraisal" in text
    assert "- **Author:** the lead analyst" in text
    assert "- **Commissioner:** *not recorded*" in text and "- **Approver:** *not recorded*" in text
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[0] == "| Check | By | Date | Result |"
    assert rows[1].startswith("| independent recomputation of every published number") and "2026&#45;12&#45;01" in rows[1]
    assert "| passed |" in rows[2]


def test_a_release_recorded_before_the_record_existed_still_reads_and_shows_nothing_recorded(tmp_path):
    folder = release_json(tmp_path, "2026.1", {"version": "2026.1", "date": "2026-11-26", "note": "none"})
    (folder / "2026.1" / "figures_register.json").write_text("[]")
    text = responsibility.markdown(folder, "2026.1")
    assert text.startswith("No record of responsibility and assurance is kept for version 2026.1")
    assert text.count("*not recorded*") == 5 and "| Check |" not in text
    assert release.published(folder)[0].date == "2026-11-26"
    assert responsibility.markdown(tmp_path, "2027.1").startswith("No record"), "a version not released at all"


def test_recorded_text_is_shown_as_text_never_as_markup(tmp_path):
    record, problems = responsibility.read(write(tmp_path, FILLED.replace(
        "the lead analyst", "'*bold* <script>x</script> {{ version }} | [link](https://example.org) $x$'")), TODAY)
    assert problems == []
    text = responsibility.markdown(release_json(tmp_path / "r", "2026.2", {"responsibility": record}), "2026.2")
    author = next(line for line in text.splitlines() if line.startswith("- **Author:**"))
    assert not re.search(r"[*<>{}|\[\]$]", author.removeprefix("- **Author:**"))
    import html

    assert html.unescape(author.removeprefix("- **Author:** ")) == \
        "*bold* <script>x</script> {{ version }} | [link](https://example.org) $x$"


def test_the_about_page_is_given_the_record_of_the_version_being_built(tmp_path):
    (tmp_path / "_config.yml").write_text(yaml.safe_dump({"title": "t", "html": {}, "parse": {}}))
    record, _ = responsibility.read(write(tmp_path, FILLED), TODAY)
    release_json(tmp_path / "releases", "2026.2", {"version": "2026.2", "responsibility": record})
    (tmp_path / "releases" / "2026.2" / "figures_register.json").write_text("[]")
    edition = release.Edition("2026.2", "2026-12-04", "c0ffee1234", "2026-12-04", "", draft=False)
    subs = yaml.safe_load(site.book_config(tmp_path, edition))["parse"]["myst_substitutions"]
    assert subs["responsibility"] == responsibility.markdown(tmp_path / "releases", "2026.2")
    assert "the project board" in subs["responsibility"]
    about = (paths.CHAPTERS / "about.md").read_text(encoding="utf-8")
    assert "\n{{ responsibility }}\n" in about and 'What "not recorded" means' in about


def test_the_form_for_the_next_version_is_committed_blank_or_filled_in_never_missing():
    record, problems = responsibility.read(paths.ROOT / responsibility.NEXT)
    assert record is not None or (paths.ROOT / responsibility.NEXT).read_text() == responsibility.TEMPLATE, problems


@pytest.mark.slow
def test_the_built_about_page_shows_the_record_of_its_version(built):
    layout, _ = built
    version = release.read_version()[0]
    page = (layout.site_dir / "chapters" / "about.html").read_text(encoding="utf-8")
    recorded = responsibility.recorded(paths.ROOT / "releases" / version / "release.json")
    assert "{{" not in page
    from test_build_end_to_end import expected_label

    if expected_label(layout).startswith("Draft"):  # no record covers a draft, whatever its named version has
        assert "This is a draft, not a release" in page and page.count("<em>not recorded</em>") == 5
    elif recorded is None:
        assert f"No record of responsibility and assurance is kept for version {version}" in page
        assert page.count("<em>not recorded</em>") == 5
    else:
        import html

        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        for value in [recorded.get(role) for role in responsibility.ROLES] + [c["result"] for c in recorded["assurance"]]:
            assert (value or "not recorded") in text
