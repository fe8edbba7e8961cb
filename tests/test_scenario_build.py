"""Builds that cannot mislead, end to end: a scenario site says so on every page and in every download; a
build killed at any step leaves the last good site, and the next build recovers from its state."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from appraisal import paths
from appraisal.publication import register
from test_build_end_to_end import (assert_every_page_agrees_with_the_register, assert_no_release_label_in_a_draft, page,
                                   site_digest)

pytestmark = pytest.mark.slow
NOT_PUBLISHED = "not the published figures"


def test_every_page_register_and_download_of_a_scenario_says_it_is_not_the_published_appraisal(built, own_copy):
    from appraisal import cli

    main_site, _ = built
    before = site_digest(main_site.site_dir)
    code = cli.main(["build", "--build-dir", str(own_copy.build_dir), "--set", "discount_rate=0.05"])
    assert code == 0
    for path in own_copy.site_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if "<html" in text and "http-equiv=\"Refresh\"" not in text:
            assert NOT_PUBLISHED in text, path.name
            assert "discount rate: 0.05 (published 0.035)" in text, path.name
    reg = register.read(own_copy.exports / "downloads" / "figures_register.json")
    assert reg["version"].str.contains(NOT_PUBLISHED).all()
    for path in (own_copy.site_dir / "downloads").glob("tbl-*.csv"):
        assert NOT_PUBLISHED in path.read_text(encoding="utf-8").splitlines()[2], path.name
    assert_no_release_label_in_a_draft(own_copy.site_dir)  # its figures differ from any release: a draft too
    assert site_digest(main_site.site_dir) == before


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
