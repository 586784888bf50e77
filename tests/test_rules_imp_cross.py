"""IMP-CROSS (gradecli/grade/rules/imp_cross.py): the PASS and FAIL examples of its documentation,
and the edges of the target and its thresholds (Core GRADE 2; GRADE 34/35).

The target comes from the point estimate: beyond the MID on its side -> an important effect (a value
exactly at the MID counts as reaching it); inside -> little or no important effect; no MID -> a
non-null effect (the null is the threshold). One threshold of the target crossed -> −1, the other
side's MID too -> −2, both ``large`` boundaries inside the CI -> −3; same-side crossings of
``moderate``/``large`` add nothing. Absolute effects by hand: 1000 × risk × (RR − 1) per 1,000.
"""

from __future__ import annotations

import pytest
from test_grade_helpers import assess_one, dom, outcome, rule_context, summary_outcome

from gradecli.grade.rules.imp_cross import ImpCross


def md(est, ci, **kw):
    kw.setdefault("thresholds", {"mid": 10})
    return summary_outcome(est, ci, participants=1000, type="continuous", measure="MD", **kw)


def judge(out):
    ctx, scale, _ = rule_context(out)
    return ImpCross.judge(ctx, scale)


def imp(out):
    return dom(assess_one(out), "imprecision")


# -- the documented examples ------------------------------------------------------------------------


def test_pass_md_beyond_the_mid_is_not_serious():
    # MID 10 points, MD −16 (−21 to −11): the whole CI is an important reduction
    out = md(-16.0, (-21.0, -11.0), benefit="lower", scale="0–100")
    proposal = judge(out)
    assert proposal is not None and proposal.rule == "IMP-CROSS" and proposal.rating.value == "not_serious"
    assert proposal.path[0].startswith("target: an important reduction (benefit)")
    assert proposal.path[-1].endswith("crosses no threshold of the target → 0")
    d = imp(out)
    assert d.proposal.rule == "IMP-CROSS" and d.rating.value == "not_serious" and d.footnote is None


def test_fail_both_mids_crossed_is_very_serious():
    # the documentation's numbers as a risk difference: 15 more (42 fewer to 106 more) per 1,000,
    # MIDs 20 fewer / 20 more: the estimate is trivial, the CI reaches past both MIDs
    rd = summary_outcome(0.015, (-0.042, 0.106), participants=410, measure="RD", thresholds={"mid": 20})
    proposal = judge(rd)
    assert proposal is not None and proposal.rating.value == "very_serious" and proposal.needs_confirmation
    assert proposal.path[0].startswith("target: little or no important effect")
    assert (
        proposal.path[1]
        == "the 95% CI (−42 to 106 per 1,000) crosses the MID (20 per 1,000) and the MID (20 per 1,000) → −2"
    )
    # the same as a ratio at 14% (the rulebook's W2a): 1000 × 0.14 × (RR − 1) = 15.4 more
    # (43.4 fewer to 109.2 more)
    rr = summary_outcome(1.11, (0.69, 1.78), participants=410, assumed_risk={"value": 0.14}, thresholds={"mid": 20})
    d = imp(rr)
    assert d.rating.value == "very_serious" and d.proposal.rule == "IMP-CROSS" and d.proposal.needs_confirmation
    assert "43 fewer per 1,000 to 109 more per 1,000" in d.footnote


def test_fail_no_mid_null_crossing_is_serious():
    # W1: no MID, RR 0.82 (0.64–1.04) at 12%: 22 fewer (43 fewer to 5 more) crosses the null
    out = summary_outcome(0.82, (0.64, 1.04), participants=3100, assumed_risk={"value": 0.12})
    proposal = judge(out)
    assert proposal is not None and proposal.rating.value == "serious" and not proposal.needs_confirmation
    assert proposal.path[0] == "target: any reduction (a non-null effect) — no MID given: the null is the threshold"
    assert "crosses the null → −1" in proposal.path[1]
    assert proposal.facts == ["95% CI 43 fewer per 1,000 to 5 more per 1,000"]
    d = imp(out)
    assert d.rating.value == "serious" and d.proposal.rule == "IMP-CROSS"


# -- the point estimate fixes the target -------------------------------------------------------------


@pytest.mark.parametrize(
    ("ci", "expected"),
    [
        ((-8.0, -2.0), "not_serious"),  # the whole CI trivial
        ((-12.0, -2.0), "serious"),  # reaches past −10
        ((-12.0, 12.0), "very_serious"),  # past −10 and +10
    ],
)
def test_little_or_no_effect_target(ci, expected):
    proposal = judge(md(-5.0, ci))
    assert proposal is not None and proposal.rating.value == expected
    assert proposal.path[0] == "target: little or no important effect — the point estimate (−5) lies inside the MIDs"
    assert proposal.needs_confirmation is (expected == "very_serious")


