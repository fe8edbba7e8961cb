"""Assemble the book from sources and executed notebooks, build it, and publish it atomically."""
import functools
import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import yaml

from appraisal.publication import release
from appraisal.publication.bibliography import bibtex_from_sources


class SiteBuildFailed(Exception):
    """Jupyter Book reported an error or a warning; the last good site is left as it was."""


def _copy_if_changed(src: Path, dst: Path) -> None:
    """Copy only when the bytes differ, so Sphinx sees unchanged files as unchanged."""
    if dst.exists() and dst.read_bytes() == src.read_bytes():
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)


def _write_if_changed(text: str, dst: Path) -> None:
    if dst.exists() and dst.read_text(encoding="utf-8") == text:
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(text, encoding="utf-8")


@functools.cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed in one file, served from the site itself (no CDN).

    Wrapped in a function so its top-level names do not clash with Sphinx's scripts; it publishes
    window.vega, window.vegaLite and window.vegaEmbed. Made once a process (about 1.5 s): it depends only
    on the installed vl-convert."""
    import vl_convert

    return "(function(){\n" + vl_convert.javascript_bundle() + "\n})();\n"


WHAT_CHANGED = "what_changed.html"  # from the chapters' pages, in chapters/ beside it
# In the banner, which is one text for every page: _templates/sections/announcement.html puts each page's own
# address of the What changed page in its place.
WHAT_CHANGED_PAGE = "WHAT_CHANGED_PAGE"


def draft_banner(edition) -> str:
    """The notice on every page of a draft: its label, and the page that says how it differs."""
    since = f"since release {edition.last_release}" if edition.last_release else "in this draft"
    return (f"<strong>{html.escape(edition.status)}.</strong> These figures are not those of any release. "
            f'<a href="{WHAT_CHANGED_PAGE}">What changed {html.escape(since)}</a>.')


def dated(edition, repository: str) -> str:
    """Where a page is cited (the briefing): the edition, its date and the address of its own pages."""
    if edition.draft:
        since = f" since release {edition.last_release}" if edition.last_release else ""
        return (f"{edition.status}. Its figures are not those of any release; see "
                f"[What changed{since}]({WHAT_CHANGED.removesuffix('.html')}.md).")
    released = release.long_date(edition.released) if edition.released else "release date not recorded"
    own = (f" This version's source and site archive: [{repository.split('://')[-1]}/tree/v{edition.version}]"
           f"({repository}/tree/v{edition.version})." if repository else "")
    return f"Version {edition.version}, released {released}.{own}"


def status(edition, source: str) -> str:
    """The how-to-cite page's opening: which version this is, or that it is a draft and what to cite instead."""
    if not edition.draft:
        released = release.long_date(edition.released) if edition.released else "on a date not recorded"
        return (f"This is version **{edition.version}**, released {released}, built {edition.built} from "
                f"source commit {source}.")
    cite = (f"cite release {edition.last_release} (its pages, archive and figures are listed below)"
            if edition.last_release else "wait for the first release")
    return (f"This is a **draft**, built {edition.built} from source commit {source}: its figures "
            f"are not those of any release, so it is not for citation; {cite}. The examples below show the "
            "form of a citation, with the version to fill in.")


