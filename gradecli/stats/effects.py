"""Study-level effect sizes (metafor ``escalc`` conventions) and continuity corrections.

All functions are pure: numbers in, a frozen :class:`StudyEffects` out (parallel tuples of labels,
estimates ``yi`` on the analysis scale and sampling variances ``vi``, plus the studies left out and
why). Notation for a 2×2 table: a = events_t, b = n_t − a, c = events_c, d = n_c − c.

* RR  (log risk ratio):    yi = ln[(a/n1)/(c/n2)],  vi = 1/a − 1/n1 + 1/c − 1/n2
* OR  (log odds ratio):    yi = ln[ad/(bc)],        vi = 1/a + 1/b + 1/c + 1/d
* RD  (risk difference):   yi = a/n1 − c/n2,        vi = p1(1−p1)/n1 + p2(1−p2)/n2   (vtype "LS")
* PETO_OR (study level):   yi = (O − E)/V, vi = 1/V, O = a, E = (a+c)n1/N,
                           V = (a+c)(b+d)n1n2 / (N²(N−1))  (Yusuf et al. 1985; uncorrected)
* MD:                      yi = m1 − m2,             vi = sd1²/n1 + sd2²/n2
* SMD (Hedges' g):         g = J(m)·(m1 − m2)/s_p, m = n1 + n2 − 2, exact
                           J(m) = Γ(m/2) / (√(m/2) Γ((m−1)/2)) (Hedges 1981), and
                           vi = 1/n1 + 1/n2 + g²/(2(n1 + n2)) (metafor ``vtype = "LS"``)
* GENERIC / HR:            yi as given, vi = sei²

Continuity correction (:class:`ContinuityCorrection`), metafor ``escalc`` defaults
``add = 1/2, to = "only0", drop00 = TRUE``: studies with no events in either arm, or events in
every participant of both arms, are dropped (for RR, OR and RD, as in metafor), then ``add`` is
added to all four cells of every remaining study that has a zero cell. ``to = "all"`` corrects
every study, ``"if0all"`` every study if any (non-dropped) study has a zero cell, ``"none"`` none.
A study whose estimate still cannot be computed (a zero cell with no correction, or a zero
variance) is dropped with that reason rather than producing an infinite value.

Supported range (checked for every study, :class:`StudyValueError` otherwise, naming the study and
the input field): |yᵢ| ≤ ``YI_MAX`` = 1e100 and ``VI_MIN`` = 1e-100 ≤ vᵢ ≤ ``VI_MAX`` = 1e100
(standard errors 1e-50 to 1e50). An estimate or variance that overflows or underflows on the way
(SD 1e-300 or 1e300, means ±1e308, a CI from −1e308 to 1e308) is outside it. Inside it every
pooled statistic is finite or the pooling raises
:class:`~gradecli.stats.pooling.NotEstimableError` (see :mod:`gradecli.stats.analysis`).
The log-RR variance is computed as b/(a·n1) + d/(c·n2), algebraically metafor's
1/a − 1/n1 + 1/c − 1/n2 but without its cancellation when nearly everyone had the event; the RD
variance likewise with 1 − p = b/n1 (exact to ~1e-15 with 10⁹ participants and p near 1).

RevMan 5 option (:data:`REVMAN_CC`, ``in_tables=True``): as RevMan 5 (Deeks & Higgins, "Statistical
algorithms in RevMan 5"), 0.5 is added to every cell of a study with a zero cell and the
*corrected* counts are also used inside the Mantel–Haenszel estimate (metafor's ``rma.mh`` uses the
uncorrected tables); double-zero studies are dropped for RR and OR but kept for RD (RD = 0, its
variance from the corrected table). Verified against RevMan's stored results in the rm5 samples
(``tests/test_import_revman.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from gradecli.numeric import RATIO_CODES, Z_975
from gradecli.stats.distributions import lgamma_diff

__all__ = [
    "METAFOR_CC",
    "NO_CC",
    "REVMAN_CC",
    "VI_MAX",
    "VI_MIN",
    "YI_MAX",
    "ContinuityCorrection",
    "Dropped",
    "StudyEffects",
    "StudyValueError",
    "binary_effects",
    "continuous_effects",
    "generic_effects",
    "hedges_j",
    "peto_effects",
    "yi_sei_from_ci",
]

RATIO_MEASURES = RATIO_CODES
BINARY_MEASURES = frozenset({"RR", "OR", "RD", "PETO_OR"})
CONTINUOUS_MEASURES = frozenset({"MD", "SMD"})
ALL_MEASURES = ("RR", "OR", "RD", "PETO_OR", "MD", "SMD", "HR", "GENERIC")

# Sampling variances outside this range are rejected: squares of inverse-variance weights must stay
# finite and well away from overflow/underflow for the sums used by the estimators.
VI_MIN = 1e-100
VI_MAX = 1e100
# inclusive bounds for values computed as squares: (1e50)**2 is 1.0000000000000002e100
_VI_LO = VI_MIN * (1.0 - 1e-15)
_VI_HI = VI_MAX * (1.0 + 1e-15)
# Study estimates beyond ±YI_MAX are rejected: differences and weighted sums of them must stay finite.
YI_MAX = 1e100


class StudyValueError(ValueError):
    """One study's numbers cannot be used. The message starts with ``study 'LABEL':``; ``study`` is the
    label and ``field`` the input column to blame (e.g. ``sd_t``, ``sei``), or None."""

    def __init__(self, study: str, message: str, field: str | None = None) -> None:
        super().__init__(f"study {study!r}: {message}")
        self.study = study
        self.field = field


@dataclass(frozen=True)
class ContinuityCorrection:
    """How zero cells are handled for study-level estimates (metafor ``escalc`` ``add``/``to``/
    ``drop00``). ``to`` is one of ``only0``, ``all``, ``if0all``, ``none``."""

    add: float = 0.5
    to: str = "only0"
    drop00: bool = True
    in_tables: bool = False  # RevMan 5: the corrected counts also enter the Mantel-Haenszel estimate

    def __post_init__(self) -> None:
        if self.to not in ("only0", "all", "if0all", "none"):
            raise ValueError(f"continuity correction 'to' must be only0, all, if0all or none, not {self.to!r}")
        if not (self.add >= 0.0 and math.isfinite(self.add)):
            raise ValueError("continuity correction 'add' must be a finite number >= 0")

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"add": self.add, "to": self.to, "drop00": self.drop00}
        if self.in_tables:
            out["in_tables"] = True
        return out

    def corrected_tables(
        self,
        measure: str,
        events_t: Sequence[float],
        n_t: Sequence[float],
        events_c: Sequence[float],
        n_c: Sequence[float],
    ) -> tuple[list[float], list[float], list[float], list[float]]:
        """The 2×2 tables a Mantel–Haenszel estimate uses under this correction: unchanged unless
        ``in_tables``; then double-zero tables are left out (RR, OR; kept, uncorrected, for RD)
        and ``add`` is added to every cell of a table with a zero cell (``to="only0"``)."""
        a_out: list[float] = []
        n1_out: list[float] = []
        c_out: list[float] = []
        n2_out: list[float] = []
        for a, n1, c, n2 in zip(events_t, n_t, events_c, n_c, strict=True):
            a, n1, c, n2 = float(a), float(n1), float(c), float(n2)
            if self.in_tables:
                double = (a == 0 and c == 0) or (a == n1 and c == n2)
                if double and self.drop00 and measure != "RD":
                    continue
                zero = a == 0 or c == 0 or a == n1 or c == n2
                wanted = self.to == "all" or (zero and self.to in ("only0", "if0all"))
                if measure != "RD" and self.add > 0.0 and wanted:
                    a, c = a + self.add, c + self.add
                    n1, n2 = n1 + 2 * self.add, n2 + 2 * self.add
            a_out.append(a)
            n1_out.append(n1)
            c_out.append(c)
            n2_out.append(n2)
        return a_out, n1_out, c_out, n2_out


METAFOR_CC = ContinuityCorrection()
NO_CC = ContinuityCorrection(add=0.0, to="none", drop00=True)
REVMAN_CC = ContinuityCorrection(add=0.5, to="only0", drop00=True, in_tables=True)
"""RevMan 5's zero-cell handling (see the module docstring)."""


