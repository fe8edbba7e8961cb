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

from appraisal.publication import chart_images, figures, register, release


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


# Drawing a chart takes about half a second; when at least this many are to be drawn, a process of their own
# draws half of them while this one draws the rest (it starts in a fraction of a second: chart_images imports
# no Altair or pandas).
DRAW_APART = 4


@dataclasses.dataclass
class _Drawing:
    """One chart's images in the cache: what they are drawn from, and the cache files they are kept in."""
    text: str  # the record with the label in place
    key: str
    width: Path  # the chart's width, which does not depend on the label: a new label costs one drawing
    images: list[Path]

    @property
    def stem(self) -> Path:
        return self.width.parent / f".{self.key}.drawing"

    def keep(self, width: float) -> None:
        """Put the drawn images, and the width if it was measured, in place: whole or not at all."""
        if not self.width.exists():
            (self.width.parent / f".{self.key}.width").write_text(repr(width))
            (self.width.parent / f".{self.key}.width").replace(self.width)
        for image in self.images:
            Path(f"{self.stem}{image.suffix}").replace(image)


def _drawing(record: Path, label: str, cache: Path) -> _Drawing:
    text = stamp(record.read_text(encoding="utf-8"), label)
    drawer = Path(chart_images.__file__).read_bytes()  # how a chart is drawn changes the images too
    spec = json.dumps(json.loads(text)["spec"], sort_keys=True).encode("utf-8")
    key = _key(drawer, text.encode("utf-8"))
    return _Drawing(text, key, cache / f"{_key(drawer, spec)}.width",
                    [cache / f"{key}{suffix}" for suffix in (".svg", ".png")])


def _known_width(drawing: _Drawing) -> float | None:
    return float(drawing.width.read_text()) if drawing.width.exists() else None


def _draw(todo: list[_Drawing]) -> None:
    """Draw the charts not in the cache: here, and half of them in a process of their own when there are many."""
    if not todo:
        return
    todo[0].width.parent.mkdir(parents=True, exist_ok=True)
    version = chart_images.vega_lite_version()
    here, apart = (todo[0::2], todo[1::2]) if len(todo) >= DRAW_APART else (todo, [])
    widths = chart_images.draw_apart([(d.text, str(d.stem), _known_width(d), version) for d in apart]) if apart \
        else (lambda: [])
    try:
        for drawing in here:
            drawing.keep(chart_images.draw(drawing.text, str(drawing.stem), _known_width(drawing), version))
    finally:
        drawn = widths()  # waited for even when a chart here failed: its error, if any, is raised after
    for drawing, width in zip(apart, drawn):
        drawing.keep(width)


def publish_downloads(exports: Path, label: str, cache: Path) -> Path:
    """exports/downloads, made afresh: each chapter's downloads with the label in place, and each chart's
    SVG and PNG, from the cache when that record with that label was drawn before. Returns the folder.
    Images no record asks for are removed from the cache."""
    out = exports / "downloads"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    chapter_files = exports / figures.CHAPTER_DOWNLOADS
    token, stamped = release.PLACEHOLDER.encode(), label.encode("utf-8")
    for path in sorted(chapter_files.iterdir()) if chapter_files.exists() else []:
        if path.is_file():
            (out / path.name).write_bytes(path.read_bytes().replace(token, stamped))
    records = exports / figures.CHART_RECORDS
    drawings = {record.stem: _drawing(record, label, cache)
                for record in (sorted(records.glob("*.json")) if records.exists() else [])}
    _draw(list({d.key: d for d in drawings.values() if not all(image.exists() for image in d.images)}.values()))
    used = set()
    for stem, drawing in drawings.items():
        for image in drawing.images:
            shutil.copyfile(image, out / f"{stem}{image.suffix}")
        used |= {drawing.width.name, *(image.name for image in drawing.images)}
    for old in cache.glob("*") if cache.exists() else []:
        if old.is_file() and old.name not in used:
            old.unlink()
    return out
