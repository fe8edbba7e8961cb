"""Numbered figures and tables for the chapters, each with a stable id, a source line, a text
alternative and downloads (data as CSV; charts as SVG and PNG drawn without a browser)."""
import hashlib
import html
import json
import math
import numbers
import re
from pathlib import Path

import altair as alt
import pandas as pd
from IPython.display import HTML

from appraisal.publication.content import Figure, Table
from appraisal.publication import formats, licence
from appraisal.publication.bibliography import citation_labels

SITE_DOWNLOADS = "../downloads"  # from a chapter page to the site's downloads folder


def source_links(source_ids, sources: pd.DataFrame) -> str:
    """'Publisher (year)' links to the bibliography entries, in the order given, without repeats; the same
    labels as the sources page (2017a, 2017b where a publisher has two sources in a year)."""
    labels = citation_labels(sources)
    return "; ".join(f'<a href="bibliography.html#src-{html.escape(sid)}">{html.escape(labels[sid])}</a>'
                     for sid in dict.fromkeys(source_ids))


def source_text(source_ids, sources: pd.DataFrame) -> str:
    labels = citation_labels(sources)
    return "; ".join(labels[s] for s in dict.fromkeys(source_ids))


NOT_A_NUMBER_CELL = re.compile(r"[+\-\u2212]?(nan|inf|infinity)", re.IGNORECASE)


def not_a_number_cells(df: pd.DataFrame) -> list[str]:
    """The cells of a download that would show a number that is not a number: infinity in any column, or a
    text cell that reads 'nan' or 'inf' (NaN itself is written as a blank: a value that is missing)."""
    problems = []
    for column in df.columns:
        for row, value in enumerate(df[column], start=2):  # the header is row 1
            if isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isinf(float(value)):
                problems.append(f"row {row}, column '{column}': value {value}")
            elif isinstance(value, str) and NOT_A_NUMBER_CELL.fullmatch(value.strip()):
                problems.append(f"row {row}, column '{column}': value {value!r}")
            if len(problems) >= 5:
                return problems + ["and perhaps more"]
    return problems


def _fill_width(chart):
    """Single and layered charts stretch to the page; faceted and concatenated ones keep their widths."""
    simple = isinstance(chart, (alt.Chart, alt.LayerChart))
    faceted = isinstance(chart, alt.Chart) and (chart.encoding is not alt.Undefined) and (
        getattr(chart.encoding, "column", alt.Undefined) is not alt.Undefined
        or getattr(chart.encoding, "row", alt.Undefined) is not alt.Undefined)
    return chart.properties(width="container") if simple and not faceted else chart


def _script_json(spec: dict, fig_id: str = "") -> str:
    """The chart's specification for the page's script: strict JSON, which has no NaN or Infinity (a
    browser would refuse the whole specification and draw nothing)."""
    try:
        text = json.dumps(spec, sort_keys=True, allow_nan=False)
    except ValueError:
        raise ValueError(f"{fig_id or 'a chart'}: the chart's data holds NaN or infinity, which is not a number; "
                         "nothing is published with it") from None
    return text.replace("</", "<\\/")


RATIO_COLUMNS = ("Benefit-cost ratio", "Discount factor")
AMOUNT_TEXT = re.compile(r"^[−-]?£?\d[\d,]*(\.\d+)?(%| ?(million|billion|m|bn))?$"  # amounts
                         r"|^\d{4}([-/]\d{2}){1,2}$")  # years and dates: 2015-16, 2016/17, 2014-07-02
NAME_TEXT = re.compile(r"^\S{16,}$")  # a long name with no space (a source id): printed, it may break anywhere


def _is_ratio(col: str) -> bool:
    return col in RATIO_COLUMNS or col.endswith("ratio") or "÷" in col


def _in_millions(col: str) -> bool:
    return "(£m)" in col or col == "£ million"


