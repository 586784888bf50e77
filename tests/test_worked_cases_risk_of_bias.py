"""The rulebook's risk-of-bias worked cases W9, W10 and W11's non-randomised row
(shared/methods/grade-methods.md §14; R3.4), each as per-study rows ``{study, yi, sei}`` with the
studies' own RoB 2 / ROBINS-I judgments, and the rating, levels and certainty the case implies.

The other domains are the reviewer's "not serious" (the rulebook: "other domains assessed and not
serious unless stated"), so the certainty shows risk of bias alone. Every number is worked by hand
below from fixed-effect inverse-variance pooling: weight w = 1/SE², pooled log RR = Σw·y / Σw,
SE = 1/√Σw, 95% CI = exp(log RR ± 1.959964·SE). Where a case's own rounded figures cannot all hold
at once under that pooling (W9 gives the all-studies CI as 0.50–0.77; with the low-risk CI it gives,
a fixed-effect CI is 0.54–0.71), the test keeps the case's estimates and its weight share and states
the CI that follows.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from test_grade_helpers import with_rules

import gradecli
from gradecli.grade.assessment import DomainAssessment, OutcomeAssessment
from gradecli.model.checks import check_evidence
from gradecli.model.evidence import Evidence

NOT_SERIOUS = {"rating": "not_serious", "reason": "Assessed for the worked case: no concern."}
OTHERS = {d: NOT_SERIOUS for d in ("inconsistency", "indirectness", "imprecision", "publication_bias")}
Z = 1.959963984540054


def run(
    ys: list[float], weights: list[float], judgments: list[str], rules: Any = "default", **outcome: Any
) -> OutcomeAssessment:
    """Per-study rows (log RR, SE = 1/√weight), one study per row with its own judgment."""
    ids = [f"S{i + 1}" for i in range(len(ys))]
    rows = [{"study": s, "yi": y, "sei": 1 / math.sqrt(w)} for s, y, w in zip(ids, ys, weights, strict=True)]
    studies = []
    for s, j in zip(ids, judgments, strict=True):
        tool = "robins-i" if j in ("moderate", "serious", "critical") else "rob2"
        design = "nrsi" if tool == "robins-i" else "rct"
        studies.append({"id": s, "design": design, "risk_of_bias": {"tool": tool, "overall": j}})
    o = {
        "id": "y",
        "name": "Mortality",
        "importance": "critical",
        "type": "generic",
        "measure": "RR",
        "data": rows,
        "analysis": {"model": "fixed", "method": "IV"},
        "judgements": {**OTHERS, **outcome.pop("judgements", {})},
        **outcome,
    }
    ev = Evidence.model_validate({"gradecli": 1, "review": {"title": "W"}, "studies": studies, "outcomes": [o]})
    assert not check_evidence(ev)
    return gradecli.assess(ev, rules=rules).outcomes[0]


def rob(o: OutcomeAssessment) -> DomainAssessment:
    return next(d for d in o.domains if d.domain == "risk_of_bias")


# -- W9: the sensitivity analysis decides ---------------------------------------------------------
#
# 7 RCTs: four at low risk (weights 24, 20, 20, 20: Σ 84) and three at high risk (inadequate
# concealment; weights 40, 40, 36: Σ 116): 116/200 = 58% of the fixed-effect weight at high risk.

W9_WEIGHTS = [24, 20, 20, 20, 40, 40, 36]
W9_JUDGMENTS = ["low"] * 4 + ["high"] * 3
# (a) low-risk log RR ln 0.91 = −0.094311 each (Σw·y −7.92211); high −0.70, −0.80, −0.77 (Σw·y −28 − 32
#     − 27.72 = −87.72): all studies −95.64211/200 = −0.478211 → RR 0.6199 (0.5397 to 0.7120, SE 1/√200);
#     the low-risk studies alone RR 0.91 (0.7348 to 1.1270, SE 1/√84 = 0.109109).
W9A = [math.log(0.91)] * 4 + [-0.70, -0.80, -0.77]
# (b) low-risk ln 0.64 = −0.446287 each (Σw·y −37.48811); high −0.45, −0.55, −0.50 (Σw·y −58): all
#     studies −95.48811/200 = −0.477441 → RR 0.6204 (0.5401 to 0.7126); low-risk alone RR 0.64 (0.5168
#     to 0.7926).
W9B = [math.log(0.64)] * 4 + [-0.45, -0.55, -0.50]


def test_w9_by_hand():
    assert sum(W9_WEIGHTS[4:]) / sum(W9_WEIGHTS) == pytest.approx(0.58)
    for ys, est, lo, hi in ((W9A, 0.6199, 0.5397, 0.7120), (W9B, 0.6204, 0.5401, 0.7126)):
        o = run(ys, W9_WEIGHTS, W9_JUDGMENTS)
        assert (o.effect.estimate, o.effect.ci_lb, o.effect.ci_ub) == pytest.approx((est, lo, hi), abs=1e-4)
    assert math.exp(math.log(0.91) + Z / math.sqrt(84)) == pytest.approx(1.1270, abs=1e-4)


def test_w9a_the_low_risk_estimate_in_another_zone_is_serious():
    o = run(W9A, W9_WEIGHTS, W9_JUDGMENTS)
    d = rob(o)
    assert d.rating.value == "serious" and d.levels == 1 and d.proposal.rule == "ROB-WEIGHT"
    assert not d.proposal.needs_confirmation
    # no MID: the zones are the rule set's appreciable effect, RR 0.75 and 1.25 (0.62 below, 0.91 between)
    assert "58% of the fixed-effect weight (dominating: at least 55%)" in d.footnote
    assert "RR 0.91 (0.735 to 1.13), between RR 0.75 and RR 1.25" in d.footnote
    assert "RR 0.62 (0.54 to 0.712), below RR 0.75" in d.footnote and "consider the low-risk estimate" in d.footnote
    assert d.proposal.path[-1] == "risk of bias: serious — consider the low-risk estimate"
    s = o.sensitivity
    assert s is not None and s.studies == ["S1", "S2", "S3", "S4"] and s.conclusion_changes is True
    assert (s.estimate, s.ci_lb, s.ci_ub) == pytest.approx((0.91, 0.7348, 1.1270), abs=1e-4)
    assert o.certainty.value == "moderate"


def test_w9b_the_low_risk_estimate_in_the_same_zone_is_not_serious():
    o = run(W9B, W9_WEIGHTS, W9_JUDGMENTS)
    d = rob(o)
    assert d.rating.value == "not_serious" and d.levels == 0 and d.footnote is None
    assert "RR 0.64 (0.517 to 0.793), below RR 0.75: the same zone as all studies' RR 0.62" in d.proposal.explanation
    assert o.sensitivity.conclusion_changes is False
    assert o.certainty.value == "high"
    # a "< 75% of the weight at low risk" rule (Pollock 2016's) would rate down: 84/200 = 42% low
    pollock = with_rules(ROB_WEIGHT={"method": "low_share", "very_serious_if_low_share_below": None})
    d = rob(run(W9B, W9_WEIGHTS, W9_JUDGMENTS, rules=pollock))
    assert d.rating.value == "serious" and "42% of the fixed-effect weight" in d.footnote


@pytest.mark.parametrize(("ys", "expected"), [(W9A, "serious"), (W9B, "not_serious")])
def test_w9_with_an_absolute_mid_the_zones_are_the_outcomes_own(ys, expected):
    # MID 20 per 1,000 at a comparator risk of 20%: all studies 200 × (0.62 − 1) = 76 fewer (important);
    # (a) low-risk 200 × (0.91 − 1) = 18 fewer (trivial: another zone); (b) 200 × (0.64 − 1) = 72 fewer
    o = run(ys, W9_WEIGHTS, W9_JUDGMENTS, thresholds={"mid": 20}, assumed_risk={"value": 0.2}, benefit="lower")
    d = rob(o)
    assert d.rating.value == expected
    if expected == "serious":
        assert "between 20 fewer per 1,000 and 20 more per 1,000" in d.footnote
        assert "beyond 20 fewer per 1,000" in d.footnote


# -- W10: unclear / some concerns -----------------------------------------------------------------
#
# 5 RCTs, all "some concerns" (concealment unclear), none at high risk: log RR −0.2 each, weights
# 30, 25, 20, 15, 10. 0% of the weight at low risk: Pollock 2016 −1, metaumbrella −2; Table 12.2.d
# "low or unclear … unlikely to lower confidence → do not downgrade" → needs judgement.

W10 = ([-0.2] * 5, [30, 25, 20, 15, 10], ["some_concerns"] * 5)


def test_w10_all_some_concerns_needs_the_reviewers_judgment_never_a_downgrade():
    o = run(*W10)
    d = rob(o)
    assert d.rating is None and d.status == "not_assessed" and d.levels == 0 and d.footnote is None
    assert "no study is at high risk of bias" in d.proposal.explanation
    assert "a judgment is needed" in d.proposal.explanation
    assert "100% of the fixed-effect weight" in d.proposal.explanation
    assert d.proposal.path[-1].startswith("risk of bias: needs the reviewer's judgment")
    assert o.provisional and o.certainty is None and o.certainty_ceiling.value == "high"
    assert o.sensitivity is None  # no study at low risk to re-pool


def test_w10_the_reviewer_decides():
    judged = {"risk_of_bias": {"rating": "not_serious", "reason": "Unclear concealment unlikely to matter here."}}
    o = run(*W10, judgements=judged)
    assert rob(o).status == "judged" and o.certainty.value == "high"


def test_w10_the_published_numeric_rules_would_rate_down():
    pollock = with_rules(ROB_WEIGHT={"method": "low_share", "very_serious_if_low_share_below": None})
    assert rob(run(*W10, rules=pollock)).rating.value == "serious"  # 0% low < 75%
    # metaumbrella: < 50% at low risk → −2, whatever is at high risk
    umbrella = with_rules(ROB_WEIGHT={"method": "low_share", "very_serious_needs_high_share": 0.0})
    assert rob(run(*W10, rules=umbrella)).rating.value == "very_serious"


# -- W11, the non-randomised row: 5 cohorts, ROBINS-I 3 serious, 1 moderate, 1 critical ----------
#
# Equal weights (25 each), log RR ln 0.70 each. The critical cohort leaves the judgment: of the
# remaining weight, 75% is at serious risk and 100% at moderate or worse.

W11 = ([math.log(0.70)] * 5, [25] * 5, ["serious", "serious", "serious", "moderate", "critical"])


def test_w11_robins_i_high_start_serious_dominated_is_two_levels_to_low():
    o = run(*W11)
    assert o.start.value == "high"
    d = rob(o)
    assert d.rating.value == "very_serious" and d.levels == 2 and d.proposal.needs_confirmation
    assert any("1 study at critical risk of bias (ROBINS-I: S5) left out of the primary analysis" in f
               for f in d.proposal.facts)  # fmt: skip
    assert o.effect.k == 4 and o.with_critical is not None and o.with_critical.studies[-1] == "S5"
    assert any(f.startswith("0% of the fixed-effect weight from studies at low risk of bias, 25% moderate, 75% serious")
               for f in d.proposal.facts)  # fmt: skip
    assert any("the dominating level is 2 levels" in f for f in d.proposal.facts)
    assert o.computed_certainty.value == "low"


def test_w11_under_core_grade_the_row_starts_low():
    o = run(*W11, rules="core-grade")
    assert o.start.value == "low"
    d = rob(o)
    # Core GRADE's low/high classes: 75% at high risk (serious), the moderate cohort neither → serious
    assert d.rating.value == "serious" and d.levels == 1
    assert o.computed_certainty.value == "very_low"
