"""Edge cases with defined behaviour (never a silent NaN), checked against independent values."""

from __future__ import annotations

import json
import math
import random
from fractions import Fraction

import pytest

from gradecli.stats import (
    BinaryData,
    ContinuityCorrection,
    GenericData,
    NotEstimableError,
    PoolingSpec,
    meta_analysis,
    yi_sei_from_ci,
)
from gradecli.stats.effects import binary_effects, hedges_j
from gradecli.stats.regression import InterceptModel, SlopeModel
from gradecli.stats.tau2 import estimate_tau2

Z = 1.959963984540054


def finite_json(res) -> dict:
    d = res.to_json_dict()
    text = json.dumps(d, allow_nan=False)  # raises on NaN/inf
    return json.loads(text)


@pytest.mark.parametrize("method", ["DL", "REML", "PM"])
def test_k1_random_matches_metafor_rules(method: str) -> None:
    res = meta_analysis(GenericData(["A"], [0.3], [0.2]), PoolingSpec("GENERIC", "random", method, hksj=True))
    assert res.k == 1 and res.tau2 == 0.0 and res.q == 0.0 and res.q_df == 0 and res.q_p == 1.0
    assert res.i2 == 0.0 and res.h2 == 1.0
    assert res.estimate == 0.3 and res.se == pytest.approx(0.2, rel=1e-15)
    assert res.test == "z"  # HKSJ ignored with k = 1
    assert (res.pi_lb, res.pi_ub) == (res.ci_lb, res.ci_ub)
    assert res.ci_lb == pytest.approx(0.3 - Z * 0.2, rel=1e-14)
    assert any("HKSJ" in w for w in res.warnings)
    finite_json(res)


def test_k1_higgins_pi_needs_three_studies() -> None:
    for k in (1, 2):
        res = meta_analysis(
            GenericData([str(i) for i in range(k)], [0.1 * i for i in range(k)], [0.2] * k),
            PoolingSpec("GENERIC", prediction="higgins"),
        )
        assert res.pi_lb is None and res.pi_ub is None
        assert any("k >= 3" in w for w in res.warnings)


def test_higgins_pi_uses_t_k_minus_2() -> None:
    from scipy import stats

    y = [0.1, 0.5, -0.2, 0.8, 0.3]
    s = [0.2, 0.25, 0.3, 0.15, 0.2]
    res = meta_analysis(GenericData(list("abcde"), y, s), PoolingSpec("GENERIC", "random", "DL", prediction="higgins"))
    half = stats.t.ppf(0.975, 3) * math.sqrt(res.se**2 + res.tau2)
    assert res.pi_lb == pytest.approx(res.estimate - half, rel=1e-12)
    assert res.pi_df == 3


def test_k2_dl_by_hand() -> None:
    # DL with two studies, computed independently with exact fractions
    y = [Fraction(1, 10), Fraction(9, 10)]
    v = [Fraction(1, 25), Fraction(1, 16)]
    w = [1 / x for x in v]
    sw = sum(w)
    mu = sum(a * b for a, b in zip(w, y, strict=True)) / sw
    q = sum(a * (b - mu) ** 2 for a, b in zip(w, y, strict=True))
    tau2 = max(Fraction(0), (q - 1) / (sw - sum(x * x for x in w) / sw))
    ws = [1 / (x + tau2) for x in v]
    est = sum(a * b for a, b in zip(ws, y, strict=True)) / sum(ws)
    res = meta_analysis(GenericData(["a", "b"], [0.1, 0.9], [0.2, 0.25]), PoolingSpec("GENERIC", "random", "DL"))
    assert res.tau2 == pytest.approx(float(tau2), rel=1e-13)
    assert res.estimate == pytest.approx(float(est), rel=1e-13)
    assert res.q == pytest.approx(float(q), rel=1e-13)


def test_all_double_zero_not_estimable() -> None:
    data = BinaryData(["a", "b"], [0, 0], [10, 20], [0, 0], [12, 18])
    for m, mod in (("IV", "fixed"), ("REML", "random"), ("MH", "fixed")):
        with pytest.raises(NotEstimableError, match="double-zero"):
            meta_analysis(data, PoolingSpec("RR", mod, m))
    with pytest.raises(NotEstimableError):
        meta_analysis(data, PoolingSpec("PETO_OR", "fixed", "PETO"))


