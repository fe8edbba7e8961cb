"""Benchmark the build and print a table. Run with `make bench` (the environment must exist).

Measures, in one run and on this machine: a clean build, a no-op rebuild, a rebuild after one data file
changes, a rebuild after one parameter changes, Monte Carlo iterations per second, and the size of the
built site. The same chapters are then built with Jupyter Book's own execution cache
(`execute_notebooks: cache`), the set-up an analyst would otherwise pick, and each of our times is
shown against theirs.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from appraisal import paths  # noqa: E402
from appraisal.chapters.partnership import assumptions, baseline_total  # noqa: E402
from appraisal.inputs.loading import load  # noqa: E402
from appraisal.model import montecarlo  # noqa: E402
from appraisal.pipeline import steps  # noqa: E402

APPRAISAL = str(Path(sys.executable).parent / "appraisal")
JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")
CHANGED_FILE = "lga_shared_services_map.csv"


def timed(cmd: list[str], **kw) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def ran(output: str) -> str:
    names = re.findall(r"run  notebooks/(\w+)\.ipynb", output)
    return ", ".join(names) if names else "none"


def ours(work: Path) -> dict:
    data = work / "data"
    shutil.copytree(paths.DATA, data)
    build_dir = work / "ours"
    base = [APPRAISAL, "build", "--data", str(data), "--build-dir", str(build_dir)]
    results = {}
    results["clean"] = timed(base)
    results["noop"] = timed(base)
    path = data / CHANGED_FILE
    path.write_text(path.read_text().replace("Nearly £200m", "Nearly £200 million"))
    results["data"] = timed(base)
    params = data / "parameters.yaml"  # an analyst's edit of the published file, not a labelled scenario
    params.write_text(params.read_text().replace("low: 0.035\n    central: 0.035\n    high: 0.035",
                                                 "low: 0.03\n    central: 0.03\n    high: 0.03"))
    results["param"] = timed(base)
    return {k: (t, ran(out)) for k, (t, out) in results.items()}, build_dir


def jupyter_book_cache(work: Path, our_build: Path) -> dict:
    """The same chapters executed by Jupyter Book itself, with its notebook cache. The bibliography and the
    chart library are taken from our own build in this run, so a fresh clone needs nothing built before."""
    book = work / "jbcache"
    (book / "chapters").mkdir(parents=True)
    for name in ("_toc.yml",):
        shutil.copyfile(ROOT / name, book / name)
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"] = {"execute_notebooks": "cache", "timeout": 300}
    (book / "_config.yml").write_text(yaml.safe_dump(config))
    shutil.copytree(ROOT / "_static", book / "_static")
    shutil.copytree(ROOT / "_templates", book / "_templates")
    for md in (ROOT / "chapters").glob("*.md"):
        shutil.copyfile(md, book / "chapters" / md.name)
    for chapter in steps.chapters(ROOT):
        shutil.copyfile(ROOT / chapter.notebook, book / "chapters" / f"{chapter.name}.ipynb")
    data = work / "jbdata"
    shutil.copytree(paths.DATA, data)
    # Notebooks run in their own folder, so their relative paths must resolve there.
    (book / "chapters" / "data").symlink_to(data)
    (book / "chapters" / "releases").symlink_to(ROOT / "releases") if (ROOT / "releases").exists() else None
    (book / "chapters" / "_build" / "exports" / "downloads").mkdir(parents=True)
    shutil.copyfile(our_build / "book" / "references.bib", book / "references.bib")
    (book / "_static" / "vega-bundle.js").write_bytes((our_build / "book" / "_static" / "vega-bundle.js").read_bytes())
    cmd = [JUPYTER_BOOK, "build", str(book), "--quiet"]
    results = {"clean": timed(cmd), "noop": timed(cmd)}
    path = data / CHANGED_FILE
    path.write_text(path.read_text().replace("Nearly £200m", "Nearly £200 million"))
    results["data"] = timed(cmd)
    params = data / "parameters.yaml"
    params.write_text(params.read_text().replace("low: 0.035\n    central: 0.035\n    high: 0.035",
                                                 "low: 0.03\n    central: 0.03\n    high: 0.03"))
    results["param"] = timed(cmd)
    return {k: t for k, (t, _) in results.items()}


def monte_carlo_rate() -> float:
    loaded = load()
    base = baseline_total(loaded)
    assumed = assumptions(loaded)
    montecarlo.simulate(base, assumed, n=1000)  # warm up
    times = []
    for _ in range(5):
        start = time.perf_counter()
        montecarlo.simulate(base, assumed, n=100_000)
        times.append(time.perf_counter() - start)
    return 100_000 / float(np.median(times)), float(np.median(times))


def site_sizes(site: Path) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html" and "_static" not in p.parts]
    largest = max(pages, key=lambda p: p.stat().st_size)
    front = site / "chapters" / "index.html"
    html = front.read_text(encoding="utf-8")
    assets = set(re.findall(r'(?:src|href)="(\.\./_static/[^"?#]+)', html))
    first_visit = front.stat().st_size + sum((front.parent / a).resolve().stat().st_size for a in assets
                                             if (front.parent / a).resolve().exists())
    return {"total": sum(p.stat().st_size for p in files), "largest": largest, "largest_size": largest.stat().st_size,
            "first_visit": first_visit, "bundle": (site / "_static" / "vega-bundle.js").stat().st_size}


def main() -> None:
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("Benchmarking the build (each case runs once; about three minutes)...", flush=True)
        mine, our_build = ours(work)
        site = our_build / "html"
        theirs = jupyter_book_cache(work, our_build)
        rate, seconds = monte_carlo_rate()
        sizes = site_sizes(site)
        labels = {"clean": "Clean build (site from nothing)", "noop": "No-op rebuild",
                  "data": f"Rebuild after changing data/{CHANGED_FILE}", "param": "Rebuild after changing one parameter"}
        print()
        print(f"| Case | Ours (s) | Jupyter Book cache (s) | Ours ÷ theirs | Notebooks we re-ran |")
        print("|---|---:|---:|---:|---|")
        for key, label in labels.items():
            t, which = mine[key]
            print(f"| {label} | {t:.1f} | {theirs[key]:.1f} | {t / theirs[key]:.2f} | {which} |")
        print()
        print("| Measure | Value |")
        print("|---|---:|")
        print(f"| Monte Carlo, 100,000 iterations (one core) | {seconds:.2f} s ({rate:,.0f} iterations a second) |")
        print(f"| Built site size | {sizes['total'] / 1e6:.1f} MB |")
        print(f"| Largest page | {sizes['largest'].name}, {sizes['largest_size'] / 1e3:.0f} kB |")
        print(f"| First visit to the front page (HTML, scripts, styles) | {sizes['first_visit'] / 1e6:.2f} MB |")
        print(f"| Vega library, one cached file for all pages | {sizes['bundle'] / 1e3:.0f} kB |")
        print()
        print("Jupyter Book's cache keys on each notebook's own content, so it does not re-run a notebook when")
        print("only a data file or the parameters change: its last two times are for a site with stale numbers.")


if __name__ == "__main__":
    main()
