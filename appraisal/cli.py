"""Command line: `appraisal build` builds the site; `appraisal check` only validates the inputs;
`appraisal release VERSION` cuts a version; `appraisal dist` writes the published files of this commit.

Exit codes: 0 success; 2 a mistake on the command line (one line) or bad data or parameters (one line per
problem); 1 a notebook or the site build failed; 3 another build is running in the same build folder. In
every failure the last good site is left untouched.

--build-dir and --site must be folders of their own: the build refuses the root of the file system, the
home folder, the project's folder, and an existing folder with files in it that git tracks or that the
build did not make (a folder it makes holds a file named .made-by-appraisal). A data file that is a
symbolic link is refused unless --allow-linked-data is given; then where it leads is printed and kept in
the build folder's logs/linked-data.log.

A build with --set or --params is a scenario: it goes to _build/scenarios/<name>/ and every page says it
is not the published appraisal. --into-main-site writes it over the main site instead (still labelled).
"""
import argparse
import os
import sys
from pathlib import Path

from appraisal import paths
from appraisal.inputs.errors import InputError


def _overrides(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise InputError([f"--set {pair}: expected NAME=VALUE, for example --set discount_rate=0.03"])
        name, value = pair.split("=", 1)
        out[name.strip()] = value.strip()
    return out


def _report_input_error(err: InputError) -> int:
    print(f"Stopped: {len(err.problems)} problem(s) in the inputs. Nothing was built; the last site is unchanged.",
          file=sys.stderr)
    for line in err.problems:
        print(f"  {line}", file=sys.stderr)
    return 2


class _Parser(argparse.ArgumentParser):
    """A mistake in the command's words is one line on stderr and exit code 2, without the usage text."""

    def error(self, message):
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of notebooks to run at once; give 1 or more")
    return value


def _refused(err) -> int:
    print(f"Stopped: {err}. Nothing was built; the last site is unchanged.", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except SystemExit as done:  # --help, or a mistake in the command's words (already reported)
        return done.code if isinstance(done.code, int) else 2


def _main(argv: list[str] | None) -> int:
    parser = _Parser(prog="appraisal", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("build", "validate inputs, run changed notebooks, build the site"),
                       ("check", "validate data and parameters only")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--params", type=Path, default=None,
                       help="parameters file (default: parameters.yaml in the data folder); another file is a scenario")
        p.add_argument("--set", dest="overrides", action="append", default=[], metavar="NAME=VALUE",
                       help="override one parameter or setting, e.g. --set discount_rate=0.03")
        p.add_argument("--data", type=Path, default=paths.DATA, help="data folder (default data/)")
        p.add_argument("--allow-linked-data", action="store_true",
                       help="read data files that are symbolic links from where they lead (each is named in the log)")
        if name == "build":
            p.add_argument("--build-dir", type=Path, default=paths.BUILD,
                           help="generated files (default _build/): a new or empty folder, or one a build made")
            p.add_argument("--site", type=Path, default=None,
                           help="where the site goes (default _build/html): a new or empty folder, or one a build made")
            p.add_argument("--jobs", type=_jobs, default=2, help="notebooks run at once (default 2)")
            p.add_argument("--into-main-site", action="store_true",
                           help="write a scenario (--set or --params) over the main site instead of its own folder")
    rel = sub.add_parser("release", help="cut a version: set it in CITATION.cff, build, keep the figures register")
    rel.add_argument("version", help="the new version, e.g. 2026.2")
    rel.add_argument("--check-only", action="store_true",
                     help="only check that the version can be cut (clean work tree, newer version), change nothing")
    rel.add_argument("--confirm-no-changes", action="store_true",
                     help="cut the version even though no figure differs from the last release")
    dist = sub.add_parser("dist", help="build this commit and write its archives and checksums to <build-dir>/dist")
    dist.add_argument("--build-dir", type=Path, default=paths.BUILD, help="generated files (default _build/)")
    args = parser.parse_args(argv)

    try:
        overrides = _overrides(getattr(args, "overrides", []))
    except InputError as err:
        return _report_input_error(err)
    if args.command in ("build", "check"):
        from appraisal.inputs.files import argument_problems

        own_params = args.params is None
        args.params = args.data / "parameters.yaml" if own_params else args.params
        problems = argument_problems(args.data, args.params, params_in_data=own_params,  # before anything reads them
                                     allow_linked_data=args.allow_linked_data)
        if problems:
            return _report_input_error(InputError(problems))
    from appraisal.pipeline.folders import FolderRefused, build_dir_problem

    if args.command == "dist":
        problem = build_dir_problem(args.build_dir, [paths.ROOT], "--build-dir")
        if problem:
            return _refused(problem)
    if args.command == "build":
        from appraisal.publication import release
        from appraisal.pipeline import folders, quick

        build_dir, data_dir = args.build_dir.resolve(), args.data.resolve()
        is_scenario = bool(overrides) or args.params.resolve() != (data_dir / "parameters.yaml").resolve()
        if is_scenario and not args.into_main_site and args.site is None and build_dir == paths.BUILD.resolve():
            from appraisal.pipeline.scenario import SCENARIOS_FOLDER, name_for

            name = name_for(overrides, None if own_params else args.params.stem)
            build_dir = build_dir / SCENARIOS_FOLDER / name
            print(f"Scenario build: writing to {build_dir} (the published site in {paths.SITE} is not touched; "
                  "--into-main-site writes over it).")
        site = (args.site or build_dir / "html").resolve()
        try:  # before the no-op check: a folder that is not the build's is never "up to date"
            folders.check(build_dir, site, [paths.ROOT], "--build-dir", "--site" if args.site else "the site folder")
        except FolderRefused as err:
            return _refused(err)
        digest = quick.inputs_digest(paths.ROOT, data_dir, args.params.resolve(), overrides, release.source_commit())
        if quick.unchanged(build_dir, site, digest):
            print(f"Nothing has changed since the last build: {site} is up to date (no notebook run).")
            return 0
        from appraisal.pipeline import warm_kernel

        kernels = warm_kernel.Server()  # imports what the chapters need while this process imports the rest
        return _build(args, overrides, data_dir, build_dir, site, digest, kernels)  # build() stops it
    return _other(args, overrides)


def _build(args, overrides: dict, data_dir: Path, build_dir: Path, site: Path, digest: str, kernels) -> int:
    from appraisal.pipeline import quick
    from appraisal.pipeline.build import Layout, build

    def run() -> None:
        build(Layout(data_dir=data_dir, build_dir=build_dir, site_dir=site), args.params.resolve(), overrides,
              jobs=args.jobs, allow_linked_data=args.allow_linked_data, kernels=kernels)
        quick.remember(build_dir, site, digest)

    return _reported(run)


def _other(args, overrides: dict) -> int:
    """release, dist and check."""
    from appraisal.inputs import loading

    def run() -> int:
        if args.command == "release":
            return _release(args.version, args.check_only, args.confirm_no_changes)
        if args.command == "dist":
            return _dist(args.build_dir.resolve())
        checked = loading.load(args.params, overrides, args.data.resolve())
        from appraisal.inputs.files import linked_files

        for link, real in linked_files(args.data):
            print(f"data/{link.name} is a symbolic link: read from {real}")
        print(f"All {len(checked.tables)} tables and the parameters pass their checks.")
        return 0

    return _reported(run)


def _reported(run) -> int:
    """The exit status of `run()`: 0 when it returns nothing, or a problem reported as the build reports it."""
    from appraisal.pipeline.execute import NotebookFailed
    from appraisal.pipeline.folders import FolderRefused
    from appraisal.pipeline.lock import BuildLocked
    from appraisal.pipeline.site import SiteBuildFailed

    try:
        return run() or 0
    except InputError as err:
        return _report_input_error(err)
    except (NotebookFailed, SiteBuildFailed) as err:
        print(f"Stopped: {err}\nThe last good site is unchanged.", file=sys.stderr)
        return 1
    except BuildLocked as err:
        print(f"Stopped: {err}. Nothing was built; the last site is unchanged.", file=sys.stderr)
        return 3
    except FolderRefused as err:
        return _refused(err)


def _release(version: str, check_only: bool = False, confirm_no_changes: bool = False) -> int:
    """Check, set the version, build, record the release, and build again so 'What changed' shows it.
    If the build fails or nothing changed without confirmation, CITATION.cff is put back as it was."""
    import datetime as dt

    from appraisal.publication import release, release_checks, responsibility
    from appraisal.pipeline.build import Layout, build

    root = paths.ROOT
    problems = release_checks.problems_before_cut(version, root)
    if problems:
        print(f"Stopped: version {version} cannot be cut:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return 2
    if check_only:
        print(f"Version {version} can be cut: the work tree is clean and the version is newer than the last.")
        return 0
    citation, releases, params = root / "CITATION.cff", root / "releases", root / "data" / "parameters.yaml"
    layout = Layout(root=root, data_dir=root / "data", build_dir=root / "_build", site_dir=root / "_build" / "html")
    original = citation.read_text(encoding="utf-8")
    released = dt.date.today().isoformat()
    try:
        release.set_version(version, released, citation)
        build(layout, params)
        previous, changes = release.changes_since_last(version, layout.exports, releases)
        problem = release_checks.no_change_problem(previous, 0 if changes is None else len(changes),
                                                   confirm_no_changes)
        if problem:
            citation.write_text(original, encoding="utf-8")
            print(f"Stopped: {problem}. CITATION.cff is unchanged.", file=sys.stderr)
            return 2
    except BaseException:
        citation.write_text(original, encoding="utf-8")
        raise
    checked, _ = responsibility.read(root / responsibility.NEXT)  # complete: problems_before_cut stops without it
    folder = release.record(version, layout.exports, releases, released=released, responsibility=checked)
    (root / responsibility.NEXT).write_text(responsibility.TEMPLATE, encoding="utf-8")  # blank for the next version
    build(layout, params)
    print(f"Release {version} recorded in {folder.relative_to(root)}. Commit it, tag it and push the tag;\n"
          f"the publishing workflow then builds, archives and publishes it:\n"
          f"  git add CITATION.cff releases && git commit -m 'Release {version}' && git tag v{version}\n"
          f"  git push origin HEAD v{version}")
    return 0


def _dist(build_dir: Path) -> int:
    from appraisal.pipeline import dist
    from appraisal.pipeline.build import Layout
    from appraisal.publication.release_checks import NotAWorkTree

    try:
        folder = dist.make(Layout(build_dir=build_dir, site_dir=build_dir / "html"))
    except (dist.DistRefused, NotAWorkTree) as err:
        print(f"Stopped: {err}", file=sys.stderr)
        return 2
    print(f"Published files written to {folder}:")
    print((folder / "SHA256SUMS").read_text(encoding="utf-8"), end="")
    return 0


def command() -> None:
    """The `appraisal` command: main(), then the process ends at once. Everything a build writes is written and
    closed by then; Python's own clean-up of the objects a build leaves (pandas, Altair, the register) would
    take almost half a second more."""
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    command()
