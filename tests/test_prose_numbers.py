"""Prose gets numbers from the figures register: no quantity is typed into a chapter's text.

Years, financial years and figure or table numbers may be written out; any other number must come from
a {num} reference to the register, so that it changes when the data changes."""
import json
import re

from appraisal import paths

ALLOWED = re.compile(r"^(?:(?:19|20)\d\d(?:[-/]\d\d)?|(?:Table|Figure) \d+\.\d+)$")
STRIP = [
    re.compile(r"\{[a-z:]+\}`[^`]*`"),      # roles: glue, cite, ref, numref
    re.compile(r"`[^`]*`"),                  # code spans
    re.compile(r"^\(.*\)=\s*$", re.M),       # labels
    re.compile(r"\{\{[^}]*\}\}"),            # substitutions
    re.compile(r"<[^>]+>"),                  # HTML tags and their attributes
    re.compile(r"^```.*?^```", re.M | re.S),  # directive blocks
    re.compile(r"^\s*\d+\.\s", re.M),        # list numbering
]
NUMBER = re.compile(r"(?<![\w/-])(?:(?:Table|Figure) \d+\.\d+|\d{4}[-/]\d{2}(?!\d)|[£$]?\d[\d,.]*%?)(?![\w])")


def typed_numbers(text: str) -> list[str]:
    for pattern in STRIP:
        text = pattern.sub(" ", text)
    return [n.rstrip(".,") for n in NUMBER.findall(text) if not ALLOWED.match(n.rstrip(".,"))]


def prose() -> dict[str, str]:
    texts = {p.name: p.read_text() for p in paths.CHAPTERS.glob("*.md")}
    for nb in paths.NOTEBOOKS.glob("*.ipynb"):
        cells = json.loads(nb.read_text())["cells"]
        texts[nb.name] = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return texts


# Pages whose numbers are about the website, not the appraisal: the accessibility statement quotes the standard
# (WCAG 2.2 and its success criteria), screen widths and tool versions (test_statements.py checks those
# against the tests and the Makefile).
ABOUT_THE_WEBSITE = {"accessibility.md"}


def test_no_quantity_is_typed_into_the_prose():
    found = {name: typed_numbers(text) for name, text in prose().items() if name not in ABOUT_THE_WEBSITE}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_check_finds_a_typed_number_and_allows_glue_and_years():
    assert typed_numbers("Sharing saved £2.6 million in 2016/17.") == ["£2.6"]
    assert typed_numbers("It saved {num}`npv` in 2015-16, see Table 2.3 {cite:p}`nao2016ssc`.") == []
