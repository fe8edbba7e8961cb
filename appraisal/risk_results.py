"""Tables the risk chapter shows, computed from a simulation and the inputs of one build."""
import numpy as np
import pandas as pd

from appraisal import appraisal_results as ar
from appraisal import attribution, montecarlo, sensitivity
from appraisal.inputs import Inputs


def council_risk(inputs: Inputs, sim: montecarlo.Simulation) -> pd.DataFrame:
    """P10, P50, P90 and chance of a loss for the partnership and each council under each formula."""
    a = sim.result
    names = inputs.table("councils").set_index("ons_code")["short_name"]
    npvs = attribution.council_npvs(ar.baseline_total(inputs), ar.key_shares(inputs), ar.formula_share_table(inputs),
                                    a.savings, a.costs, a.discount)
    rows = [{"Council": "All councils", "Formula": "Any", **montecarlo.percentiles(a.npv),
             "Chance of a loss": montecarlo.chance_of_loss(a.npv)}]
    for formula, by_council in npvs.items():
        for code, values in by_council.items():
            rows.append({"Council": names[code], "Formula": attribution.FORMULA_LABELS[formula],
                         **montecarlo.percentiles(values), "Chance of a loss": montecarlo.chance_of_loss(values)})
    return pd.DataFrame(rows).rename(columns={"P10": "P10 NPV (£)", "P50": "P50 NPV (£)", "P90": "P90 NPV (£)"})


def yearly_loss_chance(inputs: Inputs, sim: montecarlo.Simulation) -> pd.DataFrame:
    """For each year, the chance that the partnership's net saving that year is negative."""
    return pd.DataFrame({"Year": ar.financial_years(inputs),
                         "Chance of a loss": (sim.result.net < 0).mean(axis=0)})


def s_curve(npv: np.ndarray, label: str, points: int = 101) -> pd.DataFrame:
    q = np.linspace(0, 1, points)
    return pd.DataFrame({"NPV (£m)": np.quantile(npv, q) / 1e6, "Cumulative probability": q, "Run": label})


def risk_register(inputs: Inputs) -> pd.DataFrame:
    """Each risk's impact: the change in central NPV when its input moves to the stressed end."""
    base = ar.baseline_total(inputs)
    p = inputs.params
    central = p.values("central")
    base_npv = sensitivity.npv_at(base, central, p.appraisal_years)
    reg = inputs.table("risk_register")
    impact = [sensitivity.npv_at(base, {**central, r.parameter: p.parameters[r.parameter].value(r.stressed_level)},
                                 p.appraisal_years) - base_npv for r in reg.itertuples()]
    reg["Impact on NPV (£)"] = impact
    reg["Expected cost (£)"] = -reg["likelihood"] * reg["Impact on NPV (£)"]
    return reg
