"""The statements a UK public body's website must carry: an accessibility statement in the model format of the
accessibility regulations, which says how the site is tested in the terms of the tests themselves; a
corrections policy with a contact route (the repository's issue tracker); both listed in the contents and on
the front page."""
import re

import pytest
import yaml

from appraisal import paths

STATEMENT = paths.CHAPTERS / "accessibility.md"
CORRECTIONS = paths.CHAPTERS / "corrections.md"


def headings(text: str) -> list[str]:
    return re.findall(r"^#+ (.+)$", text, re.M)


def test_the_accessibility_statement_follows_the_model_format():
    text = STATEMENT.read_text(encoding="utf-8")
    assert headings(text) == [
        "Accessibility statement", "How accessible this website is", "If you need information in a different format",
        "Reporting accessibility problems with this website", "Enforcement procedure",
        "Technical information about this website's accessibility", "Compliance status", "Non-accessible content",
        "Non-compliance with the accessibility regulations", "Disproportionate burden",
        "Content that is not within the scope of the accessibility regulations",
        "What we are doing to improve accessibility", "Preparation of this accessibility statement"]
    flat = " ".join(text.split())
    assert "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018" in flat
    assert "partially compliant with the [Web Content Accessibility Guidelines version 2.2]" in flat and " AA standard" in flat
    assert "Equality and Human Rights Commission (EHRC)" in flat and "Equality Advisory and Support Service (EASS)" in flat
    assert "{{ issues }}" in text, "problems are reported on the repository's issue tracker"
    assert "built on\n{{ built }}" in text or "built on {{ built }}" in flat, "the date of the version tested comes from the build"


def test_the_statement_lists_the_known_limits():
    flat = " ".join(STATEMENT.read_text(encoding="utf-8").split())
    for limit in ("committee briefing PDF", "chart images offered for download", "pop-up labels on charts",
                  "what-if explorer", "no testing with a screen reader or by disabled people",
                  "search page and the index of terms"):
        assert limit in flat, limit
    for criterion in ("1.1.1", "1.4.1", "2.1.1", "1.4.13"):
        assert criterion in flat, criterion


def test_how_the_site_was_tested_matches_the_tests(tmp_path):
    """The widths, the accessibility engine and its version, and what it checks, are those of the test suite."""
    import test_browser
    import test_layout

    flat = " ".join(STATEMENT.read_text(encoding="utf-8").split())
    widths = ", ".join(f"{w:,}" for w in test_layout.WIDTHS[:-1]) + f" and {test_layout.WIDTHS[-1]:,} pixels wide"
    assert widths in flat
    axe = re.search(r"axe-core@([\d.]+)", (paths.ROOT / "Makefile").read_text()).group(1)
    assert f"axe-core accessibility engine (version {axe})" in flat
    assert "'serious', 'critical'" in test_layout.AXE_RUN and "rates serious or critical" in flat
    assert all(tag in test_layout.AXE_RUN for tag in ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"))
    (tmp_path / "chapters").mkdir()
    for name in ("search.html", "genindex.html", "chapters/index.html"):
        (tmp_path / name).write_text("<html></html>")
    assert test_browser.pages(tmp_path) == [tmp_path / "chapters" / "index.html"], \
        "the browser tests open the chapter pages only, so the statement says the search page was not checked"


def test_the_corrections_page_says_how_to_report_how_a_correction_is_published_and_how_to_make_contact():
    text = CORRECTIONS.read_text(encoding="utf-8")
    assert headings(text)[:5] == ["Corrections and contact", "How to contact us", "How to report an error",
                                  "What happens to a report", "How a correction is published"]
    flat = " ".join(text.split())
    assert "{{ issues }}" in text and "A released version is never changed." in flat
    assert "A correction is published as a new version" in flat and "{ref}`ch-what-changed`" in flat


def test_the_statements_are_in_the_contents_beside_about_this_publication():
    toc = yaml.safe_load((paths.ROOT / "_toc.yml").read_text())
    files = [entry["file"] for part in toc["parts"] for entry in part["chapters"]]
    about = files.index("chapters/about")
    assert files[about + 1:about + 3] == ["chapters/accessibility", "chapters/corrections"]


@pytest.mark.slow
def test_the_built_statements_link_the_issue_tracker_and_give_the_build_date(built):
    from appraisal.publication import release

    layout, _ = built
    tracker = yaml.safe_load((paths.ROOT / "_config.yml").read_text())["repository"]["url"].rstrip("/") + "/issues"
    built_on = release.current(paths.ROOT).built
    for name in ("accessibility", "corrections"):
        html = (layout.site_dir / "chapters" / f"{name}.html").read_text(encoding="utf-8")
        assert f'href="{tracker}"' in html, name
    html = (layout.site_dir / "chapters" / "accessibility.html").read_text(encoding="utf-8")
    assert f"built on\n{built_on}" in html or f"built on {built_on}" in html
    assert "{{" not in html
