"""The crashes fuzzing found, kept: every file in tests/fuzz_regressions/ (valid files) and
tests/bad_inputs/ (invalid ones) through every command, with the assertions of tests/test_fuzz.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz_cli import check_assess, check_check, check_diff, check_validate, fuzz_env

from conftest import ROOT

pytestmark = pytest.mark.usefixtures(fuzz_env.__name__)

REGRESSIONS = sorted(p for p in (ROOT / "tests" / "fuzz_regressions").iterdir() if p.suffix in (".yaml", ".json"))
BAD = sorted(p for p in (ROOT / "tests" / "bad_inputs").iterdir() if p.name not in ("EXPECTED.tsv", "README.md"))
ASSESS = [
    ["--format", "table"],
    ["--format", "table", "--detail"],
    ["--format", "table", "--profile"],
    ["--format", "table", "--compare", "strict"],
    ["--format", "json"],
    ["--format", "json", "--compare", "pollock-2016"],
    ["--format", "markdown"],
    ["--format", "html"],
    ["--format", "csv"],
]


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.name for p in REGRESSIONS])
def test_valid_regression_file_runs_cleanly(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    name = _rel(path)
    assert check_validate(name).code == 0
    for options in ASSESS:
        assert check_assess(name, options, valid=True).code == 0
    for fmt in ("text", "json", "github", "junit"):
        check_check(name, fmt)
    check_diff(name, name)
    check_diff("examples/bcg-vaccine-tuberculosis.yaml", name)


@pytest.mark.parametrize("path", BAD, ids=[p.name for p in BAD])
def test_bad_input_through_assess_and_check(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    name = _rel(path)
    assert check_assess(name, ["--format", "json"], valid=False).code == 2
    for fmt in ("text", "json", "github", "junit"):
        check_check(name, fmt)


def test_there_are_regressions() -> None:
    assert REGRESSIONS
