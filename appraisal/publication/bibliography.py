"""The bibliography: one BibTeX entry per row of data/sources.csv, for the sources page.

A citation reads "Publisher, year". Where one publisher has two sources from the same year, the years
take letters in order of publication (2017a, 2017b), so that every label points at one source. An
address that is not the publisher's own page says whose copy it is; a copy kept beside the publisher's
page is given with its address and whose copy it is."""
import string

import pandas as pd

from appraisal.publication.formats import published_year


def _bib_text(value: str) -> str:
    text = str(value).replace("{", "(").replace("}", ")").replace("\\", "/")
    return text.replace("%", "\\%")  # a bare % starts a LaTeX comment


def _suffix(n: int) -> str:
    """a, b, ..., z, aa, ab, ...: the letter for the n-th source (from 0) of a publisher's year."""
    letters = string.ascii_lowercase
    return letters[n] if n < len(letters) else _suffix(n // len(letters) - 1) + letters[n % len(letters)]


def citation_years(sources: pd.DataFrame, missing: str = "n.d.") -> dict[str, str]:
    """The year each source is cited by: its year of publication, with a letter when the same publisher
    has more than one source that year ('2017a', '2017b', in order of publication date, then title)."""
    table = sources.assign(cite_year=sources["published"].map(lambda p: published_year(p, missing=missing)))
    table = table.sort_values(["publisher", "cite_year", "published", "title", "source_id"])
    group = table.groupby(["publisher", "cite_year"], sort=False)
    position, size = group.cumcount(), group["source_id"].transform("size")
    return {sid: year + (_suffix(n) if count > 1 else "")
            for sid, year, n, count in zip(table["source_id"], table["cite_year"], position, size)}


_LABELS: dict[tuple, dict[str, str]] = {}  # by the columns a label is made from: figures ask for them often


def citation_labels(sources: pd.DataFrame) -> dict[str, str]:
    """'Publisher (year)' for each source id, unique across the sources."""
    key = tuple(zip(*(sources[c].astype(str) for c in ("source_id", "publisher", "published", "title"))))
    if key not in _LABELS:
        years = citation_years(sources, missing="undated")
        if len(_LABELS) >= 8:
            _LABELS.pop(next(iter(_LABELS)))
        _LABELS[key] = {row.source_id: f"{row.publisher} ({years[row.source_id]})" for row in sources.itertuples()}
    return dict(_LABELS[key])


def _given(value) -> bool:
    return not (value is None or pd.isna(value) or not str(value).strip())


def _copy_note(copy) -> str:
    return f"; {_bib_text(copy)}" if _given(copy) else ""


def _kept_copy_note(url, kept) -> str:
    return f"; a copy is kept at {_bib_text(url)} ({_bib_text(kept)})" if _given(url) else ""


def bibtex_from_sources(sources: pd.DataFrame) -> str:
    """One BibTeX entry per row of data/sources.csv."""
    years = citation_years(sources)
    entries = []
    for row in sources.sort_values("source_id").itertuples():
        copy = getattr(row, "copy", None)
        kept = _kept_copy_note(getattr(row, "kept_copy_url", None), getattr(row, "kept_copy", None))
        entries.append(
            f"@misc{{{row.source_id},\n"
            f"  title = {{{{{_bib_text(row.title)}}}}},\n"
            f"  author = {{{{{_bib_text(row.publisher)}}}}},\n"
            f"  year = {{{years[row.source_id]}}},\n"
            f"  url = {{{row.url}}},\n"
            f"  note = {{Published {_bib_text(row.published)}; accessed {row.accessed}{_copy_note(copy)}{kept}}},\n"
            f"}}\n"
        )
    return "\n".join(entries)
