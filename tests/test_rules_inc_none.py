"""INC-NONE (gradecli/grade/rules/inc_none.py): the PASS and FAIL examples of its documentation."""

from __future__ import annotations

from test_grade_helpers import assess_one, dom, rule_context, summary_outcome

from gradecli.grade.rules.inc_none import IncNone, IncNoneSettings


def test_pass_a_summary_with_i2_and_inc_i2_decides():
    out = summary_outcome(0.8, (0.7, 0.9), summary_extra={"i2": 30})
    ctx, _, rules = rule_context(out)
    assert IncNone.judge(ctx, rules.settings(IncNone)) is None


def test_fail_a_summary_without_i2_is_not_assessed_or_serious():
    out = summary_outcome(0.8, (0.7, 0.9), studies=3)
    ctx, _, _ = rule_context(out)
    proposal = IncNone.judge(ctx, IncNoneSettings())
    assert proposal is not None and proposal.rule == "INC-NONE" and proposal.rating is None
    serious = IncNone.judge(ctx, IncNoneSettings(i2_not_reported="serious"))
    assert serious is not None and serious.rating is not None and serious.rating.value == "serious"
    assert dom(assess_one(out), "inconsistency").proposal == proposal
    assert dom(assess_one(out, None, "pollock-2016"), "inconsistency").proposal == serious
