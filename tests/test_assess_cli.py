"""`gradecli assess`, `--compare` and `gradecli rules` as a user runs them."""

from __future__ import annotations

import json

from conftest import run_cli


def test_assess_json_is_valid_deterministic_and_has_no_colour() -> None:
    first = run_cli("assess", "examples/ketamine-chronic-pain.yaml", "--format", "json")
    second = run_cli("assess", "examples/ketamine-chronic-pain.yaml", "--format", "json")
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert "\x1b[" not in first.stdout
    data = json.loads(first.stdout)
    assert data["schema_version"] == "1.5"
    rows = {o["id"]: o for o in data["outcomes"]}
    assert [rows[i]["form"] for i in ("pain-long", "depression", "opioid-use")] == ["none"] * 3
    assert rows["pain-long"]["certainty"] is None
    short = rows["pain-short"]
    imprecision = next(d for d in short["domains"] if d["domain"] == "imprecision")
    assert imprecision["proposal"]["rule"] == "IMP-CROSS"
    assert "−15.5 to 4.87" in imprecision["footnote"]  # a true minus sign, as in the table
    assert "includes both an important benefit and a trivial effect" in imprecision["footnote"]
    assert short["certainty"] == "low"  # reviewer's risk of bias (−1) + imprecision (−1)


def test_assess_table_lists_outcomes_and_footnotes() -> None:
    result = run_cli("assess", "examples/ketamine-chronic-pain.yaml", env={"COLUMNS": "220"})
    assert result.returncode == 0, result.stderr
    assert "Imprecision, downgraded one level (rule IMP-CROSS)" in result.stdout
    for name in ("Pain intensity, long term", "Depressive symptoms", "Opioid use"):
        line = next(line for line in result.stdout.splitlines() if name in line)
        assert "No studies reported this outcome." in line
    assert "Intravenous ketamine may result in an important increase in adverse events." in result.stdout


def test_compare_shows_disagreements_and_why() -> None:
    result = run_cli(
        "assess", "examples/bcg-vaccine-tuberculosis.yaml", "--rules", "default", "--compare", "pollock-2016"
    )
    assert result.returncode == 0, result.stderr
    assert "Where default and pollock-2016 disagree" in result.stdout
    # default judges the CI against the MID at each stratum's risk; Pollock counts participants
    assert "[IMP-CROSS]" in result.stdout and "[IMP-BANDS]" in result.stdout
    data = json.loads(
        run_cli(
            "assess", "examples/bcg-vaccine-tuberculosis.yaml", "--compare", "pollock-2016", "--format", "json"
        ).stdout
    )
    diff = data["compare"][0]
    assert diff["outcome"] == "tuberculosis"
    assert {d["domain"] for d in diff["domains"]} >= {"imprecision"}


def test_assess_bad_rules_and_bad_file_exit_2() -> None:
    result = run_cli("assess", "examples/bcg-vaccine-tuberculosis.yaml", "--rules", "nonesuch")
    assert result.returncode == 2
    assert "no such rule set" in result.stderr and "pollock-2016" in result.stderr
    bad = run_cli("assess", "tests/bad_inputs/sd-zero.yaml")
    assert bad.returncode == 2
    assert bad.stderr.startswith("tests/bad_inputs/sd-zero.yaml:12:")
    assert "Traceback" not in bad.stderr + result.stderr


def test_rules_list_and_show() -> None:
    listing = run_cli("rules", "list")
    assert listing.returncode == 0
    for code in ("ROB-WEIGHT", "INC-STRADDLE", "IMP-CROSS", "IMP-OIS", "PUB-EGGER", "UP-LARGE"):
        assert code in listing.stdout
    assert "pollock-2016" in listing.stdout and "extends default" in listing.stdout
    show = run_cli("rules", "show", "IMP-OIS")
    assert show.returncode == 0 and "optimal information size" in show.stdout
    ruleset = run_cli("rules", "show", "pollock-2016")
    assert json.loads(ruleset.stdout)["rules"]["IMP-BANDS"]["enabled"] is True
    unknown = run_cli("rules", "show", "IMP-CROS")
    assert unknown.returncode == 2 and "did you mean IMP-CROSS" in unknown.stderr


def test_narrow_terminal_prints_one_block_per_outcome() -> None:
    result = run_cli(
        "assess", "examples/ketamine-chronic-pain.yaml", "--comparison", "iv-ketamine", env={"COLUMNS": "80"}
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "┏" not in result.stdout  # no table whose header words would be folded
    assert "  Certainty (GRADE): ⊕◯◯◯ VERY LOW a,b" in lines
    assert "  Risk with Intravenous ketamine: MD 15.8 lower (32.1 lower to 0.51 higher)" in lines
    assert lines.count("  No studies reported this outcome.") == 3
    flowing = " ".join(result.stdout.split())  # the statement may wrap at 80 columns
    assert "Intravenous ketamine may result in an important increase in adverse events." in flowing
