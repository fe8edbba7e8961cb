"""The benchmark script's own parts run on a fresh clone (it measures; this only checks that it can)."""
import importlib.util

from appraisal import paths


def load_benchmark():
    spec = importlib.util.spec_from_file_location("build_speed", paths.ROOT / "benchmarks" / "build_speed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_simulation_runs_on_the_chapters_assumptions():
    rate, seconds = load_benchmark().monte_carlo_rate()
    assert rate > 0 and seconds > 0


def test_the_benchmark_needs_no_earlier_build():
    text = (paths.ROOT / "benchmarks" / "build_speed.py").read_text()
    assert 'ROOT / "_build"' not in text
