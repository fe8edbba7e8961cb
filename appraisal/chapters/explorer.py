"""Chapter: what-if explorer. The appraisal evaluated over a grid of the inputs nobody knows for sure, so that a
reader can pick the one-off cost, the share of the planned saving achieved, the delay, the years to full
savings, the discount rate and the cost-sharing formula, and read the NPV for the councils together and for
each council, and the payback year.

Every value comes from the functions the savings chapter uses (`partnership.assumptions`, `savings.appraise`,
`attribution.council_npvs`), evaluated once for the whole grid: the inputs of each grid point are one draw of a
single vectorised call. Each input's values run over its low-to-high range; every other input is held at its
central value, so the grid point with every input at its central value is the savings chapter's central case.
"""
import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from appraisal.chapters import partnership
from appraisal.model import attribution, savings
from appraisal.publication import formats
from appraisal.publication.content import ChapterContent, Figure, Table, unique_ids

FIGURE, TABLE = "fig-explorer-npv", "tbl-explorer-inputs"
FORMULA = "cost_sharing_formula"
# Each input the reader can set, with the number of grid steps between each end of its range and its central
# value: three for the two inputs the answer hinges on most, one (low, central and high) for the others. The
# grid is the product of every input's values, so a step more on each side of every input would multiply the
# page's weight by more than ten.
DRIVERS = {"one_off_cost_share": 3, "savings_realisation": 3, "extra_delay_years": 1, "years_to_full_savings": 1,
           "discount_rate": 1}
SHORT_NAMES = {"one_off_cost_share": "one-off cost", "savings_realisation": "share of the planned saving achieved",
               "extra_delay_years": "delay before savings start", "years_to_full_savings": "years to full savings",
               "discount_rate": "discount rate", FORMULA: "cost-sharing formula"}
BASIS_WORDS = {"source": "stated by a source", "derived": "derived from a source",
               "judgement": "a judgement", "reference class": "what other shared services achieved"}
NEVER_PAID_BACK = "not within the appraisal period"  # as the savings chapter words it
TOGETHER = "together"  # the key of the councils' combined result


def grid_key(value) -> str:
    """The text that names one grid value in the page, its address and its data: six significant figures."""
    return value if isinstance(value, str) else f"{float(value):.6g}"


def levels(low: float, central: float, high: float, steps: int) -> list[float]:
    """`steps` evenly spaced values from low to central and from central to high, the central value exactly;
    values that would have the same key as the central value or an earlier one are left out (a fixed input,
    low equal to high, has one value)."""
    values = [*np.linspace(low, central, steps + 1), *np.linspace(central, high, steps + 1)[1:]]
    kept = {grid_key(central): float(central)}
    for v in values:
        kept.setdefault(grid_key(v), float(v))
    return sorted(kept.values())


@dataclass(frozen=True)
class Control:
    """One input the reader sets: its values in the grid, how each is shown, and which one is the start."""
    name: str
    label: str                 # short, for the control
    values: tuple              # numbers, or formula keys
    shown: tuple[str, ...]     # the text of each value
    start: int                 # index of the central value
    range_text: str            # the range from the parameters file
    basis_text: str            # where the range comes from

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(grid_key(v) for v in self.values)

    @property
    def fixed(self) -> bool:
        return len(self.values) == 1


@dataclass(frozen=True)
class Grid:
    """The appraisal at every grid point: one row of `points` per combination of the numeric controls."""
    controls: tuple[Control, ...]      # the numeric inputs, then the cost-sharing formula
    councils: pd.Series                # short name by ONS code, in the partnership's order
    points: pd.DataFrame               # the value of each numeric control at each grid point
    result: savings.Appraisal          # one draw per grid point
    council_npv: dict                  # formula -> ONS code -> NPV by grid point
    payback: tuple[str, ...]           # payback year by grid point
    start: int                         # the grid point with every input at its central value
    years: tuple[str, ...]             # the financial years appraised

    @property
    def numeric(self) -> tuple[Control, ...]:
        return self.controls[:-1]

    @property
    def formula(self) -> Control:
        return self.controls[-1]


def _basis_text(item) -> str:
    """The basis of an input's range in words: what kind of evidence, and why."""
    kind = BASIS_WORDS.get(item.basis, item.basis)
    if item.cases:
        kind += f" (the lowest, middle and highest of {formats.count_words(len(item.cases))} cases)"
    reason = (item.derivation if item.basis == "derived" else item.rationale).rstrip(".")
    return f"Basis: {kind}. {reason[:1].upper() + reason[1:]}."


