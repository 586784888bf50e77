"""IMP-OIS (gradecli/grade/rules/imp_ois.py): the PASS and FAIL examples of its documentation, and the
edges of the optimal information size (GRADE 6; GRADE 34; Core GRADE 2).

The OIS is asked only (a) when the CI crosses nothing and the effect is large (n ≥ OIS: 0; below: −1;
below 30% of it: −2), or (b) when the CI crosses one threshold and n is below 30% of it (−2). The
strict rule set (``always: true``) asks (a) for every CI that crosses nothing.

Dichotomous OIS by hand, z = z_.975 + z_.80 = 1.959964 + 0.841621, z² = 7.848879, p1 = 0.75·p0:
per arm = z² [p0(1−p0) + p1(1−p1)] / (p0 − p1)², rounded up, × 2.
* p0 = 0.35: 7.848879 × (0.2275 + 0.193594) / 0.0875² = 431.7 → 432 → OIS 864 (the rulebook's W3);
* p0 = 0.26: 7.848879 × (0.1924 + 0.156975) / 0.065² = 649.04 → 650 → OIS 1,300 (30%: 390 exactly).
Continuous: per arm = 2 z² / (δ/σ)²: δ/σ = 0.5 → 62.8 → 63 → 126; δ/σ = 0.2 → 392.4 → 393 → 786.
"""

from __future__ import annotations

import pytest
from test_grade_helpers import (
    assess_one,
    dom,
    ois_continuous,
    ois_dichotomous,
    outcome,
    rule_context,
    summary_outcome,
    with_rules,
)

from gradecli.grade.domains.imprecision import optimal_information_size
from gradecli.grade.rules.imp_cross import ci_on_scale
from gradecli.grade.rules.imp_ois import ImpOis, ImpOisSettings

W3 = {"assumed_risk": {"value": 0.35}, "thresholds": {"mid": 50, "large": 100}, "benefit": "lower"}


def w3(n):
    # RR 0.48 (0.35–0.64) at 35%: 1000 × 0.35 × (RR − 1) = 182 fewer (227.5 to 126 fewer): beyond the
    # MID of 50 throughout, and beyond `large` 100
    return summary_outcome(0.48, (0.35, 0.64), participants=n, studies=2, **W3)


def judge(out, levels=0, rules="default", settings=None):
    ctx, scale, ruleset = rule_context(out, None, rules)
    on = ci_on_scale(ctx, scale)
    return ImpOis.judge(ctx, settings or ruleset.settings(ImpOis), scale, levels, on[0] if on else None)


def imp(out, rules="default"):
    return dom(assess_one(out, None, rules), "imprecision")


def test_the_documented_ois():
    assert ois_dichotomous(0.35) == 864 and ois_dichotomous(0.26) == 1300  # the hand values above
    assert ois_continuous(0.5) == 126 and ois_continuous(0.2) == 786


# -- the documented examples ------------------------------------------------------------------------


def test_pass_900_participants_is_not_serious():
    proposal = judge(w3(900))
    assert proposal is not None and proposal.rule == "IMP-OIS" and proposal.rating.value == "not_serious"
    assert proposal.facts == [
        "optimal information size 864 (comparator risk 35.0%, relative risk reduction 25%, α 0.05, power 0.8)"
    ]
    assert proposal.path == [
        "a large effect (beyond `large` 100 fewer per 1,000): the optimal information size applies",
        "900 participants ≥ OIS 864 → 0",
    ]
    d = imp(w3(900))
    assert d.rating.value == "not_serious" and d.proposal.rule == "IMP-CROSS"
    assert proposal.facts[0] in d.proposal.facts  # shown even when met


def test_fail_600_participants_is_serious():
    proposal = judge(w3(600))
    assert proposal is not None and proposal.rating.value == "serious" and not proposal.needs_confirmation
    d = imp(w3(600))
    assert d.proposal.rule == "IMP-OIS" and d.levels == 1 and d.proposal.threshold == "optimal information size 864"
    assert d.proposal.explanation.startswith("600 participants, fewer than the optimal information size of 864")


def test_fail_200_participants_is_very_serious():
    proposal = judge(w3(200))  # 200 < 0.3 × 864 = 259.2
    assert proposal is not None and proposal.rating.value == "very_serious" and proposal.needs_confirmation
    d = imp(w3(200))
    assert d.proposal.rule == "IMP-OIS" and d.levels == 2 and d.proposal.needs_confirmation
    assert "200 participants, far below the optimal information size of 864" in d.footnote


# -- the edges: at the OIS, one below, at 30% and just below ----------------------------------------


def large_at_26(n, **kw):
    # RR 0.50 (0.40–0.60) at 26%, no MID: 130 fewer (156 to 104 fewer) excludes the null; RR 0.50 is large
    return summary_outcome(0.50, (0.40, 0.60), participants=n, assumed_risk={"value": 0.26}, **kw)


