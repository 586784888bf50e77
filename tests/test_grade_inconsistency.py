"""Inconsistency at and around its cut-offs — the I² gate (40%), a CI limit exactly at the null or an
MID, the weight share (20%) and the count (2 studies), two levels from I² 75% — and single studies,
summary-level results, the prediction interval (t on k − 2 df) and the path every proposal records.

Bodies are generic rows pooled with fixed-effect inverse variance unless stated, whose I² is the
classic (Q − df)/Q (DerSimonian–Laird's is the same). The data are chosen so Q, the study CIs
(y ± 1.96·SE) and the weights (1/SE², as shares) are known by hand, and checked against the
independent ``q_i2``. Rulebook R4.5 (Core GRADE 3, GRADE 7): below I² 40% not serious (Q p never
decides alone); above it, serious when ≥ 2 studies or ≥ 20% of the fixed-effect weight have 95% CIs
wholly on the other side of the target's threshold; two levels flagged (never automatic) when I² ≥ 75%
and studies with ≥ 20% of the weight each lie wholly in an important reduction and an important increase.

Rewritten tests (old behaviour the rulebook now contradicts): the 50% cut-off tests → the 40% gate;
"Q p < 0.10 alone is serious" → never; point estimates in different zones (straddle, very serious at
75%) → CIs wholly on the other side, and −2 only flagged; "no threshold → not assessed" → the null is
the threshold; "the prediction interval alone makes it serious" → it never does.
"""

from __future__ import annotations

import math
import re

import pytest
from scipy import stats
from test_grade_helpers import FIXED, assess_one, dom, generic_rows, outcome, q_i2, summary_outcome, with_rules

import gradecli

Z = 1.959963984540054  # the library's 97.5% normal quantile: a CI limit y − Z·1 with y = Z is exactly 0


def generic(ys, ses, mid=None, analysis=FIXED, measure="GENERIC", **kw):
    extra = {"thresholds": {"mid": mid}} if mid is not None else {}
    return outcome(type="generic", measure=measure, data=generic_rows(ys, ses), analysis=analysis, **extra, **kw)


def inc(out, rules="default"):
    return dom(assess_one(out, None, rules), "inconsistency")


# -- the gate: I² 40% ----------------------------------------------------------------------------


def gate_body(i2: float) -> list[float]:
    """20 studies with SE 1: S1, S2 at 2.2 (CI 0.24 to 4.16, wholly above the null); 18 at −0.5 ± h.
    The mean is (2·2.2 − 18·0.5)/20 = −0.23, so Q = 2·2.43² + 9[(h − 0.27)² + (h + 0.27)²]
    = 13.122 + 18h²; I² = (Q − 19)/Q gives Q = 19/(1 − I²) and h = √((Q − 13.122)/18)."""
    q = 19 / (1 - i2 / 100)
    h = math.sqrt((q - 13.122) / 18)
    return [2.2, 2.2] + [-0.5 + h, -0.5 - h] * 9


@pytest.mark.parametrize(
    ("i2", "expected", "rule"), [(39.9, "not_serious", "INC-I2"), (40.0, "serious", "INC-STRADDLE")]
)
def test_the_gate_at_40_percent(i2, expected, rule):
    ys = gate_body(i2)
    _, p, measured = q_i2(ys, [1.0] * 20)
    assert measured == pytest.approx(i2) and p < 0.10  # Q p is low on both sides of the gate
    assert all(y - Z > 0 for y in ys[:2]) and all(y - Z < 0 < y + Z for y in ys[2:])  # only S1, S2 exclude 0
    d = inc(generic(ys, [1.0] * 20))
    assert d.rating.value == expected and d.proposal.rule == rule
    assert d.proposal.facts[0].startswith(f"I² = {i2:g}%")
    if expected == "serious":  # two studies: the count decides (their weight is 2/20 = 10%)
        assert d.proposal.facts[1].startswith("2 studies (S1, S2; 10% of the fixed-effect weight)")
    else:  # the CIs beyond the null do not matter below the gate, nor does Q p
        assert "never a reason on its own" in d.proposal.path[0]


def test_q_p_below_0_10_never_rates_down_below_the_gate():
    # 20 studies at ±c with SE 1, Q = 20c² on 19 df with chi-square p = 0.05: I² = 36%
    q = stats.chi2.isf(0.05, 19)
    c = math.sqrt(q / 20)
    ys = [c if i % 2 else -c for i in range(20)]
    assert q_i2(ys, [1.0] * 20)[2] < 40
    d = inc(generic(ys, [1.0] * 20, mid=0.2))
    assert d.rating.value == "not_serious" and d.proposal.rule == "INC-I2"


