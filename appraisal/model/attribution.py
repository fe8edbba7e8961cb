"""Who gains: each council's baseline, its share of the shared service's costs, and its NPV.

Each council's own ICT and legal budget is not public, so the combined baseline is split by an
apportionment key (set in the parameters file): that is each council's former cost. Sharing means each
council pays its former cost less its share of the saving, plus its share of the one-off costs, where the
cost-sharing formula splits the change (the saving and the one-off costs), not the whole running cost: a
formula that split the whole running cost would move former costs between councils and report the gap
between two assumed percentages as a gain or loss from sharing. Each council's result is therefore its
formula share of the partnership's result, and the results add up to the partnership's under every
formula. Against the baseline-cost share (each council's share of the change equal to its share of the
former costs), a council whose formula share is higher takes more of the gain, or of the loss: that
difference is the cross-subsidy.
"""
import numpy as np
import pandas as pd

FORMULA_LABELS = {
    "equal_shares": "Equal shares",
    "population": "Population share",
    "baseline": "Baseline-cost share",
    "revenue_budget": "Revenue-budget share",
}
APPORTIONMENT_LABELS = {
    "central_services": "spending on central services",
    "net_revenue_expenditure": "net revenue expenditure",
    "population": "population",
    "equal_shares": "equal shares",
}


def _normalise(weights: pd.Series) -> pd.Series:
    total = weights.sum()
    if not total > 0:
        raise ValueError("cannot share costs: the weights sum to zero")
    return (weights / total).astype(float)


def population_shares(councils: pd.DataFrame, partnership: list[str]) -> pd.Series:
    return _normalise(councils.set_index("ons_code").loc[partnership, "population"].astype(float))


def equal_shares(partnership: list[str]) -> pd.Series:
    return pd.Series(1.0 / len(partnership), index=pd.Index(partnership, name="ons_code"))


def finance_shares(finance: pd.DataFrame, partnership: list[str], measure: str, year: str) -> pd.Series:
    rows = finance[(finance["measure"] == measure) & (finance["year"] == year)].set_index("ons_code")
    missing = [c for c in partnership if c not in rows.index]
    if missing:
        raise ValueError(f"data/council_finance.csv has no {measure} row for {year} for {', '.join(missing)}")
    return _normalise(rows.loc[partnership, "value_gbp_thousand"].astype(float))


def baseline_shares(key: str, councils, finance, partnership, year) -> pd.Series:
    """Each council's assumed share of the combined in-scope baseline."""
    if key == "equal_shares":
        return equal_shares(partnership)
    if key == "population":
        return population_shares(councils, partnership)
    return finance_shares(finance, partnership, key, year)


def formula_shares(formula: str, councils, partnership, baseline_key_shares: pd.Series,
                   finance: pd.DataFrame | None = None, year: str | None = None) -> pd.Series:
    """Each council's share of the shared service's costs (its running cost and its one-off costs) under a
    cost-sharing formula. The revenue-budget share follows each council's net revenue expenditure in `year`."""
    if formula == "revenue_budget":
        return finance_shares(finance, partnership, "net_revenue_expenditure", year)
    if formula == "equal_shares":
        return equal_shares(partnership)
    if formula == "population":
        return population_shares(councils, partnership)
    if formula == "baseline":
        return baseline_key_shares.loc[partnership]
    raise ValueError(f"unknown cost-sharing formula {formula!r}")


def council_net(baseline: float, baseline_share: float, formula_share: float,
                savings: np.ndarray, costs: np.ndarray) -> np.ndarray:
    """One council's net saving by year against going alone.

    Alone it pays its former cost, baseline_share x baseline; sharing, it pays that former cost less its
    formula share of the saving, plus its formula share of the one-off costs. Summed over councils this is
    savings - costs, whatever the shares of the baseline.
    """
    former = baseline_share * baseline
    shared = former - formula_share * savings + formula_share * costs
    return former - shared


def council_npvs(baseline: float, key_shares: pd.Series, formulas: dict[str, pd.Series], appraisal) -> dict:
    """NPV by formula and council, one value per draw, with each council's part of the residual value: after
    the appraisal period it keeps its formula share of the final year's saving."""
    savings, costs, discount = appraisal.savings, appraisal.costs, appraisal.discount
    out = {}
    for formula, shares in formulas.items():
        out[formula] = {}
        for code in shares.index:
            within = (council_net(baseline, key_shares[code], shares[code], savings, costs) * discount).sum(axis=-1)
            after = council_net(baseline, key_shares[code], shares[code], savings[:, -1], 0.0) * appraisal.residual_factor
            out[formula][code] = within + after
    return out


def cross_subsidy(npv_by_council: dict, fair_by_council: dict) -> dict:
    """Each council's gain (positive) or loss against the baseline-cost share: what the formula moves to it
    from its partners, or from it to them."""
    return {code: npv_by_council[code] - fair_by_council[code] for code in npv_by_council}
