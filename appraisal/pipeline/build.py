"""One build: check the inputs -> run the chapters whose recorded inputs changed -> book -> site -> PDF."""
import contextlib
import dataclasses
import json
import os
import shutil
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import yaml

from appraisal import paths
from appraisal.inputs import files, tables
from appraisal.inputs.errors import InputError
from appraisal.inputs.loading import load
from appraisal.chapters.notebook import record_path
from appraisal.inputs.recorder import current_hash, file_hash, value_hash
from appraisal.pipeline import (folders, office, pages, pdf, provenance_inputs, scenario, site, stamping, state,
                               steps, warm_kernel, warm_sphinx)
from appraisal.pipeline.lock import build_lock
from appraisal.pipeline.execute import NotebookFailed, run_notebook
from appraisal.publication import provenance, release


class ChapterRecordMissing(NotebookFailed):
    """A chapter notebook ran but wrote no record of what it read (it must end with page.finish())."""


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
    def resolved_params(self) -> Path:
        return self.build_dir / "parameters.resolved.yaml"

    @property
    def checked_tables(self) -> Path:
        """The tables this build checked, for its chapters' kernels to take (see tables.CHECKED_FILE)."""
        return self.build_dir / "checked-tables.pickle"

    @property
    def runs(self) -> Path:
        """Where each chapter's run writes until it is recorded: nothing here is published or trusted."""
        return self.build_dir / "runs"


@dataclass
class Report:
    ran: list[str]
    skipped: list[str]
    site_rebuilt: bool
    edition: release.Edition | None = None  # as settled once the figures were known


OUTPUT = "output:"  # state keys of the files a chapter's recorded run wrote, relative to the build folder
UNRECORDED_OUTPUT = "run by an older build, which did not record what it wrote"


def _notebook_parameters(chapter: steps.Chapter, layout: Layout, version: str, exports: Path | None = None) -> dict:
    return {"params_path": str(layout.resolved_params), "data_dir": str(layout.data_dir),
            "exports_dir": str(layout.exports if exports is None else exports), "version": version,
            "number": chapter.number}


def _execute(chapter: steps.Chapter, layout: Layout, version: str) -> float:
    """Run one chapter notebook (in a worker process) into its own run folder, from nothing, so that a run
    that writes no record fails. Returns the seconds it took."""
    began = time.perf_counter()
    run = layout.runs / chapter.name
    shutil.rmtree(run, ignore_errors=True)
    run_notebook(layout.root / chapter.notebook, run / f"{chapter.name}.ipynb", layout.build_dir / "failed",
                 layout.root, parameters=_notebook_parameters(chapter, layout, version, run / "exports"),
                 log=layout.build_dir / "logs" / f"{chapter.name}.log")
    return time.perf_counter() - began


def _write_resolved_params(params, path: Path) -> None:
    text = yaml.safe_dump(params.model_dump(mode="json"), sort_keys=True)
    if not path.exists() or path.read_text() != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _own_hashes(chapter: steps.Chapter, layout: Layout, version: str) -> dict[str, str]:
    """What a chapter depends on besides its recorded reads: its notebook and how it is called."""
    call = {k: v for k, v in _notebook_parameters(chapter, layout, version).items() if k in ("version", "number")}
    return {"notebook": file_hash(layout.root / chapter.notebook), "call": value_hash(call)}


def chapter_hashes_now(previous: dict | None, chapter: steps.Chapter, layout: Layout, version: str,
                       dumped_params: dict) -> dict[str, str]:
    """The current hash of every input the chapter's last run recorded, by the same names."""
    now = _own_hashes(chapter, layout, version)
    for key in (previous or {}):
        if key.startswith(("data/", "parameters:")):
            now[key] = current_hash(key, layout.data_dir, dumped_params)
        elif key.startswith("code:"):
            now[key] = file_hash(layout.root / key.removeprefix("code:"))
        elif key.startswith(OUTPUT):
            now[key] = file_hash(layout.build_dir / key.removeprefix(OUTPUT))
    return now


def chapter_hashes_recorded(chapter: steps.Chapter, layout: Layout, version: str,
                            exports: Path | None = None) -> dict[str, str]:
    """After a run: the notebook, how it was called, and the record it wrote of what it read and ran."""
    path = record_path(layout.exports if exports is None else exports, chapter.name)
    if not path.exists():
        raise ChapterRecordMissing(f"{chapter.notebook} wrote no record of what it read: end it with page.finish()")
    record = json.loads(path.read_text())
    return {**_own_hashes(chapter, layout, version), **record["reads"],
            **{f"code:{module}": digest for module, digest in record["modules"].items()}}


