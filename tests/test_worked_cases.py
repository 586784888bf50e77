"""The rulebook's worked conformance cases W1–W6 and W14 (shared/methods/grade-methods.md §14), each
as the domain rating, the levels, the certainty and the statement the case implies.

Every case states its data as the rulebook does; the other domains are the reviewer's "not serious"
(as the rulebook says: "other domains assessed and not serious unless stated"). Expected values
are the rulebook's, worked by hand there (absolute effects per 1,000 = 1000 × risk × (RR − 1)).
Where the statement wording follows Core GRADE 6 Box 1 rather than the rulebook's shorthand, the
test checks the parts both share (the certainty qualifier and the direction) and says so.
"""

from __future__ import annotations

from typing import Any

import pytest

import gradecli
from gradecli.grade.assessment import OutcomeAssessment
from gradecli.model.checks import check_evidence
from gradecli.model.evidence import Evidence

NOT_SERIOUS = {"rating": "not_serious", "reason": "Assessed for the worked case: no concern."}
ASSESSED = {d: NOT_SERIOUS for d in ("risk_of_bias", "inconsistency", "indirectness", "publication_bias")}
QUESTION = {"population": "Adults", "intervention": "Drug X", "comparison": "Placebo"}


def run(
    outcome: dict[str, Any], judged: dict[str, Any] | None = None, studies: list[dict[str, Any]] | None = None
) -> OutcomeAssessment:
    o = {"id": "y", "name": "Mortality", "importance": "critical", "type": "dichotomous", **outcome}
    o["judgements"] = {**(ASSESSED if judged is None else judged), **o.get("judgements", {})}
    ev = Evidence.model_validate(
        {"gradecli": 1, "review": {"title": "W", "question": QUESTION}, "studies": studies or [], "outcomes": [o]}
    )
    assert not check_evidence(ev)
    return gradecli.assess(ev).outcomes[0]


def imp(o: OutcomeAssessment):
    return next(d for d in o.domains if d.domain == "imprecision")


def summary(est: float, ci: tuple[float, float], n: int, k: int, **extra: Any) -> dict[str, Any]:
    return {"estimate": est, "ci": list(ci), "participants": n, "studies": k, **extra}


# -- W1: a CI crossing the null, no MID -------------------------------------------------------------


def test_w1_null_crossing_is_serious_never_not_serious():
    o = run({"summary": summary(0.82, (0.64, 1.04), 3100, 6), "assumed_risk": {"value": 0.12}})
    d = imp(o)
    assert d.rating.value == "serious" and d.levels == 1
    assert o.target is not None and o.target.kind == "non_null_effect"
    assert "the null" in " ".join(d.proposal.path)
    a = o.absolute[0]
    assert round(a.difference) == -22 and round(a.difference_lb) == -43 and round(a.difference_ub) == 5
    # the OIS at 12% (RRR 25%) is 3,270; 3,100 is not far below it → still one level
    assert any("3,272" in f for f in d.proposal.facts)  # the rulebook's "≈ 3,270": 2 × ⌈1,635.2⌉
    assert any("43 fewer per 1,000 to 5 more per 1,000" in f for f in d.proposal.facts)  # the absolute CI is judged
    assert o.certainty.value == "moderate"
    assert o.statement == "Drug X probably reduces mortality."


# -- W2: appreciable crossings -----------------------------------------------------------------------


def w2a(thresholds: dict[str, Any]) -> OutcomeAssessment:
    s = summary(1.11, (0.69, 1.78), 410, 2, events_t=31, events_c=28, participants_t=205, participants_c=205)
    return run({"summary": s, "assumed_risk": {"value": 0.14}, "thresholds": thresholds, "benefit": "lower"})


def test_w2a_both_mids_crossed_is_very_serious_and_needs_confirmation():
    o = w2a({"mid": 20})
    d = imp(o)
    assert d.rating.value == "very_serious" and d.levels == 2
    assert d.proposal.needs_confirmation
    a = o.absolute[0]
    assert (round(a.difference), round(a.difference_lb), round(a.difference_ub)) == (15, -43, 109)
    assert o.target.kind == "little_or_no_effect"
    assert o.certainty.value == "low"
    assert o.statement == "Drug X may result in little to no difference in mortality."


