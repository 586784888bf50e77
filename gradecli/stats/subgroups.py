"""The test for subgroup differences: Cochran's Q across the subgroups' pooled estimates.

Each subgroup is pooled on its own (its own τ² under random effects); the subgroup estimates are
then compared with a fixed-effect Q on G − 1 degrees of freedom, and I² of that Q says how much of
the spread among them is beyond chance — the test RevMan prints ("Test for subgroup differences:
Chi² = …, df = …, P = …, I² = …"; Cochrane Handbook v6.5 §10.11.3.1; Borenstein M, Higgins JPT,
Prev Sci 2013;14:134–143). In metafor: ``rma(est, sei = se, method = "FE")`` on the subgroups'
estimates and standard errors, whose ``QE``/``QEp`` are this Q and p.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from gradecli.stats.distributions import chi2_sf

__all__ = ["SubgroupDifferences", "subgroup_differences"]


@dataclass(frozen=True)
class SubgroupDifferences:
    q: float
    df: int
    p: float
    i2: float  # percent


def subgroup_differences(estimates: Sequence[float], ses: Sequence[float]) -> SubgroupDifferences:
    """Q, df, p and I² (percent) of the differences among two or more subgroup estimates (analysis
    scale: log for ratios) with their standard errors."""
    if len(estimates) != len(ses) or len(estimates) < 2:
        raise ValueError("the test for subgroup differences needs two or more subgroup estimates")
    if not all(math.isfinite(y) for y in estimates) or not all(math.isfinite(s) and s > 0 for s in ses):
        raise ValueError("subgroup estimates must be finite with positive standard errors")
    w = [1.0 / (s * s) for s in ses]
    mean = math.fsum(wi * y for wi, y in zip(w, estimates, strict=True)) / math.fsum(w)
    q = math.fsum(wi * (y - mean) ** 2 for wi, y in zip(w, estimates, strict=True))
    df = len(estimates) - 1
    i2 = max(0.0, (q - df) / q) * 100.0 if q > 0 else 0.0
    return SubgroupDifferences(q=q, df=df, p=chi2_sf(q, df), i2=i2)
