"""Rules of the chapters' own arithmetic, on small hand-made inputs: the cross-subsidy between councils,
the risk register's expected cost and the assumptions log's impact ratings."""
import numpy as np
import pandas as pd
import pytest

from appraisal.chapters import assumptions_log, risk
from appraisal.model import attribution
from conftest import central_values

SHARES = pd.Series({"A": 0.5, "B": 0.3, "C": 0.2})


def council_nets(formula: pd.Series, savings: np.ndarray, costs: np.ndarray, baseline: float = 1_000_000):
    return {c: attribution.council_net(baseline, SHARES[c], formula[c], savings, costs) for c in SHARES.index}


def test_council_results_add_up_to_the_partnership_under_every_formula():
    savings, costs = np.array([[0.0, 50_000, 100_000]]), np.array([[80_000, 20_000, 0.0]])
    for formula in (SHARES, attribution.equal_shares(list(SHARES.index)), pd.Series({"A": 0.2, "B": 0.2, "C": 0.6})):
        total = sum(council_nets(formula, savings, costs).values())
        np.testing.assert_allclose(total, savings - costs)


def test_cross_subsidies_between_councils_sum_to_zero():
    savings, costs = np.array([[0.0, 50_000, 100_000]]), np.array([[80_000, 20_000, 0.0]])
    equal = attribution.equal_shares(list(SHARES.index))
    by_equal, by_baseline = council_nets(equal, savings, costs), council_nets(SHARES, savings, costs)
    cross = {c: by_equal[c] - by_baseline[c] for c in SHARES.index}
    np.testing.assert_allclose(sum(cross.values()), 0.0, atol=1e-6)
    # The change nets to a gain of 50,000 over the three years. C holds a fifth of the baseline but takes a
    # third of the change under equal shares: it gains at A's expense, which holds half but takes a third.
    assert cross["C"].sum() == pytest.approx((1 / 3 - 0.2) * 50_000)
    assert cross["A"].sum() == pytest.approx((1 / 3 - 0.5) * 50_000)


def test_a_council_whose_formula_share_equals_its_baseline_share_gets_its_share_of_the_net_saving():
    savings, costs = np.array([[100_000.0]]), np.array([[40_000.0]])
    nets = council_nets(SHARES, savings, costs)
    assert nets["B"][0, 0] == pytest.approx(0.3 * 60_000)


class Hand:
    """A tiny stand-in for the parameters: three inputs, each with low, central and high."""

    class P:
        def __init__(self, low, central, high):
            self.low, self.central, self.high = low, central, high

        def value(self, level):
            return getattr(self, level)

    def __init__(self):
        values = central_values(planned_saving_share=0.1, one_off_cost_share=0.1, years_to_full_savings=1.0)
        self.parameters = {k: self.P(v, v, v) for k, v in values.items()}
        self.parameters["savings_realisation"] = self.P(0.5, 1.0, 1.0)
        self.appraisal_years = 3

    def values(self, level):
        return {k: p.value(level) for k, p in self.parameters.items()}


def test_the_expected_cost_of_a_risk_is_its_likelihood_times_the_loss_it_causes():
    register = pd.DataFrame({"risk_id": ["r"], "parameter": ["savings_realisation"], "stressed_level": ["low"],
                             "likelihood": [0.25]})
    out = risk.risk_register(1_000_000, Hand(), register)
    # Halving the realised saving of 100,000 a year loses 50,000 in each year from year 1 (ramp of one year:
    # half a year's saving in year 0), discounted at 3.5%.
    lost = 50_000 * (0.5 + 1 / 1.035 + 1 / 1.035 ** 2)
    assert out.loc[0, "Impact on NPV (£)"] == pytest.approx(-lost)
    assert out.loc[0, "Expected cost (£)"] == pytest.approx(0.25 * lost)


def test_a_risk_with_no_effect_has_no_expected_cost():
    register = pd.DataFrame({"risk_id": ["r"], "parameter": ["discount_rate"], "stressed_level": ["high"],
                             "likelihood": [0.9]})
    out = risk.risk_register(1_000_000, Hand(), register)
    assert out.loc[0, "Expected cost (£)"] == pytest.approx(0.0)


@pytest.mark.parametrize("swing, rating", [
    (0, "low"), (249_999, "low"), (250_000, "medium"), (-999_999, "medium"), (1_000_000, "high"), (-5e6, "high")])
def test_impact_ratings_follow_the_thresholds_whatever_the_sign(swing, rating):
    from types import SimpleNamespace

    assert assumptions_log.impact_rating(swing, SimpleNamespace(high=1_000_000, medium=250_000)) == rating


@pytest.mark.parametrize("chance, opening", [
    (0.10, "The evidence supports sharing: most runs save money."),
    (0.50, "The evidence does not settle whether sharing pays"),
    (0.90, "The evidence points to a net cost: most runs lose money."),
])
def test_the_verdict_reads_correctly_in_each_branch(chance, opening):
    text = risk.verdict(chance, "share of the planned saving achieved", "28%", "27%", "the 2015 business cases",
                        (0.35, 0.65))
    assert text.startswith(opening)
    assert "hinges most on the share of the planned saving achieved: 28% in the central case" in text
    assert text.endswith("the central estimate breaks even at 27%. What would settle it: the 2015 business cases.")
    assert ".." not in text and "  " not in text


@pytest.mark.parametrize("bounds, opening", [
    ((0.2, 0.3), "The evidence points to a net cost"), ((0.2, 0.5), "The evidence does not settle"),
    ((0.45, 0.9), "The evidence does not settle"), ((0.5, 0.9), "The evidence supports sharing"),
])
def test_the_verdict_follows_the_bounds_the_parameters_file_sets(bounds, opening):
    """A chance of a loss of 45%: below the lower bound, between the two (either inclusive), or above both."""
    assert risk.verdict(0.45, "discount rate", "3.5%", None, None, bounds).startswith(opening)


def test_the_verdict_without_a_settling_document_still_ends_in_one_full_stop():
    text = risk.verdict(0.5, "delay before savings start", "14 months", None, None, (0.35, 0.65))
    assert text.endswith("14 months in the central case; no value in the range searched brings the central estimate "
                         "to break even.")
