"""The gate itself and the output streams (issue 16, categories 3, 5 and 6).

* A repository's ``.gradecli.yaml`` arrives with the pull request it gates: it may not switch off
  GC001 (invalid file) or GC000 (a file that crashed the check), and a run that checks no evidence
  file fails unless ``--allow-empty`` is given.
* One file that crashes the check becomes a finding of its own (GC000) and every other file's
  findings are still reported (exit 3: a bug).
* A closed pipe (``| head``) ends quietly with exit 0; an output encoding that cannot hold a
  character (``PYTHONIOENCODING=ascii``) writes an escape instead of crashing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_check_cli import HEAD, SUMMARY_RR, check, outcome, write

ROOT = Path(__file__).resolve().parent.parent
BCG = ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml"


@pytest.mark.parametrize("severity", ["off", "warning", "info"])
def test_config_cannot_lower_gc001(tmp_path: Path, severity: str) -> None:
    write(tmp_path, "bad.yaml", "gradecli: 1\nreview: {title: T}\noutcomes: []\n")
    write(tmp_path, ".gradecli.yaml", f"severity:\n  GC102: warning\n  GC001: {severity}\n")
    result = check(tmp_path, "bad.yaml")
    assert result.returncode == 2
    assert ".gradecli.yaml:3:3: severity: GC001 (invalid evidence file) is always an error" in result.stderr


def test_config_may_still_change_review_findings(tmp_path: Path) -> None:
    write(tmp_path, "ok.yaml", HEAD + outcome("o1", SUMMARY_RR))
    write(tmp_path, ".gradecli.yaml", "severity: {GC001: error, GC402: off}\n")  # restating the fixed level is fine
    assert check(tmp_path, "ok.yaml").returncode == 0


def test_nothing_checked_fails_unless_allowed(tmp_path: Path) -> None:
    write(tmp_path, "ok.yaml", HEAD + outcome("o1", SUMMARY_RR))
    write(tmp_path, ".gradecli.yaml", "exclude: ['*.yaml']\n")
    result = check(tmp_path, ".")
    assert result.returncode == 1 and "no evidence file was checked" in result.stderr
    assert check(tmp_path, ".", "--allow-empty").returncode == 0
    (tmp_path / ".gradecli.yaml").unlink()
    assert check(tmp_path, ".").returncode == 0  # the same folder, with its file checked


def test_a_folder_without_evidence_files_fails(tmp_path: Path) -> None:
    write(tmp_path, "other.yaml", "name: not evidence\n")
    result = check(tmp_path, ".")
    assert result.returncode == 1 and "0 files" in result.stderr and "1 skipped" in result.stderr
    assert check(tmp_path, ".", "--allow-empty").returncode == 0


def test_a_crashing_file_is_a_finding_and_the_others_are_still_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gradecli.pipeline as pipeline
    from gradecli.commands.check import check as check_command

    write(tmp_path, "boom.yaml", HEAD + outcome("o1", SUMMARY_RR))
    write(tmp_path, "other.yaml", HEAD + outcome("o2", SUMMARY_RR, importance="important"))
    real = pipeline._check_file

    def crash_on_boom(path: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if path.endswith("boom.yaml"):
            raise RuntimeError("planted bug")
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "_check_file", crash_on_boom)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GRADECLI_DEBUG", raising=False)
    result = CliRunner().invoke(check_command, ["boom.yaml", "other.yaml", "--jobs", "1", "--format", "json"])
    assert result.exit_code == 3
    found = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    crash = [f for f in found if f["code"] == "GC000"]
    assert len(crash) == 1 and crash[0]["file"] == "boom.yaml" and "planted bug" in crash[0]["message"]
    assert any(f["file"] == "other.yaml" and f["code"] == "GC402" for f in found)  # the other file's finding


def _run_into_closed_pipe(*args: str, read: int = 10) -> tuple[int, bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "gradecli", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(read)
    proc.stdout.close()  # the reader goes away, as `| head -c 10` does
    err = proc.stderr.read()
    return proc.wait(timeout=120), err


@pytest.mark.parametrize(
    "args",
    [
        ("assess", "examples/ketamine-chronic-pain.yaml"),
        ("assess", "examples/ketamine-chronic-pain.yaml", "--detail"),
        ("assess", "examples/ketamine-chronic-pain.yaml", "--format", "markdown"),
        ("rules",),
        ("rules", "docs"),
        ("check", "examples/", "--notes"),
        ("meta", "--help"),
    ],
    ids=lambda a: " ".join(a),
)
def test_a_closed_pipe_ends_quietly(args: tuple[str, ...]) -> None:
    rc, err = _run_into_closed_pipe(*args)
    assert rc == 0, err
    assert b"Traceback" not in err and b"internal error" not in err


def test_an_ascii_terminal_gets_escapes_not_a_crash() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "COLUMNS": "120"}
    out = subprocess.run(
        [sys.executable, "-m", "gradecli", "assess", str(BCG)], capture_output=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode("ascii")  # nothing but ASCII reached the stream
    assert "\\u2013" in text or "\\xb7" in text  # the characters it could not encode, as escapes
