"""Low, central and high scenarios: the set of input values each one uses.

Each input declares in the parameters file which end of its range is worse for the councils. The low
scenario takes every input at its worse end and the high scenario every input at its better end, so the
scenarios are bounds whatever the sign of the result."""
from appraisal.model.savings import Appraisal, appraise, as_planned

SCENARIOS = ("low", "central", "high")


def scenario_values(params, scenario: str) -> dict:
    """Inputs of a scenario: central values, or every input at its declared worse (low) or better (high) end.
    A generic uplift that other cases' evidence replaces is not applied in any scenario: adding it at the
    worse end would count optimism twice."""
    if scenario == "central":
        return params.values("central")
    out = {}
    held = params.replaced_uplifts() if hasattr(params, "replaced_uplifts") else []
    for name, p in params.parameters.items():
        better = "high" if p.worse == "low" else "low"
        out[name] = 0.0 if name in held else p.value(p.worse if scenario == "low" else better)
    return out


def scenario_appraisals(baseline: float, params) -> dict[tuple[str, bool], Appraisal]:
    """Appraisal of each scenario, adjusted for optimism (True) and as planned (False)."""
    out = {}
    for scenario in SCENARIOS:
        values = scenario_values(params, scenario)
        out[(scenario, True)] = appraise(baseline, values, params.appraisal_years)
        out[(scenario, False)] = appraise(baseline, as_planned(values), params.appraisal_years)
    return out
