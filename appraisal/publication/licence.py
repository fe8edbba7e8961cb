"""The licence of the publication's own text and data: the Open Government Licence v3.0, as `license` in
CITATION.cff says (a test keeps the two equal). Every page's footer states it, every CSV carries it in a
comment line above the header, every chart image in its footer line, and the zip of all downloads holds it
as LICENCE.txt (also published beside the downloads).

The sources the publication cites keep their own terms: the licence covers what this publication itself
publishes."""
import re
from pathlib import Path

SPDX = "OGL-UK-3.0"  # as CITATION.cff names it
NAME = "Open Government Licence v3.0"
URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
FILE = "LICENCE.txt"


def line() -> str:
    """One line for a download: a CSV comment line (after '# ') or a chart's footer."""
    return f"Licence: {NAME} ({URL})"


def footer_html() -> str:
    """The licence as it is stated in every page's footer."""
    return f'Text and data under the <a href="{URL}" rel="license">{NAME}</a>'


def title(citation: Path) -> str:
    """The publication's title, from CITATION.cff."""
    found = re.search(r'^title:\s*"?([^"\n]+)"?', citation.read_text(encoding="utf-8"), re.M)
    return found.group(1).strip() if found else "this publication"


def text(title: str, label: str) -> str:
    """LICENCE.txt: what the licence covers, where to read it, and how to credit the publication.
    `label` names the edition ('Version 2026.2', or a draft's label)."""
    return f"""{title}
{label}

The text and data of this publication, including every file in this download, are published under the
{NAME}:
{URL}

You may copy, publish, adapt and use them, commercially or not, as that licence allows, if you credit the
publication, for example:

  Contains information from "{title}" ({label}),
  licensed under the {NAME}.

The licence covers what this publication itself publishes. The documents it cites (listed with their
addresses on its Sources page) are published by others under their own terms.
"""
