"""Edge cases with defined behaviour (never a silent NaN), checked against independent values."""

from __future__ import annotations

import json
import math
import random
from fractions import Fraction

import pytest

from gradecli.stats import (
    Analysis,
    BinaryData,
    ContinuityCorrection,
    GenericData,
    NotEstimableError,
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
    res = meta_analysis(GenericData(["A"], [0.3], [0.2]), Analysis("GENERIC", "random", method, hksj=True))
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
            Analysis("GENERIC", prediction="higgins"),
        )
        assert res.pi_lb is None and res.pi_ub is None
        assert any("k >= 3" in w for w in res.warnings)


def test_higgins_pi_uses_t_k_minus_2() -> None:
    from scipy import stats

    y = [0.1, 0.5, -0.2, 0.8, 0.3]
    s = [0.2, 0.25, 0.3, 0.15, 0.2]
    res = meta_analysis(GenericData(list("abcde"), y, s), Analysis("GENERIC", "random", "DL", prediction="higgins"))
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
    res = meta_analysis(GenericData(["a", "b"], [0.1, 0.9], [0.2, 0.25]), Analysis("GENERIC", "random", "DL"))
    assert res.tau2 == pytest.approx(float(tau2), rel=1e-13)
    assert res.estimate == pytest.approx(float(est), rel=1e-13)
    assert res.q == pytest.approx(float(q), rel=1e-13)


def test_all_double_zero_not_estimable() -> None:
    data = BinaryData(["a", "b"], [0, 0], [10, 20], [0, 0], [12, 18])
    for m, mod in (("IV", "fixed"), ("REML", "random"), ("MH", "fixed")):
        with pytest.raises(NotEstimableError, match="double-zero"):
            meta_analysis(data, Analysis("RR", mod, m))
    with pytest.raises(NotEstimableError):
        meta_analysis(data, Analysis("PETO_OR", "fixed", "PETO"))


def test_double_zero_dropped_and_reported() -> None:
    data = BinaryData(["a", "b", "c"], [0, 3, 4], [10, 20, 30], [0, 6, 9], [12, 18, 31])
    res = meta_analysis(data, Analysis("OR", "fixed", "IV"))
    assert res.k == 2 and [d.study for d in res.dropped] == ["a"]
    mh = meta_analysis(data, Analysis("OR", "fixed", "MH"))
    assert mh.k == 3 and mh.q_df == 1  # MH counts tables; Q over study estimates


@pytest.mark.parametrize("method", ["DL", "REML", "PM"])
def test_tau2_zero_equals_fixed_effect(method: str) -> None:
    # homogeneous data: Q < k - 1, so every estimator truncates at 0 and the random-effects
    # results equal the fixed-effect IV ones
    y = [0.10, 0.11, 0.09, 0.10, 0.105]
    s = [0.2, 0.3, 0.25, 0.22, 0.28]
    fe = meta_analysis(GenericData(list("abcde"), y, s), Analysis("GENERIC", "fixed", "IV"))
    re = meta_analysis(GenericData(list("abcde"), y, s), Analysis("GENERIC", "random", method))
    assert re.tau2 == 0.0 and re.i2 == 0.0 and re.h2 == 1.0
    assert re.estimate == pytest.approx(fe.estimate, rel=1e-14)
    assert re.se == pytest.approx(fe.se, rel=1e-14)
    assert (re.pi_lb, re.pi_ub) == pytest.approx((re.ci_lb, re.ci_ub), rel=1e-14)


def test_identical_studies() -> None:
    data = GenericData(list("abcd"), [0.4] * 4, [0.1] * 4)
    res = meta_analysis(data, Analysis("GENERIC", "random", "REML"))
    assert res.q == 0.0 and res.tau2 == 0.0 and res.estimate == pytest.approx(0.4, rel=1e-15)
    assert res.se == pytest.approx(0.05, rel=1e-14)
    hk = meta_analysis(data, Analysis("GENERIC", "random", "REML", hksj=True))
    assert hk.se == 0.0 and hk.stat is None and hk.pval is None  # no inf/NaN
    assert any("standard error is 0" in w for w in hk.warnings)
    finite_json(hk)


def test_egger_needs_ten_and_distinct_se() -> None:
    y = [0.1 * i for i in range(9)]
    assert meta_analysis(GenericData([str(i) for i in range(9)], y, [0.2] * 9), Analysis("GENERIC")).egger_p is None
    y = [0.1 * i for i in range(12)]
    res = meta_analysis(GenericData([str(i) for i in range(12)], y, [0.2] * 12), Analysis("GENERIC"))
    assert res.egger_p is None and any("Egger" in w for w in res.warnings)


def test_egger_fixed_matches_weighted_least_squares() -> None:
    # independent check: closed-form WLS slope test with numpy
    np = pytest.importorskip("numpy")
    from scipy import stats

    rng = random.Random(3)
    k = 15
    s = [rng.uniform(0.05, 0.6) for _ in range(k)]
    y = [rng.gauss(0.2 + 0.8 * si, si) for si in s]
    res = meta_analysis(GenericData([str(i) for i in range(k)], y, s), Analysis("GENERIC", "fixed", "IV"))
    x = np.column_stack([np.ones(k), s])
    w = np.diag(1 / np.square(s))
    cov = np.linalg.inv(x.T @ w @ x)
    beta = cov @ x.T @ w @ np.array(y)
    z = beta[1] / math.sqrt(cov[1, 1])
    assert res.egger_p == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-10)


def test_huge_and_tiny_variances() -> None:
    y = [0.3, 0.5, -1.0, 2.0]
    s = [1e-6, 1e6, 1e-5, 1e5]
    res = meta_analysis(GenericData(list("abcd"), y, s), Analysis("GENERIC", "fixed", "IV"))
    w = [1 / Fraction(x) ** 2 for x in s]
    est = sum(a * Fraction(b) for a, b in zip(w, y, strict=True)) / sum(w)
    assert res.estimate == pytest.approx(float(est), rel=1e-12)
    assert res.se == pytest.approx(float(1 / sum(w)) ** 0.5, rel=1e-12)
    for method in ("DL", "REML", "PM"):
        r = meta_analysis(GenericData(list("abcd"), y, s), Analysis("GENERIC", "random", method))
        d = finite_json(r)
        assert r.converged and r.tau2 > 0 and 0 <= d["i2"] <= 100
        assert abs(sum(w for _, w in r.weights) - 100) < 1e-9
    with pytest.raises(ValueError, match="supported range"):
        meta_analysis(GenericData(["a", "b"], [0, 1], [1e-60, 1]), Analysis("GENERIC"))


def test_weights_percent_and_mh_weights() -> None:
    data = BinaryData(["a", "b", "c"], [4, 6, 3], [123, 306, 231], [11, 29, 11], [139, 303, 220])
    res = meta_analysis(data, Analysis("OR", "fixed", "MH"))
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
        Analysis("RR", "fixed", "REML")
    with pytest.raises(ValueError):
        Analysis("RR", "random", "MH")
    with pytest.raises(ValueError):
        Analysis("MD", "fixed", "MH")
    with pytest.raises(ValueError):
        Analysis("RR", "fixed", "IV", hksj=True)
    assert Analysis("OR", "fixed", "PETO").measure == "PETO_OR"
    with pytest.raises(ValueError):
        meta_analysis(GenericData(["a"], [0.1], [0.1]), Analysis("OR", "fixed", "MH"))


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
