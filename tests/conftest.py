"""Shared fixtures: small hand-made parameter sets and data folders."""
import shutil
from pathlib import Path

import pytest
import yaml

from appraisal import paths


def quiet(*_args):
    pass


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One clean build of the real book into a temporary folder, shared by the tests that read it."""
    from appraisal.pipeline.build import Layout, build

    folder = tmp_path_factory.mktemp("build")
    layout = Layout(build_dir=folder, site_dir=folder / "html")
    report = build(layout, log=quiet)
    return layout, report


@pytest.fixture
def own_copy(built, tmp_path):
    """A copy of the built state for a test that changes inputs, so tests do not depend on their order."""
    from appraisal.pipeline.build import Layout

    layout, _ = built
    shutil.copytree(layout.build_dir, tmp_path / "build", symlinks=True)
    return Layout(build_dir=tmp_path / "build", site_dir=tmp_path / "build" / "html")


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
