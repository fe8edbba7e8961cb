"""The bibliography: one BibTeX entry per row of data/sources.csv, for the sources page."""
import pandas as pd

from appraisal.publication.formats import published_year


def _bib_text(value: str) -> str:
    text = str(value).replace("{", "(").replace("}", ")").replace("\\", "/")
    return text.replace("%", "\\%")  # a bare % starts a LaTeX comment


def bibtex_from_sources(sources: pd.DataFrame) -> str:
    """One BibTeX entry per row of data/sources.csv."""
    entries = []
    for row in sources.sort_values("source_id").itertuples():
        year = published_year(row.published, missing="n.d.")
        entries.append(
            f"@misc{{{row.source_id},\n"
            f"  title = {{{{{_bib_text(row.title)}}}}},\n"
            f"  author = {{{{{_bib_text(row.publisher)}}}}},\n"
            f"  year = {{{year}}},\n"
            f"  url = {{{row.url}}},\n"
            f"  note = {{Published {_bib_text(row.published)}; accessed {row.accessed}}},\n"
            f"}}\n"
        )
    return "\n".join(entries)
