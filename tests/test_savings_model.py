"""Rules of the appraisal model, checked on small hand-made inputs."""
import numpy as np
import pytest

from appraisal.model.savings import appraise, as_planned, cost_profile, residual_value, savings_profile
from conftest import central_values

YEARS = 10


def test_zero_saving_and_zero_cost_give_zero_npv():
    a = appraise(7_800_000, central_values(planned_saving_share=0.0, one_off_cost_share=0.0), YEARS)
    assert a.npv[0] == 0.0


def test_a_constant_saving_from_year_zero_matches_the_discount_table():
    # Full saving at once (no ramp-up is modelled as reaching full saving within year 0) and no costs.
    a = appraise(1_000_000, central_values(planned_saving_share=0.1, one_off_cost_share=0.0,
                                           years_to_full_savings=1e-9), 3)
    expected = 100_000 * (1 + 1 / 1.035 + 1 / 1.035 ** 2)
    assert a.npv[0] == pytest.approx(expected)


def test_doubling_the_baseline_doubles_savings_and_costs():
    one = appraise(1_000_000, central_values(), YEARS)
    two = appraise(2_000_000, central_values(), YEARS)
    np.testing.assert_allclose(two.savings, 2 * one.savings)
    np.testing.assert_allclose(two.costs, 2 * one.costs)


@pytest.mark.parametrize("delay", [0.0, 0.5, 1.0, 2.5, 4.0])
def test_a_later_ramp_up_never_increases_npv(delay):
    earlier = appraise(1_000_000, central_values(extra_delay_years=delay, years_to_full_savings=3), YEARS).npv[0]
    later_start = appraise(1_000_000, central_values(extra_delay_years=delay + 0.5, years_to_full_savings=3), YEARS).npv[0]
    slower = appraise(1_000_000, central_values(extra_delay_years=delay, years_to_full_savings=3,
                                                optimism_bias_duration=0.5), YEARS).npv[0]
    assert later_start <= earlier
    assert slower <= earlier


def test_savings_rise_in_a_straight_line_to_the_full_amount():
    profile = savings_profile(5, years_to_full=2.0, delay=0.0)[0]
    # averages over each year of a ramp 0 -> 1 over two years: 0.25, 0.75, then 1
    np.testing.assert_allclose(profile, [0.25, 0.75, 1.0, 1.0, 1.0])


def test_delay_shifts_savings_later():
    profile = savings_profile(4, years_to_full=1.0, delay=1.0)[0]
    np.testing.assert_allclose(profile, [0.0, 0.5, 1.0, 1.0])


def test_one_off_costs_are_spread_evenly_and_sum_to_one():
    profile = cost_profile(10, 2.5)[0]
    np.testing.assert_allclose(profile[:3], [0.4, 0.4, 0.2])
    assert profile.sum() == pytest.approx(1.0)


def test_one_off_cost_is_a_share_of_the_baseline_with_overrun_and_uplift():
    a = appraise(1_000_000, central_values(planned_saving_share=0.1, one_off_cost_share=0.2,
                                           transition_cost_overrun=0.5, optimism_bias_one_off=1.0), YEARS)
    assert a.one_off_total[0] == pytest.approx(1_000_000 * 0.2 * 1.5 * 2.0)
    assert a.costs.sum() == pytest.approx(a.one_off_total[0])


def test_the_one_off_cost_does_not_move_with_the_planned_saving():
    small = appraise(1_000_000, central_values(planned_saving_share=0.1, one_off_cost_share=0.3), YEARS)
    large = appraise(1_000_000, central_values(planned_saving_share=0.2, one_off_cost_share=0.3), YEARS)
    assert small.one_off_total[0] == large.one_off_total[0] == pytest.approx(300_000)


@pytest.mark.parametrize("uplift", [
    dict(optimism_bias_one_off=2.0),
    dict(optimism_bias_duration=0.54),
    dict(savings_realisation=0.57),
    dict(optimism_bias_one_off=0.1, optimism_bias_duration=0.1, savings_realisation=0.28),
])
def test_optimism_bias_only_raises_costs_or_lowers_savings(uplift):
    with_ob = appraise(1_000_000, central_values(years_to_full_savings=3, **uplift), YEARS)
    without = appraise(1_000_000, as_planned(central_values(years_to_full_savings=3, **uplift)), YEARS)
    assert np.all(with_ob.costs >= without.costs - 1e-9)
    assert np.all(with_ob.savings <= without.savings + 1e-9)
    assert with_ob.npv[0] <= without.npv[0]


def test_payback_is_the_first_year_cumulative_discounted_saving_is_positive():
    a = appraise(1_000_000, central_values(planned_saving_share=0.1, one_off_cost_share=0.15,
                                           years_to_full_savings=1.0), YEARS)
    # year 0: saving 50,000 (half-year ramp) less cost 150,000; year 1: +100,000 -> cumulative still negative
    cumulative = np.cumsum(a.net[0] * a.discount[0])
    assert a.payback_index[0] == int(np.argmax(cumulative > 0))
    assert cumulative[a.payback_index[0] - 1] <= 0 < cumulative[a.payback_index[0]]


def test_payback_is_minus_one_when_never_reached():
    a = appraise(1_000_000, central_values(one_off_cost_share=10.0), YEARS)
    assert a.payback_index[0] == -1


def test_arrays_of_draws_give_one_result_per_draw():
    values = central_values(planned_saving_share=np.array([0.0, 0.1, 0.2]), one_off_cost_share=0.0)
    a = appraise(1_000_000, values, YEARS)
    assert a.npv.shape == (3,)
    assert a.npv[0] == 0.0
    assert a.npv[2] == pytest.approx(2 * a.npv[1])



def test_as_planned_means_the_full_saving_on_time_and_on_budget_with_no_uplift():
    planned = as_planned(central_values(savings_realisation=0.5, transition_cost_overrun=0.4, extra_delay_years=2,
                                        optimism_bias_one_off=2.0, optimism_bias_duration=0.5))
    assert planned == central_values()


def test_residual_value_is_zero_when_savings_stop_at_the_end_of_the_period():
    a = appraise(1_000_000, central_values(residual_years=0.0), YEARS)
    assert a.residual[0] == 0.0
    assert a.npv[0] == pytest.approx(a.pv_savings[0] - a.pv_costs[0])


def test_residual_value_is_the_final_saving_discounted_over_the_years_after_the_period():
    # 10 years appraised, saving 100,000 a year once built up, carried on for 2 more years at 3.5%:
    # discounted as years 10 and 11.
    assert residual_value(100_000, 0.035, 10, 2)[0] == pytest.approx(100_000 / 1.035 ** 10 + 100_000 / 1.035 ** 11)
    a = appraise(1_000_000, central_values(planned_saving_share=0.1, years_to_full_savings=1.0, residual_years=2.0), YEARS)
    assert a.residual[0] == pytest.approx(100_000 / 1.035 ** 10 + 100_000 / 1.035 ** 11)
    assert a.npv[0] == pytest.approx(a.pv_savings[0] - a.pv_costs[0] + a.residual[0])


def test_residual_value_without_discounting_is_the_saving_times_the_years():
    assert residual_value(50_000, 0.0, 10, 3.5)[0] == pytest.approx(175_000)
