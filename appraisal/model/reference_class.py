"""The reference class: how actual savings, costs and timing compared with plans elsewhere, like with like,
and how many years of planned savings comparable schemes spent on setting up.

One definition of each measure, applied to every case:
- savings: the gross saving achieved ÷ the saving the plan expected for the same years, as the scheme
  actually ran. The ratio therefore already holds the scheme's own late start and slow build-up; the
  appraisal applies it to the partnership's planned profile and adds no separate delay or ramp.
  Only a gross saving is compared: a figure that nets set-up costs against savings, or an overspend that
  mixes one-off and running costs, is left out with its reason (its one-off side, where the source gives
  it, is compared as a one-off cost).
- one_off_cost: the one-off cost spent ÷ the one-off cost planned.
- delay_months: months later than planned that the scheme started.
Like with like: where a plan covers more years than the outcome measured (ten years promised, five
measured), the plan is pro-rated on a straight line to the years measured. Where the years a figure covers
are not known, the case is left out, with that reason. A case that is part of a larger programme in the
class counts as that programme: a measure the programme reports is taken from the programme alone.
"""
import numpy as np
import pandas as pd

COUNCIL = "council-to-council"  # the kind of case most like the one appraised
# Savings of the whole arrangement and of one of its services are kept apart: a service's saving in pounds
# is not like a partnership's saving as a share of its baseline.
RATIO_MEASURES = {"savings": "Savings: actual ÷ plan for the same years",
                  "service_savings": "Savings of one service: actual ÷ plan for the same years",
                  "one_off_cost": "One-off cost: actual ÷ planned"}
MEASURE_LABELS = {**RATIO_MEASURES, "delay_months": "Delay: months late"}
PRO_RATED, PERIOD_NOT_KNOWN, SAME_PERIOD = "pro-rated", "period not known", "same period"
ONE_OFF, SAVING, GRANT, OUTTURN = "one_off_cost", "saving", "grant", "outturn"

NOT_KNOWN_REASON = "the years each figure covers are not both known, so the plan cannot be matched to the years measured"
GRANT_REASON = "the one-off figure is a government grant, which pays for only part of the set-up cost"
OUTTURN_REASON = ("the one-off figure is an outturn: the appraisal raises planned one-off costs by the overruns "
                  "other cases showed, so only plans are compared")
NO_PERIOD_REASON = "the saving's period is not stated, so it cannot be put per year"
GROSS = "gross saving"
FIGURE_REASONS = {
    "net of set-up costs": ("a net figure: it sets savings against set-up costs, and the source does not give the "
                            "two apart, so it is not a saving in running costs"),
    "overspend": ("an overspend against budget over the set-up years, which mixes one-off and running costs; the "
                  "source does not split them or say that running costs rose"),
}


def part_of_reason(programme: str) -> str:
    return f"part of {programme}, which reports this measure for the whole programme"


def plan_for_years_measured(projected, projected_years, actual_years):
    """A plan pro-rated on a straight line to the years measured: 100 over 10 years is 50 over 5."""
    return projected * actual_years / projected_years


