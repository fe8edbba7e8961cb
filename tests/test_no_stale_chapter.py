"""No chapter can show an old value: for every data file and every parameter, a change that alters what a
chapter computes also changes an input that chapter's record names, so the build re-runs it.

Each case computes every chapter twice in this process (before and after one hand-made change) and
compares what each shows with which chapters the change detector would re-run. No site is built."""
import importlib
import shutil

import pytest
import yaml

from appraisal import paths
from appraisal.inputs.loading import load
from appraisal.inputs.recorder import RecordingInputs, current_hash
from appraisal.pipeline import state, steps

FEW_DRAWS = 2000
CHAPTERS = [c.name for c in steps.chapters(paths.ROOT)]

# One hand-made change per data file: (text in the file, replacement). Each must change something shown.
DATA_CHANGES = {
    "baseline_costs.csv": ("ICT,6100000", "ICT,7100000"),
    "case_studies.csv": ("3C Shared Services,", "3C Shared Services (Cambridgeshire),"),
    "case_study_outcomes.csv": ("three_c,savings,15,8.5", "three_c,savings,15,9.5"),
    "conflicting_figures.csv": ("Southwest One promised savings over 10 years,180,", "Southwest One promised savings over 10 years,170,"),
    "council_finance.csv": ("E07000008,2014-15,central_services,", "E07000008,2014-15,central_services,1"),
    "councils.csv": ("123867", "133867"),
    "key_facts.csv": ("ccc_core_funding_cut_pct,40,", "ccc_core_funding_cut_pct,45,"),
    "lga_shared_services_map.csv": ("2014,2014-05-01,357,", "2014,2014-05-01,367,"),
    "one_off_costs.csv": ("ICT,saving,6000000,10,", "ICT,saving,5000000,10,"),
    "risk_register.csv": (",0.3,", ",0.35,"),
    "sources.csv": ("Hunts Post (Archant)", "Hunts Post"),
    "timeline.csv": ("2015-10-01,1 October 2015,go_live,", "2015-10-01,2 October 2015,go_live,"),
    "typical_savings.csv": ("Orbis business plan for 2018/19,17,17,", "Orbis business plan for 2018/19,18,18,"),
}


