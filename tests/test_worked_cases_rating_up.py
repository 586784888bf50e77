"""The rulebook's worked case W12, rating up (shared/methods/grade-methods.md §14; §8 R8.1), as the
proposal, the levels, the certainty and the facts the case implies.

W12: 3 consistent, rigorous cohorts, no serious downgrades; OR 0.20 (0.14–0.29), assumed risk 30% →
RR 0.26 (0.19–0.37): +2 on the OR, but large, not very large, after conversion → propose +1,
needs_confirmation; LOW → MODERATE only once the reviewer confirms no plausible confounders. A single
cohort, RR 0.28 (0.18–0.44) → no proposal.

The conversion, by hand: RR = OR / (1 − ACR + ACR·OR) with ACR = 0.3 —
  estimate 0.20 / (0.7 + 0.3·0.20) = 0.20 / 0.760 = 0.2632,
  lower    0.14 / (0.7 + 0.3·0.14) = 0.14 / 0.742 = 0.1887,
  upper    0.29 / (0.7 + 0.3·0.29) = 0.29 / 0.787 = 0.3685.
The whole CI lies below 0.5 (0.3685 < 0.5) but not below 0.2 (0.1887 < 0.2 < 0.3685) → +1. On the OR
itself the estimate 0.20 is a five-fold reduction ("at least five-fold": +2), though its upper limit
0.29 is above 0.2, so gradecli's whole-CI rule gives +1 there too (checked below).

Other domains are the reviewer's "not serious", as the rulebook says ("other domains assessed and not
serious unless stated"); imprecision is left to gradecli (3,000 participants, no CI crossing).
"""

from __future__ import annotations

from typing import Any

import pytest

import gradecli
from gradecli.grade.assessment import OutcomeAssessment, UpgradeAssessment
from gradecli.grade.rules.up_large import odds_to_risk_ratio
from gradecli.grade.ruleset import RuleSet, load_ruleset
from gradecli.model.checks import check_evidence
from gradecli.model.evidence import Evidence

NOT_SERIOUS = {"rating": "not_serious", "reason": "Assessed for the worked case: no concern."}
ASSESSED = {d: NOT_SERIOUS for d in ("risk_of_bias", "inconsistency", "indirectness", "publication_bias")}
QUESTION = {"population": "Adults", "intervention": "Drug X", "comparison": "No drug X"}
COHORTS = [{"id": f"Cohort {i}", "design": "nrsi"} for i in (1, 2, 3)]
CONFIRMED = {"levels": 1, "reason": "No plausible confounder would explain a four-fold reduction."}


def run(
    summary: dict[str, Any],
    studies: list[dict[str, Any]],
    judged: dict[str, Any] | None = None,
    rules: RuleSet | str = "default",
    assessed: dict[str, Any] = ASSESSED,
    **outcome: Any,
) -> OutcomeAssessment:
    o = {"id": "y", "name": "Mortality", "importance": "critical", "type": "dichotomous", "summary": summary}
    o["judgements"] = {**assessed, **(judged or {})}
    o.update(outcome)
    ev = Evidence.model_validate(
        {"gradecli": 1, "review": {"title": "W12", "question": QUESTION}, "studies": studies, "outcomes": [o]}
    )
    assert not check_evidence(ev)
    return gradecli.assess(ev, rules=rules).outcomes[0]


def large(o: OutcomeAssessment) -> UpgradeAssessment:
    return next(u for u in o.upgrades if u.domain == "large_effect")


def w12(judged: dict[str, Any] | None = None, rules: RuleSet | str = "default", risk: float | None = 0.3):
    summary = {"estimate": 0.20, "ci": [0.14, 0.29], "participants": 3000, "studies": 3}
    extra = {"assumed_risk": {"value": risk}} if risk is not None else {}
    return run(summary, COHORTS, judged, rules, measure="OR", **extra)


def test_w12_the_conversion_by_hand():
    assert odds_to_risk_ratio(0.20, 0.3) == pytest.approx(0.2632, abs=5e-5)
    assert odds_to_risk_ratio(0.14, 0.3) == pytest.approx(0.1887, abs=5e-5)
    assert odds_to_risk_ratio(0.29, 0.3) == pytest.approx(0.3685, abs=5e-5)


