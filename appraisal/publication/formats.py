"""Plain-English number formats (GOV.UK style) for the values that prose receives by glue."""
import re


def money(amount: float) -> str:
    """£ in GOV.UK style, without sign: £610,000, £2.6 million, £1.34 billion."""
    a = abs(float(amount))
    if a >= 1e9:
        return f"£{a / 1e9:,.2f} billion"
    if a >= 1e6:
        return f"£{a / 1e6:,.1f} million"
    if a >= 1e4:
        return f"£{round(a, -3):,.0f}"
    return f"£{a:,.0f}"


def signed_money(amount: float) -> str:
    """Money with a minus sign where negative: −£2.6 million."""
    return ("−" if amount < 0 else "") + money(amount)


def net_result(amount: float, gain: str = "a net saving of", loss: str = "a net cost of") -> str:
    """A signed amount in words: 'a net saving of £1.2 million' or 'a net cost of £2.6 million'."""
    return f"{gain if amount >= 0 else loss} {money(amount)}"


def published_year(published: str, missing: str = "undated") -> str:
    """The year in a source's publication date: '2014-07-02' -> '2014', 'c.2018' -> '2018'."""
    match = re.search(r"\d{4}", str(published))
    return match.group(0) if match else missing


def percent(share: float, digits: int = 0) -> str:
    return f"{share * 100:.{digits}f}%"


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


def join_names(names) -> str:
    """'A, B and C'."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def count_words(n: int) -> str:
    """GOV.UK style: one to nine in words, 10 and above in digits."""
    return WORDS[n] if 0 <= n < len(WORDS) else f"{n:,}"
