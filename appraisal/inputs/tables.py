"""The data tables in `data/`: their declared schemas, and loading them with validation.

Every table is read as text first, so that a bad value is reported as it stands in the file
("£6,100,000", "n/a", a blank) with its row and column, not as a parser's stack trace.
"""
import csv
import io
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.pandas import Check, Column

from appraisal import paths
from appraisal.inputs.errors import InputError

RATING = ["high", "medium", "low"]
YES_NO = ["yes", "no"]


def _text(**kw):
    return Column(str, nullable=False, **kw)


def _number(*checks, nullable=False):
    return Column(float, list(checks), nullable=nullable, coerce=True)


def _whole(*checks, nullable=False):
    return Column("Int64", list(checks), nullable=nullable, coerce=True)


def _one_of(values, what):
    return Check.isin(list(values), error=f"must be one of {what}")


def _id_in(ids, what):
    """A column that must hold one of `ids`; unchecked when the table that lists them could not be read
    (its own problems are reported instead of one problem per referring row)."""
    return Column(str, [] if ids is None else [_one_of(ids, what)], nullable=False)


def _source_id(source_ids):
    return _id_in(source_ids, "the source ids in data/sources.csv")


def _council_code(codes):
    return _id_in(codes, "the ONS codes in data/councils.csv")


DATE = Check.str_matches(r"^\d{4}-\d{2}-\d{2}$", error="must be a date written YYYY-MM-DD")


