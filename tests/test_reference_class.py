"""The reference class: like-with-like ratios from hand-made case rows; exclusions reported with their reason;
council-to-council cases selected apart; one-off costs in years of planned saving; the export risk reads."""
import numpy as np
import pandas as pd
import pytest

from appraisal import paths
from appraisal.chapters import case_studies
from appraisal.inputs import tables
from appraisal.inputs.errors import InputError
from appraisal.inputs.schemas import schemas
from appraisal.model import reference_class as rc

CASES = pd.DataFrame({"case_id": ["a", "b", "c", "d", "e"], "name": ["A", "B", "C", "D", "E"],
                      "model": ["m"] * 5,
                      "kind": ["council-to-council", "council-to-council", "central government",
                               "outsourcing joint venture", "council company or joint system"]})
OUTCOMES = pd.DataFrame({
    "case_id": ["a", "a", "b", "c", "c", "d", "e"],
    "measure": ["savings", "one_off_cost", "savings", "savings", "delay_months", "savings", "savings"],
    "projected": [10.0, 4.0, 5.0, 8.0, 0.0, 100.0, 395.0],
    "actual": [5.0, 6.0, np.nan, -2.0, 9.0, 30.0, 27.0],
    "unit": ["£m"] * 4 + ["months"] + ["£m"] * 2, "period": ["x"] * 7,
    "like_for_like": ["same period"] * 5 + ["pro-rated", "period not known"],
    "projected_years": [np.nan] * 5 + [10.0, 10.0],
    "actual_years": [np.nan] * 5 + [5.0, np.nan],
    "basis": ["audited"] * 7, "source_id": ["s"] * 7, "actual_source_id": ["s"] * 7,
})


def ratios():
    return rc.outcome_ratios(OUTCOMES, CASES).set_index(["case_id", "measure"])


def test_ratios_are_actual_over_projected_and_delays_are_months_late():
    r = ratios()
    assert r.loc[("a", "savings"), "value"] == 0.5
    assert r.loc[("a", "one_off_cost"), "value"] == 1.5
    assert r.loc[("c", "savings"), "value"] == -0.25  # costs rose: kept as it is
    assert r.loc[("c", "delay_months"), "value"] == 9.0


def test_a_plan_is_pro_rated_to_the_years_measured():
    # 100 planned over 10 years, 30 achieved in 5: the plan for those 5 years is 50, so 0.6 of plan
    assert rc.plan_for_years_measured(100.0, 10.0, 5.0) == 50.0
    r = ratios()
    assert r.loc[("d", "savings"), "plan_same_years"] == 50.0
    assert r.loc[("d", "savings"), "value"] == pytest.approx(0.6)
    assert r.loc[("d", "savings"), "included"]


def test_a_case_whose_years_measured_are_unknown_is_excluded_with_its_reason():
    r = ratios()
    assert not r.loc[("e", "savings"), "included"]
    assert np.isnan(r.loc[("e", "savings"), "value"])
    assert r.loc[("e", "savings"), "excluded_because"] == rc.NOT_KNOWN_REASON
    assert "years" in rc.NOT_KNOWN_REASON


def test_a_case_without_an_actual_figure_is_excluded_with_a_reason():
    r = ratios()
    assert not r.loc[("b", "savings"), "included"]
    assert r.loc[("b", "savings"), "excluded_because"] == "no actual figure on the same basis"


def test_a_saving_of_one_service_is_kept_apart_from_savings_of_the_whole_arrangement():
    service = OUTCOMES.iloc[:1].assign(measure="service_savings", projected=4.0, actual=1.0)
    r = rc.outcome_ratios(pd.concat([OUTCOMES, service], ignore_index=True), CASES)
    assert r.groupby(["case_id", "measure"]).size().max() == 1  # one row per case and measure
    values = rc.reference_values(r)
    assert list(values.loc[(values["case_id"] == "a") & (values["measure"] == "savings"), "value"]) == [0.5]
    assert list(values.loc[values["measure"] == "service_savings", "value"]) == [0.25]


def test_outcomes_without_period_columns_are_compared_as_same_period():
    plain = OUTCOMES.drop(columns=["like_for_like", "projected_years", "actual_years"]).iloc[:1]
    assert rc.outcome_ratios(plain, CASES)["value"].iloc[0] == 0.5


def test_summary_counts_only_included_cases():
    s = rc.summary(rc.outcome_ratios(OUTCOMES, CASES)).set_index("measure")
    assert s.loc["savings", "cases"] == 3  # a, c, d; b has no actual, e has no known period
    assert s.loc["savings", "median"] == pytest.approx(0.5)


def test_the_reference_values_are_the_included_cases_only_with_their_kind():
    r = rc.outcome_ratios(OUTCOMES, CASES)
    values = rc.reference_values(r)
    assert list(values.columns) == ["case_id", "measure", "value", "basis", "kind"]
    assert not values["value"].isna().any()
    assert len(values) == r["included"].sum()
    assert set(values["case_id"]) == {"a", "c", "d"}
    assert values.set_index(["case_id", "measure"]).loc[("c", "savings"), "value"] == -0.25


