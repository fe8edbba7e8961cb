"""Where each source is read, and the quality rating that follows from it.

A source's main address (`url` in data/sources.csv) is the publisher's own page wherever that is known. A copy
kept by someone else (a mirror) or by an archive (an archived copy) is the main address only when the
publisher's own page is not known, and then the row says so in `copy`. A copy read beside a known publisher's
page is kept in `kept_copy_url`, with `kept_copy` saying whose copy it is.

The data log's rule rates a source high for council minutes, official statistics, the National Audit Office
and reputable trade press that state a figure directly; medium for secondary or mirror copies; low where the
figure is unverified. So a source whose main address is a copy, or that is secondary by its kind (a reproduced
press release, an encyclopaedia, a blog), is rated medium, or low where the figure is unverified: never high.
`highest_quality` derives that ceiling from the row, and `source_problems` refuses a row that breaks it.

Hosts that are not a publisher's own site are recognised by the declared patterns below, each matched against
the host name of an address. Development and staging copies, app-hosting copies, code repositories holding data
files, Wikipedia mirrors and web archives are never the main address: the page each copies has a public address
of its own. A party's or campaign's website, a document-sharing website, a research database or an online library
may be the main address only as a declared copy whose publisher's own page is not known.
"""
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd

from appraisal.inputs.characters import shown_value

RATINGS = ("low", "medium", "high")  # from lowest to highest
COPY_PATTERN = r"^(mirror|archived copy): \S"
NOT_KNOWN = "the publisher's own page is not known"
SECONDARY_KINDS = ("reproduced", "reprint", "encyclopaedia", "blog")  # words in `kind` that mark a secondary source


@dataclass(frozen=True)
class HostKind:
    """A kind of host that is not a publisher's own site, with the patterns that recognise it. A host that is
    `never_main` is never a source's main address: the page it copies always has a public address of its own
    (the same page on the publisher's site, the article on Wikipedia, the release the data file comes from)."""
    name: str
    patterns: tuple[str, ...]
    never_main: bool


def _ends(*domains: str) -> tuple[str, ...]:
    return tuple(rf"(^|\.){re.escape(d)}$" for d in domains)


HOST_KINDS = (
    # a label such as dev, staging or test before the site's own name: room151.dev.docandtee.com
    HostKind("a development or staging copy",
             (r"(^|\.)(dev|develop|development|staging|uat|sandbox|test)\.[^.]+\.[^.]+",
              r"(^|\.)[a-z0-9-]*-(dev|staging)\.", r"(^|\.)(dev|staging)-[a-z0-9-]*\."), True),
    HostKind("an app-hosting copy",
             _ends("azurewebsites.net", "herokuapp.com", "netlify.app", "vercel.app", "appspot.com", "pages.dev",
                   "onrender.com", "firebaseapp.com", "glitch.me"), True),
    HostKind("a code-hosting site (a copy of data files, not the publisher's release)",
             _ends("github.com", "raw.githubusercontent.com", "gitlab.com", "bitbucket.org"), True),
    HostKind("a Wikipedia mirror",
             (r"kiwix",) + _ends("piglix.com", "wikimili.com", "wikiwand.com", "wiki2.org", "infogalactic.com"), True),
    HostKind("a web archive (the archived page's own address is part of its address)",
             _ends("web.archive.org", "archive.org", "archive.ph", "archive.today", "archive.is",
                   "webarchive.nationalarchives.gov.uk", "webarchive.org.uk"), True),
    # a party's own site, national or local, such as scambsconservatives.org.uk (not ConservativeHome, a magazine),
    # and a campaign's .org site
    HostKind("a political party's or campaign's website",
             (r"(^|\.)[a-z0-9-]*(conservatives|labour|libdems?|greenparty)\.", r"(^|\.)(reformparty|reformuk|ukip)\.",
              r"(^|\.)[a-z0-9-]*campaigns?\.org(\.uk)?$"), False),
    HostKind("a document-sharing website",
             _ends("docslib.org", "pdfslide.net", "pdfslide.us", "dokumen.tips", "fdokumen.com", "vdocuments.mx",
                   "vdocuments.net", "docplayer.net", "studylib.net", "kipdf.com", "paperzz.com", "scribd.com",
                   "yumpu.com", "documents.pub"), False),
    HostKind("a research database", (r"(^|\.)vlex\.",), False),
    HostKind("an online library", _ends("affinitext.com"), False),
)


