"""Downloads are safe to open in a spreadsheet: no cell of any CSV the site offers (figure and table data,
the figures register, and so the zip of them all) starts a formula, neither in the data nor in the
title and source lines above it; numbers, negative ones included, are left as numbers."""
import csv
import io
import json
import zipfile

import pandas as pd
import pytest

from appraisal.publication import register
from appraisal.publication.figures import Numbering
from appraisal.publication.spreadsheet_safe import FORMULA_START, safe_comment_line, spreadsheet_safe

HOSTILE = ["=1+1", "+cmd", "@x", "-2+3", "=HYPERLINK(\"http://example.com\",\"click\")", "\t=1", "\r=1",
           " =1+1", "＝1+1", "-"]


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def runs_in_a_spreadsheet(cell: str) -> bool:
    """What a spreadsheet (trimming spaces, as some do on import) would start as a formula."""
    start = cell.lstrip()
    try:
        float(start)
        return False
    except ValueError:
        return start.startswith(FORMULA_START)


def frame():
    return pd.DataFrame({"Label": HOSTILE, "Value": [-2.5] * len(HOSTILE),
                         "Count": list(range(-len(HOSTILE), 0)), "Shown": ["-2.5"] * len(HOSTILE)})


def sources():
    return pd.DataFrame({"source_id": ["evil"], "publisher": ["Evil Ltd, =1+1, \"=2+2\", @SUM(A1)"],
                         "published": ["2014"], "title": ["=HYPERLINK(\"x\")"]})


def test_formula_text_is_neutralised_and_numbers_are_not():
    safe = spreadsheet_safe(pd.DataFrame({"text": ["=1+1", "+cmd", "@x", "-2+3", "plain"], "number": [-2.5, 1, 2, 3, 4]}))
    assert list(safe["text"]) == ["'=1+1", "'+cmd", "'@x", "'-2+3", "plain"]
    assert list(safe["number"]) == [-2.5, 1, 2, 3, 4] and safe["number"].dtype == float


def test_a_text_cell_that_is_a_plain_number_is_left_alone():
    safe = spreadsheet_safe(pd.DataFrame({"text": ["-2.5", "+3", "-1e3", "-2.5.1", "--2"]}))
    assert list(safe["text"]) == ["-2.5", "+3", "-1e3", "'-2.5.1", "'--2"]


def test_blank_cells_column_names_and_the_original_are_kept():
    df = pd.DataFrame({"=name": ["=x", None], "ok": [True, False]})
    safe = spreadsheet_safe(df)
    assert list(safe.columns) == ["'=name", "ok"]
    assert safe["'=name"].iloc[0] == "'=x" and pd.isna(safe["'=name"].iloc[1])
    assert list(safe["ok"]) == [True, False]
    assert df["=name"].iloc[0] == "=x"  # a copy: the frame shown on the page is unchanged


def test_a_figure_download_starts_no_formula_in_any_cell(tmp_path):
    numbering = Numbering("2", sources(), tmp_path, version="Version 2026.1")
    numbering._write_csv(frame(), "fig-test.csv", "Savings, =1+1 by council", ["evil"])
    text = (tmp_path / "chapter-downloads" / "fig-test.csv").read_text(encoding="utf-8")
    assert not [c for c in cells(text) if runs_in_a_spreadsheet(c)], text
    data = pd.read_csv(tmp_path / "chapter-downloads" / "fig-test.csv", comment="#")
    assert list(data["Label"][:4]) == ["'=1+1", "'+cmd", "'@x", "'-2+3"]
    assert list(data["Value"]) == [-2.5] * len(HOSTILE)
    assert list(data["Count"]) == list(range(-len(HOSTILE), 0))
    assert list(data["Shown"]) == [-2.5] * len(HOSTILE)


def test_the_title_and_source_lines_stay_comment_lines(tmp_path):
    numbering = Numbering("2", sources(), tmp_path, version="Version 2026.1")
    numbering._write_csv(frame(), "fig-test.csv", "Savings, =1+1 by council", ["evil"])
    head = (tmp_path / "chapter-downloads" / "fig-test.csv").read_text(encoding="utf-8").splitlines()[:5]
    assert head[0] == "# Savings,' =1+1 by council"
    assert head[1] == "# Source: Evil Ltd,' =1+1,' \"=2+2\",' @SUM(A1) (2014)" and head[2] == "# Version 2026.1"
    assert head[3].startswith("# Licence: Open Government Licence v3.0")
    assert head[4] == "Label,Value,Count,Shown"


@pytest.mark.parametrize("line", ["# T, =1", "# T,=1", "# T,\"=1\"", "# T, \"a, =1\"", "# T,@x,+y,-z", "# T\r=1, -2.5",
                                  "# T,\t=1", "# T, ＠x"])
def test_a_comment_line_starts_no_formula_in_any_cell(line):
    safe = safe_comment_line(line)
    assert safe.startswith("# T") and "\r" not in safe and "\n" not in safe
    assert not [c for c in cells(safe) if runs_in_a_spreadsheet(c)], safe


def test_a_comment_line_without_formulas_is_unchanged():
    line = "# Source: Huntingdonshire District Council (2015); Hunts Post (2014), -2.5"
    assert safe_comment_line(line) == line


def test_the_figures_register_download_starts_no_formula_and_its_json_is_unchanged(tmp_path):
    reg = pd.DataFrame([{"id": "savings.npv", "chapter": "savings", "key": "npv", "text": "=1+1",
                         "value": -2.5, "unit": "@gbp", "depends_on": "+data/x.csv", "version": "-"}],
                       columns=register.REGISTER_COLUMNS)
    csv_path, json_path = register.write(reg, tmp_path)
    text = csv_path.read_text(encoding="utf-8")
    assert not [c for c in cells(text) if runs_in_a_spreadsheet(c)], text
    assert "-2.5" in cells(text)
    assert json.loads(json_path.read_text())[0]["text"] == "=1+1"  # data for programs is kept as it is


def test_the_zip_of_all_downloads_holds_the_safe_files(tmp_path):
    numbering = Numbering("2", sources(), tmp_path, version="Version 2026.1")
    numbering._write_csv(frame(), "fig-test.csv", "Savings", ["evil"])
    bundle = register.deterministic_zip(list((tmp_path / "chapter-downloads").glob("*.csv")), tmp_path / "all.zip")
    with zipfile.ZipFile(bundle) as zf:
        text = zf.read("fig-test.csv").decode("utf-8")
    assert not [c for c in cells(text) if runs_in_a_spreadsheet(c)]
