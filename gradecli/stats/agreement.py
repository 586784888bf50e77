"""Inter-rater agreement for categorical ratings on an ordered scale (issue 19, item 5).

Pure functions, standard library only: ratings in, a frozen :class:`Agreement` out. The ratings are
any hashable labels (``"high"``, ``"moderate"``, …); ``categories`` is the ordered list of every
possible label, first to last, so that a category nobody used still counts (the tables are k×k) and
the weighted statistics know each category's position.

Two raters (units where either rating is ``None`` are dropped; ``n`` counts the units used and
``n_missing`` the units dropped):

* :func:`observed_agreement`: the proportion of units rated alike, with a Wilson score interval;
* :func:`cohen_kappa`: Cohen's kappa, or weighted kappa with linear or quadratic agreement weights,
  with the large-sample (non-null) standard error of Fleiss, Cohen & Everitt (1969);
* :func:`gwet_ac1`: Gwet's AC1 (nominal) or AC2 (weighted), with Gwet's (2008) variance.

Any number of raters, with missing ratings: :func:`krippendorff_alpha` (point estimate only).

The 95 % intervals of kappa and AC1/AC2 are estimate ± Φ⁻¹(0.975)·SE and are not truncated to
[−1, 1]. See ``docs/agreement-statistics.md`` for the definitions and every edge case.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

from gradecli.numeric import Z_975

__all__ = [
    "NOTE_NO_UNITS",
    "NOTE_NO_VARIATION",
    "NOTE_ONE_CATEGORY",
    "NOTE_ONE_UNIT",
    "NOTE_TOO_FEW_VALUES",
    "Agreement",
    "Level",
    "Weights",
    "cohen_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "observed_agreement",
]

Weights = Literal["linear", "quadratic"] | None
"""Agreement weights of the weighted two-rater statistics: None (unweighted: 1 on the diagonal, 0
elsewhere), ``"linear"`` (1 − |i − j|/(k − 1)) or ``"quadratic"`` (1 − ((i − j)/(k − 1))²)."""

Level = Literal["nominal", "ordinal", "interval"]
"""Krippendorff's level of measurement (the difference function δ²)."""

NOTE_NO_UNITS = "undefined: no units rated by both raters"
NOTE_ONE_CATEGORY = "undefined: chance agreement is 1 (one category only)"
NOTE_ONE_UNIT = "one unit only: no standard error"
NOTE_TOO_FEW_VALUES = "undefined: fewer than two pairable values"
NOTE_NO_VARIATION = "undefined: no variation (every pairable value is the same category)"


@dataclass(frozen=True)
class Agreement:
    """One agreement statistic.

    ``statistic`` names it (``"observed_agreement"``, ``"cohen_kappa"``, ``"weighted_kappa_linear"``,
    ``"gwet_ac1"``, ``"gwet_ac2_quadratic"``, ``"krippendorff_alpha_ordinal"``, …). ``estimate``,
    ``se``, ``ci_lb`` and ``ci_ub`` are None when not defined, and ``note`` then says why (it can
    also carry a remark on a defined estimate). For the two-rater statistics ``n`` is the number of
    units rated by both raters and ``n_missing`` the number of units dropped because either rating
    was missing; for Krippendorff's alpha ``n`` is the number of pairable units (two or more
    ratings) and ``n_missing`` the number of units with fewer than two ratings.
    """

    statistic: str
    estimate: float | None
    se: float | None
    ci_lb: float | None
    ci_ub: float | None
    n: int
    n_missing: int
    note: str | None = None


# --------------------------------------------------------------------------------------------------
# Input handling


def _index(categories: Sequence[Hashable]) -> dict[Hashable, int]:
    index: dict[Hashable, int] = {}
    for i, c in enumerate(categories):
        if c is None:
            raise ValueError("categories: None is not a category (it marks a missing rating)")
        if c in index:
            raise ValueError(f"categories: {c!r} is listed twice")
        index[c] = i
    if len(index) < 2:
        raise ValueError("categories: an ordered scale needs at least two categories")
    return index


