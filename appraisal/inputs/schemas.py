"""The declared schema of every table in `data/`: its columns, their kinds and the rules each value obeys.

Every numeric column declares the range its values may take (chosen from what the quantity can be,
wide enough for every value in the data); infinity and NaN are never numbers. Dates are real calendar
dates. The kind and range of each column are kept in its metadata, so tests and messages can find
every numeric, date and text column without a list of their own.
"""
import datetime as dt
import re

import pandera.pandas as pa
from pandera.pandas import Check, Column

from appraisal.inputs.addresses import COPY_PATTERN, source_problems

RATING = ["high", "medium", "low"]
YES_NO = ["yes", "no"]
CASE_KINDS = ["council-to-council", "council company or joint system", "outsourcing joint venture", "central government"]
CASE_STATUSES = ["ended", "continuing", "not known"]
LIKE_FOR_LIKE = ["same period", "pro-rated", "period not known"]
# How sure a case figure is: an audit, an audit as the press reported it, the organisation's own report, a
# forecast (not an outturn), a press report, a figure the partners disputed, or a claim made at signing.
FIGURE_STATUSES = ["audited", "audit reported by the press", "self-reported", "forecast", "press report", "contested",
                   "claim"]
# What a case figure measures. Only a gross saving is compared as a saving: a net figure holds set-up costs,
# and an overspend mixes one-off and running costs (appraisal/model/reference_class.py).
CASE_FIGURES = ["gross saving", "net of set-up costs", "overspend", "one-off cost", "delay"]
DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FINANCIAL_YEAR = re.compile(r"([0-9]{4})-([0-9]{2})")


def _amount(value: float) -> str:
    return f"{value:,}" if float(value).is_integer() else f"{value:,.10g}"


def number(lo: float, hi: float, rule: str | None = None, *, nullable: bool = False,
           whole: bool = False, above_lo: bool = False) -> Column:
    """A numeric column whose values lie from `lo` to `hi` (above `lo` when `above_lo`)."""
    kind = "whole number" if whole else "number"
    rule = rule or f"must be a {kind} {'above' if above_lo else 'from'} {_amount(lo)} {'and at most' if above_lo else 'to'} {_amount(hi)}"
    return Column("Int64" if whole else float, [Check.in_range(lo, hi, include_min=not above_lo, error=rule)],
                  nullable=nullable, coerce=True, metadata={"kind": "whole" if whole else "number", "range": (lo, hi), "above_lo": above_lo})


def whole(lo: int, hi: int, rule: str | None = None, *, nullable: bool = False) -> Column:
    return number(lo, hi, rule, nullable=nullable, whole=True)


def text(*checks, nullable: bool = False) -> Column:
    return Column(str, list(checks), nullable=nullable, metadata={"kind": "text"})


def code(*checks, nullable: bool = False) -> Column:
    """A text column of codes (ids, ONS codes, keys): ASCII only, so that a letter from another alphabet
    that looks like a Latin one is found and named (see appraisal.inputs.characters)."""
    return Column(str, list(checks), nullable=nullable, metadata={"kind": "text", "code": True})


def _is_calendar_date(value: str) -> bool:
    if not DATE_PATTERN.fullmatch(value):
        return True  # reported by the pattern rule
    try:
        dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError:
        return False
    return True


def date() -> Column:
    """A date written YYYY-MM-DD that exists in the calendar (no 30 February, no month 13)."""
    return Column(str, [
        Check.str_matches(DATE_PATTERN.pattern + "$", error="must be a date written YYYY-MM-DD"),
        Check(_is_calendar_date, element_wise=True,
              error="is not a date in the calendar (check the day and month); write a real date as YYYY-MM-DD"),
    ], nullable=False, metadata={"kind": "date"})


def _is_financial_year(value: str) -> bool:
    match = FINANCIAL_YEAR.fullmatch(value)
    return bool(match) and int(match[2]) == (int(match[1]) + 1) % 100


def financial_year() -> Column:
    return text(Check(_is_financial_year, element_wise=True,
                      error="must be a financial year written 2014-15 (the second year follows the first)"))


def _year_from(lo: int, hi: int) -> Check:
    return Check(lambda v: bool(re.fullmatch(r"[0-9]{4}", v)) and lo <= int(v) <= hi, element_wise=True,
                 error=f"must be a year from {lo} to {hi}")


def _one_of(values, what):
    return Check.isin(list(values), error=f"must be one of {what}")


def _key(what: str = "lower-case letters, digits and underscores", pattern: str = r"^[a-z0-9_]+$") -> Column:
    return code(Check.str_matches(pattern, error=f"must be {what}"))


