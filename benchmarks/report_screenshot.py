"""Screenshot of the HTML report (``gradecli report``) in headless Chromium, with its console log.

usage: python benchmarks/report_screenshot.py [--example PATH] [--png PATH] [--size WIDTHxHEIGHT]

Writes the report of EXAMPLE to a temporary directory and has Debian's ``chromium`` (``apt-get install
chromium``) take a PNG screenshot of it with a new empty profile, every background network feature
off and the console logged to stderr (tests/test_report_page_chromium.py scans that log for errors).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml"
PNG = ROOT / "docs" / "report-bcg.png"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
)


def chromium() -> str | None:
    """The Chromium executable on PATH, or None."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def write_report(example: Path, html: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "gradecli", "report", str(example), "--output", str(html)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


def screenshot_page(page: Path, png: Path, size: str = "1280,2400", timeout: float = 120) -> str:
    """Screenshot ``page`` (an HTML file) to ``png``; return Chromium's stderr (the console log)."""
    browser = chromium()
    if browser is None:
        raise RuntimeError("chromium is not on PATH (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="gradecli-report-shot-") as tmp:
        profile = Path(tmp) / "profile"
        profile.mkdir()
        png.parent.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                browser,
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--screenshot={png}",
                f"--window-size={size}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
            text=True,
        )
    if not png.is_file():
        raise RuntimeError(f"chromium ran but wrote no screenshot to {png}")
    return done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--example", type=Path, default=EXAMPLE)
    parser.add_argument("--png", type=Path, default=PNG)
    parser.add_argument("--size", default="1280x2400", help="window size, WIDTHxHEIGHT (default 1280x2400)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gradecli-report-") as tmp:
        html = Path(tmp) / "report.html"
        write_report(args.example.resolve(), html)
        screenshot_page(html, args.png.resolve(), args.size.replace("x", ","))
    print(f"{args.png} ({args.png.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
