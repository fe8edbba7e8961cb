"""The formats committee papers are written in, made after the site is built: the committee briefing as an
editable Word document, and every table of the site in one spreadsheet (OpenDocument, which Excel and
LibreOffice open).

One source of truth each. The Word document is made from the built briefing page (its main content, with every
number already filled from the figures register), so it says exactly what the page says; what the page shows
only on screen (class "web-only", heading anchors, the markers that open where a number comes from) is left
out, as the printed briefing leaves it out. The spreadsheet is made from the tables' CSV downloads, so each
value is the value a reader downloads.

The spreadsheet follows the Government Analysis Function's guidance on releasing statistics in spreadsheets: a
cover sheet with a table of contents, a notes sheet, one table on each sheet starting in column A with its
title in cell A1, meaningful sheet names, units in the column headings, no merged cells and no blank rows.
It is written with the standard library, and both files are stored with fixed times, so that a rebuild of the
same commit gives the same bytes (as every other download)."""
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.sax.saxutils import escape, quoteattr

DOCX = "committee-briefing.docx"
ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # as the zip of all downloads
SKIPPED = ("web-only", "headerlink", "figure-ref-marker", "chart-downloads")  # screen-only, as in print.css
BRIEFING_SUBJECT = "Committee briefing"


def ods_name(version: str, scenario: bool = False) -> str:
    """The spreadsheet's file name: the version it holds, and 'scenario' for a scenario build."""
    safe = re.sub(r"[^0-9A-Za-z.]+", "-", version or "unversioned").strip("-")
    return f"all-tables-{safe}{'-scenario' if scenario else ''}.ods"