def _pairs(
    a: Sequence[Hashable | None], b: Sequence[Hashable | None], index: dict[Hashable, int] | None = None
) -> tuple[list[tuple[Hashable, Hashable]], int]:
    """The (a, b) pairs of the units rated by both raters, and the number of units dropped. With an
    ``index``, every rating given (also those of dropped units) must be one of its categories."""
    if len(a) != len(b):
        raise ValueError(f"the two raters rated different numbers of units ({len(a)} and {len(b)})")
    if index is not None:
        for v in (*a, *b):
            if v is not None and v not in index:
                raise ValueError(f"rating {v!r} is not one of the categories")
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    return pairs, len(a) - len(pairs)


def _table(pairs: list[tuple[Hashable, Hashable]], index: dict[Hashable, int]) -> list[list[int]]:
    """The k×k table of counts: rows are rater a's category, columns rater b's."""
    k = len(index)
    table = [[0] * k for _ in range(k)]
    for x, y in pairs:
        table[index[x]][index[y]] += 1
    return table


def _weights(k: int, weights: Weights) -> list[list[float]]:
    if weights is None:
        return [[1.0 if i == j else 0.0 for j in range(k)] for i in range(k)]
    if weights == "linear":
        return [[1.0 - abs(i - j) / (k - 1) for j in range(k)] for i in range(k)]
    if weights == "quadratic":
        return [[1.0 - ((i - j) / (k - 1)) ** 2 for j in range(k)] for i in range(k)]
    raise ValueError(f"weights must be None, 'linear' or 'quadratic', not {weights!r}")


def _two_raters(
    a: Sequence[Hashable | None], b: Sequence[Hashable | None], categories: Sequence[Hashable], weights: Weights
) -> tuple[list[list[float]], list[list[int]], int, int]:
    """What kappa and AC1/AC2 start from: the agreement weights, the k×k table of the units both
    raters rated, its number of units and the number dropped (checks in that order: the categories,
    the weights, the ratings)."""
    index = _index(categories)
    w = _weights(len(index), weights)
    pairs, n_missing = _pairs(a, b, index)
    return w, _table(pairs, index), len(pairs), n_missing


def _undefined(statistic: str, n: int, n_missing: int, note: str) -> Agreement:
    return Agreement(statistic, None, None, None, None, n, n_missing, note)


def _with_ci(statistic: str, estimate: float, var: float, n: int, n_missing: int) -> Agreement:
    if n < 2:
        return Agreement(statistic, estimate, None, None, None, n, n_missing, NOTE_ONE_UNIT)
    se = math.sqrt(max(var, 0.0))  # an exact zero can come out as -1e-17
    return Agreement(statistic, estimate, se, estimate - Z_975 * se, estimate + Z_975 * se, n, n_missing, None)


# --------------------------------------------------------------------------------------------------
# Observed agreement


def observed_agreement(a: Sequence[Hashable | None], b: Sequence[Hashable | None]) -> Agreement:
    """The proportion of units that the two raters put in the same category, with a 95 % Wilson
    score interval.

    ``a`` and ``b`` are the two raters' ratings, unit by unit; a unit where either is None is
    dropped (counted in ``n_missing``). With x agreements in n units, p = x/n and

        centre = (p + z²/(2n)) / (1 + z²/n),
        half   = z / (1 + z²/n) · √(p(1 − p)/n + z²/(4n²)),   z = Φ⁻¹(0.975),

    the interval is centre ± half (Wilson EB, 1927, "Probable inference, the law of succession, and
    statistical inference", J Am Stat Assoc 22:209–212; method 3 of Newcombe RG, 1998, "Two-sided
    confidence intervals for the single proportion", Stat Med 17:857–872). It stays inside [0, 1]
    and is not degenerate at p = 0 or 1 (perfect agreement gives estimate 1.0 and an upper bound of
    exactly 1.0). ``se`` is the binomial √(p(1 − p)/n), for information: the interval is not
    estimate ± z·se. No units (none rated by both): everything None, note :data:`NOTE_NO_UNITS`.
    """
    pairs, n_missing = _pairs(a, b)
    n = len(pairs)
    if n == 0:
        return _undefined("observed_agreement", 0, n_missing, NOTE_NO_UNITS)
    p = sum(1 for x, y in pairs if x == y) / n
    z2 = Z_975 * Z_975
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = Z_975 / denom * math.sqrt(p * (1.0 - p) / n + z2 / (4 * n * n))
    lb = max(0.0, centre - half) if p > 0 else 0.0
    ub = min(1.0, centre + half) if p < 1 else 1.0
    return Agreement("observed_agreement", p, math.sqrt(p * (1.0 - p) / n), lb, ub, n, n_missing, None)