@dataclass(frozen=True)
class Dropped:
    """A study left out of the study-level estimates, and why."""

    study: str
    reason: str


@dataclass(frozen=True)
class StudyEffects:
    """Study-level estimates on the analysis scale (parallel tuples) and the studies dropped."""

    measure: str
    labels: tuple[str, ...]
    yi: tuple[float, ...]
    vi: tuple[float, ...]
    dropped: tuple[Dropped, ...] = ()

    @property
    def k(self) -> int:
        return len(self.yi)


def _check_labels(labels: Sequence[str], n: int) -> None:
    if len(labels) != n:
        raise ValueError("labels and data columns differ in length")
    if len(set(labels)) != len(labels):
        seen: set[str] = set()
        dup = next(x for x in labels if x in seen or seen.add(x))  # type: ignore[func-returns-value]
        raise ValueError(f"duplicate study label {dup!r}")


def _check_vi(label: str, vi: float, field: str | None = None) -> None:
    """Messages never show the words 'inf' or 'nan' (they reach the Summary-of-Findings table)."""
    if _VI_LO <= vi <= _VI_HI:
        return
    if vi == 0.0:
        what = "underflows to 0, below"
    elif not math.isfinite(vi):
        what = "overflows, above"
    else:
        what = f"{vi:.3g} is outside"
    raise StudyValueError(
        label,
        f"the sampling variance {what} the supported range [{VI_MIN:g}, {VI_MAX:g}] "
        "(standard errors from 1e-50 to 1e50)",
        field,
    )


