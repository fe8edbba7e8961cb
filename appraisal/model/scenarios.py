"""Low, central and high scenarios: the set of input values each one uses.

The low and high scenarios are the lowest and highest NPV that the inputs' ranges allow, found by search:
NPV is computed for every combination of every varied input's values (an input drawn from the cases takes
each case's own value; any other input a grid of values from its low to its high end, the residual years
included), and the combination with the lowest NPV is the low scenario, the highest the high scenario. So
no run of the simulation, which draws every input from within the same ranges, can fall outside them,
whatever the sign of the savings. An allowance that other cases' evidence replaces is held at none, as in
every run. The central scenario takes every input at its central value."""
import numpy as np

from appraisal.model.savings import Appraisal, appraise, as_planned

SCENARIOS = ("low", "central", "high")


def _held(params) -> list[str]:
    return params.replaced_uplifts() if hasattr(params, "replaced_uplifts") else []


def candidate_values(p, points: int) -> np.ndarray:
    """The values of one input the search tries: its cases' own values where it is drawn from them, otherwise
    `points` values evenly from its low to its high end; the central value alone if it is fixed."""
    if p.low == p.high:
        return np.array([float(p.central)])
    cases = getattr(p, "case_values", ())
    if cases:
        return np.unique(np.asarray(cases, dtype=float))
    return np.linspace(p.low, p.high, points)


def search_grid(params) -> dict[str, np.ndarray]:
    """Every combination of the inputs' candidate values, one array per input (flattened): the finest of the
    grids `params.scenario_search.grid_points` within `most_combinations` combinations, else the coarsest."""
    held = _held(params)
    search = params.scenario_search
    for points in search.grid_points:
        options = {name: (np.array([0.0]) if name in held else candidate_values(p, points))
                   for name, p in params.parameters.items()}
        if np.prod([len(v) for v in options.values()], dtype=float) <= search.most_combinations:
            break
    names = list(options)
    mesh = np.meshgrid(*(options[n] for n in names), indexing="ij")
    return {n: m.ravel() for n, m in zip(names, mesh)}


def extremes(params, baseline: float = 1.0) -> dict[str, dict[str, float]]:
    """The input values that give the lowest and the highest NPV over every input's range."""
    grid = search_grid(params)
    npv = appraise(baseline, grid, params.appraisal_years).npv
    picks = {"low": int(np.argmin(npv)), "high": int(np.argmax(npv))}
    return {level: {n: float(v[i]) for n, v in grid.items()} for level, i in picks.items()}


def scenario_values(params, scenario: str) -> dict:
    """Inputs of a scenario: central values, or the combination with the lowest (low) or highest (high) NPV.
    A generic allowance that other cases' evidence replaces is not applied in any scenario."""
    if scenario == "central":
        return params.values("central")
    return extremes(params)[scenario]


def scenario_appraisals(baseline: float, params, found: dict | None = None) -> dict[tuple[str, bool], Appraisal]:
    """Appraisal of each scenario, adjusted for optimism (True) and as planned (False). `found` is the result
    of `extremes(params)` where the caller has it already."""
    out = {}
    found = extremes(params) if found is None else found
    for scenario in SCENARIOS:
        values = params.values("central") if scenario == "central" else found[scenario]
        out[(scenario, True)] = appraise(baseline, values, params.appraisal_years)
        out[(scenario, False)] = appraise(baseline, as_planned(values), params.appraisal_years)
    return out


