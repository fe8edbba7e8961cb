"""Chapter: what-if explorer. The appraisal evaluated over a grid of the inputs nobody knows for sure, so that a
reader can pick the share of the planned saving achieved, the one-off cost, the planned saving, the delay, the
years to full savings and the cost-sharing formula, and read the NPV for the councils together and for each
council, and the payback year.

Every value comes from the functions the savings chapter uses (`partnership.assumptions`, `savings.appraise`,
`attribution.council_npvs`), evaluated once for the whole grid: the inputs of each grid point are one draw of a
single vectorised call. Each input's values run over its low-to-high range; every other input is held at its
central value, so the grid point with every input at its central value is the savings chapter's central case.
Every input that the findings and the briefing name as a driver of the answer (the risk chapter's
`named_drivers`) and that has a range is one of the settings, first, in the order the briefing names them.
"""
import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from appraisal.chapters import partnership, risk
from appraisal.model import attribution, savings, sensitivity
from appraisal.publication import formats
from appraisal.publication.content import ChapterContent, Figure, Table, unique_ids

FIGURE, TABLE = "fig-explorer-npv", "tbl-explorer-inputs"
FORMULA = "cost_sharing_formula"
# Each input the reader can set, with the number of grid steps between each end of its range and its central
# value: three for the two inputs the answer hinges on most, one (low, central and high) for the others. The
# grid is the product of every input's values, so a step more on each side of every input would multiply the
# page's weight by more than ten. A driver the briefing names that is not here gets one step (`grid_steps`).
DRIVERS = {"savings_realisation": 3, "one_off_cost_share": 3, "planned_saving_share": 1, "extra_delay_years": 1,
           "years_to_full_savings": 1, "discount_rate": 1}
NAMED_STEPS = 1
SHORT_NAMES = {"one_off_cost_share": "one-off cost", "savings_realisation": "share of the planned saving achieved",
               "planned_saving_share": "planned saving", "extra_delay_years": "delay before savings start",
               "years_to_full_savings": "years to full savings", "discount_rate": "discount rate",
               "transition_cost_overrun": "overrun on one-off costs", "residual_years": "years the service runs on",
               FORMULA: "cost-sharing formula"}
# What each input is, in a sentence, for the help under its menu.
MEANINGS = {
    "one_off_cost_share": "What setting up the shared service cost, in all, with the overrun that other shared "
                          "services had on their one-off costs. Before that overrun, it is {range} of what the "
                          "services cost in a year before sharing.",
    "savings_realisation": "How much of the saving the councils planned was actually made, after any delay and slow "
                           "build-up.",
    "planned_saving_share": "The saving the councils planned to make each year, as a share of what the services cost "
                            "before sharing.",
    "extra_delay_years": "How much later than planned the savings start.",
    "years_to_full_savings": "How long the plan took to build savings up to their full level.",
    "discount_rate": "How much less a pound counts for each year later it is spent or saved.",
}
# What a share below zero means, for the inputs where it can happen: the words after the value in its menu, and a
# sentence in its help. Any other input's value below zero is explained by the general words.
NEGATIVE_WORDS = {
    "savings_realisation": ("costs rose", "A share below zero means the services cost more after sharing than "
                                          "before: {value} means costs rose by {size} of the saving planned."),
    "planned_saving_share": ("a rise planned", "A share below zero means a rise in costs was planned: {value} means "
                                               "costs were planned to rise by {size} of what the services cost."),
    "transition_cost_overrun": ("under budget", "A share below zero means the one-off cost came in under plan: "
                                                "{value} means {size} less than planned."),
}
NEGATIVE_GENERAL = ("below zero", "A value below zero works the other way round: {value} is the opposite of {size}.")
BASIS_WORDS = {"source": "stated by a source", "derived": "worked out from a source",
               "judgement": "a judgement", "reference class": "the record of other shared services"}
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
    """One input the reader sets: its values in the grid, how each is shown, which one is the start, and the help
    under its menu in plain words."""
    name: str
    label: str                 # short, for the control
    values: tuple              # numbers, or formula keys
    shown: tuple[str, ...]     # the text of each value
    start: int                 # index of the central value
    range_text: str            # its range in words, or the value it is held at
    basis_text: str            # where the range comes from
    meaning: str = ""          # what the input is, in a sentence
    negative_text: str = ""    # what a value below zero means, when the menu offers one

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(grid_key(v) for v in self.values)

    @property
    def fixed(self) -> bool:
        return len(self.values) == 1

    @property
    def help(self) -> str:
        """Everything the folded help under the menu says."""
        return " ".join(t for t in (self.meaning, self.range_text, self.negative_text, self.basis_text) if t)


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
    named: tuple[str, ...] = ()        # the drivers the briefing names, largest first

    @property
    def numeric(self) -> tuple[Control, ...]:
        return self.controls[:-1]

    @property
    def formula(self) -> Control:
        return self.controls[-1]


