"""Weighted least-squares fits used by the τ² estimators, pooling and Egger's test.

Two designs only: intercept-only (the meta-analysis, p = 1) and intercept + one moderator
(Egger's regression on the standard error, p = 2). Everything is computed from a handful of
weighted sums over studies, so the cost is linear in k and no k×k matrix is formed. With weights
w_i = 1/(v_i + τ²), W = diag(w), design X and P = W − W X (XᵀWX)⁻¹ XᵀW (metafor's notation,
Viechtbauer 2005):

* ``rss``  = YᵀPY  = Σ w_i e_i²          (generalised Q; e the WLS residuals)
* ``rss2`` = YᵀPPY = Σ w_i² e_i²
* ``trp``  = tr(P),  ``trpp`` = tr(PP)

y (and x) are centred once on their fixed-effect weighted means before the sums are taken, which
keeps the expansions of Σw e² and Σw² e² free of cancellation; the slope design is expressed in
the basis (1, x − x̄_w), where XᵀWX is diagonal and nothing needs inverting.

For k ≥ ``NUMPY_MIN_K`` the sums are taken with NumPy (elementwise products and ``sum``, not
``np.dot``: BLAS dot products are slow on machines where OPENBLAS_CORETYPE is forced), imported
lazily only then (pure Python
is used when NumPy is missing or for smaller k). Both paths give the same numbers to ~1e-12
relative (NumPy sums pairwise, Python sequentially; tested).

Range (issue 9): each fit is computed on the problem rescaled by a power of two, 4ʲ ≈ min vᵢ + τ²
(weights 4ʲwᵢ ≤ 1, residuals eᵢ/2ʲ): multiplying by a power of two is exact, so the numbers are
those of the unscaled sums, but no weight, square or cube of one overflows or turns subnormal
however large τ² is relative to the smallest variance (at τ² = 1e150·min vᵢ the unscaled Σwᵢ²
was subnormal and REML stepped on noise). ``rss2``, ``trp``, ``trpp`` and ``rss3`` are returned in
those scaled units (``Fit.scale``), which the τ² estimators need only in ratios; the other fields
are in the data's units. A fit whose sums still leave the range (Σwe² itself overflowing: estimates
more than ~1e150 standard errors apart) raises :class:`FloatingPointError`, never NaN or ±inf;
YᵀPPPY, used only to accelerate REML, is -1 ("not computed") when it overflows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

__all__ = ["NUMPY_MIN_K", "Fit", "InterceptModel", "SlopeModel", "sum_pairs"]

NUMPY_MIN_K = 3000


class Fit(NamedTuple):
    """One weighted fit at a given τ². ``coef``/``var``: the coefficient of interest (the mean for
    intercept-only fits, the slope for slope fits) and its model-based variance; ``sw`` = Σw; ``rss``
    the (dimensionless) generalised Q. ``scale`` = j: ``rss2`` and ``trp`` are stored multiplied by
    4ʲ, ``trpp`` and ``rss3`` by 16ʲ (use :meth:`unscaled` for the plain values, which may
    underflow); ratios such as the REML step (rss2 − trp)/trpp · 4ʲ need no unscaling."""

    tau2: float
    sw: float
    coef: float
    var: float
    rss: float
    rss2: float
    trp: float
    trpp: float
    rss3: float = -1.0  # YᵀPPPY (intercept-only fits; -1 when not computed)
    scale: int = 0
    intercept: float = 0.0  # slope fits: the intercept in the data's units (0 for intercept-only fits)

    def unscaled(self) -> tuple[float, float, float, float]:
        """(rss2, trp, trpp, rss3) in the data's units."""
        j = self.scale
        return (
            math.ldexp(self.rss2, -2 * j),
            math.ldexp(self.trp, -2 * j),
            math.ldexp(self.trpp, -4 * j),
            self.rss3 if self.rss3 < 0.0 else math.ldexp(self.rss3, -4 * j),
        )


def _exponent(x: float) -> int:
    """j with 4**j <= x < 4**(j + 1) (x > 0 finite)."""
    return (math.frexp(x)[1] - 1) // 2


def sum_pairs(w: Sequence[float]) -> float:
    """Σ_{i<j} w_i w_j for non-negative w, without the cancellation of ((Σw)² − Σw²)/2."""
    run = 0.0
    tot = 0.0
    for x in w:
        tot += x * run
        run += x
    return tot


