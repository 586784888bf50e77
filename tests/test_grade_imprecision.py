"""Imprecision through the engine (gradecli/grade/domains/imprecision.py): the target from the point
estimate (Core GRADE 2), the CI against it on the absolute, relative and difference scales, the no-MID
null target and its fallback zone, sparse data (a strict-only check now), the optimal information size
for large effects, SMD and MD outcomes.

Summary-level outcomes: the CI is chosen, so where it lies is known by hand. On the absolute scale the
risk difference of an RR at comparator risk p is 1000 · p · (RR − 1) per 1,000 (rulebook R10.4): at
p = 0.2, RR 0.85 is 30 fewer per 1,000.
"""

from __future__ import annotations

import pytest
from test_grade_helpers import assess_one, dom, ois_continuous, ois_dichotomous, summary_outcome, with_rules


def imp(out, rules="default"):
    return dom(assess_one(out, None, rules), "imprecision")


ABS = {"thresholds": {"mid": 20, "moderate": 50, "large": 100}, "assumed_risk": {"value": 0.2}}


@pytest.mark.parametrize(
    ("est", "ci", "expected", "interval"),
    [
        # 13 fewer, inside ±20: little or no effect, the CI inside both MIDs
        (0.935, (0.92, 0.95), "not_serious", "16 fewer per 1,000 to 10 fewer per 1,000"),
        # 18 fewer: little or no effect, the CI reaches past −20
        (0.91, (0.85, 0.95), "serious", "30 fewer per 1,000 to 10 fewer per 1,000"),
        # 35 fewer: an important reduction; −60 passes −50 too, but same-side crossings add nothing
        (0.825, (0.70, 0.95), "serious", "60 fewer per 1,000 to 10 fewer per 1,000"),
        # 65 fewer: −120 passes −100, −50 and −20, all on the estimate's side: still one level
        (0.675, (0.40, 0.95), "serious", "120 fewer per 1,000 to 10 fewer per 1,000"),
        # 0: past −20 and +20
        (1.0, (0.85, 1.15), "very_serious", "30 fewer per 1,000 to 30 more per 1,000"),
        # 0: from −120 to +120, both `large` boundaries (±100) inside the CI
        (1.0, (0.40, 1.60), "extremely_serious", "120 fewer per 1,000 to 120 more per 1,000"),
    ],
)
def test_absolute_scale_crossings(est, ci, expected, interval):
    d = imp(summary_outcome(est, ci, participants=10_000, **ABS))
    assert d.rating.value == expected
    assert d.proposal.rule == "IMP-CROSS"
    assert f"95% CI {interval}" in d.proposal.facts
    assert d.proposal.threshold == "MID per 1,000 at a comparator risk of 200 per 1,000"
    assert d.proposal.needs_confirmation is (expected in ("very_serious", "extremely_serious"))
    if expected != "not_serious":
        assert interval in d.footnote and "IMP-CROSS" in d.footnote
    else:
        assert d.footnote is None


def test_absolute_scale_is_used_when_assumed_risk_and_mid_exist():
    # RR 0.85–0.95 excludes the null, but at an assumed risk of 30% it is 45 to 15 fewer per 1,000:
    # it crosses the MID of 20 per 1,000
    base = {"participants": 10_000}
    rel = imp(summary_outcome(0.9, (0.85, 0.95), **base))
    assert rel.rating.value == "not_serious"
    absolute = imp(summary_outcome(0.9, (0.85, 0.95), thresholds={"mid": 20}, assumed_risk={"value": 0.3}, **base))
    assert absolute.rating.value == "serious" and absolute.proposal.rule == "IMP-CROSS"
    assert "45 fewer per 1,000 to 15 fewer per 1,000" in absolute.footnote


def test_absolute_mid_without_a_comparator_risk_falls_back_to_the_null():
    # an absolute MID cannot be used without a risk: the target is the null, and the default says why
    d = imp(summary_outcome(0.9, (0.85, 0.95), participants=10_000, thresholds={"mid": 20}))
    assert d.rating.value == "not_serious"  # excludes 1
    assert d.proposal.threshold == "no MID: the null; appreciable effect 0.75 or 1.25"
    assert any("the absolute MID needs a comparator risk" in f for f in d.proposal.facts)
    crossing = imp(summary_outcome(0.9, (0.70, 1.05), participants=10_000, thresholds={"mid": 20}))
    assert crossing.rating.value == "serious"  # crosses 1 (and reaches 0.75 only)


