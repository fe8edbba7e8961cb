"""The what-if explorer's grid on small hand-made inputs: every grid point is the model at that point, the start
is the central case, the page's precomputed results and chart data say what the grid says, only the inputs with a
range get a menu (an input held at one value is text), every driver the briefing names is a setting, the help is
folded and plain, the menus' words are short, and a share below zero is explained in words."""
import json
from dataclasses import replace
import re

import numpy as np
import pandas as pd
import pytest

from appraisal.chapters import explorer, explorer_page, risk
from appraisal.model import attribution, savings, sensitivity
from appraisal.model.assumptions import Assumptions, Input
from appraisal.publication import formats
from conftest import central_values

YEARS = ["2015-16", "2016-17", "2017-18", "2018-19"]
BASELINE = 1_000_000.0
COUNCILS = pd.Series({"A": "Ayton", "B": "Beeford"})
KEYS = pd.Series({"A": 0.6, "B": 0.4})
FORMULAS = {"equal_shares": pd.Series({"A": 0.5, "B": 0.5}), "baseline": KEYS}
RANGES = {"one_off_cost_share": (0.1, 0.3, 0.9), "savings_realisation": (-0.5, 0.5, 1.0),
          "extra_delay_years": (0.0, 0.5, 1.0), "years_to_full_savings": (1.0, 2.0, 3.0)}


def hand_made(**ranges) -> Assumptions:
    """Every input fixed at a hand-made central value, except those given a (low, central, high) range."""
    values = central_values(planned_saving_share=0.2, residual_years=2.0)
    spans = {**RANGES, **ranges}
    parameters = {}
    for name, v in values.items():
        low, central, high = spans.get(name, (v, v, v))
        parameters[name] = Input(name=name, label=name.replace("_", " "), worse="high", low=low, central=central,
                                 high=high, unit="years" if "years" in name else "share", basis="judgement",
                                 source_ids=(), rationale="a hand-made value for a test", owner="Test")
    return Assumptions(parameters, len(YEARS), None, None)


def grid(**ranges) -> explorer.Grid:
    return explorer.evaluate(hand_made(**ranges), BASELINE, YEARS, KEYS, FORMULAS, COUNCILS)


def test_levels_run_from_low_to_high_through_the_central_value_in_even_steps():
    assert explorer.levels(0.0, 3.0, 9.0, 3) == [0.0, 1.0, 2.0, 3.0, 5.0, 7.0, 9.0]
    assert explorer.levels(2.0, 3.0, 5.0, 1) == [2.0, 3.0, 5.0]


def test_a_fixed_input_has_one_value_and_values_are_never_repeated():
    assert explorer.levels(0.035, 0.035, 0.035, 3) == [0.035]
    assert explorer.levels(2.0, 2.0, 5.0, 1) == [2.0, 5.0]
    close = explorer.levels(1.0, 1.0000000001, 2.0, 1)
    assert 1.0000000001 in close and len(close) == 2  # the central value is kept, its near twin is not


def test_the_grid_holds_every_combination_once():
    g = grid()
    assert len(g.points) == 7 * 7 * 3 * 3 * 1
    assert not g.points.duplicated().any()
    assert [c.name for c in g.controls] == [*explorer.DRIVERS, explorer.FORMULA]


@pytest.mark.parametrize("point", [0, 17, 200, 440])
def test_every_grid_point_is_the_model_evaluated_alone_at_that_point(point):
    g = grid()
    chosen = g.points.iloc[point].to_dict()
    alone = savings.appraise(BASELINE, {**hand_made().values("central"), **chosen}, len(YEARS))
    assert g.result.npv[point] == pytest.approx(alone.npv[0], rel=1e-12)
    assert g.result.one_off_total[point] == pytest.approx(alone.one_off_total[0], rel=1e-12)
    by_council = attribution.council_npvs(BASELINE, KEYS, FORMULAS, alone)
    for formula in FORMULAS:
        for code in COUNCILS.index:
            assert g.council_npv[formula][code][point] == pytest.approx(by_council[formula][code][0], rel=1e-9, abs=1e-6)
    index = int(alone.payback_index[0])
    assert g.payback[point] == (YEARS[index] if index >= 0 else explorer.NEVER_PAID_BACK)


