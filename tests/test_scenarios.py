"""Scenarios follow each input's declared direction: low takes every input at its worse end, high at its
better end, so low <= central <= high whatever the sign of the result."""
import copy
import dataclasses

import pytest

from appraisal.inputs.loading import load
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


def test_the_low_scenario_puts_every_input_at_its_declared_worse_end(loaded):
    low, high = scenario_values(loaded.params, "low"), scenario_values(loaded.params, "high")
    held = loaded.params.replaced_uplifts()
    assert held, "the real assumptions replace the generic uplifts by the cases' evidence"
    for name, p in loaded.params.parameters.items():
        if name in held:  # never applied on top of the cases' evidence
            assert low[name] == high[name] == 0.0, name
            continue
        assert low[name] == p.value(p.worse), name
        assert high[name] == p.value("high" if p.worse == "low" else "low"), name


def test_a_flipped_declaration_flips_the_end_taken(loaded):
    params = copy.deepcopy(loaded.params)
    params.parameters["planned_saving_share"] = dataclasses.replace(params.parameters["planned_saving_share"], worse="high")
    assert scenario_values(params, "low")["planned_saving_share"] == params.parameters["planned_saving_share"].high


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
