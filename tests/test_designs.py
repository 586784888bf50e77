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


# -- W11: randomised and non-randomised studies in one outcome: two bodies, never one number --------

W11_STUDIES = [
    *({"id": f"R{i}", "design": "rct"} for i in range(1, 4)),
    *(
        {"id": f"C{i}", "design": "nrsi", "risk_of_bias": {"tool": "robins-i", "overall": j}}
        for i, j in enumerate(("serious", "serious", "serious", "moderate", "critical"), start=1)
    ),
]


def w11(rules: str = "default"):
    import math as m

    rows = [
        {"study": "R1", "yi": m.log(0.85), "sei": 0.18, "participants": 400},
        {"study": "R2", "yi": m.log(0.90), "sei": 0.20, "participants": 380},
        {"study": "R3", "yi": m.log(0.89), "sei": 0.19, "participants": 370},
        *({"study": f"C{i}", "yi": m.log(0.7), "sei": 0.15, "participants": 900} for i in range(1, 6)),
    ]
    out = {"id": "mort", "name": "Mortality", "importance": "critical", "type": "generic", "measure": "RR",
           "analysis": {"model": "fixed", "method": "IV"}, "data": rows}  # fmt: skip
    ev = Evidence.model_validate({"gradecli": 1, "review": {"title": "T"}, "studies": W11_STUDIES, "outcomes": [out]})
    assert not check_evidence(ev)
    return gradecli.assess(ev, rules=rules).outcomes


def test_w11_two_rows_each_with_its_own_start_and_pooling():
    rct, nrsi = w11()
    assert (rct.id, rct.body, rct.source_id) == ("mort-rct", "rct", "mort")
    assert (nrsi.id, nrsi.body) == ("mort-nrsi", "nrsi")
    assert rct.name == "Mortality (randomised trials)" and nrsi.name == "Mortality (non-randomised studies)"
    assert rct.effect.k == 3 and rct.effect.participants == 1150
    assert {r.study for r in rct.rows} == {"R1", "R2", "R3"}
    assert rct.start.value == "high"
    # GRADE 18: non-randomised studies assessed with ROBINS-I start High, and serious risk of bias
    # brings them down at least two levels (the default); Core GRADE 4 starts them Low
    assert nrsi.start.value == "high" and "ROBINS-I" in nrsi.start_reason
    rob = next(d for d in nrsi.domains if d.domain == "risk_of_bias")
    assert rob.levels == 2 and rob.proposal.rule == "ROB-WEIGHT"  # serious-dominated → −2: High → Low
    assert nrsi.computed_certainty.value == "low"
    core_rct, core_nrsi = w11("core-grade")
    assert core_nrsi.start.value == "low" and core_rct.start.value == "high"


def test_w11_check_places_both_bodies_at_the_outcome(tmp_path: Path):
    import yaml

    (tmp_path / ".git").mkdir()
    out = {"id": "mort", "name": "Mortality", "importance": "critical", "type": "dichotomous",
           "data": [{"study": "R1", "events_t": 5, "n_t": 50, "events_c": 9, "n_c": 50},
                    {"study": "C1", "events_t": 7, "n_t": 60, "events_c": 12, "n_c": 60}]}  # fmt: skip
    doc = {"gradecli": 1, "review": {"title": "T"}, "studies": W11_STUDIES[:1] + W11_STUDIES[3:4], "outcomes": [out]}
    (tmp_path / "f.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = run_cli("check", "f.yaml", "--format", "json", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    import json

    found = [json.loads(x) for x in result.stdout.splitlines()]
    bodies = {f["outcome"] for f in found if f["outcome"]}
    assert bodies <= {"mort-rct", "mort-nrsi"} and bodies
    first = yaml.safe_dump(doc, sort_keys=False).splitlines().index("outcomes:") + 2
    assert all(f["line"] >= first for f in found if f["outcome"])
