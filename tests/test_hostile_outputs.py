"""Hostile output surroundings: a file name the file system refuses, an --output that is a rule set
reached through ``extends:``, a standard output that cannot encode the table, an absurd terminal
width, a closed pipe behind ``-o /dev/stdout``. Never an internal error (exit 3), never an input
overwritten."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

BCG = ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml"
KETAMINE = ROOT / "examples" / "ketamine-chronic-pain.yaml"
LONG = "a" * 256

needs_plots = pytest.mark.skipif(
    __import__("importlib").util.find_spec("matplotlib") is None, reason="needs matplotlib"
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _assert_one_line_failure(r: subprocess.CompletedProcess[str], *words: str) -> None:
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    for word in words:
        assert word in lines[0], lines[0]


# 1. a file name longer than the file system allows ------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["assess", str(BCG), "-o", f"{LONG}.txt"],
        ["assess", str(BCG), "--format", "json", "-o", f"{LONG}.json"],
        ["check", str(BCG), "--output", f"{LONG}.txt"],
        ["export", "robvis", str(BCG), "--tool", "rob1", "-o", f"{LONG}.csv"],
    ],
    ids=["assess", "assess-json", "check", "export-robvis"],
)
def test_name_too_long_is_exit_2(tmp_path: Path, args: list[str]) -> None:
    r = run_cli(*args, cwd=tmp_path)
    _assert_one_line_failure(r, "File name too long")
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


@needs_plots
@pytest.mark.parametrize(
    "args",
    [["report", str(BCG), "-o", f"{LONG}.html"], ["plot", "forest", str(BCG), "-o", f"{LONG}.svg"]],
    ids=["report", "plot-forest"],
)
def test_name_too_long_is_exit_2_with_plots(tmp_path: Path, args: list[str]) -> None:
    r = run_cli(*args, cwd=tmp_path)
    _assert_one_line_failure(r, "cannot write", "File name too long")
    assert list(tmp_path.iterdir()) == []


def test_name_too_long_message_is_shortened(tmp_path: Path) -> None:
    r = run_cli("assess", str(BCG), "-o", f"{LONG}.txt", cwd=tmp_path)
    _assert_one_line_failure(r, "cannot write", "...", "File name too long")
    assert LONG not in r.stderr


def test_longest_allowed_name_is_written(tmp_path: Path) -> None:
    """The target may be as long as the file system allows: the temporary file's name is short."""
    name = "b" * 251 + ".txt"
    r = run_cli("assess", str(BCG), "-o", name, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert [p.name for p in tmp_path.iterdir()] == [name]


# 2. a rule set reached through `extends:` is an input too --------------------------------------------


@pytest.fixture
def chain(tmp_path: Path) -> Path:
    shutil.copy(BCG, tmp_path / "e.yaml")
    (tmp_path / "R.yaml").write_text("name: R\nextends: default\n", encoding="utf-8")
    (tmp_path / "C.yaml").write_text("name: C\nextends: R.yaml\n", encoding="utf-8")
    (tmp_path / "D.yaml").write_text("name: D\nextends: C.yaml\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ["assess", "e.yaml", "--rules", "C.yaml", "-o", "R.yaml"],
        ["assess", "e.yaml", "--rules", "D.yaml", "-o", "R.yaml"],
        ["assess", "e.yaml", "--rules", "C.yaml", "--format", "json", "-o", "R.yaml"],
        ["assess", "e.yaml", "--rules", "default", "--compare", "C.yaml", "-o", "R.yaml"],
        ["assess", "e.yaml", "--compare", "D.yaml", "--format", "json", "-o", "C.yaml"],
        ["check", "e.yaml", "--rules", "D.yaml", "--output", "R.yaml"],
    ],
)
def test_extends_parent_is_never_overwritten(chain: Path, args: list[str]) -> None:
    before = {p.name: _digest(p) for p in chain.iterdir()}
    r = run_cli(*args, cwd=chain)
    _assert_one_line_failure(r, "is an input file", "refusing to overwrite it")
    assert {p.name: _digest(p) for p in chain.iterdir()} == before


@needs_plots
def test_report_refuses_extends_parent(chain: Path) -> None:
    before = _digest(chain / "R.yaml")
    r = run_cli("report", "e.yaml", "--rules", "D.yaml", "-o", "R.yaml", cwd=chain)
    _assert_one_line_failure(r, "refusing to overwrite it")
    assert _digest(chain / "R.yaml") == before


def test_evidence_defaults_rules_chain_is_an_input(chain: Path) -> None:
    evidence = chain / "e.yaml"
    text = evidence.read_text(encoding="utf-8")
    assert text.count("\ndefaults:\n") == 1 and "  rules:" not in text
    evidence.write_text(text.replace("\ndefaults:\n", "\ndefaults:\n  rules: D.yaml\n"), encoding="utf-8")
    before = _digest(chain / "R.yaml")
    r = run_cli("assess", "e.yaml", "-o", "R.yaml", cwd=chain)
    _assert_one_line_failure(r, "refusing to overwrite it")
    assert _digest(chain / "R.yaml") == before