def outcome_ratios(outcomes: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """One row per case and measure: actual ÷ plan for the same years (months late for delays),
    or the reason it is excluded. Negative savings ratios (costs rose) are kept as they are."""
    case_columns = ["case_id", "name", "model", "kind"] + (["part_of"] if "part_of" in cases else [])
    df = outcomes.merge(cases[case_columns], on="case_id", how="left")
    for column, default in (("like_for_like", SAME_PERIOD), ("projected_years", np.nan), ("actual_years", np.nan),
                            ("figure", None), ("status", ""), ("plan_derivation", ""), ("part_of", None)):
        if column not in df:
            df[column] = default
    if df["figure"].isna().all():  # tables without the column: every saving is taken as gross
        df["figure"] = np.where(df["measure"].isin(["savings", "service_savings"]), GROSS, df["measure"])
    df["part_of"] = df["part_of"].where(df["part_of"].notna() & df["part_of"].ne(""), None)
    # a case inside a programme counts as that programme; the programme's own figure wins for a measure
    df["counts_as"] = df["part_of"].fillna(df["case_id"])
    programme_reports = set(zip(df.loc[df["part_of"].isna(), "case_id"], df.loc[df["part_of"].isna(), "measure"]))
    names = cases.set_index("case_id")["name"]
    covered = [(p is not None and (p, m) in programme_reports) for p, m in zip(df["part_of"], df["measure"])]
    savings_like = df["measure"].isin(["savings", "service_savings"])
    not_gross = savings_like & df["figure"].ne(GROSS)
    delay = df["measure"].eq("delay_months")
    pro_rated = df["like_for_like"].eq(PRO_RATED) & ~delay
    df["plan_same_years"] = df["projected"].where(
        ~pro_rated, plan_for_years_measured(df["projected"], df["projected_years"], df["actual_years"]))
    with np.errstate(divide="ignore", invalid="ignore"):
        df["value"] = np.where(delay, df["actual"] - df["projected"], df["actual"] / df["plan_same_years"])
    reason = np.select(
        [np.asarray(covered), not_gross, df["projected"].isna(), df["actual"].isna(),
         ~delay & df["like_for_like"].eq(PERIOD_NOT_KNOWN), ~delay & df["plan_same_years"].eq(0)],
        [np.array([part_of_reason(names.get(p, p)) if c else "" for p, c in zip(df["part_of"], covered)], dtype=object),
         df["figure"].map(FIGURE_REASONS).fillna("").to_numpy(dtype=object),
         "no projected figure", "no actual figure on the same basis", NOT_KNOWN_REASON, "projected figure is zero"],
        default="")
    df["included"] = reason == ""
    df["excluded_because"] = reason
    df.loc[~df["included"], "value"] = np.nan
    return df[["case_id", "name", "model", "kind", "measure", "projected", "actual", "unit", "period",
               "like_for_like", "projected_years", "actual_years", "plan_same_years", "basis", "status", "figure",
               "plan_derivation", "counts_as", "value", "included", "excluded_because", "source_id",
               "actual_source_id"]]


def summary(ratios: pd.DataFrame) -> pd.DataFrame:
    """Count, quartiles and range of each measure over the included cases."""
    rows = []
    for measure, group in ratios[ratios["included"]].groupby("measure"):
        v = group["value"].to_numpy(dtype=float)
        rows.append({"measure": measure, "cases": len(v), "min": v.min(),
                     "p25": np.quantile(v, 0.25), "median": np.median(v),
                     "p75": np.quantile(v, 0.75), "max": v.max()})
    return pd.DataFrame(rows, columns=["measure", "cases", "min", "p25", "median", "p75", "max"])


REFERENCE_COLUMNS = ["case_id", "measure", "value", "basis", "kind"]


def reference_values(ratios: pd.DataFrame) -> pd.DataFrame:
    """The included cases' values, one row per case and measure: what the Monte Carlo draws from. A case that
    is part of a programme is named by the programme, so the two are drawn together as one case."""
    rows = ratios.loc[ratios["included"]]
    if "counts_as" in rows:
        rows = rows.assign(case_id=rows["counts_as"])
    return rows[REFERENCE_COLUMNS].sort_values(["measure", "case_id"]).reset_index(drop=True)


def council_cases(reference: pd.DataFrame) -> pd.DataFrame:
    """The rows whose kind is council-to-council (of the reference values, the ratios or the one-off costs)."""
    return reference[reference["kind"].eq(COUNCIL)].reset_index(drop=True)


def one_off_cost_evidence(one_off_costs: pd.DataFrame) -> pd.DataFrame:
    """One row per scheme from its chosen figures: one-off cost, saving a year, and their ratio (the years
    of planned saving the set-up costs), or the reason the scheme is not compared."""
    chosen = one_off_costs[one_off_costs["chosen"].eq("yes")]
    cost = chosen[chosen["figure"].eq(ONE_OFF)].set_index("case_id")
    saving = chosen[chosen["figure"].eq(SAVING)].set_index("case_id")
    df = one_off_costs.drop_duplicates("case_id").set_index("case_id")[["name", "kind", "services"]]
    df["one_off_gbp"] = cost["value_gbp"]
    df["one_off_basis"] = cost["basis"]
    df["saving_gbp"] = saving["value_gbp"]
    df["saving_years"] = saving["years"]
    df["saving_basis"] = saving["basis"]
    df["annual_saving_gbp"] = df["saving_gbp"] / df["saving_years"]
    df["ratio"] = df["one_off_gbp"] / df["annual_saving_gbp"]
    reasons = pd.concat([df["one_off_basis"].eq(GRANT).map({True: GRANT_REASON, False: ""}),
                         df["one_off_basis"].eq(OUTTURN).map({True: OUTTURN_REASON, False: ""}),
                         df["saving_years"].isna().map({True: NO_PERIOD_REASON, False: ""})], axis=1)
    df["excluded_because"] = reasons.apply(lambda r: "; ".join(s for s in r if s), axis=1)
    df["included"] = df["excluded_because"].eq("")
    df.loc[~df["included"], "ratio"] = np.nan
    df["source_ids"] = [tuple(dict.fromkeys((cost.at[i, "source_id"], saving.at[i, "source_id"]))) for i in df.index]
    return df.reset_index()


def one_off_cost_ratios(one_off_costs: pd.DataFrame) -> pd.DataFrame:
    """The compared schemes, one row each (the chosen figure where sources conflict): one-off cost,
    planned saving a year and their ratio, i.e. how many years of that saving the set-up costs."""
    evidence = one_off_cost_evidence(one_off_costs)
    return (evidence.loc[evidence["included"], ["case_id", "name", "kind", "one_off_gbp", "annual_saving_gbp",
                                                 "ratio", "source_ids"]]
            .reset_index(drop=True))
