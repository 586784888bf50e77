"""IMP-BANDS (gradecli/grade/rules/imp_bands.py): the PASS and FAIL examples of its documentation, and
the CI rules (IMP-CROSS, IMP-RELATIVE, IMP-EVENTS, IMP-SPARSE, IMP-OIS) not consulted when it is on."""

from __future__ import annotations

import pytest
from test_grade_helpers import assess_one, dom, outcome, rule_context, summary_outcome

from gradecli.grade.rules.imp_bands import ImpBands


@pytest.mark.parametrize(
    ("n", "expected"),
    [(250, "not_serious"), (200, "not_serious"), (199, "serious"), (150, "serious"), (95, "very_serious")],
)
def test_pollock_bands(n, expected):
    out = summary_outcome(0.9, (0.85, 0.95), participants=n)
    ctx, _, rules = rule_context(out, None, "pollock-2016")
    proposal = ImpBands.judge(ctx, rules.settings(ImpBands))
    assert proposal.rule == "IMP-BANDS" and proposal.rating is not None and proposal.rating.value == expected
    assert dom(assess_one(out, None, "pollock-2016"), "imprecision").proposal == proposal


def test_off_by_default_and_participants_not_reported():
    out = summary_outcome(0.9, (0.85, 0.95), participants=150)
    assert dom(assess_one(out), "imprecision").proposal.rule != "IMP-BANDS"
    missing = summary_outcome(0.9, (0.85, 0.95), participants=None)
    d = dom(assess_one(missing, None, "pollock-2016"), "imprecision")
    assert d.proposal.rule == "IMP-BANDS" and d.rating is None


def test_the_ci_rules_are_not_consulted_when_it_is_on():
    # W2b: 3/29 vs 1/29, RR 3.00 (0.33–27.2) on 4 events is three levels by IMP-EVENTS by default;
    # Pollock's bands alone decide: 58 participants (1–99) → very serious, with no CI path
    rows = [{"study": "T1", "events_t": 3, "n_t": 29, "events_c": 1, "n_c": 29}]
    out = outcome(data=rows, analysis={"model": "fixed", "method": "MH"})
    assert dom(assess_one(out), "imprecision").proposal.rule == "IMP-EVENTS"
    d = dom(assess_one(out, None, "pollock-2016"), "imprecision")
    assert d.proposal.rule == "IMP-BANDS" and d.rating.value == "very_serious" and d.levels == 2
    assert d.proposal.facts == ["58 participants"] and d.proposal.path == []
