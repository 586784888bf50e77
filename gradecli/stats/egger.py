"""Egger's regression test for funnel-plot asymmetry, metafor ``regtest(model = "rma",
predictor = "sei")`` semantics (Egger et al. 1997; Sterne & Egger 2005; Viechtbauer 2010).

The fitted model is refitted as a meta-regression with the standard error √vᵢ as moderator:
the same τ² estimator (re-estimated with the moderator in, τ² = 0 for fixed-effect models) and
the same test (z, or t on k − 2 df with the Knapp–Hartung/HKSJ variance factor
RSS/(k − 2)). The p value is that of the sei coefficient. For MH and Peto analyses the
inverse-variance fixed-effect version on the study-level yᵢ/vᵢ is used (as metafor does for
``rma.mh``/``rma.peto`` objects). This is not the classical OLS regression of yᵢ/seᵢ on 1/seᵢ
(``model = "lm"``).

By default only run with at least ``EGGER_MIN_K`` = 10 study estimates (Cochrane Handbook
§13.3.5.4, "tests for funnel plot asymmetry should be used only when there are at least 10 studies");
a caller may ask for fewer (``min_k``), down to ``EGGER_FLOOR_K`` = 3, the fewest with which the
regression has a residual degree of freedom (k − 2 ≥ 1). Below the minimum there is no result (None).

The result keeps the whole fit: the sei coefficient (``slope``: positive when the smaller studies —
larger standard errors — have larger estimates on the analysis scale), its SE, statistic and p,
and the ``intercept`` (the estimate extrapolated to a study of infinite size, metafor's "limit
estimate"), so a reader of the direction and of the p value reads the same model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from gradecli.stats.distributions import norm_two_sided_p, t_two_sided_p
from gradecli.stats.regression import SlopeModel
from gradecli.stats.tau2 import estimate_tau2

__all__ = ["EGGER_FLOOR_K", "EGGER_MIN_K", "EggerResult", "egger_test"]

EGGER_MIN_K = 10
EGGER_FLOOR_K = 3


@dataclass(frozen=True, slots=True)
class EggerResult:
    """Egger's regression y = intercept + slope·sei (weights 1/(vᵢ + τ²)); ``slope`` is the tested
    coefficient. ``method`` names the fit: "rma" (random effects, τ² re-estimated by ``tau2_method``)
    or "fixed" (inverse-variance weights)."""

    slope: float
    se: float
    stat: float
    pval: float
    test: str
    df: int | None
    tau2: float
    converged: bool
    intercept: float = 0.0
    k: int = 0
    method: str = "fixed"


def egger_test(
    y: Sequence[float], v: Sequence[float], tau2_method: str | None, hksj: bool = False, min_k: int = EGGER_MIN_K
) -> EggerResult | None:
    """Egger's test; ``tau2_method`` None for fixed effect, else "DL"/"REML"/"PM".

    Returns None with fewer than ``min_k`` studies (at least ``EGGER_FLOOR_K``) or when all
    standard errors are equal (the slope is then not estimable)."""
    return slope_regression(y, v, [math.sqrt(vi) for vi in v], tau2_method, hksj, min_k)


def slope_regression(
    y: Sequence[float],
    v: Sequence[float],
    x: Sequence[float],
    tau2_method: str | None,
    hksj: bool = False,
    min_k: int = EGGER_MIN_K,
) -> EggerResult | None:
    """metafor ``regtest(model="rma")`` with moderator ``x`` (Egger: x = sei; Peters: x = 1/N):
    y = intercept + slope·x, weights 1/(v + τ²), τ² re-estimated by ``tau2_method`` (None: fixed
    effect, τ² = 0); the slope's test is z, or t on k − 2 df with the variance times RSS/(k − 2)
    when ``hksj``. None when it cannot be estimated or gives a number that is not finite."""
    k = len(y)
    if k < max(min_k, EGGER_FLOOR_K) or len(v) != k or len(x) != k:
        return None
    try:
        model = SlopeModel(y, v, x)
        if tau2_method is None:
            fit = model.fit(0.0)
            tau2, converged = 0.0, True
        else:
            est = estimate_tau2(model, tau2_method)
            fit, tau2, converged = est.fit, est.tau2, est.converged
    except (ZeroDivisionError, ArithmeticError):
        return None
    var = fit.var
    if hksj:
        var *= fit.rss / (k - 2)
    if not (var > 0.0 and math.isfinite(var)):
        return None
    se = math.sqrt(var)
    stat = fit.coef / se
    method = "fixed" if tau2_method is None else f"rma ({tau2_method})"
    if hksj:
        p, test, df = t_two_sided_p(stat, k - 2), "t", k - 2
    else:
        p, test, df = norm_two_sided_p(stat), "z", None
    if not all(math.isfinite(z) for z in (fit.coef, stat, p, fit.intercept, tau2)):
        return None
    return EggerResult(fit.coef, se, stat, p, test, df, tau2, converged, fit.intercept, k, method)
