"""Multi-arm trials (rulebook W15; Cochrane Handbook ch. 23, §23.3.4): rows of one study that share
one control group are one unit of analysis — combined by default, or with the control split."""

from __future__ import annotations

import math
from typing import Any

import pytest

import gradecli
from gradecli.grade.multiarm import shared_control_groups
from gradecli.model.checks import check_evidence
from gradecli.model.evidence import Evidence


def assess(rows: list[dict[str, Any]], **analysis: Any):
    studies = [{"id": s, "design": "rct"} for s in dict.fromkeys(r["study"] for r in rows)]
    out = {"id": "o", "name": "Response", "importance": "critical", "type": "dichotomous", "data": rows}
    if analysis:
        out["analysis"] = analysis
    ev = Evidence.model_validate({"gradecli": 1, "review": {"title": "T"}, "studies": studies, "outcomes": [out]})
    assert not check_evidence(ev)
    return gradecli.assess(ev).outcomes[0]


W15 = [
    {"study": "T", "label": "dose A", "events_t": 40, "n_t": 120, "events_c": 30, "n_c": 122},
    {"study": "T", "label": "dose B", "events_t": 45, "n_t": 118, "events_c": 30, "n_c": 122},
]


def test_w15_two_doses_against_one_placebo_are_one_study_of_360():
    o = assess(W15)
    assert o.effect.k == 1 and o.effect.participants == 360  # not 482: the placebo arm counted once
    (row,) = o.rows
    assert (row.events_t, row.n_t, row.events_c, row.n_c) == (85, 238, 30, 122)
    assert row.row_label == "dose A + dose B"
    # RR of the combined arms against the shared control, by hand
    assert o.effect.estimate == pytest.approx((85 / 238) / (30 / 122))
    assert any("share one control group" in w for w in o.pooled.warnings)


def test_split_control_keeps_two_comparisons_and_counts_the_control_once():
    o = assess(W15, multi_arm="split_control")
    assert o.effect.participants == 360 and o.effect.k == 1
    assert [(r.events_c, r.n_c) for r in o.rows] == [(15, 61), (15, 61)]
    assert any("split" in w for w in o.pooled.warnings)


def test_rows_with_different_controls_are_independent_subgroups():
    rows = [
        {"study": "T", "label": "men", "events_t": 10, "n_t": 50, "events_c": 15, "n_c": 50},
        {"study": "T", "label": "women", "events_t": 12, "n_t": 60, "events_c": 20, "n_c": 60},
    ]
    o = assess(rows)
    assert len(o.rows) == 2 and o.effect.participants == 220
    assert not any("control group" in w for w in o.pooled.warnings)


def test_continuous_arms_combine_by_the_handbook_formula():
    from gradecli.grade.multiarm import apply

    rows = [
        {"study": "T", "label": "A", "mean_t": 10.0, "sd_t": 2.0, "n_t": 30, "mean_c": 12.0, "sd_c": 2.5, "n_c": 31},
        {"study": "T", "label": "B", "mean_t": 9.0, "sd_t": 3.0, "n_t": 20, "mean_c": 12.0, "sd_c": 2.5, "n_c": 31},
    ]
    out = {"id": "o", "name": "Pain", "importance": "critical", "type": "continuous", "data": rows}
    ev = Evidence.model_validate(
        {"gradecli": 1, "review": {"title": "T"}, "studies": [{"id": "T", "design": "rct"}], "outcomes": [out]}
    )
    merged, notes = apply(ev.outcomes[0], "combine")
    (row,) = merged.data
    # Cochrane Handbook Table 6.5.a, by hand: N 50, mean (300 + 180)/50 = 9.6,
    # SD² = (29·4 + 19·9 + 30·20/50·(10 − 9)²)/49 = (116 + 171 + 12)/49
    assert (row.n_t, row.mean_t) == (50, pytest.approx(9.6))
    assert row.sd_t == pytest.approx(math.sqrt(299 / 49))
    assert (row.mean_c, row.sd_c, row.n_c) == (12.0, 2.5, 31) and len(notes) == 1


def test_detection_is_per_study():
    ev = Evidence.model_validate(
        {
            "gradecli": 1,
            "review": {"title": "T"},
            "studies": [{"id": s, "design": "rct"} for s in ("T", "U")],
            "outcomes": [
                {
                    "id": "o",
                    "name": "R",
                    "importance": "critical",
                    "type": "dichotomous",
                    "data": [*W15, {"study": "U", "events_t": 5, "n_t": 50, "events_c": 30, "n_c": 122}],
                }
            ],
        }
    )
    assert shared_control_groups(list(ev.outcomes[0].data)) == [[0, 1]]


def test_as_entered_pools_the_rows_as_they_are_and_says_the_control_counts_twice():
    """Only to reproduce a published analysis that made the error (RevMan pools multi-arm rows as entered)."""
    o = assess(W15, multi_arm="as_entered")
    assert [(r.events_c, r.n_c) for r in o.rows] == [(30, 122), (30, 122)]
    assert o.effect.participants == 482 and o.effect.k == 1  # participants as entered; still one study
    note = next(w for w in o.pooled.warnings if "share one control group" in w)
    assert "pooled as entered" in note and "unit-of-analysis error" in note
    # the two comparisons, each RR by hand, pooled by REML (equal-ish variances): between the two
    a, b = (40 / 120) / (30 / 122), (45 / 118) / (30 / 122)
    assert a < o.effect.estimate < b


def test_q_around_mh_is_only_for_dersimonian_laird_on_risks_and_odds():
    rows = [{"study": "A", "events_t": 3, "n_t": 20, "events_c": 6, "n_c": 20}]
    out = {"id": "o", "name": "R", "importance": "critical", "type": "dichotomous", "data": rows,
           "analysis": {"model": "random", "method": "REML", "q_around": "MH"}}  # fmt: skip
    ev = Evidence.model_validate(
        {"gradecli": 1, "review": {"title": "T"}, "studies": [{"id": "A", "design": "rct"}], "outcomes": [out]}
    )
    assert [(loc, msg) for loc, msg, _ in check_evidence(ev)] == [
        (("outcomes", 0, "analysis", "q_around"),
         "q_around: MH is for DerSimonian–Laird random effects (method DL) on RR, OR or RD")
    ]  # fmt: skip