def normalised_zip(data: bytes, first: str | None = None) -> bytes:
    """The same archive with every entry at a fixed time and fixed permissions (`first` stored uncompressed at
    the start, as OpenDocument's mimetype must be), so that its bytes depend only on its contents."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    if first in names:
        names = [first, *[n for n in names if n != first]]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == first else zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(name))
    return out.getvalue()


# --- The committee briefing as a Word document ------------------------------------------------------------

def _classes(node) -> list[str]:
    return list(node.get("class") or []) if hasattr(node, "get") else []


def _skipped(node) -> bool:
    return node.name in ("script", "style", "noscript", "button") or any(c in SKIPPED for c in _classes(node))


def _hyperlink(paragraph, address: str, text: str, bold: bool = False, italic: bool = False) -> None:
    """A link in the document: a run inside w:hyperlink, underlined in the link colour."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(address, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    for tag, value in (("w:b", None if bold else False), ("w:i", None if italic else False),
                       ("w:color", "1D70B8"), ("w:u", "single")):
        if value is False:
            continue
        element = OxmlElement(tag)
        if value:
            element.set(qn("w:val"), value)
        props.append(element)
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _numbered_afresh(document) -> str:
    """A numbering that starts again at 1, for one numbered list (lists of the 'List Number' style would
    otherwise run on from the list before)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    numbering = document.part.numbering_part.element
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    abstract = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(style_num)) \
        .find(qn("w:abstractNumId")).get(qn("w:val"))
    new_id = str(max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), new_id)
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), abstract)
    num.append(ref)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.append(override)
    numbering.append(num)
    return new_id


def _use_numbering(paragraph, num_id: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = paragraph._p.get_or_add_pPr()
    numbering = OxmlElement("w:numPr")
    level = OxmlElement("w:ilvl")
    level.set(qn("w:val"), "0")
    number = OxmlElement("w:numId")
    number.set(qn("w:val"), num_id)
    numbering.extend([level, number])
    props.append(numbering)


@dataclass
class _Where:
    page: Path          # the built page read
    public: str         # the page's published address, for links

    def link(self, href: str) -> str | None:
        """Where a link leads once the document is away from the site: its published address; None for a link
        within the page (there is no page to jump about in)."""
        if not href or href.startswith("#"):
            return None
        if urlsplit(href).scheme in ("http", "https", "mailto"):
            return href
        return urljoin(self.public, href)


def _text(node) -> str:
    return re.sub(r"\s+", " ", node.get_text() if hasattr(node, "get_text") else str(node))


def _inline(paragraph, node, where: _Where, bold=False, italic=False) -> None:
    """The text of an element into a paragraph, run by run: bold, italic and links kept; line breaks in the
    source are spaces."""
    _runs(paragraph, node.children, where, bold, italic)


def _runs(paragraph, children, where: _Where, bold=False, italic=False) -> None:
    from bs4 import NavigableString

    for child in children:
        if isinstance(child, NavigableString):
            text = re.sub(r"\s+", " ", str(child))
            if text:
                run = paragraph.add_run(text)
                run.bold, run.italic = bold or None, italic or None
            continue
        if _skipped(child):
            continue
        if child.name == "br":
            paragraph.add_run().add_break()
        elif child.name == "a":
            address = where.link(child.get("href", ""))
            if address and "figure-ref" not in _classes(child):
                _hyperlink(paragraph, address, _text(child), bold, italic)
            else:
                _inline(paragraph, child, where, bold, italic)
        elif child.name == "img":
            _picture(paragraph, child, where)
        else:
            _inline(paragraph, child, where, bold or child.name in ("strong", "b", "th"),
                    italic or child.name in ("em", "i"))


def _tidy(paragraph) -> None:
    """No space at the start or end of a paragraph (the page's line breaks become spaces), links included."""
    from docx.oxml.ns import qn

    texts = [t for t in paragraph._p.iter(qn("w:t")) if t.text]
    if texts:
        texts[0].text = texts[0].text.lstrip()
        texts[-1].text = texts[-1].text.rstrip()


def _picture(paragraph, img, where: _Where) -> None:
    """An image with its text alternative as the picture's alt text (descr); an image Word cannot hold (SVG)
    or cannot find is given as its text alternative in words."""
    from docx.shared import Cm

    alt = (img.get("alt") or "").strip()
    path = (where.page.parent / (img.get("src") or "")).resolve()
    if path.suffix.lower() in (".png", ".jpg", ".jpeg", ".gif") and path.is_file():
        run = paragraph.add_run()
        shape = run.add_picture(str(path), width=Cm(15))
        shape._inline.docPr.set("descr", alt)
        shape._inline.docPr.set("title", alt[:100])
    elif alt:
        paragraph.add_run(f"[{alt}]")


def _list(document, node, where: _Where, depth: int = 1) -> None:
    """A list with its items as list paragraphs (bullets, or numbers starting at 1); a list inside an item is
    one level further in."""
    numbered = node.name == "ol"
    style = ("List Number" if numbered else "List Bullet") + (f" {depth}" if depth > 1 else "")
    num_id = _numbered_afresh(document) if numbered and depth == 1 else None
    for item in node.find_all("li", recursive=False):
        paragraph = document.add_paragraph(style=style)
        if num_id:
            _use_numbering(paragraph, num_id)
        nested = [c for c in item.children if getattr(c, "name", None) in ("ul", "ol")]
        inline = []
        for child in item.children:
            if getattr(child, "name", None) == "p":
                inline.extend(child.children)
            elif child not in nested:
                inline.append(child)
        _runs(paragraph, inline, where)
        _tidy(paragraph)
        for sub in nested:
            _list(document, sub, where, min(depth + 1, 3))


def _cell_is_number(cell) -> bool:
    return "num" in _classes(cell)


def _table(document, node, where: _Where) -> None:
    """A table with its caption as a caption paragraph and as the table's alt text, its header row repeated on
    every page, and numbers aligned right."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    caption = node.find("caption")
    title = _text(caption).strip() if caption else ""
    if title:
        document.add_paragraph(title, style="Caption")
    rows = node.find_all("tr")
    width = max(len(r.find_all(["th", "td"])) for r in rows)
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for r in rows:
        cells = r.find_all(["th", "td"])
        row = table.add_row()
        header = r.parent.name == "thead"
        if header:
            props = row._tr.get_or_add_trPr()
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            props.append(repeat)
        for k, cell in enumerate(cells):
            paragraph = row.cells[k].paragraphs[0]
            _inline(paragraph, cell, where, bold=header or cell.name == "th")
            _tidy(paragraph)
            if _cell_is_number(cell):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    props = table._tbl.tblPr
    for tag, value in (("w:tblCaption", title), ("w:tblDescription", f"Table: {title}" if title else "")):
        if value:
            element = OxmlElement(tag)
            element.set(qn("w:val"), value[:250])
            props.append(element)


def _blocks(document, node, where: _Where) -> None:
    """Every block of the page's main content, in order: headings as real headings, paragraphs, lists,
    tables and images."""
    for child in node.children:
        name = getattr(child, "name", None)
        if name is None:
            if str(child).strip():
                _tidy_add(document, child)
            continue
        if _skipped(child):
            continue
        if name in ("h1", "h2", "h3", "h4"):
            heading = document.add_heading(level=int(name[1]))
            _inline(heading, child, where)
            _tidy(heading)
        elif name == "p":
            paragraph = document.add_paragraph()
            _inline(paragraph, child, where)
            _tidy(paragraph)
            if not paragraph.text.strip() and not paragraph._p.xpath(".//w:drawing"):
                paragraph._p.getparent().remove(paragraph._p)
        elif name in ("ul", "ol"):
            _list(document, child, where)
        elif name == "table":
            _table(document, child, where)
        elif name == "img":
            _picture(document.add_paragraph(), child, where)
        elif name in ("section", "div", "figure", "blockquote", "span", "article", "main"):
            _blocks(document, child, where)


def _tidy_add(document, text) -> None:
    paragraph = document.add_paragraph(re.sub(r"\s+", " ", str(text)).strip())
    if not paragraph.text:
        paragraph._p.getparent().remove(paragraph._p)


def briefing_docx(page: Path, target: Path, public_page: str, title: str, built: str, language: str = "en-GB") -> Path:
    """The built briefing page as a Word document: its main content, with headings, lists, tables (caption and
    alt text) and any image (alt text); links lead to the published site. `public_page` is the page's published
    address; `built` the build date (ISO), written as the document's date."""
    import datetime as dt

    import docx
    from bs4 import BeautifulSoup
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("article", class_="bd-article") or soup.find("main") or soup.body
    document = docx.Document()
    # The document's language, for spelling and for screen readers.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_props = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_props.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_props.append(lang)
    lang.set(qn("w:val"), language)
    _blocks(document, main, _Where(page, public_page))
    heading = next((p.text for p in document.paragraphs if p.style.name == "Heading 1"), BRIEFING_SUBJECT)
    props = document.core_properties
    props.title = f"{title}: {heading}"
    props.subject = BRIEFING_SUBJECT
    props.author = title
    props.last_modified_by = title
    props.language = language
    props.keywords = "shared services; ICT; legal; Cambridgeshire; appraisal"
    props.comments = f"Made from the committee briefing page: {public_page}"
    props.revision = 1
    when = dt.datetime.fromisoformat(built) if built else dt.datetime(2000, 1, 1)
    props.created = props.modified = when.replace(tzinfo=None)
    out = io.BytesIO()
    document.save(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(normalised_zip(out.getvalue()))
    return target


# --- Every table of the site in one spreadsheet -----------------------------------------------------------

@dataclass
class SheetTable:
    """One table of the site as its CSV download holds it."""
    label: str                  # stable label, the CSV's name: tbl-risk-register
    title: str                  # 'Table 4.7: Risk register: ...'
    preamble: dict              # the CSV's comment lines by their first word: Source, Version, Licence
    header: list[str]
    rows: list[list[str]]

    @property
    def sheet(self) -> str:
        """A short, meaningful sheet name: the stable label without 'tbl-', words joined by '_' (at most 31
        characters, which every spreadsheet program accepts)."""
        words = self.label.removeprefix("tbl-").split("-")
        return "_".join([words[0].capitalize(), *words[1:]])[:31]


def read_table(path: Path) -> SheetTable:
    lines = path.read_text(encoding="utf-8").splitlines()
    comments = [line[1:].strip() for line in lines if line.startswith("#")]
    body = [line for line in lines if not line.startswith("#")]
    records = list(csv.reader(body))
    preamble = {}
    for line in comments[1:]:
        key, _, value = line.partition(":")
        preamble[key.strip()] = value.strip()
    return SheetTable(path.stem, comments[0] if comments else path.stem, preamble, records[0], records[1:])


def _number(text: str) -> float | None:
    """A cell's value as a number when the CSV holds one (as pandas would read it), else None."""
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text.strip()):
        return None
    return float(text)


SHARE_WORDS = ("share", "chance", "probability", "proportion")


def heading_with_unit(name: str, values: list[str]) -> str:
    """A column heading with its unit: a column of proportions written from 0 to 1 says so (other headings
    already carry their unit, such as '(£)', or the table has a unit column)."""
    numbers = [_number(v) for v in values if v.strip()]
    if "(" in name or not numbers or None in numbers or not name.lower().startswith(SHARE_WORDS):
        return name
    return f"{name} (proportion, 1 = 100%)"


TRUTH = {"True": True, "TRUE": True, "true": True, "False": False, "FALSE": False, "false": False}  # as pandas reads


def _truth(text: str) -> bool | None:
    return TRUTH.get(text.strip())


def _cell(value, style: str | None = None, link: str | None = None) -> str:
    style_attr = f" table:style-name={quoteattr(style)}" if style else ""
    if value is None or value == "":
        return f"<table:table-cell{style_attr}/>"
    if isinstance(value, bool):
        return (f'<table:table-cell{style_attr} office:value-type="boolean" office:boolean-value='
                f'"{str(value).lower()}"><text:p>{str(value).upper()}</text:p></table:table-cell>')
    if isinstance(value, float):
        shown = repr(value)
        if shown.endswith(".0"):
            shown = shown[:-2]
        return (f'<table:table-cell{style_attr} office:value-type="float" office:value="{repr(value)}">'
                f"<text:p>{escape(shown)}</text:p></table:table-cell>")
    text = escape(str(value))
    if link:
        text = f'<text:a xlink:type="simple" xlink:href={quoteattr(link)}>{text}</text:a>'
    return f'<table:table-cell{style_attr} office:value-type="string"><text:p>{text}</text:p></table:table-cell>'


def _row(cells: list[str]) -> str:
    return "<table:table-row>" + "".join(cells) + "</table:table-row>"


def _columns(widths: list[float]) -> tuple[str, list[str]]:
    """Column styles (widths in cm) and the columns that use them."""
    styles, columns = [], []
    for k, width in enumerate(widths):
        name = f"co{k}"
        styles.append(f'<style:style style:name="{name}" style:family="table-column">'
                      f'<style:table-column-properties style:column-width="{width:.2f}cm"/></style:style>')
        columns.append(name)
    return "".join(styles), columns


def _width(texts: list[str], most: float = 12.0) -> float:
    longest = max((len(t) for t in texts), default=8)
    return max(2.5, min(most, 0.2 * longest + 0.6))


def _address(sheet: str, cell: str = "A1") -> str:
    return f"#{sheet}.{cell}" if re.fullmatch(r"\w+", sheet) else f"#'{sheet}'.{cell}"


def _range(sheet: str, first_row: int, last_row: int, columns: int) -> str:
    """An ODF cell range address: $Sheet.$A$5:.$D$9."""
    def column(n: int) -> str:
        name = ""
        while n:
            n, r = divmod(n - 1, 26)
            name = chr(65 + r) + name
        return name
    return f"${sheet}.$A${first_row}:.${column(columns)}${last_row}"


@dataclass
class Workbook:
    title: str
    version: str
    built: str
    licence: str
    contact: str
    scenario: bool = False


NOTES = [
    ("[note 1]", "Each table is on its own worksheet, with its title in cell A1 and its source and version in "
                 "the rows under the title, as in the first lines of its CSV download. The table itself starts "
                 "at its column headings."),
    ("[note 2]", "The values are those of the table's CSV download, at full precision; the website rounds them "
                 "for reading. Proportions are written from 0 to 1: 0.25 is 25%. A column heading gives the unit "
                 "of its column, such as (£) for pounds; where the unit differs from row to row, a column of "
                 "the table names it."),
    ("[note 3]", "A blank cell means that the data holds no value there: the column does not apply to that row."),
    ("[note 4]", "The worksheet names come from each table's stable label, which is also the name of its CSV "
                 "download and its address on the website, and does not change from one version to the next."),
]


def tables_ods(tables: list[SheetTable], target: Path, book: Workbook) -> Path:
    """Every table in one OpenDocument spreadsheet: a cover sheet with a table of contents, a notes sheet and one
    sheet per table, each marked up as a named table (a database range) starting at its headings."""
    styles = ['<style:style style:name="title" style:family="table-cell"><style:text-properties '
              'fo:font-size="14pt" fo:font-weight="bold"/></style:style>',
              '<style:style style:name="heading" style:family="table-cell"><style:text-properties '
              'fo:font-weight="bold"/></style:style>']
    sheets, ranges = [], []

    def sheet(name: str, column_widths: list[float], rows: list[str]) -> None:
        column_styles, columns = _columns(column_widths)
        styles.append(column_styles.replace('style:name="co', f'style:name="{name}-co'))
        cols = "".join(f'<table:table-column table:style-name="{name}-{c}"/>' for c in columns)
        sheets.append(f"<table:table table:name={quoteattr(name)}>{cols}{''.join(rows)}</table:table>")

    def marked(name: str, first_row: int, header: list[str], body: list[list]) -> list[str]:
        where = _range(name, first_row, first_row + len(body), len(header))
        ranges.append(f'<table:database-range table:name={quoteattr(name + "_table")} '
                      f'table:target-range-address={quoteattr(where)} table:contains-header="true"/>')
        return [_row([_cell(h, "heading") for h in header]),
                *(_row([_cell(v) for v in values]) for values in body)]

    # Cover: what the workbook is, then its contents.
    contents_header = ["Worksheet", "What it holds", "Stable label (the CSV download's name)"]
    contents = [["Notes", "Notes that apply to every table", "none: the notes are not a download of their own"]]
    contents += [[t.sheet, t.title, t.label] for t in tables]
    cover_lines = [
        (book.title + ": every table", "title"),
        ("This workbook holds every table of the publication, one on each worksheet, with the same values as "
         "the table's CSV download.", None),
        (f"{book.version}. Built {book.built}.", None),
        (f"Licence: {book.licence}", None),
        (f"Contact: {book.contact}", None),
        ("Contents", "heading"),
    ]
    cover_rows = [_row([_cell(text, style)]) for text, style in cover_lines]
    first = len(cover_rows) + 1
    ranges.append(f'<table:database-range table:name="Cover_contents" '
                  f'table:target-range-address={quoteattr(_range("Cover", first, first + len(contents), 3))} '
                  'table:contains-header="true"/>')
    cover_rows.append(_row([_cell(h, "heading") for h in contents_header]))
    cover_rows += [_row([_cell(name, link=_address(name)), _cell(what), _cell(label)])
                   for name, what, label in contents]
    sheet("Cover", [6.0, 18.0, 9.0], cover_rows)

    notes_rows = [_row([_cell("Notes", "title")]), _row([_cell("This worksheet contains one table.")])]
    notes_rows += marked("Notes", len(notes_rows) + 1, ["Note number", "Note text"], [list(n) for n in NOTES])
    sheet("Notes", [3.0, 30.0], notes_rows)

    for t in tables:
        header = [heading_with_unit(h, [r[k] if k < len(r) else "" for r in t.rows]) for k, h in enumerate(t.header)]
        padded = [r + [""] * (len(header) - len(r)) for r in t.rows]
        # A column is numbers (or true and false) only when every cell that holds something is one, as a CSV
        # reader decides; a column that mixes numbers and words, such as years and 'ongoing', stays words.
        def kind(k: int) -> str:
            filled = [r[k] for r in padded if r[k].strip()]
            if filled and all(_truth(v) is not None for v in filled):
                return "truth"
            return "number" if all(_number(v) is not None for v in filled) else "text"
        kinds = [kind(k) for k in range(len(header))]
        body = [[(_number(v) if kinds[k] == "number" else _truth(v)) if kinds[k] != "text" and v.strip() else v
                 for k, v in enumerate(r)] for r in padded]
        lines = [_row([_cell(t.title, "title")]), _row([_cell("This worksheet contains one table. Notes are on "
                                                               "the Notes worksheet.")])]
        for key in ("Source", "Version"):
            if t.preamble.get(key):
                lines.append(_row([_cell(f"{key}: {t.preamble[key]}")]))
        if any(v == "" for r in body for v in r):
            lines.append(_row([_cell("Some cells in this table are blank: the data holds no value there "
                                     "[note 3].")]))
        lines += marked(t.sheet, len(lines) + 1, header, body)
        widths = [_width([h, *[str(r[k]) for r in body]]) for k, h in enumerate(header)]
        sheet(t.sheet, widths, lines)

    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
          'xmlns:xlink="http://www.w3.org/1999/xlink" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/" '
          'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"')
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ns} office:version="1.3">'
               f"<office:automatic-styles>{''.join(styles)}</office:automatic-styles>"
               f"<office:body><office:spreadsheet>{''.join(sheets)}"
               f"<table:database-ranges>{''.join(ranges)}</table:database-ranges>"
               "</office:spreadsheet></office:body></office:document-content>")
    font = ('<office:styles><style:default-style style:family="table-cell"><style:text-properties '
            'style:font-name="Arial" fo:font-family="Arial" fo:font-size="11pt" fo:language="en" fo:country="GB"/>'
            "</style:default-style></office:styles>")
    styles_xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {ns} office:version="1.3">'
                  f"{font}</office:document-styles>")
    meta = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {ns} office:version="1.3"><office:meta>'
            f"<dc:title>{escape(book.title)}: every table</dc:title><dc:language>en-GB</dc:language>"
            f"<meta:creation-date>{escape(book.built)}T00:00:00</meta:creation-date>"
            f"<dc:date>{escape(book.built)}T00:00:00</dc:date></office:meta></office:document-meta>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
        zf.writestr("styles.xml", styles_xml)
        zf.writestr("meta.xml", meta)
        zf.writestr("META-INF/manifest.xml", manifest)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(normalised_zip(raw.getvalue(), first="mimetype"))
    return target