def test_double_zero_dropped_and_reported() -> None:
    data = BinaryData(["a", "b", "c"], [0, 3, 4], [10, 20, 30], [0, 6, 9], [12, 18, 31])
    res = meta_analysis(data, PoolingSpec("OR", "fixed", "IV"))
    assert res.k == 2 and [d.study for d in res.dropped] == ["a"]
    mh = meta_analysis(data, PoolingSpec("OR", "fixed", "MH"))
    assert mh.k == 3 and mh.q_df == 1  # MH counts tables; Q over study estimates


@pytest.mark.parametrize("method", ["DL", "REML", "PM"])
def test_tau2_zero_equals_fixed_effect(method: str) -> None:
    # homogeneous data: Q < k - 1, so every estimator truncates at 0 and the random-effects
    # results equal the fixed-effect IV ones
    y = [0.10, 0.11, 0.09, 0.10, 0.105]
    s = [0.2, 0.3, 0.25, 0.22, 0.28]
    fe = meta_analysis(GenericData(list("abcde"), y, s), PoolingSpec("GENERIC", "fixed", "IV"))
    re = meta_analysis(GenericData(list("abcde"), y, s), PoolingSpec("GENERIC", "random", method))
    assert re.tau2 == 0.0 and re.i2 == 0.0 and re.h2 == 1.0
    assert re.estimate == pytest.approx(fe.estimate, rel=1e-14)
    assert re.se == pytest.approx(fe.se, rel=1e-14)
    assert (re.pi_lb, re.pi_ub) == pytest.approx((re.ci_lb, re.ci_ub), rel=1e-14)


def test_identical_studies() -> None:
    data = GenericData(list("abcd"), [0.4] * 4, [0.1] * 4)
    res = meta_analysis(data, PoolingSpec("GENERIC", "random", "REML"))
    assert res.q == 0.0 and res.tau2 == 0.0 and res.estimate == pytest.approx(0.4, rel=1e-15)
    assert res.se == pytest.approx(0.05, rel=1e-14)
    hk = meta_analysis(data, PoolingSpec("GENERIC", "random", "REML", hksj=True))
    assert hk.se == 0.0 and hk.stat is None and hk.pval is None  # no inf/NaN
    assert any("standard error is 0" in w for w in hk.warnings)
    finite_json(hk)


def test_egger_needs_ten_and_distinct_se() -> None:
    y = [0.1 * i for i in range(9)]
    assert meta_analysis(GenericData([str(i) for i in range(9)], y, [0.2] * 9), PoolingSpec("GENERIC")).egger_p is None
    y = [0.1 * i for i in range(12)]
    res = meta_analysis(GenericData([str(i) for i in range(12)], y, [0.2] * 12), PoolingSpec("GENERIC"))
    assert res.egger_p is None and any("Egger" in w for w in res.warnings)


def test_egger_fixed_matches_weighted_least_squares() -> None:
    # independent check: closed-form WLS slope test with numpy
    np = pytest.importorskip("numpy")
    from scipy import stats

    rng = random.Random(3)
    k = 15
    s = [rng.uniform(0.05, 0.6) for _ in range(k)]
    y = [rng.gauss(0.2 + 0.8 * si, si) for si in s]
    res = meta_analysis(GenericData([str(i) for i in range(k)], y, s), PoolingSpec("GENERIC", "fixed", "IV"))
    x = np.column_stack([np.ones(k), s])
    w = np.diag(1 / np.square(s))
    cov = np.linalg.inv(x.T @ w @ x)
    beta = cov @ x.T @ w @ np.array(y)
    z = beta[1] / math.sqrt(cov[1, 1])
    assert res.egger_p == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-10)


