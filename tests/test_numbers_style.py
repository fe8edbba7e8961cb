"""Numbers, tables, downloads and charts in the site's own style, checked where they are made: no estimate to
more than three significant figures, ranges as precise as their larger end, totals that add up as printed or
a note that says they may not, downloads at full precision in pounds with headers in readers' words and
units, chart images that wrap their lines and stay under 2,400 pixels, and chapter pages without code."""
import json
import math

import altair as alt
import pandas as pd
import pytest

from appraisal import paths
from appraisal.chapters import case_studies, context, risk, savings
from appraisal.inputs.loading import load
from appraisal.inputs.recorder import RecordingInputs
from appraisal.publication import chart_images, figures, formats, palette
from appraisal.publication.content import Figure
from style_checks import hyphen_minus, significant_figures

MINUS = formats.MINUS
FEW_DRAWS = 2000


@pytest.fixture(scope="module")
def chapters():
    checked = load(paths.PARAMETERS, {"monte_carlo.iterations": FEW_DRAWS}, paths.DATA)
    return {m.__name__.rsplit(".", 1)[-1]: m.compute(RecordingInputs(checked, paths.DATA))
            for m in (savings, risk, case_studies, context)}


def test_amounts_in_words_have_at_most_three_significant_figures():
    assert formats.money(156_500_000) == "£157 million"
    assert formats.money(21_190_740) == "£21.2 million"
    assert formats.money(1_340_000_000) == "£1.34 billion"
    assert formats.money(12_345_678_901) == "£12.3 billion"
    assert formats.money(123_456) == "£123,000"


def test_an_amount_is_as_precise_as_the_largest_it_is_read_with():
    assert formats.money_range(918_000, 21_190_740) == "£0.9 million to £21.2 million"
    assert formats.money_range(-4_791_084, 21_190_740) == f"{MINUS}£4.8 million to £21.2 million"
    assert formats.money_range(556_000, 693_000) == "£556,000 to £693,000"
    assert formats.signed_money(-74_059, [4_200_000]) == f"{MINUS}£0.1 million"
    assert formats.signed_money(-300, [5_000_000]) == "under £0.1 million"  # never '−£0 million'
    assert formats.net_result(558_000, amounts=[3_400_000]) == "a net saving of £0.6 million"
    assert formats.net_result(558_000) == "a net saving of £558,000"


def test_a_number_in_a_table_has_at_most_three_significant_figures():
    assert formats.table_number(1.5555556) == "1.56"
    assert formats.table_number(0.16875) == "0.169"
    assert formats.table_number(14.5) == "14.5"
    assert formats.table_number(6.0) == "6"
    assert formats.table_number(156.5) == "157"
    assert formats.table_number(-8.0) == f"{MINUS}8"
    assert formats.share_percent(0.27755) == "27.8%" and formats.share_percent(1.0) == "100%"
    assert formats.share_percent(1.494) == "149%"
    shown = figures.format_table(pd.DataFrame({"Lowest": [1.5555556, 0.16875], "Cases": [3, 8]}))
    assert list(shown["Lowest"]) == ["1.56", "0.169"] and list(shown["Cases"]) == ["3", "8"]
    assert all(significant_figures(c) <= 3 for c in shown["Lowest"])


def test_dates_are_shown_as_dates_and_true_or_false_as_yes_or_no():
    df = pd.DataFrame({"Start": pd.to_datetime(["2015-01-01", "2009-01-01"]), "Compared": [True, False]})
    shown = figures.format_table(df)
    assert list(shown["Start"]) == ["2015-01-01", "2009-01-01"] and list(shown["Compared"]) == ["yes", "no"]
    data = figures.download_frame(df)
    assert list(data["Start"]) == ["2015-01-01", "2009-01-01"] and list(data["Compared"]) == ["yes", "no"]


def test_shares_that_do_not_add_up_to_100_per_cent_as_printed_say_so():
    shares = pd.DataFrame({"Council": ["A", "B", "C"], "Share of costs": [0.2775467, 0.4178326, 0.3046207]})
    assert figures.SHARES_NOTE in figures.html_table(shares, "Shares")  # 27.8% + 41.8% + 30.5% = 100.1%
    even = pd.DataFrame({"Council": ["A", "B"], "Share of costs": [0.25, 0.75]})
    assert "table-note" not in figures.html_table(even, "Shares")


