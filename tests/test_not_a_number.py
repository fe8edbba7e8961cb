"""No number that is not a number reaches a reader. A ratio whose denominator is zero has a meaning in
words (no one-off costs: the benefit-cost ratio is not defined) and no value; a chapter cannot state a
figure whose value is NaN or infinity, or whose text prints one; the figures register is strict JSON (a
figure stated only in words carries null), and a download writes a missing value as a blank and refuses
infinity and text reading 'nan' or 'inf'."""
import dataclasses
import json
import math

import numpy as np
import pandas as pd
import pytest

from appraisal.chapters import savings
from appraisal.inputs import loading, parameters
from appraisal.publication import formats, register
from appraisal.publication.content import ChapterContent, NotANumber
from appraisal.publication.figures import Numbering


def strict_json(text: str):
    """JSON as the standard defines it: NaN and Infinity are not JSON."""
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("value", [float("nan"), np.float64("nan"), None, float("inf")])
def test_a_ratio_with_no_one_off_costs_is_not_defined_in_words(value):
    assert formats.ratio(value) == "no defined value"
    assert formats.per_pound(value) == "no one-off cost to set the savings against"
    assert formats.finite_or_none(value) is None


def test_a_ratio_that_is_a_number_is_shown_as_one():
    assert formats.ratio(np.float64(1.0449)) == "1.04"
    assert formats.ratio(0) == "0.00"
    assert formats.finite_or_none(np.float64(0.5)) == 0.5


@pytest.fixture(scope="module")
def real_inputs():
    return loading.load()


@pytest.mark.parametrize("setting", ["planned_saving_share=0", "one_off_cost_share=0"])
def test_the_savings_chapter_with_no_one_off_costs_states_the_ratio_in_words(setting, real_inputs):
    name, value = setting.split("=")
    params = parameters.load(overrides={name: value, "monte_carlo.iterations": "100"})
    out = savings.compute(dataclasses.replace(real_inputs, params=params))
    assert out.headlines["bcr_central"].text == "no defined value"
    assert out.headlines["bcr_central"].value is None
    assert out.headlines["bcr_central_words"].text == "no one-off cost to set the savings against"
    assert out.headlines["bcr_central_words"].value is None
    sentence = (f"that is {out.headlines['bcr_central_words'].text} (a benefit-cost ratio of "
                f"{out.headlines['bcr_central'].text})")  # as the savings page reads
    assert "nan" not in sentence.lower().split()


def test_the_savings_chapter_states_a_real_ratio_as_before(real_inputs):
    out = savings.compute(real_inputs)
    bcr = out.headlines["bcr_central"]
    assert bcr.text == f"{bcr.value:.2f}" and math.isfinite(bcr.value)
    assert out.headlines["bcr_central_words"].text.endswith("back for every £1 spent on setting up")


@pytest.mark.parametrize("text,value", [("1.04", float("nan")), ("1.04", np.float64("inf")), ("nan", None),
                                        ("£nan million", None), ("a benefit-cost ratio of nan", None), ("-inf%", None),
                                        ("Infinity", 3.0)])
def test_a_chapter_cannot_state_a_number_that_is_not_a_number(text, value):
    with pytest.raises(NotANumber, match="figure 'bcr'"):
        ChapterContent().add("bcr", text, value, "ratio")


@pytest.mark.parametrize("text", ["none in the range searched", "influence", "Financial year", "inflation", "£1.2 million"])
def test_words_that_contain_nan_or_inf_are_not_numbers(text):
    ChapterContent().add("ok", text, None)


def register_rows(*rows):
    return pd.DataFrame([{"id": f"savings.{k}", "chapter": "savings", "key": k, "text": t, "value": v, "unit": "",
                          "pages": "chapters/savings.html", "depends_on": "", "version": "2026.1"} for k, t, v in rows],
                        columns=register.REGISTER_COLUMNS)


def test_the_register_is_strict_json_and_a_figure_in_words_carries_null(tmp_path):
    reg = register_rows(("npv", "£1.2 million", 1_200_000.0), ("first_year_label", "2015-16", None),
                        ("count", "three", 3))
    reg.loc[1, "value"] = float("nan")  # as pandas fills a gap
    csv_path, json_path = register.write(reg, tmp_path)
    rows = strict_json(json_path.read_text())
    assert [r["value"] for r in rows] == [1_200_000.0, None, 3.0]
    text = csv_path.read_text()
    assert "nan" not in text.lower() and ",2015-16,," in text