def _check_yi(label: str, yi: float, what: str = "estimate", field: str | None = None) -> None:
    if not math.isfinite(yi):
        raise StudyValueError(label, f"the {what} overflows", field)
    if not abs(yi) <= YI_MAX:
        raise StudyValueError(
            label, f"the {what} {yi:.3g} is outside the supported range [-{YI_MAX:g}, {YI_MAX:g}]", field
        )


def binary_effects(
    labels: Sequence[str],
    events_t: Sequence[float],
    n_t: Sequence[float],
    events_c: Sequence[float],
    n_c: Sequence[float],
    measure: str,
    cc: ContinuityCorrection = METAFOR_CC,
) -> StudyEffects:
    """Study-level RR/OR/RD (log scale for ratios) from 2×2 counts, metafor ``escalc`` conventions.

    For ``measure="PETO_OR"`` this returns the uncorrected Peto values (see :func:`peto_effects`).
    """
    if measure == "PETO_OR":
        return peto_effects(labels, events_t, n_t, events_c, n_c)
    if measure not in ("RR", "OR", "RD"):
        raise ValueError(f"binary measure must be RR, OR, RD or PETO_OR, not {measure!r}")
    k = len(events_t)
    _check_labels(labels, k)
    if not (len(n_t) == len(events_c) == len(n_c) == k):
        raise ValueError("data columns differ in length")
    dropped: list[Dropped] = []
    keep: list[int] = []
    for i in range(k):
        a, n1, c, n2 = events_t[i], n_t[i], events_c[i], n_c[i]
        if not (0 <= a <= n1 and 0 <= c <= n2 and n1 > 0 and n2 > 0):
            raise StudyValueError(labels[i], "need 0 <= events <= n and n > 0 in both arms", "events_t")
        if cc.drop00 and ((a == 0 and c == 0) or (a == n1 and c == n2)) and not (cc.in_tables and measure == "RD"):
            what = "no events" if a == 0 else "events in every participant"
            dropped.append(Dropped(labels[i], f"{what} in both arms (double-zero study)"))
        else:
            keep.append(i)
    add = cc.add
    any_zero = False
    if cc.to == "if0all" and add > 0.0:
        any_zero = any(
            events_t[i] == 0 or events_c[i] == 0 or events_t[i] == n_t[i] or events_c[i] == n_c[i] for i in keep
        )
    out_l: list[str] = []
    out_y: list[float] = []
    out_v: list[float] = []
    log = math.log
    for i in keep:
        a = float(events_t[i])
        n1 = float(n_t[i])
        c = float(events_c[i])
        n2 = float(n_c[i])
        b = n1 - a
        d = n2 - c
        zero = a == 0.0 or b == 0.0 or c == 0.0 or d == 0.0
        if add > 0.0 and (cc.to == "all" or (cc.to == "only0" and zero) or (cc.to == "if0all" and any_zero)):
            a += add
            b += add
            c += add
            d += add
            n1 = a + b
            n2 = c + d
            zero = False
        if measure == "RD":
            p1 = a / n1
            p2 = c / n2
            yi = p1 - p2
            # = p1(1 − p1)/n1 + p2(1 − p2)/n2, with 1 − p as b/n1 (no cancellation when p is near 1)
            vi = (a / n1) * (b / n1) / n1 + (c / n2) * (d / n2) / n2
            if cc.in_tables:  # RevMan 5: the RD itself uncorrected, its variance from the corrected table
                a0, n10, c0, n20 = float(events_t[i]), float(n_t[i]), float(events_c[i]), float(n_c[i])
                yi = a0 / n10 - c0 / n20
            if vi <= 0.0:
                dropped.append(Dropped(labels[i], "sampling variance is 0 (no continuity correction)"))
                continue
        else:
            if zero if measure == "OR" else (a == 0.0 or c == 0.0):
                dropped.append(Dropped(labels[i], "zero cell and no continuity correction"))
                continue
            if measure == "RR":
                yi = log(a / n1) - log(c / n2)
                vi = b / (a * n1) + d / (c * n2)  # = 1/a - 1/n1 + 1/c - 1/n2 without cancellation
                if vi <= 0.0:
                    dropped.append(Dropped(labels[i], "sampling variance is 0 (all participants had events)"))
                    continue
            else:
                yi = log(a) + log(d) - log(b) - log(c)
                vi = 1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d
        _check_vi(labels[i], vi)
        out_l.append(labels[i])
        out_y.append(yi)
        out_v.append(vi)
    return StudyEffects(measure, tuple(out_l), tuple(out_y), tuple(out_v), tuple(dropped))