def test_the_start_is_the_central_case():
    g = grid()
    assert g.points.iloc[g.start].to_dict() == {name: hand_made().parameters[name].central for name in explorer.DRIVERS}
    central = savings.appraise(BASELINE, hand_made().values("central"), len(YEARS))
    assert g.result.npv[g.start] == pytest.approx(central.npv[0], rel=1e-12)
    assert g.formula.start == 0 and g.formula.values[0] == "equal_shares"


def test_a_dearer_one_off_cost_lowers_the_npv_and_a_larger_share_achieved_raises_it():
    g = grid()
    start = g.points.iloc[g.start]
    same_but = {name: (g.points[name] == start[name]) for name in explorer.DRIVERS}
    for name, direction in (("one_off_cost_share", -1), ("savings_realisation", 1)):
        others = np.logical_and.reduce([same_but[n] for n in explorer.DRIVERS if n != name])
        npv = pd.Series(g.result.npv[others], index=g.points.loc[others, name]).sort_index()
        assert (np.sign(npv.diff().dropna()) == direction).all(), name


def test_a_hand_worked_grid_point():
    # One year to full savings, no delay, no residual: year 0 saves half of 20% x 50% of £1m (the ramp averages
    # a half over the first year), later years the full £100,000; one-off costs of 10% of £1m fall in year 0.
    g = explorer.evaluate(hand_made(one_off_cost_share=(0.1, 0.1, 0.1), savings_realisation=(0.5, 0.5, 0.5),
                                    extra_delay_years=(0.0, 0.0, 0.0), years_to_full_savings=(1.0, 1.0, 1.0),
                                    residual_years=(0.0, 0.0, 0.0)), BASELINE, YEARS, KEYS, FORMULAS, COUNCILS)
    expected = 50_000 - 100_000 + sum(100_000 / 1.035 ** t for t in (1, 2, 3))
    assert len(g.points) == 1
    assert g.result.npv[0] == pytest.approx(expected)
    assert g.payback[0] == "2016-17"
    # Equal shares: each council takes half the saving and half the one-off cost, whatever its former cost.
    a = sum(0.5 * net / 1.035 ** t for t, net in enumerate([-50_000, 100_000, 100_000, 100_000]))
    assert g.council_npv["equal_shares"]["A"][0] == pytest.approx(a)


def test_the_page_results_give_each_grid_point_in_words():
    g = grid()
    data = explorer_page.results(g)
    assert data["controls"] == [c.name for c in g.numeric if not c.fixed]
    assert data["formulas"] == list(FORMULAS) and data["councils"] == len(COUNCILS)
    assert len(data["rows"]) == len(g.points)
    for point in (0, g.start, len(g.points) - 1):
        key = "|".join(explorer.grid_key(g.points.iloc[point][name]) for name in data["controls"])
        row = [data["texts"][i] for i in data["rows"][key]]
        assert row[:2] == [formats.net_result(g.result.npv[point]), g.payback[point]]
        assert row[2 + 1 * len(COUNCILS) + 0] == formats.net_result(g.council_npv["baseline"]["A"][point])


def test_the_chart_data_names_each_grid_point_as_its_menu_does():
    g = grid()
    data = explorer_page.chart_data(g)
    menus = {c.name: set(c.keys) for c in explorer_page.chosen(g)[:-1]}
    for name, keys in menus.items():
        assert {explorer.grid_key(v) for v in data[name]} == keys
    assert data[explorer.TOGETHER].iloc[g.start] == pytest.approx(g.result.npv[g.start] / 1e6, abs=5e-4)
    bars = explorer_page.bars(g)
    assert list(bars["key"]) == [explorer.TOGETHER, "f0c0", "f0c1", "f1c0", "f1c1"]
    assert set(bars["key"]) <= set(data.columns)
    low, high = explorer_page.npv_domain(g)
    values = data[list(bars["key"])].to_numpy()
    assert low <= min(0.0, values.min()) and high >= max(0.0, values.max())