def _is_number(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _blank_or(fmt):
    return lambda v: "" if pd.isna(v) else fmt(v)


def format_table(df: pd.DataFrame) -> pd.DataFrame:
    """Display formats by column name, rounded to what the estimates support (full precision stays in
    the downloads). Amounts in pounds, '(£)', are shown in £ million to one decimal place, or in
    £ thousand when the table's largest amount is under £1 million, with the unit moved to the header;
    '(£m)' columns to one decimal place; 'Share' and 'Chance' as per cent; ratios to two significant
    figures. Negative numbers carry a real minus sign."""
    out = df.copy()
    names = {}
    pounds = [c for c in out.columns if "(£)" in c and _is_number(out[c])]
    divisor, unit = formats.money_scale([v for c in pounds for v in out[c]])  # one unit for the whole table
    for col in out.columns:
        values = out[col]
        numeric = _is_number(values)
        if col in pounds:
            out[col] = values.map(_blank_or(lambda v: formats.scaled_money(v, divisor)))
            names[col] = col.replace("(£)", f"({unit})")
        elif _in_millions(col) and numeric:
            out[col] = values.map(_blank_or(lambda v: formats.signed_number(v, 1)))
        elif col.startswith("Chance"):  # simulated: never shown as certain or impossible
            out[col] = values.map(_blank_or(formats.chance))
        elif col.startswith("Share"):
            out[col] = values.map(_blank_or(lambda v: f"{v * 100:.1f}%"))
        elif _is_ratio(col) and numeric:
            out[col] = values.map(_blank_or(formats.significant))
        elif pd.api.types.is_integer_dtype(values):
            plain = "year" in col.lower()
            out[col] = values.map(_blank_or(lambda v: str(v) if plain else formats.signed_number(v, 0)))
        elif pd.api.types.is_float_dtype(values):
            out[col] = values.map(_blank_or(
                lambda v: formats.signed_number(v, 4).rstrip("0").rstrip(".") or "0"))
    return out.rename(columns=names)


def _numeric_positions(df: pd.DataFrame) -> set[int]:
    return {i for i, c in enumerate(df.columns) if _is_number(df[c])}


def _cell_text(value) -> str:
    """Escaped cell text. A list joined by ';' without spaces may break after each ';' when the column
    is narrow (a long name without spaces may also break anywhere in print: see NAME_TEXT)."""
    parts = re.split(r";(?=\S)", "" if pd.isna(value) else str(value))
    return ";<wbr>".join(html.escape(part) for part in parts)


PORTRAIT_PX = 688     # CSS px across an A4 portrait page inside the print style sheet's margins
PRINT_CHAR_PX = 6.0   # CSS px a character of printed table text (7.5 pt) takes, rounded up
CELL_PAD_PX = 10


def _longest_unbreakable(text: str, whole: bool) -> int:
    """Characters in the longest run of `text` that cannot wrap: all of it for a number, else the longest
    word (a word may also break after a hyphen or a ';': see _cell_text)."""
    if whole:
        return len(text)
    return max((len(part) for part in re.split(r"\s+|(?<=[;-])", text)), default=0)


def printed_min_width(shown: pd.DataFrame, numeric: set[int]) -> float:
    """An estimate, in CSS px, of the narrowest the formatted table can be printed: each column as wide
    as its longest unbreakable text (header words in bold count a tenth more; long names may break
    anywhere in print and do not count)."""
    total = 0.0
    for i, col in enumerate(shown.columns):
        longest = 1.1 * _longest_unbreakable(str(col), False)
        for value in shown.iloc[:, i]:
            text = "" if pd.isna(value) else str(value)
            whole = i in numeric or bool(AMOUNT_TEXT.match(text))
            if not whole and NAME_TEXT.match(text):
                continue
            longest = max(longest, _longest_unbreakable(text, whole))
        total += longest * PRINT_CHAR_PX + CELL_PAD_PX
    return total


def scroll_region(table: str, label_id: str, landscape: bool = False) -> str:
    """A table in its own box that scrolls sideways when the table is wider than the page: labelled by
    the table's caption and reachable with the keyboard, so the page itself never scrolls sideways.
    A table too wide for an A4 portrait page is marked to be printed on a landscape page."""
    mark = " print-landscape" if landscape else ""
    return (f'<div class="table-scroll{mark}" role="region" aria-labelledby="{label_id}" tabindex="0">'
            f"{table}</div>")


def _caption_id(caption: str, body: str) -> str:
    return "caption-" + hashlib.sha1((caption + body).encode("utf-8")).hexdigest()[:10]


def html_table(df: pd.DataFrame, caption: str) -> str:
    """An accessible HTML table in its own scrolling box: caption, column headers with scope, numbers
    right-aligned on one line. Every cell is escaped, so text from the data can never become markup or script."""
    numeric = _numeric_positions(df)
    shown = format_table(df)
    e = html.escape

    def cls(i, text=""):
        if i in numeric:
            return ' class="num"'
        if AMOUNT_TEXT.match(text):
            return ' class="nowrap"'
        return ' class="name"' if NAME_TEXT.match(text) else ""

    head = "".join(f'<th scope="col"{cls(i) if i in numeric else ""}>{e(str(c))}</th>' for i, c in enumerate(shown.columns))
    rows = []
    for row in shown.itertuples(index=False):
        cells = "".join(f'<td{cls(i, "" if pd.isna(v) else str(v))}>{_cell_text(v)}</td>' for i, v in enumerate(row))
        rows.append(f"<tr>{cells}</tr>")
    body = f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
    label = _caption_id(caption, body)
    return scroll_region(f'<table class="data-table"><caption id="{label}">{e(caption)}</caption>{body}</table>',
                         label, printed_min_width(shown, numeric) > PORTRAIT_PX)


class Numbering:
    """Figures and tables of one chapter: Figure 2.1, 2.2 ...; Table 2.1 ... in order of display."""

    def __init__(self, chapter: str, sources: pd.DataFrame, exports_dir: str | Path, version: str = ""):
        self.chapter = chapter
        self.sources = sources
        self.downloads = Path(exports_dir) / "downloads"
        self.downloads.mkdir(parents=True, exist_ok=True)
        self.version = version
        self.figures = 0
        self.tables = 0

    def _write_csv(self, df: pd.DataFrame, name: str, title: str, source_ids) -> None:
        """CSV with four comment lines (title, source, version, licence) above the header.
        Read it with pandas.read_csv(path, comment="#"). A missing value is a blank cell; a value that is
        not a number (infinity, or text reading 'nan' or 'inf') stops the build (see not_a_number_cells)."""
        problems = not_a_number_cells(df)
        if problems:
            raise ValueError(f"download {name}: " + "; ".join(problems) + ". Nothing is published with such a value.")
        lines = [f"# {title}", f"# Source: {source_text(source_ids, self.sources)}",
                 f"# Version {self.version or 'unversioned'}", f"# {licence.line()}"]
        from appraisal.publication.spreadsheet_safe import safe_comment_line, spreadsheet_safe

        with open(self.downloads / name, "w", encoding="utf-8", newline="") as f:
            f.write("\n".join(safe_comment_line(line) for line in lines) + "\n")
            spreadsheet_safe(df).to_csv(f, index=False, lineterminator="\n", na_rep="")

    def _footer(self, source_ids) -> str:
        version = f" Version {self.version}." if self.version else ""
        return f"Source: {source_text(source_ids, self.sources)}.{version} {licence.NAME}."

    def figure(self, chart: alt.TopLevelMixin, fig_id: str, content: Figure) -> HTML:
        """A chart with its number, active title, source line, text alternative and downloads."""
        title, subtitle, alt_text = content.title, content.subtitle, content.alt_text
        source_ids, data = content.source_ids, content.data
        self.figures += 1
        number = f"{self.chapter}.{self.figures}"
        self._write_csv(data, f"{fig_id}.csv", f"Figure {number}: {title}", source_ids)
        titled = chart.properties(title=alt.TitleParams(
            f"Figure {number}: {title}", subtitle=[subtitle, self._footer(source_ids)], anchor="start"))
        titled.save(str(self.downloads / f"{fig_id}.svg"))
        titled.save(str(self.downloads / f"{fig_id}.png"), scale_factor=2)
        spec = _fill_width(chart).to_dict()
        table = html_table(data, f"Data for Figure {number}")
        e = html.escape
        return HTML(f"""<figure class="chart-figure" id="{e(fig_id)}">
<figcaption><strong>Figure {number}: {e(title)}</strong><br><span class="chart-subtitle">{e(subtitle)}</span></figcaption>
<div class="vega-chart" id="vis-{e(fig_id)}" role="img" aria-label="{e(alt_text)}"></div>
<p class="chart-source">Source: {source_links(source_ids, self.sources)}.</p>
<p class="chart-downloads">Download: <a href="{SITE_DOWNLOADS}/{e(fig_id)}.csv" download>data (CSV)</a> ·
<a href="{SITE_DOWNLOADS}/{e(fig_id)}.svg" download>chart (SVG)</a> ·
<a href="{SITE_DOWNLOADS}/{e(fig_id)}.png" download>chart (PNG)</a></p>
<details><summary>Text description and data for Figure {number}</summary><p>{e(alt_text)}</p>{table}</details>
</figure>
<script type="application/json" id="spec-{e(fig_id)}">{_script_json(spec, fig_id)}</script>""")

    def table(self, tbl_id: str, content: Table) -> HTML:
        """A numbered table with a source line and a CSV download of the unformatted values."""
        df, caption, source_ids, raw = content.shown, content.caption, content.source_ids, content.raw
        self.tables += 1
        number = f"{self.chapter}.{self.tables}"
        self._write_csv(df if raw is None else raw, f"{tbl_id}.csv", f"Table {number}: {caption}", source_ids)
        e = html.escape
        body = html_table(df, f"Table {number}: {caption}")
        return HTML(f"""<div class="table-figure" id="{e(tbl_id)}">
{body}
<p class="chart-source">Source: {source_links(source_ids, self.sources)}.
Download: <a href="{SITE_DOWNLOADS}/{e(tbl_id)}.csv" download>table (CSV)</a></p>
</div>""")


def source_text_each(source_ids, sources: pd.DataFrame) -> list[str]:
    """'Publisher (year)' for each id, one per row (for a Source column)."""
    labels = citation_labels(sources)
    return [labels[sid] for sid in source_ids]


def download_list(files: list[Path], bundle: Path) -> str:
    """The downloads page's list: one row per figure or table, with links to each format."""
    by_stem = {}
    for path in files:
        if path.name.startswith("figures_register"):
            continue
        by_stem.setdefault(path.stem, []).append(path)
    e = html.escape
    rows = []
    for stem, paths in sorted(by_stem.items()):
        csv_path = next((p for p in paths if p.suffix == ".csv"), None)
        title = stem
        if csv_path:
            first = csv_path.read_text(encoding="utf-8").split("\n", 1)[0]
            title = first.lstrip("# ").strip() or stem
        links = " · ".join(f'<a href="{SITE_DOWNLOADS}/{e(p.name)}" download>{p.suffix[1:].upper()}</a>'
                           for p in sorted(paths, key=lambda p: p.suffix))
        rows.append(f"<tr><td>{e(title)}</td><td><code>{e(stem)}</code></td><td>{links}</td></tr>")
    return (f'<p><a href="{SITE_DOWNLOADS}/{e(bundle.name)}" download>Download everything as one zip file '
            f"({bundle.stat().st_size / 1e6:.1f} MB)</a></p>"
            + scroll_region('<table class="data-table"><caption id="caption-downloads">Downloads by figure and table'
                            '</caption><thead><tr><th scope="col">Figure or table</th><th scope="col">Stable label</th>'
                            f'<th scope="col">Files</th></tr></thead><tbody>{"".join(rows)}</tbody></table>',
                            "caption-downloads"))
