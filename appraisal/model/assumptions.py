"""One set of assumptions for every chapter: the parameters file, with the inputs that come from other
shared services computed from the case evidence.

An input whose basis is "reference class" has no values typed in the parameters file. Its low, central and
high values are the lowest, middle (median) and highest of the cases, converted to the model's units:
- savings: the share of the planned saving achieved (gross saving achieved ÷ the plan for the same years,
  as the scheme actually ran, so the ratio already holds its late start and slow build-up); both tails
  are bounded alike, at the plan less or plus its whole amount (realisation_bounds in the parameters file);
- one_off_cost: the overrun on one-off costs (actual ÷ planned, less 1);
- delay_months: the delay before savings start, in years (shown, but not applied on top of the share
  achieved, which already holds each case's delay);
- one_off_plans: the one-off cost as a share of one year's in-scope baseline: the years of planned saving
  that comparable schemes planned to spend on setting up, times the partnership's own planned saving
  share (its central value), so the one-off cost does not move with a scenario's saving.
The deterministic central case uses the medians; the simulation draws from the same cases.
"""
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

EVIDENCE_LABELS = {
    "savings": "share of the planned saving achieved",
    "one_off_cost": "overrun on one-off costs",
    "delay_months": "delay",
    "one_off_plans": "one-off cost of comparable schemes",
}
# The allowances that evidence from other cases replaces: the overrun on one-off costs replaces the generic
# uplift on them; the share of the planned saving achieved, measured over the years as each scheme ran,
# already holds late starts and slow build-up, so no separate delay or uplift on the time to full savings
# is added to it.
REPLACES = {"one_off_cost": ("optimism_bias_one_off",),
            "savings": ("extra_delay_years", "optimism_bias_duration")}
def convert(evidence: str, values, plan_share: float = 1.0, *, bounds: tuple[float, float]) -> np.ndarray:
    """Case values in the model's units; a share of the planned saving achieved held within `bounds`
    (realisation_bounds in the parameters file)."""
    v = np.asarray(values, dtype=float)
    if evidence == "savings":
        return np.clip(v, *bounds)
    if evidence == "one_off_cost":
        return v - 1.0
    if evidence == "delay_months":
        return v / 12.0
    if evidence == "one_off_plans":
        return v * plan_share
    raise ValueError(f"unknown evidence {evidence!r}")


@dataclass(frozen=True)
class Input:
    """One input of the model with its values at each level, as every chapter uses it."""
    name: str
    label: str
    worse: str
    low: float
    central: float
    high: float
    unit: str
    basis: str
    source_ids: tuple[str, ...]
    rationale: str
    owner: str
    derivation: str = ""
    evidence: str | None = None
    cases: tuple[str, ...] = ()             # the case ids behind a reference-class input
    case_values: tuple[float, ...] = ()     # their values in the model's units, in the same order

    def value(self, level: str) -> float:
        return getattr(self, level)

    @property
    def source_id(self) -> str | None:
        return self.source_ids[0] if self.source_ids else None

    @property
    def fixed(self) -> bool:
        return self.low == self.high


@dataclass
class Assumptions:
    """The inputs (by name, in the parameters file's order) and the settings the model needs."""
    parameters: dict[str, Input]
    appraisal_years: int
    monte_carlo: object
    scenario_search: object  # how finely the low and high scenarios are searched for (model.scenarios)

    def values(self, level: str = "central") -> dict[str, float]:
        return {name: p.value(level) for name, p in self.parameters.items()}

    def label(self, name: str) -> str:
        return self.parameters[name].label

    def replaced_uplifts(self) -> list[str]:
        """The allowances that other cases' evidence replaces here: held at none in every scenario and every
        run, so optimism, delay and slow build-up are never counted twice."""
        return [name for p in self.parameters.values() for name in REPLACES.get(p.evidence, ())
                if name in self.parameters]


def case_values(evidence: str, reference: pd.DataFrame, one_off: pd.DataFrame) -> pd.Series:
    """The cases' raw values for one kind of evidence, indexed by case id."""
    if evidence == "one_off_plans":
        return pd.Series(one_off["ratio"].to_numpy(dtype=float), index=one_off["case_id"].to_numpy())
    rows = reference[reference["measure"] == evidence]
    return pd.Series(rows["value"].to_numpy(dtype=float), index=rows["case_id"].to_numpy())


def case_sources(evidence: str, reference_sources: dict, one_off: pd.DataFrame) -> tuple[str, ...]:
    if evidence == "one_off_plans":
        return tuple(dict.fromkeys(s for ids in one_off["source_ids"] for s in ids))
    return tuple(reference_sources.get(evidence, ()))


def _fmt(x: float) -> str:
    return f"{x:.3g}"


def bounds(params) -> tuple[float, float]:
    """The least and the most of its plan that a case's share of the planned saving achieved counts as."""
    return params.realisation_bounds.lowest, params.realisation_bounds.highest


def resolve(params, reference: pd.DataFrame, one_off: pd.DataFrame, reference_sources: dict | None = None) -> Assumptions:
    """The assumptions every chapter uses, from the parameters and the case evidence.

    `reference` has one row per case and measure (case_id, measure, value); `one_off` one row per scheme
    (case_id, ratio, source_ids); `reference_sources` the source ids of each measure's cases."""
    reference_sources = reference_sources or {}
    plan_share = params.parameters["planned_saving_share"].central
    inputs = {}
    for name, p in params.parameters.items():
        common = dict(name=name, label=p.label, worse=p.worse, unit=p.unit, basis=p.basis,
                      rationale=p.rationale, owner=p.owner)
        if p.basis != "reference class":
            inputs[name] = Input(low=p.low, central=p.central, high=p.high,
                                 source_ids=tuple(s for s in (p.source_id, *p.other_source_ids) if s),
                                 derivation=p.derivation or "", **common)
            continue
        raw = case_values(p.evidence, reference, one_off)
        if raw.empty:
            raise ValueError(f"parameters.{name}: no case in the evidence for {p.evidence!r}")
        values = convert(p.evidence, raw.to_numpy(), plan_share, bounds=bounds(params))
        low, central, high = float(values.min()), float(np.median(values)), float(values.max())
        scale = f" × the planned saving share {_fmt(plan_share)}" if p.evidence == "one_off_plans" else ""
        derivation = (f"lowest, median and highest of {len(values)} cases ({', '.join(raw.index)}){scale}: "
                      f"{_fmt(low)}, {_fmt(central)}, {_fmt(high)}")
        inputs[name] = Input(low=low, central=central, high=high,
                             source_ids=case_sources(p.evidence, reference_sources, one_off),
                             derivation=derivation, evidence=p.evidence, cases=tuple(raw.index),
                             case_values=tuple(float(v) for v in values), **common)
    assumed = Assumptions(inputs, params.appraisal_years, params.monte_carlo, params.scenario_search)
    for name in assumed.replaced_uplifts():  # never applied: the central case, like every run, leaves it out
        p = assumed.parameters[name]
        assumed.parameters[name] = replace(p, low=min(p.low, 0.0), central=0.0, derivation=(
            (p.derivation + "; " if p.derivation else "") +
            "not applied: the cases' own outturn already holds it; the high value shows what adding it would do"))
    return assumed
