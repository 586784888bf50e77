"""INC-I2 (gradecli/grade/rules/inc_i2.py): the PASS and FAIL examples of its documentation, and the
gate's cut-off (I² ≥ 40%, inclusive; Q p never a reason on its own).

Rewritten for Core GRADE 3 / the rulebook's R4.5: the gate moved from 50% to 40%, Q p < 0.10 no longer
rates down by itself, and INC-I2 alone never proposes two levels (the old very-serious test encoded
"−2 from point estimates", which R4.5 forbids: −2 is never automatic and needs the studies' CIs).
"""

from __future__ import annotations

import math

import pytest
from scipy import stats
from test_grade_helpers import FIXED, assess_one, dom, generic_rows, outcome, q_i2, rule_context, summary_outcome

from gradecli.grade.rules.inc_i2 import IncI2


def alternating(p_target: float, k: int = 24) -> tuple[list[float], list[float]]:
    """k studies at ±c with SE 1: Q = k·c² on k − 1 df (the mean is 0), c chosen so Q's p is p_target."""
    c = math.sqrt(stats.chi2.isf(p_target, k - 1) / k)
    return [c if i % 2 else -c for i in range(k)], [1.0] * k


def generic(ys, ses, **kw):
    return outcome(type="generic", measure="RR", data=generic_rows(ys, ses), analysis=FIXED, **kw)


def test_pass_small_i2_with_a_low_q_p_is_not_serious():
    # 24 studies, Q p = 0.09: Q = 32.5 on 23 df → I² = (32.5 − 23)/32.5 = 29%
    ys, ses = alternating(0.09)
    _, p, i2 = q_i2(ys, ses)
    assert p == pytest.approx(0.09) and 28 < i2 < 30
    ctx, _, rules = rule_context(generic(ys, ses))
    proposal = IncI2.judge(ctx, rules.settings(IncI2))
    assert proposal is not None and proposal.rule == "INC-I2" and proposal.rating.value == "not_serious"
    assert proposal.path[0] == f"I² = {i2:.1f}% < 40% (Q p = 0.09 < 0.1: shown, never a reason on its own) → 0"
    assert proposal.path[-1] == "inconsistency: not serious"
    assert dom(assess_one(generic(ys, ses)), "inconsistency").proposal == proposal


def test_fail_large_i2_opens_the_gate_and_alone_is_serious():
    out = summary_outcome(0.8, (0.7, 0.9), summary_extra={"i2": 80})
    ctx, _, rules = rule_context(out)
    proposal = IncI2.judge(ctx, rules.settings(IncI2))
    assert proposal is not None and proposal.rating.value == "serious" and proposal.threshold == "I² ≥ 40%"
    # by default INC-STRADDLE decides (here: no per-study CIs → not assessed); Pollock 2016: I² alone
    assert dom(assess_one(out), "inconsistency").proposal.rule == "INC-STRADDLE"
    pollock = dom(assess_one(out, None, "pollock-2016"), "inconsistency")
    assert pollock.proposal.rule == "INC-I2" and pollock.rating.value == "serious"
    assert pollock.proposal.path[0] == "I² = 80% > 75% → −1 (I² alone decides)"
    assert "INC-STRADDLE is switched off by the rule set pollock-2016" in pollock.proposal.path[1]


@pytest.mark.parametrize(("i2", "gate_open"), [(39.9, False), (40.0, True), (40.1, True)])
def test_the_gate_is_inclusive_at_40(i2, gate_open):
    out = summary_outcome(0.8, (0.7, 0.9), summary_extra={"i2": i2})
    ctx, _, rules = rule_context(out)
    proposal = IncI2.judge(ctx, rules.settings(IncI2))
    assert proposal is not None
    assert proposal.rating.value == ("serious" if gate_open else "not_serious")
    assert proposal.facts[0] == f"I² = {i2:g}%"  # 39.9 is never shown as 40


@pytest.mark.parametrize("p", [0.001, 0.05, 0.099])
def test_q_p_alone_never_rates_down(p):
    # many studies: a small Q p with I² under 40% (Q = the χ² quantile of p on k − 1 df)
    ys, ses = alternating(p, 200) if p < 0.01 else alternating(p)
    i2 = q_i2(ys, ses)[2]
    assert i2 < 40
    d = dom(assess_one(generic(ys, ses)), "inconsistency")
    assert d.rating.value == "not_serious" and d.proposal.rule == "INC-I2" and d.levels == 0


def test_inc_i2_alone_is_never_more_than_serious():
    # log RR ±0.5 with SE 0.1: important benefit and harm, I² > 90% — under a rule set that switches
    # INC-STRADDLE off, I² alone decides, and two levels need the CIs (INC-STRADDLE)
    ys = [math.log(v) for v in (0.5, 0.5, 1.6, 1.6)]
    assert q_i2(ys, [0.1] * 4)[2] > 90
    d = dom(assess_one(generic(ys, [0.1] * 4), None, "pollock-2016"), "inconsistency")
    assert d.rating.value == "serious" and d.levels == 1 and not d.proposal.needs_confirmation


def test_does_not_apply_to_one_study_or_without_i2():
    for out in (summary_outcome(0.8, (0.7, 0.9), studies=1), summary_outcome(0.8, (0.7, 0.9))):
        ctx, _, rules = rule_context(out)
        assert IncI2.judge(ctx, rules.settings(IncI2)) is None
