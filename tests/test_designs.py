"""Study designs and the starting level (GRADE 24, GRADE 18; rulebook R1.3): a summary-level result
states its own design and never borrows the design of the file's other studies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import gradecli
from conftest import run_cli
from gradecli.model.checks import check_evidence
from gradecli.model.evidence import Evidence

SUMMARY = {"estimate": 0.8, "ci": [0.7, 0.9], "participants": 5000, "studies": 5}


def start(summary: dict[str, Any], studies: list[dict[str, Any]], rules: str = "default"):
    out = {"id": "o", "name": "Death", "importance": "critical", "type": "dichotomous", "summary": summary}
    ev = Evidence.model_validate({"gradecli": 1, "review": {"title": "T"}, "studies": studies, "outcomes": [out]})
    assert not check_evidence(ev)
    o = gradecli.assess(ev, rules=rules).outcomes[0]
    return o.start.value, o.start_reason


RCTS = [{"id": "R1", "design": "rct"}, {"id": "R2", "design": "rct"}]
COHORTS = [{"id": "C1", "design": "nrsi"}]


@pytest.mark.parametrize(("design", "level"), [("rct", "high"), ("nrsi", "low"), ("mixed", "low")])
def test_a_summary_states_its_design(design: str, level: str):
    # the file's other studies are randomised trials: a cohort result does not borrow their start
    got, why = start({**SUMMARY, "design": design}, RCTS)
    assert got == level
    assert "summary.design" not in why


def test_without_a_design_the_start_is_taken_from_a_single_design_and_flagged():
    assert start(SUMMARY, COHORTS)[0] == "low"
    got, why = start(SUMMARY, [*RCTS, *COHORTS])
    assert got == "high" and "give summary.design" in why


def test_check_warns_when_a_summary_states_no_design(tmp_path: Path):
    text = (
        "gradecli: 1\nreview: {title: T}\noutcomes:\n  - id: o\n    name: Death\n    importance: critical\n"
        "    type: dichotomous\n    summary: {estimate: 0.8, ci: [0.7, 0.9], participants: 5000, studies: 5}\n"
    )
    (tmp_path / ".git").mkdir()
    (tmp_path / "f.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "f.yaml", cwd=tmp_path)
    line = next(x for x in result.stdout.splitlines() if "GC106" in x)
    assert line.startswith("f.yaml:8:") and "warning" in line
