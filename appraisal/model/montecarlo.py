"""Monte Carlo appraisal: draws of the uncertain inputs fed through the same savings model, from the same
assumptions as the central case (appraisal/model/assumptions.py).

Where the outcomes of other shared services give an input (the share of the planned saving achieved, the
overrun on one-off costs, the delay), whole cases are resampled: one draw takes one case's outcomes
together, so a case that overran and under-delivered counts as both. An input a drawn case does not report
is taken from another case that does. The one-off cost is drawn from one comparable scheme at a time. The
generic optimism-bias uplift on an input is set to zero whenever other cases supply that input: no draw is
adjusted for optimism twice. Every other input is drawn from a triangular distribution over its low,
central and high values, independently of the others.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd

from appraisal.model import savings
from appraisal.model.assumptions import Assumptions

# Evidence from the outcomes of other shared services: one case gives these together, so they are drawn together.
JOINT_EVIDENCE = ("savings", "one_off_cost", "delay_months")


def triangular(rng: np.random.Generator, low: float, mode: float, high: float, n: int) -> np.ndarray:
    """Triangular draws; a collapsed range (low == high) gives the constant."""
    if high <= low:
        return np.full(n, float(mode))
    return rng.triangular(low, mode, high, n)


def case_table(assumed: Assumptions) -> pd.DataFrame:
    """One row per case, one column per input drawn from case outcomes (model units); blank where silent."""
    columns = {name: pd.Series(p.case_values, index=list(p.cases), dtype=float)
               for name, p in assumed.parameters.items() if p.evidence in JOINT_EVIDENCE}
    return pd.DataFrame(columns).sort_index()


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


def draw_inputs(assumed: Assumptions, n: int, seed: int) -> dict[str, np.ndarray]:
    """n draws of every input: whole cases for inputs from case outcomes, one scheme at a time for the
    one-off cost of comparable schemes, triangular(low, central, high) for the rest."""
    rng = np.random.default_rng(seed)
    draws = {name: triangular(rng, p.low, p.central, p.high, n)  # fixed order: reproducible for a seed
             for name, p in assumed.parameters.items()}
    cases = case_table(assumed)
    if not cases.empty:
        draws.update(resample_cases(rng, cases, n))
    for name, p in assumed.parameters.items():
        if p.evidence is not None and p.evidence not in JOINT_EVIDENCE:
            draws[name] = np.asarray(p.case_values, dtype=float)[rng.integers(0, len(p.case_values), n)]
    for uplift in assumed.replaced_uplifts():
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


def simulate(baseline: float, assumed: Assumptions, n: int | None = None, seed: int | None = None) -> Simulation:
    n = assumed.monte_carlo.iterations if n is None else n
    seed = assumed.monte_carlo.seed if seed is None else seed
    draws = draw_inputs(assumed, n, seed)
    return Simulation(draws, savings.appraise(baseline, draws, assumed.appraisal_years), seed)


def percentiles(values: np.ndarray, levels=(10, 50, 90)) -> dict[str, float]:
    return {f"P{q}": float(v) for q, v in zip(levels, np.percentile(values, list(levels)))}


ERROR_Z = 1.96  # the normal distribution's 97.5th percentile: a 95% interval


def simulation_error(values: np.ndarray, z: float = ERROR_Z) -> float:
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
