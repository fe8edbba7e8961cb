"""The search index after a rebuild: Sphinx's incremental build keeps words that no page has any more (with an
empty list of pages); the build drops them, so the index is the one a clean build writes."""
import json

import pytest

from appraisal.pipeline import site


def written(index: dict) -> str:
    """searchindex.js as Sphinx 7 writes it."""
    return "Search.setIndex(" + json.dumps(index, sort_keys=True) + ")"


def test_words_no_page_has_are_dropped_and_nothing_else_changes(tmp_path):
    index = {"docnames": ["a", "b"], "terms": {"gone": [], "one": 1, "both": [0, 1]},
             "titleterms": {"old": [], "title": 0}, "titles": ["A", "B"]}
    (tmp_path / "searchindex.js").write_text(written(index), encoding="utf-8")
    site.prune_search_index(tmp_path)
    assert (tmp_path / "searchindex.js").read_text(encoding="utf-8") == written(
        {"docnames": ["a", "b"], "terms": {"one": 1, "both": [0, 1]}, "titleterms": {"title": 0}, "titles": ["A", "B"]})


def test_an_index_with_nothing_stale_is_left_byte_for_byte(tmp_path):
    text = written({"terms": {"£2": 0, "café": [0, 1]}, "titleterms": {}})
    (tmp_path / "searchindex.js").write_text(text, encoding="utf-8")
    before = (tmp_path / "searchindex.js").stat().st_mtime_ns
    site.prune_search_index(tmp_path)
    assert (tmp_path / "searchindex.js").read_text(encoding="utf-8") == text
    assert (tmp_path / "searchindex.js").stat().st_mtime_ns == before


def test_a_search_index_in_another_form_stops_the_build(tmp_path):
    (tmp_path / "searchindex.js").write_text("var index = {};", encoding="utf-8")
    with pytest.raises(site.SiteBuildFailed, match="searchindex.js"):
        site.prune_search_index(tmp_path)
