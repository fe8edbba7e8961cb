"""Number formats: plain English for glued prose, and rounded values with the unit in the header for tables."""
import re

import pandas as pd

from appraisal.publication import figures
from appraisal.publication import formats as display
from appraisal.pipeline import pdf, sphinx_offline

MINUS = "\u2212"


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


def test_a_money_column_takes_its_unit_from_its_largest_amount():
    assert display.money_scale([-2_322_051, 17_949]) == (1e6, "£m")
    assert display.money_scale([-664_095, 199_228]) == (1e3, "£ thousand")
    assert display.money_scale([950, -12, float("nan")]) == (1.0, "£")


def test_amounts_are_rounded_with_a_real_minus_sign_and_never_minus_zero():
    assert display.scaled_money(-2_322_051, 1e6) == MINUS + "2.3"
    assert display.scaled_money(34_117_217, 1e6) == "34.1"
    assert display.scaled_money(-664_095, 1e3) == MINUS + "664"
    assert display.scaled_money(-17_949, 1e6) == "0.0"
    assert display.scaled_money(-1_234_567, 1.0) == MINUS + "1,230,000"  # three significant figures at most
    assert display.scaled_money(123_456_789, 1e6) == "123"
    assert display.scaled_money(99_960_000, 1e6) == "100"


def test_ratios_have_two_significant_figures():
    assert display.significant(0.03226) == "0.032"
    assert display.significant(0.96618) == "0.97"
    assert display.significant(0.996) == "1.0"
    assert display.significant(1.0) == "1.0"
    assert display.significant(12.34) == "12"
    assert display.significant(123.4) == "120"
    assert display.significant(-0.5667) == MINUS + "0.57"
    assert display.significant(0) == "0"


def flows() -> pd.DataFrame:
    return pd.DataFrame({"Year": ["2015-16", "2016-17"], "Net saving (£)": [-2_322_051.0, 1_500_000.0],
                         "Impact on NPV (£)": [-664_095.0, 199_228.0], "NPV (£m)": [-30.1911, 0.04],
                         "Discount factor": [1.0, 0.96618], "Actual ÷ plan": [0.5667, 1.2]})


def test_tables_show_pounds_in_millions_with_the_unit_in_the_header():
    shown = figures.format_table(flows())
    assert list(shown.columns) == ["Year", "Net saving (£m)", "Impact on NPV (£m)", "NPV (£m)",
                                   "Discount factor", "Actual ÷ plan"]
    assert list(shown["Net saving (£m)"]) == [MINUS + "2.3", "1.5"]
    assert list(shown["Impact on NPV (£m)"]) == [MINUS + "0.7", "0.2"]  # one unit for the whole table
    assert list(shown["NPV (£m)"]) == [MINUS + "30.2", "0.0"]
    assert list(shown["Discount factor"]) == ["1.0", "0.97"]
    assert list(shown["Actual ÷ plan"]) == ["0.57", "1.2"]


def test_a_table_of_small_amounts_is_in_thousands():
    shown = figures.format_table(pd.DataFrame({"Impact on NPV (£)": [-664_095.0, 199_228.0],
                                               "Expected cost (£)": [12_000.0, 5_400.0]}))
    assert list(shown.columns) == ["Impact on NPV (£ thousand)", "Expected cost (£ thousand)"]
    assert list(shown["Impact on NPV (£ thousand)"]) == [MINUS + "664", "199"]
    assert list(shown["Expected cost (£ thousand)"]) == ["12", "5"]


def test_a_table_scrolls_in_its_own_labelled_focusable_box_and_numbers_do_not_wrap():
    markup = figures.html_table(flows(), "Table 2.2: Flows")
    assert markup.startswith('<div class="table-scroll" role="region" aria-labelledby="caption-')
    label = markup.split('aria-labelledby="', 1)[1].split('"', 1)[0]
    assert f'<caption id="{label}">Table 2.2: Flows</caption>' in markup
    assert 'tabindex="0"' in markup
    assert f'<td class="num">{MINUS}2.3</td>' in markup
    assert not re.search(r"<td[^>]*>-", markup), "a hyphen used as a minus sign"


