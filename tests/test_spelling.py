"""Spelling, in British English: the prose of every page and the text in the data that pages show, checked
with Hunspell's British dictionary (through pyenchant) and the project's own word list (tests/words.txt)."""
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from appraisal import paths
from prose import pages, visible

WORD_LIST = Path(__file__).with_name("words.txt")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
# Text columns of the data that pages show in tables and sentences (titles of sources are quoted as published).
DATA_TEXT = {"timeline.csv": ["event"], "case_studies.csv": ["services", "model", "outcome", "lesson"],
             "risk_register.csv": ["risk", "likelihood_basis", "mitigation", "owner"],
             "conflicting_figures.csv": ["topic", "reason"], "key_facts.csv": ["description"],
             "typical_savings.csv": ["finding", "scope"], "baseline_costs.csv": ["note"],
             "case_study_outcomes.csv": ["note"], "one_off_costs.csv": ["note"],
             "lga_shared_services_map.csv": ["note"], "sources.csv": ["kind", "copy", "kept_copy"]}
PARAMETER_TEXT = ("label", "rationale", "derivation", "settled_by")


@pytest.fixture(scope="module")
def british():
    enchant = pytest.importorskip("enchant", reason="pyenchant is in requirements.txt; `make test` installs it")
    if not enchant.dict_exists("en_GB"):
        pytest.fail("No British English dictionary: `make test` installs it (sudo apt-get install -y hunspell-en-gb)")
    known = {line.strip() for line in WORD_LIST.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")}
    dictionary = enchant.Dict("en_GB")
    return lambda word: word in known or dictionary.check(word)


def words(text: str):
    """The words of a text, without possessives; acronyms (ICT, LGA) are left to the reader."""
    for word in WORD.findall(text):
        word = re.sub(r"'s$", "", word.replace("’", "'")).strip("'")
        if word and not word.isupper():
            yield word


def misspelt(texts: dict[str, str], check) -> dict[str, list[str]]:
    found = {}
    for name, text in texts.items():
        bad = sorted({w for w in words(text) if not check(w)})
        if bad:
            found[name] = bad
    return found


def test_the_check_finds_a_misspelling_and_an_american_spelling(british):
    assert misspelt({"page": "The councils organize a shared servise."}, british) == {"page": ["organize", "servise"]}
    assert misspelt({"page": "Huntingdonshire's colour, programme and licence."}, british) == {}


def test_every_page_is_spelt_in_british_english(british):
    assert misspelt({name: visible(text) for name, text in pages().items()}, british) == {}


def test_the_text_in_the_data_is_spelt_in_british_english(british):
    texts = {}
    for name, columns in DATA_TEXT.items():
        table = pd.read_csv(paths.DATA / name, dtype=str, keep_default_na=False)
        for column in columns:
            texts[f"{name}: {column}"] = visible(" ".join(table[column]).replace("  ", " "))
    raw = yaml.safe_load(paths.PARAMETERS.read_text(encoding="utf-8"))
    for name, parameter in raw["parameters"].items():
        texts[f"parameters.yaml: {name}"] = " ".join(str(parameter.get(k, "")) for k in PARAMETER_TEXT)
    found = misspelt({k: re.sub(r"\b[\w-]+(?:\.[\w-]+)+\b", " ", v) for k, v in texts.items()}, british)
    assert found == {}


def test_the_explorer_settings_and_their_help_are_spelt_in_british_english(british):
    """The what-if explorer's labels, menus, help and result are written by its page module, not typed into a page."""
    from appraisal.chapters import explorer, explorer_page
    from appraisal.inputs.loading import load

    grid = explorer.compute(load(paths.PARAMETERS, data_dir=paths.DATA)).grid
    html = explorer_page.controls(grid).data
    html = re.sub(r'<script type="application/json".*?</script>', " ", html, flags=re.S)
    assert misspelt({"explorer settings": visible(html)}, british) == {}
