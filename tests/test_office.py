"""The formats committee papers are written in: the committee briefing as a Word document (real headings, lists,
tables with captions and alt text, images with alt text, links to the published site, what is only for the
screen left out) made from the built briefing page; every table of the site in one OpenDocument spreadsheet
(a cover sheet with the contents, a notes sheet, one sheet per table with the values of its CSV download, units
in the headings, no merged cells, no blank rows), read back with pandas; both the same bytes when made twice,
and both on the downloads page and in the published files."""
import base64
import json
import re
import zipfile
from types import SimpleNamespace

import docx
import numpy as np
import pandas as pd
import pytest
from docx.oxml.ns import qn

from appraisal.pipeline import office

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg==")
PAGE = """<html><body><main><article class="bd-article"><section id="briefing">
<h1>Committee briefing<a class="headerlink" href="#briefing">#</a></h1>
<p><strong>A test briefing. Version 9.9.</strong></p>
<p class="web-only">Also as a <a href="../downloads/committee-briefing.pdf">PDF for printing</a>.</p>
<section id="headline"><h2>Headline<a class="headerlink" href="#headline">#</a></h2>
<ul class="simple"><li><p><strong><a class="reference internal" href="glossary.html#term-NPV">Central estimate</a></strong>
 is <a class="figure-ref" href="register.html#x">a net saving of £2.1 million</a><a class="figure-ref figure-ref-marker" href="register.html#x">ⓘ</a>.</p></li></ul>
<ol><li><p>First point.</p></li><li><p>Second point.</p></li></ol>
<p>Between the lists.</p>
<ol><li><p>A new list.</p></li></ol>
<img src="chart.png" alt="A bar chart of the saving by council.">
</section>
<section id="by-council"><h2>By council</h2>
<div class="table-scroll"><table class="data-table"><caption>Each council's central NPV</caption>
<thead><tr><th scope="col">Council</th><th scope="col" class="num">NPV (£ thousand)</th></tr></thead>
<tbody><tr><td>Ayton</td><td class="num">577</td></tr><tr><td>Beeford</td><td class="num">−12</td></tr></tbody></table></div>
</section>
<script type="application/json">{"not": "text"}</script>
</section></article></main></body></html>"""


@pytest.fixture
def briefing(tmp_path):
    page = tmp_path / "chapters" / "briefing.html"
    page.parent.mkdir()
    page.write_text(PAGE, encoding="utf-8")
    (tmp_path / "chapters" / "chart.png").write_bytes(PNG)
    target = office.briefing_docx(page, tmp_path / "out.docx", "https://example.org/site/chapters/briefing.html",
                                  "A test publication", "2026-01-02")
    return target, docx.Document(str(target))


def test_the_word_briefing_has_real_headings_lists_and_links_and_leaves_out_what_is_only_for_the_screen(briefing):
    path, document = briefing
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert styles[0] == ("Heading 1", "Committee briefing")
    assert ("Heading 2", "Headline") in styles and ("Heading 2", "By council") in styles
    assert ("List Bullet", "Central estimate is a net saving of £2.1 million.") in styles
    assert [t for s, t in styles if s == "List Number"] == ["First point.", "Second point.", "A new list."]
    text = "\n".join(t for _, t in styles)
    assert "PDF for printing" not in text and "#" not in text and "ⓘ" not in text and "not" not in text.split()
    links = re.findall(r'Target="([^"]+)"', zipfile.ZipFile(path).read("word/_rels/document.xml.rels").decode())
    assert "https://example.org/site/chapters/glossary.html#term-NPV" in links
    assert not any("register.html" in link for link in links)  # a number's own marker is for the screen only
    assert document.core_properties.title == "A test publication: Committee briefing"
    assert document.core_properties.language == "en-GB"


def test_each_numbered_list_of_the_word_briefing_starts_again_at_one(briefing):
    _, document = briefing
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert ids[0] == ids[1] != ids[2]
    numbering = document.part.numbering_part.element
    for num_id in set(ids):
        num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(num_id))
        assert num.find(qn("w:lvlOverride")).find(qn("w:startOverride")).get(qn("w:val")) == "1"