def test_a_ratio_with_a_comparator_risk_is_judged_on_the_absolute_scale_without_an_mid():
    # W1: RR 0.82 (0.64–1.04) at 12%: 1000 × 0.12 × (RR − 1) = 22 fewer (43 fewer to 5 more)
    d = imp(summary_outcome(0.82, (0.64, 1.04), participants=3100, assumed_risk={"value": 0.12}))
    assert d.rating.value == "serious"
    assert "95% CI 43 fewer per 1,000 to 5 more per 1,000" in d.proposal.facts
    assert d.proposal.threshold.endswith("judged at a comparator risk of 120 per 1,000")
    # the fallback zone at 12%: 0.75 and 1.25 → 30 fewer and 30 more
    spans = imp(summary_outcome(1.0, (0.70, 1.30), participants=3100, assumed_risk={"value": 0.12}))
    assert spans.rating.value == "very_serious" and spans.proposal.rule == "IMP-RELATIVE"
    assert "36 fewer per 1,000 to 36 more per 1,000" in spans.footnote


# --- relative scale (no comparator risk) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("ci", "expected", "rule"),
    [
        ((0.85, 0.95), "not_serious", "IMP-CROSS"),  # excludes the null
        ((0.74, 0.95), "not_serious", "IMP-CROSS"),  # past 0.75, but 0.75 is never the target
        ((0.90, 1.30), "serious", "IMP-CROSS"),  # crosses the null; reaches 1.25 only
        ((0.70, 1.10), "serious", "IMP-CROSS"),  # crosses the null; reaches 0.75 only
        ((0.74, 1.26), "very_serious", "IMP-RELATIVE"),  # spans both 0.75 and 1.25
        ((0.80, 1.20), None, "IMP-RELATIVE"),  # crosses the null wholly inside 0.75–1.25: needs an MID
    ],
)
def test_no_mid_relative_crossings(ci, expected, rule):
    est = 0.9 if ci[0] < 0.9 < ci[1] else round((ci[0] + ci[1]) / 2, 4)
    d = imp(summary_outcome(est, ci, participants=1000))
    assert d.proposal.rule == rule
    if expected is None:
        assert d.status == "not_assessed" and d.rating is None
    else:
        assert d.rating.value == expected
    if expected not in ("not_serious", None):
        assert f"{ci[0]:.2f} to {ci[1]:.2f}" in d.footnote
    # never "not serious" for a CI that crosses the null
    if ci[0] < 1 < ci[1]:
        assert d.rating is None or d.levels >= 1


def test_the_relative_single_crossing_leniency_is_gone():
    # the old `relative_single_crossing` setting no longer exists
    import pydantic

    from gradecli.grade.rules.imp_relative import ImpRelativeSettings

    with pytest.raises(pydantic.ValidationError):
        ImpRelativeSettings.model_validate({"relative_single_crossing": "not_serious"})


def test_relative_threshold_from_the_outcome_replaces_the_default():
    out = summary_outcome(0.95, (0.70, 1.30), participants=1000, thresholds={"relative": 1.5})
    d = imp(out)
    assert d.rating.value == "not_serious"  # 0.67 and 1.5 are not crossed
    assert "ratio 0.67 or 1.50" in d.proposal.threshold
    assert imp(summary_outcome(0.95, (0.70, 1.30), participants=1000)).rating.value == "very_serious"


def test_any_effect_target_makes_the_null_a_threshold():
    # with the outcome's own relative MID of 1.5, RR 1.0 (0.9–1.1) is trivial and precise …
    base = summary_outcome(1.0, (0.9, 1.1), participants=1000, thresholds={"relative": 1.5})
    assert imp(base).rating.value == "not_serious"
    # … but with target: any_effect the null is a threshold, and the CI crosses it
    out = summary_outcome(1.0, (0.9, 1.1), participants=1000, thresholds={"relative": 1.5, "target": "any_effect"})
    d = imp(out)
    assert d.rating.value == "serious" and d.proposal.rule == "IMP-CROSS"
    assert "thresholds.target: any_effect" in d.proposal.path[0]
    # no MID at all: the null target, inside the fallback zone → an MID is needed (not assessed)
    bare = summary_outcome(1.0, (0.9, 1.1), participants=1000, thresholds={"target": "any_effect"})
    assert imp(bare).status == "not_assessed" and imp(bare).proposal.rule == "IMP-RELATIVE"


def test_hazard_ratio_summary_is_judged_on_the_relative_scale():
    out = summary_outcome(0.95, (0.74, 1.3), participants=2000, type="generic", measure="HR")
    d = imp(out)
    assert d.rating.value == "very_serious" and d.proposal.rule == "IMP-RELATIVE"


# --- sparse data and optimal information size -----------------------------------------------------


@pytest.mark.parametrize("n", [50, 99, 100])
def test_sparse_participants_are_not_a_reason_by_default(n):
    d = imp(summary_outcome(0.9, (0.85, 0.95), participants=n, studies=2))
    assert d.rating.value == "not_serious" and d.proposal.rule == "IMP-CROSS"


