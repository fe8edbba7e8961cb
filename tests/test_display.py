"""Plain-English formats used in glued prose."""
from appraisal import display


def test_money_uses_millions_and_billions_in_words():
    assert display.money(2_622_624) == "£2.6 million"
    assert display.money(1_340_000_000) == "£1.34 billion"
    assert display.money(387_301) == "£387,000"
    assert display.money(-950) == "£950"


def test_signed_money_and_net_result_say_which_way():
    assert display.signed_money(-2_600_000) == "−£2.6 million"
    assert display.net_result(5_500_000) == "a net saving of £5.5 million"
    assert display.net_result(-2_900_000) == "a net cost of £2.9 million"


def test_facts_are_written_by_their_unit():
    assert display.fact_text(40, "percent") == "40%"
    assert display.fact_text(6.1, "GBP million per year") == "£6.1 million"
    assert display.fact_text(26, "staff") == "26"


def test_names_are_joined_with_and():
    assert display.join_names(["A"]) == "A"
    assert display.join_names(["A", "B", "C"]) == "A, B and C"


def test_the_publication_year_is_found_in_any_date_form():
    assert display.published_year("2014-07-02") == "2014"
    assert display.published_year("c.2018") == "2018"
    assert display.published_year("n.d.") == "undated"
