"""The Green Book appraisal of sharing: savings, one-off costs, discounting, NPV and payback.

One code path serves the deterministic appraisal and the Monte Carlo: every input may be a
number or a numpy array of draws, and every result has a leading axis of draws (length 1 for a
single appraisal) and a trailing axis of years. Year 0 is the first year and is not discounted.
"""
from dataclasses import dataclass

import numpy as np

# What "as planned" resets: the plan taken at face value, with no allowance for optimism of any kind.
AS_PLANNED = {"optimism_bias_one_off": 0.0, "optimism_bias_duration": 0.0, "savings_realisation": 1.0,
              "transition_cost_overrun": 0.0, "extra_delay_years": 0.0}


def discount_factors(rate, years: int) -> np.ndarray:
    """Green Book discount factors 1 / (1 + r)^t for t = 0 .. years-1; shape (draws, years)."""
    r = np.atleast_1d(np.asarray(rate, dtype=float))[:, None]
    return 1.0 / (1.0 + r) ** np.arange(years)


def _ramp_area(u, duration):
    """Integral from 0 to u of a ramp that climbs from 0 to 1 over `duration` years."""
    u = np.clip(u, 0.0, None)
    inside = u * u / (2.0 * duration)
    past = duration / 2.0 + (u - duration)
    return np.where(u <= duration, inside, past)


def savings_profile(years: int, years_to_full, delay) -> np.ndarray:
    """Share of the full annual saving achieved in each year, averaged over the year.

    Savings start after `delay` years and rise in a straight line to the full amount over
    `years_to_full` years. Shape (draws, years).
    """
    d = np.atleast_1d(np.asarray(delay, dtype=float))[:, None]
    ramp = np.atleast_1d(np.asarray(years_to_full, dtype=float))[:, None]
    t = np.arange(years)
    return _ramp_area(t + 1 - d, ramp) - _ramp_area(t - d, ramp)


def cost_profile(years: int, transition_years) -> np.ndarray:
    """Share of one-off costs falling in each year: spread evenly over the planned transition.

    Delay and the optimism-bias uplift on duration postpone savings, not costs: a late project is not
    cheaper in present value for being late (its extra costs are the overrun input)."""
    span = np.atleast_1d(np.asarray(transition_years, dtype=float))[:, None]
    t = np.arange(years)
    overlap = np.clip(np.minimum(t + 1, span) - t, 0.0, 1.0)
    return overlap / span


def as_planned(values: dict) -> dict:
    """The same inputs with every allowance for optimism removed: the plan met in full, on time and on budget."""
    return {**values, **AS_PLANNED}


def residual_value(final_saving, rate, years: int, residual_years) -> np.ndarray:
    """Present value of the final year's saving carried on for `residual_years` after the appraisal period.

    Sharing goes on after the period appraised: the saving of the last year continues, with no new one-off
    cost, for `residual_years` more years (a fraction counts pro rata), discounted from year `years` on.
    Zero when savings stop at the end of the period."""
    saving = np.atleast_1d(np.asarray(final_saving, dtype=float))
    r = np.atleast_1d(np.asarray(rate, dtype=float))
    n = np.atleast_1d(np.asarray(residual_years, dtype=float))
    v = 1.0 / (1.0 + r)
    with np.errstate(divide="ignore", invalid="ignore"):
        annuity = np.where(r > 0, (1.0 - v ** n) / np.where(r > 0, 1.0 - v, 1.0), n)
    return saving * v ** years * annuity


@dataclass(frozen=True)
class Appraisal:
    """Results by draw and year, in real pounds at the price base year."""
    savings: np.ndarray        # gross annual saving (draws, years)
    costs: np.ndarray          # one-off transition costs (draws, years)
    discount: np.ndarray       # discount factors (draws, years)
    one_off_total: np.ndarray  # undiscounted one-off cost (draws,)
    residual_factor: np.ndarray  # present value of £1 a year after the appraisal period (draws,)

    @property
    def residual(self) -> np.ndarray:
        """Present value of the final year's saving carried on after the appraisal period (draws,)."""
        return self.savings[:, -1] * self.residual_factor

    @property
    def net(self) -> np.ndarray:
        return self.savings - self.costs

    @property
    def pv_savings(self) -> np.ndarray:
        return (self.savings * self.discount).sum(axis=-1)

    @property
    def pv_costs(self) -> np.ndarray:
        return (self.costs * self.discount).sum(axis=-1)

    @property
    def npv(self) -> np.ndarray:
        """Net present value: savings within the period, less one-off costs, plus the residual value."""
        return self.pv_savings - self.pv_costs + self.residual

    @property
    def npv_within_period(self) -> np.ndarray:
        return self.pv_savings - self.pv_costs

    @property
    def bcr(self) -> np.ndarray:
        """Present value of all savings (within the period and residual) per pound of one-off cost."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.pv_costs > 0, (self.pv_savings + self.residual) / self.pv_costs, np.nan)

    @property
    def cumulative_pv(self) -> np.ndarray:
        return np.cumsum(self.net * self.discount, axis=-1)

    @property
    def payback_index(self) -> np.ndarray:
        """First year (0-based) in which cumulative discounted net saving is above zero; -1 if never."""
        positive = self.cumulative_pv > 0
        return np.where(positive.any(axis=-1), positive.argmax(axis=-1), -1)


def appraise(baseline, values: dict, years: int) -> Appraisal:
    """Appraise sharing against each council carrying on alone.

    `baseline` is the combined in-scope annual cost. `values` holds the inputs named in the
    parameters file; each may be a number or an array of draws.
    """
    v = {k: np.atleast_1d(np.asarray(x, dtype=float)) for k, x in values.items()}
    planned = v["planned_saving_share"] * np.asarray(baseline, dtype=float)
    duration = v["years_to_full_savings"] * (1.0 + v["optimism_bias_duration"])
    delay = v["extra_delay_years"]
    full_saving = planned * v["savings_realisation"]
    savings = full_saving[:, None] * savings_profile(years, duration, delay)
    one_off = (v["one_off_cost_share"] * np.asarray(baseline, dtype=float)
               * (1.0 + v["transition_cost_overrun"]) * (1.0 + v["optimism_bias_one_off"]))
    costs = one_off[:, None] * cost_profile(years, v["years_to_full_savings"])
    draws = max(savings.shape[0], costs.shape[0])
    discount = np.broadcast_to(discount_factors(v["discount_rate"], years), (draws, years))
    factor = residual_value(1.0, v["discount_rate"], years, v.get("residual_years", 0.0))
    return Appraisal(np.broadcast_to(savings, (draws, years)), np.broadcast_to(costs, (draws, years)),
                     discount, np.broadcast_to(one_off, (draws,)), np.broadcast_to(factor, (draws,)))
