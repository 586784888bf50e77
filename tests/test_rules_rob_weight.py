"""ROB-WEIGHT (gradecli/grade/rules/rob_weight.py): the PASS and FAIL examples of its documentation,
its settings, and the rule switched off.

Bodies are per-study rows {study, yi, sei} pooled with fixed-effect inverse variance (weight 1/SE²).
Without an MID, the zones are the rule set's appreciable effect, RR 0.75 and 1.25.
"""

from __future__ import annotations

import math

import pytest
from test_grade_helpers import FIXED, assess_one, dom, generic_rows, outcome, rct, rule_context, with_rules

from gradecli.grade.rules.rob_weight import RobWeight

# W9 (the rulebook's worked case): four trials at low risk (weights 24, 20, 20, 20) and three at high
# risk (40, 40, 36): 116/200 = 58% of the fixed-effect weight at high risk.
W9_WEIGHTS = [24, 20, 20, 20, 40, 40, 36]
W9_JUDGMENTS = ["low"] * 4 + ["high"] * 3
W9A = [math.log(0.91)] * 4 + [-0.70, -0.80, -0.77]  # all RR 0.62, the low-risk ones alone 0.91
W9B = [math.log(0.64)] * 4 + [-0.45, -0.55, -0.50]  # all RR 0.62, the low-risk ones alone 0.64


def body(ys, weights, judgments, tool="rob2", design="rct", **kw):
    ids = [f"S{i + 1}" for i in range(len(ys))]
    rows = generic_rows(ys, [1 / math.sqrt(w) for w in weights], ids=ids)
    out = outcome(type="generic", measure="RR", data=rows, analysis=FIXED, **kw)
    return out, [rct(s, j, tool=tool, design=design) for s, j in zip(ids, judgments, strict=True)]


def judged(out, studies, rules="default"):
    """The rule's own answer, checked to be the domain's."""
    ctx, scale, ruleset = rule_context(out, studies, rules)
    proposal = RobWeight.judge(ctx, ruleset.settings(RobWeight), scale)
    assert proposal is not None and proposal.rule == "ROB-WEIGHT"
    assert dom(assess_one(out, studies, rules), "risk_of_bias").proposal == proposal
    return proposal


def test_pass_the_low_risk_studies_alone_in_the_same_zone():
    p = judged(*body(W9B, W9_WEIGHTS, W9_JUDGMENTS))
    assert p.rating.value == "not_serious" and "(dominating: at least 55%)" in p.explanation
    assert "below RR 0.75: the same zone" in p.explanation


def test_pass_leaving_out_the_study_with_some_concerns_changes_nothing():
    # four at low risk (RR 0.60, weight 20 each) and one with some concerns (RR 0.70, weight 20): all
    # studies RR exp(0.8 ln 0.6 + 0.2 ln 0.7) = 0.619, the low-risk ones 0.60: both below 0.75
    p = judged(*body([math.log(0.6)] * 4 + [math.log(0.7)], [20] * 5, ["low"] * 4 + ["some_concerns"]))
    assert p.rating.value == "not_serious"
    assert "studies with some concerns carry 20% of the fixed-effect weight (not dominating" in p.explanation


def test_fail_the_low_risk_studies_alone_in_another_zone():
    p = judged(*body(W9A, W9_WEIGHTS, W9_JUDGMENTS))
    assert p.rating.value == "serious" and "consider the low-risk estimate" in p.explanation
    assert "RR 0.91 (0.735 to 1.13), between RR 0.75 and RR 1.25" in p.explanation


def test_fail_all_some_concerns_goes_to_the_reviewer():
    p = judged(*body([-0.2] * 5, [20] * 5, ["some_concerns"] * 5))
    assert p.rating is None and "a judgment is needed" in p.explanation


def test_fail_cohorts_started_high_with_robins_i_all_serious():
    out, studies = body([-0.2] * 5, [20] * 5, ["serious"] * 5, tool="robins-i", design="nrsi")
    d = dom(assess_one(out, studies), "risk_of_bias")
    assert d.rating.value == "very_serious" and d.proposal.needs_confirmation
    assert d.proposal.path[0] == "classify (ROBINS-I, started High): 5 serious"