@pytest.mark.parametrize(("n", "expected"), [(99, "serious"), (100, "not_serious"), (101, "not_serious")])
def test_sparse_participants_switched_on(n, expected):
    d = imp(summary_outcome(0.9, (0.85, 0.95), participants=n, studies=2), with_rules(IMP_SPARSE={"enabled": True}))
    assert d.rating.value == expected
    if expected == "serious":
        assert d.proposal.rule == "IMP-SPARSE"
        assert "only 99 participants (fewer than 100)" in d.footnote
    else:
        assert d.proposal.rule == "IMP-CROSS"


@pytest.mark.parametrize(("n", "expected"), [(199, "serious"), (200, "not_serious")])
def test_sparse_participants_strict(n, expected):
    # at 80% the OIS is 158 (2 × ⌈7.848879 × 0.4 / 0.04⌉), so strict's OIS check passes from 158 on
    assert ois_dichotomous(0.8) == 158
    out = summary_outcome(0.9, (0.85, 0.95), participants=n, studies=2, assumed_risk={"value": 0.8})
    d = imp(out, "strict")
    assert d.rating.value == expected
    assert d.proposal.rule == ("IMP-SPARSE" if expected == "serious" else "IMP-CROSS")


def test_sparse_does_not_add_to_a_crossing():
    # 50 participants (strict: fewer than 200) and a CI spanning both thresholds: two levels, not three
    d = imp(summary_outcome(1.0, (0.5, 2.0), participants=50, studies=2), "strict")
    assert d.rating.value == "very_serious" and d.proposal.rule == "IMP-RELATIVE"


def test_ois_only_for_a_large_effect():
    ois = ois_dichotomous(0.2)  # independent formula: RRR 25%, α 0.05, power 0.8
    assert ois == 1806
    # −16 to −10 per 1,000, 13 fewer: trivial and precise → no OIS, however few the participants
    small = imp(summary_outcome(0.935, (0.92, 0.95), participants=ois - 1, **ABS))
    assert small.rating.value == "not_serious" and small.proposal.rule == "IMP-CROSS"
    assert not any("optimal information size" in f for f in small.proposal.facts)
    # RR 0.40 (0.30–0.50): 120 fewer (140 to 100 fewer), beyond `large` 100 → the OIS applies
    below = imp(summary_outcome(0.40, (0.30, 0.50), participants=ois - 1, **ABS))
    at = imp(summary_outcome(0.40, (0.30, 0.50), participants=ois, **ABS))
    assert below.rating.value == "serious" and below.proposal.rule == "IMP-OIS"
    assert f"optimal information size of {ois:,}" in below.footnote
    assert f"{ois - 1:,} participants" in below.footnote
    assert at.rating.value == "not_serious" and at.proposal.rule == "IMP-CROSS"


def test_strict_asks_the_ois_for_every_ci_that_crosses_nothing():
    ois = ois_dichotomous(0.2)
    ci = (0.92, 0.95)  # −16 to −10 per 1,000: trivial, no threshold crossed
    below = imp(summary_outcome(0.935, ci, participants=ois - 1, **ABS), "strict")
    at = imp(summary_outcome(0.935, ci, participants=ois, **ABS), "strict")
    assert below.rating.value == "serious" and below.proposal.rule == "IMP-OIS"
    assert at.rating.value == "not_serious" and at.proposal.rule == "IMP-CROSS"


def test_ois_uses_the_summary_control_risk():
    # no assumed risk, but the summary gives the control-group risk (100/1000 = 10%); RR 0.60
    # (0.50–0.70) at 10% is 40 fewer (50 to 30 fewer): crosses nothing, a large effect
    ois = ois_dichotomous(0.1)
    extra = {"events_c": 100, "participants_c": 1000, "participants_t": ois - 1001}
    out = summary_outcome(0.60, (0.50, 0.70), participants=ois - 1, summary_extra=extra)
    d = imp(out)
    assert d.rating.value == "serious" and d.proposal.rule == "IMP-OIS"
    assert "comparator risk 10.0%" in d.footnote
    assert "95% CI 50 fewer per 1,000 to 30 fewer per 1,000" in d.proposal.facts


def test_ratio_without_any_control_risk_has_no_ois():
    d = imp(summary_outcome(0.9, (0.85, 0.95), participants=150))
    assert d.rating.value == "not_serious"
    assert not any("optimal information size" in f for f in d.proposal.facts)
    # a large effect needs one: not assessed, never a silent "not serious"
    large = imp(summary_outcome(0.5, (0.4, 0.6), participants=150))
    assert large.status == "not_assessed" and large.proposal.rule == "IMP-OIS"


