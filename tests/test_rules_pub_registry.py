"""PUB-REGISTRY (gradecli/grade/rules/pub_registry.py): the PASS and FAIL examples of its
documentation, and how the free-text ``registration`` is read."""

from __future__ import annotations

import pytest
from test_grade_helpers import assess_one, dom, outcome, rule_context, summary_outcome, with_rules

from gradecli.grade.rules.pub_registry import PubRegistry, results_unpublished


def body(k, extra=None):
    rows = [{"study": f"T{i + 1}", "events_t": 10 + i, "n_t": 200, "events_c": 14 + i, "n_c": 200} for i in range(k)]
    studies = [{"id": f"T{i + 1}", "design": "rct", "registration": f"NCT0000000{i + 1}"} for i in range(k)]
    return outcome(type="dichotomous", measure="RR", data=rows), studies + (extra or [])


def judge(out, studies, rules="default"):
    ctx, _, _ = rule_context(out, studies, rules)
    return PubRegistry.judge(ctx)


def test_pass_12_registered_trials_all_reporting():
    out, studies = body(12)
    proposal = judge(out, studies)
    assert proposal.rating.value == "not_serious" and proposal.rule == "PUB-REGISTRY"
    assert proposal.facts == [
        "registration recorded for 12 of 12 studies; none with unpublished results missing from this outcome"
    ]


def test_fail_a_registered_trial_with_unpublished_results():
    out, studies = body(4, [{"id": "T5", "design": "rct", "registration": "NCT00000005, results not published"}])
    proposal = judge(out, studies)
    assert proposal.rating.value == "serious" and proposal.needs_confirmation
    assert proposal.explanation == "suspected — 1 registered study with unpublished results (T5)"
    d = dom(assess_one(out, studies), "publication_bias")
    assert d.rating.value == "serious" and d.proposal.rule == "PUB-REGISTRY"
    assert "registered studies with unpublished results? yes — 1" in d.proposal.path


def test_a_study_with_data_is_not_missing_whatever_its_registration_says():
    out, studies = body(4)
    studies[0]["registration"] = "NCT00000001 (results unpublished; data from the sponsor)"
    assert judge(out, studies).rating.value == "not_serious"


def test_a_summary_counts_every_such_study_of_the_review():
    studies = [{"id": "A", "design": "rct", "registration": "registered; unpublished"}]
    ctx, _, _ = rule_context(summary_outcome(0.8, (0.7, 0.9)), studies)
    assert PubRegistry.judge(ctx).rating.value == "serious"


def test_switched_off():
    out, studies = body(4, [{"id": "T5", "design": "rct", "registration": "unpublished"}])
    off = with_rules(PUB_REGISTRY={"enabled": False})
    assert dom(assess_one(out, studies, off), "publication_bias").rating is None


@pytest.mark.parametrize(
    ("text", "unpublished"),
    [
        ("unpublished", True),
        ("NCT01234567; results not published", True),
        ("EudraCT 2010-1234; no results posted", True),
        ("results were never reported", True),
        ("not yet published", True),
        ("NCT01234567", False),
        ("published 2012", False),
        ("results published in 2014", False),
        (None, False),
    ],
)
def test_reading_the_registration_text(text, unpublished):
    assert results_unpublished(text) is unpublished
