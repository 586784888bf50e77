"""Every file in tests/bad_inputs is refused with exit 2, a FILE:LINE: message and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, run_cli

BAD = ROOT / "tests" / "bad_inputs"


def _expected() -> list[tuple[str, int, str]]:
    rows = []
    for line in (BAD / "EXPECTED.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, lineno, text = line.split("\t")
        rows.append((name, int(lineno), text))
    return rows


EXPECTED = _expected()


def test_corpus_is_complete() -> None:
    files = {p.name for p in BAD.iterdir() if p.name not in ("EXPECTED.tsv", "README.md")}
    assert files == {name for name, _, _ in EXPECTED}
    assert len(files) >= 30


@pytest.mark.parametrize(("name", "line", "text"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_bad_input_is_refused_at_its_line(name: str, line: int, text: str) -> None:
    path = Path("tests") / "bad_inputs" / name
    result = run_cli("validate", str(path))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:{line}:"), first
    assert text in first, first
    assert result.stdout == ""


def test_all_bad_inputs_in_one_call_each_reported() -> None:
    paths = [str(Path("tests") / "bad_inputs" / name) for name, _, _ in EXPECTED]
    result = run_cli("validate", *paths)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    for p in paths:
        assert f"{p}:" in result.stderr
    assert f"{len(paths)} of {len(paths)} files invalid" in result.stderr
