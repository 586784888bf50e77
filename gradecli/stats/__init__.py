"""Meta-analysis engine: pure functions, numbers in, frozen results out.

Modules: :mod:`~gradecli.stats.distributions` (normal, χ², t without SciPy),
:mod:`~gradecli.stats.effects` (study-level effect sizes, continuity correction),
:mod:`~gradecli.stats.regression` (weighted fits), :mod:`~gradecli.stats.tau2` (DL, REML, PM),
:mod:`~gradecli.stats.heterogeneity` (Q, I², H²), :mod:`~gradecli.stats.pooling` (IV, MH, Peto,
HKSJ, prediction intervals), :mod:`~gradecli.stats.egger`, :mod:`~gradecli.stats.result`, and
:mod:`~gradecli.stats.analysis` (one call per outcome: :func:`meta_analysis`).
"""

from __future__ import annotations

from gradecli.stats.analysis import (
    BinaryData,
    ContinuousData,
    GenericData,
    PoolingSpec,
    meta_analysis,
    pool_effects,
)
from gradecli.stats.effects import (
    METAFOR_CC,
    ContinuityCorrection,
    Dropped,
    StudyEffects,
    StudyValueError,
    yi_sei_from_ci,
)
from gradecli.stats.pooling import NotEstimableError
from gradecli.stats.result import PooledResult

__all__ = [
    "METAFOR_CC",
    "BinaryData",
    "ContinuityCorrection",
    "ContinuousData",
    "Dropped",
    "GenericData",
    "NotEstimableError",
    "PooledResult",
    "PoolingSpec",
    "StudyEffects",
    "StudyValueError",
    "meta_analysis",
    "pool_effects",
    "yi_sei_from_ci",
]
