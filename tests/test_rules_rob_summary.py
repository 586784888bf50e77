"""ROB-SUMMARY (gradecli/grade/rules/rob_summary.py): the PASS and FAIL examples of its documentation."""

from __future__ import annotations

from test_grade_helpers import FIXED, assess_one, dom, generic_rows, outcome, rct, rule_context, summary_outcome

from gradecli.grade.rules.rob_summary import RobSummary


def test_pass_per_study_rows_and_rob_weight_decides():
    out = outcome(type="generic", measure="GENERIC", data=generic_rows([0.0, 0.1], [1.0, 1.0]), analysis=FIXED)
    studies = [rct("S1", "low"), rct("S2", "low")]
    ctx, _, _ = rule_context(out, studies)
    assert RobSummary.judge(ctx) is None
    assert dom(assess_one(out, studies), "risk_of_bias").proposal.rule == "ROB-WEIGHT"


def test_fail_a_summary_is_not_assessed():
    out = summary_outcome(0.8, (0.7, 0.9))
    ctx, _, _ = rule_context(out)
    proposal = RobSummary.judge(ctx)
    assert proposal is not None and proposal.rule == "ROB-SUMMARY" and proposal.rating is None
    assert dom(assess_one(out), "risk_of_bias").proposal == proposal
