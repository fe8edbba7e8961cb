"""What a chapter shows, as its module computes it: headline values for the prose, tables and the data of
each figure, each table and figure with its stable id and the ids of its sources.

Chart specifications stay in the notebook; everything that is computed from the inputs is here.
"""
import math
import numbers
import re
from dataclasses import dataclass, field

import pandas as pd

# A number that is not a number, as Python or a spreadsheet prints it: 'nan', 'inf', '-inf', 'Infinity',
# '£nan million', 'nan%'. Never a value a reader should see.
NOT_A_NUMBER = re.compile(r"(?<![A-Za-z])(nan|inf|infinity)(?![A-Za-z])", re.IGNORECASE)


class NotANumber(ValueError):
    """A figure whose value or text is not a number (NaN or infinity): the build stops rather than print it."""


def not_a_number_problem(text: str, value) -> str | None:
    """Why a stated figure would print a number that is not a number, or None."""
    if isinstance(value, numbers.Real) and not math.isfinite(float(value)):  # NumPy numbers too
        return f"has the value {value}, which is not a number; a figure with no numeric value carries None"
    found = NOT_A_NUMBER.search(str(text))
    if found:
        return f"would be printed as {str(text)!r}, which shows {found.group(0)!r} where a number belongs"
    return None


@dataclass(frozen=True)
class Headline:
    """A value stated in the prose: the text as the pages state it, the value behind it, and its unit."""
    text: str
    value: float | int | str | None = None
    unit: str = ""


@dataclass(frozen=True)
class Table:
    caption: str
    shown: pd.DataFrame
    source_ids: tuple[str, ...]
    raw: pd.DataFrame | None = None  # what the CSV download holds; the shown table when None


@dataclass(frozen=True)
class Figure:
    title: str      # active title: states the finding
    subtitle: str   # measure, place and period
    alt_text: str   # text alternative
    data: pd.DataFrame
    source_ids: tuple[str, ...]


@dataclass
class ChapterContent:
    headlines: dict[str, Headline] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    figures: dict[str, Figure] = field(default_factory=dict)
    snippets: dict[str, Table] = field(default_factory=dict)  # unnumbered tables other pages show

    def add(self, key: str, text: str, value=None, unit: str = "") -> None:
        """State a figure. Its value is a finite number, text or None: never NaN or infinity, which would
        reach readers as 'nan' (a ratio with a zero denominator has no value: give None and say so in words)."""
        problem = not_a_number_problem(text, value)
        if problem:
            raise NotANumber(f"figure '{key}' {problem}")
        self.headlines[key] = Headline(text, value, unit)


def unique_ids(*groups) -> tuple[str, ...]:
    """Source ids from several lists, in order, without repeats or blanks."""
    return tuple(dict.fromkeys(s for group in groups for s in group if isinstance(s, str) and s))
