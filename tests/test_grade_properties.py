"""Property tests of the GRADE engine on summary-level and generic per-study evidence.

* a wider CI around the same estimate, a higher I², or more weight at high risk of bias never raises
  the certainty (under every shipped rule set);
* the certainty is always one of the four levels;
* every domain rated down has a footnote;
* a domain is "not serious" only when a rule or the reviewer said so; not assessed stays not assessed.
"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_grade_helpers import FIXED, generic_rows, make_evidence, outcome, summary_outcome

import gradecli
from gradecli.grade.assessment import LEVELS

RULES = ["default", "pollock-2016", "strict"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RANK = {lv: i for i, lv in enumerate(LEVELS)}  # very_low 0 … high 3


def run(out, studies=None, rules="default"):
    if studies is None:
        studies = [{"id": sid, "design": "rct"} for sid in dict.fromkeys(r["study"] for r in out.get("data") or [])]
    return gradecli.assess(make_evidence(out, studies), rules=rules).outcomes[0]


def check_invariants(oa):
    assert oa.certainty in LEVELS and oa.computed_certainty in LEVELS
    for d in oa.domains:
        if d.levels > 0:
            assert d.footnote, d
        if d.rating is None:
            assert d.status == "not_assessed" and d.levels == 0
        if d.status == "not_assessed":
            assert d.rating is None
        if d.rating is not None and d.rating.value == "not_serious":
            by_reviewer = d.status in ("confirmed", "overridden", "judged") and d.reviewer_reason
            by_rule = d.proposal.rule is not None and d.proposal.rating is not None
            assert by_reviewer or by_rule, d
            if not by_reviewer:
                assert d.proposal.rating.value == "not_serious"
    ind = next(d for d in oa.domains if d.domain == "indirectness")
    assert ind.status == "not_assessed"  # no judgment in these bodies


# --- summary level --------------------------------------------------------------------------------

log_est = st.floats(min_value=-2.5, max_value=2.5, allow_nan=False)
half = st.floats(min_value=0.01, max_value=2.0, allow_nan=False)
participants = st.one_of(st.none(), st.integers(min_value=10, max_value=20_000))
i2s = st.one_of(st.none(), st.floats(min_value=0, max_value=100, allow_nan=False))
absolute = st.one_of(
    st.none(),
    st.tuples(st.floats(min_value=0.01, max_value=0.9), st.sampled_from([10, 20, 50])),
)


def summary(est_log, h, n, i2, abs_, measure="RR", studies=4):
    lo, hi = math.exp(est_log - h), math.exp(est_log + h)
    extra = {"summary_extra": {"i2": i2}} if i2 is not None else {}
    kw = {}
    if abs_ is not None:
        kw = {"assumed_risk": {"value": abs_[0]}, "thresholds": {"mid": abs_[1]}}
    typ = "generic" if measure == "HR" else "dichotomous"
    if n is not None and n < studies:
        n = studies
    return summary_outcome(
        math.exp(est_log), (lo, hi), participants=n, studies=studies, type=typ, measure=measure, **extra, **kw
    )


@SETTINGS
@given(
    log_est,
    half,
    st.floats(min_value=1.0, max_value=4.0),
    participants,
    i2s,
    absolute,
    st.sampled_from(["RR", "OR", "HR"]),
    st.sampled_from(RULES),
)
def test_wider_ci_never_raises_certainty(est, h, factor, n, i2, abs_, measure, rules):
    narrow = run(summary(est, h, n, i2, abs_, measure), rules=rules)
    wide = run(summary(est, h * factor, n, i2, abs_, measure), rules=rules)
    check_invariants(narrow)
    check_invariants(wide)
    assert RANK[wide.certainty] <= RANK[narrow.certainty]
    assert wide.points >= narrow.points


@SETTINGS
@given(
    log_est,
    half,
    participants,
    st.floats(min_value=0, max_value=100),
    st.floats(min_value=0, max_value=100),
    absolute,
    st.sampled_from(RULES),
)
def test_higher_i2_never_raises_certainty_summary(est, h, n, a, b, abs_, rules):
    lo_i2, hi_i2 = sorted((a, b))
    low = run(summary(est, h, n, lo_i2, abs_), rules=rules)
    high = run(summary(est, h, n, hi_i2, abs_), rules=rules)
    check_invariants(low)
    check_invariants(high)
    assert RANK[high.certainty] <= RANK[low.certainty]


@SETTINGS
@given(log_est, half, participants, st.sampled_from(RULES))
def test_summary_without_i2_or_rob_stays_not_assessed(est, h, n, rules):
    oa = run(summary(est, h, n, None, None), rules=rules)
    check_invariants(oa)
    rob = next(d for d in oa.domains if d.domain == "risk_of_bias")
    assert rob.status == "not_assessed"
    inc = next(d for d in oa.domains if d.domain == "inconsistency")
    if rules != "pollock-2016":  # Pollock counts an unreported I² as serious
        assert inc.status == "not_assessed"


# --- generic per-study rows -----------------------------------------------------------------------

JUDGMENTS = ["low", "some_concerns", "high"]
study_rows = st.lists(
    st.tuples(
        st.floats(min_value=-1.5, max_value=1.5, allow_nan=False),  # yi (log scale)
        st.floats(min_value=0.05, max_value=1.0, allow_nan=False),  # sei
        st.sampled_from(JUDGMENTS),
    ),
    min_size=1,
    max_size=9,  # below 10: publication bias stays out of these properties
)


def per_study(rows, measure="RR", mid=None, spread=1.0):
    ys = [y for y, _, _ in rows]
    ses = [s for _, s, _ in rows]
    w = [1 / s**2 for s in ses]
    mean = sum(a * y for a, y in zip(w, ys, strict=True)) / sum(w)
    ys = [mean + spread * (y - mean) for y in ys]
    kw = {"thresholds": {"mid": mid}} if mid is not None else {}
    out = outcome(type="generic", measure=measure, data=generic_rows(ys, ses), analysis=FIXED, **kw)
    studies = [
        {"id": f"S{i + 1}", "design": "rct", "risk_of_bias": {"tool": "rob2", "overall": j}}
        for i, (_, _, j) in enumerate(rows)
    ]
    return out, studies


@SETTINGS
@given(study_rows, st.data(), st.sampled_from(RULES))
def test_worse_risk_of_bias_never_raises_certainty(rows, data, rules):
    i = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    y, s, j = rows[i]
    worse_j = data.draw(st.sampled_from(JUDGMENTS[JUDGMENTS.index(j) :]))
    worse = [*rows[:i], (y, s, worse_j), *rows[i + 1 :]]
    a = run(*per_study(rows), rules=rules)
    b = run(*per_study(worse), rules=rules)
    check_invariants(a)
    check_invariants(b)
    rob_a = next(d for d in a.domains if d.domain == "risk_of_bias")
    rob_b = next(d for d in b.domains if d.domain == "risk_of_bias")
    assert rob_b.levels >= rob_a.levels
    assert RANK[b.certainty] <= RANK[a.certainty]


@SETTINGS
@given(
    study_rows.filter(lambda r: len(r) >= 2),
    st.floats(min_value=1.0, max_value=3.0),
    st.one_of(st.none(), st.floats(min_value=0.05, max_value=1.0)),
    st.sampled_from(["RR", "GENERIC"]),
    st.sampled_from(RULES),
)
def test_higher_heterogeneity_never_raises_certainty(rows, spread, mid, measure, rules):
    # spreading the estimates around the fixed-effect mean (same SEs) multiplies Q by spread²:
    # I² can only grow, the pooled estimate and CI stay the same
    a = run(*per_study(rows, measure, mid), rules=rules)
    b = run(*per_study(rows, measure, mid, spread), rules=rules)
    check_invariants(a)
    check_invariants(b)
    if a.effect.i2 is not None and b.effect.i2 is not None:
        assert b.effect.i2 >= a.effect.i2 - 1e-9
    assert RANK[b.certainty] <= RANK[a.certainty]


@SETTINGS
@given(study_rows, st.sampled_from(RULES))
def test_per_study_invariants(rows, rules):
    out, studies = per_study(rows)
    check_invariants(run(out, studies, rules))
    # without any RoB judgments the domain is not assessed, never "not serious"
    bare = [{"id": s["id"], "design": "rct"} for s in studies]
    oa = run(out, bare, rules)
    check_invariants(oa)
    assert next(d for d in oa.domains if d.domain == "risk_of_bias").status == "not_assessed"
