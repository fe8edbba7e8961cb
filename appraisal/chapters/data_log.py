"""Chapter: data log. Every source, what it supplies, and how far it can be relied on."""
import pandas as pd

from appraisal.publication import formats
from appraisal.publication.content import ChapterContent, Table

SOURCE_COLUMNS = ("source_id", "actual_source_id", "status_source_id")  # columns of data tables that cite a source


def data_log(inputs) -> pd.DataFrame:
    """Each source: what it supplies (which tables and how many rows), its quality and suitability."""
    uses = {}
    for name, df in inputs.tables.items():
        if name == "sources.csv":
            continue
        for col in SOURCE_COLUMNS:
            if col in df:
                for sid, n in df[col].value_counts().items():
                    uses.setdefault(sid, []).append(f"{name} ({n} row{'s' if n > 1 else ''})")
    for pname, p in inputs.params.parameters.items():
        if p.source_id:
            uses.setdefault(p.source_id, []).append(f"parameter: {p.label}")
    uses.setdefault(inputs.params.appraisal_years_source, []).append("setting: appraisal period")
    src = inputs.table("sources")
    src["Supplies"] = src["source_id"].map(lambda s: "; ".join(dict.fromkeys(uses.get(s, []))) or "background only")
    return src.rename(columns={"source_id": "Source id", "publisher": "Publisher", "title": "Title",
                               "published": "Published", "kind": "Kind", "quality": "Quality",
                               "suitability": "Suitability", "accessed": "Accessed", "url": "Address",
                               "copy": "Copy", "kept_copy_url": "Kept copy address", "kept_copy": "Kept copy"}
                      ).assign(Copy=lambda df: df["Copy"].fillna(""))


def compute(inputs) -> ChapterContent:
    out = ChapterContent()
    log = data_log(inputs)
    high = int((log["Quality"] == "high").sum())
    out.add("source_count", f"{len(log):,}", len(log), "sources")
    out.add("high_quality_count", f"{high:,}", high, "sources")
    copies = int((log["Copy"] != "").sum())
    out.add("copy_count", formats.count_words(copies), copies, "sources")
    out.tables["tbl-data-log"] = Table(
        "Data log: every source, what it supplies, its quality and suitability",
        log[["Source id", "Publisher", "Title", "Published", "Kind", "Quality", "Suitability", "Supplies", "Copy",
             "Accessed"]],
        tuple(log["Source id"]), raw=log)
    return out
