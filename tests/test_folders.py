"""A build never writes into or replaces a folder that is not the project's, never reads a data file through
a symbolic link without being told to, and answers every mistake on the command line with one line and
exit code 2, never a traceback.

The command line is run with the build itself replaced by a stand-in that records where it would write,
so these tests build nothing, except the one marked slow."""
import subprocess
from pathlib import Path

import pytest

from appraisal import cli, paths
from appraisal.inputs.errors import InputError
from appraisal.pipeline import build as build_module
from appraisal.pipeline import folders, site
from appraisal.pipeline.build import Layout
from appraisal.pipeline.folders import MARKER, FolderRefused
from conftest import quiet

GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]


@pytest.fixture
def builds(monkeypatch):
    """Run the command line without building: each build it would start is recorded here instead."""
    started = []

    def fake_build(layout, params_path=None, overrides=None, jobs=2, **kwargs):
        started.append(dict(build_dir=layout.build_dir, site=layout.site_dir, jobs=jobs, **kwargs))

    monkeypatch.setattr(build_module, "build", fake_build)
    monkeypatch.setattr("appraisal.pipeline.quick.unchanged", lambda *a: False)
    monkeypatch.setattr("appraisal.pipeline.quick.remember", lambda *a: None)
    return started


def stderr_lines(capsys) -> list[str]:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.splitlines()


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def repo_with_docs(tmp_path) -> Path:
    """A git repository whose docs/ holds a tracked page (and an untracked note)."""
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "guide.md").write_text("# Guide\n")
    subprocess.run([*GIT, "init", "-q"], cwd=root, check=True)
    subprocess.run([*GIT, "add", "."], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "docs"], cwd=root, check=True)
    (root / "docs" / "notes.txt").write_text("not committed\n")
    return root


# --site and --build-dir


def test_a_site_folder_holding_tracked_files_is_refused_and_left_as_it_was(repo_with_docs, tmp_path, builds, capsys):
    docs = repo_with_docs / "docs"
    before = snapshot(docs)
    (docs / MARKER).write_text("even with the marker\n")  # tracked files are never replaced
    code = cli.main(["build", "--build-dir", str(tmp_path / "build"), "--site", str(docs)])
    lines = stderr_lines(capsys)
    assert code == 2 and builds == []
    assert lines == [f"Stopped: --site {docs}: holds files that git tracks (guide.md), which the build would "
                     "overwrite or delete; give a new or empty folder. Nothing was built; the last site is unchanged."]
    (docs / MARKER).unlink()
    assert snapshot(docs) == before


def test_a_site_folder_the_project_did_not_make_is_refused(tmp_path, builds, capsys):
    other = tmp_path / "www"
    other.mkdir()
    (other / "index.html").write_text("<p>someone else's page</p>")
    code = cli.main(["build", "--build-dir", str(tmp_path / "build"), "--site", str(other)])
    lines = stderr_lines(capsys)
    assert code == 2 and builds == [] and len(lines) == 1
    assert f"--site {other}: already holds files that this project did not make" in lines[0]


def test_a_folder_in_the_way_beside_the_site_is_refused(tmp_path, builds, capsys):
    (tmp_path / "www.old").mkdir()
    (tmp_path / "www.old" / "keep.txt").write_text("an old copy someone kept\n")
    code = cli.main(["build", "--build-dir", str(tmp_path / "build"), "--site", str(tmp_path / "www")])
    lines = stderr_lines(capsys)
    assert code == 2 and builds == [] and len(lines) == 1
    assert f"{tmp_path / 'www.old'}: is in the way" in lines[0]


def forbidden_folders() -> dict[str, Path]:
    return {"the root of the file system": Path("/"), "your home folder": Path.home(),
            "the project's own folder": paths.ROOT, "a folder that holds the project": paths.ROOT.parent}


@pytest.mark.parametrize("option", ["--build-dir", "--site"])
@pytest.mark.parametrize("what", sorted(forbidden_folders()))
def test_the_root_the_home_folder_and_the_project_are_refused(option, what, tmp_path, builds, capsys):
    folder = forbidden_folders()[what]
    args = ["build", option, str(folder)] + (["--build-dir", str(tmp_path / "build")] if option == "--site" else [])
    code = cli.main(args)
    lines = stderr_lines(capsys)
    assert code == 2 and builds == [] and len(lines) == 1
    assert lines[0].startswith(f"Stopped: {option} {folder.resolve()}: ")


