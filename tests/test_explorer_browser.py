"""The what-if explorer in a real browser (Debian's Chromium driven by Playwright), on the shared clean build:
it opens at the published central case, every menu changes the NPV shown, the values shown are the model's at
those grid points, a link reopens its settings, the keyboard alone works it, it fits 320 px with no menu's words
cut off, the result (and on a wide screen the chart) stays on screen while each setting changes, an input held at
one value is never a menu, every driver the briefing names is a setting, axe finds no serious or critical
problem, nothing comes from another host, and the page stays light."""
import json

import pandas as pd
import pytest

from appraisal import paths
from appraisal.chapters import explorer, partnership
from appraisal.inputs.loading import load
from appraisal.model import attribution, savings, sensitivity
from appraisal.publication import figures, formats

pytestmark = pytest.mark.slow
AXE = paths.ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
FIELDS = ("together", "payback", "formula")
TOGETHER_BAR = "councils together"




@pytest.fixture(scope="module")
def site(built):
    layout, _ = built
    return layout


@pytest.fixture(scope="module")
def model(site):
    """The model's own pieces from the inputs the build used, to compute single grid points independently."""
    inputs = load(site.resolved_params, data_dir=site.data_dir)
    assumed = partnership.assumptions(inputs)
    baseline = partnership.baseline_total(inputs)
    return {"inputs": inputs, "assumed": assumed, "baseline": baseline,
            "steps": explorer.grid_steps(explorer.named_drivers(baseline, assumed)),
            "years": partnership.financial_years(inputs), "keys": partnership.key_shares(inputs),
            "formulas": partnership.formula_shares(inputs), "councils": list(inputs.params.partnership)}


def open_page(browser, site, fragment: str = "", width: int = 1200, height: int = 900):
    """The explorer page with its chart drawn; requests to any other place than the site are refused and noted."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.off_site, page.errors = [], []
    allowed = site.site_dir.as_uri()

    def route(r):
        if r.request.url.startswith(allowed) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            page.off_site.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.goto((site.site_dir / "chapters" / "explorer.html").as_uri() + fragment, wait_until="load")
    page.wait_for_selector("#vis-fig-explorer-npv[data-drawn=true]", timeout=15000)
    return page


def shown(page) -> dict[str, str]:
    """The result in words, field by field."""
    return page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('#explorer-result [data-field]'))
                                   .map(n => [n.dataset.field, n.textContent]))""")


def together_bar(page) -> float:
    """The NPV in £ million that the chart draws for the councils together (from its bar's description)."""
    label = page.wait_for_function(
        """() => Array.from(document.querySelectorAll('#vis-fig-explorer-npv svg [aria-label]'))
                 .map(n => n.getAttribute('aria-label')).find(l => l.includes('Bar: The') && l.includes('together'))""").json_value()
    return float(label.split(":", 1)[1].split(";", 1)[0].strip().replace("\u2212", "-").replace(",", ""))


def choose(page, name: str, value: str) -> None:
    page.select_option(f"#explorer-{name}", value)
    page.wait_for_timeout(150)


def menus(page) -> dict[str, list[str]]:
    return page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('#explorer select'))
                                   .map(s => [s.name, Array.from(s.options).map(o => o.value)]))""")


def values(page) -> dict[str, str]:
    return page.evaluate("() => Object.fromEntries(Array.from(document.querySelectorAll('#explorer select')).map(s => [s.name, s.value]))")


def exact(model, name: str, key: str) -> float:
    """The grid value that a menu's key names."""
    p = model["assumed"].parameters[name]
    found = [v for v in explorer.levels(p.low, p.central, p.high, model["steps"][name]) if explorer.grid_key(v) == key]
    assert len(found) == 1, (name, key)
    return found[0]


