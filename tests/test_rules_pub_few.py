"""PUB-FEW (gradecli/grade/rules/pub_few.py): the PASS and FAIL examples of its documentation."""

from __future__ import annotations

from test_grade_helpers import FIXED, assess_one, dom, generic_rows, outcome, rule_context, summary_outcome

from gradecli.grade.rules.pub_egger import PubEgger
from gradecli.grade.rules.pub_few import PubFew


def rows(k):
    ses = [0.1 + 0.05 * i for i in range(k)]
    return outcome(type="generic", measure="GENERIC", data=generic_rows([-s for s in ses], ses), analysis=FIXED)


def judge(out):
    ctx, _, rules = rule_context(out)
    return PubFew.judge(ctx, rules.settings(PubEgger))


def test_pass_12_studies_and_pub_egger_decides():
    assert judge(rows(12)) is None
    assert dom(assess_one(rows(12)), "publication_bias").proposal.rule == "PUB-EGGER"


def test_fail_5_studies_is_not_assessed():
    proposal = judge(rows(5))
    assert proposal is not None and proposal.rule == "PUB-FEW" and proposal.rating is None
    assert proposal.threshold == "at least 10 studies" and proposal.facts == [
        "5 studies: too few for a small-study test"
    ]
    assert dom(assess_one(rows(5)), "publication_bias").proposal == proposal


def test_a_summary_is_not_assessed():
    proposal = judge(summary_outcome(0.8, (0.7, 0.9), studies=20))
    assert proposal is not None and proposal.facts == ["a summary-level result: too few for a small-study test"]
