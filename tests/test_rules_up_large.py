"""UP-LARGE (gradecli/grade/rules/up_large.py): the PASS and FAIL examples of its documentation."""

from __future__ import annotations

import pytest
from test_grade_helpers import assess_one, rule_context, summary_outcome, up

from gradecli.grade.rules.up_large import UpLarge

NRSI = [{"id": "N1", "design": "nrsi"}]
JUDGED = {"risk_of_bias": {"rating": "not_serious", "reason": "Well-conducted cohorts."}}


def body(est, ci):
    # a large effect needs the optimal information size (GRADE 34): a comparator risk of 20% and
    # 5,000 participants meet it (OIS 1,806 for RRR 25%), so imprecision is not serious
    return summary_outcome(est, ci, participants=5000, judgements=JUDGED, assumed_risk={"value": 0.2})


@pytest.mark.parametrize(
    ("est", "ci", "levels"),
    [
        (0.45, (0.30, 0.70), 0),  # PASS (no rating up): the CI reaches above 0.5
        (0.30, (0.20, 0.45), 1),  # FAIL (rated up): below 0.5
        (0.10, (0.05, 0.18), 2),  # below 0.2
    ],
)
def test_documented_examples(est, ci, levels):
    ctx, _, rules = rule_context(body(est, ci), NRSI)
    found = UpLarge.judge(ctx, rules.settings(UpLarge))
    assert found is not None and found.levels == levels
    u = up(assess_one(body(est, ci), NRSI), "large_effect")
    assert u.rule == "UP-LARGE" and u.proposed_levels == levels and u.facts == list(found.facts)


def test_only_ratios():
    out = summary_outcome(-5.0, (-8.0, -2.0), type="continuous", measure="MD", judgements=JUDGED)
    ctx, _, rules = rule_context(out, NRSI)
    assert UpLarge.judge(ctx, rules.settings(UpLarge)) is None


def test_switched_off_by_pollock():
    u = up(assess_one(body(0.10, (0.05, 0.18)), NRSI, "pollock-2016"), "large_effect")
    assert u.proposed_levels == 0 and "UP-LARGE is switched off by the rule set pollock-2016" in u.facts[0]
