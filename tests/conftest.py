"""Shared fixtures: small hand-made parameter sets and data folders."""
import fcntl
import os
import pickle
import shutil
from pathlib import Path

import pytest
import yaml

from appraisal import paths


def quiet(*_args):
    pass


def shared_once(tmp_path_factory, name: str, make):
    """`make(folder)` run once for the whole test run, its result shared. With one process per core
    (pytest-xdist) the first process to ask makes it, in a folder all of them see; the others wait for it
    and read its result. A failure is made once too: every process that asks raises it."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return make(tmp_path_factory.mktemp(name))
    root = tmp_path_factory.getbasetemp().parent
    folder, result = root / name, root / f"{name}.pickle"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            folder.mkdir()
            try:
                made = ("made", make(folder))
            except Exception as err:
                made = ("failed", f"{type(err).__name__}: {err}")
            result.write_bytes(pickle.dumps(made))
        outcome, value = pickle.loads(result.read_bytes())
    if outcome == "failed":
        pytest.fail(f"the shared {name} could not be made: {value}")
    return value


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One clean build of the real book into a temporary folder, shared by the tests that read it. Other
    processes copy its folder at any time (own_copy): a test that builds again uses a copy, never this folder."""
    from appraisal.pipeline.build import Layout, build

    def make(folder):
        layout = Layout(build_dir=folder, site_dir=folder / "html")
        return layout, build(layout, log=quiet)

    return shared_once(tmp_path_factory, "build", make)


def copy_of_build(built, folder: Path):
    """A copy of the shared build's folder in `folder`, with its site inside it: the layout of the copy."""
    from appraisal.pipeline.build import Layout

    layout, _ = built
    shutil.copytree(layout.build_dir, folder, symlinks=True)
    return Layout(build_dir=folder, site_dir=folder / "html")


@pytest.fixture
def own_copy(built, tmp_path):
    """A copy of the built state for a test that changes inputs, so tests do not depend on their order."""
    return copy_of_build(built, tmp_path / "build")


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of data/ for tests that break or change a file."""
    dst = tmp_path / "data"
    shutil.copytree(paths.DATA, dst)
    return dst


def copy_with_cell(tmp_path: Path, name: str, column: str, value: str, row: int = 2) -> Path:
    """A copy of the real data table `name` with one cell (spreadsheet row `row`) replaced."""
    import csv

    with open(paths.DATA / name, encoding="utf-8-sig", newline="") as f:
        records = list(csv.reader(f))
    records[row - 1][records[0].index(column)] = value
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(records)
    return path


def central_values(**changes) -> dict:
    """A hand-made set of model inputs with no optimism bias and no delay; override by keyword."""
    values = {
        "discount_rate": 0.035, "planned_saving_share": 0.10, "savings_realisation": 1.0,
        "one_off_cost_share": 0.1, "transition_cost_overrun": 0.0, "years_to_full_savings": 1.0,
        "extra_delay_years": 0.0, "optimism_bias_one_off": 0.0, "optimism_bias_duration": 0.0,
        "residual_years": 0.0,
    }
    values.update(changes)
    return values


def write_params(path: Path, edit) -> Path:
    """Copy the real parameters file with `edit(raw_dict)` applied."""
    raw = yaml.safe_load(paths.PARAMETERS.read_text())
    edit(raw)
    path.write_text(yaml.safe_dump(raw))
    return path


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test (Debian's, driven by Playwright)."""
    import shutil

    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Chromium is not installed; `make test` installs it (sudo apt-get install -y chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()



def pytest_collection_modifyitems(items):
    """The files that take longest start first, so that the processes (one per core) finish together: those
    that build a site or drive a browser, then those that generate many examples; otherwise in file order."""
    def rank(item):
        if item.get_closest_marker("slow"):
            return 0
        return 1 if getattr(getattr(item, "obj", None), "is_hypothesis_test", False) else 2

    first = {}
    for item in items:
        first[item.path] = min(first.get(item.path, 2), rank(item))
    items.sort(key=lambda item: first[item.path])