def peto_terms(a: float, n1: float, c: float, n2: float) -> tuple[float, float]:
    """(O − E, V) for one 2×2 table (Yusuf et al. 1985; Cochrane Handbook 10.4.4.2)."""
    n = n1 + n2
    m1 = a + c
    o_minus_e = a - m1 * n1 / n
    v = m1 * (n - m1) * n1 * n2 / (n * n * (n - 1.0))
    return o_minus_e, v


def peto_effects(
    labels: Sequence[str],
    events_t: Sequence[float],
    n_t: Sequence[float],
    events_c: Sequence[float],
    n_c: Sequence[float],
) -> StudyEffects:
    """Study-level Peto log odds ratios yi = (O − E)/V, vi = 1/V, uncorrected (metafor
    ``rma.peto``); tables with V = 0 (no events, or all events, in both arms) are dropped."""
    k = len(events_t)
    _check_labels(labels, k)
    out_l: list[str] = []
    out_y: list[float] = []
    out_v: list[float] = []
    dropped: list[Dropped] = []
    for i in range(k):
        a, n1, c, n2 = float(events_t[i]), float(n_t[i]), float(events_c[i]), float(n_c[i])
        if not (0 <= a <= n1 and 0 <= c <= n2 and n1 > 0 and n2 > 0):
            raise StudyValueError(labels[i], "need 0 <= events <= n and n > 0 in both arms", "events_t")
        ome, v = peto_terms(a, n1, c, n2)
        if v <= 0.0:
            what = "no events" if a == 0 else "events in every participant"
            dropped.append(Dropped(labels[i], f"{what} in both arms (double-zero study)"))
            continue
        _check_vi(labels[i], 1.0 / v)
        out_l.append(labels[i])
        out_y.append(ome / v)
        out_v.append(1.0 / v)
    return StudyEffects("PETO_OR", tuple(out_l), tuple(out_y), tuple(out_v), tuple(dropped))