def test_a_folder_made_by_the_project_is_used_again(tmp_path, builds):
    build_dir, www = tmp_path / "build", tmp_path / "www"
    for folder in (build_dir, www):
        folders.claim(folder)
        (folder / "page.html").write_text("made by a build\n")
    assert cli.main(["build", "--build-dir", str(build_dir), "--site", str(www)]) == 0
    assert builds[0]["build_dir"] == build_dir and builds[0]["site"] == www


def test_a_build_folder_from_an_older_build_and_its_site_inside_it_are_taken_on(tmp_path, builds):
    build_dir = tmp_path / "old-build"  # made before the marker existed: no marker anywhere
    (build_dir / "html" / "chapters").mkdir(parents=True)
    (build_dir / "state.json").write_text("{}")
    (build_dir / "build.lock").write_text("")
    (build_dir / "html" / "index.html").write_text("<p>the last good site</p>")
    (build_dir / "html.old").mkdir()  # left by a build stopped while it published
    assert cli.main(["build", "--build-dir", str(build_dir)]) == 0
    assert builds[0]["site"] == build_dir / "html"


def test_the_default_build_folder_and_site_are_accepted():
    folders.check(paths.BUILD, paths.SITE, [paths.ROOT])  # raises if refused


def test_the_build_refuses_a_foreign_site_before_it_reads_or_writes_anything(tmp_path):
    other = tmp_path / "www"
    other.mkdir()
    (other / "index.html").write_text("<p>someone else's page</p>")
    layout = Layout(data_dir=tmp_path / "no-data", build_dir=tmp_path / "build", site_dir=other)
    with pytest.raises(FolderRefused, match="did not make"):
        build_module.build(layout, log=quiet)
    assert not (tmp_path / "build").exists()


def test_a_published_site_carries_the_marker_and_may_be_replaced_by_the_next_build(tmp_path):
    html = tmp_path / "sphinx" / "html"
    html.mkdir(parents=True)
    (html / "index.html").write_text("<p>new</p>")
    www, build_dir = tmp_path / "www", tmp_path / "build"
    site.publish(html, www)
    assert (www / MARKER).is_file() and (www / "index.html").read_text() == "<p>new</p>"
    assert folders.site_problem(www, build_dir, [paths.ROOT]) is None


@pytest.mark.parametrize("site_is", ["the build folder", "a folder that holds it"])
def test_the_site_may_not_be_the_build_folder_or_hold_it(site_is, tmp_path, builds, capsys):
    build_dir = tmp_path / "all" / "build"
    www = build_dir if site_is == "the build folder" else build_dir.parent
    code = cli.main(["build", "--build-dir", str(build_dir), "--site", str(www)])
    lines = stderr_lines(capsys)
    assert code == 2 and builds == [] and len(lines) == 1
    assert f"--site {www}: is the build folder or holds it, and replacing the site would delete it" in lines[0]


# Data files that are symbolic links


@pytest.fixture
def linked(data_copy, tmp_path) -> tuple[Path, Path]:
    """data/councils.csv replaced by a link to a copy elsewhere."""
    elsewhere = tmp_path / "elsewhere" / "councils.csv"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes((data_copy / "councils.csv").read_bytes())
    (data_copy / "councils.csv").unlink()
    (data_copy / "councils.csv").symlink_to(elsewhere)
    return data_copy, elsewhere


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_data_file_that_is_a_link_is_refused_with_one_line_naming_it(command, linked, tmp_path, builds, capsys):
    data_dir, elsewhere = linked
    extra = ["--build-dir", str(tmp_path / "build")] if command == "build" else []
    code = cli.main([command, "--data", str(data_dir)] + extra)
    lines = stderr_lines(capsys)
    assert code == 2 and builds == []
    assert [line.strip() for line in lines[1:]] == [
        f"data/councils.csv: is a symbolic link to {elsewhere}; a data file must be a regular file inside the data "
        "folder: copy the file in, or build with --allow-linked-data to read it from there"]


def test_with_the_flag_a_linked_data_file_is_read_and_where_it_leads_is_said(linked, capsys):
    data_dir, elsewhere = linked
    assert cli.main(["check", "--data", str(data_dir), "--allow-linked-data"]) == 0
    assert f"data/councils.csv is a symbolic link: read from {elsewhere}" in capsys.readouterr().out


