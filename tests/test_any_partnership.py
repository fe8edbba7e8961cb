"""Nothing in the publication assumes how many councils share, or which: the whole site is built for a
partnership of two and for one of four (a hand-made fourth council) and every page names exactly the
partners and their number. Each is built over a copy of the main build, as an analyst's build after the
change would be."""
import re
import shutil

import pytest
import yaml

from appraisal import paths
from appraisal.pipeline.build import build
from conftest import quiet

pytestmark = pytest.mark.slow
COUNT_WORDS = {2: "two", 3: "three", 4: "four"}
QUOTING_PAGES = {"bibliography.html", "data_log.html"}  # they list sources' own titles, such as "Three councils to..."
FOURTH = {"ons_code": "E07000099", "name": "Fenland Test District Council", "short_name": "Fenland Test"}


def add_fourth_council(data_dir):
    """A made-up fourth council, with a population and finance rows for every year the others have."""
    councils = data_dir / "councils.csv"
    councils.write_text(councils.read_text().rstrip("\n") + "\n" + ",".join(
        [FOURTH["ons_code"], FOURTH["name"], FOURTH["short_name"], "100000", "2011", "camindependent2021pop",
         "test-only"]) + "\n")
    finance = data_dir / "council_finance.csv"
    rows = [line for line in finance.read_text().splitlines()[1:] if line.startswith("E07000008,")]
    extra = [re.sub(r"^E07000008,", FOURTH["ons_code"] + ",", line) for line in rows]
    finance.write_text(finance.read_text().rstrip("\n") + "\n" + "\n".join(extra) + "\n")


def build_for(tmp_path, layout, partnership, fourth=False):
    """Build `layout` (a copy of the main build, so built again in place) for `partnership`."""
    data_dir = tmp_path / "data"
    shutil.copytree(paths.DATA, data_dir)
    if fourth:
        add_fourth_council(data_dir)
    raw = yaml.safe_load((data_dir / "parameters.yaml").read_text())
    raw["partnership"] = partnership
    (data_dir / "parameters.yaml").write_text(yaml.safe_dump(raw, sort_keys=False))
    layout.data_dir = data_dir
    build(layout, params_path=data_dir / "parameters.yaml", log=quiet)
    names = yaml.safe_load((data_dir / "parameters.yaml").read_text())["partnership"]
    import pandas as pd

    councils = pd.read_csv(data_dir / "councils.csv").set_index("ons_code")
    return layout, [councils.loc[c, "name"] for c in names]


def glued_partner_names(html: str) -> list[str]:
    return re.findall(r'<span class="figure-text" data-figure="[\w.]+">([^<]*District Council[^<]*)</span>', html)


@pytest.mark.parametrize("size", [2, 4])
def test_every_page_names_exactly_the_partners_and_their_number(tmp_path, own_copy, size):
    base = yaml.safe_load(paths.PARAMETERS.read_text())["partnership"]
    partnership = base[:2] if size == 2 else base + [FOURTH["ons_code"]]
    layout, names = build_for(tmp_path, own_copy, partnership, fourth=size == 4)
    wrong = [w for n, w in COUNT_WORDS.items() if n != size]
    for path in sorted(layout.site_dir.rglob("*.html")):
        if path.name in QUOTING_PAGES:
            continue
        prose = re.sub(r"<table.*?</table>|<details.*?</details>", " ", path.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"<[^>]+>", " ", prose)  # the prose of the page: data tables quote their sources
        for word in wrong:
            assert not re.search(rf"\b{word} (?:partner )?councils\b", text, re.I), f"{path.name} says '{word} councils'"
        for listed in glued_partner_names(path.read_text(encoding="utf-8")):
            assert all(n in listed for n in names), f"{path.name} leaves out a partner: {listed}"
    front = (layout.site_dir / "chapters" / "index.html").read_text(encoding="utf-8")
    assert all(n in front for n in names)
