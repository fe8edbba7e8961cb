"""Chapter: assumptions log. Every input of the model with its values, basis, quality, impact and owner."""
import pandas as pd

from appraisal.chapters import partnership
from appraisal.model import attribution, sensitivity
from appraisal.publication import formats
from appraisal.publication.content import ChapterContent, Table, unique_ids

def impact_rating(swing: float, thresholds) -> str:
    """An input's impact by the swing in partnership NPV between its low and high values, whatever its sign:
    `thresholds` (the parameters file's impact_thresholds, a judgement) gives the least swing rated high and
    medium."""
    swing = abs(swing)
    return "high" if swing >= thresholds.high else "medium" if swing >= thresholds.medium else "low"


RATINGS = ("high", "medium", "low")  # best first
QUALITY_RULE = ("An input is rated as the weakest source behind it: a judgement is low; a value stated by a "
                "source, or derived from one, takes that source's quality; an input computed from other cases "
                "takes the lowest quality among their sources.")


def input_quality(p, quality: pd.Series) -> str:
    """The quality rating of one input, by QUALITY_RULE."""
    if p.basis == "judgement":
        return "low"
    rated = [quality.get(s, "low") for s in p.source_ids] or ["low"]
    return max(rated, key=RATINGS.index)


def case_names(inputs) -> dict[str, str]:
    """The name of every case and scheme by its id, for text that lists the cases behind an input."""
    names = {}
    for table in ("case_studies", "one_off_costs"):
        names.update(inputs.table(table).drop_duplicates("case_id").set_index("case_id")["name"].to_dict())
    return names


def named_cases(derivation: str, cases, names: dict[str, str]) -> str:
    """A derivation with the ids of its cases replaced by their names."""
    ids = ", ".join(cases)
    return derivation.replace(f"({ids})", "(" + "; ".join(names.get(c, c) for c in cases) + ")") if cases else derivation


def assumptions_log(params, quality: pd.Series, swings: pd.Series, thresholds,
                    names: dict[str, str] | None = None) -> pd.DataFrame:
    """Each parameter: values, basis, quality (of its source; judgement is rated low), impact and owner."""
    rows = []
    for name, p in params.parameters.items():
        fixed = name not in swings.index
        rows.append({
            "Assumption": p.label, "Name in parameters file": name, "Low": p.low, "Central": p.central,
            "High": p.high, "Worse end": "fixed" if fixed else p.worse, "Unit": p.unit, "Basis": p.basis,
            "Source id": "; ".join(p.source_ids), "How the values are found": named_cases(p.derivation, p.cases, names or {}),
            "Quality": input_quality(p, quality),
            "NPV swing low to high (£)": 0.0 if fixed else swings[name],
            "Impact": "fixed: tested by its switching value" if fixed else impact_rating(swings[name], thresholds),
            "Owner": p.owner, "Rationale": p.rationale,
        })
    return pd.DataFrame(rows)


def in_words(log: pd.DataFrame) -> pd.DataFrame:
    """The log as the page shows it: each input's low, central and high values in words of its unit (28%, 14
    months, an uplift of 200%, which triples the planned figure); the download keeps the numbers."""
    shown = log.copy()
    for level in ("Low", "Central", "High"):
        shown[level] = [formats.input_value(v, u) for v, u in zip(log[level], log["Unit"])]
    return shown


def compute(inputs) -> ChapterContent:
    out = ChapterContent()
    p = partnership.assumptions(inputs)
    thresholds = inputs.params.impact_thresholds
    for level in ("high", "medium"):
        amount = getattr(thresholds, level)
        out.add(f"impact_{level}", formats.money(amount), amount, "GBP")
    out.add("quality_rule", formats.apostrophes(QUALITY_RULE))
    out.add("services", partnership.services_text(inputs))
    out.add("apportionment_label", attribution.APPORTIONMENT_LABELS[inputs.params.baseline_apportionment])
    for name, item in p.parameters.items():  # the upper bounds of the generic uplifts, in words, for the glossary
        if item.unit.startswith("uplift"):
            out.add(f"{name}_high", formats.input_value(item.high, item.unit), item.high, item.unit)
    tor = sensitivity.tornado(partnership.baseline_total(inputs), p).set_index("name")
    swings = tor["NPV at high value (£)"] - tor["NPV at low value (£)"]
    quality = inputs.table("sources").set_index("source_id")["quality"]
    log = assumptions_log(p, quality, swings, thresholds, case_names(inputs))
    cited = unique_ids(s for ids in log["Source id"] for s in ids.split("; "))
    out.tables["tbl-assumptions-log"] = Table(
        "Assumptions log: every model input, its values and ratings",
        in_words(log).drop(columns=["Rationale", "Owner", "Name in parameters file"]),
        cited, raw=log)
    out.tables["tbl-assumptions-rationale"] = Table(
        "Assumptions log: why each value was chosen, and who owns it",
        log[["Assumption", "Basis", "Source id", "Owner", "Rationale"]], cited)
    return out
