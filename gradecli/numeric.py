"""Numerical constants and helpers shared by the statistics, the grading and the renderers: the
one home of the 97.5% normal quantile, of the log-ratio range within which a ratio is a finite
float, and of the measures that are pooled on the log scale. Imports nothing of gradecli's."""

from __future__ import annotations

import math

__all__ = ["LOG_RATIO_MAX", "RATIO_CODES", "Z_975", "safe_exp"]

Z_975 = 1.959963984540054
"""Φ⁻¹(0.975), the multiplier of a 95% confidence interval (SciPy ``norm.ppf(0.975)``)."""

LOG_RATIO_MAX = 709.0
"""exp(x) is a finite positive float for |x| ≤ 709 (ratios from about 1e-308 to 8e307)."""

RATIO_CODES = frozenset({"RR", "OR", "PETO_OR", "HR"})
"""Measures pooled on the log scale and shown as ratios."""


def safe_exp(x: float | None) -> float | None:
    """A ratio from its log, or None when there is none (None, NaN, or |x| > ``LOG_RATIO_MAX``)."""
    if x is None or not abs(x) <= LOG_RATIO_MAX:
        return None
    return math.exp(x)
