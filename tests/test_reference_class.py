"""The reference class: ratios from hand-made case rows; exclusions reported; the export is what risk reads."""
import numpy as np
import pandas as pd
import pytest

from appraisal.inputs.loading import load
from appraisal.model import reference_class as rc

CASES = pd.DataFrame({"case_id": ["a", "b", "c"], "name": ["A", "B", "C"], "model": ["council"] * 3})
OUTCOMES = pd.DataFrame({
    "case_id": ["a", "a", "b", "c", "c"],
    "measure": ["savings", "one_off_cost", "savings", "savings", "delay_months"],
    "projected": [10.0, 4.0, 5.0, 8.0, 0.0],
    "actual": [5.0, 6.0, np.nan, -2.0, 9.0],
    "unit": ["£m"] * 4 + ["months"], "period": ["x"] * 5, "basis": ["audited"] * 5,
    "source_id": ["s"] * 5, "actual_source_id": ["s"] * 5,
})


def test_ratios_are_actual_over_projected_and_delays_are_months_late():
    r = rc.outcome_ratios(OUTCOMES, CASES).set_index(["case_id", "measure"])
    assert r.loc[("a", "savings"), "value"] == 0.5
    assert r.loc[("a", "one_off_cost"), "value"] == 1.5
    assert r.loc[("c", "savings"), "value"] == -0.25
    assert r.loc[("c", "delay_months"), "value"] == 9.0


def test_a_case_without_an_actual_figure_is_excluded_with_a_reason():
    r = rc.outcome_ratios(OUTCOMES, CASES).set_index(["case_id", "measure"])
    assert not r.loc[("b", "savings"), "included"]
    assert r.loc[("b", "savings"), "excluded_because"] == "no actual figure on the same basis"


def test_summary_counts_only_included_cases():
    s = rc.summary(rc.outcome_ratios(OUTCOMES, CASES)).set_index("measure")
    assert s.loc["savings", "cases"] == 2
    assert s.loc["savings", "median"] == pytest.approx((0.5 - 0.25) / 2)


def test_the_reference_values_are_the_included_cases_only():
    values = rc.reference_values(rc.outcome_ratios(OUTCOMES, CASES))
    assert not values["value"].isna().any()
    assert set(values["case_id"]) <= set(CASES["case_id"])
    assert len(values) == rc.outcome_ratios(OUTCOMES, CASES)["included"].sum()


def test_every_case_row_cites_a_source():
    loaded = load()
    known = set(loaded.table("sources")["source_id"])
    for name in ("case_studies", "case_study_outcomes"):
        df = loaded.table(name)
        assert df["source_id"].isin(known).all()
    assert loaded.table("case_study_outcomes")["actual_source_id"].isin(known).all()


def test_every_case_appears_in_the_outcomes_table():
    loaded = load()
    assert set(loaded.table("case_studies")["case_id"]) == set(loaded.table("case_study_outcomes")["case_id"])