# --------------------------------------------------------------------------------------------------
# Cohen's kappa


def cohen_kappa(
    a: Sequence[Hashable | None],
    b: Sequence[Hashable | None],
    categories: Sequence[Hashable],
    weights: Weights = None,
) -> Agreement:
    """Cohen's kappa (``weights=None``; Cohen 1960) or weighted kappa (``"linear"`` or
    ``"quadratic"``; Cohen 1968), with its large-sample standard error and a 95 % interval.

    ``categories`` lists every possible category in order; each rating must be one of them (else
    ValueError). Units where either rating is None are dropped. With p_ij the proportion of units
    rated i by rater a and j by rater b, margins p_i. and p_.j, and agreement weights w_ij (see
    :data:`Weights`; 1 on the diagonal):

        p_o = Σ w_ij p_ij,   p_e = Σ w_ij p_i. p_.j,   κ = (p_o − p_e) / (1 − p_e).

    The standard error is the non-null large-sample one of Fleiss JL, Cohen J & Everitt BS (1969),
    "Large sample standard errors of kappa and weighted kappa", Psychol Bull 72:323–327 (the one for
    an interval, not the one for testing κ = 0): with w̄_i. = Σ_j p_.j w_ij and w̄_.j = Σ_i p_i. w_ij,

        var(κ) = [Σ_ij p_ij (w_ij − (w̄_i. + w̄_.j)(1 − κ))² − (κ − p_e(1 − κ))²] / (n (1 − p_e)²),

    which for unweighted kappa is their eq. for simple kappa. The interval is κ ± Φ⁻¹(0.975)·SE, not
    truncated (it can pass 1).

    Edge cases: no units → everything None, note :data:`NOTE_NO_UNITS`. Both raters used one and
    the same category only (so p_e = 1 and κ is 0/0, even when they agree perfectly) → estimate
    None, note :data:`NOTE_ONE_CATEGORY`. Perfect agreement over two or more categories → κ = 1,
    SE 0, interval [1, 1]. One unit → the estimate, with no SE or interval (note
    :data:`NOTE_ONE_UNIT`).
    """
    statistic = "cohen_kappa" if weights is None else f"weighted_kappa_{weights}"
    w, table, n, n_missing = _two_raters(a, b, categories, weights)
    k = len(table)
    if n == 0:
        return _undefined(statistic, 0, n_missing, NOTE_NO_UNITS)
    rows = [sum(r) for r in table]
    cols = [sum(table[i][j] for i in range(k)) for j in range(k)]
    if any(r == n and c == n for r, c in zip(rows, cols, strict=True)):
        return _undefined(statistic, n, n_missing, NOTE_ONE_CATEGORY)
    p = [[x / n for x in r] for r in table]
    pr = [r / n for r in rows]
    pc = [c / n for c in cols]
    po = math.fsum(w[i][j] * p[i][j] for i in range(k) for j in range(k))
    pe = math.fsum(w[i][j] * pr[i] * pc[j] for i in range(k) for j in range(k))
    kappa = (po - pe) / (1.0 - pe)
    w_row = [math.fsum(pc[j] * w[i][j] for j in range(k)) for i in range(k)]
    w_col = [math.fsum(pr[i] * w[i][j] for i in range(k)) for j in range(k)]
    s = math.fsum(p[i][j] * (w[i][j] - (w_row[i] + w_col[j]) * (1.0 - kappa)) ** 2 for i in range(k) for j in range(k))
    var = (s - (kappa - pe * (1.0 - kappa)) ** 2) / (n * (1.0 - pe) ** 2)
    return _with_ci(statistic, kappa, var, n, n_missing)


