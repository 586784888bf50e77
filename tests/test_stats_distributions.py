"""Pure-Python distribution functions against SciPy (test-only oracle), 1e-10 relative."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

scipy_stats = pytest.importorskip("scipy.stats")

from gradecli.stats import distributions as D  # noqa: E402

DFS = [1, 1.3, 1.5, 2, 2.5, 3, 4.7, 5, 10, 15.5, 29.5, 30, 45, 100, 1000, 12345.6, 1e5, 1e6]
TAILS = [0.9, 0.7, 0.5, 0.3, 0.1, 0.025, 1e-3, 1e-6, 1e-10, 1e-15, 1e-20, 1e-30, 1e-100]
REL = 1e-10


def rel(a: float, b: float) -> float:
    if b == 0.0:  # both underflow (e.g. the normal CDF at -40)
        return abs(a)
    return abs(a - b) / abs(b)


@pytest.mark.parametrize("df", DFS)
@pytest.mark.parametrize("p", TAILS)
def test_chi2_sf(df: float, p: float) -> None:
    x = scipy_stats.chi2.isf(p, df)
    assert rel(D.chi2_sf(x, df), scipy_stats.chi2.sf(x, df)) < REL


@pytest.mark.parametrize("df", DFS)
@pytest.mark.parametrize("p", TAILS)
def test_t_sf_cdf_and_quantiles(df: float, p: float) -> None:
    t = scipy_stats.t.isf(p, df)
    assert rel(D.t_sf(t, df), scipy_stats.t.sf(t, df)) < REL
    assert rel(D.t_cdf(t, df), scipy_stats.t.cdf(t, df)) < REL
    assert rel(D.t_sf(-t, df), scipy_stats.t.sf(-t, df)) < REL
    assert rel(D.t_cdf(-t, df), scipy_stats.t.cdf(-t, df)) < REL
    if p != 0.5:
        assert rel(D.t_isf(p, df), scipy_stats.t.isf(p, df)) < REL
        assert rel(D.t_ppf(p, df), scipy_stats.t.ppf(p, df)) < REL
    else:
        assert D.t_isf(p, df) == 0.0


@pytest.mark.parametrize("df", [1, 2.5, 30, 1e4, 1e6])
def test_t_dense_grid(df: float) -> None:
    # a dense grid of t values, both signs, across the switch between the two algorithms
    worst = 0.0
    for i in range(-60, 141):
        t = 10 ** (i / 40.0)  # 1e-1.5 .. 1e3.5
        for s in (t, -t):
            want = scipy_stats.t.sf(s, df)
            if want > 1e-300:
                worst = max(worst, rel(D.t_sf(s, df), want))
    assert worst < REL


@pytest.mark.parametrize("df", [1, 2, 7.5, 100, 1e5])
def test_chi2_dense_grid(df: float) -> None:
    worst = 0.0
    for i in range(-120, 281):
        x = 10 ** (i / 40.0)
        want = scipy_stats.chi2.sf(x, df)
        if want > 1e-300:
            worst = max(worst, rel(D.chi2_sf(x, df), want))
    assert worst < REL


@pytest.mark.parametrize("z", [-40.0, -8.0, -1.96, -0.5, 0.0, 0.3, 1.959963984540054, 5.0, 12.0, 37.0])
def test_normal(z: float) -> None:
    assert rel(D.norm_sf(z), scipy_stats.norm.sf(z)) < REL
    assert rel(D.norm_cdf(z), scipy_stats.norm.cdf(z)) < REL
    assert rel(D.norm_two_sided_p(z), 2 * scipy_stats.norm.sf(abs(z))) < REL


@pytest.mark.parametrize("p", [1e-300, 1e-30, 1e-10, 0.025, 0.3, 0.5, 0.975, 0.999])
def test_normal_quantiles(p: float) -> None:
    want = scipy_stats.norm.ppf(p)
    got = D.norm_ppf(p)
    assert abs(got - want) <= REL * abs(want) + 1e-15
    assert abs(D.norm_isf(p) - scipy_stats.norm.isf(p)) <= REL * abs(want) + 1e-15


def test_t_pdf() -> None:
    for df in (1, 3.5, 50, 1e6):
        for t in (0.0, 0.7, 3.0, 12.0):
            assert rel(D.t_pdf(t, df), scipy_stats.t.pdf(t, df)) < 1e-10


def test_edges() -> None:
    assert D.t_sf(0.0, 5) == 0.5
    assert D.t_sf(math.inf, 5) == 0.0
    assert D.t_sf(-math.inf, 5) == 1.0
    assert D.chi2_sf(0.0, 3) == 1.0
    assert D.chi2_sf(math.inf, 3) == 0.0
    with pytest.raises(ValueError):
        D.t_sf(1.0, 0)
    with pytest.raises(ValueError):
        D.chi2_sf(1.0, -1)


def test_runtime_does_not_import_scipy_or_numpy() -> None:
    code = (
        "import sys; import gradecli.stats, gradecli.stats.pooling, gradecli.stats.distributions;"
        "import gradecli.commands.meta;"
        "bad=[m for m in ('scipy','numpy','rich') if m in sys.modules]; print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
