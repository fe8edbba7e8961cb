"""The built site on any screen and on paper, in a real browser (Debian's Chromium driven by Playwright).

At 320, 390 and 1280 px wide (opened from disk, and at 390 px from a local web server): every page opens
with no script error and nothing requested from another host, and draws every chart; no page scrolls
sideways (WCAG 2.2, 1.4.10 reflow), no table or chart is wider than the screen outside its own scrolling
box, every amount in a table is on one line, no chart label is cut, and axe-core finds no serious or
critical problem. Every table scrolls in its own labelled, focusable box. The front page's first visit is
under 1 MB and loads no chart library. Printed, a chapter shows no navigation and its tables fit the A4
page; the briefing PDF is A4, at most two pages, and links only to the published site.
"""
import functools
import http.server
import io
import re
import threading

import pytest
import yaml
from pypdf import PdfReader

from appraisal import paths
from test_browser import AXE, Tab, check_page, open_drawn, pages

pytestmark = pytest.mark.slow

WIDTHS = (320, 390, 1280)
SERVED_WIDTH = 390  # pages at this width come from a local web server, at the others from disk
FIRST_VISIT_LIMIT = 1_000_000  # bytes
A4_POINTS = (595.3, 841.9)
PRINT_WIDTH = 688  # CSS px: A4 less the print style sheet's 14 mm side margins, at 96 px an inch
LANDSCAPE_WIDTH = 1016  # CSS px: A4 landscape less its 14 mm side margins (tables of many columns)

LAYOUT = """() => {
  const W = document.documentElement.clientWidth;
  const scroller = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p).overflowX; if (s === 'auto' || s === 'scroll') return p; } return null; };
  const wide = [];
  document.querySelectorAll('article table, article .vega-chart, article pre, article img').forEach(el => {
    if (!el.checkVisibility()) return;
    const box = scroller(el) || el;
    const r = box.getBoundingClientRect();
    if (r.right > W + 1 || r.left < -1) wide.push(`${el.tagName.toLowerCase()}.${el.className} reaches ${Math.round(r.right)} px`);
  });
  const charts = Array.from(document.querySelectorAll('.vega-chart')).map(c => {
    const svg = c.querySelector('svg');
    return {id: c.id, drawn: svg ? svg.width.baseVal.value : 0, box: c.clientWidth,
            cut: Array.from(c.querySelectorAll('text')).map(t => t.textContent).filter(t => t.includes('\\u2026'))};
  });
  const amount = /^[\\u2212-]?£?\\d[\\d,.]*( ?(million|billion|m|bn|k))?%?$/;
  const broken = Array.from(document.querySelectorAll('article td')).filter(td => {
    if (!td.checkVisibility() || !amount.test(td.textContent.trim())) return false;
    const tops = new Set(), walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange(); range.selectNodeContents(node);
      Array.from(range.getClientRects()).forEach(r => tops.add(Math.round(r.top)));
    }
    return tops.size > 1;
  }).map(td => td.textContent.trim());
  const boxes = Array.from(document.querySelectorAll('table.data-table')).map(t => {
    const box = t.parentElement, label = document.getElementById(box.getAttribute('aria-labelledby') || '');
    return box.classList.contains('table-scroll') && box.getAttribute('role') === 'region'
           && box.tabIndex === 0 && label !== null && label.tagName === 'CAPTION' && t.contains(label);
  });
  return {pageWidth: document.documentElement.scrollWidth, screen: W, wide, charts, broken, boxes};
}"""

# Given `preload`: whether axe first fetches the page's style sheets (for the rules that read CSS). A page opened
# from disk cannot fetch them (file:// forbids it: axe then reports those rules as not checked), so it is
# asked only of the served pages; from disk asking changes no result and only writes errors to the console.
AXE_RUN = """async (preload) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
                                     preload});
  return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
          .map(v => v.id + ': ' + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(' | '));
}"""




class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # not a line on the test output for every file served
        pass


