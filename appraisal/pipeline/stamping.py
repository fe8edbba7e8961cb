"""A build's edition, settled once its figures are known, and written into everything it publishes.

Chapter notebooks name the edition by a placeholder (release.PLACEHOLDER). Once the figures register is
collected, the build compares it with the register kept for the version CITATION.cff names: only equal
figures make a release build ('Version 2026.2'); any other build is a draft ('Draft after 2026.1, built
5 December 2026, not for citation'). The chapters' downloads are then published with the label in place
of the placeholder, and each chart's SVG and PNG are drawn with it (drawn again only when what they show
has changed)."""
import dataclasses
import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd

from appraisal.publication import figures, register, release

def same_figures(released: pd.DataFrame, built: pd.DataFrame) -> bool:
    """Whether a build states the same numbers as a release: the same figures, each with the same value
    (or, for a figure stated only in words, the same words). Formatting and labels do not count."""
    if set(released["id"]) != set(built["id"]):
        return False
    old = released.set_index("id")
    new = built.set_index("id")
    return all(register.same_figure(old.at[rid, "value"], new.at[rid, "value"], old.at[rid, "text"],
                                    new.at[rid, "text"]) for rid in new.index)


def settle(edition: release.Edition, reg: pd.DataFrame, releases_dir: Path) -> release.Edition:
    """The edition once the figures are known: the named version if they equal its kept register."""
    kept = Path(releases_dir) / edition.version / "figures_register.json"
    done = register.releases(releases_dir)
    equal = kept.exists() and same_figures(register.read(kept), reg)
    return dataclasses.replace(edition, draft=not equal, last_release=done[-1] if done else "")


def stamp(text: str, label: str) -> str:
    return text.replace(release.PLACEHOLDER, label)


def _key(*parts: bytes) -> str:
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:32]


def _render_cached(record: Path, label: str, cache: Path, out_stem: Path) -> set[str]:
    """The chart's SVG and PNG, from the cache when this record with this label was drawn before. The
    chart's width, which does not depend on the label, is kept too: a new label costs one drawing.
    Returns the names of the cache files used."""
    text = stamp(record.read_text(encoding="utf-8"), label)
    shown = json.loads(text)
    drawer = Path(figures.__file__).read_bytes()  # how a chart is drawn changes the images too
    key = _key(drawer, text.encode("utf-8"))
    width = cache / f"{_key(drawer, json.dumps(shown['spec'], sort_keys=True).encode('utf-8'))}.width"
    images = [cache / f"{key}{suffix}" for suffix in (".svg", ".png")]
    if not all(image.exists() for image in images):
        cache.mkdir(parents=True, exist_ok=True)
        if not width.exists():
            (cache / f".{key}.width").write_text(repr(figures.drawn_width(shown["spec"])))
            (cache / f".{key}.width").replace(width)  # whole or not at all, like the images
        figures.render_image(shown, cache / f".{key}.drawing", float(width.read_text()))
        for image in images:
            (cache / f".{key}.drawing{image.suffix}").replace(image)
    for image in images:
        shutil.copyfile(image, out_stem.with_suffix(image.suffix))
    return {width.name, *(image.name for image in images)}


def publish_downloads(exports: Path, label: str, cache: Path) -> Path:
    """exports/downloads, made afresh: each chapter's downloads with the label in place, and each chart's
    images. Returns the folder. Images no record asks for are removed from the cache."""
    out = exports / "downloads"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    chapter_files = exports / figures.CHAPTER_DOWNLOADS
    token, stamped = release.PLACEHOLDER.encode(), label.encode("utf-8")
    for path in sorted(chapter_files.iterdir()) if chapter_files.exists() else []:
        if path.is_file():
            (out / path.name).write_bytes(path.read_bytes().replace(token, stamped))
    records = exports / figures.CHART_RECORDS
    used = set()
    for record in sorted(records.glob("*.json")) if records.exists() else []:
        used |= _render_cached(record, label, cache, out / record.stem)
    for old in cache.glob("*") if cache.exists() else []:
        if old.is_file() and old.name not in used:
            old.unlink()
    return out