def menus(html: str) -> dict[str, list[str]]:
    return {m: re.findall(r'<option value="([^"]*)"', body)
            for m, body in re.findall(r'<select id="explorer-([a-z_]+)"[^>]*>(.*?)</select>', html, re.S)}


def test_only_inputs_with_a_range_get_a_menu_and_each_menu_has_a_visible_label_and_its_help():
    html = explorer_page.controls(grid()).data
    assert set(menus(html)) == {"one_off_cost_share", "savings_realisation", "extra_delay_years",
                                "years_to_full_savings", explorer.FORMULA}
    for name in menus(html):
        assert f'<label for="explorer-{name}">' in html
        assert f'aria-describedby="explorer-{name}-help"' in html and f'<p id="explorer-{name}-help">' in html
    assert 'role="status"' in html and 'id="explorer-reset"' in html
    ranged = explorer_page.controls(grid(discount_rate=(0.015, 0.035, 0.05))).data
    assert menus(ranged)["discount_rate"] == ["0.015", "0.035", "0.05"]


def test_a_menu_starts_at_the_central_value_and_the_chart_parameters_follow_the_menus():
    g = grid(discount_rate=(0.015, 0.035, 0.05))
    html = explorer_page.controls(g).data
    for control in explorer_page.chosen(g):
        start = control.keys[control.start]
        assert f'data-start="{start}"' in html and f'<option value="{start}" selected>' in html
    specs = [p.param.to_dict() for p in explorer_page.params(g)]
    assert [s["name"] for s in specs] == [f"set_{c.name}" for c in explorer_page.chosen(g)]
    assert all(s["bind"] == {"element": f"#explorer-{s['name'][4:]}"} for s in specs)
    assert "discount_rate" in explorer_page.chosen_point(g)


def test_text_from_the_data_is_shown_as_text_and_cannot_end_the_results_block():
    g = explorer.evaluate(hand_made(), BASELINE, YEARS, KEYS, FORMULAS, pd.Series({"A": "<b>Ayton</b>", "B": "Bee"}))
    html = explorer_page.controls(g).data
    assert "<b>Ayton" not in html and "&lt;b&gt;Ayton" in html
    block = explorer_page._script_json({"text": "</script><script>alert(1)</script>"})
    assert "</" not in block and json.loads(block)["text"].startswith("</script>")


def held_inputs(html: str) -> list[str]:
    return re.findall(r'<li class="explorer-held-input" data-input="([a-z_]+)">', html)


def test_an_input_held_at_one_value_is_shown_as_text_and_never_offered_as_a_setting():
    html = explorer_page.controls(grid()).data
    assert "discount_rate" not in menus(html)
    assert held_inputs(html) == ["planned_saving_share", "discount_rate"]  # the hand-made inputs hold both
    held = re.search(r'<div class="explorer-held">(.*?)</ul></div>', html, re.S).group(1)
    assert "Discount rate: 3.5%" in held
    # Only the settings a reader can change are controls: nothing else sits among them.
    assert html.count('class="explorer-control"') == len(menus(html))
    assert "nothing to choose" not in html
    assert [c.name for c in explorer_page.held(grid())] == ["planned_saving_share", "discount_rate"]