@pytest.fixture(scope="module")
def server(built):
    """The built site served on 127.0.0.1, as a web server would publish it."""
    layout, _ = built
    handler = functools.partial(QuietHandler, directory=str(layout.site_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def at_widths(browser, built, server) -> dict:
    """Every page at every width: what happened as it opened (errors, requests to another host, charts
    drawn), its layout, and axe-core's serious or critical violations. At SERVED_WIDTH pages come from the
    local server; at the other widths they are opened from disk (file://)."""
    assert AXE.exists(), "axe-core is not installed; `make test` installs it from npm into .venv/axe"
    layout, _ = built
    results = {}
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800})
        site = server if width == SERVED_WIDTH else layout.site_dir.as_uri()
        tab = Tab(context, site)  # one tab per width, opening each page in turn
        for path in pages(layout.site_dir):
            result = tab.open(f"{site}/chapters/{path.name}")
            result.update(tab.page.evaluate(LAYOUT))
            tab.page.add_script_tag(path=str(AXE))
            result["axe"] = tab.page.evaluate(AXE_RUN, width == SERVED_WIDTH)
            results[(width, path.name)] = result
        context.close()
    return results


def test_every_page_opens_from_disk_with_no_errors_nothing_from_another_host_and_every_chart_drawn(at_widths):
    opened = {(w, name): r for (w, name), r in at_widths.items() if w != SERVED_WIDTH}
    assert len(opened) >= 20
    for (w, name), result in opened.items():
        check_page(result, f"{w} px {name}")
    assert sum(len(r["charts"]) for (w, _), r in opened.items() if w == WIDTHS[-1]) >= 8


def test_every_page_works_from_a_local_server(at_widths):
    served = {name: r for (w, name), r in at_widths.items() if w == SERVED_WIDTH}
    assert len(served) >= 10
    for name, result in served.items():
        check_page(result, f"served {name}")
    assert sum(len(r["charts"]) for r in served.values()) >= 8


def test_no_page_scrolls_sideways_at_any_width(at_widths):
    wide = [f"{w} px {name}: the page is {r['pageWidth']} px wide" for (w, name), r in at_widths.items()
            if r["pageWidth"] > r["screen"]]
    assert not wide, "\n".join(wide)


def test_no_table_or_chart_is_wider_than_the_screen_outside_its_own_scrolling_box(at_widths):
    wide = [f"{w} px {name}: {item}" for (w, name), r in at_widths.items() for item in r["wide"]]
    assert not wide, "\n".join(wide[:20])


def test_every_chart_is_drawn_within_its_box_with_no_label_cut(at_widths):
    problems = []
    for (w, name), r in at_widths.items():
        for chart in r["charts"]:
            if not 0 < chart["drawn"] <= chart["box"] + 1:
                problems.append(f"{w} px {name} {chart['id']}: drawn {chart['drawn']} px in a {chart['box']} px box")
            problems += [f"{w} px {name} {chart['id']}: label cut to {t!r}" for t in chart["cut"]]
    assert not problems, "\n".join(problems[:20])
    assert sum(len(r["charts"]) for (w, _), r in at_widths.items() if w == 320) >= 8


def test_every_amount_in_a_table_is_on_one_line(at_widths):
    broken = [f"{w} px {name}: {cell!r}" for (w, name), r in at_widths.items() for cell in r["broken"]]
    assert not broken, "\n".join(broken[:20])


def test_every_table_is_in_its_own_labelled_focusable_scrolling_box(at_widths):
    tables = [ok for (w, _), r in at_widths.items() if w == 1280 for ok in r["boxes"]]
    assert len(tables) >= 20 and all(tables), f"{tables.count(False)} of {len(tables)} tables have no labelled box"


def test_no_serious_or_critical_accessibility_violation_at_any_width(at_widths):
    problems = [f"{w} px {name}: {v}" for (w, name), r in at_widths.items() for v in r["axe"]]
    assert not problems, "\n".join(problems)


