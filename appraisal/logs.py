"""The data log and the assumptions log, generated from data/ and the parameters file."""
import pandas as pd

from appraisal import appraisal_results, sensitivity
from appraisal.inputs import Inputs

# Impact ratings by the swing in partnership NPV between an input's low and high values (judgement).
IMPACT_THRESHOLDS = {"high": 1_000_000, "medium": 250_000}


def data_log(inputs: Inputs) -> pd.DataFrame:
    """Each source: what it supplies (which tables and how many rows), its quality and suitability."""
    uses = {}
    for name, df in inputs.tables.items():
        if name == "sources.csv":
            continue
        for col in ("source_id", "actual_source_id"):
            if col in df:
                for sid, n in df[col].value_counts().items():
                    uses.setdefault(sid, []).append(f"{name} ({n} row{'s' if n > 1 else ''})")
    for pname, p in inputs.params.parameters.items():
        if p.source_id:
            uses.setdefault(p.source_id, []).append(f"parameter {pname}")
    uses.setdefault(inputs.params.appraisal_years_source, []).append("setting appraisal_years")
    src = inputs.table("sources")
    src["Supplies"] = src["source_id"].map(lambda s: "; ".join(dict.fromkeys(uses.get(s, []))) or "background only")
    return src.rename(columns={"source_id": "Source id", "publisher": "Publisher", "title": "Title",
                               "published": "Published", "kind": "Kind", "quality": "Quality",
                               "suitability": "Suitability", "accessed": "Accessed", "url": "Address"})


def swings(inputs: Inputs) -> pd.Series:
    """Partnership NPV change from each input's low value to its high value, others central."""
    tor = sensitivity.tornado(appraisal_results.baseline_total(inputs), inputs.params).set_index("name")
    return tor["NPV at high value (£)"] - tor["NPV at low value (£)"]


def impact_rating(swing: float) -> str:
    swing = abs(swing)
    return "high" if swing >= IMPACT_THRESHOLDS["high"] else "medium" if swing >= IMPACT_THRESHOLDS["medium"] else "low"


def assumptions_log(inputs: Inputs) -> pd.DataFrame:
    """Each parameter: values, basis, quality (of its source; judgement is rated low), impact and owner."""
    quality = inputs.table("sources").set_index("source_id")["quality"]
    swing = swings(inputs)
    rows = []
    for name, p in inputs.params.parameters.items():
        rows.append({
            "Assumption": p.label, "Name in parameters file": name, "Low": p.low, "Central": p.central, "High": p.high, "Unit": p.unit,
            "Basis": p.basis, "Source id": p.source_id or "",
            "Quality": "low" if p.basis == "judgement" else quality.get(p.source_id, "unknown"),
            "NPV swing low to high (£)": swing[name], "Impact": impact_rating(swing[name]),
            "Owner": p.owner, "Rationale": p.rationale,
        })
    return pd.DataFrame(rows)
