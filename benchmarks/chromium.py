"""Headless Chromium for the screenshot scripts and the browser tests: find it, screenshot a page.

Debian's ``chromium`` (``apt-get install chromium``; ``.ci/run`` installs it), a new empty profile and
every background network feature switched off, so the only thing it loads is the page itself.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

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
