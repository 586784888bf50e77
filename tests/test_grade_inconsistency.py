"""Inconsistency at and around the I² thresholds (50%, 75%) and Q p 0.10, straddle vs same side,
single studies, summary-level results and outcomes with no threshold.

Bodies are generic rows (measure GENERIC, thresholds.mid chosen per test) pooled with fixed-effect
inverse variance, whose I² is the classic (Q − df)/Q. The data are chosen so Q is known by hand
(equal SEs of 0.5, weight 4: Q = 4·Σ(y − ȳ)²) and checked against the independent ``q_i2``.
Rulebook R4.5: serious when (I² ≥ 50% or Q p < 0.10) and the estimates straddle a threshold; very
serious when I² ≥ 75% and estimates show both an important benefit and an important harm.
"""

from __future__ import annotations

import math

import pytest
from scipy import stats
from test_grade_helpers import FIXED, assess_one, dom, generic_rows, outcome, q_i2, summary_outcome


def generic(ys, ses, mid=None, analysis=FIXED, measure="GENERIC", **kw):
    extra = {"thresholds": {"mid": mid}} if mid is not None else {}
    return outcome(type="generic", measure=measure, data=generic_rows(ys, ses), analysis=analysis, **extra, **kw)


def inc(out, rules="default"):
    return dom(assess_one(out, None, rules), "inconsistency")


def two_studies_with_i2(i2: float) -> list[float]:
    """y = ±c with SE 0.5 (weight 4): Q = 8c² on 1 df, so I² = (8c² − 1)/(8c²) → c = √(1/(8(1 − I²)))."""
    c = math.sqrt(1 / (8 * (1 - i2 / 100)))
    return [-c, c]


def three_studies_with_i2(i2: float) -> list[float]:
    """y = (−c, 0, c) with SE 0.5: Q = 8c² on 2 df, so I² = (8c² − 2)/(8c²)."""
    c = math.sqrt(2 / (8 * (1 - i2 / 100)))
    return [-c, 0.0, c]


def test_hand_computed_examples():
    q, p, i2 = q_i2([-0.5, 0.5], [0.5, 0.5])
    assert (q, i2) == (pytest.approx(2.0), pytest.approx(50.0))
    assert p > 0.10  # so I² alone decides at 50%
    q, p, i2 = q_i2([-1, 0, 1], [0.5] * 3)
    assert (q, i2) == (pytest.approx(8.0), pytest.approx(75.0))


@pytest.mark.parametrize(("i2", "expected"), [(49.9, "not_serious"), (50.0, "serious"), (50.1, "serious")])
def test_i2_around_50_with_straddle(i2, expected):
    ys = [-0.5, 0.5] if i2 == 50.0 else two_studies_with_i2(i2)
    _, p, measured = q_i2(ys, [0.5, 0.5])
    assert measured == pytest.approx(i2) and p > 0.10  # Q p does not decide here
    d = inc(generic(ys, [0.5, 0.5], mid=0.25))  # studies at about ±0.5: an important benefit and harm
    assert d.rating.value == expected
    shown = f"{i2:g}%"
    assert d.proposal.facts[0].startswith(f"I² = {shown}")
    if expected == "serious":
        assert d.proposal.rule == "INC-STRADDLE"
        assert d.levels == 1 and f"I² = {shown}" in d.footnote
    else:
        assert d.proposal.rule == "INC-I2" and d.footnote is None
        assert "49.9%" in d.proposal.explanation


@pytest.mark.parametrize(("i2", "expected"), [(74.9, "serious"), (75.0, "very_serious"), (75.1, "very_serious")])
def test_i2_around_75_with_important_benefit_and_harm(i2, expected):
    ys = [-1.0, 0.0, 1.0] if i2 == 75.0 else three_studies_with_i2(i2)
    assert q_i2(ys, [0.5] * 3)[2] == pytest.approx(i2)
    # mid 0.5: the first study shows an important harm (below −0.5), the last an important benefit
    d = inc(generic(ys, [0.5] * 3, mid=0.5))
    assert d.rating.value == expected
    assert d.proposal.rule == "INC-STRADDLE"
    assert f"I² = {i2:g}%" in d.footnote
    if expected == "very_serious":
        assert d.levels == 2
        assert "important benefit and others an important harm" in d.footnote


def test_i2_above_75_but_straddling_only_one_threshold_is_serious():
    # estimates 0, 1, 2 (mid 0.5): trivial and important benefit, no important harm → one level
    ys = [0.0, 1.0, 2.0]
    assert q_i2(ys, [0.5] * 3)[2] == pytest.approx(75.0)  # Q = 4·(1 + 0 + 1) = 8 on 2 df
    d = inc(generic(ys, [0.5] * 3, mid=0.5))
    assert d.rating.value == "serious"


def test_large_i2_all_on_the_same_side_is_not_serious_by_default():
    ys = [1.0, 2.0, 3.0]  # I² = 75%, every estimate an important benefit (mid 0.5)
    d = inc(generic(ys, [0.5] * 3, mid=0.5))
    assert d.rating.value == "not_serious"
    assert d.proposal.rule == "INC-STRADDLE"
    assert "same side" in d.proposal.explanation