def _id_in(ids, what):
    """A column that must hold one of `ids`; unchecked when the table that lists them could not be read
    (its own problems are reported instead of one problem per referring row)."""
    return code(*([] if ids is None else [_one_of(ids, what)]))


def _one_chosen_per(df, key):
    counts = df.assign(_yes=df["chosen"].eq("yes")).groupby(key)["_yes"].sum()
    return bool((counts == 1).all())


def _pro_rated_rows_give_both_years(df):
    rows = df[df["like_for_like"].eq("pro-rated")]
    return bool(rows["projected_years"].notna().all() and rows["actual_years"].notna().all())


def _one_chosen_cost_and_saving_per_scheme(df):
    chosen = df[df["chosen"].eq("yes")].groupby(["case_id", "figure"]).size()
    return len(chosen) == 2 * df["case_id"].nunique() and bool((chosen == 1).all())


# Rows the pages state by their key: a table without one of them could not be published.
STATED_KEY_FACTS = {"savings_target_pct": "3C's own savings target (savings chapter and briefing)",
                    "savings_forecast_1617_pct": "3C's forecast saving for 2016/17 (savings chapter and briefing)"}
STATED_MILESTONES = {"go_live": "the date 3C went live (context chapter)",
                     "first_planned": "the date 3C was first planned to go live (context chapter)"}
STATED_TOPICS = {"Southwest One promised savings": "the range of Southwest One's promised savings (case studies chapter)"}


def _has_row(column: str, value: str, why: str, prefix: bool = False) -> Check:
    """A table-wide rule: some row's `column` is `value` (or starts with it)."""
    def found(df):
        if column not in df:
            return True  # the missing column is reported by itself
        values = df[column].dropna().astype(str)
        return bool((values.str.startswith(value) if prefix else values.eq(value)).any())
    wanted = f"starting {value!r}" if prefix else repr(value)
    return Check(found, element_wise=False, error=f"needs a row with {column} {wanted}: the pages state {why}")


