"""Numbered figures and tables for the chapters, each with a stable id, a source line, a text
alternative and downloads (data as CSV; charts as SVG and PNG drawn without a browser)."""
import html
import json
from pathlib import Path

import altair as alt
import pandas as pd
from IPython.display import HTML

from appraisal.publication.content import Figure, Table
from appraisal.publication.formats import published_year

SITE_DOWNLOADS = "../downloads"  # from a chapter page to the site's downloads folder


def source_links(source_ids, sources: pd.DataFrame) -> str:
    """'Publisher (year)' links to the bibliography entries, in the order given, without repeats."""
    by_id = sources.set_index("source_id")
    parts = []
    for sid in dict.fromkeys(source_ids):
        row = by_id.loc[sid]
        year = published_year(row["published"])
        parts.append(f'<a href="bibliography.html#src-{html.escape(sid)}">'
                     f'{html.escape(str(row["publisher"]))} ({year})</a>')
    return "; ".join(parts)


def source_text(source_ids, sources: pd.DataFrame) -> str:
    by_id = sources.set_index("source_id")
    return "; ".join(f'{by_id.loc[s, "publisher"]} ({published_year(by_id.loc[s, "published"])})'
                     for s in dict.fromkeys(source_ids))


def _fill_width(chart):
    """Single and layered charts stretch to the page; faceted and concatenated ones keep their widths."""
    simple = isinstance(chart, (alt.Chart, alt.LayerChart))
    faceted = isinstance(chart, alt.Chart) and (chart.encoding is not alt.Undefined) and (
        getattr(chart.encoding, "column", alt.Undefined) is not alt.Undefined
        or getattr(chart.encoding, "row", alt.Undefined) is not alt.Undefined)
    return chart.properties(width="container") if simple and not faceted else chart


def _script_json(spec: dict) -> str:
    return json.dumps(spec, sort_keys=True).replace("</", "<\\/")


def format_table(df: pd.DataFrame) -> pd.DataFrame:
    """Display formats by column name: '(£)' as whole pounds, 'Share' as per cent, ratios to 2 dp."""
    out = df.copy()
    for col in out.columns:
        if "(£)" in col:
            out[col] = out[col].map(lambda v: "" if pd.isna(v) else ("−" if v < 0 else "") + f"£{abs(v):,.0f}")
        elif col.startswith("Share") or col.startswith("Chance"):
            out[col] = out[col].map(lambda v: "" if pd.isna(v) else f"{v * 100:.1f}%")
        elif col in ("Benefit-cost ratio", "Discount factor") or col.endswith("ratio"):
            out[col] = out[col].map(lambda v: "" if pd.isna(v) else f"{v:.3f}")
        elif pd.api.types.is_integer_dtype(out[col]):
            plain = "year" in col.lower()
            out[col] = out[col].map(lambda v: "" if pd.isna(v) else (str(v) if plain else f"{v:,}"))
        elif pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].map(lambda v: "" if pd.isna(v) else f"{v:,.4f}".rstrip("0").rstrip("."))
    return out


def html_table(df: pd.DataFrame, caption: str) -> str:
    """An accessible HTML table: caption, column headers with scope, numbers right-aligned.
    Every cell is escaped, so text from the data can never become markup or script."""
    numeric = {c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])}
    shown = format_table(df)
    e = html.escape
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if c in numeric else ""}>{e(str(c))}</th>' for c in shown.columns)
    rows = []
    for _, row in shown.iterrows():
        cells = "".join(f'<td{num if c in numeric else ""}>{e("" if pd.isna(v) else str(v))}</td>'
                        for c, v in row.items())
        rows.append(f"<tr>{cells}</tr>")
    return (f'<table class="data-table"><caption>{e(caption)}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


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
        """CSV with three comment lines (title, source, version) above the header.
        Read it with pandas.read_csv(path, comment="#")."""
        lines = [f"# {title}", f"# Source: {source_text(source_ids, self.sources)}",
                 f"# Version {self.version or 'unversioned'}"]
        from appraisal.publication.spreadsheet_safe import safe_comment_line, spreadsheet_safe

        with open(self.downloads / name, "w", encoding="utf-8", newline="") as f:
            f.write("\n".join(safe_comment_line(line) for line in lines) + "\n")
            spreadsheet_safe(df).to_csv(f, index=False, lineterminator="\n")

    def _footer(self, source_ids) -> str:
        version = f" Version {self.version}." if self.version else ""
        return f"Source: {source_text(source_ids, self.sources)}.{version}"

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
<script type="application/json" id="spec-{e(fig_id)}">{_script_json(spec)}</script>""")

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
    return [source_text([sid], sources) for sid in source_ids]


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
            '<table class="data-table"><caption>Downloads by figure and table</caption><thead><tr>'
            '<th scope="col">Figure or table</th><th scope="col">Stable label</th><th scope="col">Files</th>'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table>')
