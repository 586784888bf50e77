"""An outcome the review chose not to pool (analysis.pool: false; RevMan's TOTALS="NO"): no single estimate
is made up, the table shows the studies' range and the narrative, and the certainty is rated from the
reviewer's judgments (GRADE without a single estimate: Murad 2017)."""

from __future__ import annotations

from typing import Any

import pytest
from test_grade_helpers import assess_one, outcome

from gradecli.report.sof import build

ROWS = [
    {"study": "A", "mean_t": 3.1, "sd_t": 1.2, "n_t": 40, "mean_c": 4.0, "sd_c": 1.3, "n_c": 41},
    {"study": "B", "mean_t": 3.5, "sd_t": 1.1, "n_t": 30, "mean_c": 3.6, "sd_c": 1.2, "n_c": 30},
]
NOT_POOLED = {"pool": False}


def pain(**kw: Any) -> dict[str, Any]:
    return outcome(type="continuous", measure="MD", data=ROWS, analysis=NOT_POOLED,
                   narrative="One trial favoured the intervention", **kw)  # fmt: skip


def test_nothing_is_pooled_and_the_range_and_narrative_are_shown():
    o = assess_one(pain())
    assert o.not_pooled and o.pooled is None and o.effect.estimate is None
    assert o.effect.k == 2 and o.effect.participants == 141 and o.analysis == "not pooled"
    assert o.study_range == pytest.approx((-0.9, -0.1))  # 3.1 − 4.0 and 3.5 − 3.6
    assert all(not r.included and r.dropped_reason.startswith("not pooled") for r in o.rows)
    assert o.provisional and o.certainty is None  # nothing judged yet


def test_the_reviewers_judgments_rate_it():
    judged = {d: {"rating": "not_serious", "reason": "Judged from the two trials."}
              for d in ("risk_of_bias", "inconsistency", "indirectness", "publication_bias")}  # fmt: skip
    judged["imprecision"] = {"rating": "serious", "reason": "141 participants; one trial crosses the null."}
    o = assess_one(pain(judgements=judged))
    assert not o.provisional and o.certainty.value == "moderate"
    from gradecli.grade.assessment import Assessment

    row = build(Assessment(gradecli_version="t", rules="default", title="t", outcomes=[o])).rows[0]
    cells = " | ".join(str(v) for v in vars(row).values())
    assert "not pooled:\nMD −0.90 to −0.10" in cells
    assert "Not pooled (the review's choice): 2 studies. One trial favoured the intervention." in cells