def test_the_word_briefing_tables_have_a_caption_alt_text_and_a_repeated_header_row(briefing):
    _, document = briefing
    [table] = document.tables
    assert [[c.text for c in r.cells] for r in table.rows] == [["Council", "NPV (£ thousand)"], ["Ayton", "577"],
                                                             ["Beeford", "−12"]]
    props = table._tbl.tblPr
    assert props.find(qn("w:tblCaption")).get(qn("w:val")) == "Each council's central NPV"
    assert props.find(qn("w:tblDescription")).get(qn("w:val"))
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert any(p.style.name == "Caption" and p.text == "Each council's central NPV" for p in document.paragraphs)
    assert table.rows[1].cells[1].paragraphs[0].alignment == 2  # numbers to the right


def test_every_image_of_the_word_briefing_has_its_alt_text(briefing):
    _, document = briefing
    pictures = document.element.body.findall(".//" + qn("wp:docPr"))
    assert [p.get("descr") for p in pictures] == ["A bar chart of the saving by council."]


def test_the_word_briefing_is_the_same_bytes_when_made_twice(briefing, tmp_path):
    path, _ = briefing
    again = office.briefing_docx(tmp_path / "chapters" / "briefing.html", tmp_path / "again.docx",
                                 "https://example.org/site/chapters/briefing.html", "A test publication", "2026-01-02")
    assert again.read_bytes() == path.read_bytes()
    assert {i.date_time for i in zipfile.ZipFile(path).infolist()} == {office.ZIP_TIME}


def table_csv(folder, label, title, header, rows):
    lines = [f"# {title}", "# Source: A source (2020)", "# Version 9.9", "# Licence: A licence", ",".join(header)]
    lines += [",".join(r) for r in rows]
    (folder / f"{label}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def workbook(tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    table_csv(downloads, "tbl-risk-yearly", "Table 4.2: Chance of a loss each year", ["Year", "Chance of a loss"],
              [["2015-16", "0.25"], ["2016-17", "0.125"]])
    table_csv(downloads, "tbl-context-councils", "Table 1.1: The councils",
              ["Council", "Population", "Spending (£)", "Note"], [["Ayton", "1200", "5000.5", ""],
                                                                  ["Beeford", "800", "-12", "a note, quoted"]])
    table_csv(downloads, "tbl-data-log", "Table B.1: Data log", ["Source id", "Title", "Ended", "Included"],
              [["a", "A", "2016", "True"], ["b", "B", "ongoing", "False"]])
    (downloads / "fig-ignored.csv").write_text("# Figure 1.1: not a table\nx\n1\n", encoding="utf-8")
    # a quoted cell with a comma
    path = downloads / "tbl-context-councils.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("a note, quoted", '"a note, quoted"'), encoding="utf-8")
    book = office.Workbook("A test publication", "9.9", "2026-01-02", "A licence", "an address")
    target = office.tables_ods(office.site_tables(downloads), tmp_path / "tables.ods", book)
    return downloads, target


def sheet_table(sheet: pd.DataFrame, first_heading: str) -> pd.DataFrame:
    """The table on a sheet: from the row whose first cell is its first heading to the end."""
    start = next(i for i, v in enumerate(sheet[0]) if v == first_heading)
    table = sheet.iloc[start + 1:].reset_index(drop=True)
    table.columns = list(sheet.iloc[start])
    return table


def test_the_spreadsheet_has_a_cover_with_contents_a_notes_sheet_and_one_sheet_per_table_in_order(workbook):
    _, path = workbook
    sheets = pd.read_excel(path, engine="calamine", sheet_name=None, header=None)
    assert list(sheets) == ["Cover", "Notes", "Context_councils", "Risk_yearly", "Data_log"]
    cover = sheets["Cover"]
    assert cover.iloc[0, 0] == "A test publication: every table"
    contents = sheet_table(cover, "Worksheet")
    assert list(contents["Worksheet"]) == ["Notes", "Context_councils", "Risk_yearly", "Data_log"]
    assert list(contents["Stable label (the CSV download's name)"])[1:] == ["tbl-context-councils", "tbl-risk-yearly",
                                                                          "tbl-data-log"]
    notes = sheet_table(sheets["Notes"], "Note number")
    assert list(notes["Note number"]) == [n for n, _ in office.NOTES]
    assert "licence" in " ".join(cover[0].astype(str)).lower()
    content = zipfile.ZipFile(path).read("content.xml").decode()
    assert 'xlink:href="#Risk_yearly.A1"' in content  # the contents link to each sheet