def model_at(model, chosen: dict[str, str]) -> dict[str, str]:
    """The result in words at one grid point, from the model evaluated for that point alone."""
    settings = {name: exact(model, name, key) for name, key in chosen.items() if name != explorer.FORMULA}
    result = savings.appraise(model["baseline"], {**model["assumed"].values("central"), **settings},
                              model["assumed"].appraisal_years)
    formula = chosen[explorer.FORMULA]
    by_council = attribution.council_npvs(model["baseline"], model["keys"], {formula: model["formulas"][formula]}, result)
    index = int(result.payback_index[0])
    out = {"together": formats.net_result(result.npv[0]),
           "payback": model["years"][index] if index >= 0 else explorer.NEVER_PAID_BACK,
           "formula": attribution.FORMULA_LABELS[formula].lower(), "npv": float(result.npv[0])}
    out.update({f"c{k}": formats.net_result(by_council[formula][code][0]) for k, code in enumerate(model["councils"])})
    return out


def test_the_page_opens_at_the_published_central_case(browser, site, model):
    published = json.loads((site.exports / "savings_headlines.json").read_text())
    page = open_page(browser, site)
    now = shown(page)
    first = model["inputs"].params.default_cost_sharing_formula
    assert now["together"] == published["npv_central_text"]["text"]
    assert now["payback"] == published["payback_central"]["text"]
    for k, code in enumerate(model["councils"]):
        assert now[f"c{k}"] == published[f"npv_{first}_{code}"]["text"]
    assert together_bar(page) == pytest.approx(published["npv_central_text"]["value"] / 1e6, abs=2e-3)
    assert not page.errors and not page.off_site
    page.close()


def test_moving_each_menu_changes_the_npv_shown(browser, site):
    page = open_page(browser, site)
    for name, options in menus(page).items():
        before, bar = shown(page), together_bar(page)
        start = values(page)[name]
        other = options[0] if options[0] != start else options[-1]
        choose(page, name, other)
        after = shown(page)
        if name == explorer.FORMULA:
            assert after["formula"] != before["formula"] and after["c0"] != before["c0"], name
        else:
            assert after["together"] != before["together"], name
            assert together_bar(page) != pytest.approx(bar, abs=1e-4), f"the chart did not follow {name}"
        choose(page, name, start)
        assert shown(page) == before, name
    assert not page.errors and not page.off_site
    page.close()


