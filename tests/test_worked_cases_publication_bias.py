"""The rulebook's worked case W13, publication bias (shared/methods/grade-methods.md §14; R7.3), as
the domain's named result, rating, path and footnote.

The data are built so that the case's numbers hold exactly, worked by hand below (no gradecli code
in the construction): a fixed-effect fit with yᵢ = a + b·xᵢ exactly has slope b and z = b·√Sxx
(Sxx = Σwᵢ(xᵢ − x̄)², wᵢ = 1/SEᵢ²), so p = 2Φ(−|z|) is set by b; residuals weighted-orthogonal to
(1, xᵢ) add Σwᵢrᵢ² to Cochran's Q without moving the slope, which sets I² = (Q − df)/Q. The other
domains are the reviewer's "not serious", as the rulebook says ("other domains assessed and not
serious unless stated").
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from scipy import stats

import gradecli
from gradecli.grade.assessment import DomainAssessment, OutcomeAssessment
from gradecli.model.checks import check_evidence
from gradecli.model.evidence import Evidence

NOT_SERIOUS = {"rating": "not_serious", "reason": "Assessed for the worked case: no concern."}
OTHERS = {d: NOT_SERIOUS for d in ("risk_of_bias", "inconsistency", "indirectness", "imprecision")}
Z_975 = 1.959963984540054


def run(outcome: dict[str, Any], studies: list[dict[str, Any]]) -> OutcomeAssessment:
    o = {"id": "y", "name": "Outcome", "importance": "critical", "judgements": OTHERS, **outcome}
    ev = Evidence.model_validate({"gradecli": 1, "review": {"title": "W13"}, "studies": studies, "outcomes": [o]})
    assert not check_evidence(ev)
    return gradecli.assess(ev).outcomes[0]


def pub(o: OutcomeAssessment) -> DomainAssessment:
    return next(d for d in o.domains if d.domain == "publication_bias")


def weighted(xs: list[float], w: list[float]) -> tuple[float, float]:
    """(x̄_w, Sxx_w)."""
    xbar = sum(wi * x for wi, x in zip(w, xs, strict=True)) / sum(w)
    return xbar, sum(wi * (x - xbar) ** 2 for wi, x in zip(w, xs, strict=True))


# -- W13(a): 14 cohorts, a harmful exposure, Peters p = 0.03 ------------------------------------------


def w13a(benefit: str | None = "lower") -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """14 cohorts; log OR = a + b/N exactly. SEᵢ ∝ 1/√Nᵢ scaled so that Σ1/SE² = 1/se², se the
    pooled SE of OR 1.45 (1.28–1.64): se = (ln 1.64 − ln 1.28)/(2·1.96) = 0.0632; b from z = 2.170
    (p = 0.03) and a from the pooled log OR a + b·x̄ = ln 1.45."""
    ns = [90, 120, 150, 200, 260, 340, 450, 600, 800, 1000, 1300, 1700, 2200, 3000]
    se_pooled = (math.log(1.64) - math.log(1.28)) / (2 * Z_975)
    c = math.sqrt(sum(ns) * se_pooled**2)  # SEᵢ = c/√Nᵢ: Σ 1/SEᵢ² = ΣN/c² = 1/se²
    ses = [c / math.sqrt(n) for n in ns]
    w = [1 / s**2 for s in ses]
    x = [1 / n for n in ns]
    xbar, sxx = weighted(x, w)
    b = stats.norm.isf(0.03 / 2) / math.sqrt(sxx)
    a = math.log(1.45) - b * xbar
    rows = [
        {"study": f"C{i + 1}", "yi": a + b * xi, "sei": s, "participants": n}
        for i, (xi, s, n) in enumerate(zip(x, ses, ns, strict=True))
    ]
    out = {"type": "generic", "measure": "OR", "data": rows}
    if benefit:
        out["benefit"] = benefit
    return out, [{"id": r["study"], "design": "nrsi"} for r in rows]


def test_w13a_harmful_exposure_peters_p_003_is_suspected_never_no_asymmetry():
    o = run(*w13a())
    assert o.effect.estimate == pytest.approx(1.45, rel=1e-9)
    # 1.45·exp(∓1.96·0.0632) = 1.2810 to 1.6413: the case's 1.28–1.64
    assert (round(o.effect.ci_lb, 2), round(o.effect.ci_ub, 2)) == (1.28, 1.64)
    d = pub(o)
    assert d.rating.value == "serious" and d.levels == 1 and d.status == "proposed"
    p = d.proposal
    assert p.rule == "PUB-EGGER" and p.needs_confirmation  # the reviewer decides
    assert "Peters' test p = 0.03 (14 studies)" in p.facts and "smaller studies show more harm" in p.facts
    assert p.explanation.startswith("suspected — asymmetry, p = 0.03 (Peters' test, 14 studies)")
    assert "no asymmetry" not in d.footnote and "asymmetry, p = 0.03" in d.footnote
    assert "smaller studies show more harm, exaggerating the pooled effect" in d.footnote
    assert p.path[-1] == "publication bias: suspected → −1, for the reviewer to confirm"
    assert "the small-study test is informative: I² 0% (< 50%), largest/smallest variance 33.3 (> 4)" in p.path


def test_w13a_an_exposure_without_a_benefit_direction_reads_as_larger_odds_ratios():
    d = pub(run(*w13a(benefit=None)))
    assert d.rating.value == "serious" and "smaller studies show larger odds ratios" in d.proposal.facts


def test_w13a_the_same_funnel_mirrored_is_suspected_too():
    """A benefit (OR 1/1.45) with smaller studies showing more benefit: the same rule, the other way."""
    out, studies = w13a(benefit="lower")
    for r in out["data"]:
        r["yi"] = -r["yi"]
    d = pub(run(out, studies))
    assert d.rating.value == "serious" and "smaller studies show more benefit" in d.proposal.facts


# -- W13(b): 12 RCTs, I² 78%, Egger p 0.40 ---------------------------------------------------------


def w13b() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """12 RCTs (generic MD, fixed effect): y = b·SE + r, r ⟂ (1, SE) in the weights; Egger's z from
    b (p = 0.40), Q = b²·Sxx + Σwr² = 11/(1 − 0.78) = 50 → I² = 78%."""
    ses = [0.10, 0.14, 0.18, 0.22, 0.26, 0.30, 0.34, 0.38, 0.42, 0.46, 0.50, 0.54]
    w = [1 / s**2 for s in ses]
    xbar, sxx = weighted(ses, w)
    b = -stats.norm.isf(0.40 / 2) / math.sqrt(sxx)
    # r: alternating signs minus their weighted projections on 1 and on (SE − x̄) (orthogonal to each other)
    u = [(-1.0) ** i for i in range(12)]
    c1 = sum(wi * ui for wi, ui in zip(w, u, strict=True)) / sum(w)
    u = [ui - c1 for ui in u]
    c2 = sum(wi * ui * (s - xbar) for wi, ui, s in zip(w, u, ses, strict=True)) / sxx
    r = [ui - c2 * (s - xbar) for ui, s in zip(u, ses, strict=True)]
    q_target = 11 / (1 - 0.78)
    scale = math.sqrt((q_target - b * b * sxx) / sum(wi * ri * ri for wi, ri in zip(w, r, strict=True)))
    rows = [
        {"study": f"R{i + 1}", "yi": b * s + scale * ri, "sei": s} for i, (s, ri) in enumerate(zip(ses, r, strict=True))
    ]
    out = {
        "type": "generic",
        "measure": "MD",
        "benefit": "lower",
        "data": rows,
        "analysis": {"model": "fixed", "method": "IV"},
    }
    return out, [{"id": r["study"], "design": "rct"} for r in rows]


def test_w13b_i2_78_egger_p_040_is_undetected_test_uninformative_needs_judgement():
    o = run(*w13b())
    assert o.effect.i2 == pytest.approx(78.0, abs=1e-9)
    assert o.effect.egger_p == pytest.approx(0.40, rel=1e-9)
    d = pub(o)
    assert d.rating is None and d.status == "not_assessed"  # needs judgement: never "not serious"
    p = d.proposal
    assert p.rule == "PUB-UNINFORMATIVE" and p.needs_confirmation
    assert p.explanation.startswith("undetected — test uninformative: I² 78%, at least 50%")
    assert p.path[-1] == (
        "publication bias: undetected — test uninformative → for the reviewer to judge (judgements.publication_bias)"
    )
    assert "publication_bias" in o.not_assessed and not o.provisional  # the others are rated: certainty stands


# -- W13(c): 6 small industry-funded trials, no test ------------------------------------------------


def w13c() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    arms = [30, 42, 50, 64, 75, 88]  # every arm below 100: small
    rows = [
        {"study": f"T{i + 1}", "events_t": n // 4, "n_t": n, "events_c": n // 3, "n_c": n} for i, n in enumerate(arms)
    ]
    studies = [{"id": r["study"], "design": "rct", "funding": "industry"} for r in rows]
    return {"type": "dichotomous", "measure": "RR", "benefit": "lower", "data": rows}, studies


def test_w13c_six_small_industry_funded_trials_without_a_test_are_suspected_minus_one():
    o = run(*w13c())
    d = pub(o)
    assert d.rating.value == "serious" and d.levels == 1 and d.status == "proposed"
    p = d.proposal
    assert p.rule == "PUB-FUNDING" and p.needs_confirmation
    assert p.explanation.startswith("suspected — most or all studies are small and industry-funded (6 of 6")
    assert "a small-study test is not feasible: 6 studies (at least 10 needed)" in p.explanation  # no test
    assert p.path[0] == "most or all studies small and industry-funded? yes — 6 of 6"
    assert p.path[-1] == "publication bias: suspected → −1, for the reviewer to confirm"
    assert o.points == 1 and o.computed_certainty.value == "moderate"  # RCTs, High − 1


def test_w13c_publicly_funded_the_same_trials_are_untested_not_suspected():
    out, studies = w13c()
    for s in studies:
        s["funding"] = "public"
    d = pub(run(out, studies))
    assert d.rating is None and d.proposal.rule == "PUB-FEW"
