"""A build's kernels take the tables the build checked, and nothing else: only tables whose file bytes they read,
and only from a file written by the same code."""
import os
import pickle
import subprocess
import sys

import pytest

from appraisal import paths
from appraisal.inputs import loading, tables
from appraisal.inputs.errors import InputError
from appraisal.inputs.schemas import schemas


def test_the_list_of_tables_is_the_list_of_schemas():
    assert list(tables.TABLES) == list(schemas())


@pytest.fixture
def fresh_process_stores(monkeypatch):
    """This process as a kernel sees it: nothing checked yet, nothing taken."""
    monkeypatch.setattr(tables, "_CHECKED", {})
    monkeypatch.setattr(tables, "_SOUND_EVIDENCE", set())
    monkeypatch.setattr(tables, "_TAKEN", set())


def test_a_kernel_reads_the_checked_tables_without_the_schema_library(tmp_path):
    loading.load()
    store = tmp_path / "checked.pickle"
    tables.save_checked(store)
    code = ("import sys; from appraisal.inputs.loading import load; t = load().tables; "
            "print('pandera' in sys.modules, sorted(t) == sorted(%r))" % (list(tables.TABLES),))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.ROOT,
                          env={**os.environ, tables.CHECKED_FILE: str(store)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


def test_a_changed_file_is_checked_again_though_the_store_holds_its_old_bytes(tmp_path, data_copy, monkeypatch):
    loading.load(data_dir=data_copy)
    store = tmp_path / "checked.pickle"
    tables.save_checked(store)
    path = data_copy / "councils.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("123867", "lots", 1), encoding="utf-8")
    monkeypatch.setattr(tables, "_CHECKED", {})
    monkeypatch.setattr(tables, "_TAKEN", set())
    monkeypatch.setenv(tables.CHECKED_FILE, str(store))
    with pytest.raises(InputError) as err:
        loading.load(data_dir=data_copy)
    assert any("data/councils.csv: row 2, column 'population'" in p for p in err.value.problems)


def test_a_store_written_by_other_code_is_not_taken(tmp_path, fresh_process_stores, monkeypatch):
    data = (paths.DATA / "councils.csv").read_bytes()
    raw = tables.parse_text_table("councils.csv", data)
    planted = raw.head(1)  # what a store from other code might hold under the real file's key
    key = next(k for k in _keys_of_a_load() if k[0] == "councils.csv")
    store = tmp_path / "checked.pickle"
    store.write_bytes(pickle.dumps({"code": b"other code", "checked": {key: planted}, "evidence": ()}))
    monkeypatch.setattr(tables, "_CHECKED", {})
    monkeypatch.setenv(tables.CHECKED_FILE, str(store))
    loaded = tables.load_all(paths.DATA)
    assert len(loaded["councils.csv"]) == len(raw) > 1


def test_an_unreadable_store_means_every_table_is_checked(tmp_path, fresh_process_stores, monkeypatch):
    store = tmp_path / "checked.pickle"
    store.write_bytes(b"not a pickle")
    monkeypatch.setenv(tables.CHECKED_FILE, str(store))
    assert set(tables.load_all(paths.DATA)) == set(tables.TABLES)


def test_saving_before_any_table_passed_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "_LAST", {})
    with pytest.raises(ValueError):
        tables.save_checked(tmp_path / "checked.pickle")


def _keys_of_a_load():
    tables.load_all(paths.DATA)
    return list(tables._LAST["checked"])


def test_a_build_checks_again_only_the_tables_whose_files_changed_since_its_last_build(tmp_path, data_copy,
                                                                                         monkeypatch):
    loading.load(data_dir=data_copy)
    store = tmp_path / "checked.pickle"
    tables.save_checked(store)
    path = data_copy / "timeline.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # new bytes, same rows
    monkeypatch.setattr(tables, "_CHECKED", {})
    checked = []
    real = tables.validate_table
    monkeypatch.setattr(tables, "validate_table", lambda name, *a: checked.append(name) or real(name, *a))
    tables.take_checked(store)
    tables.load_all(data_copy)
    assert checked == ["timeline.csv"]
