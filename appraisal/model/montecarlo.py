"""Monte Carlo appraisal: draws of the uncertain inputs fed through the same savings model.

Where the reference class of other shared services gives an input (the share of the planned saving
achieved, the overrun on one-off costs, the delay), whole cases are resampled: one draw takes one case's
outcomes together, so a case that overran and under-delivered counts as both. An input a drawn case does
not report is taken from another case that does. Outcomes where costs rose are kept (a negative share of
the planned saving); a case that beat its plan counts as meeting it in full (the parameter's high value),
so 3C is not credited with another partnership's windfall. The generic optimism-bias uplift on an input
is set to zero whenever the reference class supplies that input: no draw is adjusted for optimism twice.
Every other input is drawn from a triangular distribution over its low, central and high values,
independently of the others.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd

from appraisal.model import savings
from appraisal.inputs.parameters import Parameters

# Inputs whose distribution comes from the reference class: (measure in the reference values, conversion).
REFERENCE_INPUTS = {
    "savings_realisation": ("savings", lambda v: v),
    "transition_cost_overrun": ("one_off_cost", lambda v: v - 1.0),
    "extra_delay_years": ("delay_months", lambda v: v / 12.0),
}
# The generic uplift that a reference-class input replaces.
REPLACES_UPLIFT = {"transition_cost_overrun": "optimism_bias_one_off", "extra_delay_years": "optimism_bias_duration"}
CONFIDENCE_LEVEL = 0.95  # of the simulation error of the expected NPV (normal approximation, z = 1.96)


def triangular(rng: np.random.Generator, low: float, mode: float, high: float, n: int) -> np.ndarray:
    """Triangular draws; a collapsed range (low == high) gives the constant."""
    if high <= low:
        return np.full(n, float(mode))
    return rng.triangular(low, mode, high, n)


def reference_cases(params: Parameters, reference: pd.DataFrame) -> pd.DataFrame:
    """One row per case, one column per reference-class input (model units); blank where a case is silent."""
    columns = {}
    for name, (measure, convert) in REFERENCE_INPUTS.items():
        rows = reference[reference["measure"] == measure]
        columns[name] = pd.Series(convert(rows["value"].to_numpy(dtype=float)), index=rows["case_id"].to_numpy())
    cases = pd.DataFrame(columns).sort_index().dropna(axis=1, how="all")  # inputs no case reports stay triangular
    if "savings_realisation" in cases:
        cases["savings_realisation"] = cases["savings_realisation"].clip(upper=params.parameters["savings_realisation"].high)
    return cases


def resample_cases(rng: np.random.Generator, cases: pd.DataFrame, n: int) -> dict[str, np.ndarray]:
    """n draws of whole cases; an input a drawn case lacks is taken from a case that has it."""
    picked = rng.integers(0, len(cases), n)
    out = {}
    for name in cases.columns:
        column = cases[name].to_numpy(dtype=float)
        values = column[picked]
        missing = np.isnan(values)
        pool = column[~np.isnan(column)]
        values[missing] = pool[rng.integers(0, len(pool), int(missing.sum()))]
        out[name] = values
    return out


def draw_inputs(params: Parameters, n: int, seed: int, reference: pd.DataFrame | None = None) -> dict[str, np.ndarray]:
    """n draws of every input: whole reference cases where given, triangular(low, central, high) otherwise."""
    rng = np.random.default_rng(seed)
    draws = {}
    for name, p in params.parameters.items():  # fixed order: reproducible for a given seed
        draws[name] = triangular(rng, p.low, p.central, p.high, n)
    if reference is not None:
        from_cases = resample_cases(rng, reference_cases(params, reference), n)
        draws.update(from_cases)
        for name, uplift in REPLACES_UPLIFT.items():
            if name in from_cases:
                draws[uplift] = np.zeros(n)
    return draws


@dataclass(frozen=True)
class Simulation:
    draws: dict
    result: savings.Appraisal
    seed: int

    @property
    def npv(self) -> np.ndarray:
        return self.result.npv


def simulate(baseline: float, params: Parameters, n: int | None = None, seed: int | None = None,
             reference: pd.DataFrame | None = None) -> Simulation:
    n = params.monte_carlo.iterations if n is None else n
    seed = params.monte_carlo.seed if seed is None else seed
    draws = draw_inputs(params, n, seed, reference)
    return Simulation(draws, savings.appraise(baseline, draws, params.appraisal_years), seed)


def percentiles(values: np.ndarray, levels=(10, 50, 90)) -> dict[str, float]:
    return {f"P{q}": float(v) for q, v in zip(levels, np.percentile(values, list(levels)))}


def simulation_error(values: np.ndarray, z: float = 1.96) -> float:
    """Half-width of the interval around the expected value due to the finite number of runs alone (not the
    uncertainty of the outcome, which the percentiles describe)."""
    return z * float(values.std(ddof=1)) / np.sqrt(len(values))


def percentile_rank(values: np.ndarray, value: float) -> float:
    """Share of simulated values at or below `value`."""
    return float((values <= value).mean())


def chance_saving_negative(sim: "Simulation") -> float:
    """Chance that the annual saving itself, once fully built up, is negative (sharing costs more to run)."""
    return float((sim.result.savings[:, -1] < 0).mean())


def chance_of_loss(values: np.ndarray) -> float:
    return float((values < 0).mean())


def convergence(npv: np.ndarray, steps: int = 5) -> pd.DataFrame:
    """P50 and chance of loss using the first n draws, n doubling up to all of them."""
    sizes = [len(npv) // 2 ** k for k in reversed(range(steps))]
    return pd.DataFrame([{"Iterations": n, "P50 NPV (£)": float(np.median(npv[:n])),
                          "Chance of a loss": chance_of_loss(npv[:n])} for n in sizes if n > 0])
