"""What the explorer's notebook shows besides its table and figure: the controls with their help folded under
each, the inputs held at one value as text, the result for the chosen settings in words (kept in view by the
page's style sheet and script: beside the settings where there is room, a bar at the top of the screen where
there is not), the precomputed results that the page's script picks from, and the chart's data and Vega-Lite
parameters, bound to the controls.

Nothing here computes the model: every number comes from the chapter's grid (`explorer.build_grid`), and this
module only formats it and lays it out. The page's script (`_static/explorer.js`) only looks rows up."""
import html
import json

import altair as alt
import pandas as pd
from IPython.display import HTML

from appraisal.chapters.explorer import FORMULA, TOGETHER, Grid, grid_key
from appraisal.publication import formats

def _e(text) -> str:
    return html.escape(str(text), quote=True)


def help_id(control) -> str:
    return f"explorer-{control.name}-help"


def _help_html(control) -> str:
    """The help under a control, folded: what the input is, its range and where that comes from."""
    return (f'<details class="explorer-help"><summary>About the {_e(control.label.lower())}</summary>'
            f'<p id="{help_id(control)}">{_e(control.help)}</p></details>')


def _control_html(control) -> str:
    options = "".join(f'<option value="{_e(key)}"{" selected" if i == control.start else ""}>{_e(text)}</option>'
                      for i, (key, text) in enumerate(zip(control.keys, control.shown)))
    return (f'<div class="explorer-control"><label for="explorer-{control.name}">{_e(control.label)}</label>'
            f'<select id="explorer-{control.name}" name="{control.name}" data-control="{control.name}" '
            f'data-start="{_e(control.keys[control.start])}" aria-describedby="{help_id(control)}">{options}</select>'
            f'{_help_html(control)}</div>')


def _held_html(held) -> str:
    """The inputs held at one value: text, not menus, since there is nothing to choose."""
    if not held:
        return ""
    items = "".join(f'<li class="explorer-held-input" data-input="{c.name}"><span class="explorer-held-value">'
                    f'{_e(c.label)}: {_e(c.shown[0])}</span>{_help_html(c)}</li>' for c in held)
    return (f'<div class="explorer-held"><p class="explorer-held-title">Held at one value</p>'
            f'<ul>{items}</ul></div>')


def chosen(grid: Grid) -> tuple:
    """The controls a reader can change: the numeric inputs with a range, then the cost-sharing formula."""
    return tuple(c for c in grid.numeric if not c.fixed) + (grid.formula,)


def held(grid: Grid) -> tuple:
    """The numeric inputs held at one value: shown as text beside the controls, never as a menu."""
    return tuple(c for c in grid.numeric if c.fixed)


def results(grid: Grid) -> dict:
    """Every grid point's result in words, for the page's script: each distinct text once, and for each grid
    point (named by its values joined with '|') the index of its NPV for the councils together, its payback
    year and each council's NPV under each formula, formula by formula."""
    texts, index = [], {}

    def text(value: str) -> int:
        if value not in index:
            index[value] = len(texts)
            texts.append(value)
        return index[value]

    varied = [c.name for c in grid.numeric if not c.fixed]
    rows = {}
    for i, point in enumerate(grid.points.itertuples(index=False)):
        values = point._asdict()
        key = "|".join(grid_key(values[name]) for name in varied)
        row = [text(formats.net_result(grid.result.npv[i])), text(grid.payback[i])]
        row += [text(formats.net_result(grid.council_npv[f][code][i])) for f in grid.formula.values
                for code in grid.councils.index]
        rows[key] = row
    return {"controls": varied, "formulas": list(grid.formula.values),
            "formula_names": [label.lower() for label in grid.formula.shown],
            "councils": len(grid.councils), "texts": texts, "rows": rows}


