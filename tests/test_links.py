"""Every internal link and anchor in the built site resolves (checked offline, from the files)."""
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.slow


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for key in ("href", "src"):
            if a.get(key) and tag in ("a", "link", "script", "img", "iframe", "source"):
                self.links.append(a[key])


def parse(path: Path) -> LinkParser:
    p = LinkParser()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def broken_links(site: Path) -> list[str]:
    pages = [p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts]  # theme templates
    parsed = {path: parse(path) for path in pages}
    problems = []
    for path, p in parsed.items():
        for link in p.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto", "data", "javascript") or link.startswith("//"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.exists():
                problems.append(f"{path.relative_to(site)}: {link} (no such file)")
            elif parts.fragment and target in parsed:
                if unquote(parts.fragment) not in parsed[target].ids:
                    problems.append(f"{path.relative_to(site)}: {link} (no such anchor)")
    return problems


def test_no_internal_link_or_anchor_is_broken(built):
    layout, _ = built
    assert broken_links(layout.site_dir) == []


def test_the_checker_finds_a_broken_link_and_a_broken_anchor(tmp_path):
    (tmp_path / "a.html").write_text('<p id="here"><a href="b.html">x</a><a href="a.html#there">y</a><a href="#here">z</a></p>')
    assert broken_links(tmp_path) == ["a.html: b.html (no such file)", "a.html: a.html#there (no such anchor)"]
