"""ROB-NONE (gradecli/grade/rules/rob_none.py): the PASS and FAIL examples of its documentation."""

from __future__ import annotations

from test_grade_helpers import FIXED, assess_one, dom, generic_rows, outcome, rct, rule_context

from gradecli.grade.rules.rob_none import RobNone


def body(judgments):
    ids = list(judgments)
    rows = generic_rows([0.0] * len(ids), [1.0] * len(ids), ids=ids)
    return outcome(type="generic", measure="GENERIC", data=rows, analysis=FIXED), [rct(s, judgments[s]) for s in ids]


def test_pass_one_study_with_a_judgment_and_rob_weight_decides():
    out, studies = body({"A": "low", "B": None, "C": None})
    ctx, _, _ = rule_context(out, studies)
    assert RobNone.judge(ctx) is None
    assert dom(assess_one(out, studies), "risk_of_bias").proposal.rule == "ROB-WEIGHT"


def test_fail_no_study_has_a_judgment_is_not_assessed():
    out, studies = body({"A": None, "B": None, "C": None})
    ctx, _, _ = rule_context(out, studies)
    proposal = RobNone.judge(ctx)
    assert proposal is not None and proposal.rule == "ROB-NONE" and proposal.rating is None
    d = dom(assess_one(out, studies), "risk_of_bias")
    assert d.status == "not_assessed" and d.proposal == proposal
