"""Sources at their publishers. No development copy, app-hosting copy, code repository, Wikipedia mirror or web
archive is the main address of a source; a copy (a party's website, a document-sharing site, a research
database) is the main address only where the publisher's own page is not known, and the row says so; a copy read
beside a known publisher's page is kept with whose copy it is. Every source's quality follows the data log's
rule (medium for secondary or mirror copies), checked by code on every row: a row that breaks it is refused
with its file, row and column."""
import csv
import re

import pytest

from appraisal.inputs import addresses, loading
from appraisal.inputs.errors import InputError
from appraisal.publication import bibliography

# An example address of each declared kind of host that is not a publisher's own site.
NOT_PUBLISHERS = {
    "https://room151.dev.docandtee.com/resources/lack-of-benefits": "a development or staging copy",
    "https://staging.example.org/page": "a development or staging copy",
    "https://www-staging.example.org/page": "a development or staging copy",
    "https://www-ukauthority-com.azurewebsites.net/articles/x": "an app-hosting copy",
    "https://example.herokuapp.com/report": "an app-hosting copy",
    "https://github.com/BBC-Data-Unit/council-cuts-charts": "a code-hosting site",
    "https://raw.githubusercontent.com/owner/repo/main/outturn.csv": "a code-hosting site",
    "https://kiwix.casplantje.nl/wikipedia_en_all_maxi_2018-10/A/Huntingdonshire.html": "a Wikipedia mirror",
    "http://piglix.com/piglix-tmpl.php?title=Huntingdonshire": "a Wikipedia mirror",
    "https://wikimili.com/en/Tri-borough_shared_services": "a Wikipedia mirror",
    "https://web.archive.org/web/2015/http://www.lbhf.gov.uk/": "a web archive",
    "https://scambsconservatives.org.uk/news/quick-update-scdc": "a political party's or campaign's website",
    "https://www.labour.org.uk/news": "a political party's or campaign's website",
    "https://docslib.org/doc/5771674/services-shared": "a document-sharing website",
    "https://pdfslide.net/documents/year-end-report.html": "a document-sharing website",
    "https://vlex.co.uk/vid/good-to-share-the-900908681": "a research database",
    "https://law-journals-books.vlex.com/vid/the-finances": "a research database",
    "https://ppponline.affinitext.com/public/book?id=1343": "an online library",
}
# Publishers' own addresses that no pattern may mistake for a copy.
PUBLISHERS = [
    "https://www.room151.co.uk/resources/lack-of-benefits-prompts-shared-services-rethink/",
    "https://www.ukauthority.com/articles/shared-services-now-nearly-universal",
    "https://en.wikipedia.org/wiki/Huntingdonshire", "https://www.gov.uk/government/statistics/outturn",
    "https://www.conservativehome.com/localgovernment/2017/03/x.html", "https://web.dev/articles/x",
    "https://dev.to/x", "https://democracy.cambridge.gov.uk/ieDecisionDetails.aspx?Id=4330",
    "https://www.bbc.co.uk/news/uk-england-somerset-35039696", "https://doi.org/10.1111/padm.12575",
    "https://www.campaignlive.co.uk/article/x", "https://www.thestage.co.uk/news/x",
]


def real_sources():
    return loading.load().table("sources")