def test_totals_that_do_not_add_up_as_printed_say_so():
    parts = pd.DataFrame({"PV savings (£)": [25_340_000.0, 4_600_000.0], "PV costs (£)": [1_360_000.0, 4_400_000.0],
                          "Residual value (£)": [19_030_000.0, 1_900_000.0]})
    net = parts.assign(**{"NPV (£)": parts["PV savings (£)"] - parts["PV costs (£)"] + parts["Residual value (£)"]})
    assert figures.TOTALS_NOTE in figures.html_table(net, "Net")  # 25.3 − 1.4 + 19.0 printed beside 43.0
    flows = pd.DataFrame({"Net saving (£)": [-4_096_846.0, 546_377.0, 527_900.0]})
    running = flows.assign(**{"Cumulative net saving (£)": flows["Net saving (£)"].cumsum()})
    assert figures.TOTALS_NOTE in figures.html_table(running, "Running")  # −3.6 + 0.5 printed as −3.0
    exact = pd.DataFrame({"Savings (£)": [2_000_000.0], "Costs (£)": [1_000_000.0], "Net (£)": [1_000_000.0]})
    assert "table-note" not in figures.html_table(exact, "Exact")


def test_a_download_keeps_full_precision_in_pounds_with_readers_headers_and_units():
    raw = pd.DataFrame({"case_id": ["a"], "value_gbp": [970_822.0], "NPV (£)": [-0.0], "Chance of a loss": [1.0],
                        "Share of the planned saving achieved": [1.494], "Discount factor": [0.39999999999999997],
                        "shown as": ["x"]})
    data = figures.download_frame(raw)
    assert list(data.columns) == ["Case id", "Value (£, full precision)", "NPV (£, full precision)",
                                  "Chance of a loss (share, 0 to 1)",
                                  "Share of the planned saving achieved (share, 1 = 100%)", "Discount factor", "Shown as"]
    row = data.iloc[0]
    assert row["NPV (£, full precision)"] == 0 and math.copysign(1, row["NPV (£, full precision)"]) == 1  # not -0.0
    assert row["Discount factor"] == 0.4 and row["Value (£, full precision)"] == 970_822.0
    assert row["Chance of a loss (share, 0 to 1)"] == 1.0  # the number kept; the page says 'more than 99%'


def test_a_downloaded_table_is_written_with_those_headers(tmp_path):
    sources = pd.DataFrame({"source_id": ["s"], "publisher": ["P"], "published": ["2014"], "title": ["T"]})
    numbering = figures.Numbering("2", sources, tmp_path, version="Version 2026.1")
    numbering._write_csv(pd.DataFrame({"ons_code": ["E1"], "NPV (£)": [-0.0]}), "tbl-x.csv", "Table 2.1: X", ["s"])
    text = (tmp_path / "chapter-downloads" / "tbl-x.csv").read_text(encoding="utf-8").splitlines()
    assert text[4:] == ['ONS code,"NPV (£, full precision)"', "E1,0.0"]


def long_sources(n: int = 40) -> pd.DataFrame:
    return pd.DataFrame({"source_id": [f"s{i}" for i in range(n)],
                         "publisher": [f"A publisher with a long name number {i}" for i in range(n)],
                         "published": ["2014"] * n, "title": ["T"] * n})


def test_a_chart_image_wraps_its_lines_at_its_width_and_is_at_most_2400_pixels_wide(tmp_path):
    sources = long_sources()
    numbering = figures.Numbering("2", sources, tmp_path, version="Version 2026.1")
    data = pd.DataFrame({"Year": ["2015-16", "2016-17"], "Net saving (£)": [1.0, 2.0]})
    chart = alt.Chart(data).mark_line().encode(x="Year:N", y="Net saving (£):Q")
    numbering.figure(chart, "fig-x", Figure("A title", "A subtitle", "A line chart.", data, tuple(sources["source_id"])))
    record = json.loads((tmp_path / figures.CHART_RECORDS / "fig-x.json").read_text(encoding="utf-8"))
    chart_images.render_image(record, tmp_path / "fig-x")
    png = tmp_path / "fig-x.png"
    assert chart_images.png_width(png) <= chart_images.MAX_PNG_PX
    svg = (tmp_path / "fig-x.svg").read_text(encoding="utf-8")
    bare = chart_images._svg(figures._export_chart(chart).to_dict())
    assert chart_images.svg_width(svg) <= max(chart_images.MIN_TEXT_PX, chart_images.svg_width(bare)) + 20  # no line wider
    assert "number 39 (2014)" in svg  # the last source still named: wrapped, not cut
    assert "Open Government Licence v3.0" in svg  # a name is not broken across two lines


