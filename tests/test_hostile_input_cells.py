"""Hostile cells, generated from the declared schemas so that a new column is covered without a new test:
every numeric column refuses infinity, NaN, a number too large to hold and values outside its declared
range; every date column refuses dates that do not exist; every text column refuses a NUL byte. Each
problem is one line naming file, row (header is row 1), column and rule."""
import csv
import math

import pytest

from appraisal import paths
from appraisal.inputs import tables
from appraisal.inputs.characters import hidden_character
from appraisal.inputs.errors import InputError
from appraisal.inputs.schemas import columns_of_kind, schemas
from conftest import copy_with_cell

SCHEMAS = schemas()


def cases(*kinds):
    return [(name, column) for name, schema in SCHEMAS.items() for column in columns_of_kind(schema, *kinds)]


def with_cell(tmp_path, name, column, value, row=2):
    """A copy of the real table with one cell (spreadsheet row `row`) replaced, read and checked."""
    path = copy_with_cell(tmp_path, name, column, value, row)
    return tables.validate_table(name, tables.read_text_table(path), SCHEMAS[name])


def problems_with_cell(tmp_path, name, column, value, row=2):
    """The problems reported about that cell (other cells of a real table may have their own, unrelated
    ones while it is being edited); every problem names the file."""
    with pytest.raises(InputError) as err:
        with_cell(tmp_path, name, column, value, row)
    assert all(p.startswith(f"data/{name}: ") for p in err.value.problems), err.value.problems
    return [p for p in err.value.problems if p.startswith(f"data/{name}: row {row}, column '{column}': ")]


def out_of_range(name, column):
    """Values just outside a column's declared range, at both ends, as written in a file."""
    meta = SCHEMAS[name].columns[column].metadata
    lo, hi = meta["range"]
    if meta["kind"] == "whole":
        return [str(lo if meta["above_lo"] else lo - 1), str(hi + 1)]
    step = (hi - lo) / 10
    return [repr(float(lo if meta["above_lo"] else lo - step)), repr(float(hi + step))]


def test_the_schemas_declare_numeric_date_and_text_columns():
    assert len(cases("number", "whole")) >= 10 and len(cases("date")) >= 3 and len(cases("text")) >= 40


def test_every_column_has_a_kind_and_every_numeric_column_a_finite_range():
    for name, schema in SCHEMAS.items():
        for column, col in schema.columns.items():
            meta = col.metadata or {}
            assert meta.get("kind") in ("number", "whole", "date", "text"), f"{name}: {column} declares no kind"
            numeric = str(col.dtype) in ("float64", "Int64")
            assert numeric == (meta["kind"] in ("number", "whole")), f"{name}: {column}"
            if numeric:
                lo, hi = meta["range"]
                assert math.isfinite(lo) and math.isfinite(hi) and lo < hi, f"{name}: {column}"


@pytest.mark.parametrize("name,column", cases("number", "whole"))
def test_every_real_value_lies_inside_its_declared_range(name, column):
    lo, hi = SCHEMAS[name].columns[column].metadata["range"]
    values = tables.read_text_table(paths.DATA / name)[column].dropna().astype(float)
    assert values.between(lo, hi).all(), values[~values.between(lo, hi)]


@pytest.mark.parametrize("value", ["inf", "-inf", "Infinity", "nan", "NaN", "1e400", "-1e400"])
@pytest.mark.parametrize("name,column", cases("number", "whole"))
def test_every_numeric_column_refuses_non_finite_values(name, column, value, tmp_path):
    found = problems_with_cell(tmp_path, name, column, value)
    assert len(found) == 1 and found[0].startswith(f"data/{name}: row 2, column '{column}': value '{value}' is not a")
    whole = SCHEMAS[name].columns[column].metadata["kind"] == "whole"
    assert "is not a finite number" in found[0] or (whole and "is not a whole number" in found[0]), found


@pytest.mark.parametrize("name,column", cases("number", "whole"))
def test_every_numeric_column_refuses_values_outside_its_range(name, column, tmp_path):
    for text in out_of_range(name, column):
        found = problems_with_cell(tmp_path, name, column, text)
        assert len(found) == 1 and found[0].startswith(f"data/{name}: row 2, column '{column}': value '{text}' must be"), found


@pytest.mark.parametrize("name,column", cases("whole"))
def test_every_whole_number_column_refuses_fractions_and_huge_numbers(name, column, tmp_path):
    for value in ("2.5", "1e3", str(2 ** 70)):
        found = problems_with_cell(tmp_path, name, column, value)
        assert len(found) == 1 and f"row 2, column '{column}': value '{value}' is not a" in found[0], found


@pytest.mark.parametrize("value", ["2015-02-30", "2015-02-29", "2014-04-31", "2014-13-01", "2014-00-10", "2014-01-00"])
@pytest.mark.parametrize("name,column", cases("date"))
def test_every_date_column_refuses_dates_that_do_not_exist(name, column, value, tmp_path):
    found = problems_with_cell(tmp_path, name, column, value)
    assert found == [f"data/{name}: row 2, column '{column}': value '{value}' is not a date in the calendar"
                     " (check the day and month); write a real date as YYYY-MM-DD"]


@pytest.mark.parametrize("name,column", cases("date"))
def test_a_leap_day_is_a_date(name, column, tmp_path):
    assert with_cell(tmp_path, name, column, "2016-02-29")[column].iloc[0] == "2016-02-29"