def test_every_driver_the_briefing_names_is_a_setting_and_comes_first():
    # The years the service runs on after the appraisal period swing the answer most here: it is not one of
    # the explorer's own inputs, so it is added to them, with a low, central and high value.
    assumed = hand_made(residual_years=(0.0, 5.0, 40.0), savings_realisation=(0.0, 0.5, 3.0))
    named = explorer.named_drivers(BASELINE, assumed)
    tornado = risk.named_drivers(sensitivity.tornado(BASELINE, assumed), assumed)
    assert named == tuple(tornado["name"].head(risk.DRIVERS_NAMED)) and "residual_years" in named
    g = explorer.evaluate(assumed, BASELINE, YEARS, KEYS, FORMULAS, COUNCILS, named)
    offered = [c.name for c in explorer_page.chosen(g)]
    ranged = [n for n in named if assumed.parameters[n].low != assumed.parameters[n].high]
    assert offered[:len(ranged)] == ranged
    assert g.controls[[c.name for c in g.controls].index("residual_years")].values == (0.0, 5.0, 40.0)
    assert set(menus(explorer_page.controls(g).data)) >= set(ranged)
    assert explorer.grid_steps(named)["residual_years"] == explorer.NAMED_STEPS


def test_the_help_is_folded_under_each_control_and_says_nothing_about_files():
    g = grid()
    html = explorer_page.controls(g).data
    for c in [*explorer_page.chosen(g), *explorer_page.held(g)]:
        folded = re.search(rf'<details class="explorer-help"><summary>About the {re.escape(c.label.lower())}'
                           rf'</summary><p id="explorer-{c.name}-help">(.*?)</p></details>', html)
        assert folded, c.name
        assert c.range_text in folded.group(1) or c.name == explorer.FORMULA
    everything = html + explorer.inputs_table(g)[0].to_csv()
    for word in ("parameters file", "parameter", "yaml", "basis:"):
        assert word not in everything.lower(), word


def test_the_menus_say_each_value_in_a_few_words():
    g = grid()
    for c in explorer_page.chosen(g):
        assert len(c.label) <= 40, c.label
        for text in c.shown:
            assert len(text) <= 24, (c.name, text)


def test_a_share_below_zero_is_explained_in_words():
    g = grid(savings_realisation=(-1.63, 0.5, 1.0))
    achieved = next(c for c in g.controls if c.name == "savings_realisation")
    assert achieved.shown[0] == "\u2212163% (costs rose)"
    assert all("(" not in text for v, text in zip(achieved.values, achieved.shown) if v >= 0)
    assert "\u2212163% means costs rose by 163% of the saving planned" in achieved.help
    html = explorer_page.controls(g).data
    assert "\u2212163% (costs rose)</option>" in html and "costs rose by 163% of the saving planned" in html
    # With no value below zero, nothing is said about one.
    positive = grid(savings_realisation=(0.2, 0.5, 1.0))
    assert "below zero" not in next(c for c in positive.controls if c.name == "savings_realisation").help
    # An input without words of its own gets the general ones.
    overrun = explorer.negative_words("residual_years", -2.0, "\u22122 years")
    assert overrun[0] == "below zero" and "\u22122 years" in overrun[1]


def test_the_scenario_search_takes_the_finest_grid_within_the_combinations_the_parameters_file_allows():
    from types import SimpleNamespace

    from appraisal.model import scenarios

    assumed = hand_made()  # four inputs with a range (RANGES), the others fixed
    ranged = [name for name, p in assumed.parameters.items() if p.low != p.high]
    allowing = lambda most: replace(assumed, scenario_search=SimpleNamespace(grid_points=[9, 5, 3], most_combinations=most))
    assert len(ranged) == 4
    assert len(scenarios.search_grid(allowing(9 ** 4))[ranged[0]]) == 9 ** 4
    assert len(scenarios.search_grid(allowing(9 ** 4 - 1))[ranged[0]]) == 5 ** 4
    assert len(scenarios.search_grid(allowing(80))[ranged[0]]) == 3 ** 4  # none fits: the coarsest
    low, high = assumed.parameters[ranged[0]].low, assumed.parameters[ranged[0]].high
    assert sorted(set(scenarios.search_grid(allowing(9 ** 4 - 1))[ranged[0]])) == pytest.approx(
        [low + (high - low) * k / 4 for k in range(5)])
