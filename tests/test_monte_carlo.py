"""The simulation reuses the savings model: collapsed ranges reproduce it; seeds reproduce runs."""
import numpy as np
import pandas as pd
import pytest

import dataclasses

from appraisal.chapters.partnership import assumptions, baseline_total
from appraisal.inputs.loading import load
from appraisal.model import montecarlo, savings, sensitivity
from appraisal.model.assumptions import resolve


class Loaded:
    """The real inputs; `params` are the assumptions every chapter uses."""

    def __init__(self):
        self.inputs = load()
        self.params = assumptions(self.inputs)
        self.raw = self.inputs.params

    def table(self, name):
        return self.inputs.table(name)


@pytest.fixture(scope="module")
def loaded():
    return Loaded()


def baseline_of(loaded) -> float:
    return baseline_total(loaded.inputs)


def collapsed(assumed):
    """The same assumptions with every range collapsed to its central value (no case drawn)."""
    fixed = dataclasses.replace(assumed)
    fixed.parameters = {n: dataclasses.replace(p, low=p.central, high=p.central, evidence=None, cases=(),
                                               case_values=()) for n, p in assumed.parameters.items()}
    return fixed


def test_collapsed_ranges_reproduce_the_deterministic_npv_exactly(loaded):
    params = collapsed(loaded.params)
    sim = montecarlo.simulate(baseline_of(loaded), params, n=500)
    deterministic = savings.appraise(baseline_of(loaded), params.values("central"), params.appraisal_years).npv[0]
    assert np.all(sim.npv == deterministic)


def test_same_seed_gives_identical_results_and_another_seed_does_not(loaded):
    base = baseline_of(loaded)
    a = montecarlo.simulate(base, loaded.params, n=2000, seed=1)
    b = montecarlo.simulate(base, loaded.params, n=2000, seed=1)
    c = montecarlo.simulate(base, loaded.params, n=2000, seed=2)
    assert np.array_equal(a.npv, b.npv)
    assert not np.array_equal(a.npv, c.npv)


def test_probabilities_lie_between_zero_and_one_and_percentiles_are_ordered(loaded):
    sim = montecarlo.simulate(baseline_of(loaded), loaded.params, n=5000, seed=3)
    pct = montecarlo.percentiles(sim.npv)
    assert pct["P10"] <= pct["P50"] <= pct["P90"]
    assert 0.0 <= montecarlo.chance_of_loss(sim.npv) <= 1.0
    assert montecarlo.simulation_error(sim.npv) > 0


def test_the_simulation_error_shrinks_with_the_square_root_of_the_runs():
    values = np.tile([-1.0, 1.0], 5000)
    assert montecarlo.simulation_error(values[:2500]) == pytest.approx(2 * montecarlo.simulation_error(values), rel=1e-3)


def test_chance_of_loss_counts_negative_outcomes():
    assert montecarlo.chance_of_loss(np.array([-1.0, 2.0, -3.0, 4.0])) == 0.5


def reference(rows) -> pd.DataFrame:
    """A hand-made reference class: (case, measure, value)."""
    return pd.DataFrame([{"case_id": c, "measure": m, "value": v, "basis": "audited"} for c, m, v in rows])


ONE_OFF = pd.DataFrame({"case_id": ["p", "q"], "ratio": [1.0, 3.0], "source_ids": [("s1",), ("s2",)]})


def assumed_from(loaded, rows, one_off=ONE_OFF, params=None):
    return resolve(params or loaded.raw, reference(rows), one_off)


FULL = [("x", "savings", 0.2), ("x", "one_off_cost", 3.0), ("x", "delay_months", 12),
        ("y", "savings", 0.9), ("y", "one_off_cost", 1.0), ("y", "delay_months", 0)]


def test_reference_class_inputs_take_the_lowest_middle_and_highest_case(loaded):
    a = assumed_from(loaded, FULL + [("z", "savings", 0.5)])
    p = a.parameters["savings_realisation"]
    assert (p.low, p.central, p.high) == (0.2, 0.5, 0.9)
    assert a.parameters["extra_delay_years"].high == 1.0  # 12 months
    share = loaded.raw.parameters["planned_saving_share"].central
    assert a.parameters["one_off_cost_share"].central == pytest.approx(2.0 * share)


def test_both_tails_of_the_share_achieved_are_bounded_alike(loaded):
    # None and twice the plan: a loss of running costs and a windfall beyond twice the plan are both bounded.
    a = assumed_from(loaded, FULL + [("v", "savings", -1.6), ("w", "savings", 4.0), ("u", "savings", 1.5)])
    p = a.parameters["savings_realisation"]
    assert p.low == 0.0 and p.high == 2.0
    assert sorted(p.case_values) == [0.0, 0.2, 0.9, 1.5, 2.0]  # values within the bounds are kept as measured


def test_a_reference_class_in_which_no_case_saved_anything_gives_no_saving_in_any_run(loaded):
    rows = [("x", "savings", -1.6), ("y", "savings", -0.5), ("y", "one_off_cost", 2.0), ("x", "delay_months", 12)]
    sim = montecarlo.simulate(baseline_of(loaded), assumed_from(loaded, rows), n=2000, seed=1)
    assert np.all(sim.result.savings == 0) and montecarlo.chance_saving_negative(sim) == 0.0
    assert montecarlo.chance_of_loss(sim.npv) == 1.0  # the one-off costs are still paid


