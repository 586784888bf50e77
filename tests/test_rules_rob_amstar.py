"""ROB-AMSTAR (gradecli/grade/rules/rob_amstar.py): the PASS and FAIL examples of its documentation,
the missing input said plainly, and the rule being off outside the pollock-2016 rule set."""

from __future__ import annotations

from typing import Any

import pytest
from test_grade_helpers import dom, outcome, rct

import gradecli
from gradecli.model.checks import check_evidence
from gradecli.model.evidence import Evidence

ROWS = [
    {"study": "A", "events_t": 10, "n_t": 100, "events_c": 20, "n_c": 100},
    {"study": "B", "events_t": 12, "n_t": 100, "events_c": 22, "n_c": 100},
]


def assess(amstar: dict[str, Any] | None, rules: str = "pollock-2016", a: str = "low", b: str = "low"):
    review: dict[str, Any] = {"title": "Overview"}
    if amstar is not None:
        review["amstar"] = amstar
    ev = Evidence.model_validate(
        {"gradecli": 1, "review": review, "studies": [rct("A", a), rct("B", b)], "outcomes": [outcome(data=ROWS)]}
    )
    assert not check_evidence(ev)
    return dom(gradecli.assess(ev, rules=rules).outcomes[0], "risk_of_bias")


def test_pass_all_four_items_add_nothing():
    d = assess({"items_met": 4, "reason": "All four items met."})
    assert d.rating.value == "not_serious" and d.proposal.rule == "ROB-WEIGHT"
    assert any("meets 4 of AMSTAR items 1–4" in f for f in d.proposal.facts)


@pytest.mark.parametrize(("items", "levels"), [(3, 1), (2, 2), (0, 2)])
def test_fail_fewer_items_add_levels(items: int, levels: int):
    d = assess({"items_met": items, "reason": "No grey literature."})
    assert d.levels == levels and d.proposal.rule == "ROB-AMSTAR"
    assert "AMSTAR" in d.footnote


def test_levels_add_to_the_studies_own_risk_of_bias():
    # half the participants at high risk: Pollock −1; AMSTAR 3/4: −1 more
    d = assess({"items_met": 3, "reason": "No grey literature."}, b="high")
    assert d.levels == 2 and d.proposal.rule == "ROB-WEIGHT"


def test_missing_input_is_said_plainly_and_adds_nothing():
    d = assess(None)
    assert d.levels == 0
    assert any("AMSTAR items 1–4 not recorded" in f and "as lenient" in f for f in d.proposal.facts)


def test_off_by_default():
    d = assess({"items_met": 0, "reason": "None met."}, rules="default")
    assert d.levels == 0 and not any("AMSTAR" in f for f in d.proposal.facts)
