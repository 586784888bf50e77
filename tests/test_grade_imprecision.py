"""Imprecision: the CI against 0/1/2/3 thresholds (absolute and relative scales), the relative
single-crossing rule (default vs strict), sparse data (99/100), the optimal information size, the SMD
default threshold, and MD without a threshold.

Summary-level outcomes: the CI is chosen, so where it lies is known by hand. On the absolute scale the
risk difference of an RR at assumed risk p is (RR − 1)·p per person (rulebook R10.4): at p = 0.2,
RR 0.85 is 30 fewer per 1000.
"""

from __future__ import annotations

import pytest
from test_grade_helpers import assess_one, dom, ois_continuous, ois_dichotomous, summary_outcome


def imp(out, rules="default"):
    return dom(assess_one(out, None, rules), "imprecision")


ABS = {"thresholds": {"mid": 20, "moderate": 50, "large": 100}, "assumed_risk": {"value": 0.2}}


@pytest.mark.parametrize(
    ("ci", "expected", "crossed"),
    [
        ((0.92, 0.95), "not_serious", "16 fewer per 1,000 to 10 fewer per 1,000"),  # inside (−20, 20)
        ((0.85, 0.95), "serious", "30 fewer per 1,000 to 10 fewer per 1,000"),  # crosses −20
        ((0.70, 0.95), "very_serious", "60 fewer per 1,000 to 10 fewer per 1,000"),  # −50 and −20
        ((0.40, 0.95), "extremely_serious", "120 fewer per 1,000 to 10 fewer per 1,000"),  # −100, −50, −20
        ((0.85, 1.15), "very_serious", "30 fewer per 1,000 to 30 more per 1,000"),  # −20 and +20
    ],
)
def test_absolute_scale_crossings(ci, expected, crossed):
    est = round((ci[0] + ci[1]) / 2, 4)
    d = imp(summary_outcome(est, ci, participants=10_000, **ABS))
    assert d.rating.value == expected
    assert d.proposal.rule == "IMP-CROSS"
    assert any(crossed in f for f in d.proposal.facts)
    assert "assumed risk of 200 per 1,000" in d.proposal.threshold
    if expected != "not_serious":
        assert crossed in d.footnote and "IMP-CROSS" in d.footnote
    else:
        assert d.footnote is None


def test_absolute_scale_is_used_when_assumed_risk_and_mid_exist():
    # RR 0.85–0.95 never reaches 0.8 on the relative scale, but at an assumed risk of 30% it is
    # 45 to 15 fewer per 1000: it crosses the MID of 20 per 1000
    base = {"participants": 10_000}
    rel = imp(summary_outcome(0.9, (0.85, 0.95), **base))
    assert rel.rating.value == "not_serious"
    absolute = imp(summary_outcome(0.9, (0.85, 0.95), thresholds={"mid": 20}, assumed_risk={"value": 0.3}, **base))
    assert absolute.rating.value == "serious" and absolute.proposal.rule == "IMP-CROSS"
    assert "45 fewer per 1,000 to 15 fewer per 1,000" in absolute.footnote


def test_mid_without_assumed_risk_falls_back_to_the_relative_scale():
    d = imp(summary_outcome(0.9, (0.85, 0.95), participants=10_000, thresholds={"mid": 20}))
    assert d.rating.value == "not_serious"
    assert "ratio 0.75 or 1.25" in d.proposal.threshold  # GRADE 6's rough guide, as written


# --- relative scale (no assumed risk) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("ci", "default", "strict"),
    [
        ((0.85, 0.95), "not_serious", "not_serious"),  # no crossing
        ((0.78, 0.95), "not_serious", "not_serious"),  # 0.78: above GRADE 6's 0.75 (not the log-symmetric 0.80)
        ((0.75, 0.95), "not_serious", "not_serious"),  # touching 0.75 is not crossing it
        ((0.74, 0.95), "not_serious", "serious"),  # one crossing: flagged by default, rated down by strict
        ((0.90, 1.30), "not_serious", "serious"),  # one crossing, on the harm side
        ((0.74, 1.26), "very_serious", "very_serious"),  # spans both 0.75 and 1.25
    ],
)
def test_relative_crossings_default_vs_strict(ci, default, strict):
    out = summary_outcome(0.9 if ci[0] < 0.9 < ci[1] else (ci[0] + ci[1]) / 2, ci, participants=1000)
    d = imp(out)
    s = imp(out, "strict")
    assert (d.rating.value, s.rating.value) == (default, strict)
    if ci[0] < 0.75 or ci[1] > 1.25:
        assert d.proposal.rule == "IMP-RELATIVE"
        assert s.proposal.rule == "IMP-RELATIVE"
    if default == "not_serious" and d.proposal.rule == "IMP-RELATIVE":
        assert "crosses one relative threshold" in d.proposal.explanation
        assert d.footnote is None
    if strict != "not_serious":
        assert f"{ci[0]:.2f} to {ci[1]:.2f}" in s.footnote


def test_relative_threshold_from_the_outcome_replaces_the_default():
    out = summary_outcome(0.95, (0.70, 1.30), participants=1000, thresholds={"relative": 1.5})
    d = imp(out)
    assert d.rating.value == "not_serious"  # 0.67 and 1.5 are not crossed
    assert "ratio 0.67 or 1.50" in d.proposal.threshold
    assert imp(summary_outcome(0.95, (0.70, 1.30), participants=1000)).rating.value == "very_serious"