def combinations(options: dict[str, list[str]]) -> list[dict[str, str]]:
    """A few settings: every menu at its first, its last, and alternately first and last."""
    names = list(options)
    return [{n: options[n][0] for n in names}, {n: options[n][-1] for n in names},
            {n: options[n][i % 2 - 1 if i % 2 else 0] for i, n in enumerate(names)},
            {n: options[n][len(options[n]) // 2] for n in names}]


def test_the_values_shown_are_the_models_at_those_grid_points(browser, site, model):
    page = open_page(browser, site)
    for chosen in combinations(menus(page)):
        for name, value in chosen.items():
            choose(page, name, value)
        expected = model_at(model, chosen)
        now = shown(page)
        assert {k: now[k] for k in now} == {k: expected[k] for k in now}, chosen
        assert together_bar(page) == pytest.approx(expected["npv"] / 1e6, abs=2e-3)
    page.close()


def test_the_address_keeps_the_settings_and_a_link_reopens_them(browser, site, model):
    page = open_page(browser, site)
    chosen = combinations(menus(page))[2]
    for name, value in chosen.items():
        choose(page, name, value)
    link, seen = page.url, shown(page)
    assert "#" in link and all(f"{name}=" in link for name in chosen)
    page.close()
    again = open_page(browser, site, "#" + link.split("#", 1)[1])
    assert values(again) == chosen
    assert shown(again) == seen == {k: v for k, v in model_at(model, chosen).items() if k in seen}
    assert together_bar(again) == pytest.approx(model_at(model, chosen)["npv"] / 1e6, abs=2e-3)
    again.click("#explorer-reset")
    start = open_page(browser, site)
    assert shown(again) == shown(start) and "#" not in again.url
    assert values(again) == values(start)
    again.close()
    start.close()


def test_the_keyboard_alone_sets_a_menu_and_resets(browser, site):
    page = open_page(browser, site)
    start = shown(page)
    first = page.evaluate("document.querySelector('#explorer select').id")
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == first:
            break
    else:
        pytest.fail("Tab never reached the first menu")
    page.keyboard.press("ArrowDown" if page.evaluate("document.activeElement.selectedIndex") == 0 else "ArrowUp")
    page.wait_for_timeout(150)
    assert shown(page)["together"] != start["together"]
    assert "#" in page.url
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "explorer-reset":
            break
    else:
        pytest.fail("Tab never reached the reset button")
    page.keyboard.press("Enter")
    page.wait_for_timeout(150)
    assert shown(page) == start
    page.close()


def test_the_result_is_announced_and_every_menu_is_labelled(browser, site):
    page = open_page(browser, site)
    assert page.get_attribute("#explorer-result", "role") == "status"
    assert page.get_attribute("#explorer-result", "aria-live") == "polite"
    for name in menus(page):
        label = page.locator(f"label[for=explorer-{name}]")
        assert label.is_visible() and label.inner_text().strip(), name
        assert page.get_attribute(f"#explorer-{name}", "aria-describedby") == f"explorer-{name}-help"
        help_text = page.locator(f"#explorer-{name}-help")
        assert not help_text.is_visible(), f"the help of {name} is folded until asked for"
        page.locator(f"#explorer-{name}-help").locator("xpath=..").locator("summary").click()
        assert help_text.is_visible() and "Where this comes from" in help_text.inner_text(), name
    page.close()


def test_the_page_works_at_320_px_wide(browser, site):
    page = open_page(browser, site, width=320)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for name in menus(page):
        box = page.locator(f"#explorer-{name}").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, name
    choose(page, explorer.FORMULA, menus(page)[explorer.FORMULA][-1])
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.close()


def test_axe_finds_no_serious_or_critical_problem_after_a_change(browser, site):
    assert AXE.exists(), "axe-core is not installed; `make test` installs it from npm into .venv/axe"
    page = open_page(browser, site)
    choose(page, explorer.FORMULA, menus(page)[explorer.FORMULA][-1])
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => v.id + ': ' + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(' | '));
    }""")
    assert found == []
    page.close()


def test_the_page_is_light_and_its_grid_is_a_download(site):
    html = site.site_dir / "chapters" / "explorer.html"
    assert html.stat().st_size < 1_500_000
    grid = pd.read_csv(site.site_dir / "downloads" / f"{explorer.FIGURE}.csv", comment="#")
    inputs = pd.read_csv(site.site_dir / "downloads" / f"{explorer.TABLE}.csv", comment="#")
    numeric = inputs[inputs["Input"] != explorer.FORMULA].groupby("Input").size()  # headers in readers' words
    assert len(grid) == numeric.prod()
    assert figures.download_header(explorer.TOGETHER_COLUMN) in grid.columns


def test_the_chart_keeps_the_settings_when_the_screen_narrows(browser, site, model):
    page = open_page(browser, site)
    chosen = combinations(menus(page))[0]
    for name, value in chosen.items():
        choose(page, name, value)
    page.set_viewport_size({"width": 320, "height": 800})
    page.wait_for_selector("#vis-fig-explorer-npv[data-width-class=narrow][data-drawn=true]", timeout=15000)
    page.wait_for_timeout(500)
    assert values(page) == chosen
    assert together_bar(page) == pytest.approx(model_at(model, chosen)["npv"] / 1e6, abs=2e-3)
    page.close()


def in_view(page, selector: str) -> bool:
    """Whether any part of the element is on the screen (inside the viewport, not scrolled away)."""
    return page.evaluate("""s => { const b = document.querySelector(s).getBoundingClientRect();
        return b.width > 0 && b.height > 0 && b.bottom > 0 && b.right > 0
               && b.top < window.innerHeight && b.left < window.innerWidth; }""", selector)


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 800)])
def test_the_result_stays_on_screen_while_each_setting_changes(browser, site, width, height):
    """Scroll to each menu, change it: the result (and, beside the settings on a wide screen, the chart) is on the
    screen when the change is made, and the menu itself is not hidden under the result."""
    page = open_page(browser, site, width=width, height=height)
    wide = width >= 1000
    for name, options in menus(page).items():
        menu = page.locator(f"#explorer-{name}")
        menu.scroll_into_view_if_needed()
        page.wait_for_timeout(100)
        before = shown(page)
        choose(page, name, options[0] if values(page)[name] != options[0] else options[-1])
        assert shown(page) != before, name
        assert in_view(page, "#explorer-result"), f"the result is off the screen when {name} changes"
        if wide:
            assert in_view(page, "#vis-fig-explorer-npv"), f"the chart is off the screen when {name} changes"
        covered = page.evaluate("""s => { const b = document.querySelector(s).getBoundingClientRect();
            const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
            return !(hit && hit.closest(s)); }""", f"#explorer-{name}")
        assert not covered, f"the menu for {name} is hidden under something when scrolled to"
    assert page.get_attribute("#explorer-layout", "data-layout") == ("wide" if wide else "narrow")
    assert not page.errors
    page.close()


def test_no_input_held_at_one_value_is_offered_as_a_menu(browser, site, model):
    page = open_page(browser, site)
    fixed = sensitivity.fixed_inputs(model["assumed"])
    assert fixed, "the published inputs hold at least one input at one value (the discount rate)"
    offered = menus(page)
    for name in fixed:
        assert name not in offered, f"{name} is held at one value but offered as a menu"
    assert all(len(options) >= 2 for options in offered.values())
    held = page.evaluate("Array.from(document.querySelectorAll('#explorer .explorer-held-input')).map(n => n.dataset.input)")
    assert set(held) <= set(fixed) and "discount_rate" in held
    assert "nothing to choose" not in page.inner_text("#explorer")
    page.close()


def test_every_driver_the_briefing_names_with_a_range_is_a_setting(browser, site, model):
    risk = json.loads((site.exports / "risk_headlines.json").read_text())
    by_label = {formats.apostrophes(p.label): name for name, p in model["assumed"].parameters.items()}
    named = [by_label[risk[f"driver_{rank}"]["text"]] for rank in range(1, 4)]
    briefing = (site.site_dir / "chapters" / "briefing.html").read_text(encoding="utf-8")
    assert all(risk[f"driver_{rank}"]["text"] in briefing for rank in range(1, 4))
    page = open_page(browser, site)
    offered = menus(page)
    ranged = [n for n in named if model["assumed"].parameters[n].low != model["assumed"].parameters[n].high]
    assert ranged, "the briefing names drivers with a range"
    for name in ranged:
        assert name in offered and len(offered[name]) >= 2, f"the briefing names {name}, which is not a setting"
    assert list(offered)[:len(ranged)] == ranged, "the drivers the briefing names come first"
    page.close()


def test_no_menu_words_are_cut_off_at_320_px(browser, site):
    page = open_page(browser, site, width=320, height=640)
    found = page.evaluate("""() => {
        const canvas = document.createElement('canvas').getContext('2d');
        const out = [];
        for (const menu of document.querySelectorAll('#explorer select')) {
            const box = menu.getBoundingClientRect(), home = menu.closest('fieldset').getBoundingClientRect();
            const style = getComputedStyle(menu);
            canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            // The room for words: the menu's inside less its padding and the arrow Chromium draws at its end.
            const room = menu.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 24;
            if (box.left < home.left || box.right > home.right) { out.push(menu.name + ' is wider than its box'); }
            for (const option of menu.options) {
                const width = canvas.measureText(option.text).width;
                if (width > room) { out.push(`${menu.name}: "${option.text}" needs ${Math.ceil(width)} px of ${Math.floor(room)}`); }
            }
        }
        return out;
    }""")
    assert found == []
    page.close()


def test_the_explorer_is_run_again_only_when_an_input_it_reads_changes(own_copy, data_copy):
    from appraisal.pipeline.build import build
    from conftest import quiet

    record = json.loads((own_copy.exports / "explorer.record.json").read_text())["reads"]
    assert "data/timeline.csv" not in record and "parameters:parameters.one_off_cost_share.evidence" in record
    timeline = data_copy / "timeline.csv"
    timeline.write_text(timeline.read_text().replace("Renewed 3C partnership agreement.", "Renewed the partnership agreement."))
    own_copy.data_dir = data_copy
    report = build(own_copy, params_path=data_copy / "parameters.yaml", log=quiet)
    assert "context" in report.ran  # the change was seen
    assert "explorer" in report.skipped and "explorer" not in report.ran
