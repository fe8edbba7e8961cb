"""Invisible characters and look-alike letters. Text is checked by Unicode category, not against a list:
control and format characters, line and paragraph separators, private-use and unassigned code points and
surrogates are refused in every text cell and setting, named with their code point. A code (an ONS code,
an id, a source id, a partnership code) may hold ASCII only, and a refused code names the character that
is not ASCII: a Cyrillic "Е" looks exactly like a Latin "E", so a message that only quoted the code would
show one that looks valid."""
import csv
import sys
import unicodedata

import pytest

from appraisal import cli, paths
from appraisal.inputs import parameters, tables
from appraisal.inputs.characters import REFUSED_CATEGORIES, hidden_character
from appraisal.inputs.errors import InputError
from appraisal.inputs.schemas import code_columns, schemas
from conftest import copy_with_cell

SCHEMAS = schemas()
INVISIBLE = {
    "\u200e": "U+200E LEFT-TO-RIGHT MARK",
    "\u200f": "U+200F RIGHT-TO-LEFT MARK",
    "\u061c": "U+061C ARABIC LETTER MARK",
    "\u2066": "U+2066 LEFT-TO-RIGHT ISOLATE",
    "\ufeff": "U+FEFF ZERO WIDTH NO-BREAK SPACE",
    "\u200b": "U+200B ZERO WIDTH SPACE",
    "\u00ad": "U+00AD SOFT HYPHEN",
    "\ue000": "U+E000 private-use character",
    "\U000e0001": "U+E0001 LANGUAGE TAG",
}
CYRILLIC_E = "\u0415"  # looks exactly like the Latin capital E
CYRILLIC_E_NAMED = "U+0415 CYRILLIC CAPITAL LETTER IE, character 1, which is not ASCII"


def with_cell(tmp_path, name, column, value, row=2):
    return copy_with_cell(tmp_path, name, column, value, row)


def cell_problems(tmp_path, name, column, value, row=2):
    path = with_cell(tmp_path, name, column, value, row)
    with pytest.raises(InputError) as err:
        tables.validate_table(name, tables.read_text_table(path), SCHEMAS[name])
    return [p for p in err.value.problems if p.startswith(f"data/{name}: row {row}, column '{column}': ")]


@pytest.mark.parametrize("char", sorted(INVISIBLE))
def test_an_invisible_character_inside_a_cell_is_refused_with_its_code_point(char, tmp_path):
    found = cell_problems(tmp_path, "councils.csv", "name", f"Cambridge{char} City Council")
    assert found == [f"data/councils.csv: row 2, column 'name': value {('Cambridge' + char + ' City Council')!r} "
                     f"contains the character {INVISIBLE[char]}; text may hold no control or invisible characters "
                     "(no NUL, tab or line break)"]
    assert char not in found[0]  # the character itself is shown escaped, so that it can be seen


@pytest.mark.parametrize("char", sorted(INVISIBLE))
def test_an_invisible_character_in_a_parameter_text_is_refused_with_its_code_point(char):
    with pytest.raises(InputError) as err:
        parameters.load(overrides={"parameters.discount_rate.label": f'"discount{char} rate"'})
    assert len(err.value.problems) == 1
    assert err.value.problems[0].startswith("data/parameters.yaml: parameters.discount_rate.label: value ")
    assert f"contains the character {INVISIBLE[char]};" in err.value.problems[0]


def test_every_refused_category_is_refused_and_no_other():
    """One pass over every code point (surrogates included): refused exactly when its category is."""
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        assert (hidden_character(f"a{ch}b") is not None) == (unicodedata.category(ch) in REFUSED_CATEGORIES), hex(code)
    assert set(REFUSED_CATEGORIES) == {"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"}


def test_an_unassigned_code_point_is_named_as_such():
    assert hidden_character("a\U000e0080b") == "U+E0080 unassigned character"


def test_a_cyrillic_letter_in_a_partnership_code_is_named():
    with pytest.raises(InputError) as err:
        parameters.load(overrides={"partnership": f"[{CYRILLIC_E}07000008, E07000011, E07000012]"})
    assert err.value.problems == [
        f"data/parameters.yaml: partnership, item 1: value '{CYRILLIC_E}07000008': contains the character "
        f"{CYRILLIC_E_NAMED}; a code may hold only ASCII letters, digits and punctuation (a letter from another "
        "alphabet can look exactly like a Latin one)"]