@pytest.mark.parametrize(
    ("n", "levels"),
    [(1300, 0), (1301, 0), (1299, 1), (391, 1), (390, 1), (389, 2), (10, 2)],
)
def test_large_effect_against_the_ois_and_30_percent_of_it(n, levels):
    d = imp(large_at_26(n))
    assert d.levels == levels
    assert d.proposal.needs_confirmation is (levels == 2)
    assert d.proposal.rule == ("IMP-CROSS" if levels == 0 else "IMP-OIS")
    assert any(f.startswith("optimal information size 1,300 (comparator risk 26.0%") for f in d.proposal.facts)


@pytest.mark.parametrize(("n", "levels"), [(1299, 1), (390, 1), (389, 2)])
def test_a_crossing_ci_far_below_the_ois_is_two_levels(n, levels):
    # RR 0.80 (0.60–1.05) at 26%: 52 fewer (104 fewer to 13 more) crosses the null once (and
    # reaches 0.75 only: IMP-RELATIVE adds nothing)
    out = summary_outcome(0.80, (0.60, 1.05), participants=n, assumed_risk={"value": 0.26})
    proposal = judge(out, levels=1)
    assert proposal is not None and proposal.rating.value == ("serious" if levels == 1 else "very_serious")
    d = imp(out)
    assert d.levels == levels
    assert d.proposal.rule == ("IMP-CROSS" if levels == 1 else "IMP-OIS")
    if levels == 1:
        assert f"{n:,} participants ≥ 30% of the OIS 1,300: not far below → −1" in d.proposal.path


def test_two_levels_from_the_ci_are_not_asked_about_the_ois():
    out = summary_outcome(1.0, (0.6, 1.7), participants=50, assumed_risk={"value": 0.26})
    assert judge(out, levels=2) is None
    d = imp(out)
    assert d.levels == 2 and d.proposal.rule == "IMP-RELATIVE"
    assert not any("optimal information size" in f for f in d.proposal.facts)


# -- what counts as a large effect ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("est", "ci", "large"),
    [
        (0.70, (0.60, 0.82), True),  # exactly 1 − 0.30: large
        (0.71, (0.61, 0.83), False),
        (1.43, (1.22, 1.68), True),  # ≥ 1/0.70 = 1.4286
        (1.42, (1.21, 1.67), False),
    ],
)
def test_a_ratio_is_large_from_rr_070_or_its_inverse(est, ci, large):
    out = summary_outcome(est, ci, participants=1000, assumed_risk={"value": 0.26})
    d = imp(out)
    asked = any("optimal information size" in f for f in d.proposal.facts)
    assert asked is large
    assert d.levels == (1 if large else 0)  # 1,000 participants: below 1,300, above 390
    if not large:
        assert any(step.startswith("not a large effect (below ratio 0.70 or 1.43") for step in d.proposal.path)


def test_large_rrr_is_a_setting():
    out = summary_outcome(0.75, (0.65, 0.86), participants=1000, assumed_risk={"value": 0.26})
    assert imp(out).levels == 0  # RR 0.75 is not large at RRR 30%
    assert imp(out, with_rules(IMP_OIS={"large_rrr": 0.25})).levels == 1  # it is at 25%


def test_the_outcomes_own_large_boundary_decides():
    # MID 50, large 200 fewer: 182 fewer is not large, so no OIS (RR 0.48 would be by RRR 30%)
    out = summary_outcome(0.48, (0.35, 0.64), participants=200, **{**W3, "thresholds": {"mid": 50, "large": 200}})
    d = imp(out)
    assert d.levels == 0 and any("below `large` 200 fewer per 1,000" in step for step in d.proposal.path)


@pytest.mark.parametrize(("est", "asked"), [(0.80, True), (0.79, False)])
def test_an_smd_is_large_from_08(est, asked):
    out = summary_outcome(est, (est - 0.1, est + 0.1), participants=500, type="continuous", measure="SMD")
    d = imp(out)
    assert any("optimal information size 786" in f for f in d.proposal.facts) is asked
    assert d.levels == (1 if asked else 0)  # 500: below 786, above 235.8


def test_a_trivial_precise_effect_is_not_rated_down():
    # W4a: RR 0.97 (0.91–1.04) at 4%, MIDs ±10: 1 fewer (4 fewer to 2 more), wholly trivial
    out = summary_outcome(0.97, (0.91, 1.04), participants=100, assumed_risk={"value": 0.04}, thresholds={"mid": 10})
    proposal = judge(out)
    assert proposal is not None and proposal.rating.value == "not_serious" and proposal.facts == []
    assert imp(out).levels == 0


# -- always: true (the strict rule set) -------------------------------------------------------------


@pytest.mark.parametrize(("n", "strict"), [(1300, 0), (1299, 1), (390, 1), (389, 2)])
def test_strict_checks_every_ci_that_crosses_nothing(n, strict):
    # RR 0.90 (0.85–0.95) at 26%: 26 fewer (39 to 13 fewer), not large
    out = summary_outcome(0.90, (0.85, 0.95), participants=n, assumed_risk={"value": 0.26})
    default = imp(out)
    assert default.levels == 0 and not any("optimal information size" in f for f in default.proposal.facts)
    d = imp(out, "strict")
    assert d.levels == strict
    assert d.proposal.rule == ("IMP-CROSS" if strict == 0 else "IMP-OIS")
    assert not any("large effect" in step for step in d.proposal.path)


