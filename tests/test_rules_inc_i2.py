"""INC-I2 (gradecli/grade/rules/inc_i2.py): the PASS and FAIL examples of its documentation."""

from __future__ import annotations

import math

import pytest
from test_grade_helpers import FIXED, assess_one, dom, generic_rows, outcome, q_i2, rule_context, summary_outcome

from gradecli.grade.rules.inc_i2 import IncI2

SES = [0.1] * 5
# two studies an important benefit (RR < 0.75), three between 0.75 and 1.25 (a trivial effect)
MIXED = [math.log(v) for v in (0.5, 0.55, 0.9, 0.95, 1.0)]
# studies beyond 0.75 on one side and 1.25 on the other: an important benefit and an important harm
OPPOSITE = [math.log(v) for v in (0.5, 0.5, 1.6, 1.6)]


def rows(ys):
    return outcome(type="generic", measure="RR", data=generic_rows(ys, SES[: len(ys)]), analysis=FIXED)


def test_pass_low_heterogeneity_is_not_serious():
    out = summary_outcome(0.8, (0.7, 0.9), summary_extra={"i2": 30})
    ctx, scale, rules = rule_context(out)
    proposal = IncI2.judge(ctx, rules.settings(IncI2), scale)
    assert proposal is not None and proposal.rule == "INC-I2" and proposal.rating.value == "not_serious"
    assert dom(assess_one(out), "inconsistency").proposal == proposal


def test_fail_large_i2_is_serious():
    assert q_i2(MIXED, SES)[2] > 75
    ctx, scale, rules = rule_context(rows(MIXED))
    proposal = IncI2.judge(ctx, rules.settings(IncI2), scale)
    assert proposal is not None and proposal.rating.value == "serious"
    assert proposal.threshold == "I² ≥ 50% or Q p < 0.1"
    # in the default rule set INC-STRADDLE refines it (and agrees); under Pollock 2016 INC-I2 decides alone
    assert dom(assess_one(rows(MIXED)), "inconsistency").proposal.rule == "INC-STRADDLE"
    pollock = dom(assess_one(rows(MIXED), None, "pollock-2016"), "inconsistency")
    assert pollock.proposal.rule == "INC-I2" and pollock.rating.value == "serious"


def test_very_serious_needs_benefit_and_harm():
    ctx, scale, rules = rule_context(rows(OPPOSITE))
    proposal = IncI2.judge(ctx, rules.settings(IncI2), scale)
    assert proposal is not None and proposal.rating.value == "very_serious"
    assert "important benefit and others an important harm" in (proposal.explanation or "")


@pytest.mark.parametrize(("i2", "expected"), [(49.9, "not_serious"), (50.0, "serious")])
def test_the_cut_off_is_inclusive(i2, expected):
    out = summary_outcome(0.8, (0.7, 0.9), summary_extra={"i2": i2})
    ctx, scale, rules = rule_context(out)
    proposal = IncI2.judge(ctx, rules.settings(IncI2), scale)
    assert proposal is not None and proposal.rating.value == expected


def test_does_not_apply_to_one_study_or_without_i2():
    for out in (summary_outcome(0.8, (0.7, 0.9), studies=1), summary_outcome(0.8, (0.7, 0.9))):
        ctx, scale, rules = rule_context(out)
        assert IncI2.judge(ctx, rules.settings(IncI2), scale) is None
