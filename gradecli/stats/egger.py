"""Egger's regression test for funnel-plot asymmetry, metafor ``regtest(model = "rma",
predictor = "sei")`` semantics (Egger et al. 1997; Sterne & Egger 2005; Viechtbauer 2010).

The fitted model is refitted as a meta-regression with the standard error √vᵢ as moderator:
the same τ² estimator (re-estimated with the moderator in, τ² = 0 for fixed-effect models) and
the same test (z, or t on k − 2 df with the Knapp–Hartung/HKSJ variance factor
RSS/(k − 2)). The p value is that of the sei coefficient. For MH and Peto analyses the
inverse-variance fixed-effect version on the study-level yᵢ/vᵢ is used (as metafor does for
``rma.mh``/``rma.peto`` objects). This is not the classical OLS regression of yᵢ/seᵢ on 1/seᵢ
(``model = "lm"``).

Only run with at least ``EGGER_MIN_K`` = 10 study estimates (Cochrane Handbook §13.3.5.4);
otherwise there is no result (None).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from gradecli.stats.distributions import norm_two_sided_p, t_two_sided_p
from gradecli.stats.regression import SlopeModel
from gradecli.stats.tau2 import estimate_tau2

__all__ = ["EGGER_MIN_K", "EggerResult", "egger_test"]

EGGER_MIN_K = 10


@dataclass(frozen=True, slots=True)
class EggerResult:
    slope: float
    se: float
    stat: float
    pval: float
    test: str
    df: int | None
    tau2: float
    converged: bool


def egger_test(
    y: Sequence[float], v: Sequence[float], tau2_method: str | None, hksj: bool = False
) -> EggerResult | None:
    """Egger's test; ``tau2_method`` None for fixed effect, else "DL"/"REML"/"PM".

    Returns None with fewer than 10 studies or when all standard errors are equal (the slope is
    then not estimable)."""
    k = len(y)
    if k < EGGER_MIN_K:
        return None
    sei = [math.sqrt(vi) for vi in v]
    try:
        model = SlopeModel(y, v, sei)
        if tau2_method is None:
            fit = model.fit(0.0)
            tau2, converged = 0.0, True
        else:
            est = estimate_tau2(model, tau2_method)
            fit, tau2, converged = est.fit, est.tau2, est.converged
    except ZeroDivisionError:
        return None
    var = fit.var
    if hksj:
        var *= fit.rss / (k - 2)
    if not var > 0.0:
        return None
    se = math.sqrt(var)
    stat = fit.coef / se
    if hksj:
        return EggerResult(fit.coef, se, stat, t_two_sided_p(stat, k - 2), "t", k - 2, tau2, converged)
    return EggerResult(fit.coef, se, stat, norm_two_sided_p(stat), "z", None, tau2, converged)