def given(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


@pytest.mark.parametrize("url,kind", NOT_PUBLISHERS.items())
def test_each_declared_kind_of_host_is_recognised(url, kind):
    found = addresses.host_kind(url)
    assert found is not None and found.name.startswith(kind), (url, found)


@pytest.mark.parametrize("url", PUBLISHERS)
def test_a_publishers_own_address_is_not_taken_for_a_copy(url):
    assert addresses.host_kind(url) is None


def test_no_development_or_unrelated_host_is_the_main_address_of_any_source():
    """Development and app-hosting copies, code repositories holding data files, Wikipedia mirrors and web
    archives always copy a page with a public address of its own, so they are never the main address."""
    unrelated = {r.source_id: addresses.host(r.url) for r in real_sources().itertuples()
                 if (kind := addresses.host_kind(r.url)) and kind.never_main}
    assert unrelated == {}


def test_the_copies_named_in_the_issue_are_kept_beside_the_publishers_own_pages():
    table = real_sources().set_index("source_id")
    expected = {"room151castlerigg": "www.room151.co.uk", "room151lgss": "www.room151.co.uk",
                "ukauthority2014universal": "www.ukauthority.com", "ukauthority2017birmingham": "www.ukauthority.com",
                "wiki2018huntingdonshire": "en.wikipedia.org", "dclg2014rs1213": "www.gov.uk",
                "dclg2015rs1314": "www.gov.uk", "dclg2015rs1415": "www.gov.uk", "mhclg2018rs1718": "www.gov.uk"}
    assert {sid: addresses.host(table.at[sid, "url"]) for sid in expected} == expected
    kept = {sid: addresses.host_kind(table.at[sid, "kept_copy_url"]).name.split(" (")[0] for sid in expected}
    assert set(kept.values()) == {"a development or staging copy", "an app-hosting copy", "a Wikipedia mirror",
                                  "a code-hosting site"}


def test_a_copy_is_the_main_address_only_where_the_row_says_the_publishers_page_is_not_known():
    table = real_sources()
    copies = table[[addresses.main_address_is_a_copy(r) for r in table.to_dict("records")]]
    assert "scdc2014release" in set(copies["source_id"])  # the council's release, read on a party's website
    for row in copies.itertuples():
        assert given(row.copy) and addresses.NOT_KNOWN in row.copy, row.source_id
        assert not given(row.kept_copy_url), row.source_id


def test_every_source_with_a_copy_as_its_main_address_has_the_quality_the_rule_gives():
    table = real_sources()
    rated = {r["source_id"]: (r["quality"], addresses.highest_quality(r)) for r in table.to_dict("records")}
    assert {sid: q for sid, q in rated.items() if addresses.RATINGS.index(q[0]) > addresses.RATINGS.index(q[1])} == {}
    copies = [r for r in table.to_dict("records") if addresses.main_address_is_a_copy(r)]
    assert copies and all(r["quality"] in ("medium", "low") for r in copies)


def test_every_kept_copy_says_whose_copy_it_is():
    for row in real_sources().itertuples():
        assert given(row.kept_copy_url) == given(row.kept_copy), row.source_id
        if given(row.kept_copy_url):
            assert re.match(addresses.COPY_PATTERN, row.kept_copy) and row.kept_copy_url != row.url, row.source_id


def test_the_rule_caps_copies_and_secondary_sources_at_medium():
    publisher = {"url": "https://www.gov.uk/x", "copy": None, "kind": "official statistics"}
    assert addresses.highest_quality(publisher) == "high"
    assert addresses.highest_quality({**publisher, "kept_copy_url": "https://github.com/a/b"}) == "high"
    assert addresses.highest_quality({**publisher, "copy": "mirror: someone's copy"}) == "medium"
    assert addresses.highest_quality({**publisher, "url": "https://vlex.co.uk/vid/x"}) == "medium"
    assert addresses.highest_quality({**publisher, "kind": "encyclopaedia (archived)"}) == "medium"
    assert addresses.highest_quality({**publisher, "kind": "press release (reproduced)"}) == "medium"


def edit_source(data_dir, source_id, **values) -> int:
    """Change cells of one source in a copy of data/sources.csv; its spreadsheet row number."""
    path = data_dir / "sources.csv"
    with open(path, encoding="utf-8", newline="") as f:
        records = list(csv.reader(f))
    header = records[0]
    at = next(n for n, r in enumerate(records) if r[0] == source_id)
    for column, value in values.items():
        records[at][header.index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(records)
    return at + 1


def problems(data_dir) -> list[str]:
    with pytest.raises(InputError) as err:
        loading.load(data_dir=data_dir)
    return err.value.problems


def test_a_source_read_at_a_mirror_and_rated_high_is_refused_with_its_row_and_column(data_copy):
    row = edit_source(data_copy, "gfoa2010ruggini", quality="high")
    assert problems(data_copy) == [
        f"data/sources.csv: row {row}, column 'quality': value 'high' breaks the data log's rule: its main address "
        "is a mirror or archived copy, so it is rated medium, or low where the figure is unverified"]


def test_a_secondary_source_rated_high_is_refused(data_copy):
    row = edit_source(data_copy, "wiki2016southcambs", quality="high")
    found = problems(data_copy)
    assert len(found) == 1 and found[0].startswith(f"data/sources.csv: row {row}, column 'quality': value 'high' "
                                                   "breaks the data log's rule: it is a secondary source"), found


def test_a_development_copy_as_the_main_address_is_refused(data_copy):
    row = edit_source(data_copy, "room151lgss", url="https://room151.dev.docandtee.com/lack")
    found = problems(data_copy)
    assert found[0] == (
        f"data/sources.csv: row {row}, column 'url': value 'https://room151.dev.docandtee.com/lack' is on a development "
        "or staging copy (room151.dev.docandtee.com), which is never a source's main address: cite the publisher's own "
        "page and keep this address in kept_copy_url")
    assert found[1].startswith(f"data/sources.csv: row {row}, column 'quality': value 'high' breaks"), found


def test_a_party_website_as_the_main_address_must_be_marked_as_a_copy(data_copy):
    row = edit_source(data_copy, "scdc2014release", copy="")
    found = problems(data_copy)
    assert len(found) == 1 and found[0].startswith(
        f"data/sources.csv: row {row}, column 'copy': value is blank, but the address is on a political party's or "
        "campaign's website (scambsconservatives.org.uk)"), found


def test_a_copy_as_the_main_address_must_say_the_publishers_page_is_not_known(data_copy):
    row = edit_source(data_copy, "gfoa2010ruggini", copy="mirror: vLex, a legal research database")
    found = problems(data_copy)
    assert len(found) == 1 and found[0].startswith(
        f"data/sources.csv: row {row}, column 'copy': value 'mirror: vLex, a legal research database' must say that "
        "the publisher's own page is not known"), found


def test_a_kept_copy_must_say_whose_copy_it_is(data_copy):
    row = edit_source(data_copy, "room151lgss", kept_copy="")
    found = problems(data_copy)
    assert len(found) == 1 and found[0].startswith(f"data/sources.csv: row {row}, column 'kept_copy': value is blank"), found


def test_the_bibliography_gives_a_kept_copy_after_the_publishers_address():
    bib = bibliography.bibtex_from_sources(real_sources())
    entry = bib[bib.index("@misc{room151lgss,"):].split("\n}\n", 1)[0]
    assert "url = {https://www.room151.co.uk/resources/lack-of-benefits-prompts-shared-services-rethink/}" in entry
    assert ("a copy is kept at https://room151.dev.docandtee.com/resources/lack-of-benefits-prompts-shared-services-"
            "rethink (mirror: a development copy of Room151's website, where the figures were read)") in entry
