"""Publication bias, indirectness, rating up, reviewer judgments and the certainty override.

Egger's test: with a fixed-effect model gradecli runs metafor's ``regtest`` as a weighted regression
of yᵢ on SEᵢ (weights 1/SEᵢ²) with a z-test — reproduced independently by ``egger_fixed``. With
yᵢ = b·SEᵢ exactly, the slope is b and its p value depends only on b and the SEs, so any p can be
dialled in.
"""

from __future__ import annotations

import pytest
from scipy import stats
from test_grade_helpers import (
    FIXED,
    assess_one,
    dom,
    egger_fixed,
    generic_rows,
    make_evidence,
    outcome,
    summary_outcome,
    up,
)

import gradecli
from gradecli.io.evidence import parse_evidence
from gradecli.problems import InputError

SES = [0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65]


def slope_for_p(p: float, ses: list[float]) -> float:
    """The slope b such that yᵢ = b·SEᵢ gives Egger's two-sided p = p (z-test)."""
    _, p1 = egger_fixed([s for s in ses], ses)  # b = 1
    z1 = stats.norm.isf(p1 / 2)
    return stats.norm.isf(p / 2) / z1


def funnel(slope: float, k: int, benefit: str | None = "lower"):
    ses = SES[:k]
    ys = [slope * s for s in ses]
    extra = {"benefit": benefit} if benefit else {}
    return outcome(type="generic", measure="GENERIC", data=generic_rows(ys, ses), analysis=FIXED, **extra), ys, ses


def pub(out, rules="default"):
    oa = assess_one(out, None, rules)
    return dom(oa, "publication_bias"), oa


def test_fewer_than_10_studies_is_not_assessed():
    out, _, _ = funnel(-5.0, 9)
    d, _ = pub(out)
    assert d.rating is None and d.status == "not_assessed" and d.proposal.rule == "PUB-FEW"
    assert "9 studies" in d.proposal.facts[0]


@pytest.mark.parametrize(("p", "expected"), [(0.09, "serious"), (0.11, "not_serious")])
def test_egger_p_around_0_10(p, expected):
    b = -slope_for_p(p, SES[:10])  # negative slope: smaller studies (larger SE) show lower values
    out, ys, ses = funnel(b, 10, benefit="lower")  # lower is better: the small studies show more benefit
    assert egger_fixed(ys, ses)[1] == pytest.approx(p)
    d, oa = pub(out)
    assert oa.effect.egger_p == pytest.approx(p, rel=1e-6)  # gradecli's test = the independent one
    assert d.rating.value == expected and d.proposal.rule == "PUB-EGGER"
    if expected == "serious":
        assert f"p = {p:.2g}" in d.footnote and "10 studies" in d.footnote
        assert "smaller studies show more benefit" in d.footnote


def test_egger_flags_asymmetry_that_exaggerates_the_pooled_effect_either_way():
    # rewritten (issue 15): the old rule cleared smaller studies showing more harm; GRADE 5 suspects any exaggeration
    b = slope_for_p(0.01, SES[:10])  # positive slope and pooled estimate: small studies further from the null
    lower, _, _ = funnel(b, 10, benefit="lower")  # higher is worse: a pooled harm, small studies show more harm
    higher, _, _ = funnel(b, 10, benefit="higher")  # higher is better: a pooled benefit, more benefit
    d_lower, _ = pub(lower)
    d_higher, _ = pub(higher)
    assert d_lower.rating.value == "serious"
    assert any("smaller studies show more harm" in f for f in d_lower.proposal.facts)
    assert d_higher.rating.value == "serious"


def test_symmetric_funnel_is_not_serious():
    out, _, _ = funnel(0.0, 12)
    d, oa = pub(out)
    assert oa.effect.egger_p == pytest.approx(1.0)
    assert d.rating.value == "not_serious"


def test_summary_level_publication_bias_is_not_assessed():
    d = dom(assess_one(summary_outcome(0.8, (0.7, 0.9), studies=25)), "publication_bias")
    assert d.rating is None and d.proposal.rule == "PUB-FEW"


# --- indirectness ---------------------------------------------------------------------------------


def test_indirectness_absent_is_not_assessed():
    oa = assess_one(summary_outcome(0.8, (0.7, 0.9)))
    d = dom(oa, "indirectness")
    assert d.rating is None and d.status == "not_assessed" and d.proposal.rule == "IND-NOT-ASSESSED"
    assert "indirectness" in oa.not_assessed


def test_indirectness_judged_is_used_with_its_reason():
    j = {"indirectness": {"rating": "serious", "reason": "Only adults over 80 were studied", "population": "major"}}
    oa = assess_one(summary_outcome(0.8, (0.7, 0.9), judgements=j))
    d = dom(oa, "indirectness")
    assert d.rating.value == "serious" and d.status == "judged" and d.levels == 1
    assert "reviewer's judgment" in d.footnote and "Only adults over 80 were studied" in d.footnote
    assert oa.computed_certainty.value == "moderate"
    assert "indirectness" not in oa.not_assessed


# --- judgments over proposals -----------------------------------------------------------------------


