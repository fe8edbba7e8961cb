"""Words a reader can quote: numbers in plain English, every branch of every sentence template reads
correctly, and the chances a simulation gives are never shown as certain."""
import pytest

from appraisal.publication import formats

MINUS = "\u2212"


def test_amounts_carry_no_trailing_zero():
    assert formats.money(75_000_000) == "£75 million"
    assert formats.money(180_000_000) == "£180 million"
    assert formats.money(2_622_624) == "£2.6 million"
    assert formats.money(2_000_000_000) == "£2 billion"
    assert formats.money(1_340_000_000) == "£1.34 billion"
    assert formats.fact_text(75.0, "GBP million") == "£75 million"


def test_an_amount_that_rounds_up_to_the_next_unit_is_written_in_that_unit():
    assert formats.money(999_600) == "£1 million"
    assert formats.money(999_960_000) == "£1 billion"
    assert formats.money(116_321) == "£116,000"
    assert formats.money(950) == "£950"


def test_per_cent_has_no_trailing_zero_and_a_real_minus_sign():
    assert formats.percent(0.035, 1) == "3.5%"
    assert formats.percent(0.03, 1) == "3%"
    assert formats.percent(-0.08) == MINUS + "8%"
    assert formats.percent(-0.001) == "0%"


def test_a_simulated_chance_is_never_certain_or_impossible():
    assert formats.chance(1.0) == "more than 99%"
    assert formats.chance(0.995) == "more than 99%"
    assert formats.chance(0.99) == "99%"
    assert formats.chance(0.536) == "54%"
    assert formats.chance(0.01) == "1%"
    assert formats.chance(0.004) == "less than 1%"
    assert formats.chance(0.0) == "less than 1%"


def test_a_ratio_is_also_money_back_for_every_pound():
    assert formats.per_pound(0.58) == "58p back for every £1"
    assert formats.per_pound(1.04) == "£1.04 back for every £1"
    assert formats.per_pound(0.999) == "£1.00 back for every £1"
    assert formats.per_pound(-0.2) == "nothing back for every £1"
    assert formats.per_pound(float("nan")) == "no one-off cost to set the savings against"


def test_an_uplift_says_what_it_does_to_the_planned_figure():
    assert formats.uplift(0) == "no uplift"
    assert formats.uplift(2.0) == "an uplift of 200%, which triples the planned figure"
    assert formats.uplift(1.0) == "an uplift of 100%, which doubles the planned figure"
    assert formats.uplift(0.54) == "an uplift of 54%"
    assert formats.uplift(0.0397) == "an uplift of 4%"


def test_an_input_is_written_in_its_unit():
    assert formats.input_value(0.28, "share of the planned saving") == "28%"
    assert formats.input_value(0.035, "share per year (real)") == "3.5%"
    assert formats.input_value(2.0, "uplift on one-off costs") == "an uplift of 200%, which triples the planned figure"
    assert formats.input_value(1.55, "years") == "19 months"
    assert formats.input_value(1 / 12, "years") == "1 month"
    assert formats.input_value(4.42, "years") == "4.4 years"
    assert formats.input_value(5, "years") == "5 years"
    assert formats.input_value(0, "years") == "none"


def test_savings_and_costs_keep_their_colours_whatever_order_the_data_holds_them_in():
    from appraisal.publication import palette

    scale = palette.saving_and_cost("Present value of savings", "Present value of one-off costs").to_dict()
    assert dict(zip(scale["domain"], scale["range"])) == {"Present value of savings": palette.SAVING,
                                                          "Present value of one-off costs": palette.COST}
    assert palette.SAVING != palette.COST
    assert palette.SAVING not in palette.SERIES and palette.COST not in palette.SERIES


def test_categories_take_the_series_colours_in_order_and_too_many_are_refused():
    import pytest

    from appraisal.publication import palette

    scale = palette.series(["Cambridge", "Huntingdonshire", "Cambridge"]).to_dict()
    assert scale["domain"] == ["Cambridge", "Huntingdonshire"]
    assert scale["range"] == list(palette.SERIES[:2])
    with pytest.raises(ValueError, match="series colours"):
        palette.series([f"council {n}" for n in range(len(palette.SERIES) + 1)])


def test_every_chart_takes_its_colours_from_the_palette():
    """No colour is typed into a notebook: a colour means the same on every chart only if one module sets it."""
    import json
    import re

    from appraisal import paths

    typed = {}
    for nb in paths.NOTEBOOKS.glob("*.ipynb"):
        code = "\n".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code")
        found = re.findall(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?\b|color=\"", code)
        if found:
            typed[nb.name] = found
    assert typed == {}


