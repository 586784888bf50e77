"""``gradecli report``: one self-contained HTML page (SoF table, profile, forest plots, RoB figures)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, run_cli

pytest.importorskip("matplotlib")

BCG = ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml"


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _report(example: Path, tmp_path: Path) -> str:
    out = tmp_path / "report.html"
    r = run_cli("report", str(example), "-o", str(out))
    assert r.returncode == 0, r.stderr
    return out.read_text(encoding="utf-8")


def test_report_has_the_table_profile_forest_plots_and_rob(tmp_path: Path) -> None:
    html = _report(BCG, tmp_path)
    assert html.startswith("<!DOCTYPE html>")
    assert '<table class="sof">' in html and '<table class="profile">' in html
    assert html.count("<svg") == 2  # the forest plot and the risk-of-bias figure
    ids = re.findall(r'id="([^"]+)"', html)
    assert len([i for i in ids if re.fullmatch(r"tuberculosis-study-\d+", i)]) == 13
    assert ids.count("tuberculosis-pooled-diamond") == 1
    assert len([i for i in ids if re.fullmatch(r"all-rob-rob1-\d+-\d+", i)]) == 26
    assert "Rosenthal et al 1961" in html
    assert "[IMP-CROSS]" in html


def test_report_loads_nothing(tmp_path: Path) -> None:
    html = _report(BCG, tmp_path)
    assert "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"" in html
    assert not re.search(r"https?://", html), "no http(s) reference at all (SVG namespaces are dropped)"
    parser = _Collect()
    parser.feed(html)
    tags = [t for t, _ in parser.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    for _, attrs in parser.tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (name, value)
    assert "@import" not in html
    assert all(ref.startswith("#") for ref in re.findall(r"url\(([^)]*)\)", html)), "only in-page references"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_report_for_every_example(example: Path, tmp_path: Path) -> None:
    html = _report(example, tmp_path)
    assert html.rstrip().endswith("</html>")
    assert not re.search(r"https?://", html.split("<main>", 1)[1].split('<section class="part"', 1)[1])


def test_report_never_overwrites_the_input(tmp_path: Path) -> None:
    copy = tmp_path / "evidence.yaml"
    copy.write_bytes(BCG.read_bytes())
    r = run_cli("report", str(copy), "-o", str(copy))
    assert r.returncode == 2 and "refusing to overwrite" in r.stderr
    assert copy.read_bytes() == BCG.read_bytes()
    r = run_cli("report", str(BCG), "-o", str(tmp_path / "missing" / "r.html"))
    assert r.returncode == 2 and "does not exist" in r.stderr


def test_report_escapes_text_from_the_file(tmp_path: Path) -> None:
    text = (
        BCG.read_text(encoding="utf-8")
        .replace("name: Tuberculosis (any diagnosis)", 'name: "<script>alert(1)</script> TB"')
        .replace("Aronson 1948", "Aronson <b>1948</b>")
    )
    evil = tmp_path / "evil.yaml"
    evil.write_text(text, encoding="utf-8")
    html = _report(evil, tmp_path)
    assert "<script>" not in html and "<b>1948</b>" not in html
    assert "&lt;script&gt;" in html
