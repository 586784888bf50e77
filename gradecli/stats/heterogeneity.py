"""Heterogeneity statistics: Cochran's Q, I², H² (metafor conventions).

* Q = Σ (yᵢ − θ̂)²/vᵢ around the IV fixed-effect estimate, or around the MH / Peto estimate for
  those methods (Cochran 1954). Q_p is the upper χ² tail on Q_df = (number of study estimates) − 1.
* Fixed-effect models: I² = max(0, (Q − df)/Q)·100, H² = Q/df (Higgins & Thompson 2002).
* Random-effects models, whatever the τ² estimator (metafor ``rma.uni``; Higgins & Thompson
  2002, eq. 9): I² = 100·τ²/(τ² + s²), H² = (τ² + s²)/s², with the "typical" within-study
  variance s² = (k − 1)·Σw / ((Σw)² − Σw²), w = 1/vᵢ. The denominator is taken as 2·Σ_{i<j} wᵢwⱼ
  (no cancellation when one study dominates).
* k = 1 (Q_df = 0): Q = 0, Q_p = 1, I² = 0, H² = 1, as metafor.
"""

from __future__ import annotations

from collections.abc import Sequence

from gradecli.stats.distributions import chi2_sf
from gradecli.stats.regression import sum_pairs

__all__ = ["cochran_q", "fixed_i2_h2", "q_pvalue", "random_i2_h2", "typical_variance"]


def cochran_q(y: Sequence[float], v: Sequence[float], theta: float) -> float:
    """Σ (yᵢ − θ)² / vᵢ."""
    return sum((yi - theta) ** 2 / vi for yi, vi in zip(y, v, strict=False))


def q_pvalue(q: float, df: int) -> float:
    """Upper χ² tail of Q on df degrees of freedom (1 when df = 0)."""
    if df <= 0:
        return 1.0
    return chi2_sf(q, df)


def fixed_i2_h2(q: float, df: int) -> tuple[float, float]:
    """(I² in percent, H²) from Q for fixed-effect models."""
    if df <= 0:
        return 0.0, 1.0
    i2 = 0.0 if q <= df else 100.0 * (q - df) / q
    return i2, q / df


def typical_variance(v: Sequence[float]) -> float | None:
    """s² = (k − 1)Σw / ((Σw)² − Σw²), w = 1/v; None when k < 2."""
    k = len(v)
    if k < 2:
        return None
    w = [1.0 / vi for vi in v]
    return (k - 1) * sum(w) / (2.0 * sum_pairs(w))


def random_i2_h2(tau2: float, s2: float | None) -> tuple[float, float]:
    """(I² in percent, H²) from τ² and the typical within-study variance s²."""
    if s2 is None:
        return 0.0, 1.0
    # (100·τ²)/(τ² + s²) as metafor; its rounding can exceed 100 by an ulp when s² ≪ τ²
    return min(100.0, 100.0 * tau2 / (tau2 + s2)), (tau2 + s2) / s2