def test_an_amount_written_as_text_stays_on_one_line_and_a_list_may_break_after_semicolons():
    df = pd.DataFrame({"Value as stated": ["£6.1 million", "central services"], "Depends on": ["a.csv;b.csv", ""]})
    markup = figures.html_table(df, "Register")
    assert '<td class="nowrap">£6.1 million</td>' in markup
    assert "<td>central services</td>" in markup
    years = figures.html_table(pd.DataFrame({"Year": ["2015-16", "2016/17"], "When": ["2014-07-02", "July 2014"]}), "Y")
    assert '<td class="nowrap">2015-16</td>' in years and '<td class="nowrap">2016/17</td>' in years
    assert '<td class="nowrap">2014-07-02</td>' in years and "<td>July 2014</td>" in years
    assert "a.csv;<wbr>b.csv" in markup
    assert "R&amp;D" in figures.html_table(pd.DataFrame({"Name": ["R&D"]}), "Escaped")


def test_pages_load_the_chart_library_only_when_they_draw_a_chart():
    chart = '<div class="vega-chart" id="vis-x"></div>'
    assert sphinx_offline.page_uses("_static/vega-bundle.js", chart)
    assert not sphinx_offline.page_uses("_static/vega-bundle.js", "<p>No chart here.</p>")
    assert not sphinx_offline.page_uses("_static/charts.js", "<p>No chart here.</p>")
    assert sphinx_offline.page_uses("_static/pygments.css", '<div class="highlight"><pre>x</pre></div>')
    assert not sphinx_offline.page_uses("_static/copybutton.js", "<p>text</p>")
    assert not sphinx_offline.page_uses("_static/sphinx-thebe.css", chart)
    assert sphinx_offline.page_uses("_static/publication.css", "<p>text</p>")
    mystnb = "_static/mystnb.11b39860a7a0cbfd473a3ad8a317855267ff0bd372690045ca344a6b62be495e.css"
    assert sphinx_offline.page_uses(mystnb, '<div class="cell docutils container">')
    assert not sphinx_offline.page_uses(mystnb, '<span class="pasted-text">£4.4 million</span>')


def test_the_printed_page_links_to_the_published_site_and_keeps_same_page_links():
    page = ('<html data-content_root="../"><a class="x" href="bibliography.html#src-a">A</a>'
            '<a href="../downloads/b.csv" download>B</a><a href="#top">top</a>'
            '<a href="https://example.org/r">R</a><link href="../_static/print.css" rel="stylesheet"/></html>')
    from pathlib import Path

    here = pdf.page_address(page, Path("/srv/html/chapters/briefing.html"), "https://example.gov.uk/appraisal/")
    assert here == "https://example.gov.uk/appraisal/chapters/briefing.html"
    out = pdf.published_links(page, here)
    assert 'href="https://example.gov.uk/appraisal/chapters/bibliography.html#src-a"' in out
    assert 'href="https://example.gov.uk/appraisal/downloads/b.csv"' in out
    assert 'href="#top"' in out and 'href="https://example.org/r"' in out
    assert 'href="../_static/print.css"' in out  # styles still load from the built site


def test_the_public_address_must_be_an_http_address(tmp_path):
    import pytest

    config = tmp_path / "_config.yml"
    config.write_text("html:\n  baseurl: https://example.gov.uk/appraisal\n")
    assert pdf.public_address(config) == "https://example.gov.uk/appraisal/"
    config.write_text("html:\n  baseurl: ''\n")
    with pytest.raises(pdf.PublicAddressMissing, match="html.baseurl"):
        pdf.public_address(config)


def test_a_table_too_wide_for_a_portrait_page_is_printed_on_a_landscape_page():
    narrow = pd.DataFrame({"Council": ["Cambridge"], "NPV (£)": [-2_322_051.0]})
    wide = pd.DataFrame({f"Column {i}": ["an unbreakable_identifier_of_some_length"] for i in range(12)})
    assert "print-landscape" not in figures.html_table(narrow, "Narrow")
    assert 'class="table-scroll print-landscape"' in figures.html_table(wide, "Wide")