def test_any_effect_target_makes_the_null_a_threshold():
    out = summary_outcome(1.0, (0.9, 1.1), participants=1000, thresholds={"target": "any_effect"})
    d = imp(out)
    assert d.rating.value == "serious"  # crosses 1 only; the relative single-crossing leniency does not apply


def test_hazard_ratio_summary_is_judged_on_the_relative_scale():
    out = summary_outcome(0.95, (0.74, 1.3), participants=2000, type="generic", measure="HR")
    d = imp(out)
    assert d.rating.value == "very_serious" and d.proposal.rule == "IMP-RELATIVE"


# --- sparse data and optimal information size -----------------------------------------------------


@pytest.mark.parametrize(("n", "expected"), [(99, "serious"), (100, "not_serious"), (101, "not_serious")])
def test_sparse_participants_default(n, expected):
    d = imp(summary_outcome(0.9, (0.85, 0.95), participants=n, studies=2))
    assert d.rating.value == expected
    if expected == "serious":
        assert d.proposal.rule == "IMP-SPARSE"
        assert "only 99 participants (fewer than 100)" in d.footnote
    else:
        assert d.proposal.rule == "IMP-CROSS"


@pytest.mark.parametrize(("n", "expected"), [(199, "serious"), (200, "not_serious")])
def test_sparse_participants_strict(n, expected):
    d = imp(summary_outcome(0.9, (0.85, 0.95), participants=n, studies=2), "strict")
    assert d.rating.value == expected


def test_sparse_does_not_add_to_a_crossing():
    # 50 participants and a CI spanning both thresholds: very serious, not three levels
    d = imp(summary_outcome(1.0, (0.5, 2.0), participants=50, studies=2))
    assert d.rating.value == "very_serious" and d.proposal.rule == "IMP-RELATIVE"


def test_ois_dichotomous_below_and_at():
    ois = ois_dichotomous(0.2)  # independent formula: RRR 25%, α 0.05, power 0.8
    ci = (0.92, 0.95)  # −16 to −10 per 1000: no threshold crossed
    below = imp(summary_outcome(0.935, ci, participants=ois - 1, **ABS))
    at = imp(summary_outcome(0.935, ci, participants=ois, **ABS))
    assert below.rating.value == "serious" and below.proposal.rule == "IMP-OIS"
    assert f"optimal information size of {ois:,}" in below.footnote
    assert f"{ois - 1:,} participants" in below.footnote
    assert at.rating.value == "not_serious" and at.proposal.rule == "IMP-CROSS"


def test_ois_uses_the_summary_control_risk():
    # no assumed risk, but the summary gives the control-group risk (100/1000 = 10%)
    ois = ois_dichotomous(0.1)
    extra = {"events_c": 100, "participants_c": 1000, "participants_t": ois - 1001}
    out = summary_outcome(0.9, (0.85, 0.95), participants=ois - 1, summary_extra=extra)
    d = imp(out)
    assert d.rating.value == "serious" and d.proposal.rule == "IMP-OIS"
    assert "comparator risk 10.0%" in d.footnote


def test_ratio_without_any_control_risk_has_no_ois():
    d = imp(summary_outcome(0.9, (0.85, 0.95), participants=150))
    assert d.rating.value == "not_serious"
    assert not any("optimal information size" in f for f in d.proposal.facts)


# --- continuous outcomes --------------------------------------------------------------------------


def smd(ci, n, **kw):
    return summary_outcome((ci[0] + ci[1]) / 2, ci, participants=n, type="continuous", measure="SMD", **kw)


@pytest.mark.parametrize(
    ("ci", "expected"),
    [((0.10, 0.45), "not_serious"), ((0.10, 0.60), "serious"), ((-0.60, 0.60), "very_serious")],
)
def test_smd_default_threshold_0_5(ci, expected):
    d = imp(smd(ci, 5000))
    assert d.rating.value == expected
    assert d.proposal.threshold == "SMD ±0.5"
    assert any("default used: the rule set's SMD threshold of 0.5" in f for f in d.proposal.facts)


def test_smd_ois_below_and_at():
    ois = ois_continuous()
    assert imp(smd((0.10, 0.45), ois - 1)).proposal.rule == "IMP-OIS"
    assert imp(smd((0.10, 0.45), ois)).rating.value == "not_serious"


def test_smd_with_its_own_mid():
    d = imp(smd((0.10, 0.45), 5000, thresholds={"mid": 0.3}))
    assert d.rating.value == "serious"


def md(n, **kw):
    return summary_outcome(2.0, (1.0, 3.0), participants=n, type="continuous", measure="MD", **kw)


def test_md_without_threshold_only_sparse_or_ois():
    ois = ois_continuous()
    sparse = imp(md(50))
    assert sparse.rating.value == "serious" and sparse.proposal.rule == "IMP-SPARSE"
    small = imp(md(ois - 1))
    assert small.rating.value == "serious" and small.proposal.rule == "IMP-OIS"
    # enough participants but nothing to judge the CI against: not assessed, never "not serious"
    big = imp(md(ois))
    assert big.rating is None and big.status == "not_assessed" and big.proposal.rule == "IMP-NONE"
    assert any("give thresholds.mid" in f for f in big.proposal.facts)


def test_md_with_mid_is_judged_on_its_scale():
    d = imp(md(5000, thresholds={"mid": 2.5}))
    assert d.rating.value == "serious"  # 1.0 to 3.0 crosses 2.5
    assert "1 to 3" in d.footnote


def test_participants_not_reported_and_no_threshold_is_not_assessed():
    d = imp(summary_outcome(2.0, (1.0, 3.0), participants=None, type="continuous", measure="MD"))
    assert d.rating is None and d.status == "not_assessed"
