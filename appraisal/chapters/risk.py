"""Chapter: risk. Monte Carlo over the uncertain inputs, the drivers of the result, switching values and
the risk register."""
import numpy as np
import pandas as pd

from appraisal.chapters import partnership
from appraisal.model import attribution, leave_one_out, montecarlo, sensitivity, value_of_information
from appraisal.model import reference_class as rc
from appraisal.model.scenarios import extremes, scenario_values
from appraisal.model.savings import appraise
from appraisal.publication import formats
from appraisal.publication.content import ChapterContent, Figure, Table, unique_ids

# How the simulated chance of a loss reads in words, by the parameters file's verdict_bounds (a judgement):
# below the lower bound most runs save money; above the upper most runs lose it; between them the evidence
# does not settle the question.
VERDICTS = (
    "The evidence supports sharing: most runs save money",
    "The evidence does not settle whether sharing pays: the runs that lose money and those that save it are "
    "close to even",
    "The evidence points to a net cost: most runs lose money",
)


def verdict(chance_of_loss: float, driver: str, central: str, switch: str | None, settled_by: str | None,
            bounds: tuple[float, float]) -> str:
    """The verdict in words, the unknown it hinges on, and the document that would settle it. `switch` is
    the driver's value at which the central estimate breaks even, in words, or None if none was found;
    `bounds` the chances of a loss (lower, upper) between which the evidence does not settle the question."""
    lower, upper = bounds
    opening = VERDICTS[0 if chance_of_loss < lower else 2 if chance_of_loss > upper else 1]
    breaks = (f"the central estimate breaks even at {switch}" if switch
              else "no value in the range searched brings the central estimate to break even")
    hinge = f"It hinges most on the {driver}: {central} in the central case; {breaks}"
    settle = f". What would settle it: {settled_by}" if settled_by else ""
    return f"{opening}. {hinge}{settle}."


def middle_figures(central: float, median: float, mean: float, spread: float, rank: float) -> str:
    """Why the three middle figures differ, in words: the central estimate, the simulation's middle run and
    its average. `spread` is the width of the range the prose quotes (P90 less P10); an average within a
    twentieth of it of the middle run is called close."""
    words = formats.net_result
    first = (f"The central estimate, {words(central)}, puts every input at its middle value. "
             f"The middle run of the simulation, {words(median)}, is the outcome half the runs fall below when the "
             f"inputs vary together as they did in other shared services; {formats.chance(rank)} of the runs come "
             "out at or below the central estimate")
    if abs(mean - median) <= 0.05 * abs(spread):
        second = (f"The average of the runs, {words(mean)}, is close to the middle run: the runs that lose money "
                  "and those that save it are about as far from it")
    elif mean < median:
        second = (f"The average of the runs, {words(mean)}, is lower than the middle run because the worst runs "
                  "lose more than the best runs save")
    else:
        second = (f"The average of the runs, {words(mean)}, is higher than the middle run because the best runs "
                  "save more than the worst runs lose")
    return f"{first}. {second}."


def input_text(value, unit: str) -> str:
    """An input's value in words, or that no value in the range searched brings the central NPV to zero."""
    return "none in the range searched" if value is None or pd.isna(value) else formats.input_value(value, unit)


DRIVERS_NAMED = 3  # how many of the largest drivers the findings and briefing name
ALL_CASES, COUNCIL_CASES = "All cases", "Council-to-council cases only"
TORNADO_ENDS = ("NPV at low value (£)", "NPV at high value (£)")  # the tornado chart's two ends of each input
TORNADO_LEGEND = ("Input at its low value", "Input at its high value")  # those ends as its legend names them


def named_drivers(tornado: pd.DataFrame, assumed) -> pd.DataFrame:
    """The drivers named in words, largest first (the first DRIVERS_NAMED of them in the findings and the
    briefing; the what-if explorer offers each as a setting): the inputs the central case and the simulation use.
    A generic uplift that other cases' evidence replaces is in the tornado chart, to show its effect, but is not a
    driver of the answer."""
    return tornado[~tornado["name"].isin(assumed.replaced_uplifts())].reset_index(drop=True)


