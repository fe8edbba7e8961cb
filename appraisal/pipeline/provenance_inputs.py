"""What the provenance panel and the register page say about the inputs of a build: each parameter's values
as the model uses them (computed from the cases where that is their basis) with their sources, each setting's
value, and the sources behind each data file."""
import json

from appraisal.chapters import partnership
from appraisal.publication import formats, provenance
from appraisal.publication.bibliography import citation_labels
from appraisal.publication.register import PARAMETERS


SETTING_LABELS = {
    "appraisal_years": "years appraised", "appraisal_years_source": "source of the years appraised",
    "partnership": "partner councils (ONS codes)", "services_in_scope": "services in scope",
    "price_base_year": "price base year", "first_year": "first year appraised",
    "baseline_apportionment": "how the combined baseline is split between the councils",
    "baseline_apportionment_year": "year of that split", "cost_sharing_formulas": "cost-sharing formulas",
    "default_cost_sharing_formula": "cost-sharing formula used for each council's figures",
    "monte_carlo": "simulation settings",
    "realisation_bounds": "least and most of its plan a case's share of the planned saving achieved counts as "
                          "(a judgement)",
    "scenario_search": "how finely the low and high scenarios are searched for (a judgement of method)",
    "evpi_groups": "groups of simulation runs for the value of knowing an input (a judgement of method)",
    "verdict_bounds": "chances of a loss that set the verdict's words (a judgement)",
    "impact_thresholds": "swings in NPV rated high and medium impact in the assumptions log (a judgement)",
}


def _levels(item) -> str:
    if item.fixed:
        return f"fixed at {formats.input_value(item.central, item.unit)}"
    return ", ".join(f"{level} {formats.input_value(item.value(level), item.unit)}"
                     for level in ("low", "central", "high"))


def inputs(checked, fingerprint: dict[str, str]) -> provenance.Inputs:
    assumed = partnership.assumptions(checked)
    values, sources, labels = {}, {}, {}
    for name, item in assumed.parameters.items():
        values[f"parameters.{name}"] = _levels(item)
        sources[f"parameters.{name}"] = tuple(item.source_ids)
        labels[name] = item.label
    for key, value in fingerprint.items():
        if key.startswith(PARAMETERS) and not key.startswith(PARAMETERS + "parameters."):
            setting = key.removeprefix(PARAMETERS)
            top = setting.split(".")[0]
            shown = json.loads(value)
            text = ", ".join(map(str, shown)) if isinstance(shown, list) else str(shown)
            values[top] = text if top == setting else "; ".join(filter(None, [values.get(top), f"{setting}: {text}"]))
    sources["appraisal_years"] = (checked.params.appraisal_years_source,)
    for filename, table in checked.tables.items():
        ids = [s for column in table.columns if column.endswith("source_id") for s in table[column].dropna()]
        sources[f"data/{filename}"] = tuple(dict.fromkeys(str(s) for s in ids if str(s)))
    labels.update(SETTING_LABELS)
    labels.update({f"data/{filename}": "data file" for filename in checked.tables})
    return provenance.Inputs(values, sources, citation_labels(checked.table("sources")), labels)