def test_does_not_apply_without_judgments():
    out, studies = body([0.0, 0.0], [1, 1], [None, None])
    ctx, scale, rules = rule_context(out, studies)
    assert RobWeight.judge(ctx, rules.settings(RobWeight), scale) is None


def test_dominance_share_sets_the_level_of_a_robins_i_body():
    # cohorts started High: 75% of the weight at serious risk, 25% moderate, the same estimate (no
    # low-risk study to compare with): 55% → serious dominates, two levels; 80% → only "moderate or
    # worse" (100%) dominates, one level
    out, studies = body([-0.2] * 4, [25] * 4, ["serious"] * 3 + ["moderate"], tool="robins-i", design="nrsi")
    assert dom(assess_one(out, studies), "risk_of_bias").levels == 2
    strict = with_rules(ROB_WEIGHT={"dominance_share": 0.8})
    assert dom(assess_one(out, studies, strict), "risk_of_bias").levels == 1


def test_some_concerns_counted_as_high():
    out, studies = body([-0.2] * 5, [20] * 5, ["some_concerns"] * 5)
    d = dom(assess_one(out, studies, with_rules(ROB_WEIGHT={"some_concerns": "count_as_high"})), "risk_of_bias")
    assert d.rating.value == "serious" and "(some concerns counted as high)" in d.footnote


def test_method_low_share_is_pollocks_rule():
    # W9(b) by Pollock's rule: 42% of the weight at low risk, below 75% → serious (not very serious: off)
    low_share = with_rules(ROB_WEIGHT={"method": "low_share", "very_serious_if_low_share_below": None})
    p = judged(*body(W9B, W9_WEIGHTS, W9_JUDGMENTS), rules=low_share)
    assert p.rating.value == "serious" and "42% of the fixed-effect weight" in p.explanation


def test_switched_off_the_domain_is_not_assessed():
    out, studies = body([0.0, 0.0], [1, 1], ["low", "high"])
    d = dom(assess_one(out, studies, with_rules(ROB_WEIGHT={"enabled": False})), "risk_of_bias")
    assert d.rating is None and d.proposal.rule == "ROB-WEIGHT" and "switches off ROB-WEIGHT" in d.proposal.explanation
    assert d.proposal.path[-1] == "risk of bias: not assessed"


@pytest.mark.parametrize("rules", ["default", "core-grade", "strict", "pollock-2016"])
def test_every_proposal_records_its_path(rules):
    out, studies = body(W9A, W9_WEIGHTS, W9_JUDGMENTS)
    p = dom(assess_one(out, studies, rules), "risk_of_bias").proposal
    assert p.path and p.path[0].startswith("classify") and p.path[-1].startswith("risk of bias: ")


def test_the_low_risk_studies_are_pooled_once_for_the_rule_and_the_sensitivity_analysis(monkeypatch):
    # ROB-WEIGHT and the assessment's `sensitivity` read one re-analysis of the low-risk studies: the
    # outcome is pooled twice in all (all studies, then the four at low risk), and both say the same
    import gradecli.grade.context as context
    import gradecli.grade.engine as engine

    calls: list[int] = []
    real = context.build_context

    def counting(evidence, outcome, **kw):
        calls.append(len(outcome.data or []))
        return real(evidence, outcome, **kw)

    monkeypatch.setattr(context, "build_context", counting)  # where the re-analyses find it
    monkeypatch.setattr(engine, "build_context", counting)  # the outcome's own pooling
    a = assess_one(*body(W9A, W9_WEIGHTS, W9_JUDGMENTS))
    assert sorted(calls) == [4, 7]
    assert a.sensitivity is not None and a.sensitivity.studies == ["S1", "S2", "S3", "S4"]
    assert f"{a.sensitivity.estimate:.2f}" == "0.91"
    assert "0.91 (0.735 to 1.13)" in dom(a, "risk_of_bias").proposal.explanation
