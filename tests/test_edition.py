"""Draft or release, never both: a build is a version only when its figures equal the register kept for it;
the label it settles on replaces the placeholder everywhere; What changed counts values, not formatting."""
import json

import pandas as pd
import pytest

from appraisal.pipeline import stamping
from appraisal.publication import changes, chart_images, figures, register, release


def reg(*rows) -> pd.DataFrame:
    """A register from (id, value, text) rows."""
    return pd.DataFrame([{"id": rid, "chapter": rid.split(".")[0], "key": rid.split(".")[1], "text": text,
                          "value": value, "unit": "GBP", "label": "", "pages": "", "depends_on": "",
                          "version": "Version 2026.1"} for rid, value, text in rows],
                        columns=register.REGISTER_COLUMNS, dtype=object)


def keep(folder, version: str, table: pd.DataFrame):
    (folder / version).mkdir(parents=True)
    register.write(table, folder / version)


EDITION = release.Edition("2026.2", "2026-12-05", "abc", "2026-12-05")


def test_the_same_values_written_differently_are_the_same_figures():
    assert stamping.same_figures(reg(("s.a", 7.0, "£7.0 million")), reg(("s.a", 7, "£7 million")))


def test_values_that_differ_only_in_their_last_binary_digits_are_the_same_figures():
    """The same inputs on another processor: 1.4746346747612225 against 1.4746346747612222 (three units in the
    last place), or 0.1 + 0.2 against 0.3, is the same figure; a change in the eighth significant digit is not."""
    assert stamping.same_figures(reg(("s.a", 1.4746346747612225, "1.47")), reg(("s.a", 1.4746346747612222, "1.47")))
    assert stamping.same_figures(reg(("s.a", 0.1 + 0.2, "0.3")), reg(("s.a", 0.3, "0.3")))
    assert stamping.same_figures(reg(("s.a", 0.0, "0")), reg(("s.a", 1e-15, "0")))
    assert not stamping.same_figures(reg(("s.a", 2078708.15, "£2.1 million")), reg(("s.a", 2078708.17, "£2.1 million")))
    assert not stamping.same_figures(reg(("s.a", 1.4746347, "1.47")), reg(("s.a", 1.4746348, "1.47")))


@pytest.mark.parametrize("built", [reg(("s.a", 7.1, "£7.1 million")), reg(("s.a", 7.0, "£7 million"), ("s.b", 1.0, "1")),
                                   reg(("s.b", 7.0, "£7 million"))])
def test_a_moved_added_or_renamed_figure_makes_different_figures(built):
    assert not stamping.same_figures(reg(("s.a", 7.0, "£7 million")), built)


def test_a_figure_in_words_changes_when_its_words_do():
    assert stamping.same_figures(reg(("s.a", None, "Cambridge")), reg(("s.a", None, "Cambridge")))
    assert not stamping.same_figures(reg(("s.a", None, "Cambridge")), reg(("s.a", None, "Huntingdonshire")))


def test_a_build_equal_to_the_kept_register_of_its_version_is_that_version(tmp_path):
    keep(tmp_path, "2026.1", reg(("s.a", 1.0, "£1")))
    keep(tmp_path, "2026.2", reg(("s.a", 2.0, "£2")))
    edition = stamping.settle(EDITION, reg(("s.a", 2.0, "£2.0")), tmp_path)
    assert not edition.draft and edition.label == "Version 2026.2" and edition.file_tag == "2026.2"


def test_any_other_build_is_a_draft_after_the_last_release(tmp_path):
    keep(tmp_path, "2026.1", reg(("s.a", 1.0, "£1")))
    keep(tmp_path, "2026.2", reg(("s.a", 2.0, "£2")))
    edition = stamping.settle(EDITION, reg(("s.a", 3.0, "£3")), tmp_path)
    assert edition.draft and edition.file_tag == "draft"
    assert edition.label == "Draft after 2026.2, built 5 December 2026, not for citation"


def test_a_version_not_yet_kept_is_a_draft_after_the_one_before(tmp_path):
    keep(tmp_path, "2026.1", reg(("s.a", 1.0, "£1")))
    edition = stamping.settle(EDITION, reg(("s.a", 1.0, "£1")), tmp_path)
    assert edition.draft and edition.label.startswith("Draft after 2026.1, built 5 December 2026")


def test_with_no_release_at_all_a_build_is_a_draft(tmp_path):
    edition = stamping.settle(EDITION, reg(("s.a", 1.0, "£1")), tmp_path)
    assert edition.label == "Draft, built 5 December 2026, not for citation"


def test_a_scenario_says_so_after_its_edition(tmp_path):
    keep(tmp_path, "2026.2", reg(("s.a", 2.0, "£2")))
    edition = stamping.settle(EDITION, reg(("s.a", 2.0, "£2")), tmp_path)
    scenario = stamping.dataclasses.replace(edition, scenario=("discount rate: 0.05",))
    assert scenario.label == "Version 2026.2; scenario, not the published figures" and scenario.file_tag == "draft"