def first_visit(browser, url: str) -> dict[str, int]:
    """Bytes of every file a first visit (empty cache) loads, by address."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    loaded = {}
    page.on("response", lambda r: loaded.__setitem__(r.url, len(r.body())) if r.ok else None)
    page.goto(url, wait_until="networkidle")
    context.close()
    return loaded


def test_the_front_page_first_visit_is_under_1_mb_without_the_chart_library(browser, server):
    loaded = first_visit(browser, f"{server}/chapters/index.html")
    total = sum(loaded.values())
    largest = sorted(loaded.items(), key=lambda kv: -kv[1])[:5]
    assert total < FIRST_VISIT_LIMIT, f"front page first visit {total:,} bytes; largest: {largest}"
    assert not any("vega-bundle" in url or "fontawesome.js" in url for url in loaded), largest


def test_a_page_with_charts_loads_the_chart_library(browser, server):
    assert any("vega-bundle.js" in url for url in first_visit(browser, f"{server}/chapters/savings.html"))


PRINTED = """(width) => ({
  nav: ['.bd-header', '.bd-sidebar-primary', '.bd-sidebar-secondary', '.prev-next-area', '.bd-footer']
         .filter(s => Array.from(document.querySelectorAll(s)).some(e => e.checkVisibility())),
  wide: Array.from(document.querySelectorAll('article table'))
         .filter(t => t.checkVisibility() && t.getBoundingClientRect().right > width + 1)
         .map(t => ({landscape: getComputedStyle(t.closest('.table-scroll') || t).page === 'landscape',
                     caption: (t.caption || {}).textContent})),
  blank: Array.from(document.querySelectorAll('.vega-chart'))
         .filter(c => !(c.querySelector('svg') && c.querySelector('svg').checkVisibility())).length,
  webOnly: Array.from(document.querySelectorAll('.web-only')).filter(e => e.checkVisibility()).length,
})"""


def printed(browser, built) -> tuple[dict, dict]:
    """Every chapter laid out for print on a page PRINT_WIDTH CSS px wide (portrait) and LANDSCAPE_WIDTH px
    wide (landscape): each page is opened once, at the portrait width, and laid out again at the other."""
    layout, _ = built
    context = browser.new_context(viewport={"width": PRINT_WIDTH, "height": 1000})
    page = context.new_page()
    portrait, landscape = {}, {}
    for path in pages(layout.site_dir):
        page.set_viewport_size({"width": PRINT_WIDTH, "height": 1000})
        open_drawn(page, path.as_uri())
        page.emulate_media(media="print")
        portrait[path.name] = page.evaluate(PRINTED, PRINT_WIDTH)
        page.set_viewport_size({"width": LANDSCAPE_WIDTH, "height": 1000})
        landscape[path.name] = page.evaluate(PRINTED, LANDSCAPE_WIDTH)
        page.emulate_media(media="screen")
    context.close()
    return portrait, landscape


def test_every_chapter_prints_without_navigation_and_with_its_tables_and_charts_on_the_page(browser, built):
    portrait, landscape = printed(browser, built)
    problems = []
    for name, found in portrait.items():
        if found["nav"] or found["blank"] or found["webOnly"]:
            problems.append(f"{name}: printed with {found}")
        problems += [f"{name}: '{t['caption']}' is wider than an A4 page" for t in found["wide"] if not t["landscape"]]
        problems += [f"{name}: '{t['caption']}' is wider than a landscape A4 page" for t in landscape[name]["wide"]]
    assert not problems, "\n".join(problems)
    assert any(t["landscape"] for found in portrait.values() for t in found["wide"]), \
        "no table was wide enough to need a landscape page: the check of landscape tables is not exercised"


def test_a_table_of_many_columns_prints_on_a_landscape_page(browser, built):
    layout, _ = built
    context = browser.new_context()
    page = context.new_page()
    open_drawn(page, (layout.site_dir / "chapters" / "assumptions_log.html").as_uri())
    printout = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    context.close()
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in printout.pages]
    assert (595, 842) in sizes and (842, 595) in sizes, sizes


def test_the_briefing_pdf_is_a4_at_most_two_pages_and_links_only_to_the_published_site(built):
    layout, _ = built
    pdf = layout.site_dir / "downloads" / "committee-briefing.pdf"
    assert pdf.exists(), "Chromium is needed for the briefing PDF: make test installs it when it can"
    reader = PdfReader(pdf)
    assert 1 <= len(reader.pages) <= 2
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert all(abs(a - b) < 2 for a, b in zip(size, A4_POINTS)), f"page size {size} pt is not A4"
    public = yaml.safe_load((paths.ROOT / "_config.yml").read_text())["html"]["baseurl"]
    links = [a.get_object().get("/A", {}).get("/URI") for page in reader.pages for a in page.get("/Annots") or []]
    links = [str(u) for u in links if u]
    assert links, "the briefing PDF has no links at all (its source and citation links are expected)"
    assert not [u for u in links if u.startswith("file:")], links
    assert all(u.startswith(public) or re.match(r"https?://", u) for u in links), links
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "PDF for printing" not in text
