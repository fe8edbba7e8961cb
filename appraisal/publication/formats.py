"""Number formats: plain English (GOV.UK style) for the values that prose takes from the figures register, and rounded
values with the unit in the column header for tables.

Prose follows the Government Analysis Function's guidance on presenting numbers: no more figures than the
estimate supports, no trailing ".0", amounts in words of the unit (£2.6 million), simulated chances never
shown as certain ("more than 99%", "less than 1%"), ratios also as money back for every pound."""
import math
import re
from decimal import ROUND_HALF_UP, Decimal


def _trim(number: str) -> str:
    """'75.0' -> '75', '1.30' -> '1.3': no trailing zeros after a decimal point."""
    return number.rstrip("0").rstrip(".") if "." in number else number


def money(amount: float) -> str:
    """£ in GOV.UK style, without sign, to no more than three significant figures: £610,000, £2.6 million,
    £75 million, £157 million, £1.34 billion, £9,880."""
    a = abs(float(amount))
    if round(a / 1e9, 2) >= 1:
        return f"£{_trim(f'{rounded(a / 1e9):,.2f}')} billion"
    if round(a / 1e6, 1) >= 1:
        return f"£{_trim(f'{rounded(a / 1e6):,.1f}')} million"
    if round(a, -3) >= 1e4:
        return f"£{rounded(round(a, -3)):,.0f}"
    return f"£{rounded(a):,.0f}"


def money_among(amount: float, amounts) -> str:
    """£ without sign, as precise as the largest of the amounts it is read with, no more: beside £21.2
    million, £918,000 is written £0.9 million (a figure a range of tens of millions cannot support to the
    nearest thousand pounds); among amounts under £1 million it is £918,000, as money() writes it."""
    largest = max((abs(float(a)) for a in amounts if a == a), default=0.0)
    a = abs(float(amount))
    for scale, word, decimals in ((1e9, "billion", 2), (1e6, "million", 1)):
        if round(largest / scale, decimals) >= 1 and round(a / scale, decimals) < 1:
            smallest = f"0.{'0' * (decimals - 1)}1"
            if a == 0:
                return "£0"
            if round(a / scale, decimals) == 0:
                return f"under £{smallest} {word}"
            return f"£{_trim(f'{a / scale:,.{decimals}f}')} {word}"
    return money(a)


def signed_money(amount: float, amounts=()) -> str:
    """Money with a minus sign where negative: −£2.6 million. Given the amounts it is read with, it is as
    precise as the largest of them (see money_among); never '−£0'."""
    text = money_among(amount, [amount, *amounts])
    return ("−" if amount < 0 and not text.startswith("under") and any(ch in "123456789" for ch in text) else "") + text


def net_result(amount: float, gain: str = "a net saving of", loss: str = "a net cost of", amounts=()) -> str:
    """A signed amount in words: 'a net saving of £1.2 million' or 'a net cost of £2.6 million'; as precise
    as the largest of the amounts it is read with, if they are given."""
    return f"{gain if amount >= 0 else loss} {money_among(amount, [amount, *amounts])}"


def money_range(low: float, high: float) -> str:
    """Two signed amounts as a range, both to the precision the larger supports: '−£4.8 million to £21.2
    million', '£0.9 million to £21.2 million', '£556,000 to £693,000'."""
    return f"{signed_money(low, [high])} to {signed_money(high, [low])}"


def published_year(published: str, missing: str = "undated") -> str:
    """The year in a source's publication date: '2014-07-02' -> '2014', 'c.2018' -> '2018'."""
    match = re.search(r"\d{4}", str(published))
    return match.group(0) if match else missing


def percent(share: float, digits: int = 0) -> str:
    """A share as per cent, without a trailing '.0' and with a real minus sign: 0.035 -> '3.5%' (digits=1)."""
    text = _trim(f"{abs(share) * 100:.{digits}f}")
    return ("\u2212" if share < 0 and text != "0" else "") + text + "%"


