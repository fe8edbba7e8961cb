"""The built site and every download in the site's own style: real minus signs, no estimate to more than three
significant figures, dates as dates, headers in readers' words with units, totals that add up as printed or
say that they may not, charts in the units of their tables with legends that tell every series apart, chart
images no wider than 2,400 pixels, and no code on the pages."""
import re

import pandas as pd
import pytest

from appraisal.publication import chart_images, figures
from style_checks import (MINUS, data_table, dataset, downloads, hyphen_minus, is_number, pages, read_download,
                          readers_header, specs, tables, too_precise, views, visible_text)

pytestmark = pytest.mark.slow

UNIT_OF_TABLE = {"(£m)": "£ million", "(£ thousand)": "£ thousand"}
SHARES_NOTE = figures.SHARES_NOTE


@pytest.fixture(scope="module")
def site(built):
    layout, _ = built
    return layout.site_dir


@pytest.fixture(scope="module")
def soups(site):
    return pages(site)


def test_no_page_shows_code_or_a_toggle_to_show_it(soups):
    shown = [name for name, soup in soups.items() if "Show code cell source" in soup.get_text(" ")
             or soup.select("div.cell_input, details.hide-input")]
    assert shown == []


def test_no_page_uses_a_hyphen_for_a_minus_sign(soups):
    found = {name: hyphen_minus(visible_text(soup)) for name, soup in soups.items()}
    assert {k: v[:3] for k, v in found.items() if v} == {}


def test_no_download_uses_a_hyphen_for_a_minus_sign_in_its_text(site):
    found = []
    for path in downloads(site):
        comments, header, rows = read_download(path)
        texts = comments + header + [cell for row in rows for cell in row if not is_number(cell)]
        found += [(path.name, hit) for text in texts for hit in hyphen_minus(text)]
    assert found == []


def test_no_table_shows_an_estimate_to_more_than_three_significant_figures(soups):
    found = []
    for name, soup in soups.items():
        for caption, head, rows, _ in tables(soup):
            for row in rows:
                found += [(name, caption[:40], h, cell) for h, cell in zip(head, row) if too_precise(h, cell)]
    assert found == []


def test_no_minus_zero_and_no_time_of_day_on_a_page_or_in_a_download(site, soups):
    minus_zero = re.compile(rf"(?<![\d.])[{MINUS}-]0(\.0+)?(?![\d.])")
    found = []
    for name, soup in soups.items():
        for _, _, rows, _ in tables(soup):
            found += [(name, c) for row in rows for c in row if minus_zero.fullmatch(c) or "00:00:00" in c]
    for path in downloads(site):
        _, _, rows = read_download(path)
        found += [(path.name, c) for row in rows for c in row if minus_zero.fullmatch(c) or "00:00:00" in c]
    assert found == []


def test_every_header_is_in_readers_words_and_downloads_give_their_units(site, soups):
    found = []
    for name, soup in soups.items():
        for caption, head, _, _ in tables(soup):
            found += [(name, caption[:40], h) for h in head if not readers_header(h)]
    for path in downloads(site):
        _, header, rows = read_download(path)
        found += [(path.name, h) for h in header if not readers_header(h)]
        for i, h in enumerate(header):
            numbers = [row[i] for row in rows if row[i] != ""]
            numeric = numbers and all(is_number(c) for c in numbers)
            if "£" in h and numeric and not ("full precision" in h or "£ million" in h):
                found.append((path.name, h, "amounts in pounds say they are at full precision"))
            if re.match(r"(Share|Chance|Likelihood|Cumulative probability)\b", h) and numeric and "(share" not in h:
                found.append((path.name, h, "a share says it is a share of 1, not a per cent"))
    assert found == []


def test_shares_of_one_whole_add_up_to_100_per_cent_as_printed_or_say_they_may_not(soups):
    found = []
    for name, soup in soups.items():
        for caption, head, rows, table in tables(soup):
            region = table.find_parent("div", class_="table-scroll")
            notes = [p.get_text() for p in region.find_next_siblings("p", class_="table-note")] if region else []
            for i, h in enumerate(head):
                if not h.startswith("Share"):
                    continue
                values = [float(r[i].replace(MINUS, "-").rstrip("%")) for r in rows if r[i].endswith("%")]
                run = 0.0
                for v in values:
                    run += v
                    if abs(run - 100) <= 0.5:
                        if round(run, 6) != 100 and SHARES_NOTE not in notes:
                            found.append((name, caption[:40], h, round(run, 1)))
                        run = 0.0
    assert found == []


def test_net_and_running_totals_add_up_as_printed_or_say_they_may_not(soups):
    """Table 2.1 (NPV = savings − costs + residual value) and Table 2.3 (running totals), as printed."""
    savings = soups["chapters/savings.html"]
    by_caption = {caption.split(":")[0]: (head, rows, table) for caption, head, rows, table in tables(savings)}

    def numbers(head, rows, name):
        i = head.index(name)
        return [float(r[i].replace(MINUS, "-").replace(",", "")) for r in rows]

    def noted(table):
        region = table.find_parent("div", class_="table-scroll")
        return figures.TOTALS_NOTE in [p.get_text() for p in region.find_next_siblings("p", class_="table-note")]

    head, rows, table = by_caption["Table 2.1"]
    unit = re.search(r"\((£[^)]*)\)", head[2]).group(1)
    pv, cost, residual, npv = (numbers(head, rows, f"{n} ({unit})") for n in
                               ("PV savings in the period", "PV one-off costs", "Residual value", "NPV"))
    adds_up = all(round(a - b + c, 6) == n for a, b, c, n in zip(pv, cost, residual, npv))
    assert adds_up or noted(table)
    head, rows, table = by_caption["Table 2.3"]
    unit = re.search(r"\((£[^)]*)\)", head[1]).group(1)
    each, running = (numbers(head, rows, f"{n} ({unit})") for n in
                     ("Discounted net saving", "Cumulative discounted net saving"))
    totals = [round(sum(each[:k + 1]), 6) for k in range(len(each))]
    assert totals == running or noted(table)