def chapter_output(exports):
    (exports / figures.CHAPTER_DOWNLOADS).mkdir(parents=True)
    (exports / figures.CHAPTER_DOWNLOADS / "tbl-a.csv").write_text(
        f"# Table 1.1: A\n# Source: S\n# {release.PLACEHOLDER}\nx\r\n1\n", encoding="utf-8", newline="")
    (exports / figures.CHART_RECORDS).mkdir(parents=True)
    spec = {"data": {"values": [{"x": 1, "y": 2}]}, "mark": "point",
            "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}}}
    (exports / figures.CHART_RECORDS / "fig-a.json").write_text(json.dumps(
        {"spec": spec, "title": "Figure 1.1: A", "subtitle": [f"Source: S. {release.PLACEHOLDER}."]}))


def test_downloads_are_published_with_the_label_in_place_of_the_placeholder(tmp_path):
    chapter_output(tmp_path)
    out = stamping.publish_downloads(tmp_path, "Version 2026.2", tmp_path / "cache")
    assert (out / "tbl-a.csv").read_bytes() == b"# Table 1.1: A\n# Source: S\n# Version 2026.2\nx\r\n1\n"
    svg = (out / "fig-a.svg").read_text(encoding="utf-8")
    assert "Version 2026.2" in svg and release.PLACEHOLDER not in svg
    assert chart_images.png_width(out / "fig-a.png") > 0


def test_a_chart_is_drawn_again_only_when_what_it_shows_changes(tmp_path, monkeypatch):
    chapter_output(tmp_path)
    drawn, measured = [], []
    real, measure = chart_images.render_image, chart_images.drawn_width
    monkeypatch.setattr(chart_images, "render_image", lambda record, stem, width, version: (
        drawn.append(stem), real(record, stem, width, version)))
    monkeypatch.setattr(chart_images, "drawn_width", lambda spec, version: (measured.append(1),
                                                                            measure(spec, version))[1])
    stamping.publish_downloads(tmp_path, "Version 2026.2", tmp_path / "cache")
    stamping.publish_downloads(tmp_path, "Version 2026.2", tmp_path / "cache")
    assert len(drawn) == 1 and len(measured) == 1
    stamping.publish_downloads(tmp_path, "Draft after 2026.2, built 6 December 2026, not for citation",
                               tmp_path / "cache")
    assert len(drawn) == 2 and len(measured) == 1  # a new label: drawn again at the width already measured
    assert "Draft after 2026.2" in (tmp_path / "downloads" / "fig-a.svg").read_text(encoding="utf-8")


@pytest.mark.parametrize("value, unit, new_text, expected", [
    (7.0, "GBP million", "£7.5 million", "£7 million"),
    (-2_900_000.0, "GBP", "a net saving of £2.1 million", "a net cost of £2.9 million"),
    (0.6, "probability", "33%", "60%"),
    (0.25, "share of the planned saving", "48%", "25%"),
    (40.0, "percent", "35%", "40%"),
    (None, "", "Cambridge", "Huntingdonshire"),
])
def test_an_old_value_is_shown_in_todays_number_style(value, unit, new_text, expected):
    old_text = "Huntingdonshire" if value is None else "old words"
    assert changes.restyle(value, unit, new_text, old_text) == expected


def test_what_changed_lists_moved_values_not_reformatted_ones():
    old = reg(("s.a", 7.0, "£7.0 million"), ("s.b", 1.0, "£1"), ("s.c", 5.0, "£5"))
    new = reg(("s.a", 7, "£7 million"), ("s.b", 2.0, "£2"), ("s.d", 3.0, "£3"))
    found = changes.rows(register.diff(old, new, {}, {}), old, new)
    assert sorted((r["id"], r["kind"]) for r in found) == [("s.b", "changed"), ("s.c", "removed"),
                                                              ("s.d", "added")]


def many_charts(exports, n):
    chapter_output(exports)
    record = json.loads((exports / figures.CHART_RECORDS / "fig-a.json").read_text())
    for i in range(1, n):
        record["title"] = f"Figure 1.{i + 1}: chart {i}"
        (exports / figures.CHART_RECORDS / f"fig-{i}.json").write_text(json.dumps(record))


def test_charts_drawn_partly_in_a_process_of_their_own_are_the_charts_drawn_here(tmp_path, monkeypatch):
    charts = stamping.DRAW_APART
    many_charts(tmp_path, charts)
    apart = stamping.publish_downloads(tmp_path, "Version 2026.2", tmp_path / "cache-apart")
    shown = {p.name: p.read_bytes() for p in apart.glob("fig-*")}
    monkeypatch.setattr(stamping, "DRAW_APART", 10 ** 6)
    here = stamping.publish_downloads(tmp_path, "Version 2026.2", tmp_path / "cache-here")
    assert len(shown) == 2 * charts
    assert shown == {p.name: p.read_bytes() for p in here.glob("fig-*")}
    assert {p.name for p in (tmp_path / "cache-apart").iterdir()} == {p.name for p in (tmp_path / "cache-here").iterdir()}


def test_a_chart_that_cannot_be_drawn_apart_stops_the_build_with_the_reason(tmp_path):
    many_charts(tmp_path, stamping.DRAW_APART)
    apart = sorted(tmp_path.joinpath(figures.CHART_RECORDS).glob("*.json"))[1]  # drawn apart: every second one
    broken = json.loads(apart.read_text())
    broken["spec"]["mark"] = "no such mark"
    apart.write_text(json.dumps(broken))
    with pytest.raises(RuntimeError, match=f"drawing chart images failed: {broken['title']}: ValueError: Vega-Lite"):
        stamping.publish_downloads(tmp_path, "Version 2026.2", tmp_path / "cache")
    broken["spec"]["mark"] = "point"  # put right, the next build draws what is missing
    apart.write_text(json.dumps(broken))
    out = stamping.publish_downloads(tmp_path, "Version 2026.2", tmp_path / "cache")
    assert len(list(out.glob("fig-*.svg"))) == len(list(out.glob("fig-*.png"))) == stamping.DRAW_APART