def _numeric_control(item, values: list[float], shown) -> Control:
    low, central, high = (formats.input_value(item.value(level), item.unit) for level in ("low", "central", "high"))
    range_text = (f"Fixed at {central} in the parameters file." if item.fixed
                  else f"Range: {low} to {high}; central {central}.")
    return Control(item.name, SHORT_NAMES[item.name].capitalize(), tuple(values), tuple(shown(v) for v in values),
                   values.index(float(item.central)), range_text, _basis_text(item))


def _formula_control(formulas: tuple[str, ...]) -> Control:
    labels = tuple(attribution.FORMULA_LABELS[f] for f in formulas)
    return Control(FORMULA, SHORT_NAMES[FORMULA].capitalize(), formulas, labels, 0,
                   f"The {formats.count_words(len(formulas))} formulas in the parameters file: "
                   f"{formats.join_names([label.lower() for label in labels])}.",
                   "Basis: the councils' agreed formula is in business-case appendices that are not public; the "
                   "menu starts at the formula every page uses for each council's figures.")


def default_first(formulas: dict, default: str) -> dict:
    """The formulas with the default one first, so the menu starts where every page's figures start."""
    return {default: formulas[default], **{f: v for f, v in formulas.items() if f != default}}


def evaluate(assumed, baseline: float, years: list[str], key_shares: pd.Series, formulas: dict[str, pd.Series],
             councils: pd.Series) -> Grid:
    """Every combination of the controls' values, appraised in one call with every other input at its central
    value, and split between the councils (`councils`: short name by ONS code) under every formula."""
    central = assumed.values("central")
    grid_values = {name: levels(assumed.parameters[name].low, assumed.parameters[name].central,
                                assumed.parameters[name].high, steps) for name, steps in DRIVERS.items()}
    points = pd.DataFrame(list(itertools.product(*grid_values.values())), columns=list(grid_values))
    result = savings.appraise(baseline, {**central, **{n: points[n].to_numpy() for n in grid_values}},
                              assumed.appraisal_years)
    council_npv = attribution.council_npvs(baseline, key_shares, formulas, result)
    payback = tuple(years[i] if i >= 0 else NEVER_PAID_BACK for i in result.payback_index)
    one_off = dict(zip(points["one_off_cost_share"], result.one_off_total))  # in pounds, as the model found it

    def shown(name: str, value: float) -> str:
        text = formats.input_value(value, assumed.parameters[name].unit)
        return (f"{formats.money(one_off[value])} ({text} of a year's baseline before the overrun)"
                if name == "one_off_cost_share" else text)

    numeric = tuple(_numeric_control(assumed.parameters[name], grid_values[name], lambda v, n=name: shown(n, v))
                    for name in grid_values)
    at_start = np.logical_and.reduce([points[c.name].to_numpy() == c.values[c.start] for c in numeric])
    return Grid(numeric + (_formula_control(tuple(formulas)),), councils, points, result, council_npv, payback,
                int(np.flatnonzero(at_start)[0]), tuple(years))


def column_name(item) -> str:
    """An input's column in the published grid: its label, with its unit unless the label already says it."""
    label = item.label[:1].upper() + item.label[1:]
    unit = item.unit.replace(" (", ", ").replace(")", "")
    return label if unit.split()[0] in item.label.lower() else f"{label} ({unit})"


def council_column(council: str, formula_label: str) -> str:
    return f"NPV, {council}, {formula_label.lower()} (£)"


TOGETHER_COLUMN, PAYBACK_COLUMN, ONE_OFF_COLUMN = "NPV, the councils together (£)", "Payback year", "One-off cost in all (£)"


def grid_table(grid: Grid, labels: dict[str, str]) -> pd.DataFrame:
    """The grid as published: each grid point's inputs, one-off cost, NPV together and by council and formula."""
    out = pd.DataFrame({labels[c.name]: grid.points[c.name] for c in grid.numeric})
    out[ONE_OFF_COLUMN] = grid.result.one_off_total
    out[TOGETHER_COLUMN] = grid.result.npv
    out[PAYBACK_COLUMN] = list(grid.payback)
    for formula, label in zip(grid.formula.values, grid.formula.shown):
        for code, name in grid.councils.items():
            out[council_column(name, label)] = grid.council_npv[formula][code]
    return out


