"""Words a reader can quote: numbers in plain English, every branch of every sentence template reads
correctly, and the chances a simulation gives are never shown as certain."""
from appraisal.publication import formats

MINUS = "\u2212"


def test_amounts_carry_no_trailing_zero():
    assert formats.money(75_000_000) == "£75 million"
    assert formats.money(180_000_000) == "£180 million"
    assert formats.money(2_622_624) == "£2.6 million"
    assert formats.money(2_000_000_000) == "£2 billion"
    assert formats.money(1_340_000_000) == "£1.34 billion"
    assert formats.fact_text(75.0, "GBP million") == "£75 million"


def test_an_amount_that_rounds_up_to_the_next_unit_is_written_in_that_unit():
    assert formats.money(999_600) == "£1 million"
    assert formats.money(999_960_000) == "£1 billion"
    assert formats.money(116_321) == "£116,000"
    assert formats.money(950) == "£950"


def test_per_cent_has_no_trailing_zero_and_a_real_minus_sign():
    assert formats.percent(0.035, 1) == "3.5%"
    assert formats.percent(0.03, 1) == "3%"
    assert formats.percent(-0.08) == MINUS + "8%"
    assert formats.percent(-0.001) == "0%"


def test_a_simulated_chance_is_never_certain_or_impossible():
    assert formats.chance(1.0) == "more than 99%"
    assert formats.chance(0.995) == "more than 99%"
    assert formats.chance(0.99) == "99%"
    assert formats.chance(0.536) == "54%"
    assert formats.chance(0.01) == "1%"
    assert formats.chance(0.004) == "less than 1%"
    assert formats.chance(0.0) == "less than 1%"


def test_a_ratio_is_also_money_back_for_every_pound():
    assert formats.per_pound(0.58) == "58p back for every £1"
    assert formats.per_pound(1.04) == "£1.04 back for every £1"
    assert formats.per_pound(0.999) == "£1.00 back for every £1"
    assert formats.per_pound(-0.2) == "nothing back for every £1"


def test_an_uplift_says_what_it_does_to_the_planned_figure():
    assert formats.uplift(0) == "no uplift"
    assert formats.uplift(2.0) == "an uplift of 200%, which triples the planned figure"
    assert formats.uplift(1.0) == "an uplift of 100%, which doubles the planned figure"
    assert formats.uplift(0.54) == "an uplift of 54%"
    assert formats.uplift(0.0397) == "an uplift of 4%"


def test_an_input_is_written_in_its_unit():
    assert formats.input_value(0.28, "share of the planned saving") == "28%"
    assert formats.input_value(0.035, "share per year (real)") == "3.5%"
    assert formats.input_value(2.0, "uplift on one-off costs") == "an uplift of 200%, which triples the planned figure"
    assert formats.input_value(1.55, "years") == "19 months"
    assert formats.input_value(1 / 12, "years") == "1 month"
    assert formats.input_value(4.42, "years") == "4.4 years"
    assert formats.input_value(5, "years") == "5 years"


def test_savings_and_costs_keep_their_colours_whatever_order_the_data_holds_them_in():
    from appraisal.publication import palette

    scale = palette.saving_and_cost("Present value of savings", "Present value of one-off costs").to_dict()
    assert dict(zip(scale["domain"], scale["range"])) == {"Present value of savings": palette.SAVING,
                                                          "Present value of one-off costs": palette.COST}
    assert palette.SAVING != palette.COST
    assert palette.SAVING not in palette.SERIES and palette.COST not in palette.SERIES


def test_categories_take_the_series_colours_in_order_and_too_many_are_refused():
    import pytest

    from appraisal.publication import palette

    scale = palette.series(["Cambridge", "Huntingdonshire", "Cambridge"]).to_dict()
    assert scale["domain"] == ["Cambridge", "Huntingdonshire"]
    assert scale["range"] == list(palette.SERIES[:2])
    with pytest.raises(ValueError, match="series colours"):
        palette.series([f"council {n}" for n in range(len(palette.SERIES) + 1)])


def test_every_chart_takes_its_colours_from_the_palette():
    """No colour is typed into a notebook: a colour means the same on every chart only if one module sets it."""
    import json
    import re

    from appraisal import paths

    typed = {}
    for nb in paths.NOTEBOOKS.glob("*.ipynb"):
        code = "\n".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code")
        found = re.findall(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?\b|color=\"", code)
        if found:
            typed[nb.name] = found
    assert typed == {}
