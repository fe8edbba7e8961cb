"""Chapter: savings. The Green Book appraisal in total and for each council, by scenario."""
import numpy as np
import pandas as pd

from appraisal.chapters import partnership
from appraisal.model import attribution, savings
from appraisal.inputs.parameters import APPORTIONMENT_KEYS
from appraisal.model.scenarios import SCENARIOS, extremes, scenario_appraisals
from appraisal.publication import formats
from appraisal.publication.content import ChapterContent, Figure, Table, unique_ids

PLANNED_BASES = ("plan", "claim")
ADJUSTED, AS_PLANNED = "adjusted for optimism", "as planned"
PV_SAVINGS, PV_COSTS = "Present value of savings, including after the period", "Present value of one-off costs"  # kinds of evidence in data/typical_savings.csv that are promises, not results


def percent_range(low: float, high: float) -> str:
    """A range of values given in per cent, with a real minus sign, and one value where both ends are the
    same: (10, 15) -> '10% to 15%'; (-8, -8) -> '−8%'."""
    ends = [formats.percent(v / 100, 1) for v in (low, high)]
    return ends[0] if ends[0] == ends[1] else f"{ends[0]} to {ends[1]}"


def payback_label(years: list[str], result: savings.Appraisal) -> str:
    index = int(result.payback_index[0])
    return "not within the appraisal period" if index < 0 else years[index]


def payback_text(year: str | None, npv: float) -> str:
    """When the discounted savings overtake the one-off costs, as a clause: within the period appraised,
    only once the years after it are counted, or not at all."""
    if year:
        return f"the discounted savings overtake the one-off costs in {year}"
    if npv >= 0:
        return ("the discounted savings do not overtake the one-off costs within the period appraised, "
                "only once the years after it are counted")
    return "the discounted savings never overtake the one-off costs, even counting the years after the period appraised"


FAIR = "baseline"  # the formula that shares the change in proportion to each council's own former costs


def council_sentence(council: str, npvs: dict[str, float], default: str) -> str:
    """One council's result in one rounded sentence: under the default formula, and the range under the others."""
    label = attribution.FORMULA_LABELS
    others = {f: v for f, v in npvs.items() if f != default}
    opening = f"{council}: {formats.net_result(npvs[default])} under {label[default].lower()}"
    if not others:
        return opening
    low, high = min(others, key=others.get), max(others, key=others.get)
    other = "the other formula" if len(others) == 1 else "the other formulas"
    if formats.money(others[low]) == formats.money(others[high]) and (others[low] < 0) == (others[high] < 0):
        return f"{opening}, and {formats.net_result(others[low])} under {other}"
    return (f"{opening}, and between {formats.net_result(others[low])} ({label[low].lower()}) and "
            f"{formats.net_result(others[high])} ({label[high].lower()}) under {other}")


def cross_subsidy_text(councils: pd.DataFrame, column: str) -> str:
    """The largest cross-subsidy against the baseline-cost share, written as who gains what from whom: the
    council that moves the most money, under the formula that moves it, with its partners' share of it."""
    moved = councils[councils[column].abs() > 0]
    if moved.empty or formats.money(moved[column].abs().max()) == formats.money(0.0):
        return "no formula moves money between the councils"
    top = moved.loc[moved[column].abs().idxmax()]
    within = councils[councils["formula"].eq(top["formula"])]
    others = within[within["Council"].ne(top["Council"]) & (within[column].abs() > 0)]
    parts = formats.join_names([f"{r['Council']} {formats.money(abs(r[column]))}" for _, r in others.iterrows()])
    against = "against sharing in proportion to former costs"
    if top[column] < 0:
        return (f"under {top['Formula'].lower()}, {top['Council']} gives {formats.money(abs(top[column]))} to its "
                f"partners ({parts}), {against}")
    return (f"under {top['Formula'].lower()}, {top['Council']} gains {formats.money(top[column])} at its partners' "
            f"expense ({parts}), {against}")


