"""Chart images (the SVG and PNG downloads), drawn without a browser by vl-convert.

Each chart is drawn at the width its record's chart has (appraisal.publication.figures keeps the record); the
title, subtitle and source lines wrap at that width, so that no line is wider than the chart; the PNG is drawn
at twice that size, and never wider than MAX_PNG_PX. Only vl-convert and the standard library are imported
here, so that a process drawing images (the build draws several at once) starts in a fraction of a second."""
import json
import re
import textwrap
from pathlib import Path

from appraisal.publication import licence

MAX_PNG_PX = 2400
PNG_SCALE = 2
TITLE_CHAR_PX = 7.0     # CSS px a character of the bold 13 px title takes, rounded up
SUBTITLE_CHAR_PX = 6.0  # the same for the subtitle and source lines
MIN_TEXT_PX = 360       # a narrow chart's title still wraps at this width
KEEP_TOGETHER = "\u2060"  # joins the words of a name that a line must not break, while lines are wrapped


def vega_lite_version() -> str:
    """The Vega-Lite version the charts are written for (Altair's), as vl-convert names it."""
    from altair.utils._importers import vl_version_for_vl_convert

    return vl_version_for_vl_convert()


def svg_width(svg: str) -> float:
    return float(re.search(r'<svg[^>]*?\swidth="([\d.]+)"', svg).group(1))


def _svg(spec: dict, vl_version: str | None = None) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(spec, vl_version=vl_version or vega_lite_version())


def _png(svg: str, scale: float) -> bytes:
    """The PNG of a drawn SVG: the same pixels as drawing the chart again, in a third of the time."""
    import vl_convert

    return vl_convert.svg_to_png(svg, scale=scale)


def wrap_lines(lines, width_px: float, char_px: float) -> list[str]:
    """Each line wrapped at words to fit `width_px`; the licence's name is never broken across two lines."""
    chars = max(20, int(width_px // char_px))
    whole = licence.NAME.replace(" ", KEEP_TOGETHER)
    return [part.replace(KEEP_TOGETHER, " ") for line in lines
            for part in (textwrap.wrap(line.replace(licence.NAME, whole), chars, break_on_hyphens=False) or [""])]


def drawn_width(spec: dict, vl_version: str | None = None) -> float:
    """The width of the chart as drawn, without its title lines."""
    return svg_width(_svg(spec, vl_version))


def render_image(record: dict, stem: Path, width: float | None = None, vl_version: str | None = None) -> None:
    """Write `stem`.svg and `stem`.png: the chart with its title, subtitle and source lines wrapped at its
    width (`drawn_width` of its spec, measured here unless given), the PNG at twice the size unless that
    would be wider than MAX_PNG_PX."""
    spec = dict(record["spec"])
    width = max(MIN_TEXT_PX, drawn_width(spec, vl_version) if width is None else width)
    spec["title"] = {"text": wrap_lines([record["title"]], width, TITLE_CHAR_PX),
                     "subtitle": wrap_lines(record["subtitle"], width, SUBTITLE_CHAR_PX), "anchor": "start"}
    svg = _svg(spec, vl_version)
    Path(f"{stem}.svg").write_text(svg, encoding="utf-8")
    Path(f"{stem}.png").write_bytes(_png(svg, min(PNG_SCALE, MAX_PNG_PX / svg_width(svg))))


def draw(record_text: str, stem: str, width: float | None, vl_version: str) -> float:
    """One chart's images from its record (JSON text), measuring its width unless given; returns the width."""
    record = json.loads(record_text)
    measured = drawn_width(record["spec"], vl_version) if width is None else width
    render_image(record, Path(stem), measured, vl_version)
    return measured


def draw_apart(jobs: list[tuple[str, str, float | None, str]]):
    """Start drawing `jobs` (each the arguments of draw) in a process of its own; returns a function that
    waits for it and returns their widths, or raises RuntimeError with what the process reported."""
    import subprocess
    import sys

    package_root = str(Path(__file__).resolve().parents[2])
    process = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=package_root, text=True)
    process.stdin.write(json.dumps(jobs))
    process.stdin.close()

    def widths() -> list[float]:
        out, err = process.stdout.read(), process.stderr.read()
        if process.wait() != 0:
            raise RuntimeError(f"drawing chart images failed: {err.strip()[-2000:]}")
        return json.loads(out)

    return widths


def _main() -> None:
    """draw_apart's process: jobs as JSON on standard input, widths on standard output; a chart that cannot
    be drawn stops it, naming the chart and the error."""
    import sys

    widths = []
    for job in json.load(sys.stdin):
        try:
            widths.append(draw(*job))
        except Exception as err:  # reported by the build, which stops
            reason = " ".join(str(err).split("\n")[:2])
            sys.exit(f"{json.loads(job[0]).get('title', 'a chart')}: {type(err).__name__}: {reason}")
    print(json.dumps(widths))


if __name__ == "__main__":
    _main()


def png_width(path: Path) -> int:
    """The width in pixels that a PNG file's header gives."""
    head = Path(path).read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG file")
    return int.from_bytes(head[16:20], "big")
