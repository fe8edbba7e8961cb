"""Attribution: shares sum to the whole, council results sum to the partnership, any number of councils."""
import numpy as np
import pandas as pd
import pytest

from appraisal.model import attribution
from appraisal.model.savings import appraise
from conftest import central_values

COUNCILS = pd.DataFrame({"ons_code": ["A", "B", "C", "D"], "population": [100, 200, 300, 400]})
FINANCE = pd.concat([
    pd.DataFrame({"ons_code": ["A", "B", "C", "D"], "year": "2014-15", "measure": "central_services",
                  "value_gbp_thousand": [10.0, 10.0, 20.0, 60.0]}),
    pd.DataFrame({"ons_code": ["A", "B", "C", "D"], "year": "2014-15", "measure": "net_revenue_expenditure",
                  "value_gbp_thousand": [50.0, 150.0, 100.0, 200.0]})], ignore_index=True)
PARTNERS = ["A", "B", "C", "D"]


def key():
    return attribution.baseline_shares("central_services", COUNCILS, FINANCE, PARTNERS, "2014-15")


@pytest.mark.parametrize("formula", ["equal_shares", "population", "baseline", "revenue_budget"])
def test_every_formula_gives_shares_that_sum_to_one(formula):
    shares = attribution.formula_shares(formula, COUNCILS, PARTNERS, key(), FINANCE, "2014-15")
    assert shares.sum() == pytest.approx(1.0)
    assert list(shares.index) == PARTNERS


def test_population_shares_follow_population():
    shares = attribution.population_shares(COUNCILS, PARTNERS)
    assert shares["D"] == pytest.approx(0.4)


def test_equal_shares_with_four_councils_are_quarters():
    assert attribution.equal_shares(PARTNERS).tolist() == [0.25] * 4


def test_revenue_budget_shares_follow_net_revenue_expenditure():
    shares = attribution.formula_shares("revenue_budget", COUNCILS, PARTNERS, key(), FINANCE, "2014-15")
    assert shares.tolist() == pytest.approx([0.1, 0.3, 0.2, 0.4])


@pytest.mark.parametrize("formula", ["equal_shares", "population", "baseline", "revenue_budget"])
def test_council_results_sum_to_the_partnership_total(formula):
    a = appraise(1_000_000, central_values(years_to_full_savings=3, residual_years=4.0), 10)
    assert a.residual[0] > 0
    shares = attribution.formula_shares(formula, COUNCILS, PARTNERS, key(), FINANCE, "2014-15")
    npvs = attribution.council_npvs(1_000_000, key(), {formula: shares}, a)[formula]
    assert sum(v[0] for v in npvs.values()) == pytest.approx(a.npv[0])


def test_with_no_saving_and_no_cost_no_council_gains_or_loses_whatever_the_formula():
    # Council A has 10% of the baseline and a quarter under equal shares: the formula splits the change, and
    # there is none, so its former cost is unchanged.
    net = attribution.council_net(1_000, 0.10, 0.25, np.zeros((1, 3)), np.zeros((1, 3)))
    np.testing.assert_allclose(net, 0.0)


def test_a_larger_formula_share_than_baseline_share_takes_more_of_the_change():
    # A net saving of 60 a year: at a quarter A gets 15, at its baseline share of 10% it would get 6.
    savings, costs = np.full((1, 2), 100.0), np.full((1, 2), 40.0)
    equal = attribution.council_net(1_000, 0.10, 0.25, savings, costs)
    fair = attribution.council_net(1_000, 0.10, 0.10, savings, costs)
    np.testing.assert_allclose(equal, 15.0)
    assert attribution.cross_subsidy({"A": equal}, {"A": fair})["A"] == pytest.approx(np.full((1, 2), 9.0))


def test_under_the_baseline_formula_each_council_gets_its_share_of_the_net_saving():
    savings, costs = np.full((1, 2), 100.0), np.full((1, 2), 40.0)
    net = attribution.council_net(1_000, 0.3, 0.3, savings, costs)
    np.testing.assert_allclose(net, 0.3 * 60.0)


def test_missing_finance_row_is_an_error_naming_the_council():
    with pytest.raises(ValueError, match="E"):
        attribution.finance_shares(FINANCE, PARTNERS + ["E"], "central_services", "2014-15")
