"""IMP-SPARSE (gradecli/grade/rules/imp_sparse.py): the PASS and FAIL examples of its documentation.

Pollock 2016's participant minimum is not Core GRADE: the default rule set switches the rule off
(`enabled: false`), the strict rule set switches it on at 200. The documented examples (minimum
100) are run under the default rule set with the rule switched on.
"""

from __future__ import annotations

import pytest
from test_grade_helpers import assess_one, dom, rule_context, summary_outcome, with_rules

from gradecli.grade.rules.imp_sparse import ImpSparse

ON = {"enabled": True}


def narrow(n, **kw):
    # RR 0.9 (0.85 to 0.95), no MID: excludes the null, not a large effect → IMP-CROSS: 0
    return summary_outcome(0.9, (0.85, 0.95), participants=n, studies=2, **kw)


def imp(out, rules):
    return dom(assess_one(out, None, rules), "imprecision")


def test_pass_120_participants():
    rules = with_rules(IMP_SPARSE=ON)
    ctx, _, _ = rule_context(narrow(120), None, rules)
    assert ImpSparse.judge(ctx, rules.settings(ImpSparse)) is None
    d = imp(narrow(120), rules)
    assert d.proposal.rule == "IMP-CROSS" and d.rating.value == "not_serious"
    # "IMP-OIS is then checked": RR 0.9 is not a large effect, so it asks nothing
    assert any(step.startswith("not a large effect") for step in d.proposal.path)


def test_fail_80_participants():
    rules = with_rules(IMP_SPARSE=ON)
    ctx, _, _ = rule_context(narrow(80), None, rules)
    proposal = ImpSparse.judge(ctx, rules.settings(ImpSparse))
    assert proposal is not None and proposal.rule == "IMP-SPARSE" and proposal.rating.value == "serious"
    assert proposal.threshold == "fewer than 100 participants"
    d = imp(narrow(80), rules)
    assert d.proposal.rule == "IMP-SPARSE" and d.rating.value == "serious"
    assert d.proposal.explanation.startswith("only 80 participants (fewer than 100)")
    assert "only 80 participants (fewer than 100) → −1 (the rule set's minimum)" in d.proposal.path


@pytest.mark.parametrize(("n", "expected"), [(99, "serious"), (100, "not_serious")])
def test_the_minimum_edge(n, expected):
    assert imp(narrow(n), with_rules(IMP_SPARSE=ON)).rating.value == expected


def test_off_in_the_default_rule_set():
    import gradecli

    assert not gradecli.load_rules("default").enabled("IMP-SPARSE")
    d = imp(narrow(80), "default")
    assert d.proposal.rule == "IMP-CROSS" and d.rating.value == "not_serious"
    assert not any("participants (fewer than" in step for step in d.proposal.path)


def test_strict_switches_it_on_at_200():
    # an assumed risk of 80% makes the OIS small, so strict's `always: true` OIS check does not
    # decide: OIS = 2 × ⌈7.848879 × (0.16 + 0.24) / 0.2²⌉ = 2 × ⌈78.49⌉ = 158
    risk = {"assumed_risk": {"value": 0.8}}
    d = imp(narrow(199, **risk), "strict")
    assert d.proposal.rule == "IMP-SPARSE" and d.rating.value == "serious"
    assert d.proposal.threshold == "fewer than 200 participants"
    assert imp(narrow(200, **risk), "strict").rating.value == "not_serious"


def test_it_does_not_add_to_a_crossing():
    # 50 participants and a CI spanning both fallback thresholds: two levels, not three
    rules = with_rules(IMP_SPARSE=ON)
    d = imp(summary_outcome(1.0, (0.5, 2.0), participants=50, studies=2), rules)
    assert d.rating.value == "very_serious" and d.proposal.rule == "IMP-RELATIVE"
    assert not any("participants (fewer than" in step for step in d.proposal.path)


def test_the_sparse_level_is_not_a_crossing_for_the_ois():
    # RR 0.9 (0.85–0.95) at 20%: 20 fewer (30 to 10 fewer), no MID: crosses nothing, not large
    d = imp(narrow(80, assumed_risk={"value": 0.2}), with_rules(IMP_SPARSE=ON))
    assert d.rating.value == "serious" and d.proposal.rule == "IMP-SPARSE"


def test_switched_off_it_is_skipped():
    off = with_rules("strict", IMP_SPARSE={"enabled": False})
    # 170: below strict's 200, but not checked; at or above the OIS of 158
    d = imp(narrow(170, assumed_risk={"value": 0.8}), off)
    assert d.proposal.rule == "IMP-CROSS" and d.rating.value == "not_serious"
