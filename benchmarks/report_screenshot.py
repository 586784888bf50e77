"""Screenshot of the HTML report (``gradecli report``) in headless Chromium, with its console log.

usage: python benchmarks/report_screenshot.py [--example PATH] [--png PATH] [--size WIDTHxHEIGHT]

Writes the report of EXAMPLE to a temporary directory and has Debian's ``chromium`` (``apt-get install
chromium``) take a PNG screenshot of it with a new empty profile, every background network feature
off and the console logged to stderr (tests/test_report_page_chromium.py scans that log for errors).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium import FLAGS, chromium, screenshot_page  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml"
PNG = ROOT / "docs" / "report-bcg.png"


def write_report(example: Path, html: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "gradecli", "report", str(example), "--output", str(html)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


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
