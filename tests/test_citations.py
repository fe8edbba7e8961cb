"""Citations a reader can follow: every author-year label points at one source, an address that is not the
publisher's own page says whose copy it is, and each standard is cited in one edition."""
import re

import pandas as pd
import pytest

from appraisal.inputs import addresses, loading
from appraisal.inputs.errors import InputError
from appraisal.publication import bibliography


def sources(*rows) -> pd.DataFrame:
    return pd.DataFrame([dict(zip(["source_id", "publisher", "published", "title"], r)) for r in rows])


def test_two_sources_from_one_publisher_in_one_year_take_letters_in_order_of_publication():
    table = sources(("b", "Cambridge City Council", "2017-03-20", "Business plans"),
                    ("a", "Cambridge City Council", "2017-01-05", "Annual report"),
                    ("c", "Cambridge City Council", "2019", "Later report"),
                    ("d", "Room151", "c.2018", "Review"))
    assert bibliography.citation_years(table) == {"a": "2017a", "b": "2017b", "c": "2019", "d": "2018"}


def test_an_undated_source_is_cited_as_no_date_and_letters_go_on_past_z():
    assert bibliography.citation_years(sources(("x", "The MJ", "n.d.", "Devon"))) == {"x": "n.d."}
    assert [bibliography._suffix(n) for n in (0, 25, 26, 27)] == ["a", "z", "aa", "ab"]


def test_the_bibliography_gives_each_entry_its_lettered_year_and_whose_copy_the_address_is():
    table = sources(("a", "Room151", "2018", "One"), ("b", "Room151", "c.2018", "Two")).assign(
        url="https://example.org/x", accessed="2026-11-25", copy=["mirror: a development copy", None])
    bib = bibliography.bibtex_from_sources(table)
    assert "year = {2018a}" in bib and "year = {2018b}" in bib
    assert "accessed 2026-11-25; mirror: a development copy}" in bib
    assert bib.count("mirror") == 1


def test_every_citation_label_of_the_real_sources_is_unique():
    labels = bibliography.citation_labels(loading.load().table("sources"))
    repeated = pd.Series(labels).value_counts()
    assert list(repeated[repeated > 1].index) == []


def test_every_address_on_a_mirror_host_is_marked_as_a_copy():
    """The hosts that are never a publisher's own address are declared in appraisal/inputs/addresses.py."""
    table = loading.load().table("sources")
    unmarked = [r.source_id for r in table.itertuples() if addresses.host_kind(r.url) and pd.isna(r.copy)]
    assert unmarked == []


def test_each_standard_is_cited_in_one_edition():
    titles = loading.load().table("sources")["title"]
    assert titles.str.match(r"The Green Book\b").sum() == 1


def test_a_copy_must_say_what_kind_of_copy_it_is(data_copy):
    path = data_copy / "sources.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("mirror: reproduced on the South", "party copy on the South", 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        loading.load(data_dir=data_copy)
    assert any(re.match(r"data/sources\.csv: row \d+, column 'copy': .*must be blank for the publisher's own page",
                        p) for p in err.value.problems), err.value.problems


@pytest.mark.slow
def test_on_the_built_site_each_citation_label_links_to_one_source(built):
    """Every in-text citation '[Publisher, year]' on every page points at one source."""
    layout, _ = built
    by_label = {}
    for page in (layout.site_dir / "chapters").glob("*.html"):
        for sid, label in re.findall(r'class="reference internal" href="bibliography\.html#src-([^"]+)"[^>]*>([^<]+)</a>',
                                     page.read_text(encoding="utf-8")):
            by_label.setdefault(" ".join(label.split()), set()).add(sid)
    assert by_label, "no citation found on the built pages"
    assert {label: ids for label, ids in by_label.items() if len(ids) > 1} == {}
