"""The committee briefing as PDF: one built page printed on A4 by headless Chromium.

The page is printed from a temporary copy beside it whose links point to the published site (the public
address in `_config.yml`, `html.baseurl`): a browser printing a file from disk would otherwise write the
address of the file on this machine into every link of the PDF. Same-page links stay internal. The page
size and what is left out of print are set by the site's print style sheet (`_static/print.css`).
"""
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

from appraisal import paths
from appraisal.pipeline.site import SiteBuildFailed

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
                  "--virtual-time-budget=10000"]
INSTALL_CHROMIUM = "sudo apt-get update && sudo apt-get install -y chromium  (Debian or Ubuntu)"
LINK = re.compile(r'(<a\b[^>]*?\shref=")([^"]*)(")', re.IGNORECASE)
CONTENT_ROOT = re.compile(r'data-content_root="([^"]*)"')


class PublicAddressMissing(SiteBuildFailed):
    """`html.baseurl` in _config.yml is not an http(s) address (reported like any failed site build)."""


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def public_address(config: Path = paths.ROOT / "_config.yml") -> str:
    """The published site's address from `html.baseurl`, ending in '/'."""
    raw = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    address = str((raw.get("html") or {}).get("baseurl") or "").strip()
    if urlsplit(address).scheme not in ("http", "https") or not urlsplit(address).netloc:
        raise PublicAddressMissing(f"{config}: html.baseurl must be the site's public http(s) address, "
                                   f"found {address!r}")
    return address if address.endswith("/") else address + "/"


def page_address(page_html: str, page: Path, site_address: str) -> str:
    """Where the page is published: its path under the site root (from Sphinx's data-content_root)."""
    found = CONTENT_ROOT.search(page_html)
    root = (page.parent / (found.group(1) if found else "")).resolve()
    return urljoin(site_address, page.resolve().relative_to(root).as_posix())


def published_links(page_html: str, here: str) -> str:
    """The page with every link made absolute to its published address `here`; same-page links
    ('#...') and links that already name a scheme (https:, mailto:) are kept as they are."""
    def rewrite(match):
        href = match.group(2)
        if href.startswith("#") or urlsplit(href).scheme in ("http", "https", "mailto"):
            return match.group(0)
        return match.group(1) + urljoin(here, href) + match.group(3)
    return LINK.sub(rewrite, page_html)


def print_pdf(page: Path, target: Path, site_address: str | None = None) -> bool:
    """Print one built page to PDF with headless Chromium. Returns False, leaving no file, if it cannot."""
    browser = find_chromium()
    if browser is None:
        return False
    site_address = site_address or public_address()
    text = page.read_text(encoding="utf-8")
    printable = published_links(text, page_address(text, page, site_address))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, copy = tempfile.mkstemp(prefix=".print-", suffix=".html", dir=page.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(printable)
        with tempfile.TemporaryDirectory() as profile:
            done = subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                                   f"--print-to-pdf={target}", Path(copy).resolve().as_uri()],
                                  capture_output=True, text=True, timeout=120)
    finally:
        Path(copy).unlink(missing_ok=True)
    return done.returncode == 0 and target.exists() and target.stat().st_size > 1000
