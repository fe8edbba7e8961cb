"""The parameters file: its schema, command-line overrides, and the values of each scenario.

Every number in the file has a declared range: the model parameters in RANGES, the settings in their
fields. Infinity and NaN are never numbers, and neither are yes/no or true/false (YAML reads `yes`
as true, which Python would take for 1). Text may hold no control or invisible characters, and a code
(a council's ONS code, a source id) ASCII characters only. Each council, service and cost-sharing formula is
listed once. The file is read strictly: a key given twice, at any depth, is an error naming the key and
both lines.
"""
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError,
                      model_validator)

from appraisal import paths
from appraisal.inputs import yaml_strict
from appraisal.inputs.characters import RULE, code_problem, hidden_character, lookalike_note, shown_value
from appraisal.inputs.errors import InputError
from appraisal.inputs.files import read_bytes, shown_name

# The uncertain inputs of the model and the range each may take.
RANGES = {
    "discount_rate": (0.0, 0.2),
    "planned_saving_share": (0.0, 1.0),
    "savings_realisation": (-2.0, 2.0),
    "one_off_cost_share": (0.0, 20.0),
    "transition_cost_overrun": (0.0, 10.0),
    "years_to_full_savings": (0.5, 20.0),
    "extra_delay_years": (0.0, 20.0),
    "optimism_bias_one_off": (0.0, 10.0),
    "optimism_bias_duration": (0.0, 10.0),
    "residual_years": (0.0, 30.0),
}
FORMULAS = ("equal_shares", "population", "baseline", "revenue_budget")
APPORTIONMENT_KEYS = ("central_services", "net_revenue_expenditure", "population", "equal_shares")


def _not_yes_no(value):
    if isinstance(value, bool):
        raise ValueError("must be a number, not yes/no or true/false")
    return value


def _visible(value: str) -> str:
    found = hidden_character(value)
    if found:
        raise ValueError(f"contains the character {found}; {RULE}")
    return value


def _code(value: str) -> str:
    problem = code_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _each_once(what: str):
    """A list in which each value appears once: the model indexes by it (a council listed twice would be
    counted twice, and its shares would no longer add up)."""
    def check(values: list) -> list:
        seen = {}
        for position, value in enumerate(values, start=1):
            if value in seen:
                raise ValueError(f"{shown_value(value)} is listed twice (items {seen[value]} and {position}); "
                                 f"each {what} may be listed only once")
            seen[value] = position
        return values
    return AfterValidator(check)


def _financial_year(value: str) -> str:
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", value)
    if not match or int(match[2]) != (int(match[1]) + 1) % 100:
        raise ValueError("must be a financial year written 2014-15")
    return value


Number = Annotated[float, BeforeValidator(_not_yes_no)]
Text = Annotated[str, AfterValidator(_visible)]
Code = Annotated[str, AfterValidator(_visible), AfterValidator(_code)]  # an ONS code or a source id
FinancialYear = Annotated[str, AfterValidator(_visible), AfterValidator(_financial_year)]


def whole(lo: int, hi: int):
    """A whole number from `lo` to `hi`."""
    return Annotated[int, BeforeValidator(_not_yes_no), Field(ge=lo, le=hi)]


def between(lo: int, hi: int):
    """A number from `lo` to `hi`."""
    return Annotated[float, BeforeValidator(_not_yes_no), Field(ge=lo, le=hi)]


def _in_order(model: BaseModel, *names: str) -> None:
    """Refuse a model whose fields `names` are not in increasing order (each at most the next)."""
    values = [getattr(model, name) for name in names]
    if any(a > b for a, b in zip(values, values[1:])):
        raise ValueError(" <= ".join(f"{name} ({value})" for name, value in zip(names, values)) + " must hold")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False, allow_inf_nan=False)


BASES = ("source", "derived", "judgement", "reference class")
EVIDENCE = ("savings", "one_off_cost", "delay_months", "one_off_plans")