def parameter_changes() -> dict[str, dict]:
    """One change for every field of every parameter that the model or a page uses, and every setting."""
    raw = yaml.safe_load(paths.PARAMETERS.read_text())
    out = {}
    for name, p in raw["parameters"].items():
        out[f"{name}.label"] = {f"{name}.label": p["label"] + " (edited)"}
        if p["basis"] == "reference class":  # values computed from the case data: changed through DATA_CHANGES
            out[name] = {name: 0.5}  # replaced by a judgement for a scenario
            continue
        span = p["high"] - p["low"]
        if span == 0:  # a fixed input: all three levels move together
            out[f"{name}.central"] = {name: p["central"] * 1.2 + 0.01}
        else:
            out[f"{name}.central"] = {f"{name}.central": p["central"] + span / 4 if p["high"] > p["central"]
                                      else p["central"] - span / 4}
        out[f"{name}.low"] = {f"{name}.low": p["low"] * 0.5 if p["low"] else -0.0}
        out[f"{name}.high"] = {f"{name}.high": p["high"] * 1.5 + 0.01}
    out["appraisal_years"] = {"appraisal_years": raw["appraisal_years"] + 2}
    out["first_year"] = {"first_year": raw["first_year"] + 1}
    out["price_base_year"] = {"price_base_year": "2015-16"}
    out["baseline_apportionment"] = {"baseline_apportionment": "net_revenue_expenditure"}
    out["baseline_apportionment_year"] = {"baseline_apportionment_year": "2013-14"}
    kept = [f for f in raw["cost_sharing_formulas"] if f != raw["default_cost_sharing_formula"]][:1]
    out["cost_sharing_formulas"] = {"cost_sharing_formulas": [raw["default_cost_sharing_formula"], *kept]}
    out["default_cost_sharing_formula"] = {"default_cost_sharing_formula": kept[0]}
    out["settled_by"] = {f"{name}.settled_by": "another document" for name, p in raw["parameters"].items()
                         if p.get("settled_by")}
    out["partnership"] = {"partnership": raw["partnership"][:2]}
    out["services_in_scope"] = {"services_in_scope": raw["services_in_scope"][:1]}
    out["realisation_bounds.lowest"] = {"realisation_bounds.lowest": 0.5}
    out["realisation_bounds.highest"] = {"realisation_bounds.highest": 1.2}
    out["scenario_search.grid_points"] = {"scenario_search.grid_points": [3, 2]}
    out["scenario_search.most_combinations"] = {"scenario_search.most_combinations": 1000}
    out["evpi_groups"] = {"evpi_groups": 5}
    out["verdict_bounds"] = {"verdict_bounds.lower": 0.1, "verdict_bounds.upper": 0.2}
    out["impact_thresholds"] = {"impact_thresholds.high": 100_000_000, "impact_thresholds.medium": 50_000_000}
    out["monte_carlo.seed"] = {"monte_carlo.seed": raw["monte_carlo"]["seed"] + 1}
    out["monte_carlo.iterations"] = {"monte_carlo.iterations": FEW_DRAWS // 2}
    return out


def shown(content) -> dict:
    """Everything a chapter shows, as comparable text."""
    out = {f"headline {k}": h.text for k, h in content.headlines.items()}
    for group in ("tables", "figures", "snippets"):
        for key, item in getattr(content, group).items():
            frame = item.shown if hasattr(item, "shown") else item.data
            out[f"{group} {key}"] = frame.to_csv(index=False) + repr({k: v for k, v in vars(item).items()
                                                                      if isinstance(v, (str, tuple))})
    return out


def run_all(data_dir, overrides=None) -> dict:
    """Each chapter's content and record from one set of inputs (with few Monte Carlo draws, for speed)."""
    checked = load(data_dir / "parameters.yaml", {"monte_carlo.iterations": FEW_DRAWS, **(overrides or {})}, data_dir)
    out = {}
    for name in CHAPTERS:
        recording = RecordingInputs(checked, data_dir)
        content = importlib.import_module(f"appraisal.chapters.{name}").compute(recording)
        out[name] = (shown(content), recording.reads)
    return out, checked


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(paths.DATA, data_dir)
    results, _ = run_all(data_dir)
    return data_dir, results


def compare(base_results, data_dir, overrides=None) -> tuple[set, set]:
    """(chapters whose content changed, chapters the change detector would re-run)."""
    after, checked = run_all(data_dir, overrides)
    dumped = checked.params.model_dump(mode="json")
    affected, rerun = set(), set()
    for name, (content, reads) in base_results.items():
        if after[name][0] != content:
            affected.add(name)
        if state.changes(reads, {k: current_hash(k, data_dir, dumped) for k in reads}):
            rerun.add(name)
    return affected, rerun


@pytest.mark.slow  # every chapter computed twice for each case: about half a second a case
@pytest.mark.parametrize("filename", sorted(DATA_CHANGES))
def test_a_changed_data_file_reruns_every_chapter_it_changes(base, filename, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(base[0], data_dir)
    old, new = DATA_CHANGES[filename]
    text = (data_dir / filename).read_text()
    assert old in text, f"the hand-made change no longer matches data/{filename}"
    (data_dir / filename).write_text(text.replace(old, new, 1))
    affected, rerun = compare(base[1], data_dir)
    assert affected, f"the change to data/{filename} changes nothing shown: choose another"
    assert affected <= rerun, f"stale chapters after editing data/{filename}: {sorted(affected - rerun)}"


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(parameter_changes()))
def test_a_changed_parameter_reruns_every_chapter_it_changes(base, case):
    affected, rerun = compare(base[1], base[0], parameter_changes()[case])
    assert affected <= rerun, f"stale chapters after changing {case}: {sorted(affected - rerun)}"


def test_every_data_file_has_a_hand_made_change():
    assert set(DATA_CHANGES) == {p.name for p in paths.DATA.glob("*.csv")}
