"""Chapter: case studies. Plans against results elsewhere, like with like; the reference class the risk
chapter uses; and what comparable schemes spent on setting up, in years of their planned savings."""
import numpy as np
import pandas as pd

from appraisal.model import reference_class as rc
from appraisal.model.assumptions import bounds as realisation_bounds
from appraisal.publication import formats
from appraisal.publication.content import ChapterContent, Figure, Table, unique_ids
from appraisal.publication.figures import source_text, source_text_each

HIGHLIGHT_CASE = "three_c"                                # the case this publication appraises
PRO_RATED_EXAMPLE = "southwest_one"                       # the case the prose uses to explain pro-rating
SOUTHWEST_ONE_PROMISE = "Southwest One promised savings"  # topic in data/conflicting_figures.csv
KIND_ORDER = ["council-to-council", "council company or joint system", "outsourcing joint venture",
              "central government"]                       # as declared for data/case_studies.csv
STATUS_ORDER = ["ended", "continuing", "not known"]
TIMELINE_START, TIMELINE_END = "Start (year)", "End or latest report (year)"  # the timeline's bars, in years


def compute(inputs) -> ChapterContent:
    out = ChapterContent()
    cases = inputs.table("case_studies")
    outcomes = inputs.table("case_study_outcomes")
    sources = inputs.table("sources")
    ratios = rc.outcome_ratios(outcomes, cases)
    bounds = realisation_bounds(inputs.params)
    _headlines(out, cases, ratios, inputs.table("conflicting_figures"), bounds)
    _ratio_figure(out, cases, ratios)
    _outcomes_table(out, ratios, bounds)
    _summary_table(out, ratios, bounds)
    _timeline(out, cases)
    _cases_table(out, cases, sources)
    _one_off(out, inputs.table("one_off_costs"), sources)
    return out


def _headlines(out: ChapterContent, cases, ratios, conflicting, bounds: tuple[float, float]) -> None:
    included = ratios[ratios["included"]]
    summary = rc.summary(ratios).set_index("measure")
    out.add("case_count", formats.count_words(len(cases)), len(cases), "cases")
    n_compared = included["counts_as"].nunique()  # a case inside a programme counts as that programme
    out.add("ratio_case_count", formats.count_words(n_compared), int(n_compared), "cases")
    for status in STATUS_ORDER:
        n = int(cases["status"].eq(status).sum())
        out.add(f"{status.replace(' ', '_')}_count", formats.count_words(n), n, "cases")

    s = summary.loc["savings"]
    saving_values = included.loc[included["measure"] == "savings", "value"]
    out.add("savings_ratio_median", formats.percent(s["median"]), float(s["median"]), "ratio")
    out.add("savings_ratio_cases", formats.count_words(int(s["cases"])), int(s["cases"]), "cases")
    out.add("savings_below_plan", formats.count_words(int((saving_values < 1).sum())), int((saving_values < 1).sum()), "cases")
    not_gross = int(ratios["excluded_because"].isin(rc.FIGURE_REASONS.values()).sum())
    out.add("savings_not_gross", formats.count_words(not_gross), not_gross, "figures")
    lowest, highest = bounds
    bounded = int(((saving_values < lowest) | (saving_values > highest)).sum())
    out.add("savings_bounded", formats.count_words(bounded), bounded, "cases")
    out.add("realisation_lower_bound", "none" if lowest == 0 else formats.percent(lowest), lowest, "ratio")
    out.add("realisation_upper_bound", formats.percent(highest), highest, "ratio")
    part_of = int(ratios["excluded_because"].str.startswith("part of ").sum())
    out.add("part_of_count", formats.count_words(part_of), part_of, "figures")
    c = summary.loc["one_off_cost"]
    cost_values = included.loc[included["measure"] == "one_off_cost", "value"]
    out.add("cost_ratio_median", f"{c['median']:.2g}", float(c["median"]), "ratio")
    # The same quantity in the words the savings chapter uses for it (the overrun on one-off costs):
    # '84%', for 'cost 84% more than planned'.
    out.add("cost_overrun_median", formats.percent(c["median"] - 1), float(c["median"] - 1),
            "share above the planned one-off cost")
    out.add("cost_ratio_cases", formats.count_words(int(c["cases"])), int(c["cases"]), "cases")
    overran = int((cost_values > 1).sum())
    out.add("cost_overran", (f"all {formats.count_words(overran)}" if overran == len(cost_values) > 2
                             else formats.count_words(overran)), overran, "cases")
    d = summary.loc["delay_months"]
    out.add("delay_median", f"{d['median']:.0f} months", float(d["median"]), "months")
    not_known = ratios[ratios["excluded_because"].eq(rc.NOT_KNOWN_REASON)]
    out.add("period_not_known_count", formats.count_words(len(not_known)), len(not_known), "figures")

    example = ratios[(ratios["case_id"] == PRO_RATED_EXAMPLE) & ratios["like_for_like"].eq(rc.PRO_RATED)].iloc[0]
    out.add("swo_actual_years", formats.count_words(int(example["actual_years"])), float(example["actual_years"]), "years")
    out.add("swo_projected_years", formats.count_words(int(example["projected_years"])), float(example["projected_years"]), "years")
    out.add("swo_ratio", formats.percent(example["value"]), float(example["value"]), "ratio")
    promised = conflicting.loc[conflicting["topic"].str.startswith(SOUTHWEST_ONE_PROMISE), "value"]
    out.add("swo_promised_low", formats.money(promised.min() * 1e6), float(promised.min()), "GBP million")
    out.add("swo_promised_high", formats.money(promised.max() * 1e6), float(promised.max()), "GBP million")
    own = included[(included["case_id"] == HIGHLIGHT_CASE) & (included["measure"] == "savings")]["value"]
    out.add("three_c_ratio", formats.percent(own.iloc[0]), float(own.iloc[0]), "ratio")
    unmatched = not_known[(not_known["case_id"] == HIGHLIGHT_CASE) & (not_known["measure"] == "service_savings")].iloc[0]
    out.add("three_c_unmatched_saving", formats.fact_text(unmatched["actual"], unmatched["unit"]),
            float(unmatched["actual"]), unmatched["unit"])
    out.add("three_c_unmatched_plan", formats.fact_text(unmatched["projected"], unmatched["unit"]),
            float(unmatched["projected"]), unmatched["unit"])

    council = cases[cases["kind"].eq(rc.COUNCIL)]
    out.add("council_case_total", formats.count_words(len(council)), len(council), "cases")
    council_included = rc.council_cases(included)
    n = council_included["case_id"].nunique()
    out.add("council_ratio_case_count", formats.count_words(n), int(n), "cases")
    council_savings = council_included.loc[council_included["measure"] == "savings", "value"]
    out.add("council_savings_ratio_cases", formats.count_words(len(council_savings)), len(council_savings), "cases")
    out.add("council_savings_ratio_median", formats.percent(council_savings.median()), float(council_savings.median()), "ratio")
    out.add("council_savings_below_plan", formats.count_words(int((council_savings < 1).sum())),
            int((council_savings < 1).sum()), "cases")