# -- a CI limit exactly at a threshold ---------------------------------------------------------------


@pytest.mark.parametrize(("shift", "expected"), [(0.0, "not_serious"), (1e-3, "serious")])
def test_a_ci_limit_exactly_on_the_null_is_not_counted(shift, expected):
    # no MID: the null is the threshold. SE 1 (25% of the weight each); S4 at y = 1.96 + shift has the
    # CI (shift, 3.92 + shift): on the null it includes the null (not counted); just above, it counts
    ys = [-3.0, -2.5, -2.0, Z + shift]
    assert q_i2(ys, [1.0] * 4)[2] > 75 and sum(ys) < 0  # the pooled estimate is a reduction
    d = inc(generic(ys, [1.0] * 4))
    assert d.rating.value == expected
    if expected == "serious":  # one study, but 25% ≥ 20% of the weight
        assert d.proposal.facts[1].startswith("1 study (S4; 25% of the fixed-effect weight)")


@pytest.mark.parametrize(("shift", "expected"), [(0.0, "not_serious"), (1e-3, "serious")])
def test_a_ci_limit_exactly_on_the_mid_of_an_important_effect_is_not_counted(shift, expected):
    # MID 0.5; the pooled estimate (−8.4 + 1.46)/4 = −1.74 is an important reduction, so the threshold
    # is the MID −0.5 and the other side is "wholly short of it". S4's CI (−0.5 + shift, 3.42 + shift):
    # a limit on the MID reaches the important zone, as imprecision reads it → not counted
    ys = [-3.0, -2.8, -2.6, -0.5 + Z + shift]
    assert q_i2(ys, [1.0] * 4)[2] > 40
    d = inc(generic(ys, [1.0] * 4, mid=0.5))
    assert d.rating.value == expected
    assert "target: an important reduction" in d.proposal.path[1]


@pytest.mark.parametrize(("shift", "expected"), [(0.0, "serious"), (-1e-3, "not_serious")])
def test_a_ci_limit_exactly_on_the_mid_of_little_or_no_effect_is_counted(shift, expected):
    # MID 0.5; the pooled estimate (−1.8 + 2.46)/4 = 0.165 is trivial: the target is little or no
    # effect and the other side is "wholly beyond an MID". S4's CI (0.5 + shift, 4.42 + shift): a lower
    # limit on the MID lies in the important zone → counted; just below it, the CI reaches the trivial zone
    ys = [-0.8, -0.6, -0.4, 0.5 + Z + shift]
    assert q_i2(ys, [1.0] * 4)[2] > 40
    d = inc(generic(ys, [1.0] * 4, mid=0.5))
    assert d.rating.value == expected
    assert "target: little or no important effect" in d.proposal.path[1]


# -- the weight share and the count -------------------------------------------------------------------


def weight_body(share: float) -> tuple[list[float], list[float]]:
    """Four studies with SE 1 at −3, −2.8, −2.6, −2.4 and S5 with weight w5/(4 + w5) = share, i.e.
    w5 = 4·share/(1 − share), SE 1/√w5, at y = 0.5 + 1.96·SE (its CI starts at 0.5: wholly above 0)."""
    w5 = 4 * share / (1 - share)
    se5 = 1 / math.sqrt(w5)
    return [-3.0, -2.8, -2.6, -2.4, 0.5 + Z * se5], [1.0] * 4 + [se5]


@pytest.mark.parametrize(("share", "expected"), [(0.199, "not_serious"), (0.20, "serious"), (0.201, "serious")])
def test_one_study_counts_from_20_percent_of_the_weight(share, expected):
    ys, ses = weight_body(share)
    assert q_i2(ys, ses)[2] > 40
    d = inc(generic(ys, ses))
    assert d.rating.value == expected
    if expected == "not_serious":  # one study, under 20%: the count (2) and the weight both fall short
        assert "fewer than 2 studies and under 20% of the weight → 0" in " ".join(d.proposal.path)


def test_the_weight_and_count_settings():
    ys, ses = weight_body(0.20)
    assert inc(generic(ys, ses), with_rules(INC_STRADDLE={"min_weight": 0.25})).rating.value == "not_serious"
    assert inc(generic(ys, ses), with_rules(INC_STRADDLE={"min_weight": None})).rating.value == "not_serious"
    ys, ses = weight_body(0.05)
    assert inc(generic(ys, ses)).rating.value == "not_serious"
    assert inc(generic(ys, ses), with_rules(INC_STRADDLE={"min_studies": 1})).rating.value == "serious"


# -- two levels from I² 75% ---------------------------------------------------------------------------


