"""INC-SINGLE (gradecli/grade/rules/inc_single.py): the PASS and FAIL examples of its documentation."""

from __future__ import annotations

from test_grade_helpers import assess_one, dom, rule_context, summary_outcome

from gradecli.grade.rules.inc_single import IncSingle


def test_pass_three_studies_and_inc_i2_decides():
    out = summary_outcome(0.8, (0.7, 0.9), studies=3, summary_extra={"i2": 10})
    ctx, _, _ = rule_context(out)
    assert IncSingle.judge(ctx) is None
    assert dom(assess_one(out), "inconsistency").proposal.rule == "INC-I2"


def test_fail_one_study_is_not_applicable():
    out = summary_outcome(0.8, (0.7, 0.9), studies=1)
    ctx, _, _ = rule_context(out)
    proposal = IncSingle.judge(ctx)
    assert proposal is not None and proposal.rating.value == "not_serious" and proposal.applicable is False
    d = dom(assess_one(out), "inconsistency")
    assert d.status == "not_applicable" and d.proposal == proposal