def _kind_then(df: pd.DataFrame, *columns) -> pd.DataFrame:
    """Rows grouped by kind (council-to-council first), then by the given columns."""
    order = df["kind"].map({k: i for i, k in enumerate(KIND_ORDER)})
    return df.assign(_order=order).sort_values(["_order", *columns]).drop(columns="_order")


def _ratio_figure(out: ChapterContent, cases, ratios) -> None:
    included = ratios[ratios["included"]]
    ratio_sources = unique_ids(included["source_id"], included["actual_source_id"])
    median = rc.summary(ratios).set_index("measure").loc["savings", "median"]
    chart = _kind_then(included[included["measure"] != "delay_months"], "measure", "value").assign(
        Measure=lambda df: df["measure"].map(rc.RATIO_MEASURES),
        Case=lambda df: df["name"],
        Kind=lambda df: df["kind"],
        Highlight=lambda df: np.where(df["case_id"].eq(HIGHLIGHT_CASE), "3C Shared Services", "Other cases"),
        Evidence=lambda df: df["status"],
    )[["Case", "Kind", "Measure", "value", "Highlight", "Evidence"]].rename(columns={"value": "Actual ÷ plan"})
    out.figures["fig-case-studies-ratios"] = Figure(
        f"Most shared services saved less than planned; the middle case {formats.percent(median)} of plan",
        "Actual savings (against the plan for the same years) and one-off costs as a multiple of plan, "
        f"by case and kind of arrangement, England, {cases['started'].min()} to {_last_year(cases)}",
        "Dot chart of actual ÷ planned for each case, grouped by kind of arrangement. " + "; ".join(
            f"{r['Case']} ({r['Kind']}, {r['Measure'].split(':')[0].lower()}): {formats.significant(r['Actual ÷ plan'])}"
            for _, r in chart.iterrows()) + ".",
        chart.reset_index(drop=True), ratio_sources)


def _years_compared(row) -> str:
    if row["measure"] == "delay_months":
        return ""
    if row["like_for_like"] == rc.PRO_RATED:
        return f"plan for {_years(row['projected_years'])} scaled to the {_years(row['actual_years'])} measured"
    return row["like_for_like"]


