"""INC-STRADDLE (gradecli/grade/rules/inc_straddle.py): the PASS and FAIL examples of its documentation."""

from __future__ import annotations

import math

from test_grade_helpers import FIXED, assess_one, dom, generic_rows, outcome, rule_context, summary_outcome, with_rules

from gradecli.grade.rules.inc_i2 import IncI2
from gradecli.grade.rules.inc_straddle import IncStraddle

C = math.sqrt(0.05)
SAME = [math.log(0.5) + d for d in (-C, -C, 0.0, C, C)]  # I² = 80%, every estimate 0.40 to 0.63
MIXED = [math.log(v) for v in (0.5, 0.55, 0.9, 0.95, 1.0)]  # two beyond 0.75, three between 0.75 and 1.25


def rows(ys):
    return outcome(type="generic", measure="RR", data=generic_rows(ys, [0.1] * len(ys)), analysis=FIXED)


def judge(out, rules="default"):
    ctx, scale, ruleset = rule_context(out, None, rules)
    return IncStraddle.judge(ctx, ruleset.settings(IncI2), scale)


def test_pass_large_i2_on_one_side_of_the_thresholds_is_not_serious():
    assert all(math.exp(y) < 0.75 for y in SAME)
    proposal = judge(rows(SAME))
    assert proposal is not None and proposal.rule == "INC-STRADDLE" and proposal.rating.value == "not_serious"
    assert dom(assess_one(rows(SAME)), "inconsistency").proposal == proposal


def test_fail_estimates_in_different_zones_are_serious():
    proposal = judge(rows(MIXED))
    assert proposal is not None and proposal.rating.value == "serious"
    assert "fall on different sides of a threshold" in (proposal.explanation or "")


def test_cannot_tell_without_per_study_estimates():
    proposal = judge(summary_outcome(0.7, (0.6, 0.8), summary_extra={"i2": 80}))
    assert proposal is not None and proposal.rating is None and "no per-study estimates" in proposal.facts[-1]


def test_does_not_apply_when_i2_is_small():
    assert judge(summary_outcome(0.7, (0.6, 0.8), summary_extra={"i2": 20})) is None


def test_switched_off_inc_i2_decides_alone():
    off = with_rules(INC_STRADDLE={"enabled": False})
    d = dom(assess_one(rows(SAME), None, off), "inconsistency")
    assert d.proposal.rule == "INC-I2" and d.rating.value == "serious"
