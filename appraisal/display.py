"""Plain-English number formats and the headline numbers that prose receives by glue."""
import json
import re
from pathlib import Path


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


class Headlines:
    """Numbers a chapter states in prose: glued into the page and written to an export file,
    so the front page and the figures register read the same values."""

    def __init__(self, chapter: str, exports_dir: str | Path):
        self.chapter = chapter
        self.path = Path(exports_dir) / f"{chapter}_headlines.json"
        self.items = {}

    def add(self, key: str, text: str, value: float | str | None = None, unit: str = "", depends_on=()):
        from myst_nb import glue

        glue(key, text, display=False)
        self.items[key] = {"text": text, "value": value, "unit": unit, "chapter": self.chapter,
                           "depends_on": sorted(depends_on)}

    def save(self) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.items, indent=1, sort_keys=True, default=float))
        return self.path


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