def two_level_body(i2: float) -> list[float]:
    """Six studies with SE 1 at −c, −c, 0, 0, c, c: the mean is 0 and Q = 4c² on 5 df, so
    c = √(5/(4(1 − I²))). At I² 75%, c = √5 = 2.236: CIs (−4.20, −0.28) and (0.28, 4.20), wholly
    beyond the MIDs ±0.2; each pair holds 2/6 = 33% of the weight."""
    c = math.sqrt(5 / (4 * (1 - i2 / 100)))
    return [-c, -c, 0.0, 0.0, c, c]


@pytest.mark.parametrize(("i2", "flagged"), [(74.9, False), (75.0, True), (75.1, True)])
def test_two_levels_are_flagged_from_i2_75_never_proposed(i2, flagged):
    ys = two_level_body(i2)
    assert q_i2(ys, [1.0] * 6)[2] == pytest.approx(i2)
    assert ys[4] - Z >= 0.2  # wholly beyond the MID at every I² tested
    d = inc(generic(ys, [1.0] * 6, mid=0.2))
    # the pooled estimate (0) is trivial; four studies lie wholly beyond an MID → serious, never −2
    assert d.rating.value == "serious" and d.levels == 1
    assert d.proposal.needs_confirmation is flagged
    assert any("consider −2" in step for step in d.proposal.path) is flagged
    if flagged:
        assert "confirm" in (d.footnote or "")  # the engine's footnote says the reviewer must confirm it


def test_two_levels_need_substantial_weight_on_each_side():
    ys = two_level_body(80.0)
    ses = [1.0, 1.0, 0.2, 0.2, 1.0, 1.0]  # the two middle studies now carry 2·25/(4 + 50) = 93% of the weight
    d = inc(generic(ys, ses, mid=0.2))
    assert d.rating.value == "serious" and not d.proposal.needs_confirmation  # 3.7% each side < 20%


def test_ratio_measure_with_no_mid_uses_the_appreciable_fallback_for_two_levels():
    # RR 0.6, 1.0, 1/0.6 with SE 0.1: CIs 0.49–0.73 (wholly below 0.75) and 1.37–2.03 (above 1.25)
    ys = [math.log(0.6), 0.0, -math.log(0.6)]
    assert q_i2(ys, [0.1] * 3)[2] > 75
    d = inc(generic(ys, [0.1] * 3, measure="RR"))
    assert d.rating.value == "serious" and d.proposal.needs_confirmation
    assert "the rule set's fallback" in d.proposal.explanation
    propose = with_rules(INC_STRADDLE={"two_levels": "propose"})
    assert inc(generic(ys, [0.1] * 3, measure="RR"), propose).rating.value == "very_serious"


# -- the threshold is the target's ----------------------------------------------------------------------


def test_large_i2_all_on_one_side_of_the_mid_is_not_serious():
    ys = [1.0, 2.0, 3.0]  # SE 0.5, I² 75%; every CI reaches beyond the MID 0.5 (the lowest: 0.02 to 1.98)
    d = inc(generic(ys, [0.5] * 3, mid=0.5))
    assert d.rating.value == "not_serious" and d.proposal.rule == "INC-STRADDLE"
    assert "no study's 95% CI lies wholly short of the MID (0.5)" in d.proposal.explanation


def test_no_mid_the_null_is_the_threshold():
    # GENERIC without thresholds: the null. Mean 0 (on the null): studies wholly on either side count —
    # S1 (−1.98, −0.02) and S3 (0.02, 1.98)
    d = inc(generic([-1.0, 0.0, 1.0], [0.5] * 3))
    assert d.rating.value == "serious"
    assert "2 studies (S1, S3; " in d.proposal.facts[1] and "wholly on either side" in d.proposal.facts[1]


def test_absolute_scale_from_dichotomous_rows():
    # RR by the table; control risk 20% (the median), MID 20 per 1,000. A 1,000-a-side trial with 300
    # vs 200 events: RR 1.5, SE √(1/300 − 1/1000 + 1/200 − 1/1000) = 0.0796, CI 1.28–1.75 → 57 to 151
    # more per 1,000 at 20%: wholly beyond the MID for harm. The others show benefit.
    data = [
        {"study": "A", "events_t": 300, "n_t": 1000, "events_c": 200, "n_c": 1000},
        {"study": "B", "events_t": 100, "n_t": 1000, "events_c": 200, "n_c": 1000},
        {"study": "C", "events_t": 110, "n_t": 1000, "events_c": 200, "n_c": 1000},
    ]
    se = math.sqrt(1 / 300 - 1 / 1000 + 1 / 200 - 1 / 1000)
    lo = 1.5 * math.exp(-Z * se)
    assert 1000 * 0.2 * (lo - 1) > 20
    out = outcome(measure="RR", data=data, analysis=FIXED, thresholds={"mid": 20}, benefit="lower")
    d = inc(out)
    # the pooled estimate is an important benefit: A's CI lies wholly short of the MID (20 fewer per 1,000)
    assert d.rating.value == "serious"
    assert "1 study (A; " in d.proposal.facts[1] and "per 1,000" in d.proposal.facts[1]