def test_huge_and_tiny_variances() -> None:
    y = [0.3, 0.5, -1.0, 2.0]
    s = [1e-6, 1e6, 1e-5, 1e5]
    res = meta_analysis(GenericData(list("abcd"), y, s), PoolingSpec("GENERIC", "fixed", "IV"))
    w = [1 / Fraction(x) ** 2 for x in s]
    est = sum(a * Fraction(b) for a, b in zip(w, y, strict=True)) / sum(w)
    assert res.estimate == pytest.approx(float(est), rel=1e-12)
    assert res.se == pytest.approx(float(1 / sum(w)) ** 0.5, rel=1e-12)
    for method in ("DL", "REML", "PM"):
        r = meta_analysis(GenericData(list("abcd"), y, s), PoolingSpec("GENERIC", "random", method))
        d = finite_json(r)
        assert r.converged and r.tau2 > 0 and 0 <= d["i2"] <= 100
        assert abs(sum(w for _, w in r.weights) - 100) < 1e-9
    with pytest.raises(ValueError, match="supported range"):
        meta_analysis(GenericData(["a", "b"], [0, 1], [1e-60, 1]), PoolingSpec("GENERIC"))


def test_weights_percent_and_mh_weights() -> None:
    data = BinaryData(["a", "b", "c"], [4, 6, 3], [123, 306, 231], [11, 29, 11], [139, 303, 220])
    res = meta_analysis(data, PoolingSpec("OR", "fixed", "MH"))
    raw = [
        (n1 - a) * c / (n1 + n2) for a, n1, c, n2 in zip(data.events_t, data.n_t, data.events_c, data.n_c, strict=True)
    ]
    want = [100 * r / sum(raw) for r in raw]
    assert [w for _, w in res.weights] == pytest.approx(want, rel=1e-13)


def test_continuity_correction_options() -> None:
    args = (["a", "b"], [0, 5], [10, 20], [3, 6], [12, 18])
    only0 = binary_effects(*args, "OR")
    allc = binary_effects(*args, "OR", ContinuityCorrection(0.5, "all"))
    if0 = binary_effects(*args, "OR", ContinuityCorrection(0.5, "if0all"))
    none = binary_effects(*args, "OR", ContinuityCorrection(0.0, "none"))
    # only0 changes study a only; all / if0all change study b too
    b_raw = math.log(5 * 12 / (15 * 6))
    b_cc = math.log(5.5 * 12.5 / (15.5 * 6.5))
    assert only0.yi[1] == pytest.approx(b_raw, rel=1e-15)
    assert allc.yi[1] == pytest.approx(b_cc, rel=1e-15) and if0.yi[1] == pytest.approx(b_cc, rel=1e-15)
    assert only0.yi[0] == pytest.approx(math.log(0.5 * 9.5 / (10.5 * 3.5)), rel=1e-15)
    assert none.k == 1 and none.dropped[0].reason.startswith("zero cell")


def test_hedges_j_exact() -> None:
    from scipy.special import gammaln

    for m in (2, 5, 18, 100, 10_000, 1_000_000):
        want = math.exp(gammaln(m / 2) - 0.5 * math.log(m / 2) - gammaln((m - 1) / 2))
        assert hedges_j(m) == pytest.approx(want, rel=1e-9 if m > 1000 else 1e-13)
    assert hedges_j(18) != pytest.approx(1 - 3 / (4 * 18 - 1), rel=1e-6)


def test_yi_sei_from_ci() -> None:
    yi, sei = yi_sei_from_ci(0.5, 0.25, 1.0, ratio=True)
    assert yi == pytest.approx(math.log(0.5)) and sei == pytest.approx(math.log(4) / (2 * Z))
    yi, sei = yi_sei_from_ci(1.0, -1.0, 3.0, ratio=False)
    assert (yi, sei) == (1.0, pytest.approx(4 / (2 * Z)))


def test_invalid_combinations() -> None:
    with pytest.raises(ValueError):
        PoolingSpec("RR", "fixed", "REML")
    with pytest.raises(ValueError):
        PoolingSpec("RR", "random", "MH")
    with pytest.raises(ValueError):
        PoolingSpec("MD", "fixed", "MH")
    with pytest.raises(ValueError):
        PoolingSpec("RR", "fixed", "IV", hksj=True)
    assert PoolingSpec("OR", "fixed", "PETO").measure == "PETO_OR"
    with pytest.raises(ValueError):
        meta_analysis(GenericData(["a"], [0.1], [0.1]), PoolingSpec("OR", "fixed", "MH"))


