"""ROB-WEIGHT (gradecli/grade/rules/rob_weight.py): the PASS and FAIL examples of its documentation."""

from __future__ import annotations

import pytest
from test_grade_helpers import FIXED, assess_one, dom, generic_rows, outcome, rct, rule_context, with_rules

from gradecli.grade.rules.rob_weight import RobWeight


def body(judgments: dict[str, str | None]):
    """Studies of equal weight (SE 1, fixed effect) with these RoB 2 overall judgments."""
    ids = list(judgments)
    rows = generic_rows([0.0] * len(ids), [1.0] * len(ids), ids=ids)
    return outcome(type="generic", measure="GENERIC", data=rows, analysis=FIXED), [rct(s, judgments[s]) for s in ids]


@pytest.mark.parametrize(
    ("judgments", "expected"),
    [
        ({"A": "low", "B": "low", "C": "low", "D": "high"}, "not_serious"),  # PASS: 75% low
        ({"A": "low", "B": "low", "C": "high", "D": "high"}, "serious"),  # FAIL: 50%, not below 50%
        ({"A": "low", "B": "high", "C": "high", "D": "high"}, "very_serious"),  # FAIL: 25% low, 75% high
    ],
)
def test_documented_examples(judgments, expected):
    out, studies = body(judgments)
    ctx, _, rules = rule_context(out, studies)
    proposal = RobWeight.judge(ctx, rules.settings(RobWeight))
    assert proposal is not None and proposal.rule == "ROB-WEIGHT"
    assert proposal.rating is not None and proposal.rating.value == expected
    assert dom(assess_one(out, studies), "risk_of_bias").proposal == proposal  # the domain's answer


def test_does_not_apply_without_judgments_or_rows():
    out, studies = body({"A": None, "B": None})
    ctx, _, rules = rule_context(out, studies)
    assert RobWeight.judge(ctx, rules.settings(RobWeight)) is None


def test_its_settings_move_the_cut():
    out, studies = body({"A": "low", "B": "low", "C": "high", "D": "high"})
    lenient = with_rules(ROB_WEIGHT={"serious_if_low_share_below": 0.5})
    assert dom(assess_one(out, studies, lenient), "risk_of_bias").rating.value == "not_serious"


def test_switched_off_the_domain_is_not_assessed():
    out, studies = body({"A": "low", "B": "high"})
    d = dom(assess_one(out, studies, with_rules(ROB_WEIGHT={"enabled": False})), "risk_of_bias")
    assert d.rating is None and d.proposal.rule == "ROB-WEIGHT" and "switches off ROB-WEIGHT" in d.proposal.explanation