# -- the prediction interval: t on k − 2 df, never a reason on its own ---------------------------------


def dl_prediction(ys, ses):
    """DerSimonian–Laird, by hand: τ², μ̂, SE(μ̂), and the 95% PI μ̂ ± t_{k−2}·√(τ² + SE²)."""
    w = [1 / s**2 for s in ses]
    q = q_i2(ys, ses)[0]
    tau2 = max(0.0, (q - (len(ys) - 1)) / (sum(w) - sum(x * x for x in w) / sum(w)))
    ws = [1 / (s**2 + tau2) for s in ses]
    mu = sum(a * y for a, y in zip(ws, ys, strict=True)) / sum(ws)
    se = 1 / math.sqrt(sum(ws))
    half = stats.t.ppf(0.975, len(ys) - 2) * math.sqrt(tau2 + se**2)
    return mu - half, mu + half


def shown_interval(fact: str) -> tuple[float, float]:
    m = re.search(r"prediction interval (−?[\d.]+) to (−?[\d.]+)", fact)
    assert m, fact
    return tuple(float(x.replace("−", "-")) for x in m.groups())  # type: ignore[return-value]


def test_the_prediction_interval_alone_never_rates_down():
    # every estimate above the MID 0.5 and no CI wholly short of it, but τ² is large: the PI crosses 0.5
    ys, ses = [0.6, 1.0, 1.4, 1.8, 2.2], [0.1] * 5
    lo, hi = dl_prediction(ys, ses)
    assert lo < 0.5 < hi
    d = inc(generic(ys, ses, mid=0.5, analysis={"model": "random", "method": "DL"}))
    assert d.rating.value == "not_serious"
    fact = next(f for f in d.proposal.facts if "prediction interval" in f)
    assert "t on k − 2 = 3 df" in fact and "recomputed" in fact and "uses z" in fact
    assert shown_interval(fact) == (pytest.approx(lo, abs=5e-3), pytest.approx(hi, abs=5e-3))
    assert any("never rates down on its own" in step for step in d.proposal.path)


def test_the_analysis_higgins_interval_is_used_as_it_is():
    ys, ses = [0.6, 1.0, 1.4, 1.8, 2.2], [0.1] * 5
    analysis = {"model": "random", "method": "DL", "prediction_interval": "higgins"}
    fact = next(f for f in inc(generic(ys, ses, mid=0.5, analysis=analysis)).proposal.facts if "prediction" in f)
    assert "t on k − 2 = 3 df, Higgins 2009)" in fact and "recomputed" not in fact


def test_no_prediction_interval_for_fixed_effect_or_two_studies():
    assert any("fixed-effect analysis has no τ²" in f for f in inc(generic([-1.0, 0.0, 1.0], [0.5] * 3)).proposal.facts)
    two = inc(generic([-2.0, 2.0], [0.5] * 2, analysis={"model": "random", "method": "DL"}))
    assert any("needs 3 or more studies" in f for f in two.proposal.facts)


# -- single studies, summaries, paths ---------------------------------------------------------------


def test_single_study_is_not_applicable():
    d = inc(generic([0.3], [0.1], mid=0.5))
    assert d.rating.value == "not_serious"
    assert d.status == "not_applicable"
    assert d.proposal.rule == "INC-SINGLE"
    assert d.levels == 0 and d.footnote is None
    assert d.proposal.path == ["one study: no results to vary → not applicable"]


def test_summary_with_one_study_is_not_applicable():
    d = dom(assess_one(summary_outcome(0.7, (0.6, 0.8), participants=300, studies=1)), "inconsistency")
    assert d.proposal.rule == "INC-SINGLE" and d.status == "not_applicable"


def test_summary_without_i2_is_not_assessed():
    d = dom(assess_one(summary_outcome(0.7, (0.6, 0.8))), "inconsistency")
    assert d.rating is None and d.status == "not_assessed" and d.proposal.rule == "INC-NONE"
    assert d.proposal.path == ["I² not reported → not assessed"]