def _years(n: float) -> str:
    return f"{n:g} year" if n == 1 else f"{n:g} years"


def _outcomes_table(out: ChapterContent, ratios, bounds: tuple[float, float]) -> None:
    shown = _kind_then(ratios, "name").assign(
        Result=lambda df: df["value"].map(lambda v: "" if pd.isna(v) else formats.significant(v)),
        Used=lambda df: [used_text(m, v, bounds) for m, v in zip(df["measure"], df["value"])],
        Compared=lambda df: df.apply(_years_compared, axis=1),
        Measure=lambda df: df["measure"].map(rc.MEASURE_LABELS).str.split(":").str[0])
    shown = shown.rename(columns={"name": "Case", "kind": "Kind", "projected": "Plan", "actual": "Actual",
                                  "unit": "Unit", "period": "Period", "plan_same_years": "Plan for the years measured",
                                  "Compared": "Years compared", "basis": "Reported by", "status": "Status",
                                  "figure": "What it measures", "plan_derivation": "How the plan was found",
                                  "Used": "Value the model uses",
                                  "excluded_because": "Not compared because"})
    out.tables["tbl-case-studies-outcomes"] = Table(
        "Plans against results, like with like; the result is actual ÷ plan for the same years, or months late for delays",
        shown[["Case", "Kind", "Measure", "What it measures", "Plan", "Actual", "Unit", "Period", "Years compared",
               "Plan for the years measured", "How the plan was found", "Reported by", "Status", "Result",
               "Value the model uses", "Not compared because"]],
        unique_ids(ratios["source_id"], ratios["actual_source_id"]),
        raw=ratios.rename(columns={"value": "Result (actual ÷ plan, or months late for a delay)"}))


def used_value(measure: str, value: float, bounds: tuple[float, float]) -> float:
    """A case's value as the model uses it: a share of plan achieved is held within `bounds`."""
    return float(np.clip(value, *bounds)) if measure == "savings" else value


def used_text(measure: str, value: float, bounds: tuple[float, float]) -> str:
    if pd.isna(value):
        return ""
    if measure == "delay_months":
        return "none: the share achieved already holds each case's delay"
    if measure == "service_savings":
        return "none: one service's saving is not a partnership's"
    return formats.significant(used_value(measure, value, bounds))


def _summary_table(out: ChapterContent, ratios, bounds: tuple[float, float]) -> None:
    ratios = ratios.assign(value=[used_value(m, v, bounds) for m, v in zip(ratios["measure"], ratios["value"])])
    included = ratios[ratios["included"]]
    groups = [("All cases", ratios), ("Council-to-council only", rc.council_cases(ratios))]
    table = pd.concat([rc.summary(r).assign(Group=g) for g, r in groups], ignore_index=True)
    table["Measure"] = table["measure"].map(rc.MEASURE_LABELS)
    out.tables["tbl-case-studies-summary"] = Table(
        "Reference class as the model uses it: spread of actual ÷ plan (months late for delays), all cases and "
        "council-to-council cases only",
        table.rename(columns={"cases": "Cases", "min": "Lowest", "p25": "Lower quartile", "median": "Median",
                              "p75": "Upper quartile", "max": "Highest"})[
            ["Group", "Measure", "Cases", "Lowest", "Lower quartile", "Median", "Upper quartile", "Highest"]],
        unique_ids(included["source_id"], included["actual_source_id"]))


def _timeline(out: ChapterContent, cases) -> None:
    counts = {s: int(cases["status"].eq(s).sum()) for s in STATUS_ORDER}
    last = _last_year(cases)
    timeline = pd.DataFrame({
        "Case": cases["name"], "Kind": cases["kind"], "Status": cases["status"],
        TIMELINE_START: cases["started"].astype(int),
        TIMELINE_END: cases["ended"].str.extract(r"(\d{4})")[0].fillna(str(last)).astype(int),
        "End or latest report": cases["ended"]}).reset_index(drop=True)
    out.figures["fig-case-studies-timeline"] = Figure(
        f"{formats.count_words(counts['ended']).capitalize()} of the {len(cases)} cases have ended, "
        f"{formats.count_words(counts['continuing'])} continue, and for {formats.count_words(counts['not known'])} "
        "the end is not known",
        f"Period of each case from its start to its end, or to the latest report found where it continues or "
        f"its end is not known, to {last}",
        "Timeline bars for each case, coloured by status: a bar that ends in an arrow is a case still running at "
        "its latest report. " + "; ".join(
            f"{r['Case']}: {r[TIMELINE_START]} to {r['End or latest report']} ({r['Status']})"
            for _, r in timeline.iterrows()) + ".",
        timeline, unique_ids(cases["source_id"], cases["status_source_id"]))


