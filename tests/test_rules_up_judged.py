"""UP-JUDGED (gradecli/grade/rules/up_judged.py): the PASS and FAIL examples of its documentation."""

from __future__ import annotations

from test_grade_helpers import assess_one, summary_outcome, up

from gradecli.grade.rules.up_judged import UpJudged

NRSI = [{"id": "N1", "design": "nrsi"}]
ROB = {"risk_of_bias": {"rating": "not_serious", "reason": "Well-conducted cohorts."}}


def test_pass_the_reviewer_rates_up_dose_response():
    j = {**ROB, "dose_response": {"levels": 1, "reason": "Clear gradient across three doses"}}
    u = up(assess_one(summary_outcome(1.3, (1.2, 1.5), judgements=j), NRSI), "dose_response")
    assert u.levels == 1 and u.rule is None


def test_fail_nothing_is_proposed_without_a_judgment():
    assert not UpJudged.configurable
    oa = assess_one(summary_outcome(1.3, (1.2, 1.5), judgements=ROB), NRSI)
    for name in ("dose_response", "residual_confounding"):
        u = up(oa, name)
        assert u.proposed_levels == 0 and u.levels == 0 and u.status == "not_assessed"
