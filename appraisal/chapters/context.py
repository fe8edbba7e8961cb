"""Chapter: context. The 2014 decision, the pressure on budgets, how 3C developed, the national picture,
and where sources disagree."""
import pandas as pd

from appraisal.chapters import partnership
from appraisal.publication import formats
from appraisal.publication.content import ChapterContent, Figure, Table, unique_ids
from appraisal.publication.figures import source_text_each

MILESTONES = ("go_live", "first_planned")  # timeline keys the prose names
# Judgement: releases of the LGA map further apart than this are not joined by a line, so that years with no
# release are drawn as a gap, not as a straight line through them. The map's releases came every few months
# to two years while it was kept up.
LGA_GAP_YEARS = 2
LGA_LINE = "Releases joined by a line"


def release_runs(dates: pd.Series) -> list[str]:
    """For each release (in date order), the run of releases it belongs to, as its years: '2011 to 2014'.
    A new run starts where a release comes more than LGA_GAP_YEARS after the one before."""
    when = pd.to_datetime(dates)
    run = (when.diff() > pd.Timedelta(days=365.25 * LGA_GAP_YEARS)).cumsum()
    first, last = when.groupby(run).transform("min"), when.groupby(run).transform("max")
    return [f"{a.year} to {b.year}" if a.year != b.year else str(a.year) for a, b in zip(first, last)]


def gap_text(data: pd.DataFrame) -> str:
    """The gaps between runs of releases, in words, for the chart's text alternative."""
    runs = list(dict.fromkeys(data[LGA_LINE]))
    if len(runs) < 2:
        return ""
    ends = [(r.split(" to ")[-1], nxt.split(" to ")[0]) for r, nxt in zip(runs, runs[1:])]
    return " No release is known between " + formats.join_names([f"{a} and {b}" for a, b in ends]) + \
        ", so the line is broken there."


def compute(inputs) -> ChapterContent:
    out = ChapterContent()
    p = inputs.params
    sources = inputs.table("sources")
    for key, row in inputs.table("key_facts").set_index("key").iterrows():
        out.add(key, formats.fact_text(row["value"], row["unit"]), float(row["value"]), row["unit"])

    chosen = partnership.chosen_baseline(inputs).set_index("service")["annual_cost_gbp"]
    for service, cost in chosen.items():
        out.add(f"baseline_{service.lower()}", formats.money(cost), float(cost), "GBP per year")
    councils = partnership.councils(inputs)
    out.add("partner_names", partnership.council_names(inputs))
    out.add("partner_count", formats.count_words(len(councils)), len(councils), "councils")
    out.add("services", partnership.services_text(inputs))
    for code, row in inputs.table("councils").set_index("ons_code").iterrows():  # names the prose uses, from the data
        out.add(f"council_{code}", row["name"])
        out.add(f"short_{code}", row["short_name"])

    finance = inputs.table("council_finance")
    year, key = p.baseline_apportionment_year, p.baseline_apportionment
    central = finance[(finance["measure"] == "central_services") & (finance["year"] == year)]
    central = central.set_index("ons_code")["value_gbp_thousand"].reindex(councils.index)
    table = councils.reset_index()[["name", "ons_code", "population", "population_year"]].rename(columns={
        "name": "Council", "ons_code": "ONS code", "population": "Population", "population_year": "Census year"})
    table[f"Central services {year} (£)"] = (central * 1000).to_numpy()
    table["Share of central services"] = (central / central.sum()).to_numpy()
    out.tables["tbl-context-councils"] = Table(
        "The partner councils: population and central services spending", table,
        unique_ids(councils["source_id"], partnership.apportionment_sources(inputs)))
    out.add("apportionment_key", key.replace("_", " "))

    timeline = inputs.table("timeline").sort_values("date")
    milestones = timeline.dropna(subset=["milestone"]).set_index("milestone")
    for name in MILESTONES:
        out.add(name, milestones.loc[name, "date_label"])
    shown = timeline.rename(columns={"date_label": "When", "event": "What happened"})[["When", "What happened"]]
    out.tables["tbl-context-timeline"] = Table("Main events in the life of 3C Shared Services", shown,
                                               unique_ids(timeline["source_id"]), raw=timeline)

    lga = inputs.table("lga_shared_services_map").sort_values("release_date")
    first, latest = lga.iloc[0], lga.iloc[-1]
    out.add("lga_latest_savings", formats.money(latest["cumulative_savings_gbp_m"] * 1e6),
            float(latest["cumulative_savings_gbp_m"]), "GBP million")
    out.add("lga_latest_year", latest["release_date"][:4])
    out.add("lga_latest_arrangements", f"{int(latest['arrangements']):,}", int(latest["arrangements"]), "arrangements")
    out.add("lga_first_release", first["release"])
    data = lga[["release", "release_date", "cumulative_savings_gbp_m", "arrangements"]].rename(columns={
        "release": "Release", "release_date": "Date of release",
        "cumulative_savings_gbp_m": "Cumulative savings reported (£ million)", "arrangements": "Arrangements"})
    data[LGA_LINE] = release_runs(data["Date of release"])
    gaps = gap_text(data)
    out.figures["fig-context-lga-map"] = Figure(
        f"Councils reported {formats.money(latest['cumulative_savings_gbp_m'] * 1e6)} of savings from sharing "
        f"by {latest['release_date'][:4]}",
        f"Cumulative savings reported to the LGA shared services map, England, {first['release_date'][:4]} to "
        f"{latest['release_date'][:4]}",
        "Line chart of cumulative savings reported by councils, rising at every release from "
        f"{formats.money(first['cumulative_savings_gbp_m'] * 1e6)} in {first['release']} to "
        f"{formats.money(latest['cumulative_savings_gbp_m'] * 1e6)} in {latest['release']}." + gaps,
        data.reset_index(drop=True), unique_ids(lga["source_id"]))

    conflicts = inputs.table("conflicting_figures")
    shown = conflicts.rename(columns={"topic": "Figure", "value": "Value", "unit": "Unit", "chosen": "Used here",
                                      "reason": "Why"})
    shown["Source"] = source_text_each(conflicts["source_id"], sources)
    out.tables["tbl-context-conflicts"] = Table(
        "Figures on which sources disagree, and the value used",
        shown[["Figure", "Value", "Unit", "Source", "Used here", "Why"]], unique_ids(conflicts["source_id"]),
        raw=conflicts)
    return out
