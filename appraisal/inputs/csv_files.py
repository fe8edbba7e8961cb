"""Reading a data table as text, cell by cell, with the problems a parser would hide reported by row.

Every table is read as text first, so that a bad value is reported as it stands in the file
("£6,100,000", "n/a", a blank) with its row and column, not as a parser's stack trace. Rows are
counted as in a spreadsheet: the header is row 1; blank lines are skipped but still counted.

A cell is one line of visible text: control, format and other invisible characters, found by their
Unicode category (see `characters`), are refused anywhere in a cell, even inside quotes. That includes
tab, carriage return and line feed: a tab or a line break is invisible in a spreadsheet, a line break
inside a quoted cell is almost always a paste accident or an unclosed quote, and a leading tab or
carriage return makes a spreadsheet treat a downloaded cell as a formula. No cell in the data needs one.
"""
import csv
import io
from pathlib import Path

import pandas as pd

from appraisal.inputs.characters import RULE, hidden_character, shown_value
from appraisal.inputs.errors import InputError
from appraisal.inputs.files import read_bytes


def _character_problem(name: str, where: str, text: str) -> str | None:
    found = hidden_character(text)
    if not found:
        return None
    hint = " (an unclosed quote?)" if found.startswith(("U+000A", "U+000D")) else ""
    return f"data/{name}: {where}: value {shown_value(text)} contains the character {found}{hint}; {RULE}"


def read_text_table(path: Path) -> pd.DataFrame:
    """Read a CSV as text. A UTF-8 byte-order mark is accepted; blank cells become missing.

    Every row must have as many values as the header: a stray comma (as in 6,100,000 typed
    without quotes) would otherwise shift a row's values into the wrong columns. The frame's
    index is the spreadsheet row number minus 2, so a problem is reported on the row it is on."""
    name = Path(path).name
    return parse_text_table(name, read_bytes(path, f"data/{name}", "a CSV file"))


def parse_text_table(name: str, data: bytes) -> pd.DataFrame:
    """`read_text_table` on the bytes of the file `name` already read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([f"data/{name}: not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8"]) from None
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError([f"data/{name}: not a readable CSV file ({exc})"]) from None
    rows = [(n, row) for n, row in enumerate(records, start=1) if any(cell.strip() for cell in row)]
    if not rows:
        raise InputError([f"data/{name}: the file is empty; expected a header row and at least one data row"])
    (_, header_cells), body = rows[0], rows[1:]
    header = [c.strip() for c in header_cells]
    problems = _header_problems(name, header_cells)
    if not body:
        problems.append(f"data/{name}: the file has a header but no data rows")
    problems += [f"data/{name}: row {n}: {len(row)} values where the header has {len(header)} columns"
                 " (a comma inside a number or unquoted text?)" for n, row in body if len(row) != len(header)]
    if problems:
        raise InputError(problems)
    problems = [p for n, row in body for col, cell in zip(header, row)
                if (p := _character_problem(name, f"row {n}, column '{col}'", cell))]
    if problems:
        raise InputError(problems)
    df = pd.DataFrame([row for _, row in body], columns=header, index=[n - 2 for n, _ in body], dtype=str)
    return df.apply(lambda col: col.str.strip()).replace("", pd.NA)


def _header_problems(name: str, cells: list[str]) -> list[str]:
    problems = [p for cell in cells if (p := _character_problem(name, "header", cell))]
    seen = set()
    for cell in (c.strip() for c in cells):
        if cell in seen:
            problems.append(f"data/{name}: header: column '{cell}' appears more than once; each column name must be unique")
        seen.add(cell)
    return problems
