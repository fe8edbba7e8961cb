"""Validation knows every rule the model and the chapters rely on. Inputs that break one used to pass the
checks and then stop a chapter with an error naming no input (a broadcasting error in the savings
chapter for a council listed twice, a reshape error in the risk chapter for two partners with one short
name, a KeyError for a missing key fact); a service listed twice was accepted and printed twice. Each is
now refused by `appraisal check` in one line naming the file and the row, column or key."""
import csv
import io

import pytest
import yaml

from appraisal import cli, paths
from appraisal.inputs import loading, schemas, tables
from appraisal.inputs.errors import InputError


def problems(data_dir=paths.DATA, params=None):
    """The problems `appraisal check` reports, each on one line; and the same through the command line."""
    with pytest.raises(InputError) as err:
        loading.load(params or data_dir / "parameters.yaml", data_dir=data_dir)
    found = err.value.problems
    assert found and all("\n" not in p for p in found), found
    return found


def edit_params(data_dir, edit):
    path = data_dir / "parameters.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(raw)
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def edit_rows(data_dir, name, edit):
    """Rewrite data/<name> with `edit(rows)` applied to its rows (dicts), keeping the header."""
    path = data_dir / name
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)
    rows = edit(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def check_command(data_dir, capsys) -> str:
    assert cli.main(["check", "--data", str(data_dir)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


# --- lists in the parameters file that the model indexes by -----------------------------------------

LISTS = {
    "partnership": (["E07000008", "E07000011", "E07000008"], "'E07000008' is listed twice (items 1 and 3); "
                    "each council may be listed only once"),
    "services_in_scope": (["ICT", "Legal", "ICT"], "'ICT' is listed twice (items 1 and 3); each service may be "
                          "listed only once"),
    "cost_sharing_formulas": (["equal_shares", "population", "population"], "'population' is listed twice "
                              "(items 2 and 3); each formula may be listed only once"),
}


@pytest.mark.parametrize("key", sorted(LISTS))
def test_a_value_listed_twice_in_the_parameters_file_is_refused_naming_the_key(key, data_copy, capsys):
    value, rule = LISTS[key]
    edit_params(data_copy, lambda raw: raw.update({key: value}))
    found = problems(data_copy)
    assert len(found) == 1 and found[0].startswith(f"{data_copy / 'parameters.yaml'}: {key}: value ") \
        and found[0].endswith(rule), found
    assert rule in check_command(data_copy, capsys)


def test_a_council_listed_twice_is_refused_through_a_setting_too(capsys):
    assert cli.main(["check", "--set", "partnership=[E07000008, E07000011, E07000011]"]) == 2
    err = capsys.readouterr().err
    assert ("data/parameters.yaml: partnership: value ['E07000008', 'E07000011', 'E07000011']: 'E07000011' is "
            "listed twice (items 2 and 3); each council may be listed only once") in err


def test_two_councils_with_one_short_name_are_refused_by_row(data_copy, capsys):
    def same_short_name(rows):
        rows[1]["short_name"] = rows[0]["short_name"]
        return rows

    edit_rows(data_copy, "councils.csv", same_short_name)
    found = problems(data_copy)
    assert "data/councils.csv: row 3, column 'short_name': value 'Cambridge' is duplicated; each council needs a " \
           "short name of its own" in found, found
    assert "row 3, column 'short_name'" in check_command(data_copy, capsys)


def test_a_list_place_is_counted_from_one():
    with pytest.raises(InputError) as err:
        from appraisal.inputs import parameters

        parameters.load(overrides={"partnership": "[E07000008, 'E07000011\t']"})
    assert err.value.problems[0].startswith("data/parameters.yaml: partnership, item 2: value 'E07000011\\t': ")


# --- rows the pages state by their key ---------------------------------------------------------------

STATED = [("key_facts.csv", "key", key) for key in schemas.STATED_KEY_FACTS] + [
    ("timeline.csv", "milestone", key) for key in schemas.STATED_MILESTONES]


@pytest.mark.parametrize("name,column,key", STATED)
def test_a_row_the_pages_state_may_not_be_removed(name, column, key, data_copy, capsys):
    edit_rows(data_copy, name, lambda rows: [r for r in rows if r[column] != key])
    found = problems(data_copy)
    assert len(found) == 1 and found[0].startswith(f"data/{name}: table: needs a row with {column} '{key}': "
                                                   "the pages state "), found
    check_command(data_copy, capsys)


def test_the_promised_savings_the_case_studies_quote_may_not_be_removed(data_copy):
    (topic, _), = schemas.STATED_TOPICS.items()
    edit_rows(data_copy, "conflicting_figures.csv", lambda rows: [r for r in rows if not r["topic"].startswith(topic)])
    assert problems(data_copy) == [f"data/conflicting_figures.csv: table: needs a row with topic starting {topic!r}: "
                                   "the pages state the range of Southwest One's promised savings (case studies chapter)"]


def test_the_rows_declared_are_the_rows_the_chapters_name():
    from appraisal.chapters import case_studies, context

    assert set(context.MILESTONES) == set(schemas.STATED_MILESTONES)
    assert case_studies.SOUTHWEST_ONE_PROMISE in schemas.STATED_TOPICS
    assert (case_studies.HIGHLIGHT_CASE, case_studies.PRO_RATED_EXAMPLE) == (tables.APPRAISED_CASE,
                                                                              tables.PRO_RATED_EXAMPLE)


# --- the case evidence, by the model's own test of which figures are usable ---------------------------

def _blank_actual(case_id, measure):
    def edit(rows):
        for r in rows:
            if r["case_id"] == case_id and r["measure"] == measure:
                r["actual"] = ""
        return rows
    return edit


EVIDENCE = {
    "no delay figure": (lambda rows: [r for r in rows if r["measure"] != "delay_months"],
                        "data/case_study_outcomes.csv: no usable delay_months row (projected and actual figures, for "
                        "a period that is known); the delay input and the case studies chapter are computed from them"),
    "the appraised case's own saving": (_blank_actual("three_c", "savings"),
                                        "data/case_study_outcomes.csv: no usable savings row for case_id 'three_c'"),
    "the appraised case's service saving": (
        lambda rows: [r for r in rows if not (r["case_id"] == "three_c" and r["measure"] == "service_savings")],
        "data/case_study_outcomes.csv: no service_savings row for case_id 'three_c' with like_for_like 'period not known'"),
    "the pro-rating example": (_blank_actual("southwest_one", "savings"),
                               "data/case_study_outcomes.csv: no usable pro-rated row for case_id 'southwest_one'"),
}


@pytest.mark.parametrize("case", sorted(EVIDENCE))
def test_case_evidence_the_chapters_rely_on_may_not_be_removed(case, data_copy):
    edit, expected = EVIDENCE[case]
    edit_rows(data_copy, "case_study_outcomes.csv", edit)
    found = problems(data_copy)
    assert any(p.startswith(expected) for p in found), found


def test_one_off_costs_need_a_comparable_council_scheme(data_copy):
    def only_grants(rows):
        for r in rows:
            if r["figure"] == "one_off_cost" and r["kind"] == "council-to-council":
                r["basis"] = "grant"
        return rows

    edit_rows(data_copy, "one_off_costs.csv", only_grants)
    assert problems(data_copy) == [
        "data/one_off_costs.csv: no council-to-council scheme can be compared (a chosen one-off cost from a plan and "
        "a chosen saving with the years it covers); the one-off cost input and the case studies chapter are computed "
        "from them"]


def test_every_partner_needs_both_lines_of_the_accounts_for_the_apportionment_year(data_copy):
    edit_rows(data_copy, "council_finance.csv", lambda rows: [
        r for r in rows if not (r["ons_code"] == "E07000011" and r["year"] == "2014-15"
                                and r["measure"] == "net_revenue_expenditure")])
    assert problems(data_copy) == [
        f"{data_copy / 'parameters.yaml'}: baseline_apportionment_year: value '2014-15' has no net_revenue_expenditure "
        "row in data/council_finance.csv for E07000011"]