def test_summary_with_small_i2_is_not_serious():
    d = dom(assess_one(summary_outcome(0.7, (0.6, 0.8), summary_extra={"i2": 30})), "inconsistency")
    assert d.rating.value == "not_serious" and d.proposal.rule == "INC-I2"
    assert "I² = 30%" in d.proposal.facts[0]


def test_summary_with_large_i2_cannot_place_the_cis_so_is_not_assessed():
    # no per-study estimates: nothing measured says where the studies lie
    d = dom(assess_one(summary_outcome(0.7, (0.6, 0.8), summary_extra={"i2": 80})), "inconsistency")
    assert d.rating is None and d.status == "not_assessed"
    assert d.proposal.rule == "INC-STRADDLE"
    assert "I² = 80%" in d.proposal.explanation


def test_summary_with_large_i2_under_pollock_is_serious():
    d = dom(
        assess_one(summary_outcome(0.7, (0.6, 0.8), summary_extra={"i2": 80}), None, "pollock-2016"), "inconsistency"
    )
    assert d.rating.value == "serious" and d.proposal.rule == "INC-I2"
    assert d.proposal.path[-1] == "inconsistency: serious"


def test_every_proposal_records_its_path():
    bodies = [
        generic([0.3], [0.1]),  # INC-SINGLE
        summary_outcome(0.7, (0.6, 0.8)),  # INC-NONE
        summary_outcome(0.7, (0.6, 0.8), summary_extra={"i2": 10}),  # INC-I2, below the gate
        summary_outcome(0.7, (0.6, 0.8), summary_extra={"i2": 80}),  # INC-STRADDLE, not assessed
        generic([-1.0, 0.0, 1.0], [0.5] * 3),  # INC-STRADDLE, serious
    ]
    for body in bodies:
        for rules in ("default", "strict", "core-grade", "pollock-2016"):
            assert inc(body, rules).proposal.path, (body, rules)
    off = inc(generic([-1.0, 0.0, 1.0], [0.5] * 3), with_rules(INC_I2={"enabled": False}))
    assert off.status == "not_assessed" and off.proposal.path[0].endswith("→ not assessed")


def test_binary_outcomes_report_the_spread_of_control_risks():
    """R4.5.6: for binary outcomes the facts give the range of the studies' control-group risks."""
    rows = [
        {"study": "A", "events_t": 2, "n_t": 100, "events_c": 4, "n_c": 100},  # 4%
        {"study": "B", "events_t": 10, "n_t": 200, "events_c": 20, "n_c": 200},  # 10%
        {"study": "C", "events_t": 30, "n_t": 100, "events_c": 50, "n_c": 200},  # 25%
    ]
    d = dom(assess_one(outcome(data=rows)), "inconsistency")
    assert d.proposal.facts[-1] == (
        "control-group risks 4% to 25% across 3 studies (median 10%): the same relative effect means different "
        "absolute effects where they differ"
    )
    # one study, or rows without counts: nothing to spread
    one = dom(assess_one(outcome(data=rows[:1])), "inconsistency")
    assert not any("control-group risks" in f for f in one.proposal.facts)
    generic = dom(assess_one(outcome(type="generic", measure="GENERIC", data=generic_rows([0.1, 0.2], [0.1, 0.1]))),
                  "inconsistency")  # fmt: skip
    assert not any("control-group risks" in f for f in generic.proposal.facts)


def test_a_ratio_judged_on_the_absolute_scale_says_when_the_relative_scale_differs():
    """R4.3: for binary outcomes consider relative and absolute effects. BCG (examples/): at the studies'
    median control risk, TPT Madras's CI lies wholly short of the MID of 3 fewer per 1,000 (serious);
    on the relative scale, with no relative MID, its CI spans the null and no study lies on the other
    side (not serious). The proposal stays the target's (absolute); the fact says the other."""
    from pathlib import Path

    from gradecli.io.evidence import load_evidence

    ev = load_evidence(str(Path(__file__).parent.parent / "examples" / "bcg-vaccine-tuberculosis.yaml"))
    d = dom(gradecli.assess(ev).outcomes[0], "inconsistency")
    assert d.rating.value == "serious"
    assert d.proposal.facts[-1] == (
        "on the relative scale (no MID: the null; appreciable effect 0.75 or 1.25) inconsistency would be not "
        "serious (INC-STRADDLE): the rating here is judged on the absolute scale the target uses"
    )
    # a ratio judged on the relative scale (no comparator risk) adds nothing
    rows = generic_rows([math.log(0.5), math.log(1.0)], [0.1, 0.1])
    plain = dom(assess_one(outcome(type="generic", measure="RR", data=rows)), "inconsistency")
    assert not any("on the relative scale" in f for f in plain.proposal.facts)