@pytest.mark.parametrize(
    ("ci", "expected"),
    [
        ((-20.0, -12.0), "not_serious"),  # beyond −10 throughout
        ((-20.0, -5.0), "serious"),  # the near limit is trivial
        ((-20.0, 11.0), "very_serious"),  # also past the other side's MID
    ],
)
def test_important_effect_target(ci, expected):
    proposal = judge(md(-15.0, ci))
    assert proposal is not None and proposal.rating.value == expected
    assert proposal.path[0] == "target: an important reduction — the point estimate (−15) lies beyond the MID (10)"


def test_a_ci_limit_exactly_at_the_mid_reaches_it_no_crossing():
    # MD −16 (−21 to −10), MID 10: the near limit reaches the MID, so the CI is important throughout
    proposal = judge(md(-16.0, (-21.0, -10.0)))
    assert proposal is not None and proposal.rating.value == "not_serious"
    # a hair short of it crosses
    short = judge(md(-16.0, (-21.0, -9.99)))
    assert short is not None and short.rating.value == "serious"


def test_a_point_estimate_exactly_at_the_mid_is_an_important_effect():
    out = md(-10.0, (-15.0, -5.0))
    proposal = judge(out)
    assert proposal is not None
    assert proposal.path[0] == "target: an important reduction — the point estimate (−10) lies beyond the MID (10)"
    assert proposal.rating.value == "serious"  # the near limit (−5) is trivial: the MID is crossed
    o = assess_one(out)
    assert o.target.kind == "important_effect" and o.zone == "important"
    inside = assess_one(md(-9.99, (-15.0, -5.0)))
    assert inside.target.kind == "little_or_no_effect" and inside.zone == "trivial"


def test_absolute_point_estimate_exactly_at_the_mid_is_an_important_effect():
    out = summary_outcome(0.90, (0.80, 0.95), participants=10_000, thresholds={"mid": 20}, assumed_risk={"value": 0.2})
    o = assess_one(out)
    assert o.target.kind == "important_effect" and o.zone == "important"


def test_absolute_ci_limit_exactly_at_the_mid_is_no_crossing():
    out = summary_outcome(0.50, (0.30, 0.90), participants=10_000, thresholds={"mid": 20}, assumed_risk={"value": 0.2})
    assert imp(out).rating.value == "not_serious"


def test_a_ci_limit_exactly_at_the_far_mid_reaches_an_important_effect():
    far = judge(md(-15.0, (-25.0, 10.0)))
    assert far is not None and "an important increase" in far.explanation
    assert far.rating.value == "very_serious"  # the explanation's own words: important benefit and harm
    little = judge(md(-2.0, (-10.0, 5.0)))
    assert little is not None and little.rating.value == "serious"  # −10 is an important reduction
    # one-sided MID: +20 is exactly 2 × the benefit MID of 10, an important harm
    assert judge(one_sided(-15.0, (-25.0, 20.0))).rating.value == "very_serious"


# -- one-sided MID: the other side is 2 × that MID (gradecli's choice) ------------------------------


def one_sided(est, ci):
    return md(est, ci, benefit="lower", thresholds={"mid_benefit": 10})


def test_one_sided_mid_the_other_side_uses_twice_that_mid():
    # benefit is a reduction with MID 10; the harm side has no MID of its own: 2 × 10 = 20
    assert judge(one_sided(-15.0, (-25.0, 15.0))).rating.value == "serious"  # +15 is still trivial harm
    beyond = judge(one_sided(-15.0, (-25.0, 21.0)))
    assert beyond.rating.value == "very_serious"
    assert "the MID (20) (2 × the MID on this side, gradecli's choice) → −2" in beyond.path[1]
    # a little-or-no target: +18 is inside the 20 on the harm side, −12 beyond the benefit MID
    assert judge(one_sided(5.0, (-8.0, 18.0))).rating.value == "not_serious"
    assert judge(one_sided(5.0, (-12.0, 18.0))).rating.value == "serious"
    # an estimate of +15 is trivial harm (below 20); +25 is an important harm
    assert assess_one(one_sided(15.0, (5.0, 25.0))).target.kind == "little_or_no_effect"
    harm = assess_one(one_sided(25.0, (21.0, 30.0)))
    assert harm.target.kind == "important_effect" and harm.target.direction == "harm"


