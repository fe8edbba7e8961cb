"""The parameters file: its schema, command-line overrides, and the values of each scenario."""
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from appraisal import paths
from appraisal.inputs.errors import InputError

# The uncertain inputs of the model and the range each may take.
RANGES = {
    "discount_rate": (0.0, 0.2),
    "planned_saving_share": (0.0, 1.0),
    "savings_realisation": (-2.0, 2.0),
    "transition_cost_ratio": (0.0, 50.0),
    "transition_cost_overrun": (0.0, 10.0),
    "years_to_full_savings": (0.5, 20.0),
    "extra_delay_years": (0.0, 20.0),
    "optimism_bias_one_off": (0.0, 10.0),
    "optimism_bias_duration": (0.0, 10.0),
}
FORMULAS = ("equal_shares", "population", "baseline")
APPORTIONMENT_KEYS = ("central_services", "net_revenue_expenditure", "population", "equal_shares")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class Parameter(Strict):
    label: str = Field(min_length=3)
    low: float
    central: float
    high: float
    unit: str
    basis: Literal["source", "derived", "judgement"]
    source_id: str | None = None
    rationale: str = Field(min_length=10)
    owner: str = "Appraisal lead, 3C Shared Services"

    @model_validator(mode="after")
    def _ordered(self):
        if not self.low <= self.central <= self.high:
            raise ValueError(f"low ({self.low}) <= central ({self.central}) <= high ({self.high}) must hold")
        if self.basis != "judgement" and not self.source_id:
            raise ValueError("a source_id is required unless basis is judgement")
        return self

    def value(self, level: str) -> float:
        return getattr(self, level)


class MonteCarlo(Strict):
    seed: int = Field(ge=0)
    iterations: int = Field(ge=100, le=5_000_000)


class Parameters(Strict):
    partnership: list[str] = Field(min_length=2)
    services_in_scope: list[str] = Field(min_length=1)
    price_base_year: str
    first_year: int = Field(ge=2000, le=2100)
    appraisal_years: int = Field(ge=1, le=75)
    appraisal_years_source: str
    baseline_apportionment: Literal[APPORTIONMENT_KEYS]
    baseline_apportionment_year: str
    cost_sharing_formulas: list[Literal[FORMULAS]] = Field(min_length=1)
    monte_carlo: MonteCarlo
    parameters: dict[str, Parameter]

    @model_validator(mode="after")
    def _known_names(self):
        unknown = sorted(set(self.parameters) - set(RANGES))
        missing = sorted(set(RANGES) - set(self.parameters))
        if unknown:
            raise ValueError(f"unknown parameter name(s) {', '.join(unknown)}; known names are {', '.join(RANGES)}")
        if missing:
            raise ValueError(f"missing parameter(s) {', '.join(missing)}")
        for name, p in self.parameters.items():
            lo, hi = RANGES[name]
            for level in ("low", "central", "high"):
                v = p.value(level)
                if not lo <= v <= hi:
                    raise ValueError(f"parameters.{name}.{level}: value {v} is outside the allowed range {lo} to {hi}")
        return self

    def values(self, level: str = "central") -> dict[str, float]:
        """Every uncertain input at one level: low, central or high."""
        return {name: p.value(level) for name, p in self.parameters.items()}

    def label(self, name: str) -> str:
        return self.parameters[name].label

    def source_ids(self) -> set[str]:
        ids = {p.source_id for p in self.parameters.values() if p.source_id}
        return ids | {self.appraisal_years_source}


def _parse_value(text: str):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def apply_overrides(raw: dict, overrides: dict[str, object]) -> dict:
    """Apply `name=value` overrides. A bare parameter name fixes low, central and high to the value."""
    for key, value in overrides.items():
        value = _parse_value(value) if isinstance(value, str) else value
        parts = key.split(".")
        if len(parts) == 1 and parts[0] in raw.get("parameters", {}):
            for level in ("low", "central", "high"):
                raw["parameters"][parts[0]][level] = value
            continue
        if parts[0] in raw.get("parameters", {}) and len(parts) == 2:
            parts = ["parameters"] + parts
        node = raw
        for part in parts[:-1]:
            if not isinstance(node, dict) or part not in node:
                raise InputError([f"--set {key}: '{part}' is not a parameter or setting in the parameters file"])
            node = node[part]
        if not isinstance(node, dict) or parts[-1] not in node:
            raise InputError([f"--set {key}: not a parameter or setting in the parameters file"])
        node[parts[-1]] = value
    return raw


def _location(loc) -> str:
    return ".".join(str(p) for p in loc) or "top level"


def load(path: Path | str = paths.PARAMETERS, overrides: dict | None = None,
         source_ids: set[str] | None = None, council_codes: set[str] | None = None,
         services: set[str] | None = None) -> Parameters:
    """Read, override and validate the parameters. Cross-file rules run when their ids are given."""
    path = Path(path)
    shown = f"data/{path.name}" if path.parent == paths.DATA else str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError([f"{shown}: file not found"]) from None
    except yaml.YAMLError as exc:
        raise InputError([f"{shown}: not valid YAML ({exc})"]) from None
    if not isinstance(raw, dict):
        raise InputError([f"{shown}: expected a mapping of settings and parameters"])
    raw = apply_overrides(raw, overrides or {})
    try:
        params = Parameters.model_validate(raw)
    except ValidationError as err:
        problems = []
        for e in err.errors():
            value = e.get("input")
            shown_value = "" if isinstance(value, dict) else f" value {value!r}:"
            msg = e["msg"].removeprefix("Value error, ")
            if e["type"] == "extra_forbidden":
                msg = "is not a known setting or field"
            problems.append(f"{shown}: {_location(e['loc'])}:{shown_value} {msg}")
        raise InputError(problems) from None
    problems = []
    if source_ids is not None:
        for name, p in params.parameters.items():
            if p.source_id and p.source_id not in source_ids:
                problems.append(f"{shown}: parameters.{name}.source_id: value {p.source_id!r} is not a source id in data/sources.csv")
        if params.appraisal_years_source not in source_ids:
            problems.append(f"{shown}: appraisal_years_source: value {params.appraisal_years_source!r} is not a source id in data/sources.csv")
    if council_codes is not None:
        for code in params.partnership:
            if code not in council_codes:
                problems.append(f"{shown}: partnership: value {code!r} is not an ONS code in data/councils.csv")
    if services is not None:
        for service in params.services_in_scope:
            if service not in services:
                problems.append(f"{shown}: services_in_scope: value {service!r} is not a service in data/baseline_costs.csv")
    if problems:
        raise InputError(problems)
    return params
