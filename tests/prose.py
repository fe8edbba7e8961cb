"""The prose of the publication as a reader sees it, for the tests of its words: the Markdown pages and the
Markdown cells of the chapter notebooks, with roles, code, labels and markup taken out."""
import json
import re

from appraisal import paths

TERM = re.compile(r"\{term\}`([^`<]*?)(?:\s*<([^>]+)>)?`")
HIDDEN = [
    re.compile(r"^```.*?^```", re.M | re.S),        # fenced blocks: code and directives
    re.compile(r"\{(?:num|cite|ref|numref|doc)[a-z:]*\}`[^`]*`"),  # roles whose text is not typed here
    re.compile(r"`[^`]*`"),                          # code spans
    re.compile(r"^\(.*\)=\s*$", re.M),               # labels
    re.compile(r"\{\{[^}]*\}\}"),                    # substitutions
    re.compile(r"<[^>]+>"),                          # HTML tags
    re.compile(r"https?://\S+"),                     # addresses
]


def pages() -> dict[str, str]:
    """Each page's Markdown source: the chapters' Markdown pages and each notebook's Markdown cells."""
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(paths.CHAPTERS.glob("*.md"))}
    for nb in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        texts[nb.name] = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return texts


def visible(text: str, keep_terms: bool = True) -> str:
    """The words a reader sees that are typed into the page (glued values and citations are not)."""
    text = TERM.sub(lambda m: m.group(1) if keep_terms else " ", text)
    for pattern in HIDDEN:
        text = pattern.sub(" ", text)
    return text
