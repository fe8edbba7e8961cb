"""The colours of every chart, so that a colour means one thing throughout the publication.

Colours are the Okabe–Ito palette, chosen to stay distinct for readers with the common forms of colour
blindness. Savings are always blue and costs always vermillion; the scenarios, the councils and every
other set of categories keep the same colour for the same category on every chart. Charts that rely on
colour also differ in line style or mark shape where they can, and every chart has a text description
and its data beside it."""
import altair as alt

BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
GREY = "#6F6F6F"  # reference lines and "not known": not a category colour

SAVING = BLUE
COST = VERMILLION
SCENARIOS = {"Low": REDDISH_PURPLE, "Central": BLACK, "High": BLUISH_GREEN}
# The colours of a set of categories with no meaning of their own (councils, cost-sharing formulas, kinds
# of case), given in the order the data lists them. Blue and vermillion are kept for savings and costs.
SERIES = (ORANGE, SKY_BLUE, BLUISH_GREEN, REDDISH_PURPLE, BLACK, GREY)
MAIN, COMPARISON = BLACK, ORANGE          # a main result and the same result on another basis
LOW_END, HIGH_END = SKY_BLUE, ORANGE      # an input at the low or the high end of its range


def scale(colours: dict[str, str]) -> alt.Scale:
    """A colour scale that gives each category its colour, whatever order the data holds them in."""
    return alt.Scale(domain=list(colours), range=list(colours.values()))


def series(categories) -> alt.Scale:
    """The colours of categories that have no meaning of their own, in the order given."""
    categories = list(dict.fromkeys(categories))
    if len(categories) > len(SERIES):
        raise ValueError(f"{len(categories)} categories, but the palette has {len(SERIES)} series colours")
    return scale(dict(zip(categories, SERIES)))


def saving_and_cost(saving: str, cost: str) -> alt.Scale:
    """Savings in blue and costs in vermillion, on every chart that shows both."""
    return scale({saving: SAVING, cost: COST})


def scenarios() -> alt.Scale:
    return scale(SCENARIOS)


def main_and_comparison(main: str, comparison: str) -> alt.Scale:
    return scale({main: MAIN, comparison: COMPARISON})


def low_and_high(low: str, high: str) -> alt.Scale:
    return scale({low: LOW_END, high: HIGH_END})


def line_legend(dashed: bool = False, **properties) -> alt.Legend:
    """A legend for a line chart whose entries are drawn as short lines, not dots: a colour legend shows each
    line's colour, and a line-style legend (dashed=True) each line's dash, in black, so that series that
    differ only in line style are told apart in the legend as on the chart."""
    style = {"symbolStrokeColor": BLACK} if dashed else {}
    return alt.Legend(symbolType="stroke", symbolStrokeWidth=2.5, symbolSize=500, **style, **properties)