def test_rule_set_inputs_follows_extends(chain: Path) -> None:
    from gradecli.pipeline import rule_set_inputs

    found = rule_set_inputs(str(chain / "D.yaml"), "default", None)
    assert [Path(p).name for p in found] == ["D.yaml", "C.yaml", "R.yaml"]


def test_rule_set_inputs_tolerates_broken_chains(tmp_path: Path) -> None:
    from gradecli.pipeline import rule_set_inputs

    (tmp_path / "loop.yaml").write_text("name: L\nextends: loop.yaml\n", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    (tmp_path / "out.yaml").write_text("name: O\nextends: ../x.yaml\n", encoding="utf-8")
    (tmp_path / "gone.yaml").write_text("name: G\nextends: missing.yaml\n", encoding="utf-8")
    (tmp_path / "odd.yaml").write_text("- a list\n", encoding="utf-8")
    for name in ("loop.yaml", "bad.yaml", "out.yaml", "gone.yaml", "odd.yaml", "nofile.yaml"):
        found = rule_set_inputs(str(tmp_path / name))
        assert found[0] == str(tmp_path / name)
        assert len(found) <= 10


def test_a_good_chain_still_works(chain: Path) -> None:
    r = run_cli("assess", "e.yaml", "--rules", "D.yaml", "-o", "out.txt", cwd=chain)
    assert r.returncode == 0, r.stderr
    assert (chain / "out.txt").read_text(encoding="utf-8").strip()


# 3. a standard output that cannot encode the table --------------------------------------------------

C_LOCALES = [
    {"LC_ALL": "C", "PYTHONUTF8": "0"},
    {"LANG": "C", "LC_ALL": "", "LC_CTYPE": "", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},
]


def _c_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LC_ALL", "LC_CTYPE", "LANG")}
    return {**env, **extra}


@pytest.mark.parametrize("extra", C_LOCALES, ids=["LC_ALL=C", "LANG=C"])
@pytest.mark.parametrize("options", [[], ["--detail"], ["--profile"]], ids=["table", "detail", "profile"])
def test_c_locale_table_does_not_crash(extra: dict[str, str], options: list[str]) -> None:
    env = _c_env(extra)
    env.pop("GRADECLI_DEBUG", None)
    r = subprocess.run(
        [sys.executable, "-m", "gradecli", "assess", str(KETAMINE), *options],
        capture_output=True,
        cwd=ROOT,
        env={**env, "NO_COLOR": "1"},
        timeout=120,
    )
    assert r.returncode == 0, r.stderr.decode("utf-8", "replace")
    assert b"internal error" not in r.stderr and b"Traceback" not in r.stderr
    out = r.stdout.decode("ascii")  # nothing but ASCII: escapes stand for what it cannot encode
    assert "Pain intensity" in out
    assert "\\xb7" in out or "\\u" in out


@pytest.mark.parametrize("fmt", ["json", "markdown", "csv", "html"])
def test_c_locale_other_formats_do_not_crash(fmt: str) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "gradecli", "assess", str(KETAMINE), "--format", fmt],
        capture_output=True,
        cwd=ROOT,
        env=_c_env(C_LOCALES[0]),
        timeout=120,
    )
    assert r.returncode == 0, r.stderr.decode("utf-8", "replace")
    assert b"internal error" not in r.stderr


# 4. an absurd terminal width ------------------------------------------------------------------------


@pytest.mark.parametrize("columns", ["1", "5", "0"])
def test_tiny_columns_does_not_wrap_per_character(columns: str) -> None:
    normal = run_cli("assess", str(BCG), env={"COLUMNS": "80"})
    tiny = run_cli("assess", str(BCG), env={"COLUMNS": columns})
    assert tiny.returncode == 0, tiny.stderr
    assert len(tiny.stdout.splitlines()) <= 2 * len(normal.stdout.splitlines())


def test_tiny_columns_output_file(tmp_path: Path) -> None:
    r = run_cli("assess", str(BCG), "-o", "t.txt", "--detail", cwd=tmp_path, env={"COLUMNS": "1"})
    assert r.returncode == 0, r.stderr
    lines = (tmp_path / "t.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) < 400
    assert max(len(line) for line in lines) > 20


# 5. a closed pipe behind -o /dev/stdout ---------------------------------------------------------------


def _closed_reader(*args: str) -> tuple[int, bytes]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GRADECLI_DEBUG", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gradecli", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read()
    return proc.wait(timeout=120), err


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="needs /dev/stdout")
@needs_plots
def test_report_to_dev_stdout_broken_pipe_is_quiet() -> None:
    rc, err = _closed_reader("report", str(BCG), "-o", "/dev/stdout")
    assert rc == 0, err
    assert b"Broken pipe" not in err and b"internal error" not in err


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="needs /dev/stdout")
def test_assess_to_dev_stdout_broken_pipe_is_quiet() -> None:
    rc, err = _closed_reader("assess", str(BCG), "--format", "json", "-o", "/dev/stdout")
    assert rc == 0, err
    assert b"Broken pipe" not in err and b"internal error" not in err
