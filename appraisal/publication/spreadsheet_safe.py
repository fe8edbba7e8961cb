"""Downloads that are safe to open in a spreadsheet (CSV injection, as OWASP describes it).

A spreadsheet runs a cell as a formula when its text starts with =, +, -, @, a tab or a carriage
return (and, in some, the full-width =, +, - and @), also after leading white space where a spreadsheet
trims it. Such a text cell is written with a single quote in front, which a spreadsheet shows as text
and does not run. Numbers are data, not formulas: numeric columns are never changed, and neither is a
text cell that is a plain number such as -2.5. A carriage return inside text becomes a line feed: the
CSV writer leaves a cell with a bare carriage return unquoted, and a reader would start a new row there.
"""
import re

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CARRIAGE_RETURN = re.compile(r"\r\n?")
PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def runs_as_formula(text: str) -> bool:
    start = text.lstrip()
    return start.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(start)


def safe_text(value):
    """The value with a quote in front if it is text a spreadsheet would run as a formula."""
    if not isinstance(value, str):
        return value
    value = CARRIAGE_RETURN.sub("\n", value)
    return "'" + value if runs_as_formula(value) else value


def spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` whose text cells and column names no spreadsheet would run as a formula."""
    out = df.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        out[column] = values.map(safe_text, na_action="ignore")
    return out.rename(columns={c: safe_text(c) for c in out.columns if isinstance(c, str)})


def safe_comment_line(line: str) -> str:
    """A comment line above a CSV's header ('# Source: ...') that starts no cell with a formula.

    The line is written as it is, not quoted (pandas.read_csv(path, comment="#") must skip it), so
    each comma in it starts a new cell: a quote goes in front of any such cell that would run as a
    formula or open a quoted cell (whose end could then hide a formula). The first cell starts '#'."""
    cells = line.replace("\r", " ").replace("\n", " ").split(",")
    return ",".join(cells[:1] + ["'" + c if runs_as_formula(c) or c.lstrip().startswith('"') else c
                                 for c in cells[1:]])