# --- continuous outcomes --------------------------------------------------------------------------


def smd(ci, n, **kw):
    return summary_outcome(round((ci[0] + ci[1]) / 2, 4), ci, participants=n, type="continuous", measure="SMD", **kw)


@pytest.mark.parametrize(
    ("ci", "expected"),
    [
        ((0.10, 0.45), "not_serious"),  # excludes 0
        ((0.10, 0.60), "not_serious"),  # excludes 0; past 0.5, but 0.5 is never the target
        ((-0.10, 0.60), "serious"),  # crosses 0, reaches +0.5 only
        ((-0.60, 0.60), "very_serious"),  # crosses 0 and spans ±0.5
        ((-0.30, 0.40), None),  # crosses 0 wholly inside ±0.5: needs an MID
    ],
)
def test_smd_without_an_mid_is_judged_against_the_null(ci, expected):
    d = imp(smd(ci, 5000))
    if expected is None:
        assert d.status == "not_assessed" and d.proposal.rule == "IMP-RELATIVE"
    else:
        assert d.rating.value == expected
        assert d.proposal.threshold == "no MID: the null; appreciable effect SMD ±0.5"
        assert any("default used: the rule set's appreciable SMD of 0.5" in f for f in d.proposal.facts)


def test_smd_ois_for_a_large_effect():
    ois = ois_continuous()  # SMD 0.2: 786
    large = (0.70, 1.00)  # SMD 0.85: large (≥ 0.8), excludes 0
    assert imp(smd(large, ois - 1)).proposal.rule == "IMP-OIS"
    assert imp(smd(large, ois - 1)).rating.value == "serious"
    assert imp(smd(large, ois)).rating.value == "not_serious"
    # a small SMD needs no OIS
    assert imp(smd((0.10, 0.45), 100)).rating.value == "not_serious"


def test_smd_with_its_own_mid():
    d = imp(smd((0.10, 0.45), 5000, thresholds={"mid": 0.3}))
    assert d.rating.value == "serious"  # 0.275 is trivial; the CI reaches past 0.3


def md(n, ci=(1.0, 3.0), **kw):
    return summary_outcome(2.0, ci, participants=n, type="continuous", measure="MD", **kw)


def test_md_without_threshold_is_judged_against_the_null():
    ois = ois_continuous()
    # 1 to 3 excludes 0; no pooled SD, so the size of the effect cannot be told: no OIS
    for n in (50, ois - 1, ois):
        d = imp(md(n))
        assert d.rating.value == "not_serious" and d.proposal.rule == "IMP-CROSS"
    crossing = imp(md(ois, ci=(-1.0, 5.0)))
    assert crossing.rating.value == "serious" and "crosses the null → −1" in " ".join(crossing.proposal.path)
    # strict: the OIS (SMD 0.2 fallback: 786) for every CI that crosses nothing, and sparse below 200:
    # 50 < 30% of 786 (235.8) is two levels
    few = imp(md(50), "strict")
    assert few.rating.value == "very_serious" and few.proposal.rule == "IMP-OIS" and few.proposal.needs_confirmation
    assert "only 50 participants (fewer than 200) → −1 (the rule set's minimum)" in few.proposal.path
    small = imp(md(ois - 1), "strict")
    assert small.rating.value == "serious" and small.proposal.rule == "IMP-OIS"
    assert imp(md(ois), "strict").rating.value == "not_serious"


def test_md_with_mid_is_judged_on_its_scale():
    d = imp(md(5000, thresholds={"mid": 2.5}))
    assert d.rating.value == "serious"  # 1.0 to 3.0 crosses 2.5
    assert "1 to 3" in d.footnote


def test_participants_not_reported_and_no_threshold_is_judged_against_the_null():
    d = imp(summary_outcome(2.0, (1.0, 3.0), participants=None, type="continuous", measure="MD"))
    assert d.rating.value == "not_serious" and d.proposal.rule == "IMP-CROSS"
    assert d.proposal.path[0].endswith("no MID given: the null is the threshold")


# --- the path -------------------------------------------------------------------------------------


def test_every_proposal_carries_its_path_ending_in_the_rating():
    d = imp(summary_outcome(0.40, (0.30, 0.50), participants=1000, **ABS))
    assert d.proposal.path == [
        "target: an important reduction — the point estimate (120 fewer per 1,000) lies beyond the MID "
        "(20 fewer per 1,000)",
        "the 95% CI (140 fewer per 1,000 to 100 fewer per 1,000) crosses no threshold of the target → 0",
        "a large effect (beyond `large` 100 fewer per 1,000): the optimal information size applies",
        "1,000 participants < OIS 1,806 → −1",
        "imprecision: serious",
    ]