def test_whole_cases_are_resampled_together(loaded):
    draws = montecarlo.draw_inputs(assumed_from(loaded, FULL), 2000, 3)
    pairs = set(zip(draws["savings_realisation"].round(6), draws["transition_cost_overrun"].round(6)))
    assert pairs == {(0.2, 2.0), (0.9, 0.0)}  # never x's saving with y's overrun
    # the delay is held in the share achieved, so no run adds a separate one
    assert np.all(draws["extra_delay_years"] == 0)


def test_an_input_a_case_does_not_report_is_taken_from_a_case_that_does(loaded):
    rows = [("x", "savings", 0.2), ("y", "delay_months", 6), ("y", "one_off_cost", 1.5)]
    draws = montecarlo.draw_inputs(assumed_from(loaded, rows), 500, 3)
    assert set(draws["savings_realisation"]) == {0.2} and set(draws["transition_cost_overrun"]) == {0.5}


def test_the_one_off_cost_is_drawn_from_one_comparable_scheme_at_a_time(loaded):
    draws = montecarlo.draw_inputs(assumed_from(loaded, FULL), 1000, 3)
    share = loaded.raw.parameters["planned_saving_share"].central
    assert set(draws["one_off_cost_share"].round(9)) == {round(1.0 * share, 9), round(3.0 * share, 9)}


def test_no_draw_gets_both_a_reference_class_overrun_and_a_generic_uplift_on_the_same_input(loaded):
    generic = loaded.raw.model_copy(deep=True)
    for name in ("optimism_bias_one_off", "optimism_bias_duration"):
        p = generic.parameters[name]
        p.low, p.central, p.high = 1.0, 1.5, 2.0
    draws = montecarlo.draw_inputs(assumed_from(loaded, FULL, params=generic), 500, 3)
    assert np.all(draws["optimism_bias_one_off"] == 0) and np.all(draws["optimism_bias_duration"] == 0)


def test_the_central_case_uses_the_middle_of_the_cases_the_simulation_draws_from(loaded):
    a = loaded.params
    held = a.replaced_uplifts()
    for name, p in a.parameters.items():
        if p.evidence and name not in held:
            assert p.central == pytest.approx(float(np.median(p.case_values))), name
            assert min(p.case_values) == p.low and max(p.case_values) == p.high, name


def test_convergence_table_doubles_the_runs_up_to_all_of_them():
    table = montecarlo.convergence(np.arange(-50.0, 50.0), steps=3)
    assert table["Iterations"].tolist() == [25, 50, 100]


@pytest.mark.parametrize("name", sensitivity.SWITCHING_INPUTS)
def test_each_switching_value_gives_an_npv_of_zero_within_a_penny(loaded, name):
    base = baseline_of(loaded)
    # Inputs chosen by hand so that every switching value exists: a modest positive NPV that is negative
    # within the period alone, so the residual value can switch it.
    values = {**loaded.params.values("central"), "optimism_bias_one_off": 0.0, "optimism_bias_duration": 0.0,
              "savings_realisation": 0.8, "one_off_cost_share": 0.975, "extra_delay_years": 0.5,
              "transition_cost_overrun": 0.0, "years_to_full_savings": 3.0,
              "residual_years": 5.0}
    assert sensitivity.npv_at(base, {**values, "residual_years": 0.0}, 10) < 0
    assert sensitivity.npv_at(base, values, 10) > 0
    sv = sensitivity.switching_value(base, values, 10, name)
    assert sv is not None, f"no switching value found for {name}"
    assert abs(sensitivity.npv_at(base, {**values, name: sv}, 10)) < 0.01


def test_no_switching_value_is_reported_when_npv_keeps_its_sign():
    values = {"discount_rate": 0.035, "planned_saving_share": 0.1, "savings_realisation": 1.0,
              "one_off_cost_share": 0.0, "transition_cost_overrun": 0.0, "years_to_full_savings": 1.0,
              "extra_delay_years": 0.0, "optimism_bias_one_off": 0.0, "optimism_bias_duration": 0.0,
              "residual_years": 0.0}
    assert sensitivity.switching_value(1_000_000, values, 10, "discount_rate") is None


def test_tornado_swings_are_sorted_largest_first(loaded):
    tor = sensitivity.tornado(baseline_of(loaded), loaded.params)
    assert list(tor["Swing (£)"]) == sorted(tor["Swing (£)"], reverse=True)



def test_fixed_inputs_have_no_tornado_row_and_are_listed_as_fixed(loaded):
    tor = sensitivity.tornado(baseline_of(loaded), loaded.params)
    fixed = sensitivity.fixed_inputs(loaded.params)
    assert fixed == [n for n, p in loaded.params.parameters.items() if p.low == p.high]
    assert not set(fixed) & set(tor["name"])
    assert (tor["Swing (£)"] > 0).all()