def chance(probability: float) -> str:
    """A simulated chance as a whole per cent, never shown as certain or impossible: a simulation only
    says that a share of its runs did something, so above 99% reads 'more than 99%' and below 1%
    'less than 1%'."""
    p = float(probability)
    if p > 0.99:
        return "more than 99%"
    if p < 0.01:
        return "less than 1%"
    return percent(p)


NO_ONE_OFF_COSTS = "no one-off cost to set the savings against"
NO_RATIO = "no defined value"  # read after "a benefit-cost ratio of"


def finite_or_none(value) -> float | None:
    """A number as a float when it is finite; None when it is missing, NaN or infinite (a ratio whose
    denominator is zero has no value, and a figure without one carries none rather than NaN)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def per_pound(ratio) -> str:
    """A benefit-cost ratio as money back for every pound spent: 0.58 -> '58p back for every £1',
    1.04 -> '£1.04 back for every £1'. With no one-off costs the ratio is not defined (None or NaN), and
    the words say so."""
    ratio = finite_or_none(ratio)
    if ratio is None:
        return NO_ONE_OFF_COSTS
    pence = round(ratio * 100)
    if pence <= 0:
        return "nothing back for every £1"
    if pence < 100:
        return f"{pence}p back for every £1"
    return f"£{pence / 100:.2f} back for every £1"


def ratio(value, decimals: int = 2) -> str:
    """A benefit-cost ratio as a number, '1.04'; with no one-off costs (None or NaN) words saying that the
    ratio is not defined, never 'nan'."""
    value = finite_or_none(value)
    return NO_RATIO if value is None else f"{value:.{decimals}f}"


def fact_text(value: float, unit: str) -> str:
    """A sourced fact in words, by its unit: 40 percent -> 40%; 6.1 GBP million -> £6.1 million."""
    unit = unit.lower()
    if unit.startswith("percent"):
        return f"{value:g}%"
    if unit.startswith("gbp billion"):
        return money(value * 1e9)
    if unit.startswith("gbp million"):
        return money(value * 1e6)
    if unit.startswith("gbp"):
        return money(value)
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


def apostrophes(text: str) -> str:
    """Typographic apostrophes (’), as the pages set the typed prose around a glued sentence: "year's" ->
    "year’s". A sentence glued into a notebook page and into a Markdown page then reads the same on both."""
    return str(text).replace("'", "\u2019")


def join_names(names) -> str:
    """'A, B and C'."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def count_words(n: int) -> str:
    """GOV.UK style: one to nine in words, 10 and above in digits."""
    return WORDS[n] if 0 <= n < len(WORDS) else f"{n:,}"


# Formats for tables on the pages, after the Government Analysis Function's guidance on rounding:
# show no more figures than the estimate supports, give the unit once in the column header, and keep
# full precision in the downloads. Negative values carry U+2212 MINUS SIGN, joined to the number: screen
# readers read it as "minus" (NVDA's "negative number" rule matches "−" before a digit or "£"), where a
# hyphen is often read as "dash" or not at all.
MINUS = "\u2212"
MILLION, THOUSAND = 1e6, 1e3


def money_scale(values) -> tuple[float, str]:
    """The divisor and header unit for a column of amounts in pounds, chosen by its largest amount:
    £ million from £1 million up, £ thousand from £10,000 up, whole pounds below."""
    largest = max((abs(float(v)) for v in values if v == v), default=0.0)
    if largest >= MILLION:
        return MILLION, "£m"
    if largest >= 10 * THOUSAND:
        return THOUSAND, "£ thousand"
    return 1.0, "£"


def signed_number(value: float, decimals: int) -> str:
    """A number with thousands separators and a real minus sign; never '−0.0'."""
    text = f"{abs(float(value)):,.{decimals}f}"
    negative = float(value) < 0 and any(ch not in "0.," for ch in text)
    return (MINUS if negative else "") + text


TABLE_FIGURES = 3  # the most significant figures an estimate is shown to in a table (GSS guidance on rounding)


