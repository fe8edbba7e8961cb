"""The figures register and 'what changed': hand-made registers and fingerprints."""
import json

import pandas as pd

from appraisal.publication import register, release


def reg(**values) -> pd.DataFrame:
    rows = [{"id": f"savings.{k}", "chapter": "savings", "key": k, "text": v, "value": None, "unit": "",
             "depends_on": deps, "version": "2026.1"} for k, (v, deps) in values.items()]
    return pd.DataFrame(rows, columns=register.REGISTER_COLUMNS)


RATE = "parameters:parameters.discount_rate"  # a chapter's recorded read of one parameter


def fingerprint(**values) -> dict:
    return {"_format": "2", **values}


def test_a_changed_parameter_is_named_as_the_cause_with_old_and_new_values():
    old = reg(npv=("£1.0 million", RATE), base=("£7.8 million", "data/baseline_costs.csv"))
    new = reg(npv=("£2.0 million", RATE), base=("£7.8 million", "data/baseline_costs.csv"))
    before = fingerprint(**{RATE + ".central": "0.035", "data/baseline_costs.csv": "aaa"})
    after = fingerprint(**{RATE + ".central": "0.03", "data/baseline_costs.csv": "aaa"})
    changes = register.diff(old, new, before, after)
    assert changes.to_dict(orient="records") == [{
        "Figure id": "savings.npv", "Old value": "£1.0 million", "New value": "£2.0 million",
        "Caused by": "parameters.discount_rate.central: 0.035 → 0.03"}]


def test_a_fingerprint_of_the_first_format_is_compared_under_todays_names():
    changes = register.diff(reg(npv=("£1.0 million", RATE)), reg(npv=("£2.0 million", RATE)),
                            {"parameter:discount_rate.central": "0.035"}, fingerprint(**{RATE + ".central": "0.03"}))
    assert changes["Caused by"].tolist() == ["parameters.discount_rate.central: 0.035 → 0.03"]


def test_a_changed_data_file_is_named_only_for_the_figures_that_depend_on_it():
    old = reg(a=("1", "data/x.csv"), b=("2", "data/y.csv"))
    new = reg(a=("10", "data/x.csv"), b=("20", "data/y.csv"))
    changes = register.diff(old, new, {"data/x.csv": "1", "data/y.csv": "1"}, {"data/x.csv": "2", "data/y.csv": "1"})
    causes = dict(zip(changes["Figure id"], changes["Caused by"]))
    assert causes == {"savings.a": "data/x.csv changed", "savings.b": "method or model code"}


def test_unchanged_figures_are_not_listed_and_new_ones_are():
    changes = register.diff(reg(a=("1", "")), reg(a=("1", ""), b=("2", "")), {}, {})
    assert changes["Figure id"].tolist() == ["savings.b"]
    assert changes["Old value"].tolist() == ["(new)"]


def test_releases_sort_by_year_then_number(tmp_path):
    for v in ("2026.10", "2026.2", "2025.3"):
        (tmp_path / v).mkdir()
        (tmp_path / v / "figures_register.json").write_text("[]")
    assert register.releases(tmp_path) == ["2025.3", "2026.2", "2026.10"]


def test_recording_a_release_keeps_the_register_and_the_changes_since_the_last(tmp_path):
    exports = tmp_path / "exports"
    (exports / "downloads").mkdir(parents=True)
    releases = tmp_path / "releases"
    for version, text, rate in (("2026.1", "£1.0 million", "0.035"), ("2026.2", "£2.0 million", "0.03")):
        register.write(reg(npv=(text, RATE)), exports / "downloads")
        (exports / "inputs_fingerprint.json").write_text(json.dumps(fingerprint(**{RATE + ".central": rate})))
        release.record(version, exports, releases)
    assert (releases / "2026.2" / "figures_register.json").exists()
    changes = pd.read_csv(releases / "2026.2" / "changes.csv")
    assert changes["Caused by"].tolist() == ["parameters.discount_rate.central: 0.035 → 0.03"]
    assert not (releases / "2026.1" / "changes.csv").exists()


def test_the_zip_is_byte_identical_when_made_twice(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("x\n1\n")
    b.write_text("y\n2\n")
    first = register.deterministic_zip([a, b], tmp_path / "one.zip").read_bytes()
    second = register.deterministic_zip([b, a], tmp_path / "two.zip").read_bytes()
    assert first == second


def test_a_version_must_be_a_year_and_a_number(tmp_path):
    import pytest

    cff = tmp_path / "CITATION.cff"
    cff.write_text('version: "2026.1"\ndate-released: "2026-11-26"\n')
    release.set_version("2026.2", "2026-12-01", cff)
    assert release.read_version(cff) == ("2026.2", "2026-12-01")
    with pytest.raises(ValueError, match="must look like"):
        release.set_version("next", "2026-12-01", cff)