# Every sentence template, rendered in each of its branches: each must read as a sentence (or a clause)
# with no doubled stop or space, no empty slot and no number left unformatted.
def reads_cleanly(text: str) -> bool:
    import re

    return not re.search(r"\.\.|  |\bNone\b|\bnan\b|\{|\}|\d\.\d{3}|\.0\b(?!\d)|: ,|, ,", text)


def test_the_three_middle_figures_are_explained_in_each_branch():
    from appraisal.chapters.risk import middle_figures

    lower = middle_figures(116_000, -649_000, -4_500_000, 29_000_000, 0.55)
    assert lower.startswith("The central estimate, a net saving of £116,000, puts every input at its middle value.")
    assert "The middle run of the simulation, a net cost of £649,000, is the outcome half the runs fall below" in lower
    assert "55% of the runs come out at or below the central estimate." in lower
    assert lower.endswith("is lower than the middle run because the worst runs lose more than the best runs save.")
    higher = middle_figures(-1e6, 2e6, 5e6, 20e6, 0.2)
    assert higher.endswith("is higher than the middle run because the best runs save more than the worst runs lose.")
    close = middle_figures(1e6, 2e6, 2.5e6, 20e6, 1.0)
    assert "more than 99% of the runs" in close
    assert "is close to the middle run" in close
    assert all(reads_cleanly(t) and t.count(". ") == 2 for t in (lower, higher, close))


def test_payback_reads_correctly_within_after_and_beyond_the_period():
    from appraisal.chapters.savings import payback_text

    assert payback_text("2018-19", 5e6) == "the discounted savings overtake the one-off costs in 2018-19"
    assert payback_text(None, 1e5).endswith("within the period appraised, only once the years after it are counted")
    assert payback_text(None, -1e5).endswith("never overtake the one-off costs, even counting the years after the period appraised")


def test_a_council_result_is_one_sentence_in_every_case():
    from appraisal.chapters.savings import council_sentence

    full = council_sentence("Cambridge", {"baseline": 32_000, "equal_shares": -5.1e6, "revenue_budget": 1.0e6}, "baseline")
    assert full == ("Cambridge: a net saving of £32,000 under baseline-cost share, and between a net cost of "
                    "£5.1 million (equal shares) and a net saving of £1 million (revenue-budget share) under the "
                    "other formulas")
    one_other = council_sentence("Cambridge", {"baseline": 32_000, "population": -210_000}, "baseline")
    assert one_other.endswith("and a net cost of £210,000 under the other formula")
    no_fair = council_sentence("Cambridge", {"population": -210_000, "equal_shares": 400_000}, "equal_shares")
    assert no_fair == ("Cambridge: a net saving of £400,000 under equal shares, and a net cost of £210,000 under "
                       "the other formula")
    alone = council_sentence("Cambridge", {"population": -210_000}, "population")
    assert alone == "Cambridge: a net cost of £210,000 under population share"
    assert all(reads_cleanly(t) for t in (full, one_other, no_fair, alone))


def test_the_cross_subsidy_says_who_gains_what_from_whom():
    import pandas as pd

    from appraisal.chapters.savings import cross_subsidy_text

    column = "Cross-subsidy (£)"
    councils = pd.DataFrame({"Council": ["Cambridge", "Huntingdonshire", "South Cambridgeshire"] * 2,
                             "formula": ["equal_shares"] * 3 + ["population"] * 3,
                             "Formula": ["Equal shares"] * 3 + ["Population share"] * 3,
                             column: [116_000, -176_000, 60_000, 10_000, -10_000, 0.0]})
    assert cross_subsidy_text(councils, column) == (
        "under equal shares, Huntingdonshire gives £176,000 to its partners (Cambridge £116,000 and South "
        "Cambridgeshire £60,000), against sharing in proportion to former costs")
    gain = councils.assign(**{column: [150_000, -90_000, -60_000, 0.0, 0.0, 0.0]})
    assert cross_subsidy_text(gain, column) == (
        "under equal shares, Cambridge gains £150,000 at its partners' expense (Huntingdonshire £90,000 and South "
        "Cambridgeshire £60,000), against sharing in proportion to former costs")
    assert cross_subsidy_text(councils.assign(**{column: 0.0}), column) == "no formula moves money between the councils"


