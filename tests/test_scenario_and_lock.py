"""Scenario builds are labelled and kept apart from the published site; one build at a time per folder."""
import pytest

from appraisal import cli, paths
from appraisal.inputs.loading import load
from appraisal.pipeline import lock, scenario


def test_a_scenario_names_each_value_that_differs_from_the_published_file():
    published = load().params
    changed = load(overrides={"discount_rate": "0.05", "planned_saving_share.central": "0.12"}).params
    assert scenario.differences(published, changed) == [
        "discount rate: 0.05 (published 0.035)",
        "planned saving as a share of the baseline, central: 0.12 (published 0.15)"]


def test_the_published_parameters_are_not_a_scenario():
    assert scenario.differences(load().params, load().params) == ["no value differs from the published parameters file"]


def test_the_banner_says_these_are_not_the_published_figures():
    text = scenario.banner(["discount rate: 0.05 (published 0.035)"])
    assert "not the published figures" in text and "discount rate: 0.05 (published 0.035)" in text


@pytest.fixture
def captured(monkeypatch):
    """Run the command line without building: record where the build would go."""
    seen = {}

    def fake_build(layout, params_path, overrides, jobs=2, **_):
        seen.update(build_dir=layout.build_dir, site=layout.site_dir, overrides=overrides)

    import appraisal.pipeline.build as build_module
    monkeypatch.setattr(build_module, "build", fake_build)
    monkeypatch.setattr("appraisal.pipeline.quick.unchanged", lambda *a: False)
    monkeypatch.setattr("appraisal.pipeline.quick.remember", lambda *a: None)
    return seen


def test_a_scenario_goes_to_its_own_folder_by_default(captured):
    assert cli.main(["build", "--set", "discount_rate=0.05"]) == 0
    assert captured["build_dir"] == paths.BUILD.resolve() / "scenarios" / "discount_rate-0.05"
    assert captured["site"] != paths.SITE.resolve()


def test_writing_a_scenario_over_the_main_site_needs_the_flag(captured):
    assert cli.main(["build", "--set", "discount_rate=0.05", "--into-main-site"]) == 0
    assert captured["site"] == paths.SITE.resolve()


def test_a_second_build_on_the_same_folder_stops_with_a_clear_message(tmp_path, capsys):
    with lock.build_lock(tmp_path):
        code = cli.main(["build", "--build-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 3
    assert "another build is running in" in err and "Traceback" not in err


def test_the_lock_is_free_again_after_a_build(tmp_path):
    with lock.build_lock(tmp_path):
        pass
    with lock.build_lock(tmp_path):  # would raise BuildLocked if still held
        pass