def host(url) -> str:
    return (urlsplit(str(url)).hostname or "").lower()


def host_kind(url) -> HostKind | None:
    """The kind of host an address is on, when it is one of the declared kinds that are not a publisher's site."""
    name = host(url)
    return next((kind for kind in HOST_KINDS if any(re.search(p, name) for p in kind.patterns)), None)


def _given(value) -> bool:
    return not (value is None or pd.isna(value) or not str(value).strip())


def main_address_is_a_copy(row) -> bool:
    """Whether the main address is a mirror or archived copy: the row says so, or the host is a copy's."""
    return _given(row.get("copy")) or host_kind(row.get("url", "")) is not None


def is_secondary(kind) -> bool:
    return _given(kind) and any(word in str(kind).lower() for word in SECONDARY_KINDS)


def highest_quality(row) -> str:
    """The highest quality the data log's rule allows a source: medium when it is read at a mirror or archived
    copy or is secondary by its kind (and low where its figure is unverified, which only a reader can tell);
    otherwise high."""
    return "medium" if main_address_is_a_copy(row) or is_secondary(row.get("kind")) else "high"


def source_problems(df: pd.DataFrame) -> list[tuple[int, str, str]]:
    """(spreadsheet row, column, problem) for every row of data/sources.csv that breaks the rules above."""
    found = []
    for index, row in df.iterrows():
        at = int(index) + 2
        row = row.to_dict()
        url, copy = row.get("url"), row.get("copy")
        kept_url, kept = row.get("kept_copy_url"), row.get("kept_copy")
        kind = host_kind(url) if _given(url) else None
        if kind and kind.never_main:
            found.append((at, "url", f"value {shown_value(url)} is on {kind.name} ({host(url)}), which is never a "
                                     "source's main address: cite the publisher's own page and keep this address "
                                     "in kept_copy_url"))
        elif kind and not _given(copy):
            found.append((at, "copy", f"value is blank, but the address is on {kind.name} ({host(url)}): say whose copy "
                                      f"it is ('mirror: ...' or 'archived copy: ...') and that {NOT_KNOWN}"))
        if _given(copy):
            if NOT_KNOWN not in str(copy):
                found.append((at, "copy", f"value {shown_value(copy)} must say that {NOT_KNOWN}: where it is known, "
                                          "it is the main address and this copy goes in kept_copy_url"))
            if _given(kept_url):
                found.append((at, "kept_copy_url", f"value {shown_value(kept_url)} must be blank when the main "
                                                   "address is itself a copy"))
        if _given(kept_url) and not _given(kept):
            found.append((at, "kept_copy", "value is blank; a value is required when kept_copy_url is given: "
                                           "say whose copy it is ('mirror: ...' or 'archived copy: ...')"))
        if _given(kept) and not _given(kept_url):
            found.append((at, "kept_copy_url", "value is blank; a value is required when kept_copy is given"))
        if _given(kept_url) and _given(url) and str(kept_url).strip() == str(url).strip():
            found.append((at, "kept_copy_url", f"value {shown_value(kept_url)} is the main address itself"))
        quality, ceiling = row.get("quality"), highest_quality(row)
        if quality in RATINGS and RATINGS.index(quality) > RATINGS.index(ceiling):
            why = ("its main address is a mirror or archived copy" if main_address_is_a_copy(row)
                   else f"it is a secondary source (kind {shown_value(row.get('kind'))})")
            found.append((at, "quality", f"value {shown_value(quality)} breaks the data log's rule: {why}, so it is "
                                         "rated medium, or low where the figure is unverified"))
    return found
