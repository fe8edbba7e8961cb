"""The chapter notebooks, in the order of _toc.yml, with the number each chapter's figures and tables take.

Chapters in a numbered part are numbered 1, 2, ... in order (Figure 2.1 is the first figure of the second);
notebooks in unnumbered parts are appendices lettered A, B, ... . A toc entry is a notebook chapter when
notebooks/<name>.ipynb exists; the other entries are Markdown pages.
"""
import string
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Chapter:
    name: str    # notebooks/<name>.ipynb -> chapters/<name>.ipynb in the book; appraisal/chapters/<name>.py
    number: str  # "2" or "A"

    @property
    def notebook(self) -> str:
        return f"notebooks/{self.name}.ipynb"


def toc_entries(root: Path) -> list[tuple[str, bool]]:
    """Every page in _toc.yml after the front page: (name, whether its part is numbered)."""
    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text(encoding="utf-8"))
    out = []
    for part in toc.get("parts", []):
        for entry in part.get("chapters", []):
            out.append((Path(entry["file"]).name, bool(part.get("numbered", False))))
    return out


def chapters(root: Path) -> tuple[Chapter, ...]:
    """The notebook chapters with their numbers, in book order."""
    numbered, lettered, out = 0, 0, []
    for name, is_numbered in toc_entries(root):
        if is_numbered:
            numbered += 1
        if not (Path(root) / "notebooks" / f"{name}.ipynb").exists():
            continue
        if is_numbered:
            out.append(Chapter(name, str(numbered)))
        else:
            out.append(Chapter(name, string.ascii_uppercase[lettered]))
            lettered += 1
    return tuple(out)