def schemas(source_ids=None, council_codes=None, case_ids=None, parameter_names=None):
    """The declared schema of each table. Cross-table rules take the ids they check against."""
    src = _source_id(source_ids)
    case = _id_in(case_ids, "the case ids in data/case_studies.csv")
    return {
        "sources.csv": pa.DataFrameSchema(
            {
                "source_id": _text(checks=Check.str_matches(r"^[a-z0-9]+$", error="must be lower-case letters and digits only")),
                "title": _text(),
                "publisher": _text(),
                "published": _text(),
                "url": _text(checks=Check.str_matches(r"^https?://", error="must be a web address starting http:// or https://")),
                "accessed": _text(checks=DATE),
                "kind": _text(),
                "quality": _text(checks=_one_of(RATING, "high, medium, low")),
                "suitability": _text(checks=_one_of(RATING, "high, medium, low")),
            },
            unique=["source_id"], strict=True, ordered=False,
        ),
        "councils.csv": pa.DataFrameSchema(
            {
                "ons_code": _text(checks=Check.str_matches(r"^E0[6-9]\d{6}$", error="must be an ONS local authority code such as E07000008")),
                "name": _text(),
                "short_name": _text(),
                "population": _whole(Check.gt(0, error="must be a positive whole number")),
                "population_year": _whole(Check.in_range(1991, 2030, error="must be a year between 1991 and 2030")),
                "source_id": src,
                "evidence_id": _text(),
            },
            unique=["ons_code"], strict=True,
        ),
        "baseline_costs.csv": pa.DataFrameSchema(
            {
                "service": _text(),
                "annual_cost_gbp": _number(Check.gt(0, error="must be a positive amount in pounds, digits only")),
                "price_year": _whole(Check.in_range(2000, 2030, error="must be a year between 2000 and 2030")),
                "chosen": _text(checks=_one_of(YES_NO, "yes or no")),
                "source_id": src,
                "evidence_id": _text(),
                "note": _text(),
            },
            unique=["service", "source_id"], strict=True,
            checks=Check(lambda df: _one_chosen_per(df, "service"), element_wise=False,
                         error="each service needs exactly one row with chosen = yes"),
        ),
        "council_finance.csv": pa.DataFrameSchema(
            {
                "ons_code": _council_code(council_codes),
                "year": _text(checks=Check.str_matches(r"^\d{4}-\d{2}$", error="must be a financial year written 2014-15")),
                "measure": _text(checks=_one_of(["central_services", "net_revenue_expenditure"], "central_services, net_revenue_expenditure")),
                "value_gbp_thousand": _number(),
                "source_id": src,
                "evidence_id": _text(),
            },
            unique=["ons_code", "year", "measure"], strict=True,
        ),
        "lga_shared_services_map.csv": pa.DataFrameSchema(
            {
                "release": _text(),
                "release_date": _text(checks=DATE),
                "cumulative_savings_gbp_m": _number(Check.ge(0, error="must be zero or more, in £ million")),
                "arrangements": _whole(Check.gt(0, error="must be a positive whole number"), nullable=True),
                "source_id": src,
                "evidence_id": _text(),
                "note": _text(),
            },
            unique=["release_date"], strict=True,
        ),
        "key_facts.csv": pa.DataFrameSchema(
            {
                "key": _text(checks=Check.str_matches(r"^[a-z0-9_]+$", error="must be lower-case letters, digits and underscores")),
                "value": _number(),
                "unit": _text(),
                "period": _text(),
                "description": _text(),
                "source_id": src,
                "evidence_id": _text(),
            },
            unique=["key"], strict=True,
        ),
        "timeline.csv": pa.DataFrameSchema(
            {
                "date": _text(checks=DATE),
                "date_label": _text(),
                "milestone": Column(str, [Check.str_matches(r"^[a-z_]+$", error="must be a short key such as go_live"),
                                          Check(lambda col: col.dropna().is_unique, element_wise=False,
                                                error="each milestone key may appear only once")], nullable=True),
                "event": _text(),
                "source_id": src,
                "evidence_id": _text(),
            },
            unique=["date", "event"], strict=True,
        ),
        "conflicting_figures.csv": pa.DataFrameSchema(
            {
                "topic": _text(),
                "value": _number(),
                "unit": _text(),
                "source_id": src,
                "evidence_id": _text(),
                "chosen": _text(checks=_one_of(YES_NO, "yes or no")),
                "reason": _text(),
            },
            unique=["topic", "source_id", "evidence_id"], strict=True,
            checks=Check(lambda df: _one_chosen_per(df, "topic"), element_wise=False,
                         error="each topic needs exactly one row with chosen = yes"),
        ),
        "case_studies.csv": pa.DataFrameSchema(
            {
                "case_id": _text(checks=Check.str_matches(r"^[a-z0-9_]+$", error="must be lower-case letters, digits and underscores")),
                "name": _text(), "partners": _text(), "services": _text(), "model": _text(),
                "started": _text(checks=Check.str_matches(r"^\d{4}$", error="must be a year")),
                "ended": _text(), "outcome": _text(), "lesson": _text(),
                "source_id": src,
            },
            unique=["case_id"], strict=True,
        ),
        "case_study_outcomes.csv": pa.DataFrameSchema(
            {
                "case_id": case,
                "measure": _text(checks=_one_of(["savings", "one_off_cost", "delay_months"], "savings, one_off_cost, delay_months")),
                "projected": _number(nullable=True),
                "actual": _number(nullable=True),
                "unit": _text(), "period": _text(), "basis": _text(),
                "source_id": src,
                "actual_source_id": src,
                "evidence_id": _text(),
                "note": Column(str, nullable=True),
            },
            unique=["case_id", "measure"], strict=True,
        ),
        "typical_savings.csv": pa.DataFrameSchema(
            {
                "finding": _text(),
                "saving_low_pct": _number(Check.in_range(-100, 100, error="must be a percentage between -100 and 100")),
                "saving_high_pct": _number(Check.in_range(-100, 100, error="must be a percentage between -100 and 100")),
                "basis": _text(), "scope": _text(),
                "source_id": src,
                "evidence_id": _text(),
            },
            unique=["finding"], strict=True,
            checks=Check(lambda df: bool((df["saving_low_pct"] <= df["saving_high_pct"]).all()), element_wise=False,
                         error="saving_low_pct must not exceed saving_high_pct"),
        ),
        "risk_register.csv": pa.DataFrameSchema(
            {
                "risk_id": _text(checks=Check.str_matches(r"^[a-z0-9_]+$", error="must be lower-case letters, digits and underscores")),
                "risk": _text(),
                "cases": _text(checks=[] if case_ids is None else [Check(
                    lambda v: all(c.strip() in case_ids for c in str(v).split(";")), element_wise=True,
                    error="must list case ids from data/case_studies.csv, separated by ;")]),
                "parameter": _id_in(parameter_names, "the parameter names in data/parameters.yaml"),
                "stressed_level": _text(checks=_one_of(["low", "high"], "low or high")),
                "likelihood": _number(Check.in_range(0, 1, error="must be a probability between 0 and 1")),
                "likelihood_basis": _text(), "mitigation": _text(), "owner": _text(),
                "source_id": src,
            },
            unique=["risk_id"], strict=True,
        ),
    }


TABLES = list(schemas())


def _one_chosen_per(df, key):
    counts = df.assign(_yes=df["chosen"].eq("yes")).groupby(key)["_yes"].sum()
    return bool((counts == 1).all())


