"""The value of settling each unknown: the expected value of perfect information (EVPI), from the simulation.

The decision is whether to share. Deciding now, the councils get the better of sharing and not sharing on
average: max(mean NPV, 0), not sharing being worth 0. If an input were known before deciding, they could
choose for each value it might take: the average over its values of max(mean NPV given that value, 0).
The difference, never below zero, is what knowing that input is worth, in the same pounds as the NPV.

The mean NPV given a value is the mean over the runs that drew it: runs are grouped by the input's value
where it takes few values (inputs drawn from the cases), and otherwise into `bins` groups of equal size by
its value (evpi_groups in the parameters file). An input held at one value has none to learn: its EVPI is zero.
"""
import numpy as np

def groups(values: np.ndarray, bins: int) -> np.ndarray:
    """A group number for each run: one group per distinct value where there are at most `bins`, otherwise
    groups of (nearly) equal size by rank."""
    values = np.asarray(values, dtype=float)
    distinct, index = np.unique(values, return_inverse=True)
    if len(distinct) <= bins:
        return index
    ranks = np.argsort(np.argsort(values, kind="stable"), kind="stable")
    return ranks * bins // len(values)


def evpi(npv: np.ndarray, group: np.ndarray) -> float:
    """Expected value of perfect information about whatever defines `group`, from runs' NPV."""
    npv = np.asarray(npv, dtype=float)
    counts = np.bincount(group)
    sums = np.bincount(group, weights=npv)
    present = counts > 0
    weights, means = counts[present] / len(npv), sums[present] / counts[present]
    # The same difference written so that it is exactly zero when no value would change the decision: if
    # sharing pays on average, knowing the input helps only where the mean given it is a loss (the loss
    # avoided), and otherwise only where it is a gain (the gain taken).
    if npv.mean() >= 0:
        return float((weights * np.maximum(-means, 0.0)).sum())
    return float((weights * np.maximum(means, 0.0)).sum())


def evpi_of_inputs(npv: np.ndarray, draws: dict[str, np.ndarray], bins: int,
                   together: dict[str, tuple[str, ...]] | None = None) -> dict[str, float]:
    """EVPI of each input drawn, and of each named group of inputs learnt together."""
    out = {}
    for name, values in draws.items():
        values = np.asarray(values, dtype=float)
        out[name] = 0.0 if np.ptp(values) == 0 else evpi(npv, groups(values, bins))
    for label, names in (together or {}).items():
        combined = np.zeros(len(npv), dtype=np.int64)
        for name in names:
            g = groups(draws[name], bins)
            combined = combined * (int(g.max()) + 1) + g
        out[label] = evpi(npv, np.unique(combined, return_inverse=True)[1])
    return out