def test_one_sided_mid_is_labelled_gradeclis_choice():
    o = assess_one(one_sided(5.0, (-8.0, 18.0)))
    assert o.target.mid_benefit == 10 and o.target.mid_harm == 20
    assert (
        o.target.methods_line
        == "Certainty rated for: little or no important effect (MID 10; MID 20 (gradecli's choice))"
    )
    assert any("2 × the other side's MID (gradecli's choice" in d for d in o.target.defaults_used)
    harm = assess_one(one_sided(25.0, (21.0, 30.0)))
    assert harm.target.methods_line == "Certainty rated for: an important increase (harm) (MID 20 (gradecli's choice))"


# -- moderate and large -----------------------------------------------------------------------------


def test_same_side_crossings_of_moderate_and_large_add_nothing():
    # MID 1, moderate 3, large 6: −8 to −0.5 passes −6, −3 and −1, all on the estimate's side
    proposal = judge(md(-5.0, (-8.0, -0.5), thresholds={"mid": 1, "moderate": 3, "large": 6}))
    assert proposal is not None and proposal.rating.value == "serious" and not proposal.needs_confirmation


@pytest.mark.parametrize(
    ("ci", "expected"),
    [
        ((-8.0, 8.0), "extremely_serious"),  # −6 and +6 both inside
        ((-6.0, 6.0), "extremely_serious"),  # reaching both large boundaries counts
        ((-8.0, 5.9), "very_serious"),  # a large reduction but not a large increase
    ],
)
def test_large_reduction_to_large_increase_is_three_levels(ci, expected):
    proposal = judge(md(-5.0, ci, thresholds={"mid": 1, "moderate": 3, "large": 6}))
    assert proposal is not None and proposal.rating.value == expected and proposal.needs_confirmation
    if expected == "extremely_serious":
        assert "a large reduction and a large increase → −3" in proposal.path[1]


def test_three_levels_on_the_absolute_scale():
    # RR 1.0 (0.4–1.6) at 20%: 0 (120 fewer to 120 more) per 1,000 spans −100 and +100
    out = summary_outcome(
        1.0,
        (0.4, 1.6),
        participants=10_000,
        thresholds={"mid": 20, "moderate": 50, "large": 100},
        assumed_risk={"value": 0.2},
    )
    d = imp(out)
    assert d.rating.value == "extremely_serious" and d.proposal.rule == "IMP-CROSS" and d.levels == 3


# -- does not apply; switched off -------------------------------------------------------------------


def test_does_not_apply_without_a_ci():
    out = outcome(type="continuous", measure="MD", summary={"participants": 200, "studies": 2})  # no result
    ctx, scale, _ = rule_context(out)
    assert ImpCross.judge(ctx, scale) is None
    assert imp(out).proposal.rule == "IMP-NONE"


def test_no_mid_the_null_is_the_threshold():
    # an MD without an MID is judged against 0 (never "not assessed" for want of a threshold)
    assert judge(md(-5.0, (-8.0, -2.0), thresholds=None)).rating.value == "not_serious"
    crossing = judge(md(-5.0, (-8.0, 0.5), thresholds=None))
    assert crossing.rating.value == "serious" and "crosses the null → −1" in crossing.path[1]
    # a ratio without an MID: −1 here, and IMP-RELATIVE adds the second level (0.6–1.6 spans 0.75/1.25)
    ratio = summary_outcome(1.0, (0.6, 1.6), participants=1000)
    assert judge(ratio).rating.value == "serious"
    assert imp(ratio).rating.value == "very_serious" and imp(ratio).proposal.rule == "IMP-RELATIVE"


def test_any_effect_makes_the_null_a_threshold_beside_the_mid():
    # MID 1, MD 0.2 (−0.3 to 0.7): a trivial estimate and a trivial CI, but it crosses the null
    assert judge(md(0.2, (-0.3, 0.7), thresholds={"mid": 1})).rating.value == "not_serious"
    stated = judge(md(0.2, (-0.3, 0.7), thresholds={"mid": 1, "target": "any_effect"}))
    assert stated.rating.value == "serious"
    assert stated.path[0] == "target: any increase (a non-null effect) — thresholds.target: any_effect"
    both = judge(md(0.2, (-1.5, 1.5), thresholds={"mid": 1, "target": "any_effect"}))
    assert both.rating.value == "very_serious" and "the null and both MIDs → −2" in both.path[1]


def test_switched_off_the_domain_is_not_assessed(tmp_path):
    path = tmp_path / "off.yaml"
    path.write_text("name: off\nextends: default\nrules: {IMP-CROSS: {enabled: false}}\n")
    d = dom(assess_one(md(-5.0, (-8.0, 0.5)), None, str(path)), "imprecision")
    assert d.rating is None and d.proposal.rule == "IMP-CROSS"
    assert d.proposal.explanation.startswith("the rule set off switches off IMP-CROSS")
