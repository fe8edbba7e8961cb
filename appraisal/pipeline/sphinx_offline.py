"""Sphinx extension: small repairs to the theme's output so that pages are self-contained and accessible.

- Jupyter Book 1 always loads sphinx-thebe, which writes an address on a public CDN into every page and
  declares its settings twice (a script error). The site runs no live code, so those scripts are removed.
- The "show code" toggles carry an aria-label that differs from their visible text (WCAG 2.5.3); the
  label is dropped so the visible text names them.
- docutils wraps bibliography entries in role="list" while Sphinx puts links beside them, which breaks
  the ARIA list rules; the entries are written as plain blocks instead.
- Each page loads only the scripts and styles it uses: the chart library only where the page draws a
  chart, code highlighting and copy buttons only where there is code, notebook styles only where there
  is notebook output, and nothing for features the site does not use (tabs and cards, toggles, live
  code). The theme's 1.5 MB icon script and the search index on every page are left out by the
  templates in `_templates/` (the few icons come from the icon font that the theme's stylesheet declares).
- The site's public address (`html.baseurl`, used for the links of the printed briefing) is not written
  into every page as a canonical link: a page names no other host, and a scenario build, which shows
  other figures, does not claim to be the published page.
"""
import re

from docutils import nodes

THEBE_MARKERS = ("THEBE_JS_URL", "sphinx-thebe.js", "thebe")
NEVER = re.compile(r"(^|/)sphinx-thebe\.css$")
# Asset file name -> what the page body must contain for the asset to be loaded.
NEEDS = (
    (re.compile(r"(^|/)(vega-bundle|charts)\.js$"), re.compile(r'class="vega-chart"')),
    (re.compile(r"(^|/)explorer\.js$"), re.compile(r'id="explorer"')),
    (re.compile(r"(^|/)provenance\.js$"), re.compile(r'id="figure-data"')),
    (re.compile(r"(^|/)(pygments\.css|copybutton\.css|copybutton\.js|clipboard\.min\.js)$"),
     re.compile(r'class="highlight')),
    (re.compile(r"(^|/)(sphinx-design\.min\.css|design-tabs\.js)$"), re.compile(r'class="[^"]*\bsd-')),
    (re.compile(r"(^|/)togglebutton\.(css|js)$"), re.compile(r'class="[^"]*\b(toggle|dropdown)\b')),
    (re.compile(r"(^|/)mystnb\.[0-9a-f]+\.css$"), re.compile(r'class="[^"]*\b(cell|output)\b')),
)


def _is_thebe(script) -> bool:
    filename = str(getattr(script, "filename", "") or "")
    body = str((getattr(script, "attributes", {}) or {}).get("body", ""))
    return any(marker in filename or marker in body for marker in THEBE_MARKERS)


def _asset_name(asset) -> str:
    return str(getattr(asset, "filename", "") or asset).split("?")[0]


def page_uses(asset_name: str, body: str) -> bool:
    """Whether a page with this body needs the script or style sheet of this name."""
    if NEVER.search(asset_name):
        return False
    for name, marker in NEEDS:
        if name.search(asset_name):
            return bool(marker.search(body))
    return True


def _repair_page(app, pagename, templatename, context, doctree):
    context["pageurl"] = None  # no <link rel="canonical"> to the public address
    body = context.get("body", "")
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"]
                                   if not _is_thebe(s) and page_uses(_asset_name(s), body)]
    if "css_files" in context:
        context["css_files"] = [c for c in context["css_files"] if page_uses(_asset_name(c), body)]
    if "body" in context:
        context["body"] = context["body"].replace('<summary aria-label="Toggle hidden content">', "<summary>")


def _visit_citation(self, node):
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname]))


def _depart_citation(self, node):
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")


def setup(app):
    app.connect("html-page-context", _repair_page, priority=900)
    app.add_node(nodes.citation, override=True, html=(_visit_citation, _depart_citation))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
