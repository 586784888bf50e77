"""IMP-NONE (gradecli/grade/rules/imp_none.py): the PASS and FAIL examples of its documentation, and
what leaves imprecision not assessed now that an outcome with no MID is judged against the null
(Core GRADE 2): no pooled result, or no CI on a scale that can be judged."""

from __future__ import annotations

from test_grade_helpers import assess_one, dom, outcome, summary_outcome

from gradecli.grade.rules.imp_none import ImpNone


def md(**kw):
    return summary_outcome(2.0, (1.0, 3.0), type="continuous", measure="MD", **kw)


def imp(out, rules="default"):
    return dom(assess_one(out, None, rules), "imprecision")


def test_pass_with_a_threshold_imp_cross_decides():
    d = imp(md(participants=None, thresholds={"mid": 0.5}))
    assert d.proposal.rule == "IMP-CROSS" and d.rating.value == "not_serious"  # 1 to 3: beyond 0.5


def test_pass_md_without_threshold_is_judged_against_the_null():
    # the documented PASS: an MD of 2 (1 to 3) with no threshold → IMP-CROSS (the null is the threshold)
    d = imp(md(participants=None))
    assert d.proposal.rule == "IMP-CROSS" and d.rating.value == "not_serious"


def test_no_pooled_result_is_not_assessed():
    out = outcome(type="continuous", measure="MD", summary={"participants": 200, "studies": 2})
    d = imp(out)
    assert d.status == "not_assessed" and d.rating is None and d.proposal.rule == "IMP-NONE"
    assert d.proposal == ImpNone.judge(["200 participants in 2 studies", "no pooled result"])
    # never "not serious", whatever the rule set
    assert imp(out, "strict").status == "not_assessed"


def test_an_md_without_an_mid_is_judged_against_the_null_not_left_unassessed():
    d = imp(md(participants=None))
    assert d.proposal.rule == "IMP-CROSS" and d.rating.value == "not_serious"
    assert d.proposal.path[0] == "target: any increase (a non-null effect) — no MID given: the null is the threshold"
    crossing = imp(summary_outcome(1.0, (-1.0, 3.0), participants=None, type="continuous", measure="MD"))
    assert crossing.rating.value == "serious" and crossing.proposal.rule == "IMP-CROSS"