def _outputs(entry: dict | None) -> list[str]:
    """The files a chapter's recorded run wrote (relative to the build folder)."""
    return [key.removeprefix(OUTPUT) for key in (entry or {}) if key.startswith(OUTPUT)]


def _commit(chapter: steps.Chapter, layout: Layout, version: str, current: dict) -> None:
    """Take a finished run into the build: move its executed notebook and exports into place and record, in
    one write of the state file, what it read and a hash of every file it wrote. A chapter's output is
    trusted only through this record; between the two writes the chapter has none, so a build stopped
    here runs it again. Raises ChapterRecordMissing (the run is then discarded) if it wrote no record."""
    run = layout.runs / chapter.name
    hashes = chapter_hashes_recorded(chapter, layout, version, run / "exports")
    made = {f"executed/{chapter.name}.ipynb": run / f"{chapter.name}.ipynb"}
    for path in sorted((run / "exports").rglob("*")):
        if path.is_file():
            made[f"exports/{path.relative_to(run / 'exports').as_posix()}"] = path
    before = _outputs(state.entry(current, "chapters", chapter.name))
    state.forget(current, "chapters", chapter.name)
    state.save(layout.build_dir, current)
    for rel in before:  # a download this chapter made last time and no longer makes
        if rel not in made and rel.startswith(("executed/", "exports/")) and ".." not in rel.split("/"):
            (layout.build_dir / rel).unlink(missing_ok=True)
    outputs = {}
    for rel, path in made.items():
        target = layout.build_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        outputs[OUTPUT + rel] = file_hash(target)
    state.remember(current, "chapters", chapter.name, {**hashes, **outputs})
    state.save(layout.build_dir, current)
    shutil.rmtree(run, ignore_errors=True)


def _reason(changed: list[str]) -> str:
    if changed == ["never made"]:
        return "never run"
    if changed == [UNRECORDED_OUTPUT]:
        return UNRECORDED_OUTPUT
    if any(key.startswith(OUTPUT) for key in changed):
        return "its output is not the one its last recorded run wrote"
    shown = ", ".join(changed[:4]) + (f" and {len(changed) - 4} more" if len(changed) > 4 else "")
    return f"changed: {shown}"


def run_chapters(layout: Layout, checked, version: str, chapters, jobs: int, log, kernels=None) -> Report:
    """Run every chapter whose notebook, call, recorded inputs or code changed, or whose output on disk is
    not the one its last recorded run wrote, two at a time. Their kernels come from `kernels` (a
    warm_kernel.Server) when given.

    If a chapter fails, no other is started; those already running finish, and each that succeeds is
    recorded with what it read. Every other run is discarded, so that nothing a failed build made is
    trusted by the next one. The first failure is then raised."""
    current = state.load(layout.build_dir)
    dumped = checked.params.model_dump(mode="json")
    report = Report([], [], False)
    shutil.rmtree(layout.runs, ignore_errors=True)  # left by a build that was stopped: never recorded
    todo = []
    for chapter in chapters:
        previous = state.entry(current, "chapters", chapter.name)
        changed = state.changes(previous, chapter_hashes_now(previous, chapter, layout, version, dumped))
        if not changed and not _outputs(previous):
            changed = [UNRECORDED_OUTPUT]
        if changed:
            log(f"    run  {chapter.notebook}: {_reason(changed)}")
            todo.append(chapter)
        else:
            log(f"    skip {chapter.notebook}: inputs unchanged")
            report.skipped.append(chapter.name)

    def finish(chapter, seconds):
        _commit(chapter, layout, version, current)
        report.ran.append(chapter.name)
        log(f"    done {chapter.notebook} ({seconds:.1f} s)")

    def discard(chapter):
        shutil.rmtree(layout.runs / chapter.name, ignore_errors=True)

    # The kernels (forked by `kernels` when given) take the tables this build checked (tables.CHECKED_FILE).
    with warm_kernel.kernel_environment(tables.CHECKED_FILE, str(layout.checked_tables)), \
            (kernels.named() if kernels is not None and todo else contextlib.nullcontext()):
        return _run(layout, version, todo, jobs, report, finish, discard)


