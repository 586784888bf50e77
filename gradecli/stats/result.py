"""The frozen result of one pooled outcome, and its JSON form."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from gradecli.numeric import safe_exp
from gradecli.stats.effects import RATIO_MEASURES, Dropped, StudyEffects
from gradecli.stats.egger import EggerResult

__all__ = ["PooledResult"]


def _num(x: float | None) -> float | None:
    """JSON-safe number: None stays None; NaN/inf never reach output (they become None)."""
    if x is None or not math.isfinite(x):
        return None
    return x


def _exp(x: float | None) -> float | None:
    return safe_exp(x)


@dataclass(frozen=True)
class PooledResult:
    """Everything needed to explain a pooled estimate (analysis scale: log for ratio measures).

    ``test`` is "z" or "t"; ``df`` the t degrees of freedom (None for z). ``prediction`` is the kind
    of prediction interval ("metafor" or "higgins"; None for fixed-effect models), ``pi_df`` its t
    degrees of freedom (None when normal-based). ``weights`` are percent per study label for the
    model used. ``q_df`` can differ from k − 1 for MH/Peto (k counts tables, including double-zero
    ones). ``i2`` is in percent. ``effects`` holds the study-level yi/vi used (not in the JSON).
    """

    measure: str
    model: str
    method: str
    hksj: bool
    k: int
    estimate: float
    se: float
    ci_lb: float
    ci_ub: float
    stat: float | None
    pval: float | None
    test: str
    df: int | None
    tau2: float | None
    i2: float
    h2: float
    q: float
    q_df: int
    q_p: float
    pi_lb: float | None
    pi_ub: float | None
    prediction: str | None
    pi_df: int | None
    egger: EggerResult | None
    weights: tuple[tuple[str, float], ...]
    dropped: tuple[Dropped, ...]
    warnings: tuple[str, ...]
    converged: bool
    tau2_iterations: int
    cc: dict[str, object] | None
    effects: StudyEffects | None = field(default=None, repr=False, compare=False)

    @property
    def egger_p(self) -> float | None:
        """The p value of Egger's test (None when it was not run or could not be computed)."""
        return self.egger.pval if self.egger is not None else None

    @property
    def is_ratio(self) -> bool:
        return self.measure in RATIO_MEASURES

    def to_json_dict(self) -> dict[str, object]:
        """The ``gradecli meta --format json`` object (fixed key order, no NaN/inf)."""
        d: dict[str, object] = {
            "measure": self.measure,
            "model": self.model,
            "method": self.method,
            "hksj": self.hksj,
            "k": self.k,
            "estimate": _num(self.estimate),
            "se": _num(self.se),
            "ci_lb": _num(self.ci_lb),
            "ci_ub": _num(self.ci_ub),
            "zval": _num(self.stat),
            "pval": _num(self.pval),
            "test": self.test,
            "df": self.df,
            "tau2": _num(self.tau2),
            "i2": _num(self.i2),
            "h2": _num(self.h2),
            "q": _num(self.q),
            "q_df": self.q_df,
            "q_p": _num(self.q_p),
            "prediction_interval": self.prediction,
            "pi_df": self.pi_df,
            "pi_lb": _num(self.pi_lb),
            "pi_ub": _num(self.pi_ub),
        }
        if self.is_ratio:
            d["exp_estimate"] = _exp(self.estimate)
            d["exp_ci_lb"] = _exp(self.ci_lb)
            d["exp_ci_ub"] = _exp(self.ci_ub)
            d["exp_pi_lb"] = _exp(self.pi_lb)
            d["exp_pi_ub"] = _exp(self.pi_ub)
        d["egger_p"] = _num(self.egger_p)
        d["converged"] = self.converged
        d["cc"] = self.cc
        d["weights"] = {label: w if math.isfinite(w) else None for label, w in self.weights}  # _num, inline
        d["dropped"] = [{"study": x.study, "reason": x.reason} for x in self.dropped]
        d["warnings"] = list(self.warnings)
        return d
