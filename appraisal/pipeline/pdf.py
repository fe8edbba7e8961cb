"""The committee briefing as PDF: one built page printed by headless Chromium."""
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
                  "--virtual-time-budget=10000"]
INSTALL_CHROMIUM = "sudo apt-get update && sudo apt-get install -y chromium  (Debian or Ubuntu)"


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def print_pdf(page: Path, target: Path) -> bool:
    """Print one built page to PDF with headless Chromium. Returns False, leaving no file, if it cannot."""
    browser = find_chromium()
    if browser is None:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                               f"--print-to-pdf={target}", page.resolve().as_uri()],
                              capture_output=True, text=True, timeout=120)
    return done.returncode == 0 and target.exists() and target.stat().st_size > 1000