def council_risk(inputs, sim: montecarlo.Simulation) -> pd.DataFrame:
    """P10, P50, P90 and chance of a loss for the partnership and each council under each formula."""
    a = sim.result
    names = partnership.councils(inputs)["short_name"]
    npvs = attribution.council_npvs(partnership.baseline_total(inputs), partnership.key_shares(inputs),
                                    partnership.formula_shares(inputs), a)
    rows = [{"Council": "All councils", "Formula": "Any", **montecarlo.percentiles(a.npv),
             "Chance of a loss": montecarlo.chance_of_loss(a.npv)}]
    for formula, by_council in npvs.items():
        for code, values in by_council.items():
            rows.append({"Council": names[code], "Formula": attribution.FORMULA_LABELS[formula],
                         **montecarlo.percentiles(values), "Chance of a loss": montecarlo.chance_of_loss(values)})
    return pd.DataFrame(rows).rename(columns={"P10": "P10 NPV (£)", "P50": "P50 NPV (£)", "P90": "P90 NPV (£)"})


def yearly_loss_chance(years: list[str], sim: montecarlo.Simulation) -> pd.DataFrame:
    """For each year, the chance that the partnership's net saving that year is negative."""
    return pd.DataFrame({"Year": years, "Chance of a loss": (sim.result.net < 0).mean(axis=0)})


def s_curve(npv: np.ndarray, label: str, points: int = 101) -> pd.DataFrame:
    q = np.linspace(0, 1, points)
    return pd.DataFrame({"NPV (£)": np.quantile(npv, q), "Cumulative probability": q, "Run": label})


def risk_register(baseline: float, params, register: pd.DataFrame) -> pd.DataFrame:
    """Each risk's impact: the change in central NPV when its input moves to the stressed end; its expected
    cost is the likelihood times that impact, as a positive cost when the impact is a loss."""
    central = params.values("central")
    years = params.appraisal_years
    base_npv = sensitivity.npv_at(baseline, central, years)
    reg = register.copy()
    reg["Impact on NPV (£)"] = [
        sensitivity.npv_at(baseline, {**central, r.parameter: params.parameters[r.parameter].value(r.stressed_level)},
                           years) - base_npv for r in reg.itertuples()]
    reg["Expected cost (£)"] = -reg["likelihood"] * reg["Impact on NPV (£)"]
    return reg


PARAMETER_NAME = "Name in parameters file"  # the header of an input's own name in a download
CASES_TOGETHER = "the comparable cases' outcomes (share of the plan achieved and overrun together)"


def case_details(inputs) -> pd.DataFrame:
    """Name and kind of every case and comparable scheme, by id (a case study's own row where both have one)."""
    both = pd.concat([inputs.table("case_studies"), inputs.table("one_off_costs")])
    return both.drop_duplicates("case_id").set_index("case_id")[["name", "kind"]]


def leave_one_out_table(inputs, baseline: float, assumed) -> pd.DataFrame:
    """The chance of a loss and the middle run with each case of the reference class left out in turn."""
    evidence = partnership.case_evidence(inputs)
    dropped = leave_one_out.leave_one_out(baseline, lambda c: partnership.assumptions_from(inputs, evidence, without=c),
                                          leave_one_out.cases_used(assumed))
    details = case_details(inputs)
    names, kinds = details["name"], details["kind"]
    return pd.DataFrame([{"Case left out": names.get(d.case_id, d.case_id), "Kind": kinds.get(d.case_id, ""),
                          "Chance of a loss": d.chance_of_loss, "P10 NPV (£)": d.p10, "P50 NPV (£)": d.p50,
                          "P90 NPV (£)": d.p90} for d in dropped])


def evpi_table(sim: montecarlo.Simulation, assumed, params) -> pd.DataFrame:
    """What knowing each uncertain input before deciding would be worth, largest first, with the document
    that would settle it."""
    together = {CASES_TOGETHER: ("savings_realisation", "transition_cost_overrun")}
    values = value_of_information.evpi_of_inputs(sim.npv, sim.draws, params.evpi_groups, together)
    settled = {name: p.settled_by or "" for name, p in params.parameters.items()}
    settled[CASES_TOGETHER] = settled.get("savings_realisation", "")
    rows = [{"Input": assumed.parameters[name].label if name in assumed.parameters else name, "name": name,
             "Value of knowing it (£)": value, "What would settle it": settled.get(name, "")}
            for name, value in values.items()]
    return pd.DataFrame(rows).sort_values("Value of knowing it (£)", ascending=False, ignore_index=True)


