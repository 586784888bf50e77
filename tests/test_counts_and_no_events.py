"""Counts as a GRADE table shows them, and outcomes where nobody had an event (issue 17 items 2 and 3)."""

from __future__ import annotations

import math

import pytest
from test_grade_helpers import assess_one, outcome

import gradecli
from gradecli.model.evidence import Evidence
from gradecli.report.sof import build


def test_a_double_zero_study_counts_in_studies_and_participants():
    rows = [
        {"study": "A", "events_t": 3, "n_t": 50, "events_c": 6, "n_c": 50},
        {"study": "B", "events_t": 0, "n_t": 40, "events_c": 0, "n_c": 40},  # no events: no RR of its own
        {"study": "C", "events_t": 5, "n_t": 60, "events_c": 9, "n_c": 60},
    ]
    o = assess_one(outcome(data=rows, measure="RR"))
    assert o.effect.k == 3 and o.effect.participants == 300
    assert o.pooled.k == 2  # the pooling itself has two estimates
    assert [r.included for r in o.rows] == [True, False, True]


def _no_event_rows():
    return [
        {"study": "A", "events_t": 0, "n_t": 50, "events_c": 0, "n_c": 50},
        {"study": "B", "events_t": 0, "n_t": 60, "events_c": 0, "n_c": 61},
    ]


def test_no_events_show_the_counts_and_the_risk_difference():
    o = assess_one(outcome(id="death", name="Death", data=_no_event_rows(), measure="RR"))
    assert o.effect is not None and o.effect.estimate is None
    assert o.effect.k == 2 and o.effect.participants == 221
    rd = o.no_event_risk_difference
    assert rd is not None and rd.estimate == 0 and rd.comparator_risk == 0

    # by hand: each RD is 0; its variance from the table with 0.5 added to every cell (RevMan's way)
    def var(n_t: int, n_c: int) -> float:
        a, b = 0.5 / (n_t + 1), 0.5 / (n_c + 1)
        return a * (1 - a) / (n_t + 1) + b * (1 - b) / (n_c + 1)

    se = 1 / math.sqrt(1 / var(50, 50) + 1 / var(60, 61))
    assert rd.ci_ub == pytest.approx(1.959963984540054 * se, rel=1e-12) and rd.ci_lb == pytest.approx(-rd.ci_ub)
    studies = [{"id": "A", "design": "rct"}, {"id": "B", "design": "rct"}]
    death = outcome(id="death", name="Death", data=_no_event_rows(), measure="RR")
    ev = Evidence.model_validate({"gradecli": 1, "review": {"title": "t"}, "studies": studies, "outcomes": [death]})
    row = build(gradecli.assess(ev)).rows[0]
    cells = " | ".join(str(c) for c in vars(row).values())
    assert "221 (2 studies)" in cells and "not estimable" in cells
    assert "RD 0 per 1,000\n(24 fewer to 24 more)" in cells and "0 per 1,000" in cells
    assert "No events in either group of any study: the RR is not estimable" in cells


def test_a_ratio_not_estimable_for_another_reason_has_no_risk_difference():
    rows = [{"study": "A", "events_t": 0, "n_t": 50, "events_c": 0, "n_c": 50},
            {"study": "B", "events_t": 3, "n_t": 60, "events_c": 3, "n_c": 61}]  # fmt: skip
    o = assess_one(outcome(data=rows, measure="RR"))
    assert o.effect.estimate is not None and o.no_event_risk_difference is None