def _out_of_range(*values: float) -> bool:
    # a sum of finite numbers is finite unless it overflows, and an infinite or NaN term makes it
    # infinite or NaN: so a finite sum answers at once, and only otherwise is each value looked at
    return not math.isfinite(sum(values)) and not all(map(math.isfinite, values))


def _numpy(k: int, use_numpy: bool | None) -> Any:
    if use_numpy is False or (use_numpy is None and k < NUMPY_MIN_K):
        return None
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy is optional
        return None
    return numpy


class InterceptModel:
    """y ~ 1 with sampling variances v; ``fit(τ²)`` gives the weighted mean and the REML/PM terms.

    tr(P) = Σw − Σw²/Σw, tr(PP) = Σw² − 2Σw³/Σw + (Σw²/Σw)²; tr(P) falls back to pairwise products
    (``sum_pairs``) when one weight dominates and the subtraction would cancel."""

    p = 1

    def __init__(self, y: Sequence[float], v: Sequence[float], use_numpy: bool | None = None) -> None:
        self.k = k = len(y)
        self.y = y
        self.v = v
        self.np = np = _numpy(k, use_numpy)
        if np is not None:
            self._v = np.asarray(v, dtype=float)
            w = 1.0 / self._v
            self.center = float((w * np.asarray(y, dtype=float)).sum() / w.sum())
            self._yc = np.asarray(y, dtype=float) - self.center
            self.sum_inv_v = float(w.sum())
            self.vmin = float(self._v.min())
        else:
            sw = 0.0
            swy = 0.0
            for vi, yi in zip(v, y, strict=False):
                w1 = 1.0 / vi
                sw += w1
                swy += w1 * yi
            self.center = c = swy / sw
            self._yc = [yi - c for yi in y]
            self._v = v
            self.sum_inv_v = sw
            self.vmin = min(v)

    def weights(self, tau2: float) -> list[float]:
        return [1.0 / (vi + tau2) for vi in self.v]

    def fit(self, t: float) -> Fit:
        np = self.np
        j = _exponent(self.vmin + t)
        f = math.ldexp(1.0, -2 * j)  # v and t times 4^-j, residuals times 2^-j: exact
        h = math.ldexp(1.0, -j)
        tf = t * f
        if np is not None:
            w = 1.0 / (self._v * f + tf)
            yc = self._yc * h
            wy = w * yc
            w2 = w * w
            w2y = w2 * yc
            s1 = float(w.sum())
            sy = float(wy.sum())
            syy = float((wy * yc).sum())
            s2 = float(w2.sum())
            s2y = float(w2y.sum())
            s2yy = float((w2y * yc).sum())
            w3 = w2 * w
            w3y = w3 * yc
            s3 = float(w3.sum())
            s3y = float(w3y.sum())
            s3yy = float((w3y * yc).sum())
        else:
            s1 = sy = syy = s2 = s2y = s2yy = s3 = s3y = s3yy = 0.0
            for vi, yc in zip(self._v, self._yc, strict=False):
                w = 1.0 / (vi * f + tf)
                yi = yc * h
                wy = w * yi
                w2 = w * w
                w2y = w2 * yi
                s1 += w
                sy += wy
                syy += wy * yi
                s2 += w2
                s2y += w2y
                s2yy += w2y * yi
                w3 = w2 * w
                w3y = w3 * yi
                s3 += w3
                s3y += w3y
                s3yy += w3y * yi
        if not s2 > 0.0 or _out_of_range(s1, sy, syy, s2, s2y, s2yy):
            raise FloatingPointError(f"weighted sums beyond the floating-point range at tau2 = {t:.3g}")
        m = sy / s1
        rss = syy - sy * m
        rss2 = s2yy - 2.0 * m * s2y + m * m * s2
        if rss < 0.0:
            rss = 0.0
        if rss2 < 0.0:
            rss2 = 0.0
        r = s2 / s1
        trp = s1 - r
        if trp < 1e-3 * s1:
            if np is not None:
                w = 1.0 / (self._v * f + tf)
                trp = 2.0 * float((w[1:] * np.cumsum(w)[:-1]).sum()) / s1
            else:
                trp = 2.0 * sum_pairs([1.0 / (vi * f + tf) for vi in self._v]) / s1
        trpp = s2 - 2.0 * s3 / s1 + r * r
        if not trpp > 0.0:
            trpp = s2
        # YᵀPPPY = (We)ᵀP(We) = Σw³e² − (Σw²e)²/Σw
        s2e = s2y - m * s2
        rss3 = (s3yy - 2.0 * m * s3y + m * m * s3) - s2e * s2e / s1
        if _out_of_range(rss, rss2, trp, trpp) or not trpp > 0.0:
            raise FloatingPointError(f"weighted sums beyond the floating-point range at tau2 = {t:.3g}")
        if _out_of_range(rss3):
            rss3 = -1.0  # not computed: REML falls back to Fisher scoring
        # back to the data's units: Σw = s1·4^-j, mean = centre + m·2^j, var = 4^j/s1
        return Fit(
            t,
            math.ldexp(s1, -2 * j),
            self.center + math.ldexp(m, j),
            math.ldexp(1.0 / s1, 2 * j),
            rss,
            rss2,
            trp,
            trpp,
            rss3,
            j,
        )

    def hedges(self) -> float:
        """Hedges (1983) estimator: (Σ(y − ȳ)² − (1 − 1/k)Σv) / (k − 1), truncated at 0."""
        k = self.k
        np = self.np
        if np is not None:
            ya = np.asarray(self.y, dtype=float)
            yc = ya - ya.mean()
            return max(0.0, (float((yc * yc).sum()) - (1.0 - 1.0 / k) * float(self._v.sum())) / (k - 1))
        y = self.y
        ybar = sum(y) / k
        rss = sum((yi - ybar) ** 2 for yi in y)
        return max(0.0, (rss - (1.0 - 1.0 / k) * sum(self.v)) / (k - 1))


