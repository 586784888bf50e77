"""PUB-UNINFORMATIVE (gradecli/grade/rules/pub_uninformative.py): the PASS and FAIL examples of its
documentation and both cut-offs (I² at least 50%; largest/smallest variance at most 4).

I² is dialled in by hand with a fixed-effect model: yᵢ = b·SEᵢ + rᵢ with r weighted-orthogonal to
(1, SEᵢ) leaves Egger's slope (b) and its z-test untouched and adds Σwᵢrᵢ² to Cochran's Q, so
Q = b²·Sxx + Σwr² and I² = (Q − df)/Q can be set exactly.
"""

from __future__ import annotations

import math

import pytest
from scipy import stats
from test_grade_helpers import (
    FIXED,
    assess_one,
    dom,
    egger_fixed,
    generic_rows,
    outcome,
    q_i2,
    rule_context,
    with_rules,
)

from gradecli.grade.rules.pub_egger import PubEgger
from gradecli.grade.rules.pub_uninformative import PubUninformative, PubUninformativeSettings

SES = [0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65]


def _orthogonal(ses: list[float]) -> list[float]:
    """An alternating vector with the weighted projections on 1 and SE removed (weights 1/SE²)."""
    w = [1 / s**2 for s in ses]
    u = [(-1.0) ** i for i in range(len(ses))]
    basis: list[list[float]] = []
    for b in ([1.0] * len(ses), list(ses)):
        for q in basis:
            c = sum(wi * bi * qi for wi, bi, qi in zip(w, b, q, strict=True))
            b = [bi - c * qi for bi, qi in zip(b, q, strict=True)]
        norm = math.sqrt(sum(wi * bi * bi for wi, bi in zip(w, b, strict=True)))
        basis.append([bi / norm for bi in b])
    for q in basis:
        c = sum(wi * ui * qi for wi, ui, qi in zip(w, u, q, strict=True))
        u = [ui - c * qi for ui, qi in zip(u, q, strict=True)]
    return u


def body(i2: float, p: float, ses: list[float] = SES, sign: int = -1):
    """Generic rows with I² = i2 (percent, fixed effect) and Egger's p = p, slope of sign ``sign``."""
    k = len(ses)
    _, p1 = egger_fixed(list(ses), ses)
    z1 = stats.norm.isf(p1 / 2)
    b = sign * stats.norm.isf(p / 2) / z1
    w = [1 / s**2 for s in ses]
    xbar = sum(wi * s for wi, s in zip(w, ses, strict=True)) / sum(w)
    q_slope = b * b * sum(wi * (s - xbar) ** 2 for wi, s in zip(w, ses, strict=True))
    q = (k - 1) / (1 - i2 / 100) if i2 > 0 else q_slope
    r = _orthogonal(ses)
    scale = math.sqrt(max(q - q_slope, 0.0) / sum(wi * ri * ri for wi, ri in zip(w, r, strict=True)))
    ys = [b * s + scale * ri for s, ri in zip(ses, r, strict=True)]
    return outcome(
        type="generic", measure="GENERIC", data=generic_rows(ys, list(ses)), analysis=FIXED, benefit="lower"
    ), ys


def judge(out, rules="default"):
    ctx, _, ruleset = rule_context(out, None, rules)
    return PubUninformative.judge(ctx, ruleset.settings(PubUninformative), ruleset.settings(PubEgger))


def test_the_construction_gives_the_i2_and_p_asked_for():
    _, ys = body(78.0, 0.40)
    assert q_i2(ys, SES)[2] == pytest.approx(78.0, abs=1e-9)
    assert egger_fixed(ys, SES)[1] == pytest.approx(0.40, rel=1e-9)


def test_pass_i2_0_and_a_wide_range_of_sizes():
    out, _ = body(0.0, 0.40)
    assert judge(out) is None
    d = dom(assess_one(out), "publication_bias")
    assert d.proposal.rule == "PUB-EGGER"
    assert "the small-study test is informative: I² 0% (< 50%), largest/smallest variance 42.2 (> 4)" in d.proposal.path


def test_fail_12_rcts_i2_78_egger_p_040():
    out, _ = body(78.0, 0.40)
    proposal = judge(out)
    assert proposal is not None and proposal.rule == "PUB-UNINFORMATIVE" and proposal.rating is None
    assert proposal.needs_confirmation
    assert proposal.explanation.startswith(
        "undetected — test uninformative: I² 78%, at least 50% (Egger's test p = 0.4, 12 studies)"
    )
    assert "test uninformative: I² 78%, at least 50%" in proposal.facts
    d = dom(assess_one(out), "publication_bias")
    assert d.rating is None and d.status == "not_assessed"


@pytest.mark.parametrize(("i2", "uninformative"), [(49.9, False), (50.0, True), (50.1, True)])
def test_i2_cut_off_is_at_or_above_50(i2, uninformative):
    out, _ = body(i2, 0.40)
    assert (judge(out) is not None) is uninformative


def _sized(ratio: float, k: int = 12):
    """SEs spread so that the largest variance is ``ratio`` times the smallest; I² 0."""
    top = math.sqrt(ratio) * 0.2
    ses = [0.2 + (top - 0.2) * i / (k - 1) for i in range(k)]
    out, _ = body(0.0, 0.40, ses)
    return out


@pytest.mark.parametrize(("ratio", "uninformative"), [(3.9, True), (4.0, True), (4.01, False)])
def test_variance_ratio_cut_off_at_most_4(ratio, uninformative):
    proposal = judge(_sized(ratio))
    assert (proposal is not None) is uninformative
    if uninformative:
        assert any("studies of similar size" in f for f in proposal.facts)


def test_a_significant_but_uninformative_test_is_named_never_hidden():
    out, _ = body(70.0, 0.01)
    proposal = judge(out)
    assert proposal.rating is None and proposal.explanation.startswith("test uninformative: I² 70%, at least 50%")
    assert "it finds asymmetry, p = 0.01 (Egger's test, 12 studies): smaller studies show more benefit" in (
        proposal.explanation
    )
    assert "no small-study asymmetry" not in proposal.explanation


def test_settings_off_and_null():
    out, _ = body(78.0, 0.40)
    off = with_rules(PUB_UNINFORMATIVE={"enabled": False})
    d = dom(assess_one(out, None, off), "publication_bias")
    assert d.proposal.rule == "PUB-EGGER" and d.rating.value == "not_serious"  # the test decides alone
    no_i2 = with_rules(PUB_UNINFORMATIVE={"i2_uninformative": None})
    assert judge(out, no_i2) is None
    assert judge(_sized(2.0), with_rules(PUB_UNINFORMATIVE={"min_variance_ratio": None})) is None
    with pytest.raises(ValueError):
        PubUninformativeSettings(min_variance_ratio=0.5)
