"""One build: validate -> run notebooks that changed (in parallel where independent) -> book -> site."""
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import yaml

from appraisal import inputs, paths, release
from appraisal.pipeline import fingerprint, register_pages, site
from appraisal.pipeline.execute import run_notebook
from appraisal.pipeline.steps import STEPS, Step


@dataclass
class Layout:
    """Where one build reads and writes. Everything written is under `build_dir`, except the site."""
    root: Path = paths.ROOT
    data_dir: Path = paths.DATA
    build_dir: Path = paths.BUILD
    site_dir: Path = paths.SITE

    @property
    def executed(self) -> Path:
        return self.build_dir / "executed"

    @property
    def exports(self) -> Path:
        return self.build_dir / "exports"

    @property
    def state_file(self) -> Path:
        return self.build_dir / "state.json"

    @property
    def resolved_params(self) -> Path:
        return self.build_dir / "parameters.resolved.yaml"


@dataclass
class Report:
    ran: list[str]
    skipped: list[str]
    site_rebuilt: bool


def _execute(step: Step, layout: Layout, version: str) -> str:
    """Run one step (in a worker process). Returns the step name."""
    run_notebook(
        layout.root / step.notebook, layout.executed / f"{step.name}.ipynb",
        layout.build_dir / "failed", layout.root,
        parameters={
            "params_path": str(layout.resolved_params),
            "data_dir": str(layout.data_dir),
            "exports_dir": str(layout.exports),
            "version": version,
        },
    )
    return step.name


def _write_resolved_params(params, path: Path) -> None:
    text = yaml.safe_dump(params.model_dump(mode="json"), sort_keys=True)
    if not path.exists() or path.read_text() != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def build(layout: Layout = Layout(), params_path: Path = paths.PARAMETERS, overrides: dict | None = None,
          steps: tuple[Step, ...] = STEPS, jobs: int = 2, log=print) -> Report:
    """Build the site. Raises InputError, NotebookFailed or SiteBuildFailed; the old site then stays."""
    t0 = time.perf_counter()
    log("1/4 Checking data and parameters")
    checked = inputs.load(params_path, overrides, layout.data_dir)
    _write_resolved_params(checked.params, layout.resolved_params)
    layout.exports.mkdir(parents=True, exist_ok=True)
    log(f"    all {len(checked.tables)} tables and the parameters pass ({time.perf_counter() - t0:.1f} s)")

    log("2/4 Running chapter notebooks")
    edition = release.current(layout.root)
    state = fingerprint.load_state(layout.state_file)
    producer = {name: s.name for s in steps for name in s.exports}
    pending, done, running = list(steps), set(), {}
    report = Report([], [], False)
    started = {}
    pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None

    def finish(step):
        began, current = started[step.name]
        state[step.name] = current
        fingerprint.save_state(layout.state_file, state)
        report.ran.append(step.name)
        done.add(step.name)
        log(f"    done {step.notebook} ({time.perf_counter() - began:.1f} s)")

    try:
        while pending or running:
            for step in list(pending):
                if any(producer[n] not in done for n in step.needs if n in producer):
                    continue  # waits for the step that exports what it reads
                pending.remove(step)
                current = fingerprint.step_inputs(step, layout.root, layout.data_dir, layout.resolved_params,
                                                  layout.exports, layout.root / "appraisal")
                current["version"] = edition.version
                reason = fingerprint.reason_to_run(step, current, state.get(step.name),
                                                   layout.executed / f"{step.name}.ipynb", layout.exports)
                if reason is None:
                    log(f"    skip {step.notebook}: inputs unchanged")
                    report.skipped.append(step.name)
                    done.add(step.name)
                    continue
                log(f"    run  {step.notebook}: {reason}")
                started[step.name] = (time.perf_counter(), current)
                if pool is None:
                    _execute(step, layout, edition.version)
                    finish(step)
                else:
                    running[pool.submit(_execute, step, layout, edition.version)] = step
            if running:
                finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for future in finished:
                    step = running.pop(future)
                    future.result()  # re-raises NotebookFailed from the worker
                    finish(step)
            elif pending and not any(all(producer[n] in done for n in s.needs if n in producer) for s in pending):
                raise RuntimeError("steps wait on each other: " + ", ".join(s.name for s in pending))
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    log("3/4 Assembling the book")
    t1 = time.perf_counter()
    executed = {s.name: layout.executed / f"{s.name}.ipynb" for s in steps}
    stage_dir = layout.build_dir / "book"
    reg, files, bundle = register_pages.write_register(layout.exports, layout.data_dir, checked.params, edition.version)
    generated = {"chapters/downloads.md": register_pages.downloads_page(reg, files, bundle),
                 "chapters/what_changed.md": register_pages.what_changed_page(layout.exports, layout.root / "releases")}
    digest = site.stage(layout.root, stage_dir, executed, checked.table("sources"), layout.exports / "downloads",
                        edition, generated)
    log(f"    staged in {stage_dir} ({time.perf_counter() - t1:.1f} s)")

    log("4/4 Building the site")
    t2 = time.perf_counter()
    if state.get("_site", {}).get(str(layout.site_dir)) == digest and (layout.site_dir / "index.html").exists():
        log("    nothing the site shows has changed: site left as it is")
    else:
        html = site.build_html(stage_dir, layout.build_dir / "sphinx")
        pdf = html / "downloads" / "committee-briefing.pdf"
        briefing = fingerprint.file_hash(html / "chapters" / "briefing.html")
        if pdf.exists() and state.get("_briefing") == briefing:
            log("    committee briefing unchanged: PDF kept")
        elif site.print_pdf(html / "chapters" / "briefing.html", pdf):
            state["_briefing"] = briefing
            log(f"    committee briefing printed to PDF ({pdf.stat().st_size / 1e3:.0f} kB)")
        else:
            log("    committee briefing PDF skipped: Chromium was not found. Install it with: "
                + site.INSTALL_CHROMIUM)
        site.publish(html, layout.site_dir)
        state.setdefault("_site", {})[str(layout.site_dir)] = digest
        fingerprint.save_state(layout.state_file, state)
        report.site_rebuilt = True
        log(f"    site written to {layout.site_dir} ({time.perf_counter() - t2:.1f} s)")
    log(f"Built in {time.perf_counter() - t0:.1f} s: {len(report.ran)} notebook(s) run, {len(report.skipped)} skipped")
    return report
