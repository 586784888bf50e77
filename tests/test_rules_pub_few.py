"""PUB-FEW (gradecli/grade/rules/pub_few.py): the PASS and FAIL examples of its documentation, and the
cut-off at PUB-EGGER's ``min_studies``: below it the test is uninformative and the domain is not
assessed, never "not serious"."""

from __future__ import annotations

import pytest
from test_grade_helpers import FIXED, assess_one, dom, generic_rows, outcome, rule_context, summary_outcome, with_rules

from gradecli.grade.rules.pub_egger import PubEgger
from gradecli.grade.rules.pub_few import PubFew


def rows(k, same_se=False):
    ses = [0.2] * k if same_se else [0.1 + 0.05 * i for i in range(k)]
    return outcome(type="generic", measure="GENERIC", data=generic_rows([-s for s in ses], ses), analysis=FIXED)


def judge(out, rules="default"):
    ctx, _, ruleset = rule_context(out, None, rules)
    return PubFew.judge(ctx, ruleset.settings(PubEgger))


def test_pass_12_studies_and_pub_egger_decides():
    assert judge(rows(12)) is None
    assert dom(assess_one(rows(12)), "publication_bias").proposal.rule == "PUB-EGGER"


def test_fail_5_studies_is_not_assessed():
    proposal = judge(rows(5))
    assert proposal is not None and proposal.rule == "PUB-FEW" and proposal.rating is None
    assert proposal.threshold == "at least 10 studies" and proposal.facts == [
        "5 studies: too few for a small-study test"
    ]
    assert proposal.explanation.startswith("undetected — test uninformative: 5 studies, fewer than 10")
    assert proposal.needs_confirmation
    d = dom(assess_one(rows(5)), "publication_bias")
    assert d.status == "not_assessed" and d.proposal.rule == "PUB-FEW"
    assert d.proposal.path[-1].startswith("publication bias: undetected — test uninformative → for the reviewer")


@pytest.mark.parametrize(("k", "few"), [(9, True), (10, False)])
def test_cut_off_at_min_studies(k, few):
    assert (judge(rows(k)) is not None) is few
    assert (judge(rows(k - 5), with_rules(PUB_EGGER={"min_studies": k - 5})) is not None) is False


def test_a_summary_is_not_assessed():
    proposal = judge(summary_outcome(0.8, (0.7, 0.9), studies=20))
    assert proposal is not None and proposal.facts == ["a summary-level result: too few for a small-study test"]
    assert "no study data for a test" in proposal.explanation


def test_no_computable_test_is_uninformative():
    proposal = judge(rows(12, same_se=True))  # equal SEs: Egger's slope is not estimable
    assert proposal is not None and proposal.rule == "PUB-FEW" and proposal.rating is None
    assert "could not be computed" in proposal.explanation
