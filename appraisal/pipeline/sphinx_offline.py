"""Sphinx extension: small repairs to the theme's output so that pages are self-contained and accessible.

- Jupyter Book 1 always loads sphinx-thebe, which writes an address on a public CDN into every page and
  declares its settings twice (a script error). The site runs no live code, so those scripts are removed.
- The "show code" toggles carry an aria-label that differs from their visible text (WCAG 2.5.3); the
  label is dropped so the visible text names them.
- docutils wraps bibliography entries in role="list" while Sphinx puts links beside them, which breaks
  the ARIA list rules; the entries are written as plain blocks instead.
"""
from docutils import nodes

THEBE_MARKERS = ("THEBE_JS_URL", "sphinx-thebe.js", "thebe")


def _is_thebe(script) -> bool:
    filename = str(getattr(script, "filename", "") or "")
    body = str((getattr(script, "attributes", {}) or {}).get("body", ""))
    return any(marker in filename or marker in body for marker in THEBE_MARKERS)


def _repair_page(app, pagename, templatename, context, doctree):
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if not _is_thebe(s)]
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
