"""Numbered figures and tables for the chapters, each with a stable id, a source line, a text
alternative and downloads (data as CSV; charts as SVG and PNG drawn without a browser)."""
import hashlib
import html
import itertools
import json
import math
import numbers
import re
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
from IPython.display import HTML

from appraisal.publication.content import Figure, Table
from appraisal.publication import formats, licence
from appraisal.publication.bibliography import citation_labels

SITE_DOWNLOADS = "../downloads"  # from a chapter page to the site's downloads folder
# Where a chapter writes its downloads (with the edition still a placeholder) and its charts' image records,
# inside its exports folder; the build publishes both, stamped and drawn, to exports/downloads.
CHAPTER_DOWNLOADS = "chapter-downloads"
CHART_RECORDS = "charts"


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
    the downloads): no estimate to more than three significant figures. Amounts in pounds, '(£)', are
    shown in £ million to one decimal place, or in £ thousand when the table's largest amount is under
    £1 million, with the unit moved to the header; '(£m)' columns to one decimal place; 'Share' as per
    cent to one decimal place and 'Chance' as whole per cent; ratios to two significant figures; other
    numbers that are not whole to three; dates as dates and yes or no for true or false. Negative numbers
    carry a real minus sign."""
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
            out[col] = values.map(_blank_or(lambda v: formats.scaled_money(v * formats.MILLION, formats.MILLION)))
        elif col.startswith("Chance"):  # simulated: never shown as certain or impossible
            out[col] = values.map(_blank_or(formats.chance))
        elif col.startswith("Share") and numeric:
            out[col] = values.map(_blank_or(formats.share_percent))
        elif _is_ratio(col) and numeric:
            out[col] = values.map(_blank_or(formats.significant))
        elif pd.api.types.is_bool_dtype(values):
            out[col] = values.map(_blank_or(lambda v: "yes" if v else "no"))
        elif pd.api.types.is_datetime64_any_dtype(values):
            out[col] = values.map(_blank_or(lambda v: v.strftime("%Y-%m-%d")))
        elif pd.api.types.is_integer_dtype(values):
            plain = "year" in col.lower()
            out[col] = values.map(_blank_or(lambda v: str(v) if plain else formats.signed_number(v, 0)))
        elif pd.api.types.is_float_dtype(values):
            out[col] = values.map(_blank_or(formats.table_number))
    return out.rename(columns=names)


SHARES_NOTE = "Shares are rounded, so they may not add up to 100%."
TOTALS_NOTE = "Amounts are rounded, so they may not add up exactly to the totals shown."


def _printed(text) -> float:
    """The number a formatted cell shows: '−4.1' -> -4.1, '27.8%' -> 27.8."""
    return float(str(text).replace(formats.MINUS, "-").replace(",", "").rstrip("%"))


def _decimals(texts) -> int:
    return max((len(t.split(".")[1].rstrip("%")) if "." in t else 0) for t in texts)


def _runs_to_one(values: list[float]) -> list[tuple[int, int]] | None:
    """The column split into consecutive runs of two or more rows that each add up to 1 (the shares of
    one whole), or None if it does not split so."""
    runs, start, total = [], 0, 0.0
    for i, v in enumerate(values):
        total += v
        if abs(total - 1) < 1e-9:
            if i - start < 1:
                return None
            runs.append((start, i + 1))
            start, total = i + 1, 0.0
    return runs if runs and start == len(values) else None


def _shares_add_up(df: pd.DataFrame, shown: pd.DataFrame) -> bool:
    """Whether every set of shares of one whole adds up to 100% as printed."""
    for i, col in enumerate(df.columns):
        if not (col.startswith("Share") and _is_number(df[col])) or df[col].isna().any():
            continue
        runs = _runs_to_one([float(v) for v in df[col]])
        texts = list(shown.iloc[:, i])
        for a, b in runs or []:
            if round(sum(_printed(t) for t in texts[a:b]), 6) != 100:
                return False
    return True


def _money_columns(df: pd.DataFrame) -> list[int]:
    return [i for i, c in enumerate(df.columns) if _is_number(df[c]) and ("(£)" in c or _in_millions(c))
            and not df[c].isna().any()]


def _holds(target: np.ndarray, parts: np.ndarray, signs, scale: float) -> bool:
    return bool(np.allclose(target, parts.T @ np.array(signs, dtype=float), rtol=1e-9, atol=1e-9 * scale))


def _amounts_add_up(df: pd.DataFrame, shown: pd.DataFrame) -> bool:
    """Whether every amount that is the sum or difference of others in its row (a net figure), or the
    running total of another column (a cumulative figure), adds up as printed."""
    money = _money_columns(df)
    if len(money) < 2 or len(df) == 0:
        return True
    exact = {i: df.iloc[:, i].astype(float).to_numpy() for i in money}
    printed = {i: np.array([_printed(t) for t in shown.iloc[:, i]]) for i in money}
    places = _decimals([str(t) for i in money for t in shown.iloc[:, i]])
    scale = max(float(np.abs(v).max()) for v in exact.values()) or 1.0
    for t in money:
        others = [i for i in money if i != t]
        for size in (2, 3):
            for parts in itertools.combinations(others, size):
                for signs in itertools.product((1, -1), repeat=size):
                    if _holds(exact[t], np.array([exact[i] for i in parts]), signs, scale):
                        total = np.round(np.array([printed[i] for i in parts]).T @ np.array(signs, dtype=float), places)
                        if not np.allclose(total, printed[t], atol=10 ** -(places + 3)):
                            return False
        for i in others:  # a running total of column i
            if np.allclose(exact[t], np.cumsum(exact[i]), rtol=1e-9, atol=1e-9 * scale):
                if not np.allclose(np.round(np.cumsum(printed[i]), places), printed[t], atol=10 ** -(places + 3)):
                    return False
    return True


def rounding_notes(df: pd.DataFrame, shown: pd.DataFrame) -> list[str]:
    """The notes a table needs when its figures, rounded as printed, do not add up: shares of one whole that
    do not make 100%, and net or running totals that differ from the sum of the amounts printed."""
    notes = []
    if not _shares_add_up(df, shown):
        notes.append(SHARES_NOTE)
    if not _amounts_add_up(df, shown):
        notes.append(TOTALS_NOTE)
    return notes


# Downloads: full precision, in pounds, with every header in readers' words and its unit. The names of the
# data files' columns, where a download holds them, in words (the data files keep their own names).
DATA_WORDS = {
    "case_id": "Case id", "source_id": "Source id", "actual_source_id": "Source id of the actual figure",
    "status_source_id": "Source id of the status", "evidence_id": "Evidence id", "risk_id": "Risk id",
    "ons_code": "ONS code", "name": "Name", "kind": "Kind", "model": "Arrangement", "part_of": "Part of",
    "started": "Start (year)", "ended": "End or latest report", "status": "Status", "outcome": "What happened",
    "lesson": "Lesson for the partner councils", "partners": "Partners", "services": "Services",
    "figure": "What the figure measures", "value_gbp": "Value (£, full precision)", "years": "Over years",
    "basis": "Basis", "chosen": "Used here", "note": "Note", "measure": "Measure",
    "projected": "Plan (in the unit given)", "actual": "Actual (in the unit given)", "unit": "Unit",
    "period": "Period", "like_for_like": "Years compared", "projected_years": "Years the plan covers",
    "actual_years": "Years measured", "plan_same_years": "Plan for the years measured (in the unit given)",
    "plan_derivation": "How the plan was found", "counts_as": "Counts as the case", "included": "Compared",
    "excluded_because": "Not compared because", "topic": "Figure", "reason": "Why", "date": "Date",
    "date_label": "When", "milestone": "Milestone", "event": "What happened", "risk": "Risk", "cases": "Cases",
    "parameter": "Name in parameters file (input affected)", "stressed_level": "End of the input's range tested",
    "likelihood": "Likelihood", "likelihood_basis": "Basis for likelihood", "mitigation": "Mitigation",
    "owner": "Owner", "formula": "Formula id",
}
SHARE_WORDS = ("Share", "Chance", "Likelihood", "Cumulative probability")
FULL_PRECISION = "(£, full precision)"


def download_header(name: str, values: pd.Series | None = None) -> str:
    """A column's header in a download, in readers' words with its unit: data files' names in words,
    amounts in pounds marked as full precision, and shares and chances (a number from 0 to 1 where the
    page shows a per cent) marked as shares: 'NPV (£)' -> 'NPV (£, full precision)', 'Chance of a loss'
    -> 'Chance of a loss (share, 0 to 1)'."""
    header = DATA_WORDS.get(name) or name.replace("_", " ")
    header = header[:1].upper() + header[1:]
    header = header.replace("(£)", FULL_PRECISION)
    if values is not None and header.startswith(SHARE_WORDS) and _is_number(values) and "(share" not in header:
        known = values.dropna()
        header += " (share, 0 to 1)" if known.between(0, 1).all() else " (share, 1 = 100%)"
    return header


def _full_precision(value):
    """A float as a spreadsheet holds it (15 significant figures, which drops the binary noise of
    0.39999999999999997), and never minus zero."""
    if value != value:
        return value
    v = float(f"{float(value):.15g}")
    return 0.0 if v == 0 else v


def download_frame(df: pd.DataFrame) -> pd.DataFrame:
    """What a CSV download holds: every value at full precision in its own unit (never '-0.0'), dates as
    dates, yes or no for true or false, and headers in readers' words with units (download_header)."""
    out = df.copy()
    for col in out.columns:
        values = out[col]
        if pd.api.types.is_bool_dtype(values):
            out[col] = values.map({True: "yes", False: "no"})
        elif pd.api.types.is_datetime64_any_dtype(values):
            out[col] = values.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(values):
            out[col] = values.map(_full_precision)
    return out.rename(columns={c: download_header(c, df[c]) for c in df.columns})


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
    notes = "".join(f'<p class="table-note">{e(note)}</p>' for note in rounding_notes(df, shown))
    return scroll_region(f'<table class="data-table"><caption id="{label}">{e(caption)}</caption>{body}</table>',
                         label, printed_min_width(shown, numeric) > PORTRAIT_PX) + notes