def test_no_range_in_the_text_mixes_thousands_with_millions(soups):
    """'from £918,000 to £21.2 million' claims a precision the larger figure cannot support."""
    amount = rf"(?:a net (?:saving|cost) of )?{MINUS}?£"
    mixed = re.compile(rf"\b(?:from|between) {amount}\d{{1,3}},\d{{3}} (?:to|and) {amount}[\d.]+ (?:million|billion)")
    found = {name: mixed.findall(" ".join(visible_text(soup).split())) for name, soup in soups.items()}
    assert {k: v for k, v in found.items() if v} == {}


def test_every_legend_tells_its_series_apart(soups):
    """A series drawn with both a colour and a line style has the line style in a legend drawn as lines (or
    one legend for both, on the same field), and no legend names a unit the axis does not use."""
    found = []
    for name, soup in soups.items():
        for fig_id, spec in specs(soup).items():
            rows = dataset(spec)
            for view in views(spec):
                enc = view.get("encoding", {})
                mark = view["mark"] if isinstance(view["mark"], dict) else {"type": view["mark"]}
                dash, colour = enc.get("strokeDash"), enc.get("color")
                if dash and dash.get("field") and colour and colour.get("field"):
                    same = dash["field"] == colour["field"]
                    legend = dash.get("legend", {})
                    if not same and (legend is None or legend.get("symbolType") != "stroke" or mark.get("point")):
                        found.append((fig_id, "the line styles' legend does not draw lines"))
                    if same and (dash.get("legend", {}) is None) != (colour.get("legend", {}) is None):
                        found.append((fig_id, "colour and line style on one field have different legends"))
                for channel in ("color", "shape", "strokeDash"):
                    field = (enc.get(channel) or {}).get("field")
                    labels = {str(r.get(field)) for r in rows} if field else set()
                    found += [(fig_id, label) for label in labels if "(£" in label]
    assert found == []


def test_every_chart_draws_amounts_in_the_unit_of_its_data_table(soups):
    found = []
    for name, soup in soups.items():
        for fig_id, spec in specs(soup).items():
            head = " ".join(data_table(soup, fig_id))
            units = [words for unit, words in UNIT_OF_TABLE.items() if unit in head]
            for view in views(spec):
                for channel in ("x", "y"):
                    enc = view.get("encoding", {}).get(channel) or {}
                    field, title = enc.get("field", ""), enc.get("title") or enc.get("field", "")
                    if enc.get("type") != "quantitative" or "£" not in f"{field}{title}":
                        continue
                    if "(£)" in field or "£," in str(title) or "(£)" in str(title):
                        found.append((fig_id, channel, field, title, "in pounds"))
                    elif units and not any(u in str(title) for u in units):
                        found.append((fig_id, channel, title, f"the table is in {units[0]}"))
    assert found == []


def test_the_timeline_draws_cases_still_running_as_still_running(soups):
    spec = specs(soups["chapters/case_studies.html"])["fig-case-studies-timeline"]
    ends = [v for v in views(spec) if (v.get("encoding", {}).get("shape") or {}).get("field") == "Status"]
    assert ends, "each bar's end is drawn by its status"
    scale = ends[0]["encoding"]["shape"]["scale"]
    shapes = dict(zip(scale["domain"], scale["range"]))
    assert len(set(shapes.values())) == len(shapes) and "continuing" in shapes
    assert ends[0]["encoding"]["shape"].get("legend", {}) is not None  # named in the legend
    x = next(v["encoding"]["x"] for v in views(spec) if "x2" in v.get("encoding", {}))
    assert x["axis"]["format"] == "d" and x["axis"]["labelOverlap"]  # years as years; labels never overlap


def test_the_lga_chart_draws_years_without_a_release_as_a_gap(soups):
    spec = specs(soups["chapters/context.html"])["fig-context-lga-map"]
    [line] = [v for v in views(spec) if (v["mark"] if isinstance(v["mark"], str) else v["mark"]["type"]) == "line"]
    detail = line["encoding"]["detail"]["field"]
    data = pd.DataFrame(dataset(spec)).assign(when=lambda df: pd.to_datetime(df["Date of release"]))
    for _, run in data.sort_values("when").groupby(detail):
        assert run["when"].diff().max() <= pd.Timedelta(days=2 * 366) or len(run) == 1
    assert data[detail].nunique() > 1  # the data has a gap, and the line breaks there


def test_every_chart_image_is_at_most_2400_pixels_wide(site):
    widths = {p.name: chart_images.png_width(p) for p in sorted((site / "downloads").glob("*.png"))}
    assert widths and {k: v for k, v in widths.items() if v > chart_images.MAX_PNG_PX} == {}
