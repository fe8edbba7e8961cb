"""Each case figure is treated like with like: one definition of each measure, on hand-made cases.

A net figure or an overspend is not a saving; a share of plan achieved that already holds a case's delay and
build-up is not delayed or ramped again; a programme and its own sub-programme are one case; and the value of
settling an unknown and the leave-one-out results follow their definitions."""
import numpy as np
import pandas as pd
import pytest

from appraisal.chapters import partnership
from appraisal.inputs.loading import load
from appraisal.model import leave_one_out, montecarlo
from appraisal.model import reference_class as rc
from appraisal.model import value_of_information as voi
from appraisal.model.savings import appraise
from conftest import central_values

CASES = pd.DataFrame({"case_id": ["prog", "part", "net", "over", "plain"], "name": ["Programme", "Part", "Net",
                                                                                   "Over", "Plain"],
                      "model": ["m"] * 5, "kind": ["central government"] * 3 + ["council-to-council"] * 2,
                      "part_of": ["", "prog", "", "", ""]})


def outcomes(rows) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["case_id", "measure", "projected", "actual", "figure"])
    n = len(df)
    return df.assign(unit="£m", period="x", like_for_like="same period", projected_years=np.nan,
                     actual_years=np.nan, basis="b", status="audited", plan_derivation="",
                     source_id=["s"] * n, actual_source_id=["s"] * n)


def ratios(rows):
    return rc.outcome_ratios(outcomes(rows), CASES).set_index(["case_id", "measure"])


def test_a_net_figure_and_an_overspend_are_left_out_of_the_savings_with_their_reasons():
    r = ratios([("net", "savings", 159.0, -255.0, "net of set-up costs"),
                ("net", "one_off_cost", 0.9, 1.4, "one-off cost"),
                ("over", "savings", 1.5, -2.45, "overspend"),
                ("plain", "savings", 10.0, 5.0, "gross saving")])
    assert not r.loc[("net", "savings"), "included"]
    assert "net figure" in r.loc[("net", "savings"), "excluded_because"]
    assert not r.loc[("over", "savings"), "included"]
    assert "overspend" in r.loc[("over", "savings"), "excluded_because"]
    # the set-up side of the same programme is still compared as a one-off cost
    assert r.loc[("net", "one_off_cost"), "value"] == pytest.approx(1.4 / 0.9)
    assert r.loc[("plain", "savings"), "value"] == 0.5


def test_a_sub_programme_counts_as_its_programme_and_the_programme_wins_a_measure_both_report():
    r = ratios([("prog", "one_off_cost", 0.9, 1.4, "one-off cost"),
                ("part", "one_off_cost", 79.0, 130.0, "one-off cost"),
                ("part", "delay_months", 0.0, 15.0, "delay")])
    assert not r.loc[("part", "one_off_cost"), "included"]
    assert r.loc[("part", "one_off_cost"), "excluded_because"] == "part of Programme, which reports this measure for the whole programme"
    # a measure only the part reports counts for the programme, so the two are drawn as one case
    assert r.loc[("part", "delay_months"), "included"]
    values = rc.reference_values(r.reset_index())
    assert set(values["case_id"]) == {"prog"}


def test_a_case_whose_actual_equals_its_plan_reproduces_its_plan():
    # A share achieved of one on the plan's own timetable gives the planned saving in every year from the
    # year the plan reaches it: nothing is delayed or ramped a second time.
    a = appraise(1_000_000, central_values(planned_saving_share=0.15, savings_realisation=1.0,
                                           years_to_full_savings=1.0), 5)
    np.testing.assert_allclose(a.savings[0, 1:], 150_000)


def test_3cs_own_share_achieved_gives_its_own_forecast_for_its_second_year():
    # 3C forecast 8.5% against a 15% target for 2016-17, its second year: the same share applied to the
    # planned profile gives back 8.5% of the baseline in that year.
    a = appraise(1_000_000, central_values(planned_saving_share=0.15, savings_realisation=8.5 / 15,
                                           years_to_full_savings=1.0), 5)
    assert a.savings[0, 1] == pytest.approx(85_000)


def test_the_real_assumptions_add_no_delay_or_build_up_on_top_of_the_share_achieved():
    a = partnership.assumptions(load())
    for name in ("extra_delay_years", "optimism_bias_duration"):
        assert name in a.replaced_uplifts()
        assert a.parameters[name].central == 0.0
        assert np.all(montecarlo.draw_inputs(a, 200, 1)[name] == 0)


def test_the_value_of_knowing_an_input_follows_its_definition():
    # NPV is -1 or +3 with equal chances, and the input decides which. Deciding now: share, worth 1 on
    # average. Knowing it first: share only on +3, worth 1.5 on average. The value of knowing it is 0.5.
    npv = np.array([-1.0, 3.0] * 50)
    x = np.array([0.0, 1.0] * 50)
    assert voi.evpi(npv, voi.groups(x, 20)) == pytest.approx(0.5)
    values = voi.evpi_of_inputs(npv, {"x": x, "fixed": np.full(100, 7.0), "noise": np.arange(100.0) % 7}, 20)
    assert values["x"] == pytest.approx(0.5)
    assert values["fixed"] == 0.0  # an input held at one value has nothing to learn
    assert all(v >= 0 for v in values.values())


def test_an_input_that_cannot_change_the_decision_is_worth_nothing_to_know():
    npv = np.array([5.0, 9.0, 2.0, 7.0] * 25)  # sharing pays whatever the input
    assert voi.evpi(npv, voi.groups(np.arange(100.0), 20)) == 0.0


def test_every_input_of_the_real_simulation_has_a_value_of_information_at_least_zero():
    inputs = load()
    a = partnership.assumptions(inputs)
    sim = montecarlo.simulate(partnership.baseline_total(inputs), a, n=5_000, seed=3)
    values = voi.evpi_of_inputs(sim.npv, sim.draws, inputs.params.evpi_groups)
    assert all(v >= 0 for v in values.values())
    assert values["discount_rate"] == 0.0  # fixed in the parameters file


def test_leaving_nothing_out_reproduces_the_full_result():
    inputs = load()
    base = partnership.baseline_total(inputs)
    full = partnership.assumptions(inputs)
    same = partnership.assumptions(inputs, without=None)
    assert same.values("central") == full.values("central")
    (result,) = leave_one_out.leave_one_out(base, lambda _: full, ["nothing"])
    npv = montecarlo.simulate(base, full).npv
    assert result.chance_of_loss == montecarlo.chance_of_loss(npv)
    assert result.p50 == pytest.approx(float(np.median(npv)))


def test_leaving_a_case_out_removes_it_from_every_input():
    inputs = load()
    a = partnership.assumptions(inputs, without="three_c")
    assert all("three_c" not in p.cases for p in a.parameters.values())
