"""Monte Carlo appraisal: draws of the uncertain inputs fed through the same savings model.

Dependence: inputs are drawn independently of each other. Projects that overrun often also
under-deliver savings, so independence probably understates the chance of a large loss.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd

from appraisal.model import savings
from appraisal.inputs.parameters import Parameters

# Inputs whose distribution comes from the reference class of case studies, when it is given.
# Each maps to (measure in the export, how a case value becomes the model input).
REFERENCE_INPUTS = {
    "savings_realisation": ("savings", lambda v: v),
    "transition_cost_overrun": ("one_off_cost", lambda v: v - 1.0),
    "extra_delay_years": ("delay_months", lambda v: v / 12.0),
}
OPTIMISM_BIAS = ("optimism_bias_one_off", "optimism_bias_duration")
CONFIDENCE_LEVEL = 0.95  # of the interval around the expected NPV (normal approximation, z = 1.96)


def triangular(rng: np.random.Generator, low: float, mode: float, high: float, n: int) -> np.ndarray:
    """Triangular draws; a collapsed range (low == high) gives the constant."""
    if high <= low:
        return np.full(n, float(mode))
    return rng.triangular(low, mode, high, n)


def empirical(rng: np.random.Generator, values, n: int) -> np.ndarray:
    """Draws from the piecewise-linear distribution through the sorted case values (equal weight each)."""
    values = np.sort(np.asarray(values, dtype=float))
    if len(values) == 1:
        return np.full(n, values[0])
    return np.quantile(values, rng.random(n), method="linear")


def reference_values(params: Parameters, reference: pd.DataFrame, name: str) -> np.ndarray:
    """Case values for one input, bounded by the parameter's low and high values.

    The parameter's bounds are added as cases: the low value (for example, no overrun) and the high
    value (for example, the plan met in full) are outcomes the evidence also supports. Values beyond
    the bounds are capped there: a case that beat its plan fourfold is not credited to this one.
    """
    measure, convert = REFERENCE_INPUTS[name]
    p = params.parameters[name]
    cases = convert(reference.loc[reference["measure"] == measure, "value"].to_numpy(dtype=float))
    return np.clip(np.concatenate([cases, [p.low, p.high]]), p.low, p.high)


def draw_inputs(params: Parameters, n: int, seed: int, reference: pd.DataFrame | None = None,
                optimism_bias: bool = True) -> dict[str, np.ndarray]:
    """n draws of every input. Triangular(low, central, high) unless the reference class is given for it.

    Without optimism bias the generic uplifts are zero (the reference class, where used, already
    measures how far plans went wrong)."""
    rng = np.random.default_rng(seed)
    draws = {}
    for name, p in params.parameters.items():  # fixed order: reproducible for a given seed
        if reference is not None and name in REFERENCE_INPUTS:
            draws[name] = empirical(rng, reference_values(params, reference, name), n)
        else:
            draws[name] = triangular(rng, p.low, p.central, p.high, n)
    if not optimism_bias:
        for name in OPTIMISM_BIAS:
            draws[name] = np.zeros(n)
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
             reference: pd.DataFrame | None = None, optimism_bias: bool = True) -> Simulation:
    n = params.monte_carlo.iterations if n is None else n
    seed = params.monte_carlo.seed if seed is None else seed
    draws = draw_inputs(params, n, seed, reference, optimism_bias)
    return Simulation(draws, savings.appraise(baseline, draws, params.appraisal_years), seed)


def percentiles(values: np.ndarray) -> dict[str, float]:
    p10, p50, p90 = np.percentile(values, [10, 50, 90])
    return {"P10": p10, "P50": p50, "P90": p90}


def expected_with_interval(values: np.ndarray, z: float = 1.96) -> tuple[float, float, float]:
    """Mean and its confidence interval at CONFIDENCE_LEVEL (normal approximation)."""
    mean = float(values.mean())
    half = z * float(values.std(ddof=1)) / np.sqrt(len(values))
    return mean, mean - half, mean + half


def chance_of_loss(values: np.ndarray) -> float:
    return float((values < 0).mean())


def convergence(npv: np.ndarray, steps: int = 5) -> pd.DataFrame:
    """P50 and chance of loss using the first n draws, n doubling up to all of them."""
    sizes = [len(npv) // 2 ** k for k in reversed(range(steps))]
    return pd.DataFrame([{"Iterations": n, "P50 NPV (£)": float(np.median(npv[:n])),
                          "Chance of a loss": chance_of_loss(npv[:n])} for n in sizes if n > 0])