class Parameter(Strict):
    """One input. Its basis says where its values come from: a source states them, they are derived by
    arithmetic on sourced figures (`derivation` shows it), they are a judgement (`owner` made it, `rationale`
    says why), or they are computed from the case evidence named in `evidence` (reference class: no values
    are typed here; see appraisal/model/assumptions.py)."""
    label: Text = Field(min_length=3)
    worse: Literal["low", "high"]  # the end of the range that is worse for the councils
    low: Number | None = None  # the range of each parameter is in RANGES
    central: Number | None = None
    high: Number | None = None
    unit: Text
    basis: Literal[BASES]
    evidence: Literal[EVIDENCE] | None = None
    source_id: Code | None = None
    other_source_ids: list[Code] = []  # sources of the other values, where they differ from source_id's
    derivation: Text | None = None
    rationale: Text = Field(min_length=10)
    owner: Text = "Lead analyst"
    settled_by: Text | None = None  # the document that would replace this assumption with a fact

    @model_validator(mode="after")
    def _ordered(self):
        levels = (self.low, self.central, self.high)
        if self.basis == "reference class":
            if self.evidence is None:
                raise ValueError("a reference-class input names its evidence: " + ", ".join(EVIDENCE))
            if any(v is not None for v in levels):
                raise ValueError("a reference-class input has no typed low, central or high: they are computed "
                                 "from the case evidence")
            return self
        if any(v is None for v in levels):
            raise ValueError("low, central and high are required unless basis is reference class")
        _in_order(self, "low", "central", "high")
        if self.basis in ("source", "derived") and not self.source_id:
            raise ValueError("a source_id is required when basis is source or derived")
        if self.basis == "derived" and not self.derivation:
            raise ValueError("a derived input shows its arithmetic in derivation")
        return self

    def value(self, level: str) -> float | None:
        return getattr(self, level)


class MonteCarlo(Strict):
    seed: whole(0, 2**32 - 1)  # the range of a classic 32-bit seed
    iterations: whole(100, 5_000_000)


class RealisationBounds(Strict):
    """The least and the most of its plan that a case's share of the planned saving achieved counts as."""
    lowest: between(0, 1)
    highest: between(1, 10)


class VerdictBounds(Strict):
    """The chances of a loss between which the verdict says the evidence does not settle whether sharing pays."""
    lower: between(0, 1)
    upper: between(0, 1)

    @model_validator(mode="after")
    def _ordered(self):
        _in_order(self, "lower", "upper")
        return self


class ImpactThresholds(Strict):
    """The swings in partnership NPV (GBP, between an input's low and high values) rated high and medium impact."""
    high: whole(0, 1_000_000_000)
    medium: whole(0, 1_000_000_000)

    @model_validator(mode="after")
    def _ordered(self):
        _in_order(self, "medium", "high")
        return self


class ScenarioSearch(Strict):
    """How finely the low and high scenarios are searched for (appraisal.model.scenarios)."""
    grid_points: list[whole(2, 101)] = Field(min_length=1)  # for an input not drawn from the cases, finest first
    most_combinations: whole(1_000, 50_000_000)             # the finest grid within this many combinations


class Parameters(Strict):
    partnership: Annotated[list[Code], _each_once("council")] = Field(min_length=2)
    services_in_scope: Annotated[list[Text], _each_once("service")] = Field(min_length=1)
    price_base_year: FinancialYear
    first_year: whole(2000, 2100)
    appraisal_years: whole(1, 75)
    appraisal_years_source: Code
    baseline_apportionment: Literal[APPORTIONMENT_KEYS]
    baseline_apportionment_year: FinancialYear
    cost_sharing_formulas: Annotated[list[Literal[FORMULAS]], _each_once("formula")] = Field(min_length=1)
    default_cost_sharing_formula: Literal[FORMULAS] = "baseline"  # the formula per-council figures use
    monte_carlo: MonteCarlo
    realisation_bounds: RealisationBounds
    scenario_search: ScenarioSearch
    evpi_groups: whole(2, 1_000)
    verdict_bounds: VerdictBounds
    impact_thresholds: ImpactThresholds
    parameters: dict[str, Parameter]

    @model_validator(mode="after")
    def _known_names(self):
        unknown = sorted(set(self.parameters) - set(RANGES))
        missing = sorted(set(RANGES) - set(self.parameters))
        if unknown:
            raise ValueError(f"unknown parameter name(s) {', '.join(n + lookalike_note(n) for n in unknown)}; "
                             f"known names are {', '.join(RANGES)}")
        if missing:
            raise ValueError(f"missing parameter(s) {', '.join(missing)}")
        if self.default_cost_sharing_formula not in self.cost_sharing_formulas:
            raise ValueError(f"default_cost_sharing_formula: value {self.default_cost_sharing_formula!r} is not one of "
                             f"cost_sharing_formulas ({', '.join(self.cost_sharing_formulas)})")
        for name, p in self.parameters.items():
            lo, hi = RANGES[name]
            for level in ("low", "central", "high"):
                v = p.value(level)
                if v is not None and not lo <= v <= hi:
                    raise ValueError(f"parameters.{name}.{level}: value {v} is outside the allowed range {lo} to {hi}")
        return self

    def values(self, level: str = "central") -> dict[str, float | None]:
        """Every input at one level as typed in the file (None for reference-class inputs, whose values the
        model computes: use appraisal.model.assumptions)."""
        return {name: p.value(level) for name, p in self.parameters.items()}

    def label(self, name: str) -> str:
        return self.parameters[name].label

    def source_ids(self) -> set[str]:
        ids = {s for p in self.parameters.values() for s in (p.source_id, *p.other_source_ids) if s}
        return ids | {self.appraisal_years_source}