def test_each_sheet_holds_the_values_of_its_csv_with_units_in_the_headings(workbook):
    downloads, path = workbook
    sheets = pd.read_excel(path, engine="calamine", sheet_name=None, header=None)
    for label, name in (("tbl-context-councils", "Context_councils"), ("tbl-risk-yearly", "Risk_yearly")):
        expected = pd.read_csv(downloads / f"{label}.csv", comment="#")
        sheet = sheets[name]
        assert sheet.iloc[0, 0] == (downloads / f"{label}.csv").read_text(encoding="utf-8").splitlines()[0][2:]
        got = sheet_table(sheet, expected.columns[0])
        assert len(got) == len(expected)
        for k, column in enumerate(expected.columns):
            assert str(got.columns[k]).startswith(column)
            assert_same_values(got.iloc[:, k], expected[column], f"{label}: {column}")
    log = sheet_table(sheets["Data_log"], "Source id")
    assert list(log["Ended"]) == ["2016", "ongoing"]  # a column of numbers and words stays words, as in the CSV
    assert list(log["Included"]) == [True, False]
    yearly = sheet_table(sheets["Risk_yearly"], "Year")
    assert list(yearly.columns) == ["Year", "Chance of a loss (proportion, 1 = 100%)"]


def assert_same_values(got: pd.Series, expected: pd.Series, where: str) -> None:
    for a, b in zip(got, expected):
        if pd.isna(b):
            assert pd.isna(a), where
        elif isinstance(b, (bool, np.bool_)):
            assert a is True or a is False or isinstance(a, np.bool_), where
            assert bool(a) == bool(b), where
        elif isinstance(b, str):
            assert a == b, where
        else:
            assert float(a) == pytest.approx(float(b), rel=1e-12, abs=1e-12), where


def test_the_spreadsheet_has_no_merged_cells_no_blank_rows_and_a_named_table_on_each_sheet(workbook):
    _, path = workbook
    content = zipfile.ZipFile(path).read("content.xml").decode()
    assert "number-columns-spanned" not in content and "number-rows-spanned" not in content
    sheets = pd.read_excel(path, engine="calamine", sheet_name=None, header=None)
    for name, sheet in sheets.items():
        assert not sheet.isna().all(axis=1).any(), f"a blank row on {name}"
        assert sheet.shape[1] >= 1 and isinstance(sheet.iloc[0, 0], str)
    ranges = re.findall(r'table:database-range table:name="([^"]+)" table:target-range-address="\$([^.]+)\.', content)
    assert {sheet for _, sheet in ranges} == set(sheets)
    with zipfile.ZipFile(path) as zf:
        first = zf.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert zf.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert "<dc:language>en-GB</dc:language>" in zf.read("meta.xml").decode()


def test_a_table_with_blank_cells_says_so_above_it(workbook):
    _, path = workbook
    sheets = pd.read_excel(path, engine="calamine", sheet_name=None, header=None)
    above = " ".join(sheets["Context_councils"][0].astype(str)[:5])
    assert "blank" in above
    assert "blank" not in " ".join(sheets["Risk_yearly"][0].astype(str)[:5])


def test_the_spreadsheet_is_the_same_bytes_when_made_twice(workbook, tmp_path):
    downloads, path = workbook
    book = office.Workbook("A test publication", "9.9", "2026-01-02", "A licence", "an address")
    again = office.tables_ods(office.site_tables(downloads), tmp_path / "again.ods", book)
    assert again.read_bytes() == path.read_bytes()


def test_the_downloads_page_offers_both_files_under_the_names_they_are_written_with():
    edition = SimpleNamespace(version="2026.1", scenario=(), file_tag="2026.1")
    html = office.downloads_html(edition)
    assert 'href="../downloads/committee-briefing.docx"' in html
    assert 'href="../downloads/all-tables-2026.1.ods"' in html
    assert office.ods_name("2026.1", scenario=True) == "all-tables-2026.1-scenario.ods"