# --------------------------------------------------------------------------------------------------
# Gwet's AC1 / AC2


def gwet_ac1(
    a: Sequence[Hashable | None],
    b: Sequence[Hashable | None],
    categories: Sequence[Hashable],
    weights: Weights = None,
) -> Agreement:
    """Gwet's AC1 (``weights=None``) or AC2 (``"linear"`` or ``"quadratic"`` weights) for two
    raters, with Gwet's variance and a 95 % interval.

    Inputs and dropping of missing ratings as in :func:`cohen_kappa`. With q categories, agreement
    weights w_kl, T_w = Σ w_kl (q for AC1), π_k = (p_k. + p_.k)/2 and c = T_w / (q(q − 1)):

        p_a = Σ w_kl p_kl,   p_e = c · Σ_k π_k (1 − π_k),   γ = (p_a − p_e) / (1 − p_e).

    Variance (two raters, no finite-population correction, i.e. f = 0):

        var(γ) = [Σ_kl p_kl (w_kl − 2(1 − γ) c (1 − (π_k + π_l)/2))² − (p_a − 2(1 − γ) p_e)²]
                 / (n (1 − p_e)²).

    For AC1 this is, expanded, the two-rater variance of Gwet KL (2008), "Computing inter-rater
    reliability and its variance in the presence of high agreement", Br J Math Stat Psychol
    61:29–48, with f = 0; the weighted form is the one of Gwet's Handbook of Inter-Rater
    Reliability (4th ed., 2014) for AC2, as in his irrCAC software for a two-rater table. The
    interval is γ ± Φ⁻¹(0.975)·SE, not truncated (irrCAC instead uses a t quantile on n − 1 degrees
    of freedom and caps the upper bound at 1).

    Edge cases: no units → everything None, note :data:`NOTE_NO_UNITS`. One category only, used by
    both raters → AC1/AC2 = 1.0 with SE 0 (p_e = 0, unlike kappa's p_e = 1). Perfect agreement →
    1.0, SE 0. One unit → the estimate, with no SE or interval (note :data:`NOTE_ONE_UNIT`).
    """
    statistic = "gwet_ac1" if weights is None else f"gwet_ac2_{weights}"
    w, table, n, n_missing = _two_raters(a, b, categories, weights)
    q = len(table)
    if n == 0:
        return _undefined(statistic, 0, n_missing, NOTE_NO_UNITS)
    p = [[x / n for x in r] for r in table]
    pi = [(sum(table[k]) + sum(table[i][k] for i in range(q))) / (2 * n) for k in range(q)]
    c = math.fsum(x for r in w for x in r) / (q * (q - 1))
    pa = math.fsum(w[k][m] * p[k][m] for k in range(q) for m in range(q))
    pe = c * math.fsum(x * (1.0 - x) for x in pi)
    gamma = (pa - pe) / (1.0 - pe)  # p_e ≤ T_w/q² < 1 since some weight is 0
    s = math.fsum(
        p[k][m] * (w[k][m] - 2.0 * (1.0 - gamma) * c * (1.0 - (pi[k] + pi[m]) / 2.0)) ** 2
        for k in range(q)
        for m in range(q)
    )
    var = (s - (pa - 2.0 * (1.0 - gamma) * pe) ** 2) / (n * (1.0 - pe) ** 2)
    return _with_ci(statistic, gamma, var, n, n_missing)


# --------------------------------------------------------------------------------------------------
# Krippendorff's alpha