def test_confirmed_overridden_and_judged_statuses():
    # the relative CI 0.7–1.3 spans both thresholds: imprecision proposed very serious
    base = summary_outcome(0.95, (0.7, 1.3))
    proposed = dom(assess_one(base), "imprecision")
    assert proposed.rating.value == "very_serious" and proposed.status == "proposed"

    same = {"imprecision": {"rating": "very_serious", "reason": "Agree: benefit and harm both possible"}}
    d = dom(assess_one(summary_outcome(0.95, (0.7, 1.3), judgements=same)), "imprecision")
    assert d.status == "confirmed" and d.levels == 2
    assert "Agree: benefit and harm both possible" in d.footnote and "reviewer's judgment" in d.footnote

    other = {"imprecision": {"rating": "serious", "reason": "Harm above 1.25 is implausible (mechanism)"}}
    d = dom(assess_one(summary_outcome(0.95, (0.7, 1.3), judgements=other)), "imprecision")
    assert d.status == "overridden" and d.levels == 1 and d.proposal.rating.value == "very_serious"
    assert d.footnote.startswith("Imprecision, downgraded one level (reviewer's judgment): Harm above 1.25")

    down_to_zero = {"imprecision": {"rating": "not_serious", "reason": "Decision unaffected"}}
    d = dom(assess_one(summary_outcome(0.95, (0.7, 1.3), judgements=down_to_zero)), "imprecision")
    assert d.status == "overridden" and d.levels == 0 and d.footnote is None
    assert d.reviewer_reason == "Decision unaffected"

    judged = {"risk_of_bias": {"rating": "very_serious", "reason": "All trials unblinded, subjective outcome"}}
    oa = assess_one(summary_outcome(0.8, (0.7, 0.9), judgements=judged))
    d = dom(oa, "risk_of_bias")
    assert d.status == "judged" and d.levels == 2
    assert "All trials unblinded, subjective outcome" in d.footnote
    assert oa.computed_certainty.value == "low"


YAML = """gradecli: 1
review: {title: t}
outcomes:
  - id: o
    name: O
    importance: critical
    type: dichotomous
    summary: {estimate: 0.8, ci: [0.7, 0.9], participants: 500, studies: 3}
    judgements:
      risk_of_bias: {rating: serious%s}
"""


@pytest.mark.parametrize("reason", ["", ", reason: ''", ", reason: '   '"])
def test_judgement_without_reason_is_refused(reason):
    with pytest.raises(InputError) as exc:
        parse_evidence(YAML % reason, "e.yaml")
    text = str(exc.value)
    assert "e.yaml:" in text and "reason" in text


def test_judgement_with_reason_is_accepted():
    ev = parse_evidence(YAML % ", reason: Unblinded", "e.yaml")
    assert dom(gradecli.assess(ev).outcomes[0], "risk_of_bias").status == "judged"


def test_certainty_override_with_reason():
    j = {"certainty": {"rating": "low", "reason": "Two borderline concerns together"}}
    oa = assess_one(summary_outcome(0.8, (0.7, 0.9), judgements=j))
    assert oa.computed_certainty.value == "high"
    assert oa.certainty.value == "low" and oa.certainty_reason == "Two borderline concerns together"
    assert (
        "Certainty set to low by the reviewer (the domains give high): Two borderline concerns together."
        in oa.footnotes
    )


def test_certainty_override_equal_to_the_computed_level_adds_no_footnote():
    j = {"certainty": {"rating": "high", "reason": "Checked"}}
    oa = assess_one(summary_outcome(0.8, (0.7, 0.9), judgements=j))
    assert oa.certainty.value == "high" and oa.certainty_reason == "Checked"
    assert not any("Certainty set to" in f for f in oa.footnotes)


# --- rating up ------------------------------------------------------------------------------------

NRSI = [{"id": "N1", "design": "nrsi"}, {"id": "N2", "design": "nrsi"}]


ROB_JUDGED = {
    "risk_of_bias": {"rating": "not_serious", "reason": "Reviewer: well-conducted cohorts."},
    "inconsistency": {"rating": "not_serious", "reason": "Reviewer: consistent results."},
}
CONFIRMED = {"levels": 1, "reason": "No plausible confounder would explain so large an effect."}


def large(ci, participants=5000, studies=NRSI, **kw):
    # a large effect needs the optimal information size (GRADE 34): at a comparator risk of 20%,
    # 5,000 participants meet it (OIS 1,806 for RRR 25%)
    est = round((ci[0] * ci[1]) ** 0.5, 4)
    kw.setdefault("judgements", ROB_JUDGED)
    kw.setdefault("assumed_risk", {"value": 0.2})
    oa = assess_one(summary_outcome(est, ci, participants=participants, **kw), studies)
    return oa, up(oa, "large_effect")


