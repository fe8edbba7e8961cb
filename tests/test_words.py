"""Words a reader can quote: numbers in plain English, every branch of every sentence template reads
correctly, and the chances a simulation gives are never shown as certain."""
import pytest

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
    assert formats.per_pound(float("nan")) == "no one-off cost to set the savings against"


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


# Every sentence template, rendered in each of its branches: each must read as a sentence (or a clause)
# with no doubled stop or space, no empty slot and no number left unformatted.
def reads_cleanly(text: str) -> bool:
    import re

    return not re.search(r"\.\.|  |\bNone\b|\bnan\b|\{|\}|\d\.\d{3}|\.0\b(?!\d)|: ,|, ,", text)


def test_the_three_middle_figures_are_explained_in_each_branch():
    from appraisal.chapters.risk import middle_figures

    lower = middle_figures(116_000, -649_000, -4_500_000, 29_000_000, 0.55)
    assert lower.startswith("The central estimate, £116,000, puts every input at its middle value.")
    assert "The middle run of the simulation, −£649,000, is the outcome half the runs fall below" in lower
    assert "55% of the runs come out at or below the central estimate." in lower
    assert lower.endswith("is lower than the middle run because the worst runs lose more than the best runs save.")
    higher = middle_figures(-1e6, 2e6, 5e6, 20e6, 0.2)
    assert higher.endswith("is higher than the middle run because the best runs save more than the worst runs lose.")
    close = middle_figures(1e6, 2e6, 2.5e6, 20e6, 1.0)
    assert "more than 99% of the runs" in close
    assert "is close to the middle run" in close
    assert all(reads_cleanly(t) and t.count(". ") == 2 for t in (lower, higher, close))


def test_payback_reads_correctly_within_after_and_beyond_the_period():
    from appraisal.chapters.savings import payback_text

    assert payback_text("2018-19", 5e6) == "the discounted savings overtake the one-off costs in 2018-19"
    assert payback_text(None, 1e5).endswith("within the period appraised, only once the years after it are counted")
    assert payback_text(None, -1e5).endswith("never overtake the one-off costs, even counting the years after the period appraised")


def test_a_council_result_is_one_sentence_in_every_case():
    from appraisal.chapters.savings import council_sentence

    full = council_sentence("Cambridge", {"baseline": 32_000, "equal_shares": -5.1e6, "revenue_budget": 1.0e6})
    assert full == ("Cambridge: a net saving of £32,000 if costs are shared in proportion to each council's former "
                    "costs, and between a net cost of £5.1 million (equal shares) and a net saving of £1 million "
                    "(revenue-budget share) under the other formulas")
    one_other = council_sentence("Cambridge", {"baseline": 32_000, "population": -210_000})
    assert one_other.endswith("and a net cost of £210,000 under the other formula")
    no_fair = council_sentence("Cambridge", {"population": -210_000, "equal_shares": 400_000})
    assert no_fair == ("Cambridge: between a net cost of £210,000 (population share) and a net saving of £400,000 "
                       "(equal shares) under the formulas")
    alone = council_sentence("Cambridge", {"population": -210_000})
    assert alone == "Cambridge: a net cost of £210,000 under population share"
    assert all(reads_cleanly(t) for t in (full, one_other, no_fair, alone))


@pytest.mark.parametrize("switch", ["27%", None])
@pytest.mark.parametrize("settled_by", ["the 2015 business cases", None])
@pytest.mark.parametrize("chance", [0.1, 0.5, 0.9])
def test_the_verdict_reads_correctly_in_every_branch(chance, switch, settled_by):
    from appraisal.chapters.risk import verdict

    text = verdict(chance, "share of the planned saving achieved", "28%", switch, settled_by)
    assert reads_cleanly(text) and text.endswith(".") and not text.endswith("..")
    assert ("breaks even at 27%" in text) == (switch is not None)
    assert ("What would settle it: the 2015 business cases." in text) == (settled_by is not None)


def test_an_input_without_a_switching_value_says_so():
    from appraisal.chapters.risk import input_text

    assert input_text(None, "years") == "none in the range searched"
    assert input_text(float("nan"), "years") == "none in the range searched"
    assert input_text(0.268, "share of the planned saving") == "27%"


def test_the_register_holds_only_numbers_a_page_states_with_the_pages_that_state_them():
    import pandas as pd

    from appraisal.publication import register

    sources = {"chapters/index.html": ("", "Net {glue:text}`savings.ipynb::npv:s`, {glue:text}`risk.ipynb::p10:s`."),
               "chapters/savings.html": ("savings", "Again {glue:text}`npv` and {glue:text}`context.ipynb::year:s`.")}
    glued = register.glued_pages(sources)
    assert glued == {"savings.npv": ["chapters/index.html", "chapters/savings.html"],
                     "risk.p10": ["chapters/index.html"], "context.year": ["chapters/savings.html"]}
    collected = pd.DataFrame([{"id": i, "chapter": i.split(".")[0], "key": i.split(".")[1], "text": "x", "value": 1,
                               "unit": "", "pages": "", "depends_on": "", "version": "1"}
                              for i in ("savings.npv", "savings.unused", "risk.p10")])
    stated = register.stated_only(collected, glued)
    assert stated["id"].tolist() == ["savings.npv", "risk.p10"]
    assert stated["pages"].tolist() == ["chapters/index.html; chapters/savings.html", "chapters/index.html"]


def test_ids_and_input_names_in_a_generated_table_are_set_as_code():
    from appraisal.pipeline.pages import _as_code

    html = "<table><tr><td>£1 million</td><td>savings.npv_central</td><td>method or model code</td></tr></table>"
    assert _as_code(html, {1, 2}) == ("<table><tr><td>£1 million</td><td><code>savings.npv_central</code></td>"
                                      "<td>method or model code</td></tr></table>")
