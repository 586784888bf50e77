"""IMP-CROSS (gradecli/grade/rules/imp_cross.py): the PASS and FAIL examples of its documentation."""

from __future__ import annotations

import pytest
from test_grade_helpers import assess_one, dom, rule_context, summary_outcome

from gradecli.grade.rules.imp_cross import ImpCross


def md(ci, **kw):
    kw.setdefault("thresholds", {"mid": 1})
    return summary_outcome(-5.0, ci, participants=1000, type="continuous", measure="MD", **kw)


@pytest.mark.parametrize(
    ("ci", "expected"),
    [
        ((-8.0, -2.0), "not_serious"),  # PASS: the whole CI beyond −1
        ((-8.0, 0.5), "serious"),  # FAIL: crosses −1
        ((-8.0, 2.0), "very_serious"),  # FAIL: crosses −1 and 1
    ],
)
def test_documented_examples(ci, expected):
    ctx, scale, _ = rule_context(md(ci))
    proposal = ImpCross.judge(ctx, scale)
    assert proposal is not None and proposal.rule == "IMP-CROSS" and proposal.rating.value == expected
    d = dom(assess_one(md(ci)), "imprecision")
    assert d.proposal.rule == "IMP-CROSS" and d.rating.value == expected


def test_three_thresholds_crossed_is_extremely_serious():
    out = md((-8.0, 8.0), thresholds={"mid": 1, "moderate": 3, "large": 6})
    ctx, scale, _ = rule_context(out)
    proposal = ImpCross.judge(ctx, scale)
    assert proposal is not None and proposal.rating.value == "extremely_serious"


def test_does_not_apply_without_a_threshold_or_to_a_relative_crossing():
    ctx, scale, _ = rule_context(md((-8.0, -2.0), thresholds=None))
    assert scale is None and ImpCross.judge(ctx, scale) is None
    ctx, scale, _ = rule_context(summary_outcome(1.0, (0.6, 1.6)))
    assert ImpCross.judge(ctx, scale) is None  # IMP-RELATIVE's


def test_switched_off_the_domain_is_not_assessed(tmp_path):
    path = tmp_path / "off.yaml"
    path.write_text("name: off\nextends: default\nrules: {IMP-CROSS: {enabled: false}}\n")
    d = dom(assess_one(md((-8.0, 0.5)), None, str(path)), "imprecision")
    assert d.rating is None and d.proposal.rule == "IMP-CROSS"
    assert d.proposal.explanation.startswith("the rule set off switches off IMP-CROSS")