def _run(layout, version, todo, jobs, report, finish, discard) -> Report:
    """Run the chapters in `todo`, in this process or `jobs` at a time (see run_chapters)."""
    if jobs <= 1 or len(todo) <= 1:
        for chapter in todo:
            try:
                finish(chapter, _execute(chapter, layout, version))
            except BaseException:
                discard(chapter)
                raise
        return report
    failure = None
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        running = {pool.submit(_execute, c, layout, version): c for c in todo}
        try:
            while running:
                finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for future in finished:
                    chapter = running.pop(future)
                    if future.cancelled():
                        continue
                    try:
                        finish(chapter, future.result())  # re-raises NotebookFailed from the worker
                    except Exception as err:
                        discard(chapter)
                        if failure is None:
                            failure = err
                            for other in running:
                                other.cancel()  # not started: never starts; running: finishes and is recorded
        finally:
            for future in running:
                future.cancel()
    if failure is not None:
        raise failure
    return report


def build(layout: Layout = Layout(), params_path: Path | None = None, overrides: dict | None = None,
          jobs: int = 2, log=print, chapters: tuple[steps.Chapter, ...] | None = None,
          allow_linked_data: bool = False, kernels: warm_kernel.Server | None = None) -> Report:
    """Build the site (the chapters in _toc.yml unless given), one build at a time per build folder.
    The parameters file is the data folder's own unless given (another file is a scenario). A data file
    that is a symbolic link is refused unless `allow_linked_data`; then where it leads is logged.
    The chapters' kernels come from `kernels`, a warm kernel server the caller started early, or from one
    started here once the inputs pass their checks; the pages are built by a Jupyter Book started then too,
    which loads while the chapters run (warm_sphinx). Both are stopped here.
    Raises FolderRefused (before anything is written), InputError, NotebookFailed, SiteBuildFailed or
    BuildLocked; the old site then stays."""
    params_path = layout.data_dir / "parameters.yaml" if params_path is None else params_path
    with contextlib.ExitStack() as helpers:
        if kernels is not None:
            helpers.callback(kernels.stop)
        folders.check(layout.build_dir, layout.site_dir, [paths.ROOT, Path(layout.root).resolve()])
        folders.claim(layout.build_dir)
        with build_lock(layout.build_dir):
            site.recover(layout.site_dir)
            return _build(helpers, kernels, layout, params_path, overrides, jobs, log, chapters, allow_linked_data)


def published_differences(layout: Layout, params_path: Path, overrides: dict | None, checked) -> tuple[str, ...]:
    """For a build with --set or another parameters file: each value that differs from the published file."""
    published_file = layout.data_dir / "parameters.yaml"
    if not overrides and Path(params_path).resolve() == published_file.resolve():
        return ()
    from appraisal.inputs.parameters import load as load_parameters

    return tuple(scenario.differences(load_parameters(published_file), checked.params))


LINKED_DATA_LOG = "linked-data.log"


def _linked_data(layout: Layout, allowed: bool, log) -> None:
    """Refuse data files that are symbolic links, or, when allowed, name where each leads in the output and
    in logs/linked-data.log of the build folder."""
    linked = files.linked_files(layout.data_dir)
    record = layout.build_dir / "logs" / LINKED_DATA_LOG
    if linked and not allowed:
        raise InputError([files.link_problem(link, real) for link, real in linked])
    if not linked:
        record.unlink(missing_ok=True)
        return
    lines = [f"data/{link.name} is a symbolic link: read from {real}" for link, real in linked]
    for line in lines:
        log(f"    {line}")
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text("Data files read through a symbolic link (built with --allow-linked-data):\n"
                      + "".join(f"{line}\n" for line in lines), encoding="utf-8")


def _started(helpers: contextlib.ExitStack, helper):
    """`helper` (a warm kernel server or Jupyter Book runner), to be stopped when the build ends."""
    helpers.callback(helper.stop)
    return helper