def test_strict_without_a_comparator_risk_does_not_call_the_effect_large():
    d = imp(summary_outcome(0.90, (0.85, 0.95), participants=1000), "strict")
    assert d.status == "not_assessed" and d.proposal.rule == "IMP-OIS"
    assert "large effect" not in d.proposal.explanation


# -- the OIS cannot be computed ---------------------------------------------------------------------


def test_a_large_effect_without_a_comparator_risk_is_not_assessed():
    out = summary_outcome(0.50, (0.40, 0.60), participants=1000)  # a ratio, no risk at all
    proposal = judge(out)
    assert proposal is not None and proposal.rating is None
    assert "needs a comparator risk" in proposal.explanation
    d = imp(out)
    assert d.status == "not_assessed" and d.proposal.rule == "IMP-OIS"
    # not large: nothing to ask
    assert imp(summary_outcome(0.90, (0.85, 0.95), participants=1000)).rating.value == "not_serious"


def test_without_participants():
    proposal = judge(large_at_26(None))
    assert proposal is not None and proposal.rating is None  # a large effect: not assessed
    assert "needs the number of participants" in proposal.explanation
    crossing = summary_outcome(0.80, (0.60, 1.05), participants=None, assumed_risk={"value": 0.26})
    stands = judge(crossing, levels=1)
    assert stands is not None and stands.rating.value == "serious"  # the crossing's −1 stands
    assert stands.path == ["no OIS to compare with: the number of participants not known → −1 stands"]


# -- continuous outcomes: the MID and the pooled SD --------------------------------------------------


def md_rows(mid=None):
    # 5 trials, 64 + 64 each, means 40 vs 50, SD 10: MD −10, pooled SD 10 (MD/SD 1.0: large), CI ≈ −11.5 to −8.5
    rows = [
        {"study": f"S{i}", "mean_t": 40.0, "sd_t": 10.0, "n_t": 64, "mean_c": 50.0, "sd_c": 10.0, "n_c": 64}
        for i in range(5)
    ]
    kw = {"thresholds": {"mid": mid}} if mid is not None else {}
    return outcome(type="continuous", measure="MD", benefit="lower", data=rows, **kw)


def test_continuous_ois_from_the_mid_and_the_pooled_sd():
    ctx, scale, rules = rule_context(md_rows(mid=5))
    assert ctx.pooled_sd == pytest.approx(10.0)
    size, how = optimal_information_size(ctx, rules, scale)
    assert size == 126 and how.startswith("MID 5 / pooled SD 10")  # δ/σ = 0.5
    assert dom(assess_one(md_rows(mid=5)), "imprecision").levels == 0  # 640 ≥ 126


def test_continuous_ois_without_an_mid_is_the_labelled_smd_02_fallback():
    ctx, scale, rules = rule_context(md_rows())
    size, how = optimal_information_size(ctx, rules, scale)
    assert size == 786 and "gradecli's fallback" in how
    d = dom(assess_one(md_rows()), "imprecision")
    assert d.levels == 1 and d.proposal.rule == "IMP-OIS"  # large (MD/SD 1.0), 640 < 786, ≥ 235.8


@pytest.mark.parametrize(("n", "levels"), [(126, 0), (125, 1), (38, 1), (37, 2)])
def test_an_smds_own_mid_is_the_effect_size(n, levels):
    # SMD 0.9 (0.7–1.1), MID 0.5: beyond the MID throughout, large (≥ 0.8); OIS from SMD 0.5 = 126
    out = summary_outcome(0.9, (0.7, 1.1), participants=n, type="continuous", measure="SMD", thresholds={"mid": 0.5})
    d = imp(out)
    assert d.levels == levels
    assert any("optimal information size 126 (the MID, SMD 0.5" in f for f in d.proposal.facts)


# -- settings and switching off ---------------------------------------------------------------------


def test_settings():
    assert ois_dichotomous(0.35, rrr=0.5) == 192  # 7.848879 × (0.2275 + 0.144375) / 0.175² = 95.3 → 96
    bigger = judge(w3(600), settings=ImpOisSettings(ois_rrr=0.5))
    assert bigger is not None and bigger.rating.value == "not_serious"
    assert imp(w3(600), with_rules(IMP_OIS={"ois_rrr": 0.5})).levels == 0
    # far_below 0.5: 400 < 0.5 × 864 = 432 is now far below
    assert imp(w3(400)).levels == 1
    assert imp(w3(400), with_rules(IMP_OIS={"far_below": 0.5})).levels == 2


def test_switched_off_it_is_skipped():
    d = imp(w3(200), with_rules(IMP_OIS={"enabled": False}))
    assert d.proposal.rule == "IMP-CROSS" and d.rating.value == "not_serious"
    assert not any("optimal information size" in f for f in d.proposal.facts)
