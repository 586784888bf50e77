"""Between-study variance τ² estimators: DerSimonian–Laird, REML and Paule–Mandel.

They work for the intercept-only model (the meta-analysis, p = 1) and for a meta-regression on
one moderator (Egger's test, p = 2), through the fits of :mod:`gradecli.stats.regression`.
Formulas follow metafor's ``rma.uni`` (Viechtbauer 2005; Viechtbauer 2010, J Stat Softw 36(3)):

* DL (DerSimonian & Laird 1986; with moderators Raudenbush 2009):
  τ² = max(0, (Q_E − (k − p)) / tr(P₀)), Q_E and P₀ with weights 1/vᵢ.
  Intercept-only: tr(P₀) = Σw − Σw²/Σw.
* REML (Viechtbauer 2005): the maximiser of the restricted log-likelihood on τ² ≥ 0, by Fisher
  scoring τ² ← τ² + (YᵀPPY − tr P) / tr(PP) (replaced by the Newton step with the observed
  information when that is positive, points the same way and is at most 4 times longer: same
  fixed point, fewer steps), started from the Hedges (HE) estimator. When a step would go below 0
  and the score at τ² = 0 is ≤ 0, the estimate is 0 (the boundary maximum metafor reaches by step
  halving). Safeguards (issue 9; they change nothing on ordinary data but the number of steps):
  the maximum is kept bracketed between the last τ² with a positive score and the last with a
  negative one, and a step that leaves the bracket is replaced by its midpoint (geometric when the
  bracket spans more than a factor of 4); upward steps that do not shrink (a likelihood flat on the
  scale of the current τ², e.g. variances 1e180 apart) multiply τ² by 1024 instead. Converged
  when |Δτ²| ≤ 1e-12·(τ² + k/Σ(1/vᵢ)), i.e. relative to τ² plus a typical sampling variance, so
  the criterion does not depend on the scale of the data. At most ``REML_MAXITER`` = 1000 steps; if
  that is reached the last value is returned with ``converged = False`` (never a loop or a crash).
  metafor's own default criterion (threshold 1e-5) is much looser; the reference values were
  computed with threshold 1e-12.
* PM (Paule & Mandel 1982; DerSimonian & Kacker 2007): the root of
  Σ wᵢ(τ²)(yᵢ − x̂ᵢ(τ²))² = k − p, or 0 when Q_E ≤ k − p. Solved by Newton's method on the
  reciprocal 1/Q(τ²) − 1/(k − p) (the derivative of Q is −Σwᵢ²eᵢ²; Q behaves like C/(τ² + v), whose
  reciprocal is linear, so far from the root this takes one step where Newton on Q doubles τ² per
  step) inside a bracket with bisection as a safeguard, to |Δτ²| ≤ 1e-13·(τ² + k/Σ(1/vᵢ)).
  metafor's default (``uniroot`` with absolute tolerance 1.2e-4) can be 2% off for small τ²; the
  reference values used a 1e-14 tolerance.
* HE (Hedges 1983), used only as the REML start: τ² = (RSS_OLS − Σvᵢ(1 − hᵢᵢ)) / (k − p).

With k = 1 (or k ≤ p) every estimator returns τ² = 0, as metafor does.

Bounded in time: REML and PM stop after ``REML_MAXITER`` / ``PM_MAXITER`` = 1000 steps, each one
weighted fit (O(k)), and report ``converged = False`` (the pooled result then carries a warning);
DL is closed-form. Over 8,000 random extreme data sets (variances anywhere in 1e-100…1e100,
estimates up to 1e100 apart, k = 2…100) every REML and PM run converged, in at most ~100 steps;
ordinary data take 3–20. A fit or a step that leaves the floating-point range raises
:class:`FloatingPointError` (never a NaN or ±inf τ²); :func:`gradecli.stats.analysis.pool_effects`
turns that into :class:`~gradecli.stats.pooling.NotEstimableError`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from gradecli.stats.regression import Fit, InterceptModel, SlopeModel

__all__ = ["REML_MAXITER", "Tau2", "estimate_tau2"]

REML_MAXITER = 1000
PM_MAXITER = 1000
REML_RTOL = 1e-12
PM_RTOL = 1e-13


@dataclass(frozen=True, slots=True)
class Tau2:
    """An estimate of τ² with the weighted fit at that value."""

    tau2: float
    fit: Fit
    method: str
    iterations: int
    converged: bool


def estimate_tau2(model: InterceptModel | SlopeModel, method: str) -> Tau2:
    """Estimate τ² by ``method`` in {"DL", "REML", "PM"} for ``model`` (see
    :mod:`gradecli.stats.regression`)."""
    fit = model.fit
    p = model.p
    k = model.k
    fit0 = fit(0.0)
    if k <= p:
        return Tau2(0.0, fit0, method, 0, True)
    scale = k / model.sum_inv_v
    if method == "DL":
        if not fit0.trp > 0.0:
            raise FloatingPointError("tr(P) underflows: DerSimonian-Laird tau2 is not computable")
        t = math.ldexp((fit0.rss - (k - p)) / fit0.trp, 2 * fit0.scale)  # trp is stored times 4^scale
        if t <= 0.0:
            return Tau2(0.0, fit0, method, 0, True)
        if not math.isfinite(t):
            raise FloatingPointError("the DerSimonian-Laird tau2 is beyond the floating-point range")
        return Tau2(t, fit(t), method, 0, True)
    if method == "REML":
        start = model.hedges()
        if not math.isfinite(start):
            raise FloatingPointError("the Hedges start value of REML is beyond the floating-point range")
        return _reml(fit, fit0, start, scale)
    if method == "PM":
        return _pm(fit, fit0, k - p, scale)
    raise ValueError(f"unknown tau2 method {method!r} (DL, REML or PM)")


def _reml(fit: Callable[[float], Fit], fit0: Fit, start: float, scale: float) -> Tau2:
    t = start
    f = fit(t) if t else fit0
    lo, hi = 0.0, math.inf  # the maximum lies in [lo, hi]: score > 0 at lo (or lo = 0), < 0 at hi
    last = 0.0
    for it in range(1, REML_MAXITER + 1):
        # rss2, trp (and score) are stored times 4^j, trpp and rss3 times 16^j (Fit.scale = j): the
        # steps are computed in those units and multiplied by 4^j, exactly
        score = f.rss2 - f.trp  # twice the REML score
        if score > 0.0:
            lo = t
        elif score < 0.0:
            hi = t
        else:
            return Tau2(t, f, "REML", it, True)
        adj = score / f.trpp  # Fisher scoring step
        if f.rss3 >= 0.0:
            # Newton step with the observed information YᵀPPPY − tr(PP)/2 when it is positive and
            # agrees in direction with Fisher scoring (same fixed point, quadratic convergence)
            info = f.rss3 - 0.5 * f.trpp
            if info > 0.0:
                newton = 0.5 * score / info
                if newton * adj > 0.0 and abs(newton) <= 4.0 * abs(adj):
                    adj = newton
        adj = math.ldexp(adj, 2 * f.scale)
        if t + adj < 0.0 and fit0.rss2 - fit0.trp <= 0.0:
            # the step leaves the parameter space and the score at 0 points down: the maximum on
            # τ² ≥ 0 is the boundary (metafor gets there by step halving, more slowly)
            return Tau2(0.0, fit0, "REML", it, True)
        new = t + adj
        if adj > 0.0 and last > 0.0 and (adj >= 0.9 * last or (adj >= 0.5 * last and adj >= 0.25 * t)):
            # upward steps that do not shrink (or as large as τ² itself and shrinking slowly): the
            # likelihood is flat on this scale (e.g. variances 1e180 apart, steps of 1e-8 towards a
            # maximum at 1e74); go up by a factor of 1024 instead, and let the bracket catch an overshoot
            new = 1024.0 * new
        last = adj
        if not lo < new < hi:
            # outside the bracket (Fisher scoring overshot, or below 0): bisect it, geometrically
            # when it spans more than a factor of 4
            if math.isinf(hi):
                new = max(1024.0 * lo, lo + scale)
            elif lo > 0.0 and hi > 4.0 * lo:
                new = math.sqrt(lo) * math.sqrt(hi)
            else:
                new = 0.5 * lo + 0.5 * hi
        if not math.isfinite(new):
            raise FloatingPointError("a REML step is beyond the floating-point range")
        change = abs(new - t)
        t = new
        f = fit(t)
        if change <= REML_RTOL * (t + scale) or hi - lo <= REML_RTOL * (t + scale):
            return Tau2(t, f, "REML", it, True)
    return Tau2(t, f, "REML", REML_MAXITER, False)


def _pm(fit: Callable[[float], Fit], fit0: Fit, target: float, scale: float) -> Tau2:
    if fit0.rss <= target:
        return Tau2(0.0, fit0, "PM", 0, True)
    lo, hi = 0.0, float("inf")
    t = 0.0
    f = fit0
    for it in range(1, PM_MAXITER + 1):
        g = f.rss - target
        if g > 0.0:
            lo = t
        elif g < 0.0:
            hi = t
        else:
            return Tau2(t, f, "PM", it, True)
        # Newton's method on 1/Q(τ²) − 1/(k − p) (Q(τ²) behaves like C/(τ² + v), whose reciprocal is
        # linear: one step from far below the root instead of one doubling per step as Newton on
        # Q itself takes); the step is the Newton step on Q times Q/(k − p). rss2 is times 4^scale.
        new = t + math.ldexp(g / f.rss2 * (f.rss / target), 2 * f.scale) if f.rss2 > 0.0 else float("nan")
        if not (lo < new < hi):
            new = 0.5 * (lo + hi) if hi != float("inf") else max(2.0 * lo, lo + scale)
        if not math.isfinite(new):
            raise FloatingPointError("a Paule-Mandel step is beyond the floating-point range")
        change = abs(new - t)
        t = new
        f = fit(t)
        if change <= PM_RTOL * (t + scale) or (hi - lo) <= PM_RTOL * (t + scale):
            return Tau2(t, f, "PM", it, True)
    return Tau2(t, f, "PM", PM_MAXITER, False)