def read_text_table(path: Path) -> pd.DataFrame:
    """Read a CSV as text. A UTF-8 byte-order mark is accepted; blank cells become missing.

    Every row must have as many values as the header: a stray comma (as in 6,100,000 typed
    without quotes) would otherwise shift a row's values into the wrong columns."""
    name = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError([f"data/{name}: file not found"]) from None
    except UnicodeDecodeError as exc:
        raise InputError([f"data/{name}: not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8"]) from None
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline="")) if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise InputError([f"data/{name}: not a readable CSV file ({exc})"]) from None
    if not rows:
        raise InputError([f"data/{name}: the file is empty; expected a header row and at least one data row"])
    header, body = [c.strip() for c in rows[0]], rows[1:]
    if not body:
        raise InputError([f"data/{name}: the file has a header but no data rows"])
    problems = [f"data/{name}: row {n}: {len(row)} values where the header has {len(header)} columns"
                " (a comma inside a number or unquoted text?)"
                for n, row in enumerate(body, start=2) if len(row) != len(header)]
    if problems:
        raise InputError(problems)
    df = pd.DataFrame(body, columns=header, dtype=str)
    return df.apply(lambda col: col.str.strip()).replace("", pd.NA)


def _describe(name, case, schema, raw):
    column = case["column"]
    check = str(case["check"])
    value = case["failure_case"]
    index = case["index"]
    if pd.notna(index) and isinstance(column, str) and column in raw.columns:
        value = raw.at[int(index), column]  # as written in the file, not as converted
    row = f"row {int(index) + 2}" if pd.notna(index) else "header"
    shown = "blank" if pd.isna(value) else repr(str(value))
    if check == "column_in_dataframe":
        return f"data/{name}: header: column '{value}' is missing; expected columns {', '.join(schema.columns)}"
    if check == "column_in_schema":
        return f"data/{name}: header: column '{value}' is not a known column; expected columns {', '.join(schema.columns)}"
    if check == "not_nullable":
        return f"data/{name}: {row}, column '{column}': value is blank; a value is required"
    if check.startswith("coerce_dtype") or check.startswith("dtype"):
        want = "a whole number" if "Int" in check or "int" in check else "a number"
        return (f"data/{name}: {row}, column '{column}': value {shown} is not {want}"
                " (write digits only: no £, commas, % or words)")
    if check in ("field_uniqueness", "multiple_fields_uniqueness"):
        keys = column if isinstance(column, str) else "+".join(schema.unique or [])
        return f"data/{name}: {row}, column '{keys}': value {shown} is duplicated; each key must be unique"
    where = f"column '{column}'" if isinstance(column, str) and column != name else "table"
    return f"data/{name}: {row}, {where}: value {shown} {check}"


def validate_table(name: str, df: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Check one table against its schema; raise InputError with one line per problem."""
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases.drop_duplicates(subset=["column", "check", "failure_case", "index"])
        # A value that cannot be converted is reported once; skip the checks that then fail on the raw text.
        cases = cases[~cases["failure_case"].astype(str).str.startswith("TypeError(")]
        problems = [_describe(name, case, schema, df) for _, case in cases.iterrows()]
        if not problems:  # a failure pandera reports without cases: never let it pass silently
            problems = [f"data/{name}: {line.strip()}" for line in str(err).splitlines()
                        if '"error"' in line] or [f"data/{name}: failed its schema checks ({err})"]
        raise InputError(sorted(set(problems), key=problems.index)) from None


def load_all(data_dir: Path = paths.DATA) -> dict[str, pd.DataFrame]:
    """Read and validate every table; collect the problems of all tables before failing."""
    problems, raw = [], {}
    for name in TABLES:
        try:
            raw[name] = read_text_table(data_dir / name)
        except InputError as err:
            problems += err.problems
    def ids(table, column):
        return set(raw[table][column].dropna()) if table in raw else None

    source_ids, council_codes = ids("sources.csv", "source_id"), ids("councils.csv", "ons_code")
    case_ids = ids("case_studies.csv", "case_id")
    from appraisal.inputs.parameters import RANGES

    declared = schemas(source_ids, council_codes, case_ids, RANGES)
    tables = {}
    for name, df in raw.items():
        try:
            tables[name] = validate_table(name, df, declared[name])
        except InputError as err:
            problems += err.problems
    if problems:
        raise InputError(problems)
    return tables
