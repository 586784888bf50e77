"""IMP-NONE (gradecli/grade/rules/imp_none.py): the PASS and FAIL examples of its documentation."""

from __future__ import annotations

from test_grade_helpers import assess_one, dom, summary_outcome

from gradecli.grade.rules.imp_none import ImpNone


def md(**kw):
    return summary_outcome(2.0, (1.0, 3.0), type="continuous", measure="MD", **kw)


def test_pass_with_a_threshold_imp_cross_decides():
    assert dom(assess_one(md(participants=None, thresholds={"mid": 0.5})), "imprecision").proposal.rule == "IMP-CROSS"


def test_fail_nothing_to_judge_is_not_assessed():
    d = dom(assess_one(md(participants=None)), "imprecision")
    assert d.status == "not_assessed" and d.proposal.rule == "IMP-NONE"
    assert d.proposal == ImpNone.judge(["no threshold to judge the CI against: give thresholds.mid"])
