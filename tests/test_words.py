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