def test_the_register_of_collected_headlines_keeps_a_missing_value_as_null(tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "savings_headlines.json").write_text(json.dumps({
        "a": {"text": "2015-16", "value": None, "unit": "", "depends_on": []},
        "b": {"text": "£1 million", "value": 1e6, "unit": "GBP", "depends_on": []}}))
    _, json_path = register.write(register.collect(exports, ["savings"], "2026.1"), tmp_path)
    assert [r["value"] for r in strict_json(json_path.read_text())] == [None, 1e6]


@pytest.mark.parametrize("row", [("bcr", "1.04", float("inf")), ("bcr", "nan", None), ("bcr", "£nan million", None)])
def test_the_register_refuses_a_figure_that_is_not_a_number(row, tmp_path):
    with pytest.raises(ValueError, match="figures register: savings.bcr: "):
        register.write(register_rows(row), tmp_path)
    assert not (tmp_path / "figures_register.json").exists()


def test_what_changed_does_not_list_a_figure_in_words_because_an_old_release_wrote_nan():
    old = register_rows(("year", "2015-16", float("nan")), ("n", "three", 3.0))
    new = register_rows(("year", "2015-16", None), ("n", "three", 3))
    new["value"] = pd.Series([None, 3], dtype=object)  # as read from a register whose values are not all numbers
    assert register.diff(old, new, {}, {}).empty
    changed = register_rows(("year", "2015-16", 1.0), ("n", "three", 3.0))
    assert register.diff(old, changed, {}, {})["Figure id"].tolist() == ["savings.year"]


def test_the_released_register_compares_with_a_strict_one():
    """The register of release 2026.1 (written with NaN) read back: no figure stated in words differs from
    the same figure written with null."""
    from appraisal import paths

    released = register.read(paths.ROOT / "releases" / "2026.1" / "figures_register.json")
    rewritten = released.assign(value=pd.Series([None if isinstance(v, float) and math.isnan(v) else v
                                                 for v in released["value"]], dtype=object, index=released.index))
    assert rewritten["value"].isna().any() and None in list(rewritten["value"])
    assert register.diff(released, rewritten, {}, {}).empty


def downloads(tmp_path):
    sources = pd.DataFrame({"source_id": ["s"], "publisher": ["Publisher"], "published": ["2014"], "title": ["T"]})
    return Numbering("2", sources, tmp_path, version="Version 2026.1")


def test_a_download_writes_a_missing_value_as_a_blank(tmp_path):
    df = pd.DataFrame({"Scenario": ["Low", "Central"], "Benefit-cost ratio": [float("nan"), 1.04],
                       "Note": [None, "x"]})
    downloads(tmp_path)._write_csv(df, "tbl-x.csv", "Table", ["s"])
    text = (tmp_path / "chapter-downloads" / "tbl-x.csv").read_text()
    assert [line for line in text.splitlines() if not line.startswith("#")] == ["Scenario,Benefit-cost ratio,Note", "Low,,", "Central,1.04,x"]


@pytest.mark.parametrize("cell", [float("inf"), -np.inf, "nan", "NaN", "-inf", "Infinity"])
def test_a_download_refuses_a_value_that_is_not_a_number(cell, tmp_path):
    df = pd.DataFrame({"Scenario": ["Low", "Central"], "Value": [1.0, 2.0]}).astype(object)
    df.loc[1, "Value"] = cell
    with pytest.raises(ValueError, match=r"download tbl-x.csv: row 3, column 'Value': value "):
        downloads(tmp_path)._write_csv(df, "tbl-x.csv", "Table", ["s"])
    assert not (tmp_path / "chapter-downloads" / "tbl-x.csv").exists()


def test_a_chart_specification_is_strict_json():
    from appraisal.publication.figures import _script_json

    assert _script_json({"data": [1.0, None]}) == '{"data": [1.0, null]}'
    with pytest.raises(ValueError, match="fig-x: the chart's data holds NaN or infinity"):
        _script_json({"data": [float("nan")]}, "fig-x")
