"""Every number a build publishes is a number, in the normal build and at the edge of the inputs' ranges
(no planned saving, so no one-off costs and no benefit-cost ratio): the figures register is strict JSON
with null for a figure stated in words, and no register cell, download cell or page shows 'nan', 'inf'
or a figure with no number in it."""
import csv
import html
import io
import json
import math
import re

import pytest

from appraisal import cli
from appraisal.publication.formats import WORDS

pytestmark = pytest.mark.slow
NOT_A_NUMBER = re.compile(r"(?<![\w-])[+\-\u2212]?(nan|inf|infinity)(?![\w-])", re.IGNORECASE)
NUMBER_WORDS = set(WORDS) | {"no", "none", "nothing", "all"}


def strict_json(text: str):
    def refuse(constant):
        raise AssertionError(f"{constant} in the figures register, which is not JSON")
    return json.loads(text, parse_constant=refuse)


def register_problems(downloads) -> list[str]:
    """Figures with a value that is not a finite number, or a numeric value but no number in its text."""
    problems = []
    for row in strict_json((downloads / "figures_register.json").read_text(encoding="utf-8")):
        value, text = row["value"], row["text"]
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{row['id']}: empty text")
        elif NOT_A_NUMBER.search(text):
            problems.append(f"{row['id']}: text {text!r}")
        if value is None or isinstance(value, str):
            continue
        if not math.isfinite(value):
            problems.append(f"{row['id']}: value {value}")
        elif not (re.search(r"\d", text) or NUMBER_WORDS & set(re.findall(r"[a-z]+", text.lower()))):
            problems.append(f"{row['id']}: value {value} but no number in its text {text!r}")
    return problems


def csv_problems(path) -> list[str]:
    """Cells of a CSV download (after its '#' lines) that show a number that is not a number."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines(keepends=True) if not line.startswith("#")]
    found = []
    for number, row in enumerate(csv.reader(io.StringIO("".join(lines), newline="")), start=1):
        found += [f"{path.name}: row {number}: {cell!r}" for cell in row if NOT_A_NUMBER.fullmatch(cell.strip())]
    return found


def page_text(path) -> str:
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def site_problems(site) -> list[str]:
    downloads = site / "downloads"
    problems = register_problems(downloads)
    for path in sorted(downloads.glob("*.csv")):
        problems += csv_problems(path)
    for path in sorted(site.rglob("*.html")):
        problems += [f"{path.name}: {m.group(0)!r} in '…{page_text(path)[max(0, m.start() - 40):m.end() + 20]}…'"
                     for m in NOT_A_NUMBER.finditer(page_text(path))]
    return problems


def test_the_normal_build_publishes_only_numbers(built):
    layout, _ = built
    assert site_problems(layout.site_dir) == []
    rows = strict_json((layout.site_dir / "downloads" / "figures_register.json").read_text(encoding="utf-8"))
    assert any(r["value"] is None for r in rows)  # the figures stated in words carry null


def test_a_build_with_no_planned_saving_says_the_ratio_is_not_defined(own_copy):
    assert cli.main(["build", "--build-dir", str(own_copy.build_dir), "--set", "planned_saving_share=0"]) == 0
    site = own_copy.site_dir
    assert site_problems(site) == []
    savings = re.sub(r"\s+([).,;:])", r"\1", " ".join(page_text(site / "chapters" / "savings.html").split()))
    assert ("that is no one-off cost to set the savings against (a benefit-cost ratio of no defined value)"
            in savings.replace("’", "'"))
    rows = {r["id"]: r for r in strict_json((site / "downloads" / "figures_register.json").read_text(encoding="utf-8"))}
    assert rows["savings.bcr_central"]["value"] is None and rows["savings.bcr_central"]["text"] == "no defined value"
