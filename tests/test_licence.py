"""The licence of the text and data (the Open Government Licence v3.0, as CITATION.cff says) is stated on every
page and carried by every download: a comment line in each CSV (which still loads), the footer line of each
chart image, LICENCE.txt in the zip of all downloads and beside them, and the briefing PDF."""
import io
import re
import zipfile

import pandas as pd
import pytest

from appraisal import paths
from appraisal.publication import licence, release
from appraisal.publication.figures import Numbering


def sources() -> pd.DataFrame:
    return pd.DataFrame({"source_id": ["s1"], "publisher": ["A council"], "published": ["2014"],
                         "title": ["A paper"]})


def test_the_licence_is_the_one_citation_cff_names():
    text = (paths.ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(r'^license:\s*"?([^"\n]+?)"?\s*$', text, re.M).group(1) == licence.SPDX == "OGL-UK-3.0"
    assert licence.URL == "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    assert licence.title(paths.ROOT / "CITATION.cff").startswith("Sharing ICT and legal services in Cambridgeshire")


def test_a_csv_download_carries_the_licence_in_a_comment_line_and_still_loads(tmp_path):
    numbering = Numbering("2", sources(), tmp_path, version="Version 2026.1")
    numbering._write_csv(pd.DataFrame({"Council": ["A", "B"], "Value": [1.5, -2.0]}), "fig-x.csv", "Figure 2.1: X", ["s1"])
    text = (tmp_path / "chapter-downloads" / "fig-x.csv").read_text(encoding="utf-8")
    assert text.splitlines()[3] == f"# Licence: Open Government Licence v3.0 ({licence.URL})"
    data = pd.read_csv(io.StringIO(text), comment="#")
    assert list(data.columns) == ["Council", "Value"] and list(data["Value"]) == [1.5, -2.0]


def test_a_chart_image_names_the_licence_in_its_footer_line():
    numbering = Numbering.__new__(Numbering)
    numbering.sources, numbering.version = sources(), "Version 2026.1"
    assert numbering._footer(["s1"]).endswith("Version 2026.1. Open Government Licence v3.0.")


def test_the_licence_file_says_what_it_covers_and_how_to_credit():
    text = licence.text("A title", "Version 2026.2")
    assert licence.URL in text and 'Contains information from "A title" (Version 2026.2)' in text
    assert "own terms" in text


# On the built site.

@pytest.mark.slow
def test_every_page_states_the_licence_in_its_footer(built):
    layout, _ = built
    pages = sorted((layout.site_dir / "chapters").glob("*.html"))
    assert len(pages) > 10
    link = f'<a href="{licence.URL}" rel="license">Open Government Licence v3.0</a>'
    assert [p.name for p in pages if link not in p.read_text(encoding="utf-8")] == []


@pytest.mark.slow
def test_every_download_carries_the_licence(built):
    layout, _ = built
    downloads = layout.site_dir / "downloads"
    version = release.read_version()[0]
    csvs = [p for p in downloads.glob("*.csv") if not p.name.startswith("figures_register")]
    assert csvs and [p.name for p in csvs if f"# {licence.line()}" not in p.read_text(encoding="utf-8").splitlines()[:4]] == []
    svgs = list(downloads.glob("*.svg"))
    assert svgs and [p.name for p in svgs if "Open Government Licence v3.0" not in p.read_text(encoding="utf-8")] == []
    from test_build_end_to_end import expected_label

    assert expected_label(layout) in (downloads / licence.FILE).read_text(encoding="utf-8")
    [bundle] = downloads.glob("all-downloads-*.zip")
    with zipfile.ZipFile(bundle) as zf:
        assert zf.read(licence.FILE) == (downloads / licence.FILE).read_bytes()
    pdf = downloads / "committee-briefing.pdf"
    if pdf.exists():  # printed only where Chromium is installed
        from pypdf import PdfReader

        assert "Open Government Licence v3.0" in " ".join(page.extract_text() for page in PdfReader(pdf).pages)
