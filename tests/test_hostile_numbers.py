"""Values that are not really numbers are refused, never converted: ``true`` is not 1, ``'4'`` not 4,
``1_0`` not 10, ``0x1f`` not 31 — in evidence files and in rule sets. Huge hex/octal/decimal
integers, settings that would divide by zero and overlong ``extends:`` names are exit 2 with a
``FILE:LINE:COL: field.path: message`` line, never an internal error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

EXAMPLE = ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml"
FIRST_ROW = "events_t: 4, n_t: 123"  # examples/bcg-vaccine-tuberculosis.yaml, line 101


def _evidence(tmp_path: Path, old: str, new: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "ev.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _refused(result: object, path: Path, line: int, field: str, *words: str) -> str:
    assert hasattr(result, "returncode")
    out: str = result.stdout + result.stderr  # type: ignore[attr-defined]
    assert result.returncode == 2, out  # type: ignore[attr-defined]
    assert "Traceback" not in out and "internal error" not in out, out
    first = result.stderr.splitlines()[0]  # type: ignore[attr-defined]
    assert re.match(rf"^{re.escape(str(path))}:{line}:\d+: {re.escape(field)}: ", first), first
    for w in words:
        assert w in first, first
    assert len(first) < 400
    return first


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("true", ("true/false is not a number",)),
        ("'4'", ("'4'", "only plain decimal numbers")),
        ('"4"', ("'4'", "not in quotes")),
        ("1_0", ("'1_0'", "_ separators")),
        ("0x1f", ("hex number 0x1f",)),
        ("0o17", ("octal number 0o17",)),
        ("0x" + "f" * 5000, ("only plain decimal numbers",)),
        ("0o" + "7" * 6000, ("only plain decimal numbers",)),
        ("9" * 5000, ("5,000 digits",)),
        ("!!int 0x1f", ("hex number 0x1f",)),
    ],
    ids=[
        "bool",
        "single-quoted",
        "double-quoted",
        "underscore",
        "hex",
        "octal",
        "hex-5000",
        "octal-6000",
        "decimal-5000",
        "tagged-hex",
    ],
)
def test_loose_count_in_evidence_is_refused(tmp_path: Path, value: str, words: tuple[str, ...]) -> None:
    path = _evidence(tmp_path, FIRST_ROW, f"events_t: {value}, n_t: 123")
    _refused(run_cli("validate", str(path)), path, 101, "outcomes[0].data[0].events_t", *words)


def test_loose_count_in_evidence_fails_check_without_internal_error(tmp_path: Path) -> None:
    path = _evidence(tmp_path, FIRST_ROW, "events_t: 0x" + "f" * 5000 + ", n_t: 123")
    result = run_cli("check", str(path))
    out = result.stdout + result.stderr
    assert result.returncode not in (0, 3), out
    assert "GC000" not in out and "Traceback" not in out and "internal error" not in out, out
    assert "GC001" in out


@pytest.mark.parametrize("value", ["true", "'0.3'", "false"])
def test_loose_float_in_evidence_is_refused(tmp_path: Path, value: str) -> None:
    path = tmp_path / "ev.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace(FIRST_ROW, FIRST_ROW, 1)
    # a generic row with a text/bool estimate
    text = text.replace(
        "{study: Aronson 1948, events_t: 4, n_t: 123, events_c: 11, n_c: 139}",
        f"{{study: Aronson 1948, yi: {value}, sei: 0.5}}",
        1,
    )
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", str(path))
    out = result.stdout + result.stderr
    assert result.returncode == 2, out
    assert "Traceback" not in out and "internal error" not in out
    assert re.search(rf"{re.escape(str(path))}:101:\d+: outcomes\[0\]\.data\[0\]", result.stderr), result.stderr


def test_whole_and_decimal_numbers_still_load(tmp_path: Path) -> None:
    path = _evidence(tmp_path, FIRST_ROW, "events_t: 4.0, n_t: +123")  # 4.0 is a whole number
    result = run_cli("validate", str(path))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("value", ["true", "1.0", "0x1", "'1'", "1_0", "0o1"])
def test_format_version_must_be_the_plain_number_1(tmp_path: Path, value: str) -> None:
    path = _evidence(tmp_path, "gradecli: 1\n", f"gradecli: {value}\n")
    _refused(run_cli("validate", str(path)), path, 10, "gradecli", "plain number 1")


def test_text_that_looks_like_hex_stays_text(tmp_path: Path) -> None:
    # only numeric fields refuse 0x…: a study id written 0x1f is the text '0x1f'
    text = EXAMPLE.read_text(encoding="utf-8").replace("Aronson 1948", "0x1f")
    path = tmp_path / "ev.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 0, result.stderr


# --- rule sets ---------------------------------------------------------------------------------------


def _ruleset(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "my.yaml"
    path.write_text(f"name: mine\nextends: default\n{body}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("true", ("true/false is not a number",)),
        ("'150'", ("'150'", "only plain decimal numbers")),
        ("1_50", ("'1_50'",)),
        ("0x" + "f" * 5000, ("only plain decimal numbers",)),
        ("0o" + "7" * 6000, ("only plain decimal numbers",)),
    ],
    ids=["bool", "quoted", "underscore", "hex-5000", "octal-6000"],
)
@pytest.mark.parametrize("command", ["show", "assess"])
def test_loose_number_in_ruleset_is_refused(tmp_path: Path, value: str, words: tuple[str, ...], command: str) -> None:
    path = _ruleset(tmp_path, f"rules:\n  IMP-SPARSE: {{sparse_participants: {value}}}")
    args = ("rules", "show", str(path)) if command == "show" else ("assess", str(EXAMPLE), "--rules", str(path))
    _refused(run_cli(*args), path, 4, "rules.IMP-SPARSE.sparse_participants", *words)


@pytest.mark.parametrize(
    ("body", "line", "field"),
    [
        ("scale: {relative_threshold: true}", 3, "scale.relative_threshold"),
        ("scale: {smd_threshold: '0.5'}", 3, "scale.smd_threshold"),
        ("certainty: {conversion: table, table: [{max_points: '1', level: high}]}", 3, "certainty.table[0].max_points"),
        (
            "rules:\n  IMP-BANDS: {participant_bands: [{min: '100', rating: serious}]}",
            4,
            "rules.IMP-BANDS.participant_bands",
        ),
        ("rules:\n  IMP-OIS: {ois_alpha: true}", 4, "rules.IMP-OIS.ois_alpha"),
        ("rules:\n  UP-LARGE: {very_large_ratio: .inf}", 4, "rules.UP-LARGE.very_large_ratio"),
    ],
)
def test_other_loose_ruleset_values_are_refused(tmp_path: Path, body: str, line: int, field: str) -> None:
    path = _ruleset(tmp_path, body)
    _refused(run_cli("rules", "show", str(path)), path, line, field)


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("ois_rrr", "1e-300"),
        ("ois_rrr", "0.9999999999999999"),
        ("ois_alpha", "1e-300"),
        ("ois_power", "0.9999999999999999"),
        ("ois_power", "0.1"),
        ("ois_smd", "1e-300"),
        ("large_rrr", "0.9999999999999999"),
        ("large_smd", "1e-300"),
    ],
)
def test_ois_settings_that_would_divide_by_zero_are_refused_at_load(tmp_path: Path, setting: str, value: str) -> None:
    path = _ruleset(tmp_path, f"rules:\n  IMP-OIS: {{{setting}: {value}}}")
    first = _refused(
        run_cli("assess", str(EXAMPLE), "--rules", str(path)), path, 4, f"rules.IMP-OIS.{setting}", "must be from"
    )
    assert "got" in first


@pytest.mark.parametrize(
    ("setting", "value"), [("ois_rrr", "0.001"), ("ois_rrr", "0.99"), ("ois_alpha", "1e-6"), ("ois_power", "0.999999")]
)
def test_ois_settings_at_their_bounds_still_assess(tmp_path: Path, setting: str, value: str) -> None:
    path = _ruleset(tmp_path, f"rules:\n  IMP-OIS: {{{setting}: {value}, always: true}}")
    result = run_cli("assess", str(EXAMPLE), "--rules", str(path))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "name",
    ["a" * 5000, "a/" * 2500, "b" * 300 + ".yaml", "./" + "b" * 300 + ".yaml", "x/" * 100 + "c" * 300],
    ids=["5000-chars", "a-slash-2500", "300-char-yaml", "dot-slash-300", "deep-300"],
)
def test_overlong_extends_is_not_found(tmp_path: Path, name: str) -> None:
    path = tmp_path / "my.yaml"
    path.write_text(f"name: mine\nextends: {name}\n", encoding="utf-8")
    for args in (("rules", "show", str(path)), ("assess", str(EXAMPLE), "--rules", str(path))):
        first = _refused(run_cli(*args), path, 2, "extends", "no such rule set")
        assert "File name too long" not in first


@pytest.mark.parametrize("name", ["a" * 5000, "a/" * 2500, "b" * 300 + ".yaml"])
def test_overlong_rules_option_is_not_found(name: str) -> None:
    result = run_cli("assess", str(EXAMPLE), "--rules", name)
    out = result.stdout + result.stderr
    assert result.returncode == 2, out
    assert "Traceback" not in out and "internal error" not in out and "File name too long" not in out
    assert len(result.stderr.splitlines()[0]) < 400


def test_a_valid_ruleset_still_loads(tmp_path: Path) -> None:
    path = _ruleset(
        tmp_path,
        "scale: {relative_threshold: 1.25, smd_threshold: 1}\n"
        "rules:\n  IMP-SPARSE: {sparse_participants: 150}\n  IMP-OIS: {ois_rrr: 0.3, ois_alpha: 0.01, ois_power: 0.9}",
    )
    assert run_cli("rules", "show", str(path)).returncode == 0
    result = run_cli("assess", str(EXAMPLE), "--rules", str(path))
    assert result.returncode == 0, result.stderr


def test_the_ois_bounds_the_loader_enforces_are_the_ones_the_rules_schema_and_docs_state() -> None:
    """Editors (the JSON schema) and readers (docs/rules.md) see the same bounds the loader checks."""
    import json

    from conftest import ROOT

    schema = json.loads((ROOT / "schema" / "rules.schema.json").read_text(encoding="utf-8"))
    ois = next(v for k, v in schema["$defs"].items() if k.startswith("ImpOis"))["properties"]
    bounds = {name: (ois[name]["minimum"], ois[name]["maximum"]) for name in ("ois_rrr", "ois_alpha", "ois_power")}
    assert bounds == {"ois_rrr": (0.001, 0.99), "ois_alpha": (1e-6, 0.5), "ois_power": (0.5, 0.999999)}
    assert (ois["ois_smd"]["minimum"], ois["ois_smd"]["maximum"]) == (0.001, 100)
    docs = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "(dichotomous outcomes; 0.001 to 0.99)" in docs and "(1e-6 to 0.5)" in docs
