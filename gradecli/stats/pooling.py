"""Pooling estimators: inverse variance (fixed and random effects), Mantel–Haenszel, Peto,
the Hartung–Knapp–Sidik–Jonkman adjustment and prediction intervals.

* Fixed effect, inverse variance: θ̂ = Σwy/Σw, se = 1/√Σw, w = 1/v (e.g. Borenstein et al.
  2009, ch. 11).
* Random effects: w* = 1/(v + τ²), θ̂ = Σw*y/Σw*, se = 1/√Σw* (DerSimonian & Laird 1986); τ² from
  :mod:`gradecli.stats.tau2`.
* HKSJ (Hartung & Knapp 2001; Sidik & Jonkman 2002; metafor ``test = "knha"``): se² is
  multiplied by q = Σw*(y − θ̂)²/(k − 1), **not** truncated at 1, and the CI and p value use t
  on k − 1 df.
* Mantel–Haenszel (metafor ``rma.mh``; Mantel & Haenszel 1959), on the uncorrected tables with
  double-zero tables kept:
  OR = Σ(ad/N)/Σ(bc/N), variance of ln OR by Robins, Breslow & Greenland (1986);
  RR = Σ(a·n2/N)/Σ(c·n1/N), variance of ln RR by Greenland & Robins (1985);
  RD = Σ(a·n2 − c·n1)/N / Σ(n1n2/N), variance by Sato, Greenland & Robins (1989):
  [θ·Σ(c(n1/N)² − a(n2/N)² + (n1/N)(n2/N)(n2 − n1)/2) + Σ(a(n2 − c) + c(n1 − a))/(2N)] / (Σn1n2/N)².
  Weights (percent) are metafor's ``weights.rma.mh``: bc/N (OR), c·n1/N (RR), n1n2/N (RD).
* Peto (Yusuf et al. 1985; metafor ``rma.peto``): ln OR = Σ(O − E)/ΣV, se = 1/√ΣV; weights ∝ V.
* Prediction interval, default ``"metafor"`` (``predict.rma``): θ̂ ± c·√(se² + τ²), c = z₀.₉₇₅, or
  t₀.₉₇₅ on k − 1 df with the HKSJ se. Option ``"higgins"`` (Higgins, Thompson & Spiegelhalter
  2009): θ̂ ± t₀.₉₇₅,k−2·√(se² + τ²) with the model's se; needs k ≥ 3.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from gradecli.numeric import Z_975
from gradecli.stats.distributions import t_isf

__all__ = [
    "NotEstimableError",
    "critical_value",
    "mantel_haenszel",
    "peto",
    "prediction_interval",
]


class NotEstimableError(ValueError):
    """The pooled effect cannot be estimated from these data (e.g. every study is double-zero)."""


@lru_cache(maxsize=256)
def _t975(df: int) -> float:
    return t_isf(0.025, df)


def critical_value(df: int | None) -> float:
    """Two-sided 95% critical value: z₀.₉₇₅ when ``df`` is None, else t₀.₉₇₅ on ``df``."""
    return Z_975 if df is None else _t975(df)


def mantel_haenszel(
    a: Sequence[float], n1: Sequence[float], c: Sequence[float], n2: Sequence[float], measure: str
) -> tuple[float, float, list[float]]:
    """(estimate, se, raw weights) of the MH pooled OR/RR (log scale) or RD, uncorrected tables."""
    if measure == "OR":
        r = s = pr = ps_qr = qs = 0.0
        wts: list[float] = []
        for ai, n1i, ci, n2i in zip(a, n1, c, n2, strict=False):
            bi = n1i - ai
            di = n2i - ci
            ni = n1i + n2i
            ri = ai * di / ni
            si = bi * ci / ni
            pi = (ai + di) / ni
            qi = (bi + ci) / ni
            r += ri
            s += si
            pr += pi * ri
            ps_qr += pi * si + qi * ri
            qs += qi * si
            wts.append(si)
        if r <= 0.0 or s <= 0.0:
            raise NotEstimableError(
                "Mantel-Haenszel odds ratio not estimable: "
                + ("no study has a*d > 0" if r <= 0.0 else "no study has b*c > 0")
            )
        var = 0.5 * (pr / (r * r) + ps_qr / (r * s) + qs / (s * s))
        return math.log(r / s), math.sqrt(var), wts
    if measure == "RR":
        r = s = num = 0.0
        wts = []
        for ai, n1i, ci, n2i in zip(a, n1, c, n2, strict=False):
            ni = n1i + n2i
            r += ai * n2i / ni
            si = ci * n1i / ni
            s += si
            num += n1i / ni * (n2i / ni) * (ai + ci) - ai / ni * ci
            wts.append(si)
        if r <= 0.0 or s <= 0.0:
            raise NotEstimableError(
                "Mantel-Haenszel risk ratio not estimable: no events in the "
                + ("treatment" if r <= 0.0 else "control")
                + " arms"
            )
        return math.log(r / s), math.sqrt(num / (r * s)), wts
    if measure == "RD":
        num = den = t1 = t2 = 0.0
        wts = []
        for ai, n1i, ci, n2i in zip(a, n1, c, n2, strict=False):
            ni = n1i + n2i
            p1 = n1i / ni
            p2 = n2i / ni
            num += ai * p2 - ci * p1
            wi = n1i * p2
            den += wi
            t1 += ci * p1 * p1 - ai * p2 * p2 + p1 * p2 * (n2i - n1i) / 2.0
            t2 += (ai * (n2i - ci) + ci * (n1i - ai)) / (2.0 * ni)
            wts.append(wi)
        est = num / den
        var = (est * t1 + t2) / (den * den)
        if not var > 0.0:
            raise NotEstimableError("Mantel-Haenszel risk difference not estimable: its variance is 0")
        return est, math.sqrt(var), wts
    raise ValueError(f"Mantel-Haenszel is defined for OR, RR and RD, not {measure!r}")


def peto(
    a: Sequence[float], n1: Sequence[float], c: Sequence[float], n2: Sequence[float]
) -> tuple[float, float, list[float]]:
    """(ln OR, se, V per table) of the Peto one-step odds ratio."""
    from gradecli.stats.effects import peto_terms

    so = sv = 0.0
    vs: list[float] = []
    for ai, n1i, ci, n2i in zip(a, n1, c, n2, strict=False):
        ome, v = peto_terms(float(ai), float(n1i), float(ci), float(n2i))
        so += ome
        sv += v
        vs.append(v)
    if sv <= 0.0:
        raise NotEstimableError("Peto odds ratio not estimable: no study has events in one arm only or both")
    return so / sv, 1.0 / math.sqrt(sv), vs


def prediction_interval(
    estimate: float, se: float, tau2: float, k: int, kind: str, hksj: bool
) -> tuple[float, float, int | None] | None:
    """(lower, upper, t df or None) of the 95% prediction interval, or None when ``kind`` is
    "higgins" and k < 3. With k = 1 the metafor interval equals the CI (τ² = 0, normal)."""
    if kind == "higgins":
        if k < 3:
            return None
        df: int | None = k - 2
    elif kind == "metafor":
        df = k - 1 if (hksj and k > 1) else None
    else:
        raise ValueError(f"prediction interval kind must be 'metafor' or 'higgins', not {kind!r}")
    half = critical_value(df) * math.sqrt(se * se + tau2)
    return estimate - half, estimate + half, df
