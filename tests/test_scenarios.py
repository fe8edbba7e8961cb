"""The low and high scenarios are the lowest and highest NPV over every input's range, found by search, so no
run of the simulation falls outside them, whatever the sign of the savings."""
import copy
import dataclasses

import pytest

from appraisal.inputs.loading import load
from appraisal.model import montecarlo
from appraisal.model.savings import appraise
from appraisal.model.scenarios import scenario_values
from appraisal.chapters.partnership import assumptions, baseline_total


class Loaded:
    """The real inputs with the assumptions every chapter uses (inputs from other cases computed)."""

    def __init__(self):
        self.inputs = load()
        self.params = assumptions(self.inputs)


@pytest.fixture(scope="module")
def loaded():
    return Loaded()


def test_no_run_of_the_simulation_falls_outside_the_low_and_high_scenarios(loaded):
    base, years = baseline_total(loaded.inputs), loaded.params.appraisal_years
    npv = {s: appraise(base, scenario_values(loaded.params, s), years).npv[0] for s in ("low", "high")}
    runs = montecarlo.simulate(base, loaded.params, n=20_000, seed=7).npv
    assert npv["low"] <= runs.min() and runs.max() <= npv["high"]


def test_allowances_the_cases_replace_are_never_applied_in_a_scenario(loaded):
    held = loaded.params.replaced_uplifts()
    assert held, "the real assumptions replace the generic uplifts and the separate delay by the cases' evidence"
    for scenario in ("low", "high"):
        values = scenario_values(loaded.params, scenario)
        assert all(values[name] == 0.0 for name in held), scenario


def fixed_everywhere_but(params, **ranges):
    """The real assumptions with every input fixed at its central value except the ones given (low, high)."""
    params = copy.deepcopy(params)
    params.parameters = {n: dataclasses.replace(p, low=ranges[n][0], high=ranges[n][1], case_values=())
                         if n in ranges else dataclasses.replace(p, low=p.central, high=p.central, case_values=())
                         for n, p in params.parameters.items()}
    return params


def test_when_savings_are_negative_the_low_scenario_takes_the_most_residual_years(loaded):
    # Sharing that costs more to run each year loses more the longer it runs: the worst case is the longest.
    params = fixed_everywhere_but(loaded.params, residual_years=(0.0, 10.0))
    params.parameters["savings_realisation"] = dataclasses.replace(
        params.parameters["savings_realisation"], low=-0.5, central=-0.5, high=-0.5)
    assert scenario_values(params, "low")["residual_years"] == 10.0
    assert scenario_values(params, "high")["residual_years"] == 0.0


def test_the_search_finds_the_worst_corner_of_two_inputs(loaded):
    params = fixed_everywhere_but(loaded.params, planned_saving_share=(0.1, 0.2), one_off_cost_share=(0.1, 0.5))
    low, high = scenario_values(params, "low"), scenario_values(params, "high")
    assert (low["planned_saving_share"], low["one_off_cost_share"]) == (0.1, 0.5)
    assert (high["planned_saving_share"], high["one_off_cost_share"]) == (0.2, 0.1)


def test_npv_of_low_is_at_most_central_and_central_at_most_high(loaded):
    base, years = baseline_total(loaded.inputs), loaded.params.appraisal_years
    npv = {s: appraise(base, scenario_values(loaded.params, s), years).npv[0] for s in ("low", "central", "high")}
    assert npv["low"] <= npv["central"] <= npv["high"]


def test_collapsing_every_range_makes_the_three_scenarios_one(loaded):
    params = copy.deepcopy(loaded.params)
    params.parameters = {n: dataclasses.replace(p, low=p.central, high=p.central) for n, p in params.parameters.items()}
    assert scenario_values(params, "low") == scenario_values(params, "central") == scenario_values(params, "high")


def test_each_declared_worse_end_does_lower_the_npv(loaded):
    """The declarations are right: moving one input from its better to its worse end never raises NPV."""
    base, years = baseline_total(loaded.inputs), loaded.params.appraisal_years
    central = loaded.params.values("central")
    for name, p in loaded.params.parameters.items():
        better = "high" if p.worse == "low" else "low"
        worse_npv = appraise(base, {**central, name: p.value(p.worse)}, years).npv[0]
        better_npv = appraise(base, {**central, name: p.value(better)}, years).npv[0]
        assert worse_npv <= better_npv + 1e-6, name