@pytest.mark.parametrize("switch", ["27%", None])
@pytest.mark.parametrize("settled_by", ["the 2015 business cases", None])
@pytest.mark.parametrize("chance", [0.1, 0.5, 0.9])
def test_the_verdict_reads_correctly_in_every_branch(chance, switch, settled_by):
    from appraisal.chapters.risk import verdict

    text = verdict(chance, "share of the planned saving achieved", "28%", switch, settled_by, (0.35, 0.65))
    assert reads_cleanly(text) and text.endswith(".") and not text.endswith("..")
    assert ("breaks even at 27%" in text) == (switch is not None)
    assert ("What would settle it: the 2015 business cases." in text) == (settled_by is not None)


def test_an_input_without_a_switching_value_says_so():
    from appraisal.chapters.risk import input_text

    assert input_text(None, "years") == "none in the range searched"
    assert input_text(float("nan"), "years") == "none in the range searched"
    assert input_text(0.268, "share of the planned saving") == "27%"


def test_the_register_holds_only_numbers_a_page_states_with_the_pages_that_state_them():
    import pandas as pd

    from appraisal.publication import register

    sources = {"chapters/index.html": ("", "Net {num}`savings.npv`, {num}`risk.p10`."),
               "chapters/savings.html": ("savings", "Again {num}`npv` and {num}`context.year`.")}
    glued = register.glued_pages(sources)
    assert glued == {"savings.npv": ["chapters/index.html", "chapters/savings.html"],
                     "risk.p10": ["chapters/index.html"], "context.year": ["chapters/savings.html"]}
    collected = pd.DataFrame([{"id": i, "chapter": i.split(".")[0], "key": i.split(".")[1], "text": "x", "value": 1,
                               "unit": "", "pages": "", "depends_on": "", "version": "1"}
                              for i in ("savings.npv", "savings.unused", "risk.p10")])
    stated = register.stated_only(collected, glued)
    assert stated["id"].tolist() == ["savings.npv", "risk.p10"]
    assert stated["pages"].tolist() == ["chapters/index.html; chapters/savings.html", "chapters/index.html"]


def test_ids_and_input_names_in_a_generated_table_are_set_as_code():
    from appraisal.pipeline.pages import _as_code

    html = "<table><tr><td>£1 million</td><td>savings.npv_central</td><td>method or model code</td></tr></table>"
    assert _as_code(html, {1, 2}) == ("<table><tr><td>£1 million</td><td><code>savings.npv_central</code></td>"
                                      "<td>method or model code</td></tr></table>")


# Every technical term in the glossary is linked to it where a page first uses it.
GLOSSARY = "glossary.md"


def glossary_entries(text: str) -> list[list[str]]:
    """The glossary's entries, each as its list of terms (the lines above an indented definition)."""
    import re

    block = re.search(r"^```\{glossary\}\n(.*?)^```", text, re.M | re.S).group(1)
    entries, terms = [], []
    for line in block.splitlines():
        if line.strip() and not line.startswith(" "):
            terms.append(line.strip())
        elif line.strip() and terms:
            entries.append(terms)
            terms = []
    return entries


def unlinked_terms(text: str, entries: list[list[str]]) -> list[str]:
    """Terms a page uses before (or without) linking them to the glossary: a {term} link to any of an entry's
    terms explains them all. Longer terms are found first, so 'present value' inside 'net present value'
    counts once."""
    import re

    from prose import TERM, visible

    index = {term.lower(): n for n, terms in enumerate(entries) for term in terms}
    linked = {}
    marked = TERM.sub(lambda m: f" \x00{index.get((m.group(2) or m.group(1)).strip().lower(), -1)}\x00 ", text)
    shown = visible(marked)
    for position, n in ((m.start(), int(m.group(1))) for m in re.finditer(r"\x00(-?\d+)\x00", shown)):
        linked.setdefault(n, position)
    assert -1 not in linked, "a {term} link to a term the glossary does not define"
    first_use = {}
    for term, n in sorted(index.items(), key=lambda item: -len(item[0])):
        pattern = re.compile(r"(?<![\w-])" + re.escape(term.rstrip("s")) + r"s?(?![\w-])", re.I)
        for match in pattern.finditer(shown):
            first_use[n] = min(first_use.get(n, match.start()), match.start())
            shown = shown[:match.start()] + "#" * len(match.group(0)) + shown[match.end():]
    return sorted(entries[n][0] for n, at in first_use.items() if linked.get(n, len(shown)) > at)


def test_a_term_used_before_its_link_or_without_one_is_found():
    entries = [["Net present value", "NPV"], ["Present value"], ["Payback"]]
    page = "The NPV is high. Later the {term}`net present value <NPV>`. Its {term}`payback` comes, then payback."
    assert unlinked_terms(page, entries) == ["Net present value"]
    assert unlinked_terms("A {term}`present value` and a net present value.", entries) == ["Net present value"]
    assert unlinked_terms("The {term}`NPV`, then the present value of the net present value.", entries) == ["Present value"]
    assert unlinked_terms("{num}`npv` and `payback` in code.", entries) == []