def q_p_body(p_target: float):
    """20 studies at ±c with SE 1: Q = 20c² on 19 df; c chosen so Q has chi-square p = p_target."""
    q = stats.chi2.isf(p_target, 19)
    c = math.sqrt(q / 20)
    return [c if i % 2 else -c for i in range(20)], [1.0] * 20


@pytest.mark.parametrize(("p", "expected"), [(0.099, "serious"), (0.101, "not_serious")])
def test_q_p_around_0_10_with_i2_below_50(p, expected):
    ys, ses = q_p_body(p)
    _, measured_p, i2 = q_i2(ys, ses)
    assert measured_p == pytest.approx(p) and i2 < 50  # only Q p can make it important
    d = inc(generic(ys, ses, mid=0.2))  # estimates ±c ≈ ±1.17: both sides of ±0.2
    assert d.rating.value == expected
    if expected == "serious":
        assert f"Q p = {p:.2g}" in d.footnote


def test_single_study_is_not_applicable():
    d = inc(generic([0.3], [0.1], mid=0.5))
    assert d.rating.value == "not_serious"
    assert d.status == "not_applicable"
    assert d.proposal.rule == "INC-SINGLE"
    assert d.levels == 0 and d.footnote is None


def test_summary_with_one_study_is_not_applicable():
    d = dom(assess_one(summary_outcome(0.7, (0.6, 0.8), participants=300, studies=1)), "inconsistency")
    assert d.proposal.rule == "INC-SINGLE" and d.status == "not_applicable"


def test_summary_without_i2_is_not_assessed():
    d = dom(assess_one(summary_outcome(0.7, (0.6, 0.8))), "inconsistency")
    assert d.rating is None and d.status == "not_assessed" and d.proposal.rule == "INC-NONE"


def test_summary_with_small_i2_is_not_serious():
    d = dom(assess_one(summary_outcome(0.7, (0.6, 0.8), summary_extra={"i2": 30})), "inconsistency")
    assert d.rating.value == "not_serious" and d.proposal.rule == "INC-I2"
    assert "I² = 30%" in d.proposal.facts[0]


def test_summary_with_large_i2_cannot_check_the_straddle_so_is_not_assessed():
    # no per-study estimates: nothing measured says they lie on one side of the threshold
    d = dom(assess_one(summary_outcome(0.7, (0.6, 0.8), summary_extra={"i2": 80})), "inconsistency")
    assert d.rating is None and d.status == "not_assessed"
    assert d.proposal.rule == "INC-STRADDLE"
    assert "I² = 80%" in d.proposal.explanation


def test_summary_with_large_i2_under_pollock_is_serious():
    d = dom(
        assess_one(summary_outcome(0.7, (0.6, 0.8), summary_extra={"i2": 80}), None, "pollock-2016"), "inconsistency"
    )
    assert d.rating.value == "serious" and d.proposal.rule == "INC-I2"


def test_no_threshold_large_i2_is_not_assessed():
    # GENERIC measure without thresholds: there are no zones to place the estimates in
    d = inc(generic([-1.0, 0.0, 1.0], [0.5] * 3))
    assert d.rating is None and d.status == "not_assessed"


def test_ratio_measure_uses_the_relative_threshold():
    # log RR ±0.5 (RR 0.61 and 1.65): both beyond 0.8 / 1.25 → important benefit and harm
    ys = [math.log(0.6), math.log(1.0), math.log(1 / 0.6)]
    assert q_i2(ys, [0.1] * 3)[2] > 75
    d = inc(generic(ys, [0.1] * 3, measure="RR"))
    assert d.rating.value == "very_serious"


def test_prediction_interval_straddle_counts_even_when_estimates_agree():
    # DerSimonian–Laird random effects, by hand: all estimates above mid 0.5, but τ² is large
    ys, ses = [0.6, 1.0, 1.4, 1.8, 2.2], [0.1] * 5
    w = [1 / s**2 for s in ses]
    q = q_i2(ys, ses)[0]
    tau2 = max(0.0, (q - 4) / (sum(w) - sum(x * x for x in w) / sum(w)))
    ws = [1 / (s**2 + tau2) for s in ses]
    mu = sum(a * y for a, y in zip(ws, ys, strict=True)) / sum(ws)
    half = 1.959963984540054 * math.sqrt(tau2 + 1 / sum(ws))
    assert mu - half < 0.5 < mu + half  # the (normal) prediction interval crosses the MID
    d = inc(generic(ys, ses, mid=0.5, analysis={"model": "random", "method": "DL"}))
    assert d.rating.value == "serious"
    assert any("prediction interval crosses" in f for f in d.proposal.facts)
    # the same data with a fixed-effect model (no prediction interval): all on one side → not serious
    assert inc(generic(ys, ses, mid=0.5)).rating.value == "not_serious"