@pytest.mark.parametrize("name,column", cases("text", "date"))
def test_every_text_column_refuses_a_nul_byte(name, column, tmp_path):
    found = problems_with_cell(tmp_path, name, column, "abc\x00def")
    assert found == [f"data/{name}: row 2, column '{column}': value 'abc\\x00def' contains the character U+0000 NUL;"
                     " text may hold no control or invisible characters (no NUL, tab or line break)"]


@pytest.mark.parametrize("char,named", [("\x01", "U+0001"), ("\t", "U+0009 tab"), ("\n", "U+000A line feed"),
                                        ("\r", "U+000D carriage return"), ("\x1b", "U+001B"), ("\x7f", "U+007F DEL"),
                                        ("\x85", "U+0085"), ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
                                        ("\u2028", "U+2028 LINE SEPARATOR"), ("\ufeff", "U+FEFF")])
def test_control_and_invisible_characters_are_refused_even_inside_quotes(char, named, tmp_path):
    found = problems_with_cell(tmp_path, "timeline.csv", "event", f"Cabinet{char}meets", row=3)
    assert len(found) == 1 and found[0].startswith("data/timeline.csv: row 3, column 'event': value ")
    assert f"contains the character {named}" in found[0]


def test_a_line_break_inside_quotes_suggests_an_unclosed_quote(tmp_path):
    found = problems_with_cell(tmp_path, "timeline.csv", "event", "first line\nsecond line")
    assert "(an unclosed quote?)" in found[0]


def test_ordinary_text_is_not_refused():
    for text in ("£6.1 million", "Children's services", "naïve café – “quoted”", "日本語", "a, b; c", "Ελλάδα", "١٢٣"):
        assert hidden_character(text) is None


@pytest.mark.parametrize("text", ["0", "-2.45", "+3", "1e3", "1.5E-2", ".5", "5.", "18249.596"])
def test_plain_decimal_numbers_are_numbers(text):
    assert tables.number_problem(text) is None


@pytest.mark.parametrize("text", ["£6,100,000", "6,100,000", "15%", "n/a", "1_000", "0x10", "١٢", "1 000", "--1"])
def test_anything_else_is_not_a_number(text):
    assert tables.number_problem(text) == "is not a number (write digits only: no £, commas, % or words)"


def test_a_nul_byte_in_the_header_is_refused(tmp_path):
    text = (paths.DATA / "councils.csv").read_text(encoding="utf-8")
    (tmp_path / "councils.csv").write_text(text.replace("short_name", "short\x00name", 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        tables.read_text_table(tmp_path / "councils.csv")
    assert err.value.problems[0].startswith("data/councils.csv: header: value 'short\\x00name' contains the character U+0000 NUL")


def test_a_column_named_twice_is_refused(tmp_path):
    text = (paths.DATA / "councils.csv").read_text(encoding="utf-8")
    (tmp_path / "councils.csv").write_text(text.replace("short_name", "name", 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        tables.read_text_table(tmp_path / "councils.csv")
    assert err.value.problems == ["data/councils.csv: header: column 'name' appears more than once;"
                                  " each column name must be unique"]


def test_rows_are_counted_as_in_a_spreadsheet_even_after_a_blank_line(tmp_path):
    lines = (paths.DATA / "councils.csv").read_text(encoding="utf-8").splitlines()
    lines.insert(2, "")  # a blank spreadsheet row 3; the third council moves to row 5
    lines[4] = lines[4].replace("148755", "lots")
    (tmp_path / "councils.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        tables.validate_table("councils.csv", tables.read_text_table(tmp_path / "councils.csv"), SCHEMAS["councils.csv"])
    assert err.value.problems[0].startswith("data/councils.csv: row 5, column 'population': value 'lots' is not a whole number")


def test_a_checked_table_is_numbered_from_zero_after_a_blank_line(tmp_path):
    lines = (paths.DATA / "councils.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "councils.csv").write_text("\n".join(lines[:2] + [""] + lines[2:]) + "\n", encoding="utf-8")
    raw = tables.read_text_table(tmp_path / "councils.csv")
    assert list(tables.validate_table("councils.csv", raw, SCHEMAS["councils.csv"]).index) == [0, 1, 2]


def test_one_line_per_cell_even_when_a_value_breaks_several_rules(tmp_path):
    with pytest.raises(InputError) as err:
        with_cell(tmp_path, "councils.csv", "population", "-inf")
    assert err.value.problems == ["data/councils.csv: row 2, column 'population': value '-inf' is not a finite number;"
                                  " infinity and NaN are not values (leave the cell blank if it may be)"]


def test_a_file_saved_by_a_spreadsheet_with_windows_line_endings_and_a_byte_order_mark_is_read(tmp_path):
    text = (paths.DATA / "councils.csv").read_text(encoding="utf-8")
    (tmp_path / "councils.csv").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    raw = tables.read_text_table(tmp_path / "councils.csv")
    assert list(raw.columns)[0] == "ons_code" and not raw.map(lambda v: "\r" in str(v)).any().any()
    tables.validate_table("councils.csv", raw, SCHEMAS["councils.csv"])


def test_a_byte_order_mark_inside_the_file_is_refused(tmp_path):
    text = (paths.DATA / "councils.csv").read_text(encoding="utf-8")
    (tmp_path / "councils.csv").write_text(text.replace("Cambridge City", "\ufeffCambridge City", 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        tables.read_text_table(tmp_path / "councils.csv")
    assert err.value.problems[0].startswith("data/councils.csv: row 2, column 'name': value '\\ufeffCambridge City")
    assert "contains the character U+FEFF" in err.value.problems[0]