def test_council_cases_are_the_council_to_council_rows_only():
    council = rc.council_cases(rc.reference_values(rc.outcome_ratios(OUTCOMES, CASES)))
    assert set(council["case_id"]) == {"a"}
    assert council["kind"].eq("council-to-council").all()
    company = pd.DataFrame({"case_id": ["x", "y"], "kind": ["council company or joint system", "council-to-council"]})
    assert list(rc.council_cases(company)["case_id"]) == ["y"]


def one_off_rows(*rows):
    columns = ["case_id", "name", "kind", "services", "figure", "value_gbp", "years", "basis", "chosen",
               "source_id", "evidence_id", "note"]
    return pd.DataFrame([dict(zip(columns, r)) for r in rows], columns=columns)


ONE_OFF = one_off_rows(
    ("p", "P", "council-to-council", "ICT", "one_off_cost", 2_200_000.0, np.nan, "plan", "yes", "s1", "e1", "n"),
    ("p", "P", "council-to-council", "ICT", "saving", 6_000_000.0, 10.0, "plan", "yes", "s1", "e2", "n"),
    ("p", "P", "council-to-council", "ICT", "saving", 8_300_000.0, 10.0, "plan", "no", "s2", "e3", "n"),
    ("q", "Q", "council company or joint system", "ICT", "one_off_cost", 300.0, np.nan, "plan", "yes", "s3", "e4", "n"),
    ("q", "Q", "council company or joint system", "ICT", "saving", 100.0, 1.0, "outturn", "yes", "s4", "e5", "n"),
    ("g", "G", "council-to-council", "ICT", "one_off_cost", 50.0, np.nan, "grant", "yes", "s5", "e6", "n"),
    ("g", "G", "council-to-council", "ICT", "saving", 500.0, 10.0, "plan", "yes", "s5", "e7", "n"),
    ("n", "N", "council-to-council", "ICT", "one_off_cost", 30.0, np.nan, "plan", "yes", "s6", "e8", "n"),
    ("n", "N", "council-to-council", "ICT", "saving", 60.0, np.nan, "plan", "yes", "s6", "e9", "n"),
)


def test_one_off_ratios_are_years_of_the_chosen_saving():
    r = rc.one_off_cost_ratios(ONE_OFF).set_index("case_id")
    assert list(r.reset_index().columns[:6]) == ["case_id", "name", "kind", "one_off_gbp", "annual_saving_gbp", "ratio"]
    assert "source_ids" in r.columns
    # 2.2 million against 6 million over 10 years (the chosen figure, not the 8.3 million): 3.67 years
    assert r.loc["p", "annual_saving_gbp"] == 600_000.0
    assert r.loc["p", "ratio"] == pytest.approx(2_200_000 / 600_000)
    assert r.loc["q", "ratio"] == 3.0
    assert r.loc["q", "source_ids"] == ("s3", "s4")
    assert r.loc["p", "source_ids"] == ("s1",)


def test_one_off_schemes_with_only_a_grant_or_no_saving_period_are_listed_but_not_compared():
    evidence = rc.one_off_cost_evidence(ONE_OFF).set_index("case_id")
    assert evidence.loc["g", "excluded_because"] == rc.GRANT_REASON
    assert evidence.loc["n", "excluded_because"] == rc.NO_PERIOD_REASON
    assert not evidence.loc[["g", "n"], "included"].any()
    assert evidence.loc[["g", "n"], "ratio"].isna().all()
    assert set(rc.one_off_cost_ratios(ONE_OFF)["case_id"]) == {"p", "q"}
    assert list(rc.council_cases(rc.one_off_cost_ratios(ONE_OFF))["case_id"]) == ["p"]


def table_problems(name, df):
    with pytest.raises(InputError) as err:
        tables.validate_table(name, df.astype(str).replace("nan", pd.NA), schemas()[name])
    return err.value.problems


def test_a_scheme_needs_one_chosen_one_off_cost_and_one_chosen_saving():
    two_chosen = ONE_OFF.copy()
    two_chosen.loc[2, "chosen"] = "yes"
    assert any("exactly one one_off_cost row and one saving row with chosen = yes" in p
               for p in table_problems("one_off_costs.csv", two_chosen))
    no_saving = ONE_OFF[~((ONE_OFF["case_id"] == "q") & (ONE_OFF["figure"] == "saving"))]
    assert any("chosen = yes" in p for p in table_problems("one_off_costs.csv", no_saving))


def test_a_pro_rated_outcome_needs_the_years_of_both_figures():
    rows = OUTCOMES.assign(evidence_id="e", note="n")
    rows.loc[5, "actual_years"] = np.nan
    found = table_problems("case_study_outcomes.csv", rows)
    assert any("a pro-rated row needs both projected_years and actual_years" in p for p in found)