def schemas(source_ids=None, council_codes=None, case_ids=None, parameter_names=None):
    """The declared schema of each table. Cross-table rules take the ids they check against."""
    src = _id_in(source_ids, "the source ids in data/sources.csv")
    case = _id_in(case_ids, "the case ids in data/case_studies.csv")
    case_or_blank = text(*([] if case_ids is None else [Check(lambda v: v.isin(list(case_ids)), element_wise=False,
                                                              error="must be blank or one of the case ids in data/case_studies.csv")]),
                         nullable=True)
    rating = text(_one_of(RATING, "high, medium, low"))
    yes_no = text(_one_of(YES_NO, "yes or no"))
    return {
        "sources.csv": pa.DataFrameSchema(
            {
                "source_id": _key("lower-case letters and digits only", r"^[a-z0-9]+$"),
                "title": text(),
                "publisher": text(),
                "published": text(),
                "url": text(Check.str_matches(r"^https?://", error="must be a web address starting http:// or https://")),
                # blank when the address is the publisher's own page; otherwise whose copy it is, and that the
                # publisher's own page is not known (see appraisal/inputs/addresses.py)
                "copy": text(Check.str_matches(COPY_PATTERN, error="must be blank for the publisher's own page, or start "
                                                                 "'mirror: ' or 'archived copy: ' and say whose copy it is"),
                             nullable=True),
                "accessed": date(),
                "kind": text(),
                "quality": rating,
                "suitability": rating,
                # a copy read beside the publisher's own page (the main address), and whose copy it is
                "kept_copy_url": text(Check.str_matches(r"^https?://", error="must be blank or a web address starting "
                                                                              "http:// or https://"), nullable=True),
                "kept_copy": text(Check.str_matches(COPY_PATTERN, error="must be blank, or start 'mirror: ' or "
                                                                      "'archived copy: ' and say whose copy it is"),
                                  nullable=True),
            },
            unique=["source_id"], strict=True, ordered=False,
            # rules across a row's columns, each problem reported on its row and column: no development or
            # unrelated host as the main address, and quality by the data log's rule
            metadata={"row_rules": (source_problems,)},
        ),
        "councils.csv": pa.DataFrameSchema(
            {
                "ons_code": code(Check.str_matches(r"^E0[6-9][0-9]{6}$", error="must be an ONS local authority code such as E07000008")),
                "name": text(),
                # the pages, tables and charts tell the councils apart by their short names
                "short_name": Column(str, nullable=False, unique=True, metadata={
                    "kind": "text", "unique_because": "each council needs a short name of its own"}),
                # the largest English council (Birmingham) has about 1.2 million residents
                "population": whole(1, 2_000_000, "must be a positive whole number, at most 2,000,000"),
                "population_year": whole(1991, 2030, "must be a year between 1991 and 2030"),
                "source_id": src,
                "evidence_id": code(),
            },
            unique=["ons_code"], strict=True,
        ),
        "baseline_costs.csv": pa.DataFrameSchema(
            {
                "service": text(),
                # the three councils' combined ICT cost is about £6 million a year
                "annual_cost_gbp": number(0, 100_000_000, "must be a positive amount in pounds, at most 100,000,000, digits only",
                                          above_lo=True),
                "price_year": whole(2000, 2030, "must be a year between 2000 and 2030"),
                "chosen": yes_no,
                "source_id": src,
                "evidence_id": code(),
                "note": text(),
            },
            unique=["service", "source_id"], strict=True,
            checks=Check(lambda df: _one_chosen_per(df, "service"), element_wise=False,
                         error="each service needs exactly one row with chosen = yes"),
        ),
        "council_finance.csv": pa.DataFrameSchema(
            {
                "ons_code": _id_in(council_codes, "the ONS codes in data/councils.csv"),
                "year": financial_year(),
                "measure": text(_one_of(["central_services", "net_revenue_expenditure"], "central_services, net_revenue_expenditure")),
                # £ thousand: a district's net revenue spending is £10-25 million; £1 billion also
                # catches an amount typed in pounds instead of thousands
                "value_gbp_thousand": number(0, 1_000_000, "must be a positive amount in £ thousand, at most 1,000,000 (£1 billion)",
                                             above_lo=True),
                "source_id": src,
                "evidence_id": code(),
            },
            unique=["ons_code", "year", "measure"], strict=True,
        ),
        "lga_shared_services_map.csv": pa.DataFrameSchema(
            {
                "release": text(),
                "release_date": date(),
                "cumulative_savings_gbp_m": number(0, 10_000, "must be from 0 to 10,000, in £ million"),
                "arrangements": whole(1, 10_000, "must be a positive whole number, at most 10,000", nullable=True),
                "source_id": src,
                "evidence_id": code(),
                "note": text(),
            },
            unique=["release_date"], strict=True,
        ),
        "key_facts.csv": pa.DataFrameSchema(
            {
                "key": _key(),
                # counts, percentages and amounts in pounds or £ million: none is negative
                "value": number(0, 1_000_000_000),
                "unit": text(),
                "period": text(),
                "description": text(),
                "source_id": src,
                "evidence_id": code(),
            },
            unique=["key"], strict=True,
            checks=[_has_row("key", key, why) for key, why in STATED_KEY_FACTS.items()],
        ),
        "timeline.csv": pa.DataFrameSchema(
            {
                "date": date(),
                "date_label": text(),
                "milestone": code(Check.str_matches(r"^[a-z_]+$", error="must be a short key such as go_live"),
                                  Check(lambda col: col.dropna().is_unique, element_wise=False,
                                        error="each milestone key may appear only once"), nullable=True),
                "event": text(),
                "source_id": src,
                "evidence_id": code(),
            },
            unique=["date", "event"], strict=True,
            checks=[_has_row("milestone", key, why) for key, why in STATED_MILESTONES.items()],
        ),
        "conflicting_figures.csv": pa.DataFrameSchema(
            {
                "topic": text(),
                # reported amounts (£ million) and counts: none is negative
                "value": number(0, 1_000_000),
                "unit": text(),
                "source_id": src,
                "evidence_id": code(),
                "chosen": yes_no,
                "reason": text(),
            },
            unique=["topic", "source_id", "evidence_id"], strict=True,
            checks=[Check(lambda df: _one_chosen_per(df, "topic"), element_wise=False,
                          error="each topic needs exactly one row with chosen = yes")]
            + [_has_row("topic", topic, why, prefix=True) for topic, why in STATED_TOPICS.items()],
        ),
        "case_studies.csv": pa.DataFrameSchema(
            {
                "case_id": _key(),
                "name": text(), "partners": text(), "services": text(), "model": text(),
                "kind": text(_one_of(CASE_KINDS, ", ".join(CASE_KINDS))),
                # blank, or the case id of the programme this case is part of: the two count as one case
                "part_of": case_or_blank,
                "started": text(_year_from(1990, 2030)),
                "ended": text(),
                "status": text(_one_of(CASE_STATUSES, ", ".join(CASE_STATUSES))),
                "status_source_id": src,
                "outcome": text(), "lesson": text(),
                "source_id": src,
            },
            unique=["case_id"], strict=True,
        ),
        "case_study_outcomes.csv": pa.DataFrameSchema(
            {
                "case_id": case,
                "measure": text(_one_of(["savings", "service_savings", "one_off_cost", "delay_months"],
                                        "savings, service_savings, one_off_cost, delay_months")),
                # percentages, months and £ million (largest 1,000); an overspend is a negative saving
                "projected": number(-10_000, 10_000, nullable=True),
                "actual": number(-10_000, 10_000, nullable=True),
                "unit": text(), "period": text(),
                "like_for_like": text(_one_of(LIKE_FOR_LIKE, ", ".join(LIKE_FOR_LIKE))),
                # the years each figure covers, for pro-rating a plan to the years measured
                "projected_years": number(0, 50, nullable=True, above_lo=True),
                "actual_years": number(0, 50, nullable=True, above_lo=True),
                "basis": text(),
                "status": text(_one_of(FIGURE_STATUSES, ", ".join(FIGURE_STATUSES))),
                "figure": text(_one_of(CASE_FIGURES, ", ".join(CASE_FIGURES))),
                "plan_derivation": text(nullable=True),
                "source_id": src,
                "actual_source_id": src,
                "evidence_id": code(),
                "note": text(nullable=True),
            },
            unique=["case_id", "measure"], strict=True,
            checks=Check(_pro_rated_rows_give_both_years, element_wise=False,
                         error="a pro-rated row needs both projected_years and actual_years"),
        ),
        "one_off_costs.csv": pa.DataFrameSchema(
            {
                "case_id": _key(),
                "name": text(), "services": text(),
                "kind": text(_one_of(CASE_KINDS, ", ".join(CASE_KINDS))),
                "figure": text(_one_of(["one_off_cost", "saving"], "one_off_cost, saving")),
                # pounds: the largest scheme here planned £38 million of savings over ten years
                "value_gbp": number(0, 1_000_000_000, "must be a positive amount in pounds, at most 1,000,000,000, digits only",
                                    above_lo=True),
                # years of saving a saving figure covers (1 for a year's saving); blank when not stated
                "years": number(0, 50, nullable=True, above_lo=True),
                "basis": text(_one_of(["plan", "outturn", "grant"], "plan, outturn, grant")),
                "chosen": yes_no,
                "source_id": src,
                "evidence_id": code(),
                "note": text(),
            },
            unique=["case_id", "figure", "evidence_id"], strict=True,
            checks=[
                Check(_one_chosen_cost_and_saving_per_scheme, element_wise=False,
                      error="each scheme needs exactly one one_off_cost row and one saving row with chosen = yes"),
                Check(lambda df: bool(df.groupby("case_id")[["name", "kind", "services"]].nunique().le(1).all().all()),
                      element_wise=False, error="each case_id needs the same name, kind and services on every row"),
                Check(lambda df: bool(df.loc[df["figure"].eq("one_off_cost"), "years"].isna().all()), element_wise=False,
                      error="years is for saving rows only; leave it blank on one_off_cost rows"),
            ],
        ),
        "typical_savings.csv": pa.DataFrameSchema(
            {
                "finding": text(),
                "saving_low_pct": number(-100, 100, "must be a percentage between -100 and 100"),
                "saving_high_pct": number(-100, 100, "must be a percentage between -100 and 100"),
                "basis": text(), "scope": text(),
                "source_id": src,
                "evidence_id": code(),
            },
            unique=["finding"], strict=True,
            checks=Check(lambda df: bool((df["saving_low_pct"] <= df["saving_high_pct"])[df["saving_low_pct"].notna()
                                   & df["saving_high_pct"].notna()].all()), element_wise=False,
                         error="saving_low_pct must not exceed saving_high_pct"),
        ),
        "risk_register.csv": pa.DataFrameSchema(
            {
                "risk_id": _key(),
                "risk": text(),
                "cases": code(*([] if case_ids is None else [Check(
                    lambda v: all(c.strip() in case_ids for c in str(v).split(";")), element_wise=True,
                    error="must list case ids from data/case_studies.csv, separated by ;")])),
                "parameter": _id_in(parameter_names, "the parameter names in data/parameters.yaml"),
                "stressed_level": text(_one_of(["low", "high"], "low or high")),
                "likelihood": number(0, 1, "must be a probability between 0 and 1"),
                "likelihood_basis": text(), "mitigation": text(), "owner": text(),
                "source_id": src,
            },
            unique=["risk_id"], strict=True,
        ),
    }


def columns_of_kind(schema: pa.DataFrameSchema, *kinds: str) -> list[str]:
    """The names of a schema's columns of the given kinds: number, whole, date, text."""
    return [name for name, col in schema.columns.items() if (col.metadata or {}).get("kind") in kinds]


def code_columns(schema: pa.DataFrameSchema) -> list[str]:
    """The names of a schema's columns of codes (ids, ONS codes, keys), which may hold ASCII only."""
    return [name for name, col in schema.columns.items() if (col.metadata or {}).get("code")]
