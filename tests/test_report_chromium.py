"""The HTML Summary of Findings in a real browser: headless Chromium renders it and takes a screenshot
(as benchmarks/screenshot.py does for docs/sof-ketamine.png)."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

import pytest

from conftest import ROOT


def _screenshot_module():
    spec = importlib.util.spec_from_file_location("gradecli_screenshot", ROOT / "benchmarks" / "screenshot.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shot = _screenshot_module()


@pytest.mark.skipif(shot.chromium() is None, reason="chromium is not on PATH (Debian: apt-get install chromium)")
def test_chromium_renders_the_html_table_to_a_png(tmp_path: Path) -> None:
    png = tmp_path / "sof.png"
    shot.screenshot(ROOT / "examples" / "ketamine-chronic-pain.yaml", png, "1280,1600")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert (width, height) == (1280, 1600)
    assert len(data) > 30_000, "a blank page compresses to a few kilobytes; the table should not"
    assert [p.name for p in tmp_path.iterdir()] == ["sof.png"]