def test_every_glossary_term_used_on_a_page_is_linked_where_first_used():
    from prose import pages

    texts = pages()
    entries = glossary_entries(texts[GLOSSARY])
    found = {name: unlinked_terms(text, entries) for name, text in texts.items() if name != GLOSSARY}
    assert {name: terms for name, terms in found.items() if terms} == {}


def test_the_glossary_is_linked_from_the_briefing():
    from prose import pages

    assert "{ref}`ch-glossary`" in pages()["briefing.md"]


def test_the_front_page_lists_every_part_of_the_publication():
    import re

    import yaml

    from appraisal import paths
    from prose import pages

    toc = yaml.safe_load((paths.ROOT / "_toc.yml").read_text())
    files = [entry["file"].split("/")[-1] for part in toc["parts"] for entry in part["chapters"]]
    texts = pages()
    labels = {}
    for name, text in texts.items():
        label = re.search(r"^\((ch-[\w-]+)\)=", text, re.M)
        if label:
            labels[name.rsplit(".", 1)[0]] = label.group(1)
    generated = {"downloads": "ch-downloads", "what_changed": "ch-what-changed",
                 "register": "ch-register"}  # written by the build
    missing = [f for f in files if "{ref}`" + {**labels, **generated}.get(f, f"?{f}") + "`" not in texts["index.md"]]
    assert missing == []


def test_no_prose_assumes_how_many_councils_there_are_or_which_they_are():
    import re

    import pandas as pd

    from appraisal import paths
    from prose import pages, visible

    councils = pd.read_csv(paths.DATA / "councils.csv")
    names = [n for n in list(councils["name"]) + list(councils["short_name"])]
    counted = re.compile(r"\b(?:two|three|four|five|six|both|all three|the three)\s+(?:partner\s+)?(?:councils|partners)\b"
                         r"|\bthe three\b|\ball three\b", re.I)
    found = {}
    for page, text in pages().items():
        shown = visible(text)
        hits = counted.findall(shown) + [n for n in names if re.search(rf"\b{re.escape(n)}\b", shown)]
        if hits:
            found[page] = hits
    assert found == {}


# On the built site: what a reader sees.
SNAKE = r"(?<![\w./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/-]|\.(?:csv|json|yaml|yml|ipynb|md|py|html|zip|svg|png|pdf|cff)\b)"


def page_text(html: str, drop_tables: bool = False) -> str:
    """The visible text of a page's main content, without code, addresses, scripts and (optionally) tables."""
    import bs4

    soup = bs4.BeautifulSoup(html, "html.parser")
    main = soup.find("main") or soup
    for node in main.select("script, style, code, pre, div.cell_input" + (", table" if drop_tables else "")):
        node.decompose()
    for link in main.find_all("a"):
        if link.get_text(strip=True).startswith("http"):
            link.decompose()
    return main.get_text(" ")


def test_an_identifier_is_found_but_a_file_name_or_code_is_not():
    import re

    text = page_text("<main><p>Set delay_months in data/case_studies.csv or <code>planned_saving_share</code>; "
                     "see figures_register.csv.</p><pre>x_y = 1</pre></main>")
    assert re.findall(SNAKE, text) == ["delay_months"]


@pytest.mark.slow
def test_no_page_shows_a_code_identifier_outside_code_and_file_names(built):
    import re

    layout, _ = built
    found = {}
    for page in sorted((layout.site_dir / "chapters").glob("*.html")):
        names = sorted(set(re.findall(SNAKE, page_text(page.read_text(encoding="utf-8")))))
        if names:
            found[page.name] = names
    assert found == {}


@pytest.mark.slow
def test_no_sentence_shows_a_chance_as_certain_or_an_amount_with_a_trailing_zero(built):
    import re

    layout, _ = built
    found = {}
    for page in sorted((layout.site_dir / "chapters").glob("*.html")):
        text = page_text(page.read_text(encoding="utf-8"), drop_tables=True)
        bad = re.findall(r"(?<![\d.])(?:100\.0|0\.0)%|£\d[\d,]*\.0 (?:million|billion)", text)
        if bad:
            found[page.name] = bad
    assert found == {}


def test_a_glued_sentence_takes_the_typographic_apostrophe_of_the_prose_around_it():
    assert formats.apostrophes("one year's in-scope baseline; the councils' budgets") == \
        "one year\u2019s in-scope baseline; the councils\u2019 budgets"
