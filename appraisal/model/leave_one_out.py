"""How much one case moves the answer: the simulation run again with each case of the reference class left
out in turn (all its measures, and its one-off cost), everything else unchanged."""
from dataclasses import dataclass

import numpy as np

from appraisal.model import montecarlo


@dataclass(frozen=True)
class Dropped:
    case_id: str
    chance_of_loss: float
    p50: float
    p10: float
    p90: float


def cases_used(assumed) -> list[str]:
    """Every case behind an input computed from the case evidence, in first-seen order."""
    return list(dict.fromkeys(c for p in assumed.parameters.values() for c in p.cases))


def leave_one_out(baseline: float, assumptions_without, case_ids: list[str]) -> list[Dropped]:
    """`assumptions_without(case_id)` gives the assumptions with that case left out (None: nothing left out).
    A case whose removal leaves an input with no evidence is reported with NaN results."""
    out = []
    for case_id in case_ids:
        try:
            assumed = assumptions_without(case_id)
        except ValueError:
            out.append(Dropped(case_id, np.nan, np.nan, np.nan, np.nan))
            continue
        npv = montecarlo.simulate(baseline, assumed).npv
        pct = montecarlo.percentiles(npv)
        out.append(Dropped(case_id, montecarlo.chance_of_loss(npv), pct["P50"], pct["P10"], pct["P90"]))
    return out