def site_tables(downloads: Path) -> list[SheetTable]:
    """Every table of the site (the CSV downloads labelled tbl-), in the order of their numbers."""
    def order(t: SheetTable):
        found = re.match(r"Table ([A-Z]|\d+)\.(\d+)", t.title)
        if not found:
            return (2, 0, 0, t.label)
        part = found.group(1)
        return (1 if part.isalpha() else 0, int(part) if part.isdigit() else ord(part), int(found.group(2)), t.label)
    return sorted((read_table(p) for p in downloads.glob("tbl-*.csv")), key=order)


def write(html: Path, downloads: Path, edition, root: Path, log=print) -> list[Path]:
    """After the site is built: the briefing as a Word document and every table in one spreadsheet, in the
    site's downloads folder."""
    import yaml

    from appraisal.pipeline import pdf
    from appraisal.publication import licence

    title = licence.title(root / "CITATION.cff")
    out = html / "downloads"
    made = []
    page = html / "chapters" / "briefing.html"
    if page.exists():
        public = pdf.page_address(page.read_text(encoding="utf-8"), page, pdf.public_address(root / "_config.yml"))
        made.append(briefing_docx(page, out / DOCX, public, title, edition.built))
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    repository = str((config.get("repository") or {}).get("url") or "").rstrip("/")
    contact = (f"the publication's issue tracker, {repository}/issues (it needs a GitHub account)" if repository
               else "see the Corrections and contact page of the website")
    book = Workbook(title, edition.label, edition.built, licence.line().removeprefix("Licence: "), contact,
                    bool(edition.scenario))
    for old in out.glob("all-tables-*.ods"):
        old.unlink()
    made.append(tables_ods(site_tables(downloads), out / ods_name(edition.file_tag, bool(edition.scenario)), book))
    log("    " + " and ".join(f"{p.name} ({p.stat().st_size / 1e3:.0f} kB)" for p in made) + " written")
    return made


def downloads_html(edition) -> str:
    """The downloads page's paragraph on the briefing as a Word document and the spreadsheet of every table
    (made once the site is built, under these names)."""
    ods = ods_name(edition.file_tag, bool(edition.scenario))
    return (f'<p>The committee briefing is also a <a href="../downloads/{DOCX}" download>Word document you can edit '
            f'(DOCX)</a>, made from the briefing page itself, and every table of the publication is in one '
            f'<a href="../downloads/{ods}" download>spreadsheet (ODS, which Excel and LibreOffice open)</a>: one table '
            f'on each worksheet, with the same values as its CSV file, a cover sheet with the contents, and a sheet '
            f'of notes.</p>\n')