def test_the_build_refuses_a_linked_data_file_or_logs_where_it_leads(linked, tmp_path):
    data_dir, elsewhere = linked
    layout = Layout(data_dir=data_dir, build_dir=tmp_path / "build", site_dir=tmp_path / "build" / "html")
    with pytest.raises(InputError) as err:
        build_module._linked_data(layout, False, quiet)
    assert err.value.problems[0].startswith(f"data/councils.csv: is a symbolic link to {elsewhere}; ")
    said = []
    build_module._linked_data(layout, True, said.append)
    assert said == [f"    data/councils.csv is a symbolic link: read from {elsewhere}"]
    log = (layout.build_dir / "logs" / build_module.LINKED_DATA_LOG).read_text()
    assert f"data/councils.csv is a symbolic link: read from {elsewhere}" in log


def test_the_flag_reaches_the_build(linked, tmp_path, builds):
    data_dir, _ = linked
    assert cli.main(["build", "--data", str(data_dir), "--build-dir", str(tmp_path / "b"), "--allow-linked-data"]) == 0
    assert builds[0]["allow_linked_data"] is True


# Every mistake on the command line: one line on stderr, exit code 2


def command_mistakes(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    """Each mistake: the command, and what its one line must say."""
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder\n")
    build = ["build", "--build-dir", str(tmp_path / "build")]
    return {
        "the build folder is a file": (["build", "--build-dir", str(a_file)], f"--build-dir {a_file}: is a file"),
        "the build folder's parent is a file": (["build", "--build-dir", str(a_file / "inside")],
                                                f"because {a_file} is a file"),
        "the site is a file": (build + ["--site", str(a_file)], f"--site {a_file}: is a file"),
        "the dist build folder is a file": (["dist", "--build-dir", str(a_file)], f"--build-dir {a_file}: is a file"),
        "no notebook at a time": (build + ["--jobs", "0"], "--jobs: '0' is not a number of notebooks"),
        "a negative number of notebooks": (build + ["--jobs", "-2"], "--jobs: '-2' is not a number of notebooks"),
        "jobs that are not a number": (build + ["--jobs", "two"], "--jobs: 'two' is not a number of notebooks"),
        "an unknown option": (build + ["--colour", "blue"], "unrecognized arguments: --colour blue"),
        "a release without its version": (["release"], "appraisal release: the following arguments are required"),
        "no command": ([], "appraisal: the following arguments are required"),
    }


MISTAKES = ["the build folder is a file", "the build folder's parent is a file", "the site is a file",
            "the dist build folder is a file", "no notebook at a time", "a negative number of notebooks",
            "jobs that are not a number", "an unknown option", "a release without its version", "no command"]


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_command_line_mistake_is_one_line_and_exit_code_2(mistake, tmp_path, builds, capsys):
    assert sorted(command_mistakes(tmp_path)) == sorted(MISTAKES)
    args, said = command_mistakes(tmp_path)[mistake]
    code = cli.main(args)
    lines = stderr_lines(capsys)
    assert code == 2 and builds == []
    assert len(lines) == 1 and said in lines[0], lines
    assert not (tmp_path / "build").exists()


def test_a_parameters_file_that_does_not_exist_is_one_problem_naming_it(tmp_path, builds, capsys):
    missing = tmp_path / "my_scenario.yaml"
    code = cli.main(["build", "--params", str(missing), "--build-dir", str(tmp_path / "build")])
    lines = stderr_lines(capsys)
    assert code == 2 and builds == []
    assert [line.strip() for line in lines[1:]] == [f"--params {missing}: file not found"]


@pytest.mark.slow
def test_a_site_outside_the_build_folder_carries_the_marker_and_the_next_build_replaces_it(own_copy, tmp_path):
    www = tmp_path / "www"
    args = ["build", "--build-dir", str(own_copy.build_dir), "--site", str(www)]
    assert cli.main(args) == 0
    assert (www / MARKER).is_file() and (www / "chapters" / "context.html").is_file()
    (www / "index.html").unlink()  # so that the next build publishes the site again
    assert cli.main(args) == 0
    assert (www / MARKER).is_file() and (www / "index.html").is_file()
    assert not (tmp_path / "www.next").exists() and not (tmp_path / "www.old").exists()


def test_the_site_archive_leaves_out_the_marker(tmp_path):
    import tarfile

    from appraisal.publication import archive

    www = tmp_path / "www"
    folders.claim(www)
    (www / "index.html").write_text("<p>site</p>")
    target = archive.folder_tar_gz(www, tmp_path / "site.tar.gz", "site", 0, leave_out=(MARKER,))
    with tarfile.open(target) as tar:
        assert tar.getnames() == ["site", "site/index.html"]
