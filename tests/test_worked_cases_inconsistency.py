"""The rulebook's worked inconsistency cases W7(a), W7(b) and W8 (shared/methods/grade-methods.md §14),
each as the inconsistency rating, its levels, the facts behind it and the certainty it implies.

Each case is built as per-study generic rows {study, yi, sei} on the log RR scale, with the numbers
derived by hand below (a CI is yi ± 1.96·sei; a study's fixed-effect weight is 1/sei² over the sum) and
checked with the independent ``q_i2``. No MID is given, so the null is the threshold (Core GRADE 2 and 3:
the target's threshold serves imprecision and inconsistency alike). The other domains are the
reviewer's "not serious" ("other domains assessed and not serious unless stated").
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from scipy import stats
from test_grade_helpers import generic_rows, make_evidence, q_i2

import gradecli
from gradecli.grade.assessment import OutcomeAssessment
from gradecli.grade.ruleset import RuleSet, load_ruleset

Z = 1.959963984540054
NOT_SERIOUS = {"rating": "not_serious", "reason": "Assessed for the worked case: no concern."}
JUDGED = {d: NOT_SERIOUS for d in ("risk_of_bias", "indirectness", "imprecision", "publication_bias")}
DL = {"model": "random", "method": "DL"}


def run(ys: list[float], ses: list[float], rules: Any = "default", analysis: dict[str, Any] = DL) -> OutcomeAssessment:
    o = {
        "id": "y",
        "name": "Mortality",
        "importance": "critical",
        "type": "generic",
        "measure": "RR",
        "analysis": analysis,
        "data": generic_rows(ys, ses),
        "judgements": JUDGED,
    }
    studies = [{"id": f"S{i + 1}", "design": "rct"} for i in range(len(ys))]
    return gradecli.assess(make_evidence(o, studies), rules=rules).outcomes[0]


def inc(o: OutcomeAssessment):
    return next(d for d in o.domains if d.domain == "inconsistency")


def rules_with(scale: dict[str, Any] | None = None, **by_code: dict[str, Any]) -> RuleSet:
    data = load_ruleset("default").model_dump(mode="json")
    data["scale"].update(scale or {})
    for code, values in by_code.items():
        data["rules"][code.replace("_", "-")].update(values)
    return RuleSet.model_validate({**data, "name": "test"})


# -- W7(a): I² 28%, Q p 0.09 — not serious -----------------------------------------------------------


def w7a() -> tuple[list[float], list[float]]:
    """24 RCTs, RR 0.86 (0.79–0.94) with a fixed effect: equal SEs s with s/√24 = (ln 0.94 − ln 0.79)/3.92
    = 0.0443, s = 0.217. Nine studies at ln 0.86 + a (above 1), fifteen at ln 0.86 − 0.6a, so the mean
    stays ln 0.86 and Q = (9a² + 15·0.36a²)/s² = 14.4a²/s². The case's I² 28% and Q p 0.09 are not
    one Q on 23 df (Q 31.9 gives 28% but p 0.10; Q 32.5 gives p 0.09 and I² 29.3%): Q p = 0.09 is
    kept, as it is what the case is about. a = √(32.5·s²/14.4) = 0.326: RR 1.19 (0.76 to 1.87) above
    1, RR 0.71 (0.46 to 1.08) below — no CI excludes 1."""
    s = (math.log(0.94) - math.log(0.79)) / (2 * Z) * math.sqrt(24)
    q = stats.chi2.isf(0.09, 23)
    a = math.sqrt(q * s * s / 14.4)
    m = math.log(0.86)
    return [m + a] * 9 + [m - 0.6 * a] * 15, [s] * 24


def test_w7a_small_i2_with_q_p_below_0_10_is_not_serious():
    ys, ses = w7a()
    _, p, i2 = q_i2(ys, ses)
    assert p == pytest.approx(0.09) and i2 == pytest.approx(29.3, abs=0.1)
    assert sum(y > 0 for y in ys) == 9 and not any(y - Z * s > 0 for y, s in zip(ys, ses, strict=True))
    o = run(ys, ses, analysis={"model": "fixed", "method": "IV"})
    assert (round(o.effect.estimate, 2), round(o.effect.ci_lb, 2), round(o.effect.ci_ub, 2)) == (0.86, 0.79, 0.94)
    d = inc(o)
    assert d.rating.value == "not_serious" and d.levels == 0 and d.proposal.rule == "INC-I2"
    assert "Q p = 0.09 < 0.1: shown, never a reason on its own" in d.proposal.path[0]
    assert o.certainty.value == "high"


# -- W7(b): one small trial whose CI spans the null — not counted --------------------------------------


SMALL_SE = (math.log(4.88) - math.log(0.39)) / (2 * Z)  # 0.645: its CI 0.39–4.88 around RR 1.38


def w7b() -> tuple[list[float], list[float]]:
    """8 RCTs: seven RR 0.45, 0.6, 0.7, 0.75, 0.8, 0.85, 0.85 with SE 0.135 (upper CI limits ×e^0.265 =
    ×1.30: 0.59 to 1.11, none wholly above 1), and the small trial RR 1.38 (0.39–4.88). With SE 0.135
    the seven give I² = 62%. Its weight is 1/0.645² = 2.4 of 2.4 + 7/0.135² = 386: 0.6% fixed effect,
    1.7% random effects (the case's 3% cannot go with I² 62% and that CI) — not counted at any weight,
    since its CI spans the null."""
    return [math.log(v) for v in (0.45, 0.6, 0.7, 0.75, 0.8, 0.85, 0.85, 1.38)], [0.135] * 7 + [SMALL_SE]


def test_w7b_a_small_trial_whose_ci_spans_the_null_is_not_counted():
    ys, ses = w7b()
    assert round(q_i2(ys, ses)[2]) == 62
    assert math.exp(ys[-1] - Z * SMALL_SE) == pytest.approx(0.39, abs=1e-3)
    assert math.exp(ys[-1] + Z * SMALL_SE) == pytest.approx(4.88, abs=1e-2)
    o = run(ys, ses)
    assert round(o.effect.estimate, 2) == 0.71  # the case's RR 0.70 (0.58–0.84): random effects here
    d = inc(o)
    assert d.rating.value == "not_serious" and d.levels == 0 and d.proposal.rule == "INC-STRADDLE"
    assert "no study's 95% CI lies wholly on the other side of the null (an increase)" in d.proposal.facts
    assert any(f.startswith("1 more study with the point estimate") for f in d.proposal.facts)
    assert o.certainty.value == "high"
    # not "very serious", nor serious: even a one-study, 0.1% rule cannot count a CI that spans the null
    lax = rules_with(INC_STRADDLE={"min_studies": 1, "min_weight": 0.001})
    assert inc(run(ys, ses, lax)).rating.value == "not_serious"


def test_w7b_the_prediction_interval_uses_t_on_k_minus_2_and_does_not_decide():
    ys, ses = w7b()
    w = [1 / s**2 for s in ses]
    q = q_i2(ys, ses)[0]
    tau2 = (q - 7) / (sum(w) - sum(x * x for x in w) / sum(w))
    ws = [1 / (s**2 + tau2) for s in ses]
    mu = sum(a * y for a, y in zip(ws, ys, strict=True)) / sum(ws)
    half = stats.t.ppf(0.975, 6) * math.sqrt(tau2 + 1 / sum(ws))
    lo, hi = math.exp(mu - half), math.exp(mu + half)
    assert lo < 1 < hi  # the PI reaches harm
    d = inc(run(ys, ses))
    fact = next(f for f in d.proposal.facts if "prediction interval" in f)
    assert f"{lo:.2f} to {hi:.2f} (t on k − 2 = 6 df" in fact and "reaches the other side of the null" in fact
    assert d.rating.value == "not_serious"


# -- W8: CIs wholly on opposite sides — serious, "consider −2" flagged ----------------------------------


def w8(low_rr: float = 0.34) -> tuple[list[float], list[float]]:
    """6 RCTs: S1, S2 at RR 0.34 with SE 0.39 (CI upper limit 0.34·e^(1.96·0.39) = 0.730, below 0.75 and
    0.80); S3, S4 at RR 3.3 with SE 0.485 (lower limit 3.3·e^(−1.96·0.485) = 1.275, above 1.25); S5, S6
    at RR 0.6 and 0.8 with SE 0.59 (spanning 1). Weights 1/SE²: 6.57, 6.57, 4.25, 4.25, 2.87, 2.87 of
    27.4 → 48.0%, 31.0%, 21.0%. I² = 81%."""
    return [math.log(v) for v in (low_rr, low_rr, 3.3, 3.3, 0.6, 0.8)], [0.39, 0.39, 0.485, 0.485, 0.59, 0.59]


def test_w8_opposite_sides_is_serious_with_consider_two_levels_flagged():
    ys, ses = w8()
    assert round(q_i2(ys, ses)[2]) == 81
    assert math.exp(ys[0] + Z * 0.39) < 0.75 and math.exp(ys[2] - Z * 0.485) > 1.25
    o = run(ys, ses)
    assert o.effect.estimate < 1  # the pooled estimate is a reduction: the other side is an increase
    d = inc(o)
    assert d.rating.value == "serious" and d.levels == 1 and d.proposal.rule == "INC-STRADDLE"
    assert d.proposal.needs_confirmation
    assert d.proposal.facts[1] == (
        "2 studies (S3, S4; 31.0% of the fixed-effect weight): "
        "95% CI wholly on the other side of the null (an increase)"
    )
    flag = next(f for f in d.proposal.facts if f.startswith("consider two levels"))
    assert "S1, S2, 48.0% of the weight" in flag and "S3, S4, 31.0% of the weight" in flag
    assert o.certainty.value == "moderate"  # −1: the flag asks the reviewer, it does not count


def test_w8_with_two_levels_proposed_is_very_serious_and_low():
    ys, ses = w8()
    o = run(ys, ses, rules_with(INC_STRADDLE={"two_levels": "propose"}))
    d = inc(o)
    assert d.rating.value == "very_serious" and d.levels == 2 and d.proposal.needs_confirmation
    assert o.certainty.value == "low"  # what CD009172's own matrix gives (−2)


def test_w8_with_the_log_symmetric_pair_0_80_and_1_25():
    # the case's own pair: the lower CIs must lie wholly below 0.80. At RR 0.36 the upper limit is
    # 0.36·e^(1.96·0.39) = 0.773: below 0.80, not below 0.75 — two levels are flagged only under 0.80
    ys, ses = w8(0.36)
    assert 0.75 < math.exp(ys[0] + Z * 0.39) < 0.80
    assert q_i2(ys, ses)[2] > 75
    default = inc(run(ys, ses))
    assert default.rating.value == "serious" and not default.proposal.needs_confirmation
    pair = inc(run(ys, ses, rules_with({"relative_threshold_low": 0.80})))
    assert pair.rating.value == "serious" and pair.proposal.needs_confirmation


def _w8_with_subgroups(iceman: dict[str, Any] | None) -> list[OutcomeAssessment]:
    """W8 with an a priori hypothesis that separates the trials: S1, S2, S5 (say, one population) and
    S3, S4, S6 (another)."""
    ys, ses = w8()
    hyp: dict[str, Any] = {
        "id": "population",
        "modifier": "population",
        "hypothesis": "a benefit in population A and harm in population B",
        "groups": [{"name": "A", "studies": ["S1", "S2", "S5"]}, {"name": "B", "studies": ["S3", "S4", "S6"]}],
    }
    if iceman is not None:
        hyp["iceman"] = iceman
    o = {"id": "w", "name": "W8", "importance": "critical", "type": "generic", "measure": "RR",
         "data": generic_rows(ys, ses), "analysis": DL, "judgements": JUDGED, "subgroups": [hyp]}  # fmt: skip
    studies = [{"id": r["study"], "design": "rct"} for r in o["data"]]
    return gradecli.assess(make_evidence(o, studies)).outcomes


def test_w8_no_credible_subgroup_stays_one_row_and_says_so():
    (o,) = _w8_with_subgroups(None)
    d = inc(o)
    assert d.rating.value == "serious" and d.levels == 1
    assert any(f.startswith("no credible a priori subgroup explains it: population (interaction p < 0.001")
               for f in d.proposal.facts)  # fmt: skip


def test_w8_a_credible_subgroup_gives_two_rows_each_consistent():
    credible = {"direction_a_priori": "definitely_yes", "chance_unlikely": "definitely_yes",
                "credibility": "moderate", "reason": "Protocol hypothesis with direction; p < 0.001."}  # fmt: skip
    rows = _w8_with_subgroups(credible)
    assert [r.id for r in rows] == ["w-population-1", "w-population-2"]
    a, b = rows
    assert a.effect.estimate < 1 < b.effect.estimate  # the subgroups' own estimates, on each side of the null
    assert inc(a).rating.value == "not_serious" and inc(b).rating.value == "not_serious"
    assert a.certainty.value == "high" and b.certainty.value == "high"
