"""The data tables in `data/`: loading each one and checking it against its declared schema.

A problem is reported once per cell, as the value stands in the file ("£6,100,000", "inf", a blank),
with its row and column. Numbers are checked as text before any conversion: only plain decimal
numbers are numbers, so "inf", "NaN" and "1e400" (which a parser would turn into infinity) are refused.
"""
import functools
import math
import re
from pathlib import Path

import pandas as pd

from appraisal import paths
from appraisal.inputs.characters import code_problem, shown_value
from appraisal.inputs.csv_files import parse_text_table, read_text_table
from appraisal.inputs.errors import InputError
from appraisal.inputs.files import folder_problem, read_bytes
from appraisal.inputs.table_names import TABLES

__all__ = ["TABLES", "read_text_table", "validate_table", "load_all", "number_problem"]
# The schemas (and pandera) are imported only where a table is checked: a chapter's kernel that takes the tables
# its build checked (see CHECKED_FILE) never needs them.

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


def _number_problems(name: str, df: pd.DataFrame, schema) -> dict[tuple, str]:
    """Problems with the text of numeric cells, by (row, column)."""
    from appraisal.inputs.schemas import columns_of_kind

    found = {}
    for column in columns_of_kind(schema, "number", "whole"):
        if column not in df:
            continue
        for index, value in df[column].dropna().items():
            problem = number_problem(str(value), whole=schema.columns[column].metadata["kind"] == "whole")
            if problem:
                found[(int(index) + 2, column)] = f"data/{name}: row {int(index) + 2}, column '{column}': value {shown_value(value)} {problem}"
    return found


def _code_problems(name: str, df: pd.DataFrame, schema) -> dict[tuple, str]:
    """Codes holding a character that is not ASCII, by (row, column): reported with the character named,
    before any rule that would quote the code as if it were a valid one."""
    from appraisal.inputs.schemas import code_columns

    found = {}
    for column in code_columns(schema):
        if column not in df:
            continue
        for index, value in df[column].dropna().items():
            problem = code_problem(str(value))
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
        because = (schema.columns[column].metadata or {}).get("unique_because") if column in schema.columns else None
        return key, f"data/{name}: {row}, column '{keys}': value {shown} is duplicated; {because or 'each key must be unique'}"
    if not isinstance(column, str) or column == name or case["schema_context"] == "DataFrameSchema":
        return (None, check), f"data/{name}: table: {check}"
    return key, f"data/{name}: {row}, column '{column}': value {shown} {check}"


def _row_rule_problems(name: str, df: pd.DataFrame, schema) -> dict[tuple, str]:
    """Problems found by the rules a schema declares across a row's columns (its metadata's `row_rules`),
    by (row, column)."""
    found = {}
    for rule in (schema.metadata or {}).get("row_rules", ()):
        for row, column, problem in rule(df):
            found.setdefault((row, column), f"data/{name}: row {row}, column '{column}': {problem}")
    return found


