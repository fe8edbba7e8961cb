"""The simulation reuses the savings model: collapsed ranges reproduce it; seeds reproduce runs."""
import numpy as np
import pandas as pd
import pytest

from appraisal.inputs.loading import load
from appraisal.model import montecarlo, savings, sensitivity
from appraisal.chapters.partnership import baseline_total


@pytest.fixture(scope="module")
def loaded():
    return load()


def collapsed(params):
    """The same parameters with every range collapsed to its central value."""
    fixed = params.model_copy(deep=True)
    for p in fixed.parameters.values():
        p.low = p.high = p.central
    return fixed


def test_collapsed_ranges_reproduce_the_deterministic_npv_exactly(loaded):
    params = collapsed(loaded.params)
    sim = montecarlo.simulate(baseline_total(loaded), params, n=500)
    deterministic = savings.appraise(baseline_total(loaded), params.values("central"), params.appraisal_years).npv[0]
    assert np.all(sim.npv == deterministic)


def test_same_seed_gives_identical_results_and_another_seed_does_not(loaded):
    base = baseline_total(loaded)
    a = montecarlo.simulate(base, loaded.params, n=2000, seed=1)
    b = montecarlo.simulate(base, loaded.params, n=2000, seed=1)
    c = montecarlo.simulate(base, loaded.params, n=2000, seed=2)
    assert np.array_equal(a.npv, b.npv)
    assert not np.array_equal(a.npv, c.npv)


def test_probabilities_lie_between_zero_and_one_and_percentiles_are_ordered(loaded):
    sim = montecarlo.simulate(baseline_total(loaded), loaded.params, n=5000, seed=3)
    pct = montecarlo.percentiles(sim.npv)
    assert pct["P10"] <= pct["P50"] <= pct["P90"]
    assert 0.0 <= montecarlo.chance_of_loss(sim.npv) <= 1.0
    mean, lo, hi = montecarlo.expected_with_interval(sim.npv)
    assert lo <= mean <= hi


def test_chance_of_loss_counts_negative_outcomes():
    assert montecarlo.chance_of_loss(np.array([-1.0, 2.0, -3.0, 4.0])) == 0.5


def test_reference_class_values_drive_the_draws_within_the_parameter_bounds(loaded):
    reference = pd.DataFrame({"case_id": ["x", "y"], "measure": ["savings", "savings"], "value": [-5.0, 0.5],
                              "basis": ["audited", "audited"]})
    values = montecarlo.reference_values(loaded.params, reference, "savings_realisation")
    p = loaded.params.parameters["savings_realisation"]
    assert values.min() == p.low  # -5 is capped at the parameter's low bound
    assert 0.5 in values
    draws = montecarlo.draw_inputs(loaded.params, 1000, 4, reference)["savings_realisation"]
    assert draws.min() >= p.low and draws.max() <= p.high


def test_without_optimism_bias_the_uplifts_are_zero(loaded):
    draws = montecarlo.draw_inputs(loaded.params, 100, 5, optimism_bias=False)
    assert np.all(draws["optimism_bias_one_off"] == 0) and np.all(draws["optimism_bias_duration"] == 0)


def test_convergence_table_doubles_the_runs_up_to_all_of_them():
    table = montecarlo.convergence(np.arange(-50.0, 50.0), steps=3)
    assert table["Iterations"].tolist() == [25, 50, 100]


@pytest.mark.parametrize("name", sensitivity.SWITCHING_INPUTS)
def test_each_switching_value_gives_an_npv_of_zero_within_a_penny(loaded, name):
    base = baseline_total(loaded)
    # Inputs chosen by hand so that every switching value exists: a modest positive NPV.
    values = {**loaded.params.values("central"), "optimism_bias_one_off": 0.0, "optimism_bias_duration": 0.0,
              "savings_realisation": 0.8, "transition_cost_ratio": 4.0, "extra_delay_years": 0.5}
    assert sensitivity.npv_at(base, values, 10) > 0
    sv = sensitivity.switching_value(base, values, 10, name)
    assert sv is not None, f"no switching value found for {name}"
    assert abs(sensitivity.npv_at(base, {**values, name: sv}, 10)) < 0.01


def test_no_switching_value_is_reported_when_npv_keeps_its_sign():
    values = {"discount_rate": 0.035, "planned_saving_share": 0.1, "savings_realisation": 1.0,
              "transition_cost_ratio": 0.0, "transition_cost_overrun": 0.0, "years_to_full_savings": 1.0,
              "extra_delay_years": 0.0, "optimism_bias_one_off": 0.0, "optimism_bias_duration": 0.0}
    assert sensitivity.switching_value(1_000_000, values, 10, "discount_rate") is None


def test_tornado_swings_are_sorted_largest_first(loaded):
    tor = sensitivity.tornado(baseline_total(loaded), loaded.params)
    assert list(tor["Swing (£)"]) == sorted(tor["Swing (£)"], reverse=True)