def test_a_cyrillic_letter_in_an_ons_code_is_named_once(tmp_path):
    found = cell_problems(tmp_path, "councils.csv", "ons_code", f"{CYRILLIC_E}07000008")
    assert found == [f"data/councils.csv: row 2, column 'ons_code': value '{CYRILLIC_E}07000008' contains the "
                     f"character {CYRILLIC_E_NAMED}; a code may hold only ASCII letters, digits and punctuation (a "
                     "letter from another alphabet can look exactly like a Latin one)"]


def test_the_command_names_the_character_of_a_look_alike_code(data_copy, capsys):
    path = data_copy / "councils.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("E07000011,", f"{CYRILLIC_E}07000011,", 1), encoding="utf-8")
    assert cli.main(["check", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert (f"data/councils.csv: row 3, column 'ons_code': value '{CYRILLIC_E}07000011' contains the character "
            f"{CYRILLIC_E_NAMED}") in err and "Traceback" not in err


CODES = [(name, column) for name, schema in SCHEMAS.items() for column in code_columns(schema)]


def test_every_id_and_code_column_is_declared_a_code():
    declared = set(CODES)
    for name, schema in SCHEMAS.items():
        for column in schema.columns:
            if column.endswith("_id") or column in ("ons_code", "key", "milestone", "cases", "parameter"):
                assert (name, column) in declared, f"{name}: {column}"


@pytest.mark.parametrize("name,column", CODES)
def test_every_code_column_refuses_a_letter_from_another_alphabet(name, column, tmp_path):
    with open(paths.DATA / name, encoding="utf-8-sig", newline="") as f:
        real = next(r for r in csv.DictReader(f) if r[column])[column]  # a real code, with its first letter swapped
    row = next(n for n, r in enumerate(csv.DictReader(open(paths.DATA / name, encoding="utf-8-sig")), start=2) if r[column] == real)
    looks_alike = "\u0430" + real[1:]  # CYRILLIC SMALL LETTER A
    found = cell_problems(tmp_path, name, column, looks_alike, row)
    assert found == [f"data/{name}: row {row}, column '{column}': value {looks_alike!r} contains the character "
                     "U+0430 CYRILLIC SMALL LETTER A, character 1, which is not ASCII; a code may hold only ASCII "
                     "letters, digits and punctuation (a letter from another alphabet can look exactly like a Latin one)"]


@pytest.mark.parametrize("setting", ["appraisal_years_source", "parameters.discount_rate.source_id"])
def test_a_source_id_in_the_parameters_file_is_a_code(setting):
    with pytest.raises(InputError) as err:
        parameters.load(overrides={setting: "hmt2022gr\u0435enbook"})
    assert err.value.problems == [f"data/parameters.yaml: {setting}: value 'hmt2022gr\u0435enbook': contains the "
                                  "character U+0435 CYRILLIC SMALL LETTER IE, character 10, which is not ASCII; a code "
                                  "may hold only ASCII letters, digits and punctuation (a letter from another alphabet "
                                  "can look exactly like a Latin one)"]


def test_a_service_that_matches_nothing_names_a_letter_from_another_alphabet():
    with pytest.raises(InputError) as err:
        parameters.load(overrides={"services_in_scope": "[\u0406CT, Legal]"}, services={"ICT", "Legal"})
    assert err.value.problems == ["data/parameters.yaml: services_in_scope: value '\u0406CT' is not a service in "
                                  "data/baseline_costs.csv (it contains the character U+0406 CYRILLIC CAPITAL LETTER "
                                  "BYELORUSSIAN-UKRAINIAN I, character 1, which is not ASCII)"]


def test_ordinary_text_in_other_alphabets_is_still_text(tmp_path):
    for text in ("Ελλάδα", "Cymraeg: Cyngor Sir Caerdydd", "naïve café – “quoted”", "日本語", "١٢٣"):
        assert hidden_character(text) is None
    path = with_cell(tmp_path, "councils.csv", "name", "Cyngor Sir Ynys Môn – “Anglesey”")
    tables.validate_table("councils.csv", tables.read_text_table(path), SCHEMAS["councils.csv"])