def test_w12_large_not_very_large_after_conversion_proposed_plus_one_for_confirmation():
    o = w12()
    assert o.start.value == "low" and o.points == 0
    assert all(d.levels == 0 for d in o.domains)  # no serious downgrades (imprecision: gradecli's own)
    u = large(o)
    assert u.rule == "UP-LARGE" and u.status == "proposed"
    assert u.proposed_levels == 1 and u.levels == 0 and u.needs_confirmation
    assert u.facts[0].endswith("RR 0.26 (95% CI 0.19 to 0.37)") and "comparator risk of 30%" in u.facts[0]
    assert "lies below 0.5 (not below 0.2): a large effect" in u.facts[1]
    assert u.facts[-1].startswith(
        "LOW → MODERATE once the reviewer confirms no plausible confounders would explain the effect"
    )
    assert u.path == [
        "OR → RR at 30%: RR 0.26 (95% CI 0.19 to 0.37)",
        "the whole 95% CI below 0.5 (not below 0.2) → a large effect, +1",
        "3 studies; nothing rated down",
        "+1 proposed: needs the reviewer's confirmation",
    ]
    # LOW stays LOW until the reviewer confirms: no footnote, the certainty is not rated up
    assert o.computed_certainty.value == "low" and u.footnote is None
    assert not any(f.startswith("Large effect") for f in o.footnotes)


def test_w12_once_confirmed_low_becomes_moderate():
    o = w12({"large_effect": CONFIRMED})
    u = large(o)
    assert u.status == "confirmed" and u.levels == 1 and u.proposed_levels == 1
    assert u.path[-1] == "confirmed by the reviewer"
    assert o.computed_certainty.value == "moderate" and o.certainty.value == "moderate"
    assert u.footnote == (
        "Large effect, upgraded one level (rule UP-LARGE, confirmed by the reviewer): "
        "No plausible confounder would explain a four-fold reduction."
    )
    assert u.footnote in o.footnotes


def test_w12_two_levels_would_be_an_override_of_the_proposal():
    o = w12({"large_effect": {**CONFIRMED, "levels": 2}})
    assert large(o).status == "overridden" and o.computed_certainty.value == "high"


def test_w12_plus_two_on_the_odds_ratio_but_plus_one_after_conversion():
    # the estimate as basis (whole_ci false): OR 0.20 is five-fold (+2); RR 0.263 is not (+1)
    estimate = load_ruleset("default").model_dump(mode="json")
    estimate["rules"]["UP-LARGE"]["whole_ci"] = False
    rules = RuleSet.model_validate({**estimate, "name": "estimate"})
    imprecision = {"imprecision": NOT_SERIOUS}  # without a comparator risk gradecli cannot judge it
    unconverted = large(w12(imprecision, rules, risk=None))
    assert unconverted.proposed_levels == 2
    assert any("may overstate the effect" in f for f in unconverted.facts)
    assert large(w12(None, rules)).proposed_levels == 1
    # gradecli's default, the whole CI: the OR's upper limit 0.29 is above 0.2, so +1 either way
    assert large(w12(imprecision, risk=None)).proposed_levels == 1


def test_w12_a_single_cohort_gets_no_proposal():
    # one cohort: inconsistency is not applicable (INC-SINGLE), so the reviewer does not judge it
    summary = {"estimate": 0.28, "ci": [0.18, 0.44], "participants": 3000, "studies": 1}
    assessed = {d: NOT_SERIOUS for d in ("risk_of_bias", "indirectness", "publication_bias")}
    o = run(summary, COHORTS[:1], assessed=assessed, assumed_risk={"value": 0.3})
    assert next(d for d in o.domains if d.domain == "inconsistency").status == "not_applicable"
    u = large(o)
    assert u.proposed_levels == 0 and u.levels == 0 and not u.needs_confirmation
    assert "the whole 95% CI lies below 0.5 (not below 0.2)" in u.facts[1]  # large by its size alone
    assert u.facts[-1].startswith("no proposal: a single study (k = 1)")
    assert u.path[-1].startswith("no proposal: a single study")
    assert o.computed_certainty.value == "low"
    # the same effect from two cohorts is proposed
    two = run({**summary, "studies": 2}, COHORTS[:2], assumed_risk={"value": 0.3})
    assert large(two).proposed_levels == 1


def test_w12_dose_response_and_residual_confounding_are_prompts_never_upgrades():
    o = w12()
    for name in ("dose_response", "residual_confounding"):
        u = next(x for x in o.upgrades if x.domain == name)
        assert u.rule == "UP-JUDGED" and u.proposed_levels == 0 and u.levels == 0 and u.status == "not_assessed"
        assert u.facts[0].startswith("studies: 3 non-randomised (Cohort 1, Cohort 2, Cohort 3")
    dose = next(x for x in o.upgrades if x.domain == "dose_response")
    assert any(f.startswith("no dose data are recorded in the file") for f in dose.facts)
    confounding = next(x for x in o.upgrades if x.domain == "residual_confounding")
    assert "the effect: OR 0.20 (95% CI 0.14 to 0.29), a reduction" in confounding.facts
