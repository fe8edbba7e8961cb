"""Where things live. Every generated file goes under one ignored folder, `_build/`."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PARAMETERS = DATA / "parameters.yaml"
NOTEBOOKS = ROOT / "notebooks"
CHAPTERS = ROOT / "chapters"
BUILD = ROOT / "_build"
SITE = BUILD / "html"
