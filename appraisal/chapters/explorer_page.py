"""What the explorer's notebook shows besides its table and figure: the controls with their ranges and bases, the
result for the chosen settings in words, the precomputed results that the page's script picks from, and the
chart's data and Vega-Lite parameters, bound to the controls.

Nothing here computes the model: every number comes from the chapter's grid (`explorer.build_grid`), and this
module only formats it and lays it out. The page's script (`_static/explorer.js`) only looks rows up."""
import html
import json

import altair as alt
import pandas as pd
from IPython.display import HTML

from appraisal.chapters.explorer import FORMULA, TOGETHER, Grid, grid_key
from appraisal.publication import formats

STYLE = """<style>
.explorer { margin: 1rem 0; }
.explorer fieldset { border: 1px solid #6f6f6f; border-radius: 4px; padding: 0.5rem 1rem 1rem; margin: 0; min-width: 0; }
.explorer legend { font-weight: bold; padding: 0 0.25rem; width: auto; float: none; font-size: 1.1rem; }
.explorer-control { margin: 0.75rem 0; }
.explorer-control label, .explorer-fixed-name { display: block; font-weight: bold; }
.explorer-control select { display: block; width: 100%; max-width: 32rem; min-height: 2.75rem; font-size: 1rem;
  padding: 0.25rem; margin: 0.25rem 0; border: 2px solid #0b0c0c; border-radius: 0; background: #fff; color: #0b0c0c; }
.explorer-control select:focus, .explorer button:focus { outline: 3px solid #ffdd00; outline-offset: 0; box-shadow: 0 0 0 5px #0b0c0c; }
.explorer-basis { font-size: 0.9rem; margin: 0.25rem 0 0; overflow-wrap: anywhere; }
.explorer button { min-height: 2.75rem; font-size: 1rem; padding: 0.25rem 1rem; border: 2px solid #0b0c0c;
  background: #f3f2f1; color: #0b0c0c; cursor: pointer; max-width: 100%; }
.explorer-result { border-left: 5px solid #0072b2; padding: 0.5rem 1rem; margin: 1rem 0; background: #f3f2f1; overflow-wrap: anywhere; }
.explorer-result p { margin: 0.25rem 0; }
</style>"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _control_html(control) -> str:
    basis_id = f"explorer-{control.name}-basis"
    basis = f'<p class="explorer-basis" id="{basis_id}">{_e(control.range_text)} {_e(control.basis_text)}</p>'
    if control.fixed:
        return (f'<div class="explorer-control explorer-fixed"><p><span class="explorer-fixed-name">{_e(control.label)}</span>'
                f'{_e(control.shown[0])}, fixed: there is nothing to choose.</p>{basis}</div>')
    options = "".join(f'<option value="{_e(key)}"{" selected" if i == control.start else ""}>{_e(text)}</option>'
                      for i, (key, text) in enumerate(zip(control.keys, control.shown)))
    return (f'<div class="explorer-control"><label for="explorer-{control.name}">{_e(control.label)}</label>'
            f'<select id="explorer-{control.name}" name="{control.name}" data-control="{control.name}" '
            f'data-start="{_e(control.keys[control.start])}" aria-describedby="{basis_id}">{options}</select>{basis}</div>')


def chosen(grid: Grid) -> tuple:
    """The controls a reader can change: the numeric inputs with a range, then the cost-sharing formula."""
    return tuple(c for c in grid.numeric if not c.fixed) + (grid.formula,)


def results(grid: Grid) -> dict:
    """Every grid point's result in words, for the page's script: each distinct text once, and for each grid
    point (named by its values joined with '|') the index of its one-off cost, its NPV for the councils together,
    its payback year and each council's NPV under each formula, formula by formula."""
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
        row = [text(formats.money(grid.result.one_off_total[i])), text(formats.net_result(grid.result.npv[i])),
               text(grid.payback[i])]
        row += [text(formats.net_result(grid.council_npv[f][code][i])) for f in grid.formula.values
                for code in grid.councils.index]
        rows[key] = row
    return {"controls": varied, "formulas": list(grid.formula.values),
            "formula_names": [label.lower() for label in grid.formula.shown],
            "councils": len(grid.councils), "texts": texts, "rows": rows}


def _result_html(grid: Grid) -> str:
    """The result at the start, in words; the page's script replaces each field's text as the settings change."""
    s = grid.start
    first = grid.formula.values[0]
    councils = "; ".join(f'{_e(name)}, <span data-field="c{k}">{_e(formats.net_result(grid.council_npv[first][code][s]))}</span>'
                         for k, (code, name) in enumerate(grid.councils.items()))
    return (f'<div id="explorer-result" class="explorer-result" role="status" aria-live="polite" aria-atomic="true">'
            f'<p><strong>Result for these settings.</strong> One-off cost in all: <span data-field="one_off">'
            f'{_e(formats.money(grid.result.one_off_total[s]))}</span>. The {formats.count_words(len(grid.councils))} '
            f'councils together: <strong data-field="together">{_e(formats.net_result(grid.result.npv[s]))}</strong> '
            f'in present value. The cumulative discounted saving turns positive in: '
            f'<span data-field="payback">{_e(grid.payback[s])}</span>.</p>'
            f'<p>Under <span data-field="formula">{_e(grid.formula.shown[0].lower())}</span>: {councils}.</p></div>')


def _script_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def controls(grid: Grid) -> HTML:
    """The settings form, the reset button, the result in words and the precomputed results."""
    fields = "".join(_control_html(c) for c in grid.numeric + (grid.formula,))
    return HTML(f"""{STYLE}
<form id="explorer" class="explorer" aria-label="Settings of the what-if explorer">
<fieldset><legend>Settings</legend>
{fields}
<button type="button" id="explorer-reset">Back to the central case</button>
</fieldset>
</form>
{_result_html(grid)}
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