@pytest.mark.parametrize(
    ("ci", "levels", "confirmed"),
    [
        ((1.99, 3.0), 0, "low"),
        ((2.0, 3.0), 0, "low"),  # the whole CI must lie beyond 2: touching is not beyond
        ((2.01, 3.0), 1, "moderate"),
        ((5.0, 8.0), 1, "moderate"),
        ((5.01, 8.0), 2, "high"),
        ((0.3, 0.49), 1, "moderate"),  # below 0.5
        ((0.1, 0.19), 2, "high"),  # below 0.2
    ],
)
def test_large_effect_levels_for_low_start(ci, levels, confirmed):
    # rewritten: a large effect was applied automatically; now it is proposed, stays LOW until the
    # reviewer confirms it, and reaches the same level once confirmed
    oa, u = large(ci)
    assert oa.start.value == "low"
    assert oa.points == 0
    assert u.proposed_levels == levels and u.levels == 0 and u.rule == "UP-LARGE" and u.status == "proposed"
    assert u.needs_confirmation is (levels > 0) and u.footnote is None
    assert oa.computed_certainty.value == "low"
    if levels:
        change = f"LOW → {confirmed.upper()} once the reviewer confirms no plausible confounders would explain"
        assert any(f.startswith(change) for f in u.facts)
    oa, u = large(ci, judgements={**ROB_JUDGED, "large_effect": {**CONFIRMED, "levels": levels}})
    assert u.levels == levels and u.status == "confirmed" and oa.computed_certainty.value == confirmed
    if levels:
        assert "(rule UP-LARGE, confirmed by the reviewer)" in u.footnote and CONFIRMED["reason"][:-1] in u.footnote


def test_large_effect_not_proposed_while_risk_of_bias_is_not_assessed():
    # rewritten: was "proposed +1, not applied"; now no proposal at all (risk of bias must be assessed)
    oa, u = large((2.5, 6.0), judgements={"inconsistency": ROB_JUDGED["inconsistency"]})
    assert oa.points == 0 and "risk_of_bias" in oa.not_assessed
    assert u.proposed_levels == 0 and u.levels == 0 and not u.needs_confirmation
    assert any(f.startswith("no proposal: risk of bias not assessed") for f in u.facts)
    assert oa.computed_certainty.value == "low"


def test_large_effect_not_proposed_after_a_downgrade():
    # rewritten: was "proposed +1, not applied"; now no proposal (GRADE 9: rate up only without downgrades)
    judged = {**ROB_JUDGED, "imprecision": {"rating": "serious", "reason": "Few participants for so large an effect."}}
    oa, u = large((2.5, 6.0), participants=50, judgements=judged)
    assert oa.points == 1
    assert u.proposed_levels == 0 and u.levels == 0
    assert any(f.startswith("no proposal: rated down for imprecision (serious)") for f in u.facts)
    assert oa.computed_certainty.value == "very_low"


def test_the_reviewer_may_still_rate_up_what_was_not_proposed():
    judged = {
        **ROB_JUDGED,
        "imprecision": {"rating": "serious", "reason": "Few participants."},
        "large_effect": CONFIRMED,
    }
    oa, u = large((2.5, 6.0), participants=50, judgements=judged)
    assert u.proposed_levels == 0 and u.levels == 1 and u.status == "overridden"
    assert "(reviewer's judgment)" in u.footnote and oa.computed_certainty.value == "low"


def test_large_effect_not_proposed_for_randomised_trials():
    oa, u = large((2.5, 6.0), studies=[{"id": "R", "design": "rct"}])
    assert oa.start.value == "high"
    assert u.proposed_levels == 0 and u.rule is None and u.status == "not_assessed"


def test_reviewer_rates_up_dose_response():
    # rewritten: status "judged", not "overridden" — nothing was proposed for a dose–response gradient
    j = {**ROB_JUDGED, "dose_response": {"levels": 1, "reason": "Clear gradient across three doses"}}
    oa, _ = large((1.2, 1.5), judgements=j)
    u = up(oa, "dose_response")
    assert u.levels == 1 and u.status == "judged"
    assert "Clear gradient across three doses" in u.footnote
    assert oa.computed_certainty.value == "moderate"


def test_certainty_is_clamped():
    # five downgrade levels from high: very low, not below
    j = {
        "risk_of_bias": {"rating": "very_serious", "reason": "r"},
        "indirectness": {"rating": "very_serious", "reason": "i"},
        "imprecision": {"rating": "extremely_serious", "reason": "p"},
    }
    oa = assess_one(summary_outcome(0.8, (0.7, 0.9), judgements=j))
    assert oa.points == 7 and oa.computed_certainty.value == "very_low"


def test_k1_summary_and_rows():
    oa = assess_one(summary_outcome(0.8, (0.7, 0.9), participants=400, studies=1))
    assert dom(oa, "inconsistency").status == "not_applicable"
    ev = make_evidence(
        outcome(type="generic", measure="GENERIC", data=generic_rows([0.3], [0.1]), thresholds={"mid": 0.1}),
        [{"id": "S1", "design": "rct", "risk_of_bias": {"tool": "rob2", "overall": "low"}}],
    )
    oa = gradecli.assess(ev).outcomes[0]
    assert oa.effect.k == 1
    assert dom(oa, "inconsistency").proposal.rule == "INC-SINGLE"
    assert dom(oa, "risk_of_bias").rating.value == "not_serious"
    assert dom(oa, "publication_bias").status == "not_assessed"
