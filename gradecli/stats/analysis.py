"""Pool one outcome: study data of one of three forms + a :class:`PoolingSpec` → :class:`PooledResult`.

This is the entry point for the GRADE engine and the ``gradecli meta`` command::

    from gradecli.stats import PoolingSpec, BinaryData, meta_analysis
    data = BinaryData(labels, events_t, n_t, events_c, n_c)
    res = meta_analysis(data, PoolingSpec(measure="RR", model="random", method="REML"))
    res.estimate, res.ci_lb, res.i2, res.to_json_dict()

Defaults reproduce metafor for the same call (``escalc`` continuity correction ``add = 1/2,
to = "only0", drop00 = TRUE``; ``rma.uni``, ``rma.mh``, ``rma.peto``; ``predict``; ``regtest``),
with fully converged τ² estimates (see :mod:`gradecli.stats.tau2`).

Edge cases (documented, never a silent NaN):

* k = 1: τ² = 0, Q = 0 on 0 df, Q_p = 1, I² = 0, H² = 1, the metafor prediction interval equals
  the CI, and HKSJ is ignored (normal test), as metafor does; a warning says so.
* no study-level estimate at all (e.g. every study double-zero): :class:`NotEstimableError`.
* HKSJ with identical estimates: the HKSJ se is 0; the test statistic and p value are then None
  (with a warning) rather than ±inf/NaN.
* sampling variances outside [1e-100, 1e100] and estimates beyond ±1e100 are rejected
  (:class:`~gradecli.stats.effects.StudyValueError`, a ValueError naming the study and field)
  before pooling.

Numerical guarantee: every float in a returned :class:`PooledResult` is finite (optional ones may be
None, with a warning saying why); when a required statistic (estimate, se, CI, τ², Q, I², H²,
weights) cannot be represented — e.g. estimates 1e100 apart with standard errors of 1e-50 —
:class:`NotEstimableError` is raised with a message naming it, never a NaN or ±inf. Inverse-variance
pooling runs on the data rescaled by a power of two (yᵢ/2ᵐ, vᵢ/4ᵐ with 4ᵐ ≤ min vᵢ): every
statistic is equivariant under this rescaling and multiplying by a power of two is exact in binary
floating point, so results are those of the unscaled computation (to the last bit for closed-form
statistics, within the convergence tolerance for REML/PM) whenever that one does not overflow,
while weights stay ≤ 1 and sums of wᵢ³eᵢ² stay in range for far more extreme inputs. The τ²
iterations are bounded (:mod:`gradecli.stats.tau2`): non-convergence is a warning and
``converged = False``, never a loop.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from gradecli.stats.distributions import norm_two_sided_p, t_two_sided_p
from gradecli.stats.effects import (
    ALL_MEASURES,
    METAFOR_CC,
    VI_MAX,
    VI_MIN,
    YI_MAX,
    ContinuityCorrection,
    Dropped,
    StudyEffects,
    StudyValueError,
    binary_effects,
    continuous_effects,
    generic_effects,
    peto_effects,
)
from gradecli.stats.egger import EGGER_FLOOR_K, EGGER_MIN_K, EggerResult, egger_test
from gradecli.stats.heterogeneity import (
    cochran_q,
    fixed_i2_h2,
    q_pvalue,
    random_i2_h2,
    typical_variance,
)
from gradecli.stats.pooling import (
    NotEstimableError,
    critical_value,
    mantel_haenszel,
    peto,
    prediction_interval,
)
from gradecli.stats.regression import InterceptModel
from gradecli.stats.result import PooledResult
from gradecli.stats.tau2 import PM_MAXITER, REML_MAXITER, estimate_tau2

__all__ = [
    "BinaryData",
    "ContinuousData",
    "GenericData",
    "PoolingSpec",
    "meta_analysis",
    "pool_effects",
]

FIXED_METHODS = ("IV", "MH", "PETO")
RANDOM_METHODS = ("DL", "REML", "PM")


@dataclass(frozen=True)
class PoolingSpec:
    """How to pool: effect measure, model, method and options.

    ``measure``: RR, OR, RD, PETO_OR, MD, SMD, HR or GENERIC. ``model``: "fixed" (``method`` IV, MH
    or PETO) or "random" (DL, REML or PM). ``method="PETO"`` implies ``measure="PETO_OR"`` (OR is
    accepted and converted); PETO_OR needs method PETO. MH is for OR, RR and RD. ``hksj`` only with
    random effects. ``prediction``: "metafor" (default) or "higgins". ``cc``: continuity correction
    for study-level estimates of 2×2 data (:data:`~gradecli.stats.effects.REVMAN_CC` also corrects the
    tables inside the Mantel–Haenszel estimate, as RevMan 5). ``egger=False`` skips Egger's test.
    ``dl_q_around="MH"`` (2×2 data, DL random effects): RevMan 5's random-effects analysis of a
    Mantel–Haenszel outcome, where τ² comes from Cochran's Q around the MH fixed-effect estimate
    (inverse-variance weights) instead of the IV estimate (Deeks & Higgins, "Statistical
    algorithms in RevMan 5")."""

    measure: str
    model: str = "random"
    method: str = "REML"
    hksj: bool = False
    prediction: str = "metafor"
    cc: ContinuityCorrection = METAFOR_CC
    egger: bool = True
    egger_min_k: int = EGGER_MIN_K
    dl_q_around: str = "IV"  # "MH": RevMan 5's DL for Mantel-Haenszel outcomes (Q around the MH estimate)
    smd_correction: str = "exact"  # "revman5": RevMan 5's approximate Hedges correction and variance

    def __post_init__(self) -> None:
        measure = self.measure.upper()
        method = self.method.upper()
        model = self.model.lower()
        if method == "PETO" and measure == "OR":
            measure = "PETO_OR"
        object.__setattr__(self, "measure", measure)
        object.__setattr__(self, "method", method)
        object.__setattr__(self, "model", model)
        if measure not in ALL_MEASURES:
            raise ValueError(f"unknown measure {self.measure!r} (one of {', '.join(ALL_MEASURES)})")
        if model == "fixed":
            if method not in FIXED_METHODS:
                raise ValueError(f"--model fixed takes --method IV, MH or PETO, not {method}")
        elif model == "random":
            if method not in RANDOM_METHODS:
                raise ValueError(f"--model random takes --method DL, REML or PM, not {method}")
        else:
            raise ValueError(f"model must be 'fixed' or 'random', not {self.model!r}")
        if method == "MH" and measure not in ("OR", "RR", "RD"):
            raise ValueError(f"Mantel-Haenszel pooling is for OR, RR and RD, not {measure}")
        if (method == "PETO") != (measure == "PETO_OR"):
            raise ValueError("the Peto odds ratio goes with --method PETO (and --method PETO with PETO_OR)")
        if self.hksj and model != "random":
            raise ValueError("--hksj applies to random-effects models only")
        if self.dl_q_around not in ("IV", "MH"):
            raise ValueError(f"dl_q_around must be 'IV' or 'MH', not {self.dl_q_around!r}")
        if self.dl_q_around == "MH" and not (model == "random" and method == "DL" and measure in ("OR", "RR", "RD")):
            raise ValueError("dl_q_around='MH' is for DerSimonian-Laird random effects on OR, RR or RD")
        if self.smd_correction not in ("exact", "revman5"):
            raise ValueError(f"smd_correction must be 'exact' or 'revman5', not {self.smd_correction!r}")
        if self.prediction not in ("metafor", "higgins"):
            raise ValueError(f"prediction must be 'metafor' or 'higgins', not {self.prediction!r}")


@dataclass(frozen=True)
class BinaryData:
    """2×2 counts per study (treatment = group 1 = metafor ``ai``/``n1i``)."""

    labels: Sequence[str]
    events_t: Sequence[float]
    n_t: Sequence[float]
    events_c: Sequence[float]
    n_c: Sequence[float]


@dataclass(frozen=True)
class ContinuousData:
    """Means, SDs and sizes per arm."""

    labels: Sequence[str]
    mean_t: Sequence[float]
    sd_t: Sequence[float]
    n_t: Sequence[float]
    mean_c: Sequence[float]
    sd_c: Sequence[float]
    n_c: Sequence[float]


@dataclass(frozen=True)
class GenericData:
    """Estimates on the analysis scale (log for ratio measures) and their standard errors."""

    labels: Sequence[str]
    yi: Sequence[float]
    sei: Sequence[float]


def _study_effects(data: BinaryData | ContinuousData | GenericData, a: PoolingSpec) -> StudyEffects:
    if isinstance(data, BinaryData):
        if a.measure not in ("RR", "OR", "RD", "PETO_OR"):
            raise ValueError(f"2x2 counts give RR, OR, RD or PETO_OR, not {a.measure}")
        if a.measure == "PETO_OR":
            return peto_effects(data.labels, data.events_t, data.n_t, data.events_c, data.n_c)
        return binary_effects(data.labels, data.events_t, data.n_t, data.events_c, data.n_c, a.measure, a.cc)
    if isinstance(data, ContinuousData):
        if a.measure not in ("MD", "SMD"):
            raise ValueError(f"means and SDs give MD or SMD, not {a.measure}")
        return continuous_effects(
            data.labels, data.mean_t, data.sd_t, data.n_t, data.mean_c, data.sd_c, data.n_c, a.measure, a.smd_correction
        )
    if isinstance(data, GenericData):
        if a.method in ("MH", "PETO"):
            raise ValueError(f"--method {a.method} needs 2x2 counts, not yi/sei")
        return generic_effects(data.labels, data.yi, data.sei, a.measure)
    raise TypeError("data must be BinaryData, ContinuousData or GenericData")


def meta_analysis(data: BinaryData | ContinuousData | GenericData, analysis: PoolingSpec) -> PooledResult:
    """Pool one outcome. Raises ValueError for invalid data/analysis combinations and
    :class:`NotEstimableError` when no pooled estimate exists."""
    eff = _study_effects(data, analysis)
    if analysis.method in ("MH", "PETO"):
        assert isinstance(data, BinaryData)
        return _pool_tables(data, eff, analysis)
    cc = analysis.cc.as_dict() if isinstance(data, BinaryData) else None
    if analysis.dl_q_around == "MH":
        if not isinstance(data, BinaryData):
            raise ValueError("dl_q_around='MH' needs 2x2 counts")
        if eff.k == 0:
            raise _not_estimable(eff)
        tables = analysis.cc.corrected_tables(analysis.measure, data.events_t, data.n_t, data.events_c, data.n_c)
        mh_estimate = mantel_haenszel(*tables, analysis.measure)[0]
        return pool_effects(eff, analysis, cc, q_around=mh_estimate)
    return pool_effects(eff, analysis, cc)


def _egger(
    eff: StudyEffects, a: PoolingSpec, tau2_method: str | None, hksj: bool, warnings: list[str]
) -> EggerResult | None:
    if not a.egger:
        return None
    try:
        eg = egger_test(eff.yi, eff.vi, tau2_method, hksj, a.egger_min_k)
    except ArithmeticError:  # overflow in the meta-regression's sums
        warnings.append("Egger's test not computed: the regression is beyond the floating-point range")
        return None
    if eg is None:
        if eff.k >= max(a.egger_min_k, EGGER_FLOOR_K):
            warnings.append("Egger's test not computed: all standard errors are equal")
        return None
    if not eg.converged:
        warnings.append(f"Egger's test: {tau2_method} did not converge for the meta-regression")
    if not math.isfinite(eg.pval):
        warnings.append("Egger's test not computed: its p value is not finite")
        return None
    return eg


def _not_estimable(eff: StudyEffects) -> NotEstimableError:
    why = f" ({len(eff.dropped)} studies dropped: {eff.dropped[0].reason})" if eff.dropped else ""
    return NotEstimableError(f"not estimable: no study-level estimate{why}")


def _scale_exponent(vi: Sequence[float]) -> int:
    """m with 4**m <= min(vi) < 4**(m + 2): the data are pooled as y/2**m, v/4**m (exact)."""
    _, e = math.frexp(min(vi))  # min(vi) = f * 2**e, 0.5 <= f < 1
    return (e - 1) // 2


def _out_of_range(what: str) -> NotEstimableError:
    return NotEstimableError(
        f"not estimable: {what} is beyond the floating-point range "
        "(the study estimates differ by too many standard errors)"
    )


def pool_effects(
    eff: StudyEffects, a: PoolingSpec, cc: dict[str, object] | None = None, q_around: float | None = None
) -> PooledResult:
    """Inverse-variance pooling (fixed or random effects) of study-level estimates. ``cc`` is the
    continuity correction that produced them, reported in the result (None if not 2×2 data).
    ``q_around`` (DL only): compute Q, and τ² from it, around this estimate (RevMan 5 MH outcomes).

    Computed on the data rescaled by a power of two (exact; see the module docstring)."""
    k = eff.k
    if k == 0:
        raise _not_estimable(eff)
    lo, hi = 0.999 * VI_MIN, 1.001 * VI_MAX
    if not len(eff.labels) == len(eff.yi) == len(eff.vi) or not (
        all(abs(y) <= YI_MAX for y in eff.yi) and all(lo <= v <= hi for v in eff.vi)
    ):  # a direct caller of pool_effects: name the first study out of range
        for label, y, v in zip(eff.labels, eff.yi, eff.vi, strict=True):
            if not (abs(y) <= YI_MAX and lo <= v <= hi):
                raise StudyValueError(label, "estimate or sampling variance outside the supported range")
    m = _scale_exponent(eff.vi)
    # times 2^-m and 4^-m: exact, as ldexp (|m| <= 170 for variances in [1e-100, 1e100], so neither
    # factor nor any product leaves the range of normal floats)
    fy, fv = math.ldexp(1.0, -m), math.ldexp(1.0, -2 * m)
    scaled = StudyEffects(
        eff.measure,
        eff.labels,
        tuple([y * fy for y in eff.yi]),
        tuple([v * fv for v in eff.vi]),
        eff.dropped,
    )
    if q_around is not None:
        q_around = math.ldexp(q_around, -m)
    res = _pool_scaled(scaled, a, cc, q_around)
    return _check_finite(_unscale(res, m, eff))


def _unscale(r: PooledResult, m: int, eff: StudyEffects) -> PooledResult:
    def back(x: float | None) -> float | None:
        return None if x is None else math.ldexp(x, m)

    return replace(
        r,
        estimate=math.ldexp(r.estimate, m),
        se=math.ldexp(r.se, m),
        ci_lb=math.ldexp(r.ci_lb, m),
        ci_ub=math.ldexp(r.ci_ub, m),
        tau2=None if r.tau2 is None else math.ldexp(r.tau2, 2 * m),
        pi_lb=back(r.pi_lb),
        pi_ub=back(r.pi_ub),
        egger=None
        if r.egger is None
        else replace(
            r.egger,
            intercept=math.ldexp(r.egger.intercept, m),
            tau2=math.ldexp(r.egger.tau2, 2 * m),
        ),
        effects=eff,
    )


def _check_finite(r: PooledResult) -> PooledResult:
    """The numerical guarantee: required statistics finite (else NotEstimableError), optional ones
    finite or None with a warning."""
    required = {
        "the pooled estimate": r.estimate,
        "its standard error": r.se,
        "its confidence interval": r.ci_lb,
        "the upper confidence limit": r.ci_ub,
        "Cochran's Q": r.q,
        "the Q p value": r.q_p,
        "I²": r.i2,
        "H²": r.h2,
        "tau²": 0.0 if r.tau2 is None else r.tau2,
    }
    for what, x in required.items():
        if not math.isfinite(x):
            raise _out_of_range(what)
    if not all(math.isfinite(w) for _, w in r.weights):
        raise _out_of_range("a study weight")
    warnings = list(r.warnings)
    changes: dict[str, object] = {}
    if r.stat is not None and not (math.isfinite(r.stat) and r.pval is not None and math.isfinite(r.pval)):
        changes.update(stat=None, pval=None)
        warnings.append("no test statistic: it is beyond the floating-point range")
    if r.pi_lb is not None and not (math.isfinite(r.pi_lb) and r.pi_ub is not None and math.isfinite(r.pi_ub)):
        changes.update(pi_lb=None, pi_ub=None, pi_df=None)
        warnings.append("no prediction interval: it is beyond the floating-point range")
    if r.egger is not None and not all(map(math.isfinite, (r.egger.pval, r.egger.slope, r.egger.intercept))):
        changes.update(egger=None)
        warnings.append("Egger's test not computed: its p value is not finite")
    if changes:
        return replace(r, warnings=tuple(warnings), **changes)  # type: ignore[arg-type]
    return r


def _pool_scaled(
    eff: StudyEffects, a: PoolingSpec, cc: dict[str, object] | None, q_around: float | None
) -> PooledResult:
    k = eff.k
    warnings: list[str] = []
    model = InterceptModel(eff.yi, eff.vi)
    try:
        fe = model.fit(0.0)
    except FloatingPointError:
        raise _out_of_range("Cochran's Q") from None
    q = fe.rss
    q_df = k - 1
    q_p = q_pvalue(q, q_df)
    random = a.model == "random"
    hksj = a.hksj
    converged = True
    iterations = 0
    if k == 1:
        warnings.append("only one study: nothing is pooled (tau2 = 0, Q = 0 on 0 df)")
        if hksj:
            warnings.append("HKSJ needs k >= 2: ignored, normal-based test used (as metafor)")
            hksj = False
    if random and q_around is not None and k > 1:
        w = [1.0 / v for v in eff.vi]
        sw1 = sum(w)
        q = sum(wi * (yi - q_around) ** 2 for wi, yi in zip(w, eff.yi, strict=True))
        q_p = q_pvalue(q, q_df)
        tau2 = max(0.0, (q - q_df) / (sw1 - sum(wi * wi for wi in w) / sw1))
        try:
            fit = model.fit(tau2)
        except FloatingPointError:
            raise _out_of_range("the between-study variance tau² (DL)") from None
        i2, h2 = random_i2_h2(tau2, typical_variance(eff.vi))
    elif random:
        try:
            est = estimate_tau2(model, a.method)
        except FloatingPointError:
            raise _out_of_range(f"the between-study variance tau² ({a.method})") from None
        tau2 = est.tau2
        fit = est.fit
        converged = est.converged
        iterations = est.iterations
        if not converged:
            limit = est.iterations or (REML_MAXITER if a.method == "REML" else PM_MAXITER)
            warnings.append(f"{a.method} did not converge in {limit} iterations; tau2 is the last value")
        i2, h2 = random_i2_h2(tau2, typical_variance(eff.vi))
    else:
        tau2 = 0.0
        fit = fe
        i2, h2 = fixed_i2_h2(q, q_df)
    estimate = fit.coef
    var = fit.var
    df: int | None = None
    if hksj:
        var *= fit.rss / (k - 1)
        df = k - 1
    se = math.sqrt(var)
    half = critical_value(df) * se
    stat, pval = _test(estimate, se, df, warnings)
    pi = None
    prediction = None
    pi_df = None
    if random:
        prediction = a.prediction
        got = prediction_interval(estimate, se, tau2, k, a.prediction, hksj)
        if got is None:
            warnings.append("the Higgins-Thompson-Spiegelhalter prediction interval needs k >= 3")
        else:
            pi = got
            pi_df = got[2]
    egger = _egger(eff, a, a.method if random else None, hksj, warnings)
    sw = fit.sw
    weights = tuple(zip(eff.labels, [100.0 * w / sw for w in model.weights(tau2)], strict=False))
    return PooledResult(
        measure=a.measure,
        model=a.model,
        method=a.method,
        hksj=a.hksj,
        k=k,
        estimate=estimate,
        se=se,
        ci_lb=estimate - half,
        ci_ub=estimate + half,
        stat=stat,
        pval=pval,
        test="t" if df is not None else "z",
        df=df,
        tau2=tau2 if random else None,
        i2=i2,
        h2=h2,
        q=q,
        q_df=q_df,
        q_p=q_p,
        pi_lb=pi[0] if pi else None,
        pi_ub=pi[1] if pi else None,
        prediction=prediction,
        pi_df=pi_df,
        egger=egger,
        weights=weights,
        dropped=eff.dropped,
        warnings=tuple(warnings),
        converged=converged,
        tau2_iterations=iterations,
        cc=cc,
        effects=eff,
    )


def _test(estimate: float, se: float, df: int | None, warnings: list[str]) -> tuple[float | None, float | None]:
    if not se > 0.0:
        warnings.append("standard error is 0 (identical estimates with HKSJ): no test statistic")
        return None, None
    stat = estimate / se
    if df is None:
        return stat, norm_two_sided_p(stat)
    return stat, t_two_sided_p(stat, df)


def _pool_tables(data: BinaryData, eff: StudyEffects, a: PoolingSpec) -> PooledResult:
    """Mantel–Haenszel or Peto pooling on the 2×2 tables (all tables, double-zero ones included)."""
    k = len(data.events_t)
    if eff.k == 0:
        raise _not_estimable(eff)
    warnings: list[str] = []
    if a.method == "MH" and a.cc.in_tables:
        tables = a.cc.corrected_tables(a.measure, data.events_t, data.n_t, data.events_c, data.n_c)
        estimate, se, raw_kept = mantel_haenszel(*tables, a.measure)
        raw = _spread_weights(a, data, raw_kept)
    elif a.method == "MH":
        estimate, se, raw = mantel_haenszel(data.events_t, data.n_t, data.events_c, data.n_c, a.measure)
    else:
        estimate, se, raw = peto(data.events_t, data.n_t, data.events_c, data.n_c)
    q = cochran_q(eff.yi, eff.vi, estimate)
    q_df = eff.k - 1
    if eff.k == 1:
        warnings.append("only one study with a study-level estimate: Q = 0 on 0 df")
    i2, h2 = fixed_i2_h2(q, q_df)
    half = critical_value(None) * se
    stat, pval = _test(estimate, se, None, warnings)
    egger = _egger(eff, a, None, False, warnings)
    total = sum(raw)
    weights = tuple((label, 100.0 * w / total) for label, w in zip(data.labels, raw, strict=False))
    result = PooledResult(
        measure=a.measure,
        model=a.model,
        method=a.method,
        hksj=False,
        k=k,
        estimate=estimate,
        se=se,
        ci_lb=estimate - half,
        ci_ub=estimate + half,
        stat=stat,
        pval=pval,
        test="z",
        df=None,
        tau2=None,
        i2=i2,
        h2=h2,
        q=q,
        q_df=q_df,
        q_p=q_pvalue(q, q_df),
        pi_lb=None,
        pi_ub=None,
        prediction=None,
        pi_df=None,
        egger=egger,
        weights=weights,
        dropped=eff.dropped,
        warnings=tuple(warnings),
        converged=True,
        tau2_iterations=0,
        cc=a.cc.as_dict() if a.method == "MH" else None,
        effects=eff,
    )
    return _check_finite(result)


def _spread_weights(a: PoolingSpec, data: BinaryData, kept: list[float]) -> list[float]:
    """MH weights of the corrected tables back onto every study (0 for the double-zero ones left out)."""
    out: list[float] = []
    it = iter(kept)
    for e1, n1, e2, n2 in zip(data.events_t, data.n_t, data.events_c, data.n_c, strict=True):
        double = (e1 == 0 and e2 == 0) or (e1 == n1 and e2 == n2)
        out.append(0.0 if (double and a.cc.drop00 and a.measure != "RD") else next(it))
    return out


__all__ += ["Dropped", "NotEstimableError"]
