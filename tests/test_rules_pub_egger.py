"""PUB-EGGER (gradecli/grade/rules/pub_egger.py): the PASS and FAIL examples of its documentation."""

from __future__ import annotations

import pydantic
import pytest
from scipy import stats
from test_grade_helpers import FIXED, assess_one, dom, egger_fixed, generic_rows, outcome, rule_context, with_rules

from gradecli.grade.rules.pub_egger import PubEgger, PubEggerSettings

SES = [0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65]


def funnel(p: float, k: int = 12):
    """k studies with yᵢ = b·SEᵢ, b < 0 (smaller studies show lower values: more benefit, as lower is
    better) and b chosen so that Egger's test (fixed effect, z-test) gives p."""
    ses = SES[:k]
    _, p1 = egger_fixed(list(ses), ses)
    b = -stats.norm.isf(p / 2) / stats.norm.isf(p1 / 2)
    ys = [b * s for s in ses]
    return outcome(type="generic", measure="GENERIC", data=generic_rows(ys, ses), analysis=FIXED, benefit="lower")


def judge(out, rules="default"):
    ctx, _, ruleset = rule_context(out, None, rules)
    return PubEgger.judge(ctx, ruleset.settings(PubEgger))


def test_pass_12_studies_p_040():
    proposal = judge(funnel(0.40))
    assert proposal is not None and proposal.rule == "PUB-EGGER" and proposal.rating.value == "not_serious"
    assert dom(assess_one(funnel(0.40)), "publication_bias").proposal == proposal


def test_fail_12_studies_p_003_smaller_studies_more_benefit():
    proposal = judge(funnel(0.03))
    assert proposal is not None and proposal.rating.value == "serious"
    assert "smaller studies show more benefit" in proposal.facts
    assert dom(assess_one(funnel(0.03)), "publication_bias").rating.value == "serious"


def test_min_studies_floor_is_3():
    with pytest.raises(pydantic.ValidationError):
        PubEggerSettings(min_studies=2)
    few = funnel(0.03, k=4)
    assert judge(few) is None  # PUB-FEW under the default's 10
    lowered = with_rules(PUB_EGGER={"min_studies": 3})
    proposal = judge(few, lowered)
    assert proposal is not None and proposal.rule == "PUB-EGGER" and "(4 studies)" in proposal.facts[0]


def test_switched_off_the_test_is_not_run():
    off = with_rules(PUB_EGGER={"enabled": False})
    oa = assess_one(funnel(0.03), None, off)
    d = dom(oa, "publication_bias")
    assert d.rating is None and d.proposal.rule == "PUB-EGGER" and d.proposal.threshold is None
    assert oa.effect.egger_p is None  # not computed at all
