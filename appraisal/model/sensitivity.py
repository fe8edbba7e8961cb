"""One-at-a-time sensitivity (tornado) and switching values: the input value at which NPV is zero."""
import numpy as np
import pandas as pd

from appraisal.model import savings
from appraisal.inputs.parameters import RANGES, Parameters

# The inputs whose switching values a committee needs (Green Book 5.60).
SWITCHING_INPUTS = ("savings_realisation", "one_off_cost_share", "extra_delay_years", "discount_rate",
                    "residual_years")


def npv_at(baseline: float, values: dict, years: int) -> float:
    return float(savings.appraise(baseline, values, years).npv[0])


def tornado(baseline: float, params: Parameters, values: dict | None = None) -> pd.DataFrame:
    """NPV with each input at its low and at its high value, the others held at `values` (central).
    Fixed inputs (low equal to high) are left out: see `fixed_inputs`."""
    values = params.values("central") if values is None else values
    years = params.appraisal_years
    base = npv_at(baseline, values, years)
    rows = []
    for name, p in params.parameters.items():
        if p.low == p.high:
            continue
        lo = npv_at(baseline, {**values, name: p.low}, years)
        hi = npv_at(baseline, {**values, name: p.high}, years)
        rows.append({"Input": p.label, "name": name, "Low value": p.low, "High value": p.high,
                     "NPV at low value (£)": lo, "NPV at high value (£)": hi,
                     "Swing (£)": abs(hi - lo), "Central NPV (£)": base})
    return pd.DataFrame(rows).sort_values("Swing (£)", ascending=False, ignore_index=True)


def fixed_inputs(params) -> list[str]:
    """Inputs held at one value (low equal to high): not varied in the tornado or the simulation."""
    return [name for name, p in params.parameters.items() if p.low == p.high]


def switching_value(baseline: float, values: dict, years: int, name: str,
                    bounds: tuple[float, float] | None = None, tol: float = 1e-12) -> float | None:
    """The value of one input at which NPV is zero, others held; None if NPV keeps its sign over the bounds.

    Found by bisection, so it works for any input on which NPV is monotonic within the bounds.
    """
    lo, hi = bounds or RANGES[name]
    f_lo = npv_at(baseline, {**values, name: lo}, years)
    f_hi = npv_at(baseline, {**values, name: hi}, years)
    if f_lo == 0:
        return lo
    if np.sign(f_lo) == np.sign(f_hi):
        return None
    for _ in range(200):
        mid = (lo + hi) / 2
        f_mid = npv_at(baseline, {**values, name: mid}, years)
        if np.sign(f_mid) == np.sign(f_lo):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
        if hi - lo < tol:
            break
    return (lo + hi) / 2


def switching_values(baseline: float, params: Parameters, values: dict | None = None) -> pd.DataFrame:
    values = params.values("central") if values is None else values
    rows = []
    for name in SWITCHING_INPUTS:
        sv = switching_value(baseline, values, params.appraisal_years, name)
        lo, hi = RANGES[name]
        rows.append({"Input": params.label(name), "name": name, "Central value": values[name], "Switching value": sv,
                     "Searched from": lo, "Searched to": hi,
                     "Unit": params.parameters[name].unit})
    return pd.DataFrame(rows)