def test_w2a_with_a_harm_mid_of_10_the_estimate_is_an_important_harm():
    o = w2a({"mid_benefit": 20, "mid_harm": 10})
    d = imp(o)
    assert d.levels == 2 and o.certainty.value == "low"
    assert o.target.kind == "important_effect" and o.target.direction == "harm"
    # the rulebook's shorthand is "X may increase Y"; Core GRADE 6 Box 1 words an MID target as
    # "may result in an important increase in Y"
    assert o.statement.startswith("Drug X may ") and "increase" in o.statement and "mortality" in o.statement


def test_w2b_large_benefit_to_very_large_harm_on_four_events_is_three_levels():
    rows = [{"study": "T1", "events_t": 3, "n_t": 29, "events_c": 1, "n_c": 29}]
    o = run({"data": rows, "analysis": {"model": "fixed", "method": "MH"}}, studies=[{"id": "T1", "design": "rct"}])
    assert o.effect.estimate == pytest.approx(3.0)
    assert o.effect.ci_lb == pytest.approx(0.33, abs=0.005) and o.effect.ci_ub == pytest.approx(27.2, abs=0.1)
    d = imp(o)
    assert d.levels == 3 and d.rating.value == "extremely_serious" and d.proposal.rule == "IMP-EVENTS"
    assert o.certainty.value == "very_low"
    assert o.statement == "The evidence is very uncertain about the effect of drug X on mortality."


# -- W3: the OIS for a large effect ------------------------------------------------------------------


def test_w3_large_effect_below_the_ois_is_serious():
    s = summary(0.48, (0.35, 0.64), 600, 2, events_t=50, events_c=105)
    o = run(
        {"summary": s, "assumed_risk": {"value": 0.35}, "thresholds": {"mid": 50, "large": 100}, "benefit": "lower"}
    )
    d = imp(o)
    a = o.absolute[0]
    assert (a.difference, a.difference_lb, a.difference_ub) == pytest.approx((-182, -227.5, -126))  # 350 × (RR − 1)
    assert d.levels == 1 and d.proposal.rule == "IMP-OIS"
    assert any("864" in f for f in d.proposal.facts)  # RRR 25% at 35%
    assert any("155 events" in f for f in d.proposal.facts)
    assert o.certainty.value == "moderate"
    assert o.statement == "Drug X probably results in a large reduction in mortality."


def test_w3_at_the_ois_is_not_serious_and_far_below_is_two_levels():
    base = {"assumed_risk": {"value": 0.35}, "thresholds": {"mid": 50, "large": 100}, "benefit": "lower"}
    assert imp(run({"summary": summary(0.48, (0.35, 0.64), 864, 2), **base})).levels == 0
    assert imp(run({"summary": summary(0.48, (0.35, 0.64), 863, 2), **base})).levels == 1
    far = imp(run({"summary": summary(0.48, (0.35, 0.64), 250, 2), **base}))  # < 30% of 864 = 259.2
    assert far.levels == 2 and far.proposal.needs_confirmation


# -- W4: trivial and precise; the target matters ----------------------------------------------------


def test_w4a_trivial_precise_with_mids_is_high_little_to_no_difference():
    o = run(
        {"summary": summary(0.97, (0.91, 1.04), 52000, 9), "assumed_risk": {"value": 0.04}, "thresholds": {"mid": 10}}
    )
    d = imp(o)
    assert d.levels == 0 and d.rating.value == "not_serious"
    assert not any("optimal information size" in f for f in d.proposal.facts)  # no OIS for a trivial effect
    assert o.certainty.value == "high"
    assert o.statement == "Drug X results in little to no difference in mortality."


def test_w4b_null_target_inside_the_fallback_zone_is_not_assessed():
    o = run({"summary": summary(0.97, (0.91, 1.04), 52000, 9), "assumed_risk": {"value": 0.04}})
    d = imp(o)
    assert d.status == "not_assessed" and d.proposal.rule == "IMP-RELATIVE"
    assert "MID" in d.proposal.explanation
    assert o.provisional and o.certainty is None and o.statement is None
    assert o.certainty_ceiling.value == "high"


# -- W5: continuous outcomes -------------------------------------------------------------------------


def test_w5a_pain_beyond_the_mid_is_high_important_reduction():
    o = run(
        {
            "name": "Pain",
            "type": "continuous",
            "measure": "MD",
            "benefit": "lower",
            "scale": "0–100, lower is better",
            "thresholds": {"mid": 10},
            "summary": summary(-16, (-21, -11), 640, 5),
        }
    )
    assert imp(o).levels == 0
    assert o.certainty.value == "high"
    assert o.statement == "Drug X results in an important reduction in pain."


