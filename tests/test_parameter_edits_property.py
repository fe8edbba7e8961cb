"""A property of the checks, tested on generated edits of the parameters file: any edit an analyst might
make (values at and inside the ends of each range, levels in any order, inputs computed from the cases set
by hand, councils, services and formulas listed in any combination, another apportionment year or
appraisal period) either passes `appraisal check` and then every chapter computes with finite numbers, or
`appraisal check` refuses it with one line per problem naming an input. Never another error.

Deterministic (derandomised, a fixed number of examples, no example database) and quick: it builds no
site, and runs the chapters' compute() with a small simulation."""
import contextlib
import copy
import importlib
import io
import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from appraisal import cli, paths
from appraisal.inputs import loading
from appraisal.inputs.parameters import APPORTIONMENT_KEYS, FORMULAS, RANGES
from appraisal.pipeline.steps import chapters
from appraisal.publication.content import NOT_A_NUMBER

REAL = yaml.safe_load(paths.PARAMETERS.read_text(encoding="utf-8"))
CODES = list(pd.read_csv(paths.DATA / "councils.csv", dtype=str)["ons_code"]) + ["E07000099"]  # and one unknown
SERVICES = ["ICT", "Legal", "HR"]  # HR is not in data/baseline_costs.csv
YEARS = ["2012-13", "2013-14", "2014-15", "2017-18", "2019-20"]  # the last has no accounts in the data
CHAPTERS = [importlib.import_module(f"appraisal.chapters.{c.name}") for c in chapters(paths.ROOT)]


def level(name):
    lo, hi = RANGES[name]
    return st.one_of(st.sampled_from([lo, hi, (lo + hi) / 2]), st.floats(lo, hi, allow_nan=False))


@st.composite
def set_levels(draw, raw):
    name = draw(st.sampled_from(sorted(RANGES)))
    entry = raw["parameters"][name]
    if entry.get("basis") == "reference class":  # as --set does: a judgement in place of the case evidence
        entry.pop("evidence", None)
        entry.update(basis="judgement", rationale="Set by hand for this scenario.")
    if draw(st.booleans()):
        entry["low"] = entry["central"] = entry["high"] = draw(level(name))
    else:  # three values, not always in order
        entry["low"], entry["central"], entry["high"] = (draw(level(name)) for _ in range(3))


@st.composite
def edited_parameters(draw):
    raw = copy.deepcopy(REAL)
    raw["monte_carlo"] = {"seed": draw(st.integers(0, 2**32 - 1)), "iterations": draw(st.sampled_from([100, 400]))}
    edits = {
        "levels": lambda: draw(set_levels(raw)),
        "partnership": lambda: raw.update(partnership=draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=4))),
        "services": lambda: raw.update(services_in_scope=draw(st.lists(st.sampled_from(SERVICES), max_size=3))),
        "formulas": lambda: raw.update(cost_sharing_formulas=draw(st.lists(st.sampled_from(FORMULAS), max_size=5))),
        "apportionment": lambda: raw.update(baseline_apportionment=draw(st.sampled_from(APPORTIONMENT_KEYS)),
                                            baseline_apportionment_year=draw(st.sampled_from(YEARS))),
        "period": lambda: raw.update(first_year=draw(st.integers(2000, 2100)), appraisal_years=draw(st.integers(1, 75))),
    }
    for kind in draw(st.lists(st.sampled_from(sorted(edits)), min_size=1, max_size=4)):
        edits[kind]()
    return raw


def assert_finite(where: str, df: pd.DataFrame) -> None:
    numbers = df.select_dtypes("number").to_numpy(dtype=float)
    assert not np.isinf(numbers).any(), f"{where}: infinity"
    for column in df.columns[df.dtypes == object]:
        shown = df[column].dropna().astype(str)
        assert not shown.str.fullmatch(NOT_A_NUMBER.pattern, case=False).any(), f"{where}: {column}"


def assert_publishable(inputs) -> None:
    for chapter in CHAPTERS:
        out = chapter.compute(inputs)  # a chapter cannot state NaN or infinity (ChapterContent.add refuses it)
        for key, h in out.headlines.items():
            if isinstance(h.value, float):
                assert math.isfinite(h.value), key
            assert not NOT_A_NUMBER.search(str(h.text)), (key, h.text)
        for key, table in {**out.tables, **out.snippets}.items():
            for df in (table.shown, table.raw):
                if df is not None:
                    assert_finite(key, df)
        for key, figure in out.figures.items():
            assert_finite(key, figure.data)
            for text in (figure.title, figure.subtitle, figure.alt_text):
                assert not NOT_A_NUMBER.search(text), (key, text)


@settings(max_examples=30, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(edited_parameters())
def test_an_edit_of_the_parameters_file_is_refused_by_the_checks_or_computes(raw):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.yaml"
        path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = cli.main(["check", "--params", str(path)])
        if code == 2:
            lines = [line.strip() for line in err.getvalue().splitlines()[1:]]
            assert lines and all(line.startswith((str(path), "data/")) for line in lines), err.getvalue()
            event("refused by the checks")
            return
        assert code == 0, err.getvalue()
        assert_publishable(loading.load(path))
        event("passed the checks and computed")
