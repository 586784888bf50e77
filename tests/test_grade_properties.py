"""Property tests of the GRADE engine on summary-level and generic per-study evidence.

* a wider CI around the same estimate, a higher I², or more weight at high risk of bias never raises
  the certainty (under every shipped rule set);
* the certainty is always one of the four levels — or, while risk of bias, imprecision or
  indirectness is not assessed, provisional: no certainty, no statement, and a ceiling that is one
  of the four levels (the comparisons below compare the computed level, which is the ceiling);
* a wider CI, fewer participants or fewer events never give a better imprecision rating;
* the statement never names a direction when the CI lies wholly in the trivial zone;
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

RULES = ["default", "pollock-2016", "strict", "core-grade"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RANK = {lv: i for i, lv in enumerate(LEVELS)}  # very_low 0 … high 3


def run(out, studies=None, rules="default"):
    if studies is None:
        studies = [{"id": sid, "design": "rct"} for sid in dict.fromkeys(r["study"] for r in out.get("data") or [])]
    return gradecli.assess(make_evidence(out, studies), rules=rules).outcomes[0]


def check_invariants(oa):
    assert oa.computed_certainty in LEVELS
    missing = [
        d.domain
        for d in oa.domains
        if d.status == "not_assessed" and d.domain in ("risk_of_bias", "imprecision", "indirectness")
    ]
    if missing:
        assert oa.provisional and oa.certainty is None and oa.statement is None
        assert oa.certainty_ceiling == oa.computed_certainty and oa.missing_domains == missing
    else:
        assert not oa.provisional and oa.certainty in LEVELS
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
    assert RANK[wide.computed_certainty] <= RANK[narrow.computed_certainty]
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
    assert RANK[high.computed_certainty] <= RANK[low.computed_certainty]


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
    # Under Core GRADE 4 (default, strict, core-grade) the proposal reads whether the low-risk studies
    # alone fall in another zone, so moving one study from low to high can change that estimate either
    # way: not monotone by design. The property holds for a rule on the low-risk share (Pollock).
    rules = "pollock-2016"
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
    assert RANK[b.computed_certainty] <= RANK[a.computed_certainty]


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
    assert RANK[b.computed_certainty] <= RANK[a.computed_certainty]


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


# --- imprecision alone: wider CI, smaller sample, fewer events; statements in the trivial zone ------


def imp(oa):
    return next(d for d in oa.domains if d.domain == "imprecision")


def no_better(a, b):
    """b's imprecision is no better than a's: at least as many levels, and assessed if a was rated down."""
    assert imp(b).levels >= imp(a).levels, (imp(a).proposal.path, imp(b).proposal.path)
    if imp(a).levels:
        assert imp(b).status != "not_assessed"


risks = st.one_of(st.none(), st.floats(min_value=0.01, max_value=0.6))
mids = st.one_of(st.none(), st.sampled_from([5, 10, 20, 50]))
larges = st.one_of(st.none(), st.sampled_from([100, 200]))


def binary(est_log, h, n, risk, mid, large, events=None):
    kw: dict = {}
    if risk is not None:
        kw["assumed_risk"] = {"value": risk}
    t = {k: v for k, v in (("mid", mid), ("large", large)) if v is not None}
    if t:
        kw["thresholds"] = t
    extra = {}
    if events is not None:
        extra = {"events_t": events // 2, "events_c": events - events // 2}
    return summary_outcome(
        math.exp(est_log),
        (math.exp(est_log - h), math.exp(est_log + h)),
        participants=n,
        studies=3,
        benefit="lower",
        summary_extra=extra,
        **kw,
    )


@SETTINGS
@given(
    log_est,
    half,
    st.floats(min_value=1.0, max_value=4.0),
    st.integers(20, 50_000),
    risks,
    mids,
    larges,
    st.sampled_from(RULES),
)
def test_wider_ci_never_gives_better_imprecision(est, h, factor, n, risk, mid, large, rules):
    if large is not None and mid is None:
        large = None
    no_better(
        run(binary(est, h, n, risk, mid, large), rules=rules),
        run(binary(est, h * factor, n, risk, mid, large), rules=rules),
    )


@SETTINGS
@given(
    log_est,
    half,
    st.integers(20, 50_000),
    st.floats(min_value=0.01, max_value=1.0),
    risks,
    mids,
    larges,
    st.sampled_from(RULES),
)
def test_fewer_participants_never_give_better_imprecision(est, h, n, shrink, risk, mid, large, rules):
    if large is not None and mid is None:
        large = None
    fewer = max(3, int(n * shrink))
    no_better(
        run(binary(est, h, n, risk, mid, large), rules=rules), run(binary(est, h, fewer, risk, mid, large), rules=rules)
    )


@SETTINGS
@given(log_est, half, st.integers(0, 60), st.integers(0, 60), risks, mids, st.sampled_from(RULES))
def test_fewer_events_never_give_better_imprecision(est, h, e1, e2, risk, mid, rules):
    more, less = max(e1, e2), min(e1, e2)
    no_better(
        run(binary(est, h, 500, risk, mid, None, more), rules=rules),
        run(binary(est, h, 500, risk, mid, None, less), rules=rules),
    )


JUDGED = {
    d: {"rating": "not_serious", "reason": "Assessed: no concern."}
    for d in ("risk_of_bias", "inconsistency", "indirectness", "publication_bias")
}


@SETTINGS
@given(
    st.floats(min_value=-0.9, max_value=0.9),
    st.floats(min_value=0.05, max_value=0.9),
    st.sampled_from([5.0, 10.0, 20.0]),
    st.sampled_from(["MD", "RR"]),
    st.booleans(),
    st.sampled_from(["default", "strict", "core-grade"]),
)
def test_statement_names_no_direction_when_the_ci_is_trivial(centre, width, mid, measure, polar, rules):
    # a CI wholly inside (−MID, MID): MD in points, or RR at a 20% risk with the MID per 1,000
    lo, hi = sorted(
        (centre * mid - width * (mid - abs(centre * mid)), centre * mid + width * (mid - abs(centre * mid)))
    )
    kw: dict = {"thresholds": {"mid": mid}, "judgements": JUDGED}
    if polar:
        kw["benefit"] = "lower"
    if measure == "MD":
        out = summary_outcome(centre * mid, (lo, hi), participants=500, type="continuous", measure="MD", **kw)
    else:
        to_rr = lambda d: 1 + d / 200  # noqa: E731 — 1000 × 0.2 × (RR − 1) = d
        out = summary_outcome(
            to_rr(centre * mid), (to_rr(lo), to_rr(hi)), participants=500, assumed_risk={"value": 0.2}, **kw
        )
    oa = run(out, rules=rules)
    if rules != "strict":  # strict asks the OIS even of a trivial effect
        assert imp(oa).levels == 0
    text = (oa.statement or "").lower()
    assert oa.statement is not None and "little to no difference" in text
    for word in ("reduce", "increase", "improve", "slightly", "important", "large"):
        assert word not in text, oa.statement
