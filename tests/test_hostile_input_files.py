"""Inputs that are not readable files: a folder where a CSV or the parameters file should be, a broken
link, a pipe, an unreadable or oversized file, a data folder that is a file or missing. Each gives one
line through the command line's input-error path (exit code 2), never a traceback, and a build stops
before it writes anything: the last good site stays byte for byte as it was."""
import os
import pathlib

import pytest

from appraisal import cli, paths
from appraisal.inputs import files, loading, tables
from appraisal.inputs.errors import InputError
from appraisal.pipeline.folders import MARKER


def run(args, capsys):
    code = cli.main(args)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, [line.strip() for line in err.splitlines()[1:]]


def replace_with_folder(path):
    path.unlink()
    path.mkdir()
    (path / "inside.csv").write_text("a,b\n1,2\n")


def replace_with_broken_link(path):
    path.unlink()
    path.symlink_to(path.parent / "nowhere.csv")


def replace_with_pipe(path):
    path.unlink()
    os.mkfifo(path)


def replace_with_huge_file(path):
    with open(path, "r+b") as f:
        f.truncate(files.MAX_BYTES + 1)  # sparse: costs no disk


NOT_A_FILE = {
    "a folder": (replace_with_folder, "is a folder, not a file; expected a CSV file"),
    "a broken link": (replace_with_broken_link, "is a link to "),
    "a pipe": (replace_with_pipe, "is not a regular file (a pipe, socket or device); expected a CSV file"),
    "too large": (replace_with_huge_file, f"is {files.MAX_BYTES + 1:,} bytes; an input file may be at most"),
}


@pytest.mark.parametrize("table", ["councils.csv", "timeline.csv"])
@pytest.mark.parametrize("kind", sorted(NOT_A_FILE))
def test_a_data_table_that_is_not_a_readable_file_gives_one_line(kind, table, data_copy, capsys):
    make, expected = NOT_A_FILE[kind]
    make(data_copy / table)
    code, lines = run(["check", "--data", str(data_copy)], capsys)
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith(f"data/{table}: {expected}"), lines


def test_a_broken_link_names_where_it_points(data_copy, capsys):
    replace_with_broken_link(data_copy / "councils.csv")
    _, lines = run(["check", "--data", str(data_copy)], capsys)
    assert lines == [f"data/councils.csv: is a link to {data_copy / 'nowhere.csv'}, which does not exist; expected a CSV file"]


def test_an_unreadable_data_table_gives_one_line(data_copy, capsys, monkeypatch):
    # Permissions do not stop the superuser, so the refusal the operating system would give is simulated.
    real_open = open

    def refusing_open(path, *args, **kwargs):
        if pathlib.Path(path).name == "councils.csv":
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(files, "open", refusing_open, raising=False)
    code, lines = run(["check", "--data", str(data_copy)], capsys)
    assert code == 2
    assert lines == ["data/councils.csv: cannot be read (permission denied); check the file's permissions"]


def test_an_unreadable_table_is_reported_by_the_loader_too(data_copy, monkeypatch):
    real_read = pathlib.Path.read_bytes

    def refusing_read(self):
        if self.name == "timeline.csv":
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", refusing_read)
    with pytest.raises(InputError) as err:
        tables.load_all(data_copy)
    assert err.value.problems == ["data/timeline.csv: cannot be read (permission denied); check the file's permissions"]


@pytest.mark.skipif(os.geteuid() == 0, reason="the superuser can read any file")
def test_a_file_without_read_permission_gives_one_line(data_copy, capsys):
    (data_copy / "councils.csv").chmod(0)
    code, lines = run(["check", "--data", str(data_copy)], capsys)
    assert code == 2 and lines == ["data/councils.csv: cannot be read (permission denied); check the file's permissions"]


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_data_folder_that_is_a_file_or_missing_gives_one_line(command, tmp_path, capsys):
    a_file = tmp_path / "data.csv"
    a_file.write_text("a,b\n1,2\n")
    extra = ["--build-dir", str(tmp_path / "build")] if command == "build" else []
    code, lines = run([command, "--data", str(a_file)] + extra, capsys)
    assert code == 2 and lines == [f"--data {a_file}: is a file, not a folder; give the folder that holds the data files"]
    code, lines = run([command, "--data", str(tmp_path / "missing")] + extra, capsys)
    assert code == 2 and lines == [f"--data {tmp_path / 'missing'}: folder not found"]


