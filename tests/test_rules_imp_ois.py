"""IMP-OIS (gradecli/grade/rules/imp_ois.py): the PASS and FAIL examples of its documentation."""

from __future__ import annotations

import pytest
from test_grade_helpers import assess_one, dom, ois_dichotomous, rule_context, summary_outcome, with_rules

from gradecli.grade.rules.imp_ois import ImpOis, ImpOisSettings


def body(n):
    # RR 0.9 (0.85 to 0.95) crosses no relative threshold; comparator risk 20%
    return summary_outcome(0.9, (0.85, 0.95), participants=n, assumed_risk={"value": 0.2})


def test_the_documented_ois():
    assert ois_dichotomous(0.2) == 1806  # the independent formula agrees with the documentation


def test_pass_2000_participants():
    ctx, _, rules = rule_context(body(2000))
    proposal = ImpOis.judge(ctx, rules.settings(ImpOis))
    assert proposal is not None and proposal.rating.value == "not_serious"
    assert proposal.facts[0].startswith("optimal information size 1,806 (comparator risk 20.0%")
    d = dom(assess_one(body(2000)), "imprecision")
    assert d.proposal.rule == "IMP-CROSS" and d.rating.value == "not_serious"
    assert proposal.facts[0] in d.proposal.facts  # shown even when met


def test_fail_1000_participants():
    ctx, _, rules = rule_context(body(1000))
    proposal = ImpOis.judge(ctx, rules.settings(ImpOis))
    assert proposal is not None and proposal.rule == "IMP-OIS" and proposal.rating.value == "serious"
    d = dom(assess_one(body(1000)), "imprecision")
    assert d.proposal.rule == "IMP-OIS" and d.proposal.threshold == "optimal information size 1,806"
    assert d.proposal.explanation.startswith("1,000 participants, fewer than the optimal information size of 1,806")
    assert "; the 95% CI (0.85 to 0.95) crosses no threshold" in d.proposal.explanation


def test_settings_and_switching_off():
    ctx, _, _ = rule_context(body(1000))
    bigger = ImpOis.judge(ctx, ImpOisSettings(ois_rrr=0.5))  # a larger effect needs fewer participants
    assert bigger is not None and bigger.rating.value == "not_serious"
    d = dom(assess_one(body(1000), None, with_rules(IMP_OIS={"enabled": False})), "imprecision")
    assert d.proposal.rule == "IMP-CROSS" and not any("optimal information size" in f for f in d.proposal.facts)


@pytest.mark.parametrize("n", [None])
def test_does_not_apply_without_participants(n):
    ctx, _, rules = rule_context(body(n))
    assert ImpOis.judge(ctx, rules.settings(ImpOis)) is None