def hedges_j(m: float) -> float:
    """Exact small-sample correction J(m) = Γ(m/2) / (√(m/2) Γ((m−1)/2)) (Hedges 1981; metafor
    ``.cmicalc``), m = n1 + n2 − 2 ≥ 2. Computed without cancellation for large m."""
    if m < 2.0:
        raise ValueError("Hedges' J needs m = n1 + n2 - 2 >= 2")
    return math.exp(lgamma_diff(0.5 * (m - 1.0), 0.5) - 0.5 * math.log(0.5 * m))


def continuous_effects(
    labels: Sequence[str],
    mean_t: Sequence[float],
    sd_t: Sequence[float],
    n_t: Sequence[float],
    mean_c: Sequence[float],
    sd_c: Sequence[float],
    n_c: Sequence[float],
    measure: str,
    smd_correction: str = "exact",
) -> StudyEffects:
    """Study-level MD or SMD from means, SDs and sizes. SMD: Hedges' g with the exact J and metafor's
    large-sample variance (vtype "LS"), or with ``smd_correction="revman5"`` RevMan 5's approximate
    correction J = 1 − 3/(4N − 9) and variance N/(n₁n₂) + g²/(2(N − 3.94)) (Deeks JJ, Higgins JPT,
    "Statistical algorithms in Review Manager 5", 2010, §3.1.2; N = n₁ + n₂)."""
    if measure not in ("MD", "SMD"):
        raise ValueError(f"continuous measure must be MD or SMD, not {measure!r}")
    if smd_correction not in ("exact", "revman5"):
        raise ValueError(f"smd_correction must be 'exact' or 'revman5', not {smd_correction!r}")
    k = len(mean_t)
    _check_labels(labels, k)
    ys: list[float] = []
    vs: list[float] = []
    for i in range(k):
        m1, s1, n1, m2, s2, n2 = (
            float(mean_t[i]),
            float(sd_t[i]),
            float(n_t[i]),
            float(mean_c[i]),
            float(sd_c[i]),
            float(n_c[i]),
        )
        if not (s1 > 0.0 and s2 > 0.0 and n1 >= 1.0 and n2 >= 1.0):
            raise StudyValueError(labels[i], "need sd > 0 and n >= 1 in both arms", "sd_t" if not s1 > 0.0 else "sd_c")
        if not all(math.isfinite(x) for x in (m1, s1, m2, s2, n1, n2)):
            raise StudyValueError(labels[i], "means, SDs and sizes must be finite numbers", "mean_t")
        if measure == "MD":
            yi = m1 - m2
            _check_yi(labels[i], yi, "mean difference", "mean_t")
            vi = s1 * s1 / n1 + s2 * s2 / n2
        else:
            m = n1 + n2 - 2.0
            if m < 2.0:
                raise StudyValueError(labels[i], "the SMD needs n_t + n_c >= 4", "n_t")
            # pooled SD scaled by the larger SD, so SDs of 1e-300 or 1e300 neither underflow nor overflow
            big = max(s1, s2)
            r1, r2 = s1 / big, s2 / big
            sp = big * math.sqrt(((n1 - 1.0) * r1 * r1 + (n2 - 1.0) * r2 * r2) / m)
            diff = m1 - m2
            if not math.isfinite(diff):
                raise StudyValueError(labels[i], "the mean difference overflows", "mean_t")
            if not sp > 0.0:
                raise StudyValueError(labels[i], "the pooled standard deviation is 0 (it underflows)", "sd_t")
            n = n1 + n2
            if smd_correction == "revman5":
                yi = (1.0 - 3.0 / (4.0 * n - 9.0)) * diff / sp
                _check_yi(labels[i], yi, "standardised mean difference", "sd_t")
                vi = n / (n1 * n2) + yi * yi / (2.0 * (n - 3.94))
            else:
                yi = hedges_j(m) * diff / sp
                _check_yi(labels[i], yi, "standardised mean difference", "sd_t")
                vi = 1.0 / n1 + 1.0 / n2 + yi * yi / (2.0 * n)
        _check_vi(labels[i], vi, "sd_t")
        ys.append(yi)
        vs.append(vi)
    return StudyEffects(measure, tuple(labels), tuple(ys), tuple(vs), ())