def scenario_table(years: list[str], appraisals) -> pd.DataFrame:
    rows = []
    for (scenario, with_ob), a in appraisals.items():
        rows.append({
            "Scenario": scenario.capitalize(),
            "Optimism": ADJUSTED if with_ob else AS_PLANNED,
            "PV savings in the period (£)": a.pv_savings[0],
            "PV one-off costs (£)": a.pv_costs[0],
            "Residual value (£)": a.residual[0],
            "NPV (£)": a.npv[0],
            "Benefit-cost ratio": a.bcr[0],
            "Payback year": payback_label(years, a),
        })
    return pd.DataFrame(rows)


def cash_table(years: list[str], result: savings.Appraisal) -> pd.DataFrame:
    """Flows by year in real prices, undiscounted and discounted."""
    return pd.DataFrame({
        "Year": years,
        "Savings (£)": result.savings[0],
        "One-off costs (£)": result.costs[0],
        "Net saving (£)": result.net[0],
        "Discount factor": result.discount[0],
        "Discounted net saving (£)": (result.net * result.discount)[0],
        "Cumulative discounted net saving (£)": result.cumulative_pv[0],
    })


def apportionment_table(inputs, result) -> pd.DataFrame:
    """Each council's NPV under every cost-sharing formula, for each way of splitting the combined baseline
    between the councils (their own ICT and legal budgets are not public)."""
    p = inputs.params
    councils, finance, partners = inputs.table("councils"), inputs.table("council_finance"), list(p.partnership)
    names = partnership.councils(inputs)["short_name"]
    baseline = partnership.baseline_total(inputs)
    rows = []
    for key in APPORTIONMENT_KEYS:
        keys = attribution.baseline_shares(key, councils, finance, partners, p.baseline_apportionment_year)
        formulas = {f: attribution.formula_shares(f, councils, partners, keys, finance, p.baseline_apportionment_year)
                    for f in p.cost_sharing_formulas}
        npvs = attribution.council_npvs(baseline, keys, formulas, result)
        for code in partners:
            rows.append({"Council": names[code], "Baseline split by": attribution.APPORTIONMENT_LABELS[key],
                         "Used here": "yes" if key == p.baseline_apportionment else "no",
                         "Share of baseline": float(keys[code]),
                         **{f"NPV, {attribution.FORMULA_LABELS[f].lower()} (£)": float(npvs[f][code][0])
                            for f in p.cost_sharing_formulas}})
    return pd.DataFrame(rows)


def cumulative_by_scenario(years: list[str], appraisals) -> pd.DataFrame:
    frames = []
    for (scenario, with_ob), a in appraisals.items():
        frames.append(pd.DataFrame({
            "Year": years,
            "Scenario": scenario.capitalize(),
            "Optimism": ADJUSTED if with_ob else AS_PLANNED,
            "Cumulative net saving (£)": np.cumsum(a.net[0]),
        }))
    return pd.concat(frames, ignore_index=True)