def _parse_value(text: str):
    try:
        return yaml_strict.load(text)
    except yaml_strict.YamlProblem:
        return text


def apply_overrides(raw: dict, overrides: dict[str, object]) -> dict:
    """Apply `name=value` overrides. A bare parameter name fixes low, central and high to the value; for an
    input computed from the case evidence, that value replaces the evidence and is marked as a judgement."""
    for key, value in overrides.items():
        value = _parse_value(value) if isinstance(value, str) else value
        parts = key.split(".")
        named = raw.get("parameters") if isinstance(raw.get("parameters"), dict) else {}
        if len(parts) == 1 and parts[0] in named:
            if not isinstance(named[parts[0]], dict):
                raise InputError([f"--set {key}: the parameters file gives no low, central and high values to set"])
            entry = named[parts[0]]
            if entry.get("basis") == "reference class":
                entry.pop("evidence", None)
                entry.update(basis="judgement", rationale=f"Set to {value} for this scenario in place of the case evidence.")
            for level in ("low", "central", "high"):
                entry[level] = value
            continue
        if len(parts) == 2 and parts[0] in named and isinstance(named[parts[0]], dict) \
                and named[parts[0]].get("basis") == "reference class" and parts[1] in ("low", "central", "high"):
            raise InputError([f"--set {key}: {parts[0]} is computed from the case evidence; set all three levels "
                              f"at once with --set {parts[0]}=VALUE"])
        if parts[0] in named and len(parts) == 2:
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
    """'monte_carlo.seed', or 'partnership, item 1' for a place in a list (counted from 1)."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f", item {part + 1}"
        else:
            text += f".{part}" if text else str(part)
    return text or "top level"


def load(path: Path | str = paths.PARAMETERS, overrides: dict | None = None,
         source_ids: set[str] | None = None, council_codes: set[str] | None = None,
         services: set[str] | None = None) -> Parameters:
    """Read, override and validate the parameters. Cross-file rules run when their ids are given."""
    path = Path(path)
    shown = shown_name(path)
    try:
        raw = yaml_strict.load(read_bytes(path, shown, "a YAML file").decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError([f"{shown}: not UTF-8 text (byte {exc.start}); save the file as UTF-8"]) from None
    except yaml_strict.YamlProblem as exc:
        raise InputError([f"{shown}: {exc}"]) from None
    if not isinstance(raw, dict):
        raise InputError([f"{shown}: expected a mapping of settings and parameters"])
    raw = apply_overrides(raw, overrides or {})
    try:
        params = Parameters.model_validate(raw)
    except ValidationError as err:
        problems = []
        for e in err.errors():
            value = e.get("input")
            quoted = "" if isinstance(value, dict) else f" value {shown_value(value)}:"
            msg = e["msg"].removeprefix("Value error, ")
            if e["type"] == "extra_forbidden":
                msg = "is not a known setting or field"
            if not e["loc"] and re.match(r"parameters\.[\w.]+: ", msg):  # a rule that names the field itself
                problems.append(f"{shown}: {msg}")
                continue
            problems.append(f"{shown}: {_location(e['loc'])}:{quoted} {msg}")
        raise InputError(problems) from None
    problems = []
    if source_ids is not None:
        for name, p in params.parameters.items():
            if p.source_id and p.source_id not in source_ids:
                problems.append(f"{shown}: parameters.{name}.source_id: value {p.source_id!r} is not a source id in data/sources.csv")
            for other in p.other_source_ids:
                if other not in source_ids:
                    problems.append(f"{shown}: parameters.{name}.other_source_ids: value {other!r} is not a source id in data/sources.csv")
        if params.appraisal_years_source not in source_ids:
            problems.append(f"{shown}: appraisal_years_source: value {params.appraisal_years_source!r} is not a source id in data/sources.csv")
    if council_codes is not None:
        for code in params.partnership:
            if code not in council_codes:
                problems.append(f"{shown}: partnership: value {code!r} is not an ONS code in data/councils.csv")
    if services is not None:
        for service in params.services_in_scope:
            if service not in services:
                problems.append(f"{shown}: services_in_scope: value {service!r} is not a service in data/baseline_costs.csv"
                                + lookalike_note(service))
    if problems:
        raise InputError(problems)
    return params