def test_reml_nonconvergence_is_flagged(monkeypatch: pytest.MonkeyPatch) -> None:
    import gradecli.stats.tau2 as t2

    monkeypatch.setattr(t2, "REML_MAXITER", 1)
    y = [0.1, 0.9, -0.5, 1.4, 0.3]
    s = [0.2, 0.25, 0.3, 0.15, 0.2]
    est = t2.estimate_tau2(InterceptModel(y, [x * x for x in s]), "REML")
    assert est.converged is False and est.tau2 > 0


@pytest.mark.parametrize("method", ["DL", "REML", "PM"])
def test_numpy_path_equals_pure_python(method: str) -> None:
    pytest.importorskip("numpy")
    rng = random.Random(7)
    k = 5000
    v = [rng.uniform(0.01, 0.5) for _ in range(k)]
    y = [rng.gauss(0.3, math.sqrt(vi + 0.05)) for vi in v]
    a = estimate_tau2(InterceptModel(y, v, use_numpy=False), method)
    b = estimate_tau2(InterceptModel(y, v, use_numpy=True), method)
    assert b.tau2 == pytest.approx(a.tau2, rel=1e-12)
    assert b.fit.coef == pytest.approx(a.fit.coef, rel=1e-12)
    x = [math.sqrt(vi) for vi in v]
    a = estimate_tau2(SlopeModel(y, v, x, use_numpy=False), method)
    b = estimate_tau2(SlopeModel(y, v, x, use_numpy=True), method)
    assert b.tau2 == pytest.approx(a.tau2, rel=1e-11)
    assert b.fit.coef == pytest.approx(a.fit.coef, rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("method", ["DL", "REML", "PM"])
def test_tau2_against_scipy_optimisers(method: str) -> None:
    # independent check on random data: REML maximises the restricted likelihood, PM solves Q = k-1
    from scipy import optimize

    rng = random.Random(11)
    k = 20
    v = [rng.uniform(0.02, 0.4) for _ in range(k)]
    y = [rng.gauss(0.0, math.sqrt(vi + 0.1)) for vi in v]
    got = estimate_tau2(InterceptModel(y, v), method).tau2

    def parts(t: float):
        w = [1 / (vi + t) for vi in v]
        mu = sum(a * b for a, b in zip(w, y, strict=True)) / sum(w)
        return w, mu

    if method == "REML":

        def nll(t: float) -> float:
            w, mu = parts(t)
            return 0.5 * (
                sum(math.log(vi + t) for vi in v)
                + math.log(sum(w))
                + sum(a * (b - mu) ** 2 for a, b in zip(w, y, strict=True))
            )

        want = optimize.minimize_scalar(nll, bounds=(0, 10), method="bounded", options={"xatol": 1e-12}).x
        assert got == pytest.approx(want, rel=1e-6)
    elif method == "PM":

        def g(t: float) -> float:
            w, mu = parts(t)
            return sum(a * (b - mu) ** 2 for a, b in zip(w, y, strict=True)) - (k - 1)

        want = optimize.brentq(g, 0, 10, xtol=1e-15)
        assert got == pytest.approx(want, rel=1e-10)
    else:
        w = [1 / vi for vi in v]
        mu = sum(a * b for a, b in zip(w, y, strict=True)) / sum(w)
        q = sum(a * (b - mu) ** 2 for a, b in zip(w, y, strict=True))
        want = max(0.0, (q - (k - 1)) / (sum(w) - sum(a * a for a in w) / sum(w)))
        assert got == pytest.approx(want, rel=1e-12)


# --------------------------------------------------------------------------------------------
# Extreme inputs (issue 9): defined results checked against exact or independent values, or a
# clear error naming the study; see also tests/test_numeric_extremes.py.


def test_log_rr_variance_exact_when_nearly_everyone_had_the_event() -> None:
    # metafor's 1/a - 1/n1 + 1/c - 1/n2 cancels here; b/(a n1) + d/(c n2) is the same quantity
    a, n1, c, n2 = 999_999_999, 1_000_000_000, 999_999_000, 1_000_000_000
    eff = binary_effects(["x"], [a], [n1], [c], [n2], "RR")
    want = Fraction(1, a) - Fraction(1, n1) + Fraction(1, c) - Fraction(1, n2)
    assert eff.vi[0] == pytest.approx(float(want), rel=1e-14)
    assert eff.yi[0] == pytest.approx(math.log(a / c), rel=1e-12)


@pytest.mark.parametrize("sd", [1e-300, 1e-150, 1e150, 1e300])
def test_smd_scale_invariant_for_tiny_and_huge_sds(sd: float) -> None:
    from gradecli.stats.effects import continuous_effects

    # means and SDs scaled together: the same Hedges' g as on the unit scale (no under/overflow)
    base = continuous_effects(["a"], [1.3], [1.0], [20], [1.0], [1.5], [25], "SMD")
    got = continuous_effects(["a"], [1.3 * sd], [1.0 * sd], [20], [1.0 * sd], [1.5 * sd], [25], "SMD")
    sp = math.sqrt((19 * 1.0 + 24 * 1.5**2) / 43)
    assert got.yi[0] == pytest.approx(hedges_j(43) * 0.3 / sp, rel=1e-12)
    assert got.yi[0] == pytest.approx(base.yi[0], rel=1e-12) and got.vi[0] == pytest.approx(base.vi[0], rel=1e-12)


@pytest.mark.parametrize("scale", [1e-45, 1e-20, 1.0, 1e20, 1e45])
@pytest.mark.parametrize("method", ["DL", "REML", "PM"])
def test_pooling_equivariant_under_rescaling(scale: float, method: str) -> None:
    # multiplying every estimate and SE by c multiplies estimate/CI by c and tau2 by c^2 and leaves
    # Q, I^2 and the p values alone: the range of the data does not matter inside the supported range
    y = [0.1, 0.9, -0.5, 1.4, 0.3, 0.2]
    s = [0.2, 0.25, 0.3, 0.15, 0.2, 0.4]
    ref = meta_analysis(GenericData(list("abcdef"), y, s), PoolingSpec("GENERIC", "random", method, hksj=True))
    got = meta_analysis(
        GenericData(list("abcdef"), [x * scale for x in y], [x * scale for x in s]),
        PoolingSpec("GENERIC", "random", method, hksj=True),
    )
    assert got.estimate == pytest.approx(ref.estimate * scale, rel=1e-10)
    assert (got.ci_lb, got.ci_ub) == pytest.approx((ref.ci_lb * scale, ref.ci_ub * scale), rel=1e-10)
    assert got.tau2 == pytest.approx(ref.tau2 * scale * scale, rel=1e-10)
    assert (got.q, got.i2, got.pval, got.q_p) == pytest.approx((ref.q, ref.i2, ref.pval, ref.q_p), rel=1e-10)
    finite_json(got)


def test_estimates_1e100_apart_with_standard_errors_of_1e_minus_49() -> None:
    # the extremes of the supported range together: Q ~ 2e298, tau2 ~ 1e200; each fit is computed
    # rescaled by a power of two (before, the weights' squares underflowed and REML divided by 0).
    # Reference: DerSimonian-Laird and the fixed-effect Q with exact fractions.
    y = [1e100, -1e100, 0.0]
    s = [1e-49, 1e-49, 1e-49]
    data = GenericData(list("abc"), y, s)
    w = [1 / Fraction(x) ** 2 for x in s]
    mu = sum(a * Fraction(b) for a, b in zip(w, y, strict=True)) / sum(w)
    q = sum(a * (Fraction(b) - mu) ** 2 for a, b in zip(w, y, strict=True))
    dl = (q - 2) / (sum(w) - sum(a * a for a in w) / sum(w))
    fixed = meta_analysis(data, PoolingSpec("GENERIC", "fixed", "IV"))
    assert fixed.q == pytest.approx(float(q), rel=1e-12) and fixed.i2 == pytest.approx(100.0)
    for method in ("DL", "REML", "PM"):
        res = meta_analysis(data, PoolingSpec("GENERIC", "random", method, hksj=True))
        assert res.converged and res.tau2_iterations <= 10
        assert res.tau2 == pytest.approx(float(dl), rel=1e-9)  # all three agree here: equal variances
        assert res.estimate == pytest.approx(0.0, abs=1e85)
        finite_json(res)


def test_fits_beyond_the_float_range_raise_instead_of_nan() -> None:
    # below the input checks: a fit whose sums overflow raises FloatingPointError (pool_effects turns
    # that into NotEstimableError), never a NaN or inf tau2
    model = InterceptModel([1e300, -1e300, 0.0], [1e-100, 1e-100, 1e-100])
    with pytest.raises(FloatingPointError):
        model.fit(0.0)
    for method in ("DL", "REML", "PM"):
        with pytest.raises(FloatingPointError):
            estimate_tau2(model, method)


def test_study_value_errors_name_study_and_field() -> None:
    from gradecli.stats import ContinuousData
    from gradecli.stats.effects import StudyValueError

    cases = [
        (GenericData(["a", "b"], [1e101, 0.0], [1.0, 1.0]), "GENERIC", "yi", "outside the supported range"),
        (GenericData(["a", "b"], [0.0, 0.0], [1e-51, 1.0]), "GENERIC", "sei", "standard error"),
        (ContinuousData(["a"], [1.0], [1e-300], [10], [0.0], [1e-300], [10]), "MD", "sd_t", "underflows"),
        (ContinuousData(["a"], [1.0], [1e300], [10], [0.0], [1e300], [10]), "MD", "sd_t", "overflows"),
        (ContinuousData(["a"], [1e308], [1.0], [10], [-1e308], [1.0], [10]), "MD", "mean_t", "overflows"),
        (ContinuousData(["a"], [1.0], [5e-324], [10], [0.0], [5e-324], [10]), "SMD", "sd_t", "standardised"),
    ]
    for data, measure, field, words in cases:
        with pytest.raises(StudyValueError, match=words) as info:
            meta_analysis(data, PoolingSpec(measure))
        assert info.value.study == "a" and info.value.field == field
        assert "inf" not in str(info.value).replace("information", "") and "nan" not in str(info.value)


def test_distributions_reject_nan_and_stay_fast_for_huge_arguments() -> None:
    from scipy import stats

    from gradecli.stats import distributions as d

    for call in (
        lambda: d.chi2_sf(math.nan, 3),
        lambda: d.chi2_sf(1.0, math.nan),
        lambda: d.chi2_sf(1.0, 1e11),
        lambda: d.gammaincc(math.nan, 1.0),
        lambda: d.t_sf(1.0, math.nan),
        lambda: d.t_isf(math.nan, 3),
        lambda: d.t_isf(0.025, math.nan),
    ):
        with pytest.raises(ValueError):
            call()
    # the continued fraction used to need an exact 1.0 to stop: x = 1e17 ran a million steps
    for x in (1e17, 1e100, 1.7e308):
        for df in (1, 2, 29.5, 30, 150, 1e6):
            assert d.chi2_sf(x, df) == stats.chi2.sf(x, df) == 0.0
    assert d.gammaincc(3.5, 1e17) == 0.0
    # df >= 1e22: the t distribution is the normal one to double precision
    for t in (0.5, 2.0, 37.0, 1e300):
        assert d.t_sf(t, 1e300) == pytest.approx(stats.norm.sf(t), rel=1e-12, abs=0.0)
    assert d.t_isf(0.025, 1e300) == pytest.approx(stats.norm.isf(0.025), rel=1e-14)
    assert d.t_sf(1e300, 1e21) == 0.0 and d.t_sf(-1e300, 1e21) == 1.0


def test_chi2_large_df_against_mpmath() -> None:
    # up to the largest supported df (1e10); SciPy itself loses digits here, so mpmath is the reference
    mpmath = pytest.importorskip("mpmath")
    from gradecli.stats.distributions import chi2_sf

    with mpmath.workdps(40):
        for df in (1e7, 1e9, 1e10):
            for z in (-1.0, 0.0, 1.0, 5.0):
                x = df + z * math.sqrt(2 * df)
                want = float(mpmath.gammainc(mpmath.mpf(df) / 2, mpmath.mpf(x) / 2, mpmath.inf, regularized=True))
                assert chi2_sf(x, df) == pytest.approx(want, rel=1e-9)