def _cases_table(out: ChapterContent, cases, sources) -> None:
    ordered = _kind_then(cases, "started")
    shown = ordered.rename(columns={"name": "Case", "partners": "Partners", "services": "Services", "kind": "Kind",
                                    "model": "Arrangement", "started": "Start", "ended": "End or latest report",
                                    "status": "Status", "outcome": "What happened",
                                    "lesson": "Lesson for the partner councils"})
    shown["Source"] = [source_text([a, b], sources) for a, b in zip(ordered["source_id"], ordered["status_source_id"])]
    out.tables["tbl-case-studies-cases"] = Table(
        "The cases compared, by kind of arrangement",
        shown[["Case", "Kind", "Partners", "Services", "Arrangement", "Start", "End or latest report", "Status",
               "What happened", "Lesson for the partner councils", "Source"]],
        unique_ids(cases["source_id"], cases["status_source_id"]), raw=cases)


def _years_of_savings(ratio: float) -> str:
    shown = f"{ratio:.2g}"
    return f"{shown} year of savings" if shown == "1" else f"{shown} years of savings"


def _not_used(table: pd.DataFrame, case_id: str, sources) -> str:
    """The figures reported for a scheme but not used, each with its source."""
    rows = table[(table["case_id"] == case_id) & table["chosen"].eq("no")]
    return "; ".join(f"{_figure_text(r)} ({r['basis']}; {source_text([r['source_id']], sources)})"
                     for _, r in rows.iterrows())


def _figure_text(row) -> str:
    amount = f"£{row['value_gbp']:,.0f}"  # exact, so that figures that differ only slightly stay apart
    if row["figure"] == rc.ONE_OFF:
        return f"one-off {amount}"
    period = "period not stated" if pd.isna(row["years"]) else f"over {_years(row['years'])}"
    return f"saving {amount} {period}"


def _one_off(out: ChapterContent, table: pd.DataFrame, sources) -> None:
    evidence = rc.one_off_cost_evidence(table)
    compared = rc.one_off_cost_ratios(table)
    council = rc.council_cases(compared)
    for key, value in (("low", compared["ratio"].min()), ("median", compared["ratio"].median()),
                       ("high", compared["ratio"].max())):
        out.add(f"one_off_ratio_{key}", _years_of_savings(value), float(value), "years of planned saving")
    out.add("one_off_scheme_count", formats.count_words(len(compared)), len(compared), "schemes")
    out.add("one_off_excluded_count", formats.count_words(int((~evidence["included"]).sum())),
            int((~evidence["included"]).sum()), "schemes")
    for key, basis in (("one_off_grant_count", rc.GRANT), ("one_off_outturn_count", rc.OUTTURN)):
        n = int(evidence["one_off_basis"].eq(basis).sum())
        out.add(key, formats.count_words(n), n, "schemes")
    out.add("one_off_council_count", formats.count_words(len(council)), len(council), "schemes")
    out.add("one_off_council_ratio_median", _years_of_savings(council["ratio"].median()),
            float(council["ratio"].median()), "years of planned saving")

    shown = _kind_then(evidence, "ratio").assign(
        Source=lambda df: [source_text(ids, sources) for ids in df["source_ids"]],
        Unused=lambda df: [_not_used(table, c, sources) for c in df["case_id"]])
    shown = shown.rename(columns={
        "name": "Scheme", "kind": "Kind", "services": "Services", "one_off_gbp": "One-off cost (£)",
        "one_off_basis": "One-off basis", "saving_gbp": "Planned saving (£)", "saving_years": "Over years",
        "saving_basis": "Saving basis", "annual_saving_gbp": "Saving a year (£)",
        "ratio": "One-off ÷ saving a year (years)", "excluded_because": "Not compared because",
        "Unused": "Figures reported but not used"})
    out.tables["tbl-case-studies-one-off"] = Table(
        "One-off costs of comparable schemes in years of their saving: one-off cost ÷ saving a year",
        shown[["Scheme", "Kind", "Services", "One-off cost (£)", "One-off basis", "Planned saving (£)", "Over years",
               "Saving basis", "Saving a year (£)", "One-off ÷ saving a year (years)", "Not compared because",
               "Figures reported but not used", "Source"]],
        unique_ids(table["source_id"]), raw=table)


def _last_year(cases: pd.DataFrame) -> int:
    """The latest year any case mentions: the end of the period the chapter covers."""
    years = pd.concat([cases["started"], cases["ended"].str.extract(r"(\d{4})")[0]]).dropna().astype(int)
    return int(years.max())