def krippendorff_alpha(
    ratings: Sequence[Sequence[Hashable | None]],
    categories: Sequence[Hashable],
    level: Level = "nominal",
) -> Agreement:
    """Krippendorff's alpha for any number of raters, with missing ratings (point estimate only).

    ``ratings`` has one list per rater, each over the same units (None: not rated). Following
    Krippendorff K (2011), "Computing Krippendorff's alpha-reliability" (Annenberg School for
    Communication, University of Pennsylvania), units with fewer than two ratings are not pairable
    and are left out; the coincidence matrix is o_ck = Σ_u (number of c–k pairs of ratings in unit
    u, over ordered pairs of different raters) / (m_u − 1), with m_u the unit's number of ratings;
    n_c = Σ_k o_ck and n = Σ_c n_c (the pairable values). Then

        α = 1 − D_o / D_e = 1 − (n − 1) Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck,

    with δ² by ``level``: nominal, 0 if c = k else 1; ordinal, (Σ_{g=c..k} n_g − (n_c + n_k)/2)²
    (Krippendorff's rank-based metric, g running over the categories from c to k in the order of
    ``categories``); interval, (c − k)² with the categories scored 1, 2, …, k by their position in
    ``categories`` (equally spaced; a category nobody used still holds its place).

    No interval: Krippendorff's own interval comes from a bootstrap of random draws, and these
    statistics must give the same output on every run; a seeded bootstrap would still tie the
    result to one generator's stream, so only the point estimate is given (``se`` and the bounds
    are None).

    Edge cases: fewer than two pairable values (no unit with two ratings; also no raters or no
    units) → None, note :data:`NOTE_TOO_FEW_VALUES`. No variation (every pairable value in one
    category, so D_e = 0 and α is 0/0) → None, note :data:`NOTE_NO_VARIATION`. Perfect agreement
    with variation → 1.0. ``n`` counts the pairable units and ``n_missing`` the units with fewer
    than two ratings.
    """
    index = _index(categories)
    if level not in ("nominal", "ordinal", "interval"):
        raise ValueError(f"level must be 'nominal', 'ordinal' or 'interval', not {level!r}")
    statistic = f"krippendorff_alpha_{level}"
    units = len(ratings[0]) if ratings else 0
    if any(len(r) != units for r in ratings):
        raise ValueError("every rater's list of ratings must cover the same units")
    k = len(index)
    o = [[0.0] * k for _ in range(k)]
    pairable = 0
    for u in range(units):
        counts = [0] * k
        m = 0
        for rater in ratings:
            v = rater[u]
            if v is None:
                continue
            if v not in index:
                raise ValueError(f"rating {v!r} is not one of the categories")
            counts[index[v]] += 1
            m += 1
        if m < 2:
            continue
        pairable += 1
        for c in range(k):
            if counts[c] == 0:
                continue
            for d in range(k):
                pairs = counts[c] * (counts[d] - 1) if c == d else counts[c] * counts[d]
                if pairs:
                    o[c][d] += pairs / (m - 1)
    n_missing = units - pairable
    nc = [math.fsum(r) for r in o]
    n = math.fsum(nc)
    if pairable == 0 or n < 2:
        return _undefined(statistic, pairable, n_missing, NOTE_TOO_FEW_VALUES)
    if sum(1 for x in nc if x > 0) < 2:
        return _undefined(statistic, pairable, n_missing, NOTE_NO_VARIATION)

    def delta2(c: int, d: int) -> float:
        if level == "nominal":
            return 0.0 if c == d else 1.0
        if level == "ordinal":
            lo, hi = min(c, d), max(c, d)
            return (math.fsum(nc[lo : hi + 1]) - (nc[c] + nc[d]) / 2.0) ** 2
        return float((c - d) ** 2)

    d2 = [[delta2(c, d) for d in range(k)] for c in range(k)]
    observed = math.fsum(o[c][d] * d2[c][d] for c in range(k) for d in range(k))
    expected = math.fsum(nc[c] * nc[d] * d2[c][d] for c in range(k) for d in range(k))
    alpha = 1.0 - (n - 1.0) * observed / expected
    return Agreement(statistic, alpha, None, None, None, pairable, n_missing, None)