def test_w5a_ois_from_the_mid_and_pooled_sd_not_the_smd_default():
    from test_grade_helpers import rule_context

    from gradecli.grade.domains.imprecision import optimal_information_size

    rows = [
        {"study": f"S{i}", "mean_t": 34.0, "sd_t": 22.0, "n_t": 64, "mean_c": 50.0, "sd_c": 22.0, "n_c": 64}
        for i in range(5)
    ]
    out = {
        "id": "p",
        "name": "Pain",
        "importance": "critical",
        "type": "continuous",
        "measure": "MD",
        "benefit": "lower",
        "thresholds": {"mid": 10},
        "data": rows,
    }
    ctx, scale, rules = rule_context(out)
    assert ctx.participants == 640 and ctx.pooled_sd == pytest.approx(22.0)
    size, how = optimal_information_size(ctx, rules, scale)
    assert size == 152 and "MID 10" in how  # 2 × ⌈2 · 7.849 · 22² / 10²⌉ = 2 × 76; SMD 0.2 would give 786


def test_w5b_quality_of_life_small_important_is_slightly_improves():
    o = run(
        {
            "name": "Quality of life",
            "type": "continuous",
            "measure": "MD",
            "benefit": "higher",
            "scale": "0–100, higher is better",
            "thresholds": {"mid": 4, "moderate": 12},
            "summary": summary(7.2, (4.9, 9.5), 900, 4),
        }
    )
    assert imp(o).levels == 0 and o.zone == "small"
    assert o.certainty.value == "high"
    assert o.statement == "Drug X slightly improves quality of life."


# -- W6: strata --------------------------------------------------------------------------------------


def test_w6_each_stratum_has_its_own_rating_and_statement():
    o = run(
        {
            "summary": summary(0.75, (0.62, 0.91), 6000, 8),
            "thresholds": {"mid": 10},
            "benefit": "lower",
            "assumed_risk": [{"value": 0.02, "label": "low risk"}, {"value": 0.15, "label": "high risk"}],
        }
    )
    low, high = o.strata
    assert (round(low.absolute.difference), round(low.absolute.difference_lb), round(low.absolute.difference_ub)) == (
        -5,
        -8,
        -2,
    )
    h = high.absolute
    assert (h.difference, h.difference_lb, h.difference_ub) == pytest.approx((-37.5, -57, -13.5))  # 150 × (RR − 1)
    assert low.imprecision.levels == 0 and high.imprecision.levels == 0
    assert low.zone == "trivial" and high.zone == "important"
    assert low.certainty.value == "high" and high.certainty.value == "high"
    assert low.statement == "Drug X results in little to no difference in mortality."
    # the rulebook's shorthand "X reduces Y"; Core GRADE 6 Box 1 for an MID target: "results in an important reduction"
    assert high.statement == "Drug X results in an important reduction in mortality."
    assert low.target.kind == "little_or_no_effect" and high.target.kind == "important_effect"
    assert o.statement is None  # no single statement for an outcome with two strata


def test_w6_strata_can_differ_in_imprecision():
    o = run(
        {
            "summary": summary(0.75, (0.55, 1.02), 6000, 8),
            "thresholds": {"mid": 10},
            "benefit": "lower",
            "assumed_risk": [{"value": 0.02, "label": "low risk"}, {"value": 0.30, "label": "high risk"}],
        }
    )
    low, high = o.strata
    assert low.imprecision.levels == 0  # 5 fewer (9 fewer to 0): wholly trivial
    assert high.imprecision.levels == 1  # 75 fewer (135 fewer to 6 more): crosses the MID of 10 fewer
    assert o.certainty == high.certainty  # the outcome's own rating is the least certain stratum's
    assert "At high risk" in high.imprecision.footnote


# -- W14: provisional --------------------------------------------------------------------------------


def test_w14_unassessed_risk_of_bias_makes_the_rating_provisional():
    judged = {d: NOT_SERIOUS for d in ("inconsistency", "indirectness", "publication_bias")}
    o = run({"summary": summary(0.82, (0.64, 1.04), 3100, 6), "assumed_risk": {"value": 0.12}}, judged=judged)
    assert imp(o).levels == 1
    assert o.provisional and o.missing_domains == ["risk_of_bias"]
    assert o.certainty is None and o.certainty_ceiling.value == "moderate"
    assert o.statement is None
