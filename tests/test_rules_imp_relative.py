"""IMP-RELATIVE (gradecli/grade/rules/imp_relative.py): the PASS and FAIL examples of its documentation."""

from __future__ import annotations

from test_grade_helpers import assess_one, dom, rule_context, summary_outcome

from gradecli.grade.rules.imp_relative import ImpRelative


def judge(out, rules="default"):
    ctx, scale, ruleset = rule_context(out, None, rules)
    return ImpRelative.judge(ctx, ruleset.settings(ImpRelative), scale)


def test_pass_one_relative_crossing_is_flagged_not_rated_down():
    out = summary_outcome(0.80, (0.70, 0.92))
    proposal = judge(out)
    assert proposal is not None and proposal.rule == "IMP-RELATIVE" and proposal.rating.value == "not_serious"
    assert any("give an assumed_risk" in f for f in proposal.facts)
    assert dom(assess_one(out), "imprecision").proposal.rule == "IMP-RELATIVE"


def test_fail_both_thresholds_is_very_serious():
    proposal = judge(summary_outcome(1.0, (0.6, 1.6)))
    assert proposal is not None and proposal.rating.value == "very_serious"


def test_fail_one_crossing_under_strict_is_serious():
    out = summary_outcome(0.80, (0.70, 0.92))
    proposal = judge(out, "strict")
    assert proposal is not None and proposal.rating.value == "serious"
    assert dom(assess_one(out, None, "strict"), "imprecision").rating.value == "serious"


def test_does_not_apply_without_a_crossing_or_with_an_assumed_risk():
    assert judge(summary_outcome(0.9, (0.85, 0.95))) is None  # IMP-CROSS: no crossing
    absolute = summary_outcome(0.80, (0.70, 0.92), thresholds={"mid": 20}, assumed_risk={"value": 0.3})
    assert judge(absolute) is None  # judged on the absolute scale (IMP-CROSS)