def test_a_chart_draws_amounts_in_the_unit_of_its_table():
    data = pd.DataFrame({"Council": ["A", "B"], "NPV (£)": [692_902.7, 8_000_000.0]})
    npv = figures.amount(data, "NPV (£)")
    assert (npv.field, npv.unit) == ("NPV (£ million)", "£ million")
    assert list(figures.format_table(data).columns)[1] == "NPV (£m)"
    small = figures.amount(data.assign(**{"NPV (£)": [692_902.7, 868_552.0]}), "NPV (£)")
    assert (small.field, small.unit, small.divisor) == ("NPV (£ thousand)", "£ thousand", 1e3)
    spec = alt.Chart(data).transform_calculate(**npv.calculate).mark_bar().encode(y=npv.shorthand).to_dict()
    assert spec["transform"] == [{"calculate": 'datum["NPV (£)"] / 1e+06', "as": "NPV (£ million)"}]
    assert npv.tooltip().to_dict() == {"field": "NPV (£ million)", "type": "quantitative", "format": ",.1f"}


def test_a_line_legend_draws_lines_and_a_line_style_legend_draws_them_in_black():
    legend = palette.line_legend(dashed=True).to_dict()
    assert legend["symbolType"] == "stroke" and legend["symbolStrokeColor"] == palette.BLACK
    assert palette.line_legend(orient="bottom").to_dict()["orient"] == "bottom"


def test_every_code_cell_of_a_chapter_hides_its_code_and_the_parameters_cell_stays_one():
    for path in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
        tags = [c.get("metadata", {}).get("tags", []) for c in cells]
        assert tags[0] == ["parameters"], path.name  # papermill's parameters cell, removed by the build
        assert all("remove-input" in t for t in tags[1:]), path.name


def test_the_same_quantity_is_written_the_same_way_in_every_chapter(chapters):
    """The middle overrun on one-off costs: '84%', said as 'more than planned' in both chapters."""
    overrun = chapters["case_studies"].headlines["cost_overrun_median"]
    assert overrun.text == chapters["savings"].headlines["transition_cost_overrun_central"].text
    assert overrun.value == pytest.approx(chapters["case_studies"].headlines["cost_ratio_median"].value - 1)


def test_chapter_text_uses_real_minus_signs_and_one_value_for_a_range_of_one(chapters):
    alt_text = chapters["savings"].figures["fig-savings-typical"].alt_text
    assert hyphen_minus(alt_text) == [] and f"{MINUS}8%." in alt_text and f"{MINUS}8% to" not in alt_text
    assert savings.percent_range(10, 15) == "10% to 15%" and savings.percent_range(-8, -8) == f"{MINUS}8%"


def test_the_ends_of_a_range_searched_are_values_not_none(chapters):
    assert formats.range_end(0, "years") == "0 years" and formats.range_end(0, "uplift on one-off costs") == "0%"
    assert formats.range_end(-2.0, "share of the planned saving") == f"{MINUS}200%"
    shown = chapters["risk"].tables["tbl-risk-switching"].shown
    assert not shown[["Searched from", "Searched to"]].isin(["none", "no uplift"]).any().any()


def test_chart_data_is_in_pounds_with_legends_in_words(chapters):
    tornado = chapters["risk"].figures["fig-risk-tornado"].data
    assert set(tornado["End"]) == set(risk.TORNADO_LEGEND) and "NPV (£)" in tornado
    assert "NPV (£)" in chapters["risk"].figures["fig-risk-s-curve"].data
    assert "Cumulative net saving (£)" in chapters["savings"].figures["fig-savings-cumulative"].data
    assert "Present value (£)" in chapters["savings"].figures["fig-savings-pv"].data
    timeline = chapters["case_studies"].figures["fig-case-studies-timeline"].data
    assert pd.api.types.is_integer_dtype(timeline[case_studies.TIMELINE_START])


def test_releases_far_apart_are_not_joined_by_a_line():
    dates = pd.Series(["2011-12-01", "2013-01-29", "2014-05-01", "2018-01-01", "2019-07-05"])
    assert context.release_runs(dates) == ["2011 to 2014"] * 3 + ["2018 to 2019"] * 2
    assert context.release_runs(pd.Series(["2011-12-01"])) == ["2011"]
