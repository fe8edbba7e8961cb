"""Builds that cannot mislead, end to end: a scenario site says so on every page and in every download, and
its register names the one parameter changed as the cause of every change; a build killed at any step
leaves the last good site, and the next build recovers from its state."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from appraisal import paths
from appraisal.publication import register
from conftest import copy_of_build
from test_build_end_to_end import (assert_every_page_agrees_with_the_register, assert_no_release_label_in_a_draft, page,
                                   shows, site_digest)

pytestmark = pytest.mark.slow
NOT_PUBLISHED = "not the published figures"


@pytest.fixture(scope="module")
def scenario(built, tmp_path_factory):
    """One scenario build, shared by the tests of this file: a copy of the built state built again with
    `--set discount_rate=0.05`. Returns its layout and a digest of the main site taken before it was built."""
    from appraisal import cli

    main, _ = built
    before = site_digest(main.site_dir)
    layout = copy_of_build(built, tmp_path_factory.mktemp("scenario") / "build")
    assert cli.main(["build", "--build-dir", str(layout.build_dir), "--set", "discount_rate=0.05"]) == 0
    return layout, before


def test_every_page_register_and_download_of_a_scenario_says_it_is_not_the_published_appraisal(built, scenario):
    main_site, _ = built
    layout, before = scenario
    for path in layout.site_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if "<html" in text and "http-equiv=\"Refresh\"" not in text:
            assert NOT_PUBLISHED in text, path.name
            assert "discount rate: 0.05 (published 0.035)" in text, path.name
    reg = register.read(layout.exports / "downloads" / "figures_register.json")
    assert reg["version"].str.contains(NOT_PUBLISHED).all()
    for path in (layout.site_dir / "downloads").glob("tbl-*.csv"):
        assert NOT_PUBLISHED in path.read_text(encoding="utf-8").splitlines()[2], path.name
    assert_no_release_label_in_a_draft(layout.site_dir)  # its figures differ from any release: a draft too
    assert site_digest(main_site.site_dir) == before
    index = json.loads((layout.site_dir / "searchindex.js").read_text(encoding="utf-8")[len("Search.setIndex("):-1])
    assert [word for word, pages in index["terms"].items() if pages == []] == []  # numbers it no longer shows


def test_a_set_override_changes_the_headline_npv_and_the_register_names_only_that_parameter(built, scenario):
    main, _ = built
    layout, _ = scenario
    old_register = register.read(main.exports / "downloads" / "figures_register.json")
    before = old_register.set_index("id").loc["savings.npv_central_text", "text"]
    assert shows(page(main, "savings"), "savings.npv_central_text", before)
    old_inputs = json.loads((main.exports / "inputs_fingerprint.json").read_text())
    new_register = register.read(layout.exports / "downloads" / "figures_register.json")
    after = new_register.set_index("id").loc["savings.npv_central_text", "text"]
    assert after != before and shows(page(layout, "savings"), "savings.npv_central_text", after)
    new_inputs = json.loads((layout.exports / "inputs_fingerprint.json").read_text())
    changed = register.changed_inputs(old_inputs, new_inputs)
    assert changed and all(c.startswith("parameters:parameters.discount_rate.") for c in changed)
    changes = register.diff(old_register, new_register, old_inputs, new_inputs)
    assert "savings.npv_central_text" in set(changes["Figure id"])
    for cause in changes["Caused by"]:
        assert all(part.startswith("parameters.discount_rate.") for part in cause.split("; ")), cause
    assert_every_page_agrees_with_the_register(layout)


def run_until(args: list[str], marker: str, delay: float = 0.0) -> bool:
    """Start a build, kill it (with its notebook kernels) once `marker` is printed; False if it finished first."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "appraisal.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True, cwd=paths.ROOT)
    for line in proc.stdout:
        if marker in line:
            time.sleep(delay)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
    proc.wait()
    return False


def test_a_build_killed_at_each_step_leaves_the_last_good_site_and_the_next_build_recovers(own_copy, data_copy):
    layout = own_copy
    before = site_digest(layout.site_dir)
    costs = data_copy / "baseline_costs.csv"
    costs.write_text(costs.read_text().replace("ICT,6100000", "ICT,7100000"))
    args = ["build", "--build-dir", str(layout.build_dir), "--data", str(data_copy)]
    for marker, delay in (("done notebooks/", 0.0), ("3/4 Assembling", 0.0), ("4/4 Building", 1.0),
                          ("committee briefing", 0.0)):
        killed = run_until(args, marker, delay)
        if killed:
            assert site_digest(layout.site_dir) == before, f"the site changed after a kill at {marker!r}"
    done = subprocess.run([sys.executable, "-m", "appraisal.cli", *args], capture_output=True, text=True, cwd=paths.ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "£7.1 million" in page(layout, "context")
    assert_every_page_agrees_with_the_register(layout)
    assert not (layout.site_dir.parent / "html.old").exists() and not (layout.site_dir.parent / "html.next").exists()
