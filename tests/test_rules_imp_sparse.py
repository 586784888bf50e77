"""IMP-SPARSE (gradecli/grade/rules/imp_sparse.py): the PASS and FAIL examples of its documentation."""

from __future__ import annotations

from test_grade_helpers import assess_one, dom, rule_context, summary_outcome, with_rules

from gradecli.grade.rules.imp_sparse import ImpSparse


def narrow(n):
    return summary_outcome(0.9, (0.85, 0.95), participants=n, studies=2)  # crosses no threshold


def test_pass_120_participants():
    ctx, _, rules = rule_context(narrow(120))
    assert ImpSparse.judge(ctx, rules.settings(ImpSparse)) is None
    d = dom(assess_one(narrow(120)), "imprecision")
    assert d.proposal.rule == "IMP-CROSS" and d.rating.value == "not_serious"


def test_fail_80_participants():
    ctx, _, rules = rule_context(narrow(80))
    proposal = ImpSparse.judge(ctx, rules.settings(ImpSparse))
    assert proposal is not None and proposal.rule == "IMP-SPARSE" and proposal.rating.value == "serious"
    d = dom(assess_one(narrow(80)), "imprecision")
    assert d.proposal.rule == "IMP-SPARSE" and d.proposal.explanation == "only 80 participants (fewer than 100)"


def test_the_minimum_is_a_setting_and_the_check_can_be_skipped():
    assert dom(assess_one(narrow(150), None, "strict"), "imprecision").proposal.rule == "IMP-SPARSE"  # < 200
    d = dom(assess_one(narrow(80), None, with_rules(IMP_SPARSE={"enabled": False})), "imprecision")
    assert d.proposal.rule == "IMP-CROSS" and d.rating.value == "not_serious"