UNIT_WORDS = {"£m": "£ million", "£ thousand": "£ thousand", "£": "£"}


@dataclass(frozen=True)
class Amount:
    """An amount in pounds as a chart draws it: in the unit its figure's data table shows (£ million or
    £ thousand, as format_table chooses for the table), calculated from the pounds the data holds."""
    source: str      # the data's column, in pounds: 'NPV (£)'
    field: str       # the calculated field: 'NPV (£ million)'
    unit: str        # '£ million', '£ thousand' or '£'
    divisor: float

    @property
    def calculate(self) -> dict[str, str]:
        """For transform_calculate(**amount.calculate)."""
        return {self.field: f"datum[{json.dumps(self.source, ensure_ascii=False)}] / {self.divisor:g}"}

    @property
    def shorthand(self) -> str:
        return f"{self.field}:Q"

    def tooltip(self) -> alt.Tooltip:
        return alt.Tooltip(self.shorthand, format=",.1f" if self.divisor == formats.MILLION else ",.0f")


def amount(data: pd.DataFrame, column: str) -> Amount:
    """The amount in `column` ('… (£)') in the unit the figure's data table shows it in."""
    pounds = [c for c in data.columns if "(£)" in c and _is_number(data[c])]
    divisor, unit = formats.money_scale([v for c in pounds for v in data[c]])
    words = UNIT_WORDS[unit]
    return Amount(column, column.replace("(£)", f"({words})"), words, divisor)