# --- On the real build ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(built):
    layout, _ = built
    return layout


@pytest.mark.slow
def test_the_built_word_briefing_has_the_briefing_headline_headings_and_table(site):
    from bs4 import BeautifulSoup

    path = site.site_dir / "downloads" / office.DOCX
    document = docx.Document(str(path))
    page = BeautifulSoup((site.site_dir / "chapters" / "briefing.html").read_text(encoding="utf-8"), "html.parser")
    main = page.find("article", class_="bd-article")
    heading_text = lambda h: re.sub(r"\s+", " ", h.get_text()).replace("#", "").strip()  # noqa: E731
    headings = [(f"Heading {h.name[1]}", heading_text(h)) for h in main.find_all(["h1", "h2", "h3"])]
    assert [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")] == headings
    text = " ".join(p.text for p in document.paragraphs)
    savings = json.loads((site.exports / "savings_headlines.json").read_text())
    assert f"Central estimate: {savings['npv_central_text']['text']}" in text
    risk = json.loads((site.exports / "risk_headlines.json").read_text())
    for rank in (1, 2, 3):
        assert risk[f"driver_{rank}"]["text"] in text
    # The briefing's table, cell by cell, with its caption.
    [html_table] = main.find_all("table")
    expected = [[re.sub(r"\s+", " ", c.get_text()).strip() for c in r.find_all(["th", "td"])]
                for r in html_table.find_all("tr")]
    [table] = document.tables
    assert [[c.text for c in r.cells] for r in table.rows] == expected
    assert table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == html_table.caption.get_text().strip()
    images = main.find_all("img")
    pictures = document.element.body.findall(".//" + qn("wp:docPr"))
    assert len(pictures) == len([i for i in images if i.get("src", "").endswith((".png", ".jpg", ".jpeg", ".gif"))])
    assert all(p.get("descr") for p in pictures)
    assert "Open Government Licence v3.0" in text  # the licence, as on every download


@pytest.mark.slow
def test_the_built_spreadsheet_has_every_table_with_the_values_of_its_csv(site):
    from appraisal.publication import release

    downloads = site.site_dir / "downloads"
    from test_build_end_to_end import expected_file_tag

    path = downloads / office.ods_name(expected_file_tag(site))
    sheets = pd.read_excel(path, engine="calamine", sheet_name=None, header=None)
    csvs = sorted(downloads.glob("tbl-*.csv"))
    assert len(csvs) > 10 and len(sheets) == len(csvs) + 2
    assert list(sheets)[:2] == ["Cover", "Notes"]
    contents = sheet_table(sheets["Cover"], "Worksheet")
    assert list(contents["Worksheet"]) == list(sheets)[1:]
    by_label = dict(zip(contents["Stable label (the CSV download's name)"], contents["Worksheet"]))
    for csv_path in csvs:
        expected = pd.read_csv(csv_path, comment="#")
        sheet = sheets[by_label[csv_path.stem]]
        title = csv_path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
        assert sheet.iloc[0, 0] == title
        got = sheet_table(sheet, expected.columns[0])
        assert len(got) == len(expected), csv_path.name
        for k, column in enumerate(expected.columns):
            assert str(got.columns[k]).startswith(column), (csv_path.name, column)
            assert_same_values(got.iloc[:, k], expected[column], f"{csv_path.name}: {column}")
        assert not sheet.isna().all(axis=1).any(), f"a blank row on {csv_path.name}"
    content = zipfile.ZipFile(path).read("content.xml").decode()
    assert "number-columns-spanned" not in content and "number-rows-spanned" not in content
    assert "Open Government Licence v3.0" in " ".join(sheets["Cover"][0].astype(str))


@pytest.mark.slow
def test_the_downloads_page_links_both_files(site):
    from appraisal.publication import release

    page = (site.site_dir / "chapters" / "downloads.html").read_text(encoding="utf-8")
    from test_build_end_to_end import expected_file_tag

    for name in (office.DOCX, office.ods_name(expected_file_tag(site))):
        assert f'href="../downloads/{name}"' in page
        assert (site.site_dir / "downloads" / name).is_file()
