"""The HTML report in a real browser: headless Chromium renders it, takes a screenshot, logs no
console message (no script error, no Content-Security-Policy violation) and requests nothing."""

from __future__ import annotations

import importlib.util
import re
import struct
from pathlib import Path

import pytest

from conftest import ROOT

pytest.importorskip("matplotlib")


def _module():
    spec = importlib.util.spec_from_file_location("gradecli_report_shot", ROOT / "benchmarks" / "report_screenshot.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shot = _module()
needs_chromium = pytest.mark.skipif(
    shot.chromium() is None, reason="chromium is not on PATH (Debian: apt-get install chromium; .ci/run installs it)"
)
CONSOLE = re.compile(r":CONSOLE|Uncaught|Content Security Policy|net::ERR_")


@needs_chromium
def test_chromium_renders_the_report_without_console_errors(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    shot.write_report(ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml", page)
    html = page.read_text(encoding="utf-8")
    assert "default-src 'none'" in html and not re.search(r"https?://", html)
    png = tmp_path / "report.png"
    log = shot.screenshot_page(page, png, "1280,2400")
    problems = [line for line in log.splitlines() if CONSOLE.search(line)]
    assert problems == [], "\n".join(problems)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1280, 2400)
    assert len(data) > 60_000, "a blank page compresses to a few kilobytes; the report should not"


@needs_chromium
def test_the_console_check_would_catch_a_broken_page(tmp_path: Path) -> None:
    """The scan above is not vacuous: a page that breaks its own CSP is reported."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        '</head><body><img src="https://example.invalid/x.png"><script>missing()</script></body></html>'
    )
    log = shot.screenshot_page(page, tmp_path / "bad.png", "400,300")
    assert any(CONSOLE.search(line) for line in log.splitlines())