# A chart that takes the page's width is drawn EXPORT_WIDTH px wide for download; the images are drawn by
# appraisal.publication.chart_images once the build knows the edition named in their source line.
EXPORT_WIDTH = 600


def _export_chart(chart):
    """The chart as drawn for download: a chart that takes the page's width is given EXPORT_WIDTH."""
    simple = _fill_width(chart) is not chart
    return chart.properties(width=EXPORT_WIDTH) if simple and chart.width is alt.Undefined else chart


def export_image(chart, title: str, subtitle: list[str], record: Path) -> None:
    """Keep what the chart's SVG and PNG downloads are drawn from, as JSON in `record`: the chart as drawn for
    download, its title and its subtitle and source lines. The build draws them (chart_images.render_image)
    once the edition named in the source line is known, and only when the record has changed."""
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"spec": _export_chart(chart).to_dict(), "title": title, "subtitle": subtitle},
                                 sort_keys=True, ensure_ascii=False), encoding="utf-8")


class Numbering:
    """Figures and tables of one chapter: Figure 2.1, 2.2 ...; Table 2.1 ... in order of display."""

    def __init__(self, chapter: str, sources: pd.DataFrame, exports_dir: str | Path, version: str = ""):
        self.chapter = chapter
        self.sources = sources
        self.downloads = Path(exports_dir) / CHAPTER_DOWNLOADS
        self.downloads.mkdir(parents=True, exist_ok=True)
        self.charts = Path(exports_dir) / CHART_RECORDS
        self.version = version  # the edition's label, as every download and source line names it
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
                 f"# {self.version or 'Unversioned'}", f"# {licence.line()}"]
        from appraisal.publication.spreadsheet_safe import safe_comment_line, spreadsheet_safe

        with open(self.downloads / name, "w", encoding="utf-8", newline="") as f:
            f.write("\n".join(safe_comment_line(line) for line in lines) + "\n")
            spreadsheet_safe(download_frame(df)).to_csv(f, index=False, lineterminator="\n", na_rep="")

    def _footer(self, source_ids) -> str:
        version = f" {self.version}." if self.version else ""
        return f"Source: {source_text(source_ids, self.sources)}.{version} {licence.NAME}."

    def figure(self, chart: alt.TopLevelMixin, fig_id: str, content: Figure) -> HTML:
        """A chart with its number, active title, source line, text alternative and downloads."""
        title, subtitle, alt_text = content.title, content.subtitle, content.alt_text
        source_ids, data = content.source_ids, content.data
        self.figures += 1
        number = f"{self.chapter}.{self.figures}"
        self._write_csv(data, f"{fig_id}.csv", f"Figure {number}: {title}", source_ids)
        export_image(chart, f"Figure {number}: {title}", [subtitle, self._footer(source_ids)],
                     self.charts / f"{fig_id}.json")
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