def short_name(item) -> str:
    return SHORT_NAMES.get(item.name, item.label)


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def _basis_text(item) -> str:
    """Where an input's range comes from, in words: what kind of evidence, and why."""
    kind = BASIS_WORDS.get(item.basis, item.basis)
    if item.cases:
        kind += f" (the lowest, middle and highest of {formats.count_words(len(item.cases))} cases)"
    reason = item.derivation if item.basis == "derived" else item.rationale
    return f"Where this comes from: {kind}. {_sentence(reason)}"


def negative_words(name: str, value: float, shown: str) -> tuple[str, str]:
    """(the words after a value below zero in its menu, the sentence that explains it)."""
    suffix, sentence = NEGATIVE_WORDS.get(name, NEGATIVE_GENERAL)
    return suffix, sentence.format(value=shown, size=formats.percent(abs(value)))


def _numeric_control(item, values: list[float], shown, meaning: str = "") -> Control:
    """The control of one numeric input. `shown` writes a value as its menu shows it; a value below zero is
    followed by what it means, and the help explains it with the lowest value offered."""
    low, central, high = (shown(item.value(level)) for level in ("low", "central", "high"))
    range_text = (f"Held at {central}: there is no range to try." if item.fixed
                  else f"From {low} to {high}; central {central}.")
    texts = []
    for v in values:
        text = shown(v)
        texts.append(f"{text} ({negative_words(item.name, v, text)[0]})" if v < 0 else text)
    lowest = min(values)
    negative = negative_words(item.name, lowest, shown(lowest))[1] if lowest < 0 else ""
    return Control(item.name, short_name(item).capitalize(), tuple(values), tuple(texts),
                   values.index(float(item.central)), range_text, _basis_text(item), meaning, negative)


def _formula_control(formulas: tuple[str, ...]) -> Control:
    labels = tuple(attribution.FORMULA_LABELS[f] for f in formulas)
    return Control(FORMULA, SHORT_NAMES[FORMULA].capitalize(), formulas, labels, 0,
                   f"The {formats.count_words(len(formulas))} ways of splitting them that this appraisal tests: "
                   f"{formats.join_names([label.lower() for label in labels])}.",
                   "Where this comes from: the formula the councils agreed is in appendices to their business cases, "
                   "which are not public; the menu starts at the formula every page uses for each council's figures.",
                   "How the saving and the one-off costs are split between the councils.")


def default_first(formulas: dict, default: str) -> dict:
    """The formulas with the default one first, so the menu starts where every page's figures start."""
    return {default: formulas[default], **{f: v for f, v in formulas.items() if f != default}}


def named_drivers(baseline: float, assumed) -> tuple[str, ...]:
    """The inputs the findings and the briefing name as moving the answer most, largest first (the risk
    chapter's choice from the tornado chart)."""
    tornado = sensitivity.tornado(baseline, assumed)
    return tuple(risk.named_drivers(tornado, assumed).head(risk.DRIVERS_NAMED)["name"])


def grid_steps(named: tuple[str, ...] = ()) -> dict[str, int]:
    """The grid steps of every input the reader can set: the named drivers first, in the order they are named
    (each that is not in DRIVERS gets NAMED_STEPS), then the rest of DRIVERS."""
    return {**{name: DRIVERS.get(name, NAMED_STEPS) for name in named}, **DRIVERS}


