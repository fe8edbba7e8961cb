"""What a reader sees on the built site and in its downloads, as the tests of the site's own style check it:
the visible text of every page, the cells and headers of every table and download, and the chart specs.

Each check returns what it found wrong (empty when all is well), so that a test can say where."""
import csv
import json
import re
from pathlib import Path

from bs4 import BeautifulSoup

MINUS = "\u2212"
# A hyphen-minus used as a minus sign: before a digit or £, at the start of a text or after a space or an
# opening bracket or punctuation. A hyphen between digits or after a letter (2015-16, 2009-2011, 2-R026, 0-30)
# is a range or part of a name, not a sign.
HYPHEN_MINUS = re.compile(r"(?:^|(?<=[\s(\[:;,=]))-(?=£?\d)")
NUMBER_CELL = re.compile(r"^[−-]?£?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?%?$")
MONEY_OR_SHARE_HEADER = re.compile(r"£|%|\bshare\b|\bchance\b|ratio|÷", re.I)
ATTRIBUTES = ("aria-label", "alt", "title", "placeholder")
MOST_FIGURES = 3
NOT_ESTIMATES = ("Version",)  # table columns whose numbers are names of a version, not estimates


def pages(site: Path) -> dict[str, BeautifulSoup]:
    """Every HTML page a reader can open (not the executed notebooks kept as page sources)."""
    out = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site)
        if rel.parts[0] in ("_static", "_sources"):
            continue
        out[str(rel)] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return out


def visible_text(soup: BeautifulSoup) -> str:
    """The words a page shows or reads out: its text and its labels and text alternatives."""
    soup = BeautifulSoup(str(soup), "html.parser")
    labels = [tag.get(a, "") for tag in soup.find_all(True) for a in ATTRIBUTES if tag.get(a)]
    for tag in soup(["script", "style"]):
        tag.decompose()
    return " ".join([soup.get_text(" "), *labels])


def hyphen_minus(text: str, width: int = 40) -> list[str]:
    """Each place a hyphen-minus stands for a minus sign, with the words around it."""
    return [text[max(0, m.start() - width):m.end() + width] for m in HYPHEN_MINUS.finditer(text)]


def downloads(site: Path) -> list[Path]:
    """Every CSV download of a figure or table (the figures register is a plain table for programs)."""
    return [p for p in sorted((site / "downloads").glob("*.csv")) if not p.name.startswith("figures_register")]


def read_download(path: Path) -> tuple[list[str], list[str], list[list[str]]]:
    """A download's comment lines, header and rows, as text."""
    lines = path.read_text(encoding="utf-8").splitlines()
    comments = [line for line in lines if line.startswith("#")]
    rows = list(csv.reader(line for line in lines if not line.startswith("#")))
    return comments, rows[0], rows[1:]


def is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def significant_figures(text: str) -> int:
    """Significant figures of a number as printed: '43.0' 3, '0.035' 2, '1,340' 3, '100.0%' 4."""
    digits = re.sub(r"[^\d.]", "", text)
    if "." in digits:
        return len(digits.replace(".", "").lstrip("0")) or 1
    return len(digits.lstrip("0").rstrip("0")) or 1


def tables(soup: BeautifulSoup) -> list[tuple[str, list[str], list[list[str]], BeautifulSoup]]:
    """Each table on a page: its caption, headers, rows of cell text, and the table itself."""
    out = []
    for table in soup.find_all("table"):
        caption = table.find("caption")
        head = [th.get_text(" ", strip=True) for th in table.select("thead th")]
        rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.select("tbody tr")]
        out.append((caption.get_text(" ", strip=True) if caption else "", head, rows, table))
    return out


def too_precise(header: str, cell: str) -> bool:
    """Whether a table cell shows an estimate to more than three significant figures. Counts, years and
    ids (whole numbers in a column with no unit of money or share) are what they are."""
    if not NUMBER_CELL.match(cell) or not re.search(r"\d", cell) or header.startswith(NOT_ESTIMATES):
        return False
    if "." not in cell and "%" not in cell and "£" not in cell and not MONEY_OR_SHARE_HEADER.search(header):
        return False
    return significant_figures(cell) > MOST_FIGURES


def readers_header(header: str) -> bool:
    """A header in readers' words: no underscores of a program's names, and a capital or a figure first."""
    return "_" not in header and bool(re.match(r"[A-Z0-9£]", header))


def specs(soup: BeautifulSoup) -> dict[str, dict]:
    """Each chart's Vega-Lite spec on a page, by figure id."""
    return {tag["id"][len("spec-"):]: json.loads(tag.string.replace("<\\/", "</"))
            for tag in soup.find_all("script", id=re.compile(r"^spec-"))}


def views(spec: dict):
    """Every single view of a spec (inside layers, concatenations and facets), with its mark and encoding."""
    if "mark" in spec:
        yield spec
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for part in spec.get(key, []):
            yield from views(part)
    if "spec" in spec:
        yield from views(spec["spec"])


def data_table(soup: BeautifulSoup, fig_id: str) -> list[str]:
    """The headers of the data table shown with a figure."""
    figure = soup.find("figure", id=fig_id)
    return [th.get_text(" ", strip=True) for th in figure.select("details table thead th")]


def dataset(spec: dict) -> list[dict]:
    return max(spec.get("datasets", {}).values(), key=len, default=[])
