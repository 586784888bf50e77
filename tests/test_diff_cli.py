"""`gradecli diff` on the living-review example, and with --git."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, run_cli

V1 = "examples/living-review/v1-1969.yaml"
V2 = "examples/living-review/v2-1980.yaml"


def test_diff_living_review_json() -> None:
    result = run_cli("diff", V1, V2, "--format", "json")
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stdout)["outcomes"][0]
    assert entry["status"] == "changed"
    assert entry["studies_added"] == [
        "Comstock et al 1974",
        "Comstock et al 1976",
        "Frimodt-Moller et al 1973",
        "Hart & Sutherland 1977",
        "TPT Madras 1980",
        "Vandiviere et al 1973",
    ]
    assert entry["studies_removed"] == []
    assert entry["effect"]["old"]["k"] == 7 and entry["effect"]["new"]["k"] == 13
    assert {d["domain"] for d in entry["domains"]} >= {"inconsistency"}


def test_diff_markdown_and_text() -> None:
    md = run_cli("diff", V1, V2, "--format", "markdown")
    assert md.stdout.startswith("### gradecli diff:")
    assert "| Tuberculosis (any diagnosis) | + Comstock et al 1974" in md.stdout
    text = run_cli("diff", V1, V2)
    assert "studies added:" in text.stdout and "→ RR 0.489 (0.344 to 0.696), k=13" in text.stdout
    same = run_cli("diff", V2, V2)
    assert same.stdout == "No outcome changed.\n"


def test_fail_on_change(tmp_path: Path) -> None:
    assert run_cli("diff", V2, V2, "--fail-on-change").returncode == 0
    changed = tmp_path / "v3.yaml"
    changed.write_text(
        (ROOT / V2)
        .read_text(encoding="utf-8")
        .replace(
            "    judgements:\n",
            "    judgements:\n      certainty: {rating: very_low, reason: Panel judgment for this test.}\n",
        ),
        encoding="utf-8",
    )
    result = run_cli("diff", V2, str(changed), "--fail-on-change")
    assert result.returncode == 1
    assert "certainty:" in result.stdout


def test_diff_git_revision(tmp_path: Path) -> None:
    if shutil.which("git") is None:  # pragma: no cover
        import pytest

        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    shutil.copy(ROOT / V1, repo / "review.yaml")
    for cmd in (["git", "init", "-q"], ["git", "add", "review.yaml"], ["git", "commit", "-qm", "v1"]):
        subprocess.run(cmd, cwd=repo, check=True, env=env)
    shutil.copy(ROOT / V2, repo / "review.yaml")
    result = run_cli("diff", "--git", "HEAD", str(repo / "review.yaml"), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["outcomes"][0]["effect"]["old"]["k"] == 7
    bad = run_cli("diff", "--git", "nosuchrev", str(repo / "review.yaml"))
    assert bad.returncode == 2 and "git show nosuchrev" in bad.stderr


def test_diff_usage_errors() -> None:
    assert run_cli("diff", V1).returncode == 2
    assert run_cli("diff", "--git", "HEAD", V1, V2).returncode == 2