def test_the_loader_refuses_a_missing_data_folder_in_one_line(tmp_path):
    with pytest.raises(InputError) as err:
        loading.load(data_dir=tmp_path / "missing")
    assert err.value.problems == [f"data folder {tmp_path / 'missing'}: folder not found"]


PARAMETERS_NOT_A_FILE = {
    "a folder": (lambda p: p.mkdir(), "is a folder, not a file; expected a YAML file"),
    "missing": (lambda p: None, "file not found"),
    "a broken link": (lambda p: p.symlink_to(p.parent / "nowhere.yaml"), "is a link to "),
    "a pipe": (lambda p: os.mkfifo(p), "is not a regular file (a pipe, socket or device); expected a YAML file"),
}


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize("kind", sorted(PARAMETERS_NOT_A_FILE))
def test_a_parameters_file_that_is_not_a_readable_file_gives_one_line(kind, command, tmp_path, capsys):
    make, expected = PARAMETERS_NOT_A_FILE[kind]
    path = tmp_path / "scenario.yaml"
    make(path)
    extra = ["--build-dir", str(tmp_path / "build")] if command == "build" else []
    code, lines = run([command, "--params", str(path)] + extra, capsys)
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith(f"--params {path}: {expected}"), lines
    assert not (tmp_path / "build").exists()


def test_the_loader_refuses_a_parameters_folder_in_one_line(tmp_path):
    with pytest.raises(InputError) as err:
        loading.load(tmp_path)
    assert err.value.problems == [f"{tmp_path}: is a folder, not a file; expected a YAML file"]


def test_a_parameters_file_that_is_not_utf8_gives_one_line(tmp_path, capsys):
    path = tmp_path / "scenario.yaml"
    path.write_bytes(paths.PARAMETERS.read_bytes().replace(b"discount rate", b"discount \xff rate", 1))
    code, lines = run(["check", "--params", str(path)], capsys)
    assert code == 2 and len(lines) == 1 and lines[0].startswith(f"{path}: not UTF-8 text (byte ")


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


BREAKAGES = {
    "an infinite amount": lambda data: _replace(data / "council_finance.csv", ",3233,", ",inf,"),
    "a folder for a table": lambda data: replace_with_folder(data / "councils.csv"),
}


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_rejected_input_leaves_the_last_site_byte_for_byte_unchanged(breakage, data_copy, tmp_path, capsys):
    site, build_dir = tmp_path / "site", tmp_path / "build"
    (site / "chapters").mkdir(parents=True)
    (site / MARKER).write_text("a site an earlier build made\n")
    (site / "index.html").write_text("<p>last good site</p>")
    (site / "chapters" / "marker.txt").write_bytes(b"marker \x00\xff")
    before = snapshot(site)
    BREAKAGES[breakage](data_copy)
    code, lines = run(["build", "--data", str(data_copy), "--site", str(site), "--build-dir", str(build_dir)], capsys)
    assert code == 2 and len(lines) == 1
    assert snapshot(site) == before
    assert not build_dir.exists() or not any(build_dir.rglob("*.html"))


def test_a_data_folder_that_cannot_be_listed_gives_one_line(data_copy, capsys, monkeypatch):
    real_iterdir = pathlib.Path.iterdir

    def refusing_iterdir(self):
        if self == data_copy:
            raise PermissionError(13, "Permission denied")
        return real_iterdir(self)

    monkeypatch.setattr(pathlib.Path, "iterdir", refusing_iterdir)
    code, lines = run(["check", "--data", str(data_copy)], capsys)
    assert code == 2 and lines == [f"--data {data_copy}: the folder cannot be read (Permission denied)"]
