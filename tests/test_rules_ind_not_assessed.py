"""IND-NOT-ASSESSED (gradecli/grade/rules/ind_not_assessed.py): the PASS and FAIL examples of its documentation."""

from __future__ import annotations

from test_grade_helpers import assess_one, dom, summary_outcome

from gradecli.grade.rules.ind_not_assessed import IndNotAssessed


def test_pass_the_reviewer_judges_it():
    j = {"indirectness": {"rating": "not_serious", "reason": "Same population, intervention and outcome."}}
    d = dom(assess_one(summary_outcome(0.8, (0.7, 0.9), judgements=j)), "indirectness")
    assert d.rating.value == "not_serious" and d.status == "judged"


def test_fail_without_a_judgment_it_is_not_assessed():
    proposal = IndNotAssessed.judge()
    assert proposal.rating is None and proposal.rule == "IND-NOT-ASSESSED"
    oa = assess_one(summary_outcome(0.8, (0.7, 0.9)))
    d = dom(oa, "indirectness")
    assert d.status == "not_assessed" and d.proposal == proposal and "indirectness" in oa.not_assessed