def evaluate(assumed, baseline: float, years: list[str], key_shares: pd.Series, formulas: dict[str, pd.Series],
             councils: pd.Series, named: tuple[str, ...] = ()) -> Grid:
    """Every combination of the controls' values, appraised in one call with every other input at its central
    value, and split between the councils (`councils`: short name by ONS code) under every formula. `named`:
    the drivers the briefing names, which are set first."""
    central = assumed.values("central")
    p = assumed.parameters
    grid_values = {name: levels(p[name].low, p[name].central, p[name].high, steps)
                   for name, steps in grid_steps(named).items()}
    points = pd.DataFrame(list(itertools.product(*grid_values.values())), columns=list(grid_values))
    result = savings.appraise(baseline, {**central, **{n: points[n].to_numpy() for n in grid_values}},
                              assumed.appraisal_years)
    council_npv = attribution.council_npvs(baseline, key_shares, formulas, result)
    payback = tuple(years[i] if i >= 0 else NEVER_PAID_BACK for i in result.payback_index)
    # The one-off cost in pounds as the model found it, at each of its values with every other input central.
    others = [n for n in grid_values if n != "one_off_cost_share"]
    central_rest = np.logical_and.reduce([points[n].to_numpy() == float(p[n].central) for n in others]) \
        if others else np.ones(len(points), dtype=bool)
    one_off = dict(zip(points.loc[central_rest, "one_off_cost_share"], result.one_off_total[central_rest]))

    def shown(name: str, value: float) -> str:
        return formats.money(one_off[value]) if name == "one_off_cost_share" and value in one_off \
            else formats.input_value(value, p[name].unit)

    def meaning(name: str) -> str:
        if name != "one_off_cost_share":
            return MEANINGS.get(name, "")
        share = [formats.input_value(p[name].value(level), p[name].unit) for level in ("low", "central", "high")]
        return MEANINGS[name].format(range=f"{share[0]} to {share[2]} (central {share[1]})")

    numeric = tuple(_numeric_control(p[name], grid_values[name], lambda v, n=name: shown(n, v), meaning(name))
                    for name in grid_values)
    at_start = np.logical_and.reduce([points[c.name].to_numpy() == c.values[c.start] for c in numeric])
    return Grid(numeric + (_formula_control(tuple(formulas)),), councils, points, result, council_npv, payback,
                int(np.flatnonzero(at_start)[0]), tuple(years), tuple(named))


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
                           "Starts at": c.shown[c.start], "What it is, its range and where that comes from": c.help}
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
    varied = [f"{formats.count_words(len(c.values))} values of the {SHORT_NAMES.get(c.name, c.label.lower())}"
              for c in grid.numeric if not c.fixed]
    return formats.join_names(varied) if varied else "no input"


def compute(inputs) -> ExplorerContent:
    p = inputs.params
    assumed = partnership.assumptions(inputs)
    baseline = partnership.baseline_total(inputs)
    grid = evaluate(assumed, baseline, partnership.financial_years(inputs), partnership.key_shares(inputs),
                    default_first(partnership.formula_shares(inputs), p.default_cost_sharing_formula),
                    partnership.councils(inputs)["short_name"], named_drivers(baseline, assumed))
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
    out.add("explorer_named_count", formats.count_words(len(grid.named)), len(grid.named), "inputs")
    out.add("explorer_formula_count", formats.count_words(len(grid.formula.values)), len(grid.formula.values), "formulas")
    fixed = [c for c in grid.numeric if c.fixed]
    out.add("explorer_fixed", "; ".join(f"the {SHORT_NAMES.get(c.name, c.label.lower())} is held at {c.shown[0]}"
                                        for c in fixed) if fixed else "every input has a range")
    held = [name for name in assumed.parameters if name not in grid.points.columns]
    out.add("explorer_held", "; ".join(
        f"{assumed.parameters[n].label}: {formats.input_value(assumed.parameters[n].central, assumed.parameters[n].unit)}"
        for n in held))
    out.add("partner_count", formats.count_words(len(p.partnership)), len(p.partnership), "councils")

    labels = {name: column_name(item) for name, item in assumed.parameters.items()}
    model_sources = unique_ids(partnership.baseline_sources(inputs), partnership.parameter_sources(assumed),
                               partnership.apportionment_sources(inputs))
    shown, raw = inputs_table(grid)
    out.tables[TABLE] = Table("The explorer's inputs: the values each can take, where it starts, and what it is, "
                              "its range and where that comes from", shown, model_sources, raw=raw)
    years = grid.years
    out.figures[FIGURE] = Figure(
        f"NPV for the settings chosen; at the start, the central case: {formats.net_result(npv)} for the councils together",
        f"Net present value for the {formats.count_words(len(p.partnership))} councils together and for each council "
        f"under the chosen cost-sharing formula, {p.price_base_year} prices, {years[0]} to {years[-1]} and after",
        "Bar chart of net present value for the councils together and for each council, for the settings chosen; "
        "the result for those settings is also given in words, under 'Result for these settings'. At the central "
        "case, under "
        f"{grid.formula.shown[0].lower()}: the councils together, {formats.signed_money(npv)}; " + "; ".join(
            f"{name}, {formats.signed_money(grid.council_npv[first][code][start])}" for code, name in grid.councils.items())
        + ". The table below gives every grid point.",
        grid_table(grid, labels), model_sources)
    return out
