"""Regression tests for small-study effects (funnel-plot asymmetry) beside Egger's: Peters' and
Harbord's, with metafor's definitions (Viechtbauer 2010, J Stat Softw 36(3), ``regtest``).

Every test here is a weighted regression of the study estimates yᵢ (analysis scale: log for
ratios) on one moderator xᵢ with an intercept, and tests the moderator's coefficient:

* **Egger** (Egger et al. 1997): xᵢ = SEᵢ = √vᵢ — metafor ``regtest(res, model="rma",
  predictor="sei")``, computed by :func:`gradecli.stats.egger.egger_test` (one fit per outcome;
  :func:`from_egger` gives it this module's form).
* **Peters** (Peters et al. 2006): xᵢ = 1/Nᵢ, Nᵢ the study's total number of participants —
  metafor ``regtest(res, model="rma", predictor="ninv")``: the *analysis's own model* refitted
  with 1/N as moderator (weights 1/(vᵢ + τ²) with τ² re-estimated by the same estimator, 0 for
  fixed-effect models; z test, or t on k − 2 df with the Knapp–Hartung factor RSS/(k − 2) for
  HKSJ analyses; inverse-variance fixed effect on the study-level yᵢ/vᵢ for Mantel–Haenszel and
  Peto analyses). Peters' paper weights by SᵢFᵢ/Nᵢ (events × non-events / N); metafor, and
  gradecli with it, keeps the inverse-variance weights of the analysis.
* **Harbord** (Harbord et al. 2006), 2×2 tables only: the score statistic Zᵢ = Oᵢ − Eᵢ and its
  variance Vᵢ (the Peto terms, uncorrected; tables with Vᵢ = 0 left out); an unweighted regression
  of Zᵢ/√Vᵢ on √Vᵢ whose *intercept* is tested with t on k − 2 df. With yᵢ = Zᵢ/Vᵢ and vᵢ = 1/Vᵢ
  (the Peto log odds ratios) this is exactly the classical Egger regression ``regtest(yi, vi,
  model="lm")``: the weighted fit of yᵢ on √vᵢ with weights 1/vᵢ and an estimated residual
  variance, whose √vᵢ coefficient is Harbord's intercept. It does not depend on the analysis's
  model.

The sign of ``coef`` is read the same way for all three: positive when the smaller studies (larger
SE, larger 1/N, smaller V) have larger estimates on the analysis scale. Below ``min_k`` studies
(at least ``EGGER_FLOOR_K`` = 3, a residual degree of freedom), with a constant moderator, or when
the fit leaves the floating-point range, there is no result (None).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from gradecli.stats.effects import peto_terms
from gradecli.stats.egger import EGGER_MIN_K, EggerResult, slope_regression

__all__ = ["SmallStudyRegression", "from_egger", "harbord_test", "moderator_test", "peters_test"]


@dataclass(frozen=True, slots=True)
class SmallStudyRegression:
    """One small-study regression test. ``name``: "Egger", "Peters" or "Harbord"; ``predictor``:
    the moderator ("sei", "1/n", or for Harbord "sqrt(V)" — the intercept of Z/√V on √V);
    ``coef``: the tested coefficient (> 0: larger estimates in smaller studies), with ``se``,
    ``stat`` (z or t, ``test``), ``pval`` and ``df``; ``intercept``: the other coefficient (for
    Egger and Peters the estimate extrapolated to a study of infinite size); ``method``: the fit
    ("fixed", "rma (REML)", ..., or "lm" for Harbord)."""

    name: str
    predictor: str
    coef: float
    se: float
    stat: float
    pval: float
    test: str
    df: int | None
    tau2: float
    converged: bool
    intercept: float
    k: int
    method: str


def from_egger(e: EggerResult) -> SmallStudyRegression:
    """Egger's test (:func:`gradecli.stats.egger.egger_test`) in this module's form."""
    return SmallStudyRegression(
        "Egger", "sei", e.slope, e.se, e.stat, e.pval, e.test, e.df, e.tau2, e.converged, e.intercept, e.k, e.method
    )


def moderator_test(
    y: Sequence[float],
    v: Sequence[float],
    x: Sequence[float],
    tau2_method: str | None,
    hksj: bool = False,
    min_k: int = EGGER_MIN_K,
    name: str = "regression",
    predictor: str = "x",
) -> SmallStudyRegression | None:
    """metafor ``regtest(model="rma")`` with moderator ``x`` (:func:`gradecli.stats.egger.slope_regression`),
    named for the test it is."""
    e = slope_regression(y, v, x, tau2_method, hksj, min_k)
    return None if e is None else replace(from_egger(e), name=name, predictor=predictor)


def peters_test(
    y: Sequence[float],
    v: Sequence[float],
    n: Sequence[float],
    tau2_method: str | None,
    hksj: bool = False,
    min_k: int = EGGER_MIN_K,
) -> SmallStudyRegression | None:
    """Peters' test as metafor ``regtest(res, model="rma", predictor="ninv")``: the moderator is
    1/Nᵢ (``n``: each study's total number of participants, > 0)."""
    if any(not (ni > 0) for ni in n):
        return None
    return moderator_test(y, v, [1.0 / ni for ni in n], tau2_method, hksj, min_k, "Peters", "1/n")


def harbord_test(
    events_t: Sequence[float],
    n_t: Sequence[float],
    events_c: Sequence[float],
    n_c: Sequence[float],
    min_k: int = EGGER_MIN_K,
) -> SmallStudyRegression | None:
    """Harbord's score-based test for 2×2 tables: the intercept of the unweighted regression of
    Zᵢ/√Vᵢ on √Vᵢ (t on k − 2 df), computed as the classical Egger regression on the Peto log odds
    ratios (metafor ``regtest(yi, vi, model="lm")`` on ``escalc("PETO")``). Tables with Vᵢ = 0
    (no events, or events in everyone, in both arms) are left out and not counted in k."""
    y: list[float] = []
    v: list[float] = []
    for a, n1, c, n2 in zip(events_t, n_t, events_c, n_c, strict=True):
        if not (0 <= a <= n1 and 0 <= c <= n2 and n1 > 0 and n2 > 0):
            return None
        z, var = peto_terms(float(a), float(n1), float(c), float(n2))
        if not var > 0.0:
            continue
        y.append(z / var)
        v.append(1.0 / var)
    got = moderator_test(y, v, [math.sqrt(vi) for vi in v], None, True, min_k, "Harbord", "sqrt(V)")
    if got is None:
        return None
    # the classical (lm) fit: fixed-effect weights with the residual variance estimated
    return SmallStudyRegression(
        got.name,
        got.predictor,
        got.coef,
        got.se,
        got.stat,
        got.pval,
        "t",
        got.df,
        0.0,
        True,
        got.intercept,
        got.k,
        "lm",
    )
