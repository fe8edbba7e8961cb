"""The built site in a real browser (Debian's Chromium driven by Playwright): the front door, headings,
the keyboard, and data that holds markup. How a page opens (no error, every chart drawn, nothing from
another host, axe-core) is checked at every screen width in test_layout.py, from disk and from a server."""
import re
import shutil
from pathlib import Path

import pytest

from appraisal import paths

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium")
AXE = paths.ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module", autouse=True)
def tools_present():
    if CHROMIUM is None:
        pytest.fail("Chromium is not installed; `make test` installs it (sudo apt-get install -y chromium)")


def pages(site: Path) -> list[Path]:
    return sorted((site / "chapters").glob("*.html"))




def open_drawn(page, url: str) -> None:
    """Open a page and wait until every chart on it is drawn."""
    page.goto(url, wait_until="load")
    charts = page.locator(".vega-chart").count()
    if charts:
        page.wait_for_function(f"document.querySelectorAll('.vega-chart[data-drawn=true]').length === {charts}",
                               timeout=15000)


class Tab:
    """One tab of `opener` (a browser or one of its contexts) that refuses any request outside the site
    (`allowed_prefix`) and reports what happened while it opened each page: requests to another host,
    console and script errors, dialogs, and how many marks each chart drew."""

    def __init__(self, opener, allowed_prefix: str):
        self.page = opener.new_page()
        self.found = {}
        self.page.route("**/*", self._route)
        self.allowed = allowed_prefix
        self.page.on("console", lambda m: self.found["console"].append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.found["page_errors"].append(str(e)))
        self.page.on("dialog", lambda d: (self.found["dialogs"].append(d.message), d.dismiss()))

    def _route(self, r):
        if r.request.url.startswith(self.allowed) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            self.found["off_site"].append(r.request.url)
            r.abort()

    def open(self, url: str) -> dict:
        """Open `url` in this tab, wait until every chart is drawn, and report what happened."""
        self.found = {"off_site": [], "console": [], "page_errors": [], "dialogs": []}
        open_drawn(self.page, url)
        self.found["drawn_marks"] = self.page.evaluate(
            "Array.from(document.querySelectorAll('.vega-chart')).map(c => c.querySelectorAll('svg path, svg rect, svg line, svg circle, svg text').length)")
        return {k: list(v) for k, v in self.found.items()}


def visit(opener, url: str, allowed_prefix: str) -> dict:
    """Open a page in a new tab of `opener` and report what happened (Tab.open), with the tab as "page"."""
    tab = Tab(opener, allowed_prefix)
    return {**tab.open(url), "page": tab.page}


def check_page(result, name):
    assert not result["off_site"], f"{name} requested another host: {result['off_site'][:3]}"
    assert not result["console"], f"{name} console errors: {result['console'][:3]}"
    assert not result["page_errors"], f"{name} script errors: {result['page_errors'][:3]}"
    assert not result["dialogs"], f"{name} opened a dialog: {result['dialogs']}"
    assert all(n > 10 for n in result["drawn_marks"]), f"{name} has a blank chart: {result['drawn_marks']}"


def test_the_front_door_redirects_to_the_front_page(browser, built):
    layout, _ = built
    page = browser.new_page()
    page.goto((layout.site_dir / "index.html").as_uri())
    page.wait_for_url(re.compile(r".*chapters/index\.html$"), timeout=5000)
    assert "Sharing ICT and legal services" in page.title()
    page.close()


def test_headings_are_in_order_with_one_title_per_page(built):
    layout, _ = built
    for path in pages(layout.site_dir):
        html = path.read_text(encoding="utf-8")
        main = html[html.find('<main'):]
        main = main[main.find('<article'):]
        levels = [int(h) for h in re.findall(r"<h([1-6])\b", main)]
        assert levels.count(1) == 1, f"{path.name}: {levels.count(1)} h1 headings"
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{path.name}: heading jumps from h{before} to h{after}"


def test_the_keyboard_reaches_the_content_first_through_a_skip_link(browser, built):
    layout, _ = built
    page = browser.new_page()
    page.goto((layout.site_dir / "chapters" / "savings.html").as_uri())
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim().toLowerCase()")
    assert "skip" in focused
    page.close()


def live_markup(html: str) -> list[str]:
    """Elements that would run the injected code: an <img> with onerror, or an executable <script>
    containing alert( (a JSON data block is not executable)."""
    from html.parser import HTMLParser

    found = []

    class Finder(HTMLParser):
        script_type = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "img" and "onerror" in a:
                found.append(f"img onerror={a['onerror']}")
            self.script_type = a.get("type", "text/javascript") if tag == "script" else None

        def handle_data(self, data):
            if self.script_type and self.script_type != "application/json" and "alert(" in data:
                found.append(data[:80])

    Finder().feed(html)
    return found


def test_html_or_script_in_the_data_is_shown_as_text_and_never_run(browser, own_copy, data_copy):
    from appraisal.pipeline.build import build
    from conftest import quiet

    timeline = data_copy / "timeline.csv"
    timeline.write_text(timeline.read_text().replace("Renewed 3C partnership agreement.",
                                                     "Renewed <script>alert('timeline')</script> agreement."))
    cases = data_copy / "case_studies.csv"
    cases.write_text(cases.read_text().replace("Orbis,", "<img src=x onerror=alert('case')> Orbis,", 1))
    own_copy.data_dir = data_copy
    build(own_copy, log=quiet)
    for name, shown in (("context", "Renewed <script>alert('timeline')</script> agreement."),
                        ("case_studies", "<img src=x onerror=alert('case')> Orbis")):
        html = (own_copy.site_dir / "chapters" / f"{name}.html").read_text(encoding="utf-8")
        assert live_markup(html) == [], name
        result = visit(browser, (own_copy.site_dir / "chapters" / f"{name}.html").as_uri(), own_copy.site_dir.as_uri())
        page = result.pop("page")
        assert shown in page.inner_text("main"), name
        page.close()
        assert result["dialogs"] == [], f"{name}: script from the data ran: {result['dialogs']}"


def test_the_markup_finder_catches_live_markup_and_ignores_json_data():
    assert live_markup("<p><img src=x onerror=alert(1)></p>") == ["img onerror=alert(1)"]
    assert live_markup("<script>alert(1)</script>") == ["alert(1)"]
    assert live_markup('<script type="application/json">{"a": "<img onerror=alert(1)>"}</script>') == []
    assert live_markup("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>") == []