def validate_table(name: str, df: pd.DataFrame, schema) -> pd.DataFrame:
    """Check one table against its schema (a pandera DataFrameSchema); raise InputError with one line per
    problem (one per cell). The checked table is numbered from 0 (its rows in the file may have had blank lines
    between them)."""
    import pandera.pandas as pa

    number_problems = _number_problems(name, df, schema)
    row_problems = _row_rule_problems(name, df, schema)
    own_problems = {**number_problems, **_code_problems(name, df, schema)}  # one line per cell: these come first
    checked = df.copy()
    for row, column in number_problems:
        checked.at[row - 2, column] = pd.NA  # reported already: keep it from failing the column's conversion
    try:
        validated = schema.validate(checked, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases.drop_duplicates(subset=["column", "check", "failure_case", "index"])
        # A value that cannot be converted is reported once; skip the checks that then fail on the raw text.
        cases = cases[~cases["failure_case"].astype(str).str.startswith("TypeError(")]
        found = dict(own_problems)
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
    if own_problems or row_problems:
        found = {**row_problems, **own_problems}
        raise InputError([line for _, line in sorted(found.items(), key=lambda item: item[0][0] or 0)])
    return validated.reset_index(drop=True)


# Tables already read and checked in this process, each by the exact bytes of its file (and, once checked,
# by the codes its schema accepts from other tables): reading and checking are most of the cost of loading
# (about 0.2 s for every table), and a process (a test run, the explorer) loads the same files many times,
# often with one of them changed. Only tables that passed are kept; a copy is handed out each time.
_READ: dict[tuple, pd.DataFrame] = {}
_CHECKED: dict[tuple, pd.DataFrame] = {}
_KEEP = 256
EVIDENCE_TABLES = ("case_study_outcomes.csv", "case_studies.csv", "one_off_costs.csv")
_SOUND_EVIDENCE: set[tuple] = set()  # case evidence that passed the rules across its three files, by their bytes
_LAST: dict = {}  # what the last load that passed checked: its tables by key, and its case evidence

# A build checks every table once, then runs each chapter in a kernel of its own, which would check them all
# again (about 0.7 s a chapter, most of it pandera). The build writes the tables it checked to a file and names
# it in this variable for its kernels; a kernel takes from it only tables whose file bytes are the ones it reads,
# and only when the file was written by this same code and these library versions.
CHECKED_FILE = "APPRAISAL_CHECKED_TABLES"
_TAKEN: set[str] = set()


@functools.cache
def _code_version() -> bytes:
    """What decides how a table is checked: the package's own code and the versions of the libraries."""
    import hashlib
    import sys
    from importlib.metadata import version

    digest = hashlib.sha256(f"{sys.version}|{pd.__version__}|{version('pandera')}".encode())
    for path in sorted(Path(__file__).resolve().parent.parent.rglob("*.py")):
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


def save_checked(path: Path) -> None:
    """Write the tables the last passing load of this process checked, for the build's kernels to take."""
    import pickle

    if not _LAST:
        raise ValueError("no tables have been checked in this process")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.writing")
    partial.write_bytes(pickle.dumps({"code": _code_version(), **_LAST}, protocol=pickle.HIGHEST_PROTOCOL))
    partial.replace(path)


def _take_checked() -> None:
    """Once a process, take the tables the build that started it checked (see CHECKED_FILE), if any."""
    import os

    named = os.environ.get(CHECKED_FILE)
    if named and named not in _TAKEN:
        _TAKEN.add(named)
        take_checked(Path(named))


def take_checked(path: Path) -> None:
    """Take the tables a build wrote with save_checked (its last build, for a build; its build, for a chapter's
    kernel), if the file is there and was written by this same code; a table is used only for the exact bytes
    it was checked from. Anything else is ignored: every table not taken is checked here."""
    import pickle

    try:
        saved = pickle.loads(Path(path).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return
    if not isinstance(saved, dict) or saved.get("code") != _code_version():
        return
    for key, table in saved["checked"].items():
        _CHECKED.setdefault(key, table)
    _SOUND_EVIDENCE.add(saved["evidence"])


def _kept(store: dict, key: tuple | None, make) -> pd.DataFrame:
    """A copy of what `make()` returns for `key`, made once (never kept when key is None)."""
    if key is None:
        return make()
    if key not in store:
        if len(store) >= _KEEP:
            store.pop(next(iter(store)))
        store[key] = make()
    return store[key].copy()


def _read(data_dir: Path, name: str) -> tuple[bytes | None, pd.DataFrame]:
    path = Path(data_dir) / name
    try:
        data = read_bytes(path, f"data/{name}", "a CSV file")
    except InputError:
        return None, read_text_table(path)  # reported as reading reports it
    return data, _kept(_READ, (name, data), lambda: parse_text_table(name, data))


def _declared(declared: dict, accepted: tuple) -> dict:
    from appraisal.inputs.parameters import RANGES
    from appraisal.inputs.schemas import schemas

    if not declared:
        declared.update(schemas(*accepted, RANGES))
    return declared


def load_all(data_dir: Path = paths.DATA) -> dict[str, pd.DataFrame]:
    """Read and validate every table; collect the problems of all tables before failing."""
    folder = folder_problem(data_dir, f"data folder {data_dir}")
    if folder:
        raise InputError([folder])
    _take_checked()
    problems, raw, contents = [], {}, {}
    for name in TABLES:
        try:
            contents[name], raw[name] = _read(data_dir, name)
        except InputError as err:
            problems += err.problems

    def ids(table, column):
        return frozenset(raw[table][column].dropna()) if table in raw else None

    accepted = (ids("sources.csv", "source_id"), ids("councils.csv", "ons_code"), ids("case_studies.csv", "case_id"))
    declared = {}  # made when a table is first checked: making the schemas takes longer than copying a table
    tables, keys = {}, {}
    for name, df in raw.items():
        key = keys[name] = None if contents[name] is None else (name, contents[name], accepted)
        try:
            tables[name] = _kept(_CHECKED, key, lambda: validate_table(name, df, _declared(declared, accepted)[name]))
        except InputError as err:
            problems += err.problems
    if not problems:
        evidence = tuple(contents[name] for name in EVIDENCE_TABLES)
        if evidence not in _SOUND_EVIDENCE:
            problems += evidence_problems(tables)
            if not problems and None not in evidence and len(_SOUND_EVIDENCE) < _KEEP:
                _SOUND_EVIDENCE.add(evidence)
    if problems:
        raise InputError(problems)
    _LAST.clear()
    _LAST.update(checked={key: _CHECKED[key] for key in keys.values() if key in _CHECKED}, evidence=evidence)
    return tables


# What the case studies chapter and the inputs computed from the cases rely on: the chapter summarises
# these measures, quotes the appraised partnership's own savings against plan (and its service saving whose
# period is not known), explains pro-rating with one case, and compares council-to-council cases.
SUMMARISED = {"savings": "savings", "one_off_cost": "one-off cost", "delay_months": "delay"}
APPRAISED_CASE = "three_c"
PRO_RATED_EXAMPLE = "southwest_one"
USABLE = "projected and actual figures, for a period that is known"


def evidence_problems(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Rules on the case evidence as a whole, checked with the model's own test of which figures are usable
    (appraisal.model.reference_class), so that the two cannot disagree."""
    from appraisal.model import reference_class as rc

    outcomes, cases, one_off = (tables[n] for n in ("case_study_outcomes.csv", "case_studies.csv", "one_off_costs.csv"))
    ratios = rc.outcome_ratios(outcomes, cases)
    usable = ratios[ratios["included"]]
    where = "data/case_study_outcomes.csv"
    problems = []
    for measure, words in SUMMARISED.items():
        if not usable["measure"].eq(measure).any():
            problems.append(f"{where}: no usable {measure} row ({USABLE}); the {words} input and the case studies "
                            "chapter are computed from them")
    if not rc.council_cases(usable)["measure"].eq("savings").any():
        problems.append(f"{where}: no usable savings row for a council-to-council case (kind in data/case_studies.csv); "
                        "the case studies chapter compares them")
    if not ((usable["case_id"] == APPRAISED_CASE) & usable["measure"].eq("savings")).any():
        problems.append(f"{where}: no usable savings row for case_id '{APPRAISED_CASE}' ({USABLE}); the case studies "
                        "chapter sets its savings against its plan")
    if not ((ratios["case_id"] == APPRAISED_CASE) & ratios["measure"].eq("service_savings")
            & ratios["excluded_because"].eq(rc.NOT_KNOWN_REASON)).any():
        problems.append(f"{where}: no service_savings row for case_id '{APPRAISED_CASE}' with like_for_like "
                        f"'{rc.PERIOD_NOT_KNOWN}'; the case studies chapter quotes it as a saving that cannot be compared")
    if not ((usable["case_id"] == PRO_RATED_EXAMPLE) & usable["like_for_like"].eq(rc.PRO_RATED)).any():
        problems.append(f"{where}: no usable pro-rated row for case_id '{PRO_RATED_EXAMPLE}'; the case studies chapter "
                        "explains pro-rating with it")
    compared = rc.one_off_cost_ratios(one_off)
    if compared.empty or rc.council_cases(compared).empty:
        which = "scheme" if compared.empty else "council-to-council scheme"
        problems.append(f"data/one_off_costs.csv: no {which} can be compared (a chosen one-off cost from a plan and a "
                        "chosen saving with the years it covers); the one-off cost input and the case studies chapter "
                        "are computed from them")
    return problems
