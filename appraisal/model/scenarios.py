"""Low, central and high scenarios: the set of input values each one uses."""
from appraisal.model import sensitivity
from appraisal.model.savings import Appraisal, appraise, without_optimism_bias

SCENARIOS = ("low", "central", "high")


def scenario_values(baseline: float, params, scenario: str) -> dict:
    """Inputs of a scenario. Central takes every central value; low takes, for each input, whichever
    of its low and high values gives the lower NPV (the other inputs held central); high the higher."""
    central = params.values("central")
    if scenario == "central":
        return central
    tor = sensitivity.tornado(baseline, params)
    chosen = {}
    for _, row in tor.iterrows():
        low_is_worse = row["NPV at low value (£)"] <= row["NPV at high value (£)"]
        worse, better = ("low", "high") if low_is_worse else ("high", "low")
        chosen[row["name"]] = params.parameters[row["name"]].value(worse if scenario == "low" else better)
    return chosen


def scenario_appraisals(baseline: float, params) -> dict[tuple[str, bool], Appraisal]:
    """Appraisal of each scenario, with (True) and without (False) optimism bias."""
    out = {}
    for scenario in SCENARIOS:
        values = scenario_values(baseline, params, scenario)
        out[(scenario, True)] = appraise(baseline, values, params.appraisal_years)
        out[(scenario, False)] = appraise(baseline, without_optimism_bias(values), params.appraisal_years)
    return out