def inputs_table(grid: Grid) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per control, as shown; one row per grid value of each control, for the download)."""
    shown = pd.DataFrame([{"Input": c.label, "Values in the explorer": "; ".join(c.shown),
                           "Starts at": c.shown[c.start], "Range and basis": f"{c.range_text} {c.basis_text}"}
                          for c in grid.controls])
    raw = pd.DataFrame([{"input": c.name, "value": c.keys[i] if c.name == FORMULA else float(v), "shown as": c.shown[i],
                         "start": "yes" if i == c.start else "no"}
                        for c in grid.controls for i, v in enumerate(c.values)])
    return shown, raw


@dataclass
class ExplorerContent(ChapterContent):
    """The chapter's content, with the grid the page's controls choose from."""
    grid: Grid | None = None


def _grid_text(grid: Grid) -> str:
    varied = [f"{formats.count_words(len(c.values))} values of the {SHORT_NAMES[c.name]}"
              for c in grid.numeric if not c.fixed]
    return formats.join_names(varied) if varied else "no input"


def compute(inputs) -> ExplorerContent:
    p = inputs.params
    assumed = partnership.assumptions(inputs)
    grid = evaluate(assumed, partnership.baseline_total(inputs), partnership.financial_years(inputs),
                    partnership.key_shares(inputs), default_first(partnership.formula_shares(inputs), p.default_cost_sharing_formula),
                    partnership.councils(inputs)["short_name"])
    out = ExplorerContent(grid=grid)
    start, first = grid.start, grid.formula.values[0]
    npv = float(grid.result.npv[start])
    out.add("explorer_start_npv", formats.net_result(npv), npv, "GBP")
    out.add("explorer_start_payback", grid.payback[start])
    out.add("explorer_start_formula", grid.formula.shown[0].lower())
    out.add("explorer_start_councils", "; ".join(
        f"{name}, {formats.net_result(grid.council_npv[first][code][start])}" for code, name in grid.councils.items()))
    out.add("explorer_grid_text", _grid_text(grid))
    points = len(grid.points)
    out.add("explorer_grid_points", f"{points:,}", points, "combinations")
    out.add("explorer_formula_count", formats.count_words(len(grid.formula.values)), len(grid.formula.values), "formulas")
    fixed = [c for c in grid.numeric if c.fixed]
    out.add("explorer_fixed", "; ".join(f"the {SHORT_NAMES[c.name]} is fixed at {c.shown[0]}" for c in fixed)
            if fixed else "every input has a range")
    held = [name for name in assumed.parameters if name not in DRIVERS]
    out.add("explorer_held", "; ".join(
        f"{assumed.parameters[n].label}: {formats.input_value(assumed.parameters[n].central, assumed.parameters[n].unit)}"
        for n in held))
    out.add("partner_count", formats.count_words(len(p.partnership)), len(p.partnership), "councils")

    labels = {name: column_name(item) for name, item in assumed.parameters.items()}
    model_sources = unique_ids(partnership.baseline_sources(inputs), partnership.parameter_sources(assumed),
                               partnership.apportionment_sources(inputs))
    shown, raw = inputs_table(grid)
    out.tables[TABLE] = Table("The inputs the explorer varies: their values in its grid, where it starts, and the "
                              "range and basis of each", shown, model_sources, raw=raw)
    years = grid.years
    out.figures[FIGURE] = Figure(
        f"NPV for the settings chosen; at the start, the central case: {formats.net_result(npv)} for the councils together",
        f"Net present value for the {formats.count_words(len(p.partnership))} councils together and for each council "
        f"under the chosen cost-sharing formula, {p.price_base_year} prices, {years[0]} to {years[-1]} and after",
        "Bar chart of net present value for the councils together and for each council, for the settings chosen "
        "above; the result for those settings is also given in words above the chart. At the central case, under "
        f"{grid.formula.shown[0].lower()}: the councils together, {formats.signed_money(npv)}; " + "; ".join(
            f"{name}, {formats.signed_money(grid.council_npv[first][code][start])}" for code, name in grid.councils.items())
        + ". The table below gives every grid point.",
        grid_table(grid, labels), model_sources)
    return out
