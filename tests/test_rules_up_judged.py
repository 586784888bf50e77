"""UP-JUDGED (gradecli/grade/rules/up_judged.py): the PASS and FAIL examples of its documentation, and
the prompts for a dose–response gradient and residual confounding (facts, never levels)."""

from __future__ import annotations

from test_grade_helpers import assess_one, summary_outcome, up

from gradecli.grade.rules.up_judged import UpJudged

NRSI = [{"id": "N1", "design": "nrsi"}]
ROB = {"risk_of_bias": {"rating": "not_serious", "reason": "Well-conducted cohorts."}}


def test_pass_the_reviewer_rates_up_dose_response():
    j = {**ROB, "dose_response": {"levels": 1, "reason": "Clear gradient across three doses"}}
    oa = assess_one(summary_outcome(1.3, (1.2, 1.5), judgements=j), NRSI)
    u = up(oa, "dose_response")
    # nothing was proposed, so the reviewer's levels are a judgment ("judged"), not an override
    assert u.levels == 1 and u.status == "judged" and u.rule == "UP-JUDGED" and not u.needs_confirmation
    assert "Clear gradient across three doses" in u.footnote and "reviewer's judgment" in u.footnote


def test_fail_nothing_is_proposed_without_a_judgment():
    assert not UpJudged.configurable
    oa = assess_one(summary_outcome(1.3, (1.2, 1.5), judgements=ROB), NRSI)
    for name in ("dose_response", "residual_confounding"):
        u = up(oa, name)
        assert u.proposed_levels == 0 and u.levels == 0 and u.status == "not_assessed"
        assert u.rule == "UP-JUDGED" and u.path[-1] == "nothing proposed" and u.footnote is None


def test_the_dose_response_prompt_says_no_dose_data_are_recorded():
    studies = [{"id": f"Cohort {i}", "design": "nrsi"} for i in range(1, 8)]
    u = up(assess_one(summary_outcome(1.3, (1.2, 1.5), judgements=ROB), studies), "dose_response")
    assert u.facts[0] == (
        "studies: 7 non-randomised (Cohort 1, Cohort 2, Cohort 3, Cohort 4, Cohort 5 and 2 more; "
        "the file does not say cohort or case-control)"
    )
    assert any(f.startswith("no dose data are recorded in the file") for f in u.facts)
    assert any("judgements.dose_response" in f for f in u.facts)


def test_the_residual_confounding_prompt_gives_the_effect_and_the_risk_of_bias():
    studies = [
        {"id": "A", "design": "nrsi", "risk_of_bias": {"tool": "robins-i", "overall": "moderate"}},
        {"id": "B", "design": "nrsi", "risk_of_bias": {"tool": "robins-i", "overall": "moderate"}},
        {"id": "C", "design": "nrsi"},
    ]
    u = up(assess_one(summary_outcome(0.6, (0.5, 0.7), judgements=ROB), studies), "residual_confounding")
    assert "the effect: RR 0.60 (95% CI 0.50 to 0.70), a reduction" in u.facts
    assert "risk of bias: ROBINS-I moderate — A, B; not assessed — C" in u.facts
    assert any("judgements.residual_confounding" in f for f in u.facts)
    none = up(assess_one(summary_outcome(1.0, (0.8, 1.25), judgements=ROB), NRSI), "residual_confounding")
    assert "the effect: RR 1.00 (95% CI 0.80 to 1.25), a CI that includes no effect" in none.facts


def test_no_prompt_for_randomised_trials():
    oa = assess_one(summary_outcome(0.6, (0.5, 0.7), judgements=ROB), [{"id": "R", "design": "rct"}])
    for name in ("dose_response", "residual_confounding"):
        u = up(oa, name)
        assert u.rule is None and u.facts == [] and u.path == [] and u.status == "not_assessed"