def book_config(root: Path, edition) -> str:
    """The book's _config.yml with the edition filled in: a footer on every page (version, build date, the
    source commit linked in the repository, the repository, and the licence of the text and data), and
    substitutions for the Markdown pages: {{ version }}, {{ released }}, {{ built }}, {{ commit }} as plain
    text; {{ source }} (the commit, linked), {{ repository }} (the address, linked), {{ issues }} (the
    repository's issue tracker, the publication's contact route, linked), {{ licence }} (the licence of the
    text and data, linked), {{ releases }} (the table of releases) and {{ responsibility }} (who is responsible
    for this version and what assurance it had, as recorded when it was released) as Markdown."""
    from appraisal.publication import licence, responsibility

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    repository = str((config.get("repository") or {}).get("url") or "").rstrip("/")
    commit_url = f"{repository}/tree/{edition.commit_id}" if repository and edition.commit_id else ""
    esc = html.escape
    commit_html = f'<a href="{esc(commit_url)}">{esc(edition.commit)}</a>' if commit_url else esc(edition.commit)
    footer = f"{esc(edition.label)} · built {esc(edition.built)} from source commit {commit_html}"
    if repository:
        footer += f' · <a href="{esc(repository)}">source repository</a>'
    footer += f" · {licence.footer_html()}"
    config.setdefault("html", {})["extra_footer"] = f"<p>{footer}</p>"
    if edition.scenario:
        from appraisal.pipeline.scenario import banner

        config["html"]["announcement"] = banner(list(edition.scenario))
    elif edition.draft:
        config["html"]["announcement"] = draft_banner(edition)
    source = f"[{edition.commit}]({commit_url})" if commit_url else edition.commit
    config.setdefault("parse", {})["myst_substitutions"] = {
        "version": edition.label, "commit": edition.commit, "built": edition.built, "released": edition.released,
        "edition": edition.label, "edition_dated": dated(edition, repository), "edition_status": status(edition, source),
        "cite_version": "[version]" if edition.draft else edition.version,
        "quote_version": ("the version of the release you cite: this draft is not for citation" if edition.draft
                          else f"version {edition.version}"),
        "source": source,
        "repository": f"[{repository.split('://')[-1]}]({repository})" if repository else "(no address is set)",
        "issues": (f"[{repository.split('://')[-1]}/issues]({repository}/issues)" if repository
                   else "(no address is set)"),
        "licence": f"[{licence.NAME}]({licence.URL})",
        "responsibility": responsibility.markdown(root / "releases", edition.version, edition.draft),
        "releases": release.releases_table(release.published(root / "releases"), repository, edition.commit_id)}
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def stage(root: Path, stage_dir: Path, executed: dict[str, Path], sources: pd.DataFrame,
          downloads_dir: Path, edition, generated: dict[str, str], fill=None) -> str:
    """Lay out the book in `stage_dir`; return a hash of everything Sphinx will read.
    `generated` holds pages written by the pipeline itself (path in the book -> Markdown); `fill(rel, text)`
    fills the numbers of each Markdown page and chapter notebook from the figures register."""
    wanted = {"_toc.yml": root / "_toc.yml"}
    _write_if_changed(book_config(root, edition), stage_dir / "_config.yml")
    for rel, text in generated.items():
        _write_if_changed(text, stage_dir / rel)
    for md in sorted((root / "chapters").glob("*.md")):
        wanted[f"chapters/{md.name}"] = md
    for folder in ("_static", "_templates"):
        for asset in sorted((root / folder).rglob("*")):
            if asset.is_file():
                wanted[asset.relative_to(root).as_posix()] = asset
    for name, path in executed.items():
        wanted[f"chapters/{name}.ipynb"] = path
    for rel, src in wanted.items():
        if fill is not None and rel.startswith("chapters/") and rel.endswith((".md", ".ipynb")):
            _write_if_changed(fill(rel, src.read_text(encoding="utf-8")), stage_dir / rel)
        else:
            _copy_if_changed(src, stage_dir / rel)
    _write_if_changed(bibtex_from_sources(sources), stage_dir / "references.bib")
    bundle = stage_dir / "_static" / "vega-bundle.js"
    if not bundle.exists():
        bundle.parent.mkdir(parents=True, exist_ok=True)
        bundle.write_text(vega_bundle(), encoding="utf-8")
    (stage_dir / "extra" / "downloads").mkdir(parents=True, exist_ok=True)
    for path in sorted(downloads_dir.glob("*")) if downloads_dir.exists() else []:
        wanted[f"extra/downloads/{path.name}"] = path
        _copy_if_changed(path, stage_dir / "extra" / "downloads" / path.name)
    keep = set(wanted) | set(generated) | {"_config.yml", "references.bib", "_static/vega-bundle.js"}
    for path in sorted(stage_dir.rglob("*")):
        if path.is_file() and path.relative_to(stage_dir).as_posix() not in keep:
            path.unlink()
    digest = hashlib.sha256((Path(__file__).parent / "sphinx_offline.py").read_bytes())  # it shapes every page
    for path in sorted(p for p in stage_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(stage_dir).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build_html(stage_dir: Path, sphinx_dir: Path, runner=None) -> Path:
    """Run Jupyter Book, with warnings and broken references as errors, in `runner` (a warm_sphinx.Runner that
    has already loaded it) when given. Returns the HTML folder.

    Sphinx re-reads only the pages whose staged files changed: no page reads another page's values (each
    number is filled in from the register when the book is staged), so a page whose numbers changed has
    changed itself."""
    jb = Path(sys.executable).parent / "jupyter-book"
    # Sphinx adds a checksum to the address of a style sheet only when the file is already in the output
    # (MyST-NB writes its own after the pages): without the last build's copy of it, a rebuild writes the
    # same pages as a clean build. The folder itself stays, for MyST-NB to write into even when no page
    # is out of date.
    static = sphinx_dir / "_build" / "html" / "_static"
    for old in static.glob("mystnb.*.css"):
        old.unlink()
    static.mkdir(parents=True, exist_ok=True)
    args = ["build", str(stage_dir), "--path-output", str(sphinx_dir), "--warningiserror", "--nitpick", "--keep-going",
            "--quiet"]
    done = runner.run(args) if runner is not None else subprocess.run([str(jb), *args], capture_output=True, text=True)
    if done.returncode != 0:
        out = (done.stdout + done.stderr).strip().splitlines()
        lines = [line for line in out if "WARNING" in line or "ERROR" in line or "rror" in line] or out[-20:]
        raise SiteBuildFailed("Jupyter Book failed:\n" + "\n".join("    " + line for line in lines[-30:]))
    return sphinx_dir / "_build" / "html"


SEARCH_INDEX = ("Search.setIndex(", ")")  # how Sphinx 7 writes searchindex.js around its JSON (sort_keys=True)


def prune_search_index(html: Path) -> None:
    """Sphinx's incremental build keeps, in searchindex.js, every word that a page read again no longer has,
    with no page (an empty list): drop them, so that a rebuild's index is the index a clean build writes."""
    path = html / "searchindex.js"
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    prefix, suffix = SEARCH_INDEX
    if not (text.startswith(prefix) and text.endswith(suffix)):
        raise SiteBuildFailed(f"{path}: not the search index Sphinx writes (Search.setIndex(...))")
    index = json.loads(text[len(prefix):-len(suffix)])
    for key in ("terms", "titleterms"):
        index[key] = {word: pages for word, pages in index.get(key, {}).items() if pages != []}
    pruned = prefix + json.dumps(index, sort_keys=True) + suffix
    if pruned != text:
        path.write_text(pruned, encoding="utf-8")


def prune_downloads(html: Path, stage_dir: Path, keep: set[str]) -> None:
    """Sphinx copies the staged downloads over its last output and never removes one: a download no longer
    staged (say, a zip named after an earlier edition) is removed here, except those in `keep` (made after
    the pages, such as the briefing PDF)."""
    staged = {p.name for p in (stage_dir / "extra" / "downloads").glob("*")}
    for path in (html / "downloads").glob("*"):
        if path.is_file() and path.name not in staged and path.name not in keep:
            path.unlink()


def recover(site: Path) -> None:
    """After a build killed while publishing: if the site was moved aside and not replaced, put it back."""
    old = site.with_name(site.name + ".old")
    if not site.exists() and old.exists():
        old.rename(site)


def publish(html: Path, site: Path) -> None:
    """Replace the published site only now that the new one is complete. The build has checked that the site
    and the two folders beside it used here are its own (appraisal.pipeline.folders); the new site carries
    the project's marker from the start, so that the next build may replace it."""
    from appraisal.pipeline import folders

    nxt = site.with_name(site.name + ".next")
    old = site.with_name(site.name + ".old")
    shutil.rmtree(nxt, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    folders.claim(nxt, "the new site")
    shutil.copytree(html, nxt, dirs_exist_ok=True)
    for path in [nxt, *nxt.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    if site.exists():
        site.rename(old)
    nxt.rename(site)
    shutil.rmtree(old, ignore_errors=True)
