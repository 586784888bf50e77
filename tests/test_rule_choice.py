"""One rule-set resolver for every command (gradecli.pipeline.choose_rules): the command line, then
the evidence file's `defaults.rules`, then `.gradecli.yaml`, then `default`.

Before it, `gradecli check` ignored a file's `defaults.rules`: a file saying `rules: pollock-2016`
was *moderate* under `assess` and *very low* under `check`, which then raised a false GC201 and
exited 1. Each test here runs the real commands and requires the same certainty from each.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gradecli.pipeline import RuleChoice, choose_rules

ROOT = Path(__file__).resolve().parent.parent
BCG = ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gradecli", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def certainty(cwd: Path, *args: str) -> str:
    out = run(cwd, "assess", *args, "--format", "json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["outcomes"][0]["certainty"]


def bcg(tmp_path: Path, rules: str | None, recorded: str | None = None) -> Path:
    """The BCG example with `defaults.rules` (and the authors' recorded certainty) set."""
    text = BCG.read_text(encoding="utf-8")
    if rules is not None:
        text = text.replace("defaults:\n", f"defaults:\n  rules: {rules}\n", 1)
    if recorded is not None:
        critical = "    importance: critical\n"
        text = text.replace(critical, f"{critical}    recorded_certainty: {recorded}\n", 1)
    path = tmp_path / "review.yaml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / ".git").mkdir(exist_ok=True)  # the repository root: .gradecli.yaml is looked up to here
    return path


def test_precedence() -> None:
    class Ev:  # the one attribute choose_rules reads
        class defaults:
            rules = "from-file"

    assert choose_rules("cli", Ev(), "config") == RuleChoice("cli", "command line")  # type: ignore[arg-type]
    assert choose_rules(None, Ev(), "config") == RuleChoice("from-file", "evidence file")  # type: ignore[arg-type]
    assert choose_rules(None, None, "config") == RuleChoice("config", ".gradecli.yaml")
    assert choose_rules(None, None, None) == RuleChoice("default", "default")


def test_every_command_honours_the_files_rule_set(tmp_path: Path) -> None:
    # pollock-2016 and default disagree on this file (moderate against very low)
    assert certainty(tmp_path, str(BCG)) == "very_low"
    path = bcg(tmp_path, "pollock-2016", recorded="moderate")
    assessed = certainty(tmp_path, str(path))
    assert assessed == "moderate"

    checked = run(tmp_path, "check", str(path), "--format", "json")
    codes = [json.loads(line)["code"] for line in checked.stdout.splitlines() if line.strip()]
    assert "GC201" not in codes, checked.stdout  # the recorded certainty is what the file supports
    assert checked.returncode == 0, checked.stdout + checked.stderr

    diffed = run(tmp_path, "diff", str(path), str(path), "--format", "json")
    assert diffed.returncode == 0, diffed.stderr
    assert json.loads(diffed.stdout)["outcomes"][0]["certainty"]["new"] == assessed

    pytest.importorskip("matplotlib")
    report = tmp_path / "report.html"
    done = run(tmp_path, "report", str(path), "-o", str(report))
    assert done.returncode == 0, done.stderr
    html = report.read_text(encoding="utf-8")
    levels = re.findall(r'<span class="level ([a-z-]+)">', html)  # the certainty cells of the table
    assert levels and set(levels) == {"moderate"}, levels


def test_check_with_the_wrong_rule_set_reports_the_difference(tmp_path: Path) -> None:
    """The test above can fail: under --rules default the same file is very low, and check says so."""
    path = bcg(tmp_path, "pollock-2016", recorded="moderate")
    checked = run(tmp_path, "check", str(path), "--rules", "default", "--format", "json")
    codes = [json.loads(line)["code"] for line in checked.stdout.splitlines() if line.strip()]
    assert "GC201" in codes and checked.returncode == 1


def test_command_line_beats_file_beats_config_beats_default(tmp_path: Path) -> None:
    plain = bcg(tmp_path, None)
    (tmp_path / ".gradecli.yaml").write_text("rules: pollock-2016\n", encoding="utf-8")
    assert certainty(tmp_path, str(plain)) == "moderate"  # the config's rule set
    assert certainty(tmp_path, str(plain), "--rules", "default") == "very_low"  # the command line's
    with_file = bcg(tmp_path, "default")
    assert certainty(tmp_path, str(with_file)) == "very_low"  # the file's, over the config's
    checked = run(tmp_path, "check", str(with_file), "--format", "json")
    assert checked.returncode in (0, 1), checked.stderr


def test_plot_draws_the_thresholds_of_the_chosen_rule_set(tmp_path: Path) -> None:
    """`plot forest` reads the judging scale from the assessment made under the file's rule set."""
    pytest.importorskip("matplotlib")
    smoking = ROOT / "examples" / "passive-smoking-lung-cancer.yaml"
    out_default = tmp_path / "default.svg"
    done = run(tmp_path, "plot", "forest", str(smoking), "-o", str(out_default))
    assert done.returncode == 0, done.stderr
    assessed = json.loads(run(tmp_path, "assess", str(smoking), "--format", "json").stdout)
    labels = [r["label"] for r in assessed["outcomes"][0]["judging_scale"]["references"]]
    svg = out_default.read_text(encoding="utf-8")
    for label in labels:
        assert label in svg  # the thresholds the assessment judged against are the ones drawn
