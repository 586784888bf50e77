"""Snapshot tests: `gradecli assess EXAMPLE --format F` must print exactly tests/snapshots/assess/EXAMPLE.EXT.

After an intended change of output, regenerate and review the diff:

    GRADECLI_UPDATE_SNAPSHOTS=1 python -m pytest -q tests/test_report_snapshots.py
    git diff tests/snapshots/

Each case runs the real command line twice, with different hash seeds, and requires identical bytes.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from conftest import ROOT

SNAPSHOTS = ROOT / "tests" / "snapshots" / "assess"
# A fixed list, so that adding an example does not break the suite; add it here with its snapshots.
EXAMPLES = (
    "bcg-vaccine-tuberculosis",
    "ketamine-chronic-pain",
    "passive-smoking-lung-cancer",
    "stroke-units-length-of-stay",
)
FORMATS = {"table": "txt", "json": "json", "markdown": "md", "html": "html", "csv": "csv"}
UPDATE = os.environ.get("GRADECLI_UPDATE_SNAPSHOTS") == "1"


def assess_bytes(*args: str, seed: str = "0", extra_env: dict[str, str] | None = None) -> bytes:
    """Run `gradecli assess ARGS` in a subprocess at a fixed width, without colour; its stdout as bytes."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "PYTHONHASHSEED": seed, **(extra_env or {})}
    for name in ("GRADECLI_DEBUG", "FORCE_COLOR", "LINES"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "gradecli", "assess", *args], capture_output=True, cwd=ROOT, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b"", result.stderr.decode()
    return result.stdout


@cache
def output(example: str, fmt: str) -> bytes:
    """The report of one example in one format (cached: other test modules reuse it)."""
    return assess_bytes(f"examples/{example}.yaml", "--format", fmt)


CASES = [pytest.param(example, fmt, id=f"{example}-{fmt}") for example in EXAMPLES for fmt in FORMATS]


@pytest.mark.parametrize(("example", "fmt"), CASES)
def test_output_matches_snapshot(example: str, fmt: str) -> None:
    actual = output(example, fmt)
    again = assess_bytes(f"examples/{example}.yaml", "--format", fmt, seed="12345")
    assert actual == again, "two runs gave different bytes"
    assert b"\x1b[" not in actual
    path = SNAPSHOTS / f"{example}.{FORMATS[fmt]}"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != actual:
            path.write_bytes(actual)
        return
    if not path.exists():
        pytest.fail(f"no snapshot {path.relative_to(ROOT)}; create it with GRADECLI_UPDATE_SNAPSHOTS=1")
    expected = path.read_bytes()
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.decode().splitlines(keepends=True),
                actual.decode().splitlines(keepends=True),
                fromfile=str(path.relative_to(ROOT)),
                tofile=f"gradecli assess examples/{example}.yaml --format {fmt}",
            )
        )
        pytest.fail(
            "output differs from the snapshot (if the change is intended: GRADECLI_UPDATE_SNAPSHOTS=1, "
            f"then review git diff):\n{diff}",
            pytrace=False,
        )


def test_no_stale_snapshots() -> None:
    expected = {f"{example}.{ext}" for example in EXAMPLES for ext in FORMATS.values()}
    present = {p.name for p in SNAPSHOTS.iterdir()} if SNAPSHOTS.is_dir() else set()
    assert present <= expected, f"snapshots without a test: {sorted(present - expected)}"


def test_snapshot_examples_exist() -> None:
    for example in EXAMPLES:
        assert (ROOT / "examples" / f"{example}.yaml").is_file(), example
    assert Path(ROOT / "tests" / "snapshots").is_dir() or UPDATE
