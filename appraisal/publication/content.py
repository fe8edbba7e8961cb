"""What a chapter shows, as its module computes it: headline values for the prose, tables and the data of
each figure, each table and figure with its stable id and the ids of its sources.

Chart specifications stay in the notebook; everything that is computed from the inputs is here.
"""
from dataclasses import dataclass, field

import pandas as pd


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
        self.headlines[key] = Headline(text, value, unit)


def unique_ids(*groups) -> tuple[str, ...]:
    """Source ids from several lists, in order, without repeats or blanks."""
    return tuple(dict.fromkeys(s for group in groups for s in group if isinstance(s, str) and s))
