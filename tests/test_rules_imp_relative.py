"""IMP-RELATIVE (gradecli/grade/rules/imp_relative.py): the PASS and FAIL examples of its
documentation, and the edges of the fallback zone.

With no MID the target is a non-null effect and IMP-CROSS rates a CI crossing the null −1. The rule
set's appreciable effect (RR 0.75 / 1.25, GRADE 6's rough guide; SMD ±0.5, KCE) then tells two cases
apart: a CI reaching both fallback thresholds -> −2; a CI lying wholly inside them -> not assessed
(little or no difference needs an MID; the rulebook's W4b). A limit exactly at 0.75 or 1.25 reaches
the appreciable effect: it is not inside the zone.
"""

from __future__ import annotations

import pytest
from test_grade_helpers import assess_one, dom, rule_context, summary_outcome, with_rules

from gradecli.grade.rules.imp_relative import ImpRelative


def judge(out, rules="default"):
    ctx, scale, _ = rule_context(out, None, rules)
    return ImpRelative.judge(ctx, scale)


def imp(out, rules="default"):
    return dom(assess_one(out, None, rules), "imprecision")


def rr(ci, est=None, **kw):
    est = est if est is not None else 0.9 if ci[0] < 0.9 < ci[1] else round((ci[0] + ci[1]) / 2, 4)
    return summary_outcome(est, ci, participants=1000, **kw)


# -- the documented examples ------------------------------------------------------------------------


def test_pass_leaving_the_zone_on_one_side_only_is_imp_cross_serious():
    # no MID, RR 0.82 (0.64–1.04): crosses the null, reaches 0.75 but not 1.25
    out = rr((0.64, 1.04), est=0.82)
    assert judge(out) is None
    d = imp(out)
    assert d.rating.value == "serious" and d.proposal.rule == "IMP-CROSS" and not d.proposal.needs_confirmation


def test_fail_wholly_inside_the_zone_is_not_assessed():
    # no MID, RR 0.97 (0.91–1.04): crosses the null, but lies wholly inside 0.75–1.25
    out = rr((0.91, 1.04), est=0.97)
    proposal = judge(out)
    assert proposal is not None and proposal.rule == "IMP-RELATIVE" and proposal.rating is None
    assert "needs an MID" in proposal.explanation and "thresholds.mid" in proposal.explanation
    d = imp(out)
    assert d.status == "not_assessed" and d.rating is None and d.proposal.rule == "IMP-RELATIVE"
    assert d.proposal.path[-1].endswith("little or no difference needs an MID → not assessed")


def test_fail_spanning_both_fallback_thresholds_is_very_serious():
    # no MID, RR 1.0 (0.6–1.7): from an appreciable reduction to an appreciable increase
    out = rr((0.6, 1.7), est=1.0)
    proposal = judge(out)
    assert proposal is not None and proposal.rating.value == "very_serious" and proposal.needs_confirmation
    assert proposal.path == [
        "the 95% CI also spans the rule set's appreciable reduction and increase (0.75 to 1.25) → −2"
    ]
    d = imp(out)
    assert d.rating.value == "very_serious" and d.proposal.rule == "IMP-RELATIVE" and d.proposal.needs_confirmation


# -- the zone's edges -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ci", "expected"),
    [
        ((0.75, 1.25), "very_serious"),  # reaching both thresholds spans them
        ((0.74, 1.26), "very_serious"),
        ((0.75, 1.24), "serious"),  # reaches 0.75 only: not inside, not spanning → IMP-CROSS's −1
        ((0.76, 1.25), "serious"),  # reaches 1.25 only
        ((0.76, 1.24), None),  # wholly inside: not assessed
    ],
)
def test_limits_exactly_at_the_fallback_thresholds(ci, expected):
    d = imp(rr(ci))
    if expected is None:
        assert d.status == "not_assessed" and d.proposal.rule == "IMP-RELATIVE"
    else:
        assert d.rating.value == expected
        assert d.proposal.rule == ("IMP-RELATIVE" if expected == "very_serious" else "IMP-CROSS")


def test_the_zone_is_the_rule_sets_pair(tmp_path):
    # relative_threshold_low: null → 1/1.25 = 0.80: (0.78, 1.2) now reaches past the lower threshold
    assert imp(rr((0.78, 1.2))).status == "not_assessed"  # inside 0.75–1.25
    path = tmp_path / "symmetric.yaml"
    path.write_text("name: symmetric\nextends: default\nscale: {relative_threshold_low: null}\n")
    symmetric = str(path)
    d = imp(rr((0.78, 1.2)), symmetric)
    assert d.rating.value == "serious" and d.proposal.rule == "IMP-CROSS"
    assert imp(rr((0.80, 1.25)), symmetric).rating.value == "very_serious"


def test_the_zone_on_the_absolute_scale_at_the_comparator_risk():
    # at 12%: 0.75 → 1000 × 0.12 × (0.75 − 1) = 30 fewer; 1.25 → 30 more per 1,000
    risk = {"assumed_risk": {"value": 0.12}}
    spans = imp(rr((0.75, 1.25), **risk))
    assert spans.rating.value == "very_serious" and spans.proposal.rule == "IMP-RELATIVE"
    assert "(30 fewer per 1,000 to 30 more per 1,000) → −2" in spans.proposal.path[-2]
    inside = imp(rr((0.91, 1.04), est=0.97, **risk))  # 11 fewer to 5 more: inside ±30
    assert inside.status == "not_assessed" and "11 fewer per 1,000 to 5 more per 1,000" in inside.proposal.explanation


@pytest.mark.parametrize(
    ("ci", "expected"),
    [((-0.5, 0.5), "very_serious"), ((-0.6, 0.6), "very_serious"), ((-0.5, 0.3), "serious"), ((-0.49, 0.49), None)],
)
def test_smd_fallback_of_half_an_sd(ci, expected):
    out = summary_outcome(0.0, ci, participants=1000, type="continuous", measure="SMD")
    d = imp(out)
    if expected is None:
        assert d.status == "not_assessed" and d.proposal.rule == "IMP-RELATIVE"
    else:
        assert d.rating.value == expected


# -- does not apply ---------------------------------------------------------------------------------


def test_does_not_apply_without_a_null_crossing_or_with_an_mid():
    assert judge(rr((0.85, 0.95))) is None  # excludes the null: IMP-CROSS's "not serious"
    assert judge(rr((0.60, 0.74))) is None  # wholly beyond 0.75: still no crossing of the null
    assert judge(rr((0.60, 1.7), est=1.0, thresholds={"relative": 1.5})) is None  # an MID of its own
    absolute = rr((0.80, 1.10), est=0.95, thresholds={"mid": 20}, assumed_risk={"value": 0.3})
    assert judge(absolute) is None  # judged against its absolute MID (IMP-CROSS)
    md = summary_outcome(0.5, (-1.0, 2.0), participants=1000, type="continuous", measure="MD")
    assert judge(md) is None  # an MD has no fallback zone


def test_switched_off_it_is_skipped():
    off = with_rules(IMP_RELATIVE={"enabled": False})
    # without the zone, IMP-CROSS's null crossing stands: −1, never "not serious"
    assert imp(rr((0.6, 1.7), est=1.0), off).rating.value == "serious"
    inside = imp(rr((0.91, 1.04), est=0.97), off)
    assert inside.rating.value == "serious" and inside.proposal.rule == "IMP-CROSS"