def _result_html(grid: Grid) -> str:
    """The result at the start, in words, as a short list that stays in view; the page's script replaces each
    field's text as the settings change."""
    s = grid.start
    first = grid.formula.values[0]
    rows = [("explorer-together", f"The {formats.count_words(len(grid.councils))} councils together", "together",
             formats.net_result(grid.result.npv[s])),
            ("", "Payback year", "payback", grid.payback[s])]
    rows += [("", name, f"c{k}", formats.net_result(grid.council_npv[first][code][s]))
             for k, (code, name) in enumerate(grid.councils.items())]
    items = "".join(f'<div class="{cls}"><dt>{_e(term)}</dt><dd data-field="{field}">{_e(value)}</dd></div>'
                    if cls else f'<div><dt>{_e(term)}</dt><dd data-field="{field}">{_e(value)}</dd></div>'
                    for cls, term, field, value in rows)
    return (f'<div id="explorer-result" class="explorer-result" role="status" aria-live="polite" aria-atomic="true">'
            f'<p class="explorer-result-title">Result for these settings</p>'
            f'<dl>{items}</dl>'
            f'<p class="explorer-result-note">Net present values. Councils\' shares by '
            f'<span data-field="formula">{_e(grid.formula.shown[0].lower())}</span>.</p></div>')


def _script_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def controls(grid: Grid) -> HTML:
    """The settings form with the inputs held at one value and the reset button, and beside it the result in
    words (the page's script moves the chart under it where there is room); then the precomputed results."""
    fields = "".join(_control_html(c) for c in chosen(grid))
    return HTML(f"""<div class="explorer-layout" id="explorer-layout">
<form id="explorer" class="explorer" aria-label="Settings of the what-if explorer">
<fieldset><legend>Settings</legend>
{fields}
{_held_html(held(grid))}
<button type="button" id="explorer-reset">Back to the central case</button>
</fieldset>
</form>
<div class="explorer-answer" id="explorer-answer">
{_result_html(grid)}
</div>
</div>
<noscript><p>The menus need JavaScript, which is off: this page shows the central case, and every combination
of the settings is in the data download of the figure below.</p></noscript>
<script type="application/json" id="explorer-data">{_script_json(results(grid))}</script>""")


def _bar_key(formula_index: int, council_index: int) -> str:
    return f"f{formula_index}c{council_index}"


def chart_data(grid: Grid) -> pd.DataFrame:
    """One row per grid point: the value of each control that can change and every bar's NPV in £ million
    (rounded to the nearest £1,000: the text gives the figures)."""
    out = pd.DataFrame({c.name: [float(grid_key(v)) for v in grid.points[c.name]] for c in chosen(grid)[:-1]})
    out[TOGETHER] = (grid.result.npv / 1e6).round(3)
    for f, formula in enumerate(grid.formula.values):
        for k, code in enumerate(grid.councils.index):
            out[_bar_key(f, k)] = (grid.council_npv[formula][code] / 1e6).round(3)
    return out


def bars(grid: Grid) -> pd.DataFrame:
    """Which field of `chart_data` holds which bar: the councils together, then each council under each formula."""
    rows = [{"key": TOGETHER, "formula": TOGETHER, "Bar": f"The {formats.count_words(len(grid.councils))} councils together"}]
    rows += [{"key": _bar_key(f, k), "formula": formula, "Bar": name}
             for f, formula in enumerate(grid.formula.values) for k, name in enumerate(grid.councils)]
    return pd.DataFrame(rows)


def params(grid: Grid) -> list:
    """One Vega-Lite parameter per control that can change, bound to its menu in the settings form (the chart
    starts from the menu's value), named after the input."""
    return [alt.param(name=f"set_{c.name}", value=c.keys[c.start], bind=alt.BindDirect(element=f"#explorer-{c.name}"))
            for c in chosen(grid)]


def chosen_point(grid: Grid) -> str:
    """The filter that keeps the grid point of the chosen settings (the menus hold each value's key as text)."""
    return " && ".join(f"datum.{c.name} == toNumber(set_{c.name})" for c in chosen(grid)[:-1]) or "true"


def chosen_bars() -> str:
    """The filter that keeps the councils together and each council under the chosen formula."""
    return f"datum.formula == '{TOGETHER}' || datum.formula == set_{FORMULA}"


def npv_domain(grid: Grid) -> list[float]:
    """The NPV axis in £ million, the same for every setting so that bars can be compared: from the lowest to
    the highest value in the grid, and always including zero."""
    data = chart_data(grid).drop(columns=[c.name for c in chosen(grid)[:-1]])
    return [min(0.0, float(data.min().min())), max(0.0, float(data.max().max()))]
