"""Chapter: case studies. Plans against results elsewhere, and the reference class the risk chapter uses."""
import numpy as np
import pandas as pd

from appraisal.model import reference_class as rc
from appraisal.publication import formats
from appraisal.publication.content import ChapterContent, Figure, Table, unique_ids
from appraisal.publication.figures import source_text_each

HIGHLIGHT_CASE = "three_c"                                # the case this publication appraises
SOUTHWEST_ONE_PROMISE = "Southwest One promised savings"  # topic in data/conflicting_figures.csv
STILL_RUNNING = "continuing"                              # how data/case_studies.csv marks a case not ended


def compute(inputs) -> ChapterContent:
    out = ChapterContent()
    cases = inputs.table("case_studies")
    outcomes = inputs.table("case_study_outcomes")
    sources = inputs.table("sources")
    ratios = rc.outcome_ratios(outcomes, cases)
    included = ratios[ratios["included"]]
    summary = rc.summary(ratios).set_index("measure")
    ratio_sources = unique_ids(included["source_id"], included["actual_source_id"])

    out.add("case_count", formats.count_words(len(cases)), len(cases), "cases")
    n_compared = included["case_id"].nunique()
    out.add("ratio_case_count", formats.count_words(n_compared), int(n_compared), "cases")
    s = summary.loc["savings"]
    saving_values = included.loc[included["measure"] == "savings", "value"]
    out.add("savings_ratio_median", formats.percent(s["median"]), float(s["median"]), "ratio")
    out.add("savings_ratio_cases", formats.count_words(int(s["cases"])), int(s["cases"]), "cases")
    out.add("savings_below_plan", formats.count_words(int((saving_values < 1).sum())), int((saving_values < 1).sum()), "cases")
    out.add("savings_negative", formats.count_words(int((saving_values < 0).sum())), int((saving_values < 0).sum()), "cases")
    c = summary.loc["one_off_cost"]
    out.add("cost_ratio_median", f"{c['median']:.2g}", float(c["median"]), "ratio")
    out.add("cost_ratio_cases", formats.count_words(int(c["cases"])), int(c["cases"]), "cases")
    d = summary.loc["delay_months"]
    out.add("delay_median", f"{d['median']:.0f} months", float(d["median"]), "months")
    promised = inputs.table("conflicting_figures")
    promised = promised.loc[promised["topic"].str.startswith(SOUTHWEST_ONE_PROMISE), "value"]
    out.add("swo_promised_low", formats.money(promised.min() * 1e6), float(promised.min()), "GBP million")
    out.add("swo_promised_high", formats.money(promised.max() * 1e6), float(promised.max()), "GBP million")
    own = included[(included["case_id"] == HIGHLIGHT_CASE) & (included["measure"] == "savings")]["value"]
    out.add("three_c_ratio", formats.percent(own.iloc[0]), float(own.iloc[0]), "ratio")

    chart = included[included["measure"] != "delay_months"].assign(
        Measure=lambda df: df["measure"].map(rc.RATIO_MEASURES),
        Case=lambda df: df["name"],
        Highlight=lambda df: np.where(df["case_id"].eq(HIGHLIGHT_CASE), "3C Shared Services", "Other cases"),
        Evidence=lambda df: df["basis"],
    )[["Case", "Measure", "value", "Highlight", "Evidence"]].rename(columns={"value": "Actual ÷ plan"})
    out.figures["fig-case-studies-ratios"] = Figure(
        f"Most shared services saved less than planned; the middle case {formats.percent(s['median'])} of plan",
        "Actual savings and one-off costs as a multiple of plan, by case, England, "
        f"{cases['started'].min()} to {_last_year(cases)}",
        "Dot chart of actual ÷ planned for each case. " + "; ".join(
            f"{r['Case']} ({r['Measure'].split(':')[0].lower()}): {r['Actual ÷ plan']:.2f}" for _, r in chart.iterrows()) + ".",
        chart, ratio_sources)

    shown = ratios.assign(Result=lambda df: df["value"].map(lambda v: "" if pd.isna(v) else f"{v:.2f}"))
    shown = shown.rename(columns={"name": "Case", "measure": "Measure", "projected": "Plan", "actual": "Actual",
                                  "unit": "Unit", "period": "Period", "basis": "Evidence",
                                  "excluded_because": "Not compared because"})
    out.tables["tbl-case-studies-outcomes"] = Table(
        "Plans against results; the result is actual ÷ plan, or months late for delays",
        shown[["Case", "Measure", "Plan", "Actual", "Unit", "Evidence", "Result", "Not compared because"]],
        unique_ids(ratios["source_id"], ratios["actual_source_id"]), raw=ratios)

    running = cases["ended"].str.startswith(STILL_RUNNING)
    timeline = cases.assign(start=lambda df: pd.to_datetime(df["started"] + "-01-01"),
                            end=lambda df: pd.to_datetime(df["ended"].str.extract(r"(\d{4})")[0]
                                                          .fillna(str(_last_year(cases))) + "-12-31"),
                            Case=lambda df: df["name"], Model=lambda df: df["model"])
    timeline = timeline[["Case", "Model", "start", "end", "ended"]]
    out.figures["fig-case-studies-timeline"] = Figure(
        f"{formats.count_words(int((~running).sum())).capitalize()} of the {len(cases)} cases have an end date; "
        f"{formats.count_words(int(running.sum()))} continue",
        f"Period of each case from start to end, or to {_last_year(cases)} where it continues",
        "Timeline bars for each case. " + "; ".join(
            f"{r['Case']}: {r['start'].year} to {r['ended']}" for _, r in timeline.iterrows()) + ".",
        timeline, unique_ids(cases["source_id"]))

    shown = cases.rename(columns={"name": "Case", "partners": "Partners", "services": "Services", "model": "Type",
                                  "started": "Start", "ended": "End", "outcome": "What happened",
                                  "lesson": "Lesson for the partner councils"})
    shown["Source"] = source_text_each(cases["source_id"], sources)
    out.tables["tbl-case-studies-cases"] = Table(
        "The cases compared", shown[["Case", "Partners", "Services", "Type", "Start", "End", "What happened",
                                     "Lesson for the partner councils", "Source"]],
        unique_ids(cases["source_id"]), raw=cases)

    out.tables["tbl-case-studies-summary"] = Table(
        "Reference class: spread of actual ÷ plan (months late for delays)",
        summary.reset_index().rename(columns={"measure": "Measure", "cases": "Cases", "min": "Lowest",
                                              "p25": "Lower quartile", "median": "Median",
                                              "p75": "Upper quartile", "max": "Highest"}),
        ratio_sources)
    return out


def _last_year(cases: pd.DataFrame) -> int:
    """The latest year any case mentions: the end of the period the chapter covers."""
    years = pd.concat([cases["started"], cases["ended"].str.extract(r"(\d{4})")[0]]).dropna().astype(int)
    return int(years.max())
