"""The data tables in `data/`: loading each one and checking it against its declared schema.

A problem is reported once per cell, as the value stands in the file ("£6,100,000", "inf", a blank),
with its row and column. Numbers are checked as text before any conversion: only plain decimal
numbers are numbers, so "inf", "NaN" and "1e400" (which a parser would turn into infinity) are refused.
"""
import math
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from appraisal import paths
from appraisal.inputs.characters import shown_value
from appraisal.inputs.csv_files import read_text_table
from appraisal.inputs.errors import InputError
from appraisal.inputs.files import folder_problem
from appraisal.inputs.schemas import TABLES, columns_of_kind, schemas

__all__ = ["TABLES", "schemas", "read_text_table", "validate_table", "load_all", "number_problem"]

DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
WHOLE = re.compile(r"[+-]?[0-9]+")
NOT_FINITE = {"inf", "infinity", "nan"}
LARGEST_WHOLE = 2 ** 53  # beyond this a whole number is no longer held exactly
ADVICE = " (write digits only: no £, commas, % or words)"


def number_problem(text: str, whole: bool = False) -> str | None:
    """Why a cell's text is not a finite (whole) number, or None when it is one."""
    if text.lower().lstrip("+-") in NOT_FINITE:
        return "is not a finite number; infinity and NaN are not values (leave the cell blank if it may be)"
    if not (WHOLE if whole else DECIMAL).fullmatch(text):
        return f"is not {'a whole number' if whole else 'a number'}{ADVICE}"
    if not math.isfinite(float(text)) or (whole and abs(int(text)) > LARGEST_WHOLE):
        return "is not a finite number (too large)"
    return None


def _number_problems(name: str, df: pd.DataFrame, schema: pa.DataFrameSchema) -> dict[tuple, str]:
    """Problems with the text of numeric cells, by (row, column)."""
    found = {}
    for column in columns_of_kind(schema, "number", "whole"):
        if column not in df:
            continue
        for index, value in df[column].dropna().items():
            problem = number_problem(str(value), whole=schema.columns[column].metadata["kind"] == "whole")
            if problem:
                found[(int(index) + 2, column)] = f"data/{name}: row {int(index) + 2}, column '{column}': value {shown_value(value)} {problem}"
    return found


def _describe(name, case, schema, raw) -> tuple[tuple, str]:
    """(the cell or rule it concerns, one line) for one pandera failure case."""
    column = case["column"]
    check = str(case["check"])
    value = case["failure_case"]
    index = case["index"]
    if pd.notna(index) and isinstance(column, str) and column in raw.columns:
        value = raw.at[int(index), column]  # as written in the file, not as converted
    row = f"row {int(index) + 2}" if pd.notna(index) else "header"
    key = (int(index) + 2 if pd.notna(index) else None, column if isinstance(column, str) else str(column))
    shown = "blank" if pd.isna(value) else shown_value(str(value))
    if check == "column_in_dataframe":
        return (None, value), f"data/{name}: header: column '{value}' is missing; expected columns {', '.join(schema.columns)}"
    if check == "column_in_schema":
        return (None, value), f"data/{name}: header: column '{value}' is not a known column; expected columns {', '.join(schema.columns)}"
    if check == "not_nullable":
        return key, f"data/{name}: {row}, column '{column}': value is blank; a value is required"
    if check.startswith("coerce_dtype") or check.startswith("dtype"):
        want = "a whole number" if "Int" in check or "int" in check else "a number"
        return key, f"data/{name}: {row}, column '{column}': value {shown} is not {want}{ADVICE}"
    if check in ("field_uniqueness", "multiple_fields_uniqueness"):
        keys = column if isinstance(column, str) else "+".join(schema.unique or [])
        return key, f"data/{name}: {row}, column '{keys}': value {shown} is duplicated; each key must be unique"
    if not isinstance(column, str) or column == name or case["schema_context"] == "DataFrameSchema":
        return (None, check), f"data/{name}: table: {check}"
    return key, f"data/{name}: {row}, column '{column}': value {shown} {check}"


def _row_rule_problems(name: str, df: pd.DataFrame, schema: pa.DataFrameSchema) -> dict[tuple, str]:
    """Problems found by the rules a schema declares across a row's columns (its metadata's `row_rules`),
    by (row, column)."""
    found = {}
    for rule in (schema.metadata or {}).get("row_rules", ()):
        for row, column, problem in rule(df):
            found.setdefault((row, column), f"data/{name}: row {row}, column '{column}': {problem}")
    return found


def validate_table(name: str, df: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Check one table against its schema; raise InputError with one line per problem (one per cell).
    The checked table is numbered from 0 (its rows in the file may have had blank lines between them)."""
    number_problems = _number_problems(name, df, schema)
    row_problems = _row_rule_problems(name, df, schema)
    checked = df.copy()
    for row, column in number_problems:
        checked.at[row - 2, column] = pd.NA  # reported already: keep it from failing the column's conversion
    try:
        validated = schema.validate(checked, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases.drop_duplicates(subset=["column", "check", "failure_case", "index"])
        # A value that cannot be converted is reported once; skip the checks that then fail on the raw text.
        cases = cases[~cases["failure_case"].astype(str).str.startswith("TypeError(")]
        found = dict(number_problems)
        for _, case in cases.iterrows():
            key, line = _describe(name, case, schema, df)
            found.setdefault(key, line)
        for key, line in row_problems.items():
            found.setdefault(key, line)
        problems = [line for _, line in sorted(found.items(), key=lambda item: item[0][0] or 0)]
        if cases.empty:  # a failure pandera reports without cases: never let it pass silently
            problems += [f"data/{name}: {line.strip()}" for line in str(err).splitlines()
                         if '"error"' in line] or [f"data/{name}: failed its schema checks"]
        raise InputError(problems) from None
    if number_problems or row_problems:
        found = {**row_problems, **number_problems}
        raise InputError([line for _, line in sorted(found.items(), key=lambda item: item[0][0] or 0)])
    return validated.reset_index(drop=True)


def load_all(data_dir: Path = paths.DATA) -> dict[str, pd.DataFrame]:
    """Read and validate every table; collect the problems of all tables before failing."""
    folder = folder_problem(data_dir, f"data folder {data_dir}")
    if folder:
        raise InputError([folder])
    problems, raw = [], {}
    for name in TABLES:
        try:
            raw[name] = read_text_table(Path(data_dir) / name)
        except InputError as err:
            problems += err.problems

    def ids(table, column):
        return set(raw[table][column].dropna()) if table in raw else None

    from appraisal.inputs.parameters import RANGES

    declared = schemas(ids("sources.csv", "source_id"), ids("councils.csv", "ons_code"),
                       ids("case_studies.csv", "case_id"), RANGES)
    tables = {}
    for name, df in raw.items():
        try:
            tables[name] = validate_table(name, df, declared[name])
        except InputError as err:
            problems += err.problems
    if problems:
        raise InputError(problems)
    return tables
