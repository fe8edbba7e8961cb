"""Each schema rule rejects a small hand-made bad file with a message naming file, row, column and rule."""
import pytest

from appraisal.inputs import loading, tables
from appraisal.inputs.errors import InputError


def problems_for(data_dir):
    with pytest.raises(InputError) as err:
        loading.load(data_dir=data_dir)
    return err.value.problems


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_a_schema_failure_without_failure_cases_is_still_reported():
    import pandas as pd
    import pandera.pandas as pa

    schema = pa.DataFrameSchema({"key": pa.Column(str, nullable=True, unique=True)})
    df = pd.DataFrame({"key": [pd.NA, pd.NA]}, dtype="str")
    with pytest.raises(InputError) as err:
        tables.validate_table("x.csv", df, schema)
    assert err.value.problems and err.value.problems[0].startswith("data/x.csv: ")


def test_a_milestone_key_may_appear_only_once(data_copy):
    edit(data_copy / "timeline.csv", "first_planned", "go_live")
    assert any("each milestone key may appear only once" in p for p in problems_for(data_copy))


def test_real_data_passes():
    loaded = loading.load()
    assert set(loaded.tables) == set(tables.TABLES)


def test_missing_column_is_named(data_copy):
    edit(data_copy / "councils.csv", "population,population_year", "pop,population_year")
    found = problems_for(data_copy)
    assert any("data/councils.csv: header: column 'population' is missing" in p for p in found)


def test_text_in_a_number_column_names_row_column_and_value(data_copy):
    edit(data_copy / "councils.csv", "123867", "lots")
    assert "data/councils.csv: row 2, column 'population': value 'lots' is not a whole number" in problems_for(data_copy)[0]


def test_thousands_separators_and_currency_symbols_are_rejected_with_advice(data_copy):
    edit(data_copy / "baseline_costs.csv", "ICT,6100000", 'ICT,"£6,100,000"')
    found = problems_for(data_copy)
    assert any("data/baseline_costs.csv: row 2, column 'annual_cost_gbp': value '£6,100,000' is not a number" in p
               and "no £, commas" in p for p in found)


def test_a_comma_inside_an_unquoted_number_is_reported_by_row(data_copy):
    edit(data_copy / "councils.csv", "123867", "123,867")
    assert problems_for(data_copy) == [
        "data/councils.csv: row 2: 8 values where the header has 7 columns (a comma inside a number or unquoted text?)"]


def test_empty_file_is_reported(data_copy):
    (data_copy / "timeline.csv").write_text("")
    assert "data/timeline.csv: the file is empty" in problems_for(data_copy)[0]


def test_utf8_byte_order_mark_is_accepted(data_copy):
    path = data_copy / "councils.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    loaded = loading.load(data_dir=data_copy)
    assert list(loaded.table("councils").columns)[0] == "ons_code"


def test_duplicate_keys_are_rejected(data_copy):
    edit(data_copy / "councils.csv", "E07000011,Huntingdonshire", "E07000008,Huntingdonshire")
    found = problems_for(data_copy)
    assert any("data/councils.csv: row 3, column 'ons_code': value 'E07000008' is duplicated" in p for p in found)


def test_unknown_council_code_is_rejected(data_copy):
    edit(data_copy / "council_finance.csv", "E07000008,2012-13,central_services", "E07000999,2012-13,central_services")
    found = problems_for(data_copy)
    assert any("data/council_finance.csv: row 2, column 'ons_code': value 'E07000999' must be one of the ONS codes" in p
               for p in found)


def test_blank_required_value_is_rejected(data_copy):
    edit(data_copy / "baseline_costs.csv", "Legal,1700000", "Legal,")
    found = problems_for(data_copy)
    assert any("data/baseline_costs.csv: row 4, column 'annual_cost_gbp': value is blank; a value is required" in p
               for p in found)


def test_nan_written_as_text_is_rejected(data_copy):
    edit(data_copy / "key_facts.csv", "ccc_core_funding_cut_pct,40", "ccc_core_funding_cut_pct,NaN")
    found = problems_for(data_copy)
    assert any("data/key_facts.csv: row 2, column 'value'" in p for p in found)


def test_source_id_that_does_not_resolve_is_rejected(data_copy):
    edit(data_copy / "timeline.csv", "huntspost2014merge", "nosuchsource")
    found = problems_for(data_copy)
    assert any("data/timeline.csv: row 2, column 'source_id': value 'nosuchsource' must be one of the source ids" in p
               for p in found)


def test_out_of_range_value_is_rejected(data_copy):
    edit(data_copy / "risk_register.csv", ",0.3,", ",1.3,")
    found = problems_for(data_copy)
    assert any("data/risk_register.csv: row 2, column 'likelihood': value '1.3' must be a probability" in p for p in found)


def test_risk_register_cases_must_be_known_cases(data_copy):
    edit(data_copy / "risk_register.csv", "three_c;cosocius;rcuk_ssc", "three_c;atlantis")
    found = problems_for(data_copy)
    assert any("data/risk_register.csv: row 2, column 'cases': value 'three_c;atlantis' must list case ids" in p
               for p in found)


def test_each_service_needs_one_chosen_row(data_copy):
    edit(data_copy / "baseline_costs.csv", "6000000,2014,no", "6000000,2014,yes")
    found = problems_for(data_copy)
    assert any("each service needs exactly one row with chosen = yes" in p for p in found)


def test_every_problem_in_every_file_is_reported_at_once(data_copy):
    edit(data_copy / "councils.csv", "123867", "lots")
    edit(data_copy / "timeline.csv", "huntspost2014merge", "nosuchsource")
    found = problems_for(data_copy)
    assert any(p.startswith("data/councils.csv") for p in found)
    assert any(p.startswith("data/timeline.csv") for p in found)


def test_every_data_row_has_a_source_that_resolves():
    loaded = loading.load()
    known = set(loaded.table("sources")["source_id"])
    for name, df in loaded.tables.items():
        if name == "sources.csv":
            continue
        cols = [c for c in ("source_id", "actual_source_id") if c in df]
        assert cols, f"{name} has no source column"
        for col in cols:
            assert df[col].notna().all(), f"{name}: a row has no {col}"
            assert set(df[col]) <= known, f"{name}: unknown ids {set(df[col]) - known}"


def cited_keys() -> set[str]:
    """Every key cited with {cite...} in the chapters' Markdown and the notebooks' text cells."""
    import json
    import re

    from appraisal import paths

    texts = [p.read_text() for p in paths.CHAPTERS.glob("*.md")]
    for nb in paths.NOTEBOOKS.glob("*.ipynb"):
        texts += ["".join(c["source"]) for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "markdown"]
    keys = set()
    for text in texts:
        for group in re.findall(r"\{cite(?::[a-z]+)?\}`([^`]+)`", text):
            keys |= {k.strip() for k in group.split(",")}
    return keys


def test_every_cited_key_is_a_source():
    known = set(loading.load().table("sources")["source_id"])
    assert cited_keys(), "no citations found: the pattern is wrong"
    assert cited_keys() <= known, cited_keys() - known


def test_every_source_is_used_by_the_data_or_cited_in_the_text():
    from appraisal.chapters.data_log import data_log

    log = data_log(loading.load())
    unused = set(log.loc[log["Supplies"] == "background only", "Source id"])
    assert unused <= cited_keys(), f"sources neither used nor cited: {sorted(unused - cited_keys())}"