def _build(helpers: contextlib.ExitStack, kernels, layout: Layout, params_path: Path, overrides: dict | None,
           jobs: int, log, chapters, allow_linked_data: bool = False) -> Report:
    t0 = time.perf_counter()
    log("1/4 Checking data and parameters")
    _linked_data(layout, allow_linked_data, log)
    tables.take_checked(layout.checked_tables)  # the last build's: a table whose file is unchanged is not checked again
    checked = load(params_path, overrides, layout.data_dir)
    tables.save_checked(layout.checked_tables)
    _write_resolved_params(checked.params, layout.resolved_params)
    layout.exports.mkdir(parents=True, exist_ok=True)
    log(f"    all {len(checked.tables)} tables and the parameters pass ({time.perf_counter() - t0:.1f} s)")
    kernels = kernels or _started(helpers, warm_kernel.Server())
    pages_runner = _started(helpers, warm_sphinx.Runner())  # loads Jupyter Book while the chapters run

    log("2/4 Running chapter notebooks")
    edition = dataclasses.replace(release.current(layout.root),
                                  scenario=published_differences(layout, params_path, overrides, checked))
    if edition.scenario:
        log("    scenario build: " + "; ".join(edition.scenario))
    chapters = steps.chapters(layout.root) if chapters is None else chapters
    report = run_chapters(layout, checked, release.PLACEHOLDER, chapters, jobs, log, kernels)
    kernels.stop()

    log("3/4 Assembling the book")
    t1 = time.perf_counter()
    names = [c.name for c in chapters]
    executed = {name: layout.executed / f"{name}.ipynb" for name in names}
    stage_dir = layout.build_dir / "book"
    reg = pages.collect_register(layout.exports, names)
    edition = stamping.settle(edition, reg, layout.root / "releases")
    log(f"    {edition.label}")
    report.edition = edition
    stamping.publish_downloads(layout.exports, edition.label, layout.build_dir / "chart-images")
    files, bundle = pages.write_register(reg, layout.exports, layout.data_dir, checked.params, edition)
    reg = reg.assign(version=edition.label)
    fingerprint = json.loads((layout.exports / "inputs_fingerprint.json").read_text())
    known = provenance_inputs.inputs(checked, fingerprint)
    entries = provenance.entries(reg, known, pages.page_titles(layout.root))
    recorded = provenance.chapter_inputs(reg, known)
    generated = {"chapters/downloads.md": pages.downloads_page(reg, files, bundle, also=office.downloads_html(edition)),
                 "chapters/what_changed.md": pages.what_changed_page(layout.exports, layout.root / "releases", names,
                                                                 layout.root),
                 "chapters/register.md": pages.register_page(entries, recorded, known.labels, names)}
    digest = site.stage(layout.root, stage_dir, executed, checked.table("sources"), layout.exports / "downloads",
                        edition, generated, pages.Filler(reg, entries, recorded, known.labels, layout.exports,
                                                         edition.label))
    log(f"    staged in {stage_dir} ({time.perf_counter() - t1:.1f} s)")

    log("4/4 Building the site")
    t2 = time.perf_counter()
    current = state.load(layout.build_dir)
    site_name = state.site_name(layout.build_dir, layout.site_dir)
    if not state.changes(state.entry(current, "site", site_name), {"staged": digest}) \
            and (layout.site_dir / "index.html").exists():
        log("    nothing the site shows has changed: site left as it is")
    else:
        html = site.build_html(stage_dir, layout.build_dir / "sphinx", pages_runner)
        site.prune_search_index(html)
        target = html / "downloads" / "committee-briefing.pdf"
        site.prune_downloads(html, stage_dir, keep={target.name})  # the Word and spreadsheet files are made again
        page = {"briefing": file_hash(html / "chapters" / "briefing.html"),
                "printer": file_hash(Path(pdf.__file__))}  # how it is printed changes the PDF too
        if target.exists() and not state.changes(state.entry(current, "pdf", "briefing"), page):
            log("    committee briefing unchanged: PDF kept")
        elif pdf.print_pdf(html / "chapters" / "briefing.html", target):
            state.remember(current, "pdf", "briefing", page)
            log(f"    committee briefing printed to PDF ({target.stat().st_size / 1e3:.0f} kB)")
        else:
            log("    committee briefing PDF skipped: Chromium was not found. Install it with: " + pdf.INSTALL_CHROMIUM)
        office.write(html, layout.exports / "downloads", edition, layout.root, log)  # briefing DOCX, tables ODS
        site.publish(html, layout.site_dir)
        state.remember(current, "site", site_name, {"staged": digest})
        state.save(layout.build_dir, current)
        report.site_rebuilt = True
        log(f"    site written to {layout.site_dir} ({time.perf_counter() - t2:.1f} s)")
    log(f"Built in {time.perf_counter() - t0:.1f} s: {len(report.ran)} notebook(s) run, {len(report.skipped)} skipped")
    return report