class TablesOnly:
    """The data tables as a chapter reads them, with the published parameters file."""

    def __init__(self, data):
        from appraisal.inputs.parameters import load as load_parameters

        self.tables = data
        self.params = load_parameters(paths.PARAMETERS)

    def table(self, name):
        return self.tables[f"{name}.csv"].copy()


@pytest.fixture(scope="module")
def data():
    return tables.load_all()


def test_the_ended_count_comes_from_status_not_from_a_date(data):
    edited = dict(data)
    edited["case_studies.csv"] = data["case_studies.csv"].assign(status="not known")  # dates left as they are
    content = case_studies.compute(TablesOnly(edited))
    assert content.headlines["ended_count"].value == 0
    assert content.headlines["not_known_count"].value == len(data["case_studies.csv"])
    assert content.figures["fig-case-studies-timeline"].title.startswith("Zero of the")


def test_the_chapter_shows_council_cases_apart_and_the_one_off_range(data):
    content = case_studies.compute(TablesOnly(data))
    summary = content.tables["tbl-case-studies-summary"].shown
    assert set(summary["Group"]) == {"All cases", "Council-to-council only"}
    assert "Kind" in content.figures["fig-case-studies-ratios"].data
    assert "tbl-case-studies-one-off" in content.tables
    low, mid, high = (content.headlines[f"one_off_ratio_{k}"] for k in ("low", "median", "high"))
    assert low.value <= mid.value <= high.value
    assert all(h.text.endswith(" years of savings") for h in (low, mid, high))


def test_every_case_row_cites_a_source(data):
    known = set(data["sources.csv"]["source_id"])
    for name, columns in (("case_studies.csv", ["source_id", "status_source_id"]),
                          ("case_study_outcomes.csv", ["source_id", "actual_source_id"]),
                          ("one_off_costs.csv", ["source_id"])):
        for column in columns:
            assert data[name][column].isin(known).all(), (name, column)


def test_every_case_appears_in_the_outcomes_table(data):
    assert set(data["case_studies.csv"]["case_id"]) == set(data["case_study_outcomes.csv"]["case_id"])


def test_a_one_off_cost_that_is_an_outturn_is_not_compared_because_overruns_apply_to_plans():
    table = pd.DataFrame([
        {"case_id": "p", "name": "Plan", "kind": "council-to-council", "services": "ICT", "figure": "one_off_cost",
         "value_gbp": 100.0, "years": None, "basis": "plan", "chosen": "yes", "source_id": "s"},
        {"case_id": "p", "name": "Plan", "kind": "council-to-council", "services": "ICT", "figure": "saving",
         "value_gbp": 500.0, "years": 10.0, "basis": "plan", "chosen": "yes", "source_id": "s"},
        {"case_id": "o", "name": "Outturn", "kind": "council-to-council", "services": "ICT", "figure": "one_off_cost",
         "value_gbp": 100.0, "years": None, "basis": "outturn", "chosen": "yes", "source_id": "t"},
        {"case_id": "o", "name": "Outturn", "kind": "council-to-council", "services": "ICT", "figure": "saving",
         "value_gbp": 500.0, "years": 5.0, "basis": "outturn", "chosen": "yes", "source_id": "t"},
    ])
    evidence = rc.one_off_cost_evidence(table).set_index("case_id")
    assert evidence.loc["p", "included"] and evidence.loc["p", "ratio"] == pytest.approx(2.0)
    assert not evidence.loc["o", "included"] and "outturn" in evidence.loc["o", "excluded_because"]
    assert list(rc.one_off_cost_ratios(table)["case_id"]) == ["p"]


def test_a_share_achieved_is_held_within_the_bounds_the_parameters_file_sets():
    from appraisal.model.assumptions import convert

    assert list(convert("savings", [-0.5, 0.5, 3.0], bounds=(0.0, 2.0))) == [0.0, 0.5, 2.0]
    assert list(convert("savings", [-0.5, 0.5, 3.0], bounds=(0.25, 1.5))) == [0.25, 0.5, 1.5]
    assert list(convert("one_off_cost", [4.0], bounds=(0.0, 2.0))) == [3.0]  # an overrun is not a share achieved


def test_the_case_studies_chapter_states_the_bounds_it_applies(data):
    inputs = TablesOnly(data)
    inputs.params = inputs.params.model_copy(update={"realisation_bounds": inputs.params.realisation_bounds.model_copy(
        update={"lowest": 0.25, "highest": 1.5})})
    content = case_studies.compute(inputs)
    shown = content.headlines
    assert shown["realisation_lower_bound"].text == "25%" and shown["realisation_upper_bound"].text == "150%"
    table = content.tables["tbl-case-studies-outcomes"].shown
    used = [float(v) for m, v in zip(table["Measure"], table["Value the model uses"])
            if m.lower().startswith("saving") and v[:1].isdigit()]
    assert used and min(used) == 0.25 and max(used) == 1.5  # the cases include one below 25% and one above 150%
