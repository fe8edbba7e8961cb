"""Tables the savings chapter shows, computed from the inputs of one build."""
import numpy as np
import pandas as pd

from appraisal import attribution, savings
from appraisal.inputs import Inputs

SCENARIOS = ("low", "central", "high")


def baseline_total(inputs: Inputs) -> float:
    """Combined annual in-scope cost: the chosen row for each service in scope."""
    costs = inputs.table("baseline_costs")
    chosen = costs[(costs["chosen"] == "yes") & costs["service"].isin(inputs.params.services_in_scope)]
    return float(chosen["annual_cost_gbp"].sum())


def financial_years(inputs: Inputs) -> list[str]:
    first, n = inputs.params.first_year, inputs.params.appraisal_years
    return [f"{y}-{str(y + 1)[-2:]}" for y in range(first, first + n)]


def scenario_values(inputs: Inputs, scenario: str) -> dict:
    """Inputs of a scenario. Central takes every central value; low takes, for each input, whichever
    of its low and high values gives the lower NPV (the other inputs held central); high the higher."""
    from appraisal import sensitivity

    central = inputs.params.values("central")
    if scenario == "central":
        return central
    tor = sensitivity.tornado(baseline_total(inputs), inputs.params)
    chosen = {}
    for _, row in tor.iterrows():
        low_is_worse = row["NPV at low value (£)"] <= row["NPV at high value (£)"]
        worse, better = ("low", "high") if low_is_worse else ("high", "low")
        chosen[row["name"]] = inputs.params.parameters[row["name"]].value(worse if scenario == "low" else better)
    return chosen


def scenario_appraisals(inputs: Inputs) -> dict[tuple[str, bool], savings.Appraisal]:
    """Appraisal of each scenario, with (True) and without (False) optimism bias."""
    out = {}
    base, years = baseline_total(inputs), inputs.params.appraisal_years
    for scenario in SCENARIOS:
        values = scenario_values(inputs, scenario)
        out[(scenario, True)] = savings.appraise(base, values, years)
        out[(scenario, False)] = savings.appraise(base, savings.without_optimism_bias(values), years)
    return out


def payback_label(inputs: Inputs, result: savings.Appraisal) -> str:
    index = int(result.payback_index[0])
    return "not within the appraisal period" if index < 0 else financial_years(inputs)[index]


def scenario_table(inputs: Inputs, appraisals) -> pd.DataFrame:
    rows = []
    for (scenario, with_ob), a in appraisals.items():
        rows.append({
            "Scenario": scenario.capitalize(),
            "Optimism bias": "applied" if with_ob else "not applied",
            "PV savings (£)": a.pv_savings[0],
            "PV costs (£)": a.pv_costs[0],
            "NPV (£)": a.npv[0],
            "Benefit-cost ratio": a.bcr[0],
            "Payback year": payback_label(inputs, a),
        })
    return pd.DataFrame(rows)


def cash_table(inputs: Inputs, result: savings.Appraisal) -> pd.DataFrame:
    """Flows by year in real prices, undiscounted and discounted."""
    return pd.DataFrame({
        "Year": financial_years(inputs),
        "Savings (£)": result.savings[0],
        "One-off costs (£)": result.costs[0],
        "Net saving (£)": result.net[0],
        "Discount factor": result.discount[0],
        "Discounted net saving (£)": (result.net * result.discount)[0],
        "Cumulative discounted net saving (£)": result.cumulative_pv[0],
    })


def key_shares(inputs: Inputs) -> pd.Series:
    p = inputs.params
    return attribution.baseline_shares(p.baseline_apportionment, inputs.table("councils"),
                                       inputs.table("council_finance"), p.partnership,
                                       p.baseline_apportionment_year)


def formula_share_table(inputs: Inputs) -> dict[str, pd.Series]:
    keys = key_shares(inputs)
    return {f: attribution.formula_shares(f, inputs.table("councils"), inputs.params.partnership, keys)
            for f in inputs.params.cost_sharing_formulas}


def council_table(inputs: Inputs, result: savings.Appraisal) -> pd.DataFrame:
    """NPV by council and formula (one draw), with the cross-subsidy against the baseline-cost formula."""
    keys = key_shares(inputs)
    formulas = formula_share_table(inputs)
    npvs = attribution.council_npvs(baseline_total(inputs), keys, formulas,
                                    result.savings, result.costs, result.discount)
    names = inputs.table("councils").set_index("ons_code")["short_name"]
    fair = attribution.council_npvs(baseline_total(inputs), keys, {"baseline": keys},
                                    result.savings, result.costs, result.discount)["baseline"]
    rows = []
    for formula, by_council in npvs.items():
        for code, npv in by_council.items():
            rows.append({
                "ons_code": code,
                "Council": names[code],
                "formula": formula,
                "Formula": attribution.FORMULA_LABELS[formula],
                "Share of baseline": keys[code],
                "Share of costs": formulas[formula][code],
                "NPV (£)": float(npv[0]),
                "Cross-subsidy against baseline-cost share (£)": float(npv[0] - fair[code][0]),
            })
    return pd.DataFrame(rows)


def cumulative_by_scenario(inputs: Inputs, appraisals) -> pd.DataFrame:
    years = financial_years(inputs)
    frames = []
    for (scenario, with_ob), a in appraisals.items():
        frames.append(pd.DataFrame({
            "Year": years,
            "Scenario": scenario.capitalize(),
            "Optimism bias": "applied" if with_ob else "not applied",
            "Cumulative net saving (£m)": np.cumsum(a.net[0]) / 1e6,
        }))
    return pd.concat(frames, ignore_index=True)