def generic_effects(
    labels: Sequence[str], yi: Sequence[float], sei: Sequence[float], measure: str = "GENERIC"
) -> StudyEffects:
    """Generic inverse variance: yi as given (log scale for ratio measures), vi = sei²."""
    k = len(yi)
    _check_labels(labels, k)
    try:
        ys = [float(y) for y in yi]
        ss = [float(s) for s in sei]
    except (TypeError, ValueError):  # not numbers: the loop below raises for the first such study
        ys = ss = []
    squares = [s * s for s in ss]
    # every study in range (the usual case, checked a column at a time; NaN fails every comparison):
    # the same effects as the loop below, which otherwise finds the first study out of range
    if (
        len(ss) == k
        and len(ys) == k
        and all(s > 0.0 for s in ss)
        and all(-YI_MAX <= y <= YI_MAX for y in ys)
        and all(_VI_LO <= v <= _VI_HI for v in squares)
    ):
        return StudyEffects(measure, tuple(labels), tuple(ys), tuple(squares), ())
    vs: list[float] = []
    for i in range(k):
        s = float(sei[i])
        if not (s > 0.0 and math.isfinite(s) and math.isfinite(float(yi[i]))):
            raise StudyValueError(labels[i], "need a finite yi and a finite sei > 0", "sei" if s == s else "yi")
        _check_yi(labels[i], float(yi[i]), "estimate", "yi")
        v = s * s
        _check_vi(labels[i], v, "sei")
        vs.append(v)
    return StudyEffects(measure, tuple(labels), tuple(float(y) for y in yi), tuple(vs), ())


def yi_sei_from_ci(
    estimate: float, ci_lb: float, ci_ub: float, ratio: bool, level: float = 0.95
) -> tuple[float, float]:
    """(yi, sei) from a reported estimate and its symmetric confidence interval.

    Ratio measures (``ratio=True``) work on the log scale: yi = ln(estimate),
    sei = (ln ub − ln lb) / (2·z), z = Φ⁻¹(1 − (1 − level)/2) (1.959963984540054 for 95%),
    Cochrane Handbook §6.3.2. Difference measures use the interval as given.
    """
    from gradecli.stats.distributions import norm_isf

    z = Z_975 if level == 0.95 else norm_isf((1.0 - level) / 2.0)
    if not all(math.isfinite(x) for x in (estimate, ci_lb, ci_ub)):
        raise ValueError("the estimate and CI limits must be finite numbers")
    if not ci_lb < ci_ub:
        raise ValueError("the lower CI limit must be below the upper limit")
    if ratio:
        if not (0.0 < ci_lb <= estimate <= ci_ub):
            raise ValueError("ratio estimates and CI limits must be positive, with lb <= estimate <= ub")
        return math.log(estimate), (math.log(ci_ub) - math.log(ci_lb)) / (2.0 * z)
    se = (ci_ub - ci_lb) / (2.0 * z)
    if not math.isfinite(se):  # e.g. -1e308 to 1e308: the width overflows
        se = (0.5 * ci_ub - 0.5 * ci_lb) / z
    return float(estimate), se