def compute(inputs) -> ChapterContent:
    out = ChapterContent()
    p = inputs.params
    baseline = partnership.baseline_total(inputs)
    years = partnership.financial_years(inputs)
    a = partnership.assumptions(inputs)
    sim = montecarlo.simulate(baseline, a)
    council_only = montecarlo.simulate(baseline, partnership.assumptions(inputs, council_cases_only=True))
    sim_sources = unique_ids(partnership.baseline_sources(inputs), partnership.parameter_sources(a))
    council_sources = unique_ids(sim_sources, partnership.apportionment_sources(inputs))
    n = p.monte_carlo.iterations
    partners = formats.count_words(len(p.partnership))

    mean = float(sim.npv.mean())
    pct = montecarlo.percentiles(sim.npv, (5, 10, 50, 90, 95))
    out.add("iterations", f"{n:,}", n, "draws")
    out.add("seed", str(p.monte_carlo.seed), p.monte_carlo.seed, "")
    out.add("partner_count", partners, len(p.partnership), "councils")
    out.add("price_base", p.price_base_year)
    out.add("expected_npv", formats.net_result(mean), mean, "GBP")
    error = montecarlo.simulation_error(sim.npv)
    out.add("simulation_error", formats.money(error), error, "GBP")
    out.add("error_z", f"{montecarlo.ERROR_Z:g}", montecarlo.ERROR_Z, "standard errors")
    out.add("evpi_bins", formats.count_words(p.evpi_groups), p.evpi_groups, "groups")
    for k, v in pct.items():
        out.add(f"npv_{k.lower()}", formats.signed_money(v), v, "GBP")
    loss = montecarlo.chance_of_loss(sim.npv)
    out.add("chance_of_loss", formats.chance(loss), loss, "probability")
    out.add("chance_ceiling", formats.chance(1.0))  # how the prose writes a chance near certainty, and near zero
    out.add("chance_floor", formats.chance(0.0))
    council_loss = montecarlo.chance_of_loss(council_only.npv)
    out.add("chance_of_loss_council_cases", formats.chance(council_loss), council_loss, "probability")
    council_pct = montecarlo.percentiles(council_only.npv)
    for k, v in council_pct.items():
        out.add(f"npv_{k.lower()}_council_cases", formats.signed_money(v), v, "GBP")
        out.add(f"npv_{k.lower()}_council_cases_text", formats.net_result(v), v, "GBP")
    for k, v in pct.items():
        out.add(f"npv_{k.lower()}_text", formats.net_result(v), v, "GBP")
    found = extremes(a)
    for level in ("low", "high"):
        value = float(appraise(baseline, found[level], p.appraisal_years).npv[0])
        share = montecarlo.percentile_rank(sim.npv, value) if level == "high" else float((sim.npv < value).mean())
        out.add(f"scenario_{level}_npv", formats.net_result(value), value, "GBP")
        out.add(f"runs_below_scenario_{level}", formats.chance(share), share, "share")
    negative = montecarlo.chance_saving_negative(sim)
    out.add("chance_saving_negative", formats.chance(negative), negative, "probability")
    central_npv = float(appraise(baseline, scenario_values(a, "central"), p.appraisal_years).npv[0])
    rank = montecarlo.percentile_rank(sim.npv, central_npv)
    out.add("central_npv", formats.signed_money(central_npv), central_npv, "GBP")
    out.add("central_percentile", formats.chance(rank), rank, "share")
    out.add("middle_figures", middle_figures(central_npv, pct["P50"], mean, pct["P90"] - pct["P10"], rank))

    councils = council_risk(inputs, sim)
    out.tables["tbl-risk-councils"] = Table(
        "P10, P50 and P90 NPV and the chance of a loss, by council and cost-sharing formula", councils, council_sources)

    curve = pd.concat([s_curve(sim.npv, ALL_CASES), s_curve(council_only.npv, COUNCIL_CASES)])
    out.figures["fig-risk-s-curve"] = Figure(
        f"Sharing makes a loss in {formats.chance(loss)} of runs",
        f"Cumulative distribution of NPV, {n:,} runs, {partners} councils, {years[0]} to {years[-1]} and after",
        "S-curve of simulated NPV. Where the curve crosses zero gives the chance of a loss: "
        f"{formats.chance(loss)} drawing on all cases, {formats.chance(council_loss)} on council-to-council "
        f"cases only. The middle run is {formats.signed_money(pct['P50'])}.",
        curve, sim_sources)

    out.tables["tbl-risk-yearly"] = Table(
        "Chance that the net saving is negative in each year",
        yearly_loss_chance(years, sim), sim_sources)

    tor = sensitivity.tornado(baseline, a)
    fixed = [a.parameters[name].label for name in sensitivity.fixed_inputs(a)]
    out.add("fixed_inputs", formats.join_names(fixed) if fixed else "none")
    top = tor[~tor["name"].isin(a.replaced_uplifts())].iloc[0]
    out.add("top_driver", formats.apostrophes(top["Input"]))
    out.add("top_driver_swing", formats.money(top["Swing (£)"]), float(top["Swing (£)"]), "GBP")
    long = tor.melt(id_vars=["Input"], value_vars=list(TORNADO_ENDS),
                    var_name="End", value_name="NPV (£)")
    long["End"] = long["End"].map(dict(zip(TORNADO_ENDS, TORNADO_LEGEND)))
    param_sources = partnership.parameter_sources(a)
    out.figures["fig-risk-tornado"] = Figure(
        f"The {top['Input']} moves NPV the most",
        "NPV with each input at its low and high value, others central; fixed inputs are not shown",
        "Tornado chart. " + "; ".join(f"{r['Input']}: from {formats.signed_money(r['NPV at low value (£)'], long['NPV (£)'])} to "
                                      f"{formats.signed_money(r['NPV at high value (£)'], long['NPV (£)'])}"
                                      for _, r in tor.iterrows()) + ".",
        long, param_sources)

    sv = sensitivity.switching_values(baseline, a)
    for _, r in sv.iterrows():
        out.add(f"switch_{r['name']}", input_text(r["Switching value"], r["Unit"]),
                None if pd.isna(r["Switching value"]) else float(r["Switching value"]), r["Unit"])
    out.add("switching_values", formats.apostrophes("; ".join(
        f"{r['Input']}, {input_text(r['Switching value'], r['Unit'])} (central {input_text(r['Central value'], r['Unit'])})"
        for _, r in sv.iterrows())))
    in_words = {"Central value": input_text, "Switching value": input_text,
                "Searched from": formats.range_end, "Searched to": formats.range_end}
    shown = sv.drop(columns="name").assign(**{c: [write(v, u) for v, u in zip(sv[c], sv["Unit"])]
                                              for c, write in in_words.items()})
    out.tables["tbl-risk-switching"] = Table(
        "Switching values: the input value at which central NPV is zero", shown,
        unique_ids([p.appraisal_years_source], param_sources), raw=sv.rename(columns={"name": PARAMETER_NAME}))

    central = a.values("central")
    drivers = named_drivers(tor, a)
    top_name = drivers.iloc[0]["name"]
    top_switch = sensitivity.switching_value(baseline, central, p.appraisal_years, top_name)
    verdict_bounds = (p.verdict_bounds.lower, p.verdict_bounds.upper)
    out.add("verdict_lower_bound", formats.chance(verdict_bounds[0]), verdict_bounds[0], "probability")
    out.add("verdict_upper_bound", formats.chance(verdict_bounds[1]), verdict_bounds[1], "probability")
    out.add("verdict", formats.apostrophes(verdict(loss, drivers.iloc[0]["Input"], formats.input_value(a.parameters[top_name].central, a.parameters[top_name].unit),
                               None if top_switch is None else formats.input_value(top_switch, a.parameters[top_name].unit),
                               inputs.params.parameters[top_name].settled_by, verdict_bounds)))
    for rank, (_, r) in enumerate(drivers.head(DRIVERS_NAMED).iterrows(), start=1):
        name = r["name"]
        value = sensitivity.switching_value(baseline, central, p.appraisal_years, name)
        unit = a.parameters[name].unit
        out.add(f"driver_{rank}", formats.apostrophes(r["Input"]))
        out.add(f"driver_{rank}_central", input_text(a.parameters[name].central, unit), a.parameters[name].central, unit)
        out.add(f"driver_{rank}_switch", input_text(value, unit), value, unit)

    by_council = partnership.council_npv_table(inputs, appraise(baseline, scenario_values(a, "central"), p.appraisal_years))
    default = attribution.FORMULA_LABELS[p.default_cost_sharing_formula]
    chosen = by_council[by_council["formula"].eq(p.default_cost_sharing_formula)].set_index("Council")
    others = by_council[~by_council["formula"].eq(p.default_cost_sharing_formula)].groupby("Council", sort=False)["NPV (£)"]
    loss = councils[councils["Formula"].eq(default)].set_index("Council")["Chance of a loss"]
    brief = pd.DataFrame({
        "Council": chosen.index,
        f"Share of the saving and one-off costs ({default.lower()})": chosen["Share of costs"].to_numpy(),
        "Central NPV (£)": chosen["NPV (£)"].to_numpy(),
        "Chance of a loss": loss.reindex(chosen.index).to_numpy(),
        "Lowest NPV under the other formulas (£)": others.min().reindex(chosen.index).to_numpy(),
        "Highest NPV under the other formulas (£)": others.max().reindex(chosen.index).to_numpy(),
    })
    out.snippets["briefing_councils"] = Table(
        f"Each council's central NPV and chance of a loss under {default.lower()}, with the range under the other "
        "cost-sharing formulas", brief, council_sources)

    loo = leave_one_out_table(inputs, baseline, a)
    out.tables["tbl-risk-leave-one-out"] = Table(
        "Chance of a loss and P10, P50 and P90 NPV with each case left out in turn", loo, sim_sources)
    known = loo.dropna(subset=["Chance of a loss"])
    lowest, highest = known.loc[known["Chance of a loss"].idxmin()], known.loc[known["Chance of a loss"].idxmax()]
    out.add("loo_loss_low", formats.chance(lowest["Chance of a loss"]), float(lowest["Chance of a loss"]), "probability")
    out.add("loo_loss_low_case", lowest["Case left out"])
    out.add("loo_loss_high", formats.chance(highest["Chance of a loss"]), float(highest["Chance of a loss"]), "probability")
    out.add("loo_loss_high_case", highest["Case left out"])
    for key, value in (("loo_p50_low", known["P50 NPV (£)"].min()), ("loo_p50_high", known["P50 NPV (£)"].max())):
        out.add(key, formats.net_result(value, amounts=known["P50 NPV (£)"]), float(value), "GBP")
    out.add("loo_case_count", formats.count_words(len(loo)), len(loo), "cases")
    evpi = evpi_table(sim, a, inputs.params)
    out.tables["tbl-risk-evpi"] = Table(
        "What knowing each uncertain input before deciding would be worth (expected value of perfect information)",
        evpi.drop(columns="name"), sim_sources, raw=evpi.rename(columns={"name": PARAMETER_NAME}))
    top_evpi = evpi.iloc[0]
    out.add("evpi_top", formats.apostrophes(top_evpi["Input"]))
    out.add("evpi_top_value", formats.money(top_evpi["Value of knowing it (£)"]), float(top_evpi["Value of knowing it (£)"]), "GBP")
    out.add("evpi_top_settled_by", formats.apostrophes(top_evpi["What would settle it"] or "no document is known"))
    worth = evpi[evpi["Value of knowing it (£)"] >= 0.5e4]
    out.add("evpi_worth_count", formats.count_words(len(worth)), len(worth), "inputs")

    out.tables["tbl-risk-convergence"] = Table(
        "P50 NPV and chance of a loss as the number of runs doubles", montecarlo.convergence(sim.npv), sim_sources)

    reg = risk_register(baseline, a, inputs.table("risk_register"))
    shown = reg.rename(columns={"risk": "Risk", "parameter": "Input affected", "likelihood": "Likelihood",
                                "likelihood_basis": "Basis for likelihood", "mitigation": "Mitigation", "owner": "Owner"})
    shown["Input affected"] = shown["Input affected"].map(lambda name: a.parameters[name].label)
    shown["Likelihood"] = shown["Likelihood"].map(formats.percent)
    out.tables["tbl-risk-register"] = Table(
        "Risk register: likelihood, impact and mitigation",
        shown[["Risk", "Input affected", "Likelihood", "Impact on NPV (£)", "Expected cost (£)", "Basis for likelihood",
               "Mitigation", "Owner"]], unique_ids(reg["source_id"], param_sources), raw=reg)
    return out