def compute(inputs) -> ChapterContent:
    out = ChapterContent()
    p = inputs.params
    baseline = partnership.baseline_total(inputs)
    years = partnership.financial_years(inputs)
    a = partnership.assumptions(inputs)
    found = extremes(a)  # the low and high scenarios: one search serves the tables and the appraisals
    appraisals = scenario_appraisals(baseline, a, found)
    central, central_no_ob = appraisals[("central", True)], appraisals[("central", False)]
    model_sources = unique_ids(partnership.baseline_sources(inputs), partnership.parameter_sources(a))
    council_sources = unique_ids(model_sources, partnership.apportionment_sources(inputs))

    out.add("baseline_total", formats.money(baseline), baseline, "GBP per year")
    out.add("appraisal_years", str(p.appraisal_years), p.appraisal_years, "years")
    out.add("first_year_label", years[0])
    out.add("last_year_label", years[-1])
    out.add("price_base", p.price_base_year)
    rate = a.parameters["discount_rate"].central
    out.add("discount_rate", formats.percent(rate, 1), rate, "share")
    out.add("partner_names", partnership.council_names(inputs))
    out.add("partner_count", formats.count_words(len(p.partnership)), len(p.partnership), "councils")
    out.add("services", partnership.services_text(inputs))
    for code, row in inputs.table("councils").set_index("ons_code").iterrows():  # names the prose uses, from the data
        out.add(f"short_{code}", row["short_name"])
    for scenario in SCENARIOS:
        for with_ob, suffix in ((True, ""), (False, "_as_planned")):
            npv = float(appraisals[(scenario, with_ob)].npv[0])
            out.add(f"npv_{scenario}{suffix}_text", formats.net_result(npv), npv, "GBP")
            out.add(f"npv_{scenario}{suffix}_signed", formats.signed_money(npv), npv, "GBP")
    out.add("pv_savings_central", formats.money(central.pv_savings[0]), float(central.pv_savings[0]), "GBP")
    out.add("pv_costs_central", formats.money(central.pv_costs[0]), float(central.pv_costs[0]), "GBP")
    out.add("one_off_central", formats.money(central.one_off_total[0]), float(central.one_off_total[0]), "GBP")
    out.add("full_saving_central", formats.money(central.savings[0].max()), float(central.savings[0].max()),
            "GBP per year")
    out.add("payback_central", payback_label(years, central))
    out.add("payback_central_as_planned", payback_label(years, central_no_ob))
    for key, result in (("payback_text", central), ("payback_as_planned_text", central_no_ob)):
        index = int(result.payback_index[0])
        out.add(key, payback_text(years[index] if index >= 0 else None, float(result.npv[0])))
    out.add("residual_central", formats.money(central.residual[0]), float(central.residual[0]), "GBP")
    residual_years = a.parameters["residual_years"].central
    out.add("residual_years", f"{residual_years:g}", residual_years, "years")
    bcr = formats.finite_or_none(central.bcr[0])  # None with no one-off costs: the ratio is not defined
    out.add("bcr_central", formats.ratio(bcr), bcr, "ratio")
    out.add("bcr_central_words", formats.per_pound(bcr) + (" spent on setting up" if bcr is not None else ""), bcr, "ratio")
    facts = inputs.table("key_facts").set_index("key")
    for key, name in (("savings_forecast_1617_pct", "forecast_1617"), ("savings_target_pct", "target_pct")):
        out.add(name, formats.fact_text(facts.loc[key, "value"], "percent"), float(facts.loc[key, "value"]), "percent")
    held = set(a.replaced_uplifts())
    for name, item in a.parameters.items():
        if item.evidence:  # inputs from other cases: their middle value (the cases' own, where the input is held)
            middle = float(np.median(item.case_values)) if name in held else item.central
            value = middle * 12 if item.evidence == "delay_months" else middle
            text = f"{value:.0f} months" if item.evidence == "delay_months" else formats.percent(value)
            out.add(f"{name}_central", text, middle, item.unit)
            out.add(f"{name}_cases", formats.count_words(len(item.cases)), len(item.cases), "cases")
    one_off = float(central.one_off_total[0])
    out.add("one_off_central_gbp", formats.money(one_off), one_off, "GBP")
    for level in ("low", "central", "high"):
        v = a.parameters["planned_saving_share"].value(level)
        out.add(f"planned_share_{level}", formats.percent(v), v, "share")

    typical = inputs.table("typical_savings")
    promised = typical[typical["basis"].str.contains("|".join(PLANNED_BASES))]
    lo, hi = float(promised["saving_low_pct"].min()), float(promised["saving_high_pct"].max())
    out.add("typical_plan_low", f"{lo:g}%", lo, "percent")
    out.add("typical_plan_high", f"{hi:g}%", hi, "percent")
    shown_typical = typical.rename(columns={"finding": "Finding", "saving_low_pct": "Lowest saving (%)",
                                            "saving_high_pct": "Highest saving (%)", "basis": "Kind of evidence",
                                            "scope": "Scope"})[["Finding", "Lowest saving (%)", "Highest saving (%)",
                                                                "Kind of evidence", "Scope"]]
    out.figures["fig-savings-typical"] = Figure(
        f"Plans and claims promise {percent_range(lo, hi)}; measured results are lower",
        "Savings planned, claimed or measured for shared back-office services, as a share of their cost",
        "Bar chart of saving ranges by source. " + "; ".join(
            f"{r['finding']} ({r['basis']}): {percent_range(r['saving_low_pct'], r['saving_high_pct'])}"
            for _, r in typical.iterrows()) + ".",
        shown_typical, unique_ids(typical["source_id"]))

    out.tables["tbl-savings-scenarios"] = Table(
        "Present values, NPV and payback by scenario, adjusted for optimism and as planned",
        scenario_table(years, appraisals), model_sources)
    search = inputs.params.scenario_search
    out.add("grid_points", formats.count_words(search.grid_points[0]), search.grid_points[0], "values")
    out.add("grid_limit", f"{search.most_combinations:,}", search.most_combinations, "combinations")
    held = set(a.replaced_uplifts())
    out.tables["tbl-savings-scenario-inputs"] = Table(
        "The inputs of each scenario: low and high are the combinations with the lowest and highest NPV",
        pd.DataFrame([{"Input": item.label, "Unit": item.unit,
                       "Low scenario": formats.input_value(found["low"][name], item.unit),
                       "Central scenario": formats.input_value(item.central, item.unit),
                       "High scenario": formats.input_value(found["high"][name], item.unit),
                       "Note": ("not applied: the cases' outcomes already hold it" if name in held
                                else "fixed" if item.fixed else "")}
                      for name, item in a.parameters.items()]), model_sources)

    cumulative = cumulative_by_scenario(years, appraisals)
    end = cumulative.groupby(["Scenario", "Optimism"], sort=False)["Cumulative net saving (£)"].last()
    total = float(central.net[0].sum())
    out.add("cumulative_central", formats.net_result(total, "a cumulative saving of", "a cumulative cost of"), total, "GBP")
    out.figures["fig-savings-cumulative"] = Figure(
        f"Central case: cumulative {'saving' if total >= 0 else 'cost'} of {formats.money(total)} by {years[-1]}",
        f"Cumulative net saving by year and scenario, undiscounted, {p.price_base_year} prices, "
        f"{formats.count_words(len(p.partnership))} councils, {years[0]} to {years[-1]}",
        "Line chart of cumulative net saving by year for the low, central and high scenarios, adjusted for "
        "optimism and as planned. " + "; ".join(f"{s} scenario, {o}: {formats.signed_money(v, end)} by {years[-1]}"
                                      for (s, o), v in end.items()) + ".",
        cumulative, model_sources)

    out.tables["tbl-savings-cash"] = Table(
        f"Central scenario, adjusted for optimism: flows by year, {p.price_base_year} prices",
        cash_table(years, central), model_sources)

    out.add("apportionment_year", p.baseline_apportionment_year)
    out.add("formula_count", formats.count_words(len(p.cost_sharing_formulas)), len(p.cost_sharing_formulas), "formulas")
    out.add("formula_list", formats.join_names([attribution.FORMULA_LABELS[f].lower() for f in p.cost_sharing_formulas]))
    councils = partnership.council_npv_table(inputs, central)
    for _, row in councils.iterrows():
        out.add(f"npv_{row['formula']}_{row['ons_code']}", formats.net_result(row["NPV (£)"]), float(row["NPV (£)"]), "GBP")
    default = p.default_cost_sharing_formula
    out.add("default_formula", attribution.FORMULA_LABELS[default].lower())
    out.add("council_sentences", formats.apostrophes("; ".join(
        council_sentence(name, dict(zip(rows["formula"], rows["NPV (£)"])), default)
        for name, rows in councils.groupby("Council", sort=False)) + "."))
    out.add("council_assumption", formats.apostrophes(
            f"each council's share of the combined {partnership.services_text(inputs)} budget is assumed to follow its "
            f"{attribution.APPORTIONMENT_LABELS[p.baseline_apportionment]} in {p.baseline_apportionment_year}, because "
            "the councils' own budgets are not public"))
    worst = councils.loc[councils["NPV (£)"].idxmin()]
    out.add("worst_council", worst["Council"])
    out.add("worst_formula", worst["Formula"].lower())
    out.add("worst_npv", formats.net_result(worst["NPV (£)"]), float(worst["NPV (£)"]), "GBP")
    cross = "Cross-subsidy against baseline-cost share (£)"
    biggest = councils.loc[councils[cross].abs().idxmax()]
    out.add("largest_cross_subsidy", formats.money(abs(biggest[cross])), float(biggest[cross]), "GBP")
    out.add("cross_subsidy_text", formats.apostrophes(cross_subsidy_text(councils, cross)), float(biggest[cross]), "GBP")
    out.tables["tbl-savings-councils"] = Table(
        "NPV by council and cost-sharing formula, central scenario",
        councils.drop(columns=["ons_code", "formula"]), council_sources, raw=councils)
    by_key = apportionment_table(inputs, central)
    npv_columns = [c for c in by_key.columns if c.startswith("NPV")]
    ranges = by_key.groupby("Council", sort=False)[npv_columns].agg(["min", "max"])
    out.add("council_ranges", "; ".join(
        f"{name}: {formats.signed_money(r.xs('min', level=1).min())} to {formats.signed_money(r.xs('max', level=1).max())}"
        for name, r in ranges.iterrows()))
    out.add("apportionment_key_count", formats.count_words(len(APPORTIONMENT_KEYS)), len(APPORTIONMENT_KEYS), "keys")
    out.tables["tbl-savings-apportionment"] = Table(
        "NPV by council under each way of splitting the unknown baseline, central scenario",
        by_key, council_sources)
    out.figures["fig-savings-councils"] = Figure(
        f"How costs are split matters: {worst['Council']} fares worst under {worst['Formula'].lower()}",
        f"NPV for each council by cost-sharing formula, central scenario, {years[0]} to {years[-1]} and after",
        "Grouped bar chart of NPV for each council under each formula. " + "; ".join(
            f"{r['Council']}, {r['Formula'].lower()}: {formats.signed_money(r['NPV (£)'], councils['NPV (£)'])}" for _, r in councils.iterrows()) + ".",
        councils[["Council", "Formula", "NPV (£)"]], council_sources)

    pv = pd.DataFrame([
        {"Scenario": s.capitalize(), "Optimism": ADJUSTED if ob else AS_PLANNED, "Measure": m, "Present value (£)": v}
        for (s, ob), a in appraisals.items()
        for m, v in ((PV_SAVINGS, a.pv_savings[0] + a.residual[0]), (PV_COSTS, a.pv_costs[0]))
    ])
    out.figures["fig-savings-pv"] = Figure(
        f"Central case: savings {'exceed' if central.npv[0] >= 0 else 'fall short of'} one-off costs",
        f"Present value of savings and one-off costs by scenario, {p.price_base_year} prices, {years[0]} to {years[-1]}",
        "Bar charts of present-value savings and costs for each scenario, adjusted for optimism and as planned. "
        + "; ".join(f"{r['Scenario']}, {r['Optimism']}, {r['Measure'].lower()}: "
            f"{formats.money_among(r['Present value (£)'], pv['Present value (£)'])}" for _, r in pv.iterrows()) + ".",
        pv, model_sources)
    return out
