"""Screenshot of the HTML Summary-of-Findings table in headless Chromium (docs/sof-ketamine.png).

usage: python benchmarks/screenshot.py [--example PATH] [--png PATH] [--size WIDTHxHEIGHT] [--comparison ID]

Renders ``gradecli assess EXAMPLE --format html`` to a temporary file and has Debian's ``chromium``
(``apt-get install chromium``) take a PNG screenshot of it, with a new empty profile and every
background network feature switched off. The page itself loads nothing (see docs/report-formats.md).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium import chromium, screenshot_page

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ketamine-chronic-pain.yaml"
PNG = ROOT / "docs" / "sof-ketamine.png"


def screenshot(
    example: Path, png: Path, size: str = "1280,1600", timeout: float = 120, comparison: str | None = None
) -> None:
    """Render ``example`` as HTML (``comparison``: that comparison's table only) and write a
    screenshot of the page to ``png``."""
    if chromium() is None:
        raise RuntimeError("chromium is not on PATH (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="gradecli-shot-") as tmp:
        page = Path(tmp) / "sof.html"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "gradecli",
                "assess",
                str(example),
                "--format",
                "html",
                "--output",
                str(page),
                *(("--comparison", comparison) if comparison else ()),
            ],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        screenshot_page(page, png, size, timeout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--example", type=Path, default=EXAMPLE)
    parser.add_argument("--png", type=Path, default=PNG)
    parser.add_argument("--size", default="1280x1600", help="window size, WIDTHxHEIGHT (default 1280x1600)")
    parser.add_argument(
        "--comparison", default=None, help="only this comparison's table (default for the shipped example: iv-ketamine)"
    )
    args = parser.parse_args()
    comparison = args.comparison or ("iv-ketamine" if args.example == EXAMPLE else None)
    screenshot(args.example.resolve(), args.png.resolve(), args.size.replace("x", ","), comparison=comparison)
    print(f"{args.png} ({args.png.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