class SlopeModel:
    """y ~ 1 + x (Egger's regression with x = sei); ``fit(τ²)`` gives the slope, its variance
    1/Σw(x − x̄_w)² and the REML/PM terms. Raises ``ZeroDivisionError`` if x is constant."""

    p = 2

    def __init__(
        self, y: Sequence[float], v: Sequence[float], x: Sequence[float], use_numpy: bool | None = None
    ) -> None:
        self.k = k = len(y)
        self.y = y
        self.v = v
        self.x = x
        self.np = np = _numpy(k, use_numpy)
        if np is not None:
            va = np.asarray(v, dtype=float)
            xa = np.asarray(x, dtype=float)
            ya = np.asarray(y, dtype=float)
            w0 = 1.0 / va
            sw = float(w0.sum())
            cx = float((w0 * xa).sum()) / sw
            cy = float((w0 * ya).sum()) / sw
            self._v = va
            self._xc = xa - cx
            self._yc = ya - cy
            self.vmin = float(va.min())
        else:
            w0l = [1.0 / vi for vi in v]
            sw = sum(w0l)
            cx = sum(a * b for a, b in zip(w0l, x, strict=True)) / sw
            cy = sum(a * b for a, b in zip(w0l, y, strict=True)) / sw
            self._v = v
            self._xc = [xi - cx for xi in x]
            self._yc = [yi - cy for yi in y]
            self.vmin = min(v)
        self.cx = cx
        self.cy = cy
        self.sum_inv_v = sw

    def fit(self, t: float) -> Fit:
        np = self.np
        j = _exponent(self.vmin + t)  # as InterceptModel.fit: exact rescaling by powers of two
        f = math.ldexp(1.0, -2 * j)
        h = math.ldexp(1.0, -j)
        tf = t * f
        if np is not None:
            w = 1.0 / (self._v * f + tf)
            xc = self._xc * h
            yc = self._yc * h
            wx = w * xc
            wy = w * yc
            w2 = w * w
            w2x = w2 * xc
            w2y = w2 * yc
            w3 = w2 * w
            s1 = float(w.sum())
            sx = float(wx.sum())
            sy = float(wy.sum())
            sxx = float((wx * xc).sum())
            sxy = float((wx * yc).sum())
            syy = float((wy * yc).sum())
            s2 = float(w2.sum())
            s2x = float(w2x.sum())
            s2y = float(w2y.sum())
            s2xx = float((w2x * xc).sum())
            s2xy = float((w2x * yc).sum())
            s2yy = float((w2y * yc).sum())
            s3 = float(w3.sum())
            w3x = w3 * xc
            s3x = float(w3x.sum())
            s3xx = float((w3x * xc).sum())
        else:
            s1 = sx = sy = sxx = sxy = syy = s2 = s2x = s2y = s2xx = s2xy = s2yy = s3 = s3x = s3xx = 0.0
            for vi, xu, yu in zip(self._v, self._xc, self._yc, strict=False):
                w = 1.0 / (vi * f + tf)
                xi = xu * h
                yi = yu * h
                wx = w * xi
                wy = w * yi
                w2 = w * w
                w2x = w2 * xi
                w2y = w2 * yi
                w3 = w2 * w
                w3x = w3 * xi
                s1 += w
                sx += wx
                sy += wy
                sxx += wx * xi
                sxy += wx * yi
                syy += wy * yi
                s2 += w2
                s2x += w2x
                s2y += w2y
                s2xx += w2x * xi
                s2xy += w2x * yi
                s2yy += w2y * yi
                s3 += w3
                s3x += w3x
                s3xx += w3x * xi
        if not s2 > 0.0 or _out_of_range(s1, sx, sy, sxx, sxy, syy, s2, s2x, s2y, s2xx, s2xy, s2yy):
            raise FloatingPointError(f"weighted sums beyond the floating-point range at tau2 = {t:.3g}")
        xb = sx / s1
        yb = sy / s1
        cxx = sxx - sx * xb  # Σw(x - x̄)²
        if not cxx > 1e-14 * sxx:
            raise ZeroDivisionError("the moderator is (numerically) constant")
        cxy = sxy - sx * yb
        b = cxy / cxx
        a = yb - b * xb
        rss = (syy - sy * yb) - b * cxy
        rss2 = s2yy + a * a * s2 + b * b * s2xx - 2.0 * a * s2y - 2.0 * b * s2xy + 2.0 * a * b * s2x
        if rss < 0.0:
            rss = 0.0
        if rss2 < 0.0:
            rss2 = 0.0
        # traces in the centred basis (1, x - x̄): A = diag(s1, cxx)
        c2x = s2x - xb * s2
        c2xx = s2xx - 2.0 * xb * s2x + xb * xb * s2
        c3xx = s3xx - 2.0 * xb * s3x + xb * xb * s3
        tr_ab = s2 / s1 + c2xx / cxx
        tr_ac = s3 / s1 + c3xx / cxx
        tr_abab = (s2 / s1) ** 2 + 2.0 * c2x * c2x / (s1 * cxx) + (c2xx / cxx) ** 2
        trp = s1 - tr_ab
        trpp = s2 - 2.0 * tr_ac + tr_abab
        if not trpp > 0.0:
            trpp = s2
        if _out_of_range(b, rss, rss2, trp, trpp) or not trpp > 0.0:
            raise FloatingPointError(f"weighted sums beyond the floating-point range at tau2 = {t:.3g}")
        # b and its variance 1/Σw(x − x̄)² are unchanged by the rescaling; Σw = s1·4^-j
        # the fit is of (y − c_y)·h on (x − c_x)·h with h = 2^-j: back in the data's units
        intercept = self.cy + math.ldexp(a, j) - b * self.cx
        return Fit(t, math.ldexp(s1, -2 * j), b, 1.0 / cxx, rss, rss2, trp, trpp, -1.0, j, intercept)

    def hedges(self) -> float:
        """Hedges estimator for the slope model: (RSS_OLS − Σv(1 − h)) / (k − 2), truncated at 0."""
        k = self.k
        np = self.np
        if np is not None:
            x = np.asarray(self.x, dtype=float)
            y = np.asarray(self.y, dtype=float)
            xc = x - x.mean()
            yc = y - y.mean()
            sxx = float((xc * xc).sum())
            slope = float((xc * yc).sum()) / sxx
            r = yc - slope * xc
            rss = float((r * r).sum())
            trpv = float((self._v * (1.0 - 1.0 / k - xc * xc / sxx)).sum())
            return max(0.0, (rss - trpv) / (k - 2))
        x = self.x
        y = self.y
        xbar = sum(x) / k
        ybar = sum(y) / k
        xcl = [xi - xbar for xi in x]
        sxx = sum(c * c for c in xcl)
        slope = sum(c * (yi - ybar) for c, yi in zip(xcl, y, strict=True)) / sxx
        rss = sum((yi - ybar - slope * c) ** 2 for yi, c in zip(y, xcl, strict=True))
        trpv = sum(vi * (1.0 - 1.0 / k - c * c / sxx) for vi, c in zip(self.v, xcl, strict=True))
        return max(0.0, (rss - trpv) / (k - 2))