def rounded(value: float, figures: int = TABLE_FIGURES) -> float:
    """`value` rounded half away from zero to `figures` significant figures: 1,234,567 -> 1,230,000;
    0.15556 -> 0.156; 156.5 -> 157."""
    v = float(value)
    if v == 0 or not math.isfinite(v):
        return v
    exponent = math.floor(math.log10(abs(v))) - figures + 1
    return float(Decimal(repr(v)).quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP))


def scaled_money(value: float, divisor: float) -> str:
    """An amount in pounds in the column's unit: one decimal place in £ million (none from £100 million),
    none otherwise, and never more than three significant figures: 21.2, 123, 1,230."""
    v = float(value) / divisor
    decimals = 1 if divisor == MILLION else 0
    if abs(round(v, decimals)) >= 10 ** (TABLE_FIGURES - decimals):
        return signed_number(rounded(v), 0)
    return signed_number(v, decimals)


def table_number(value: float) -> str:
    """A number with no unit of its own in a table: whole numbers as they are, others to at most three
    significant figures without trailing zeros: 14, 14.5, 1.56, 0.169."""
    v = float(value)
    if v.is_integer():
        return signed_number(v, 0)
    shown = rounded(v)
    decimals = max(0, TABLE_FIGURES - 1 - math.floor(math.log10(abs(shown)))) if shown else 0
    text = signed_number(shown, decimals)
    return text.rstrip("0").rstrip(".") if "." in text else text


def share_percent(share: float) -> str:
    """A share in a table as per cent to one decimal place below 100%, whole from 100% (three significant
    figures at most): 0.2775 -> 27.8%, 1.0 -> 100%, 1.494 -> 149%."""
    pct = float(share) * 100
    text = signed_number(pct, 1)
    return (signed_number(pct, 0) if abs(float(text.lstrip(MINUS).replace(",", ""))) >= 100 else text) + "%"


def significant(value: float, figures: int = 2) -> str:
    """A ratio to a number of significant figures, in plain notation: 0.032, 0.97, 1.0, 12, 120."""
    v = float(value)
    if v == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(v)))
    decimals = figures - 1 - magnitude
    rounded = round(v, decimals)
    if rounded != 0 and math.floor(math.log10(abs(rounded))) > magnitude:  # 0.996 -> 1.0, not 1.00
        decimals -= 1
    return signed_number(rounded, max(decimals, 0))


def _months(n: float) -> str:
    months = round(n)
    return f"{months} month" if months == 1 else f"{months} months"


MULTIPLES = {2: "doubles", 3: "triples", 4: "quadruples"}


def uplift(value: float) -> str:
    """A generic optimism-bias uplift in words, with what it does to the figure it raises:
    0 -> 'no uplift'; 2 -> 'an uplift of 200%, which triples the planned figure'."""
    if value == 0:
        return "no uplift"
    text = f"an uplift of {percent(value, 1 if abs(value) < 0.1 else 0)}"
    factor = 1 + value
    if factor in MULTIPLES:
        return f"{text}, which {MULTIPLES[factor]} the planned figure"
    return text


def input_value(value: float, unit: str) -> str:
    """A model input in words by its unit: shares as per cent, uplifts with their effect, years as years
    (or months when under two)."""
    unit = unit.lower()
    if unit.startswith("uplift"):
        return uplift(value)
    if unit.startswith("share"):
        return percent(value, 1 if abs(value) < 0.1 and value != 0 else 0)
    if unit.startswith("years"):
        if value == 0:
            return "none"
        return _months(value * 12) if abs(value) < 2 else f"{_trim(f'{value:.1f}')} years"
    return significant(value)


def range_end(value: float, unit: str) -> str:
    """One end of a range of an input's values, in words of its unit. Unlike input_value, zero is a value
    here, not the absence of one: a search from 0 years, from 0% (an uplift as its per cent)."""
    unit = unit.lower()
    if unit.startswith("uplift"):
        return percent(value, 1 if 0 < abs(value) < 0.1 else 0)
    if unit.startswith("years") and value == 0:
        return "0 years"
    return input_value(value, unit)

