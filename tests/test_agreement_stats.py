"""Inter-rater agreement statistics (gradecli.stats.agreement) against independent references.

Every value is compared with something other than gradecli: scikit-learn (kappa point estimates),
statsmodels (kappa's non-null standard error and interval; the Wilson interval), the irrCAC package
(AC1/AC2 and their standard errors, stored in tests/fixtures/agreement/irrcac_reference.json and,
where irrCAC is installed, recomputed live), the krippendorff package, and published worked
examples (Gwet 2014, Krippendorff 2011). See tests/fixtures/agreement/SOURCE.md.
"""

from __future__ import annotations

import json
import math
import random
import warnings
from pathlib import Path
from typing import Any

import pytest

from gradecli.stats.agreement import (
    NOTE_NO_UNITS,
    NOTE_NO_VARIATION,
    NOTE_ONE_CATEGORY,
    NOTE_ONE_UNIT,
    NOTE_TOO_FEW_VALUES,
    Agreement,
    cohen_kappa,
    gwet_ac1,
    krippendorff_alpha,
    observed_agreement,
)

TOL = 1e-9
FIXTURES = Path(__file__).parent / "fixtures" / "agreement"
REFERENCE = json.loads((FIXTURES / "irrcac_reference.json").read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = REFERENCE["cases"]
CERTAINTY = ["high", "moderate", "low", "very low"]
DOMAIN = ["not serious", "serious", "very serious", "extremely serious"]
WEIGHTS = [None, "linear", "quadratic"]
Z = 1.959963984540054


def close(x: float | None, y: float, tol: float = TOL) -> bool:
    return x is not None and abs(x - y) <= tol


def complete(a: list[Any], b: list[Any]) -> tuple[list[Any], list[Any]]:
    kept = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    return [x for x, _ in kept], [y for _, y in kept]


def table_of(a: list[Any], b: list[Any], categories: list[Any]) -> list[list[int]]:
    t = [[0] * len(categories) for _ in categories]
    for x, y in zip(*complete(a, b), strict=True):
        t[categories.index(x)][categories.index(y)] += 1
    return t


def _random_pairs(seed: int, n: int, categories: list[str], p_same: float, used: int | None = None):
    rng = random.Random(seed)
    pool = categories[: used or len(categories)]
    a = [rng.choice(pool) for _ in range(n)]
    b = [x if rng.random() < p_same else rng.choice(pool) for x in a]
    return a, b


# Rating vectors for the point estimates: the fixture's, random ones, and hand-made ones (with
# categories that nobody used, and with missing ratings).
HANDMADE: list[tuple[str, list[Any], list[Any], list[Any]]] = [
    *((c["name"], c["a"], c["b"], c["categories"]) for c in CASES),
    ("random_80_certainty", *_random_pairs(7, 80, CERTAINTY, 0.5), CERTAINTY),
    ("random_33_domain_two_used", *_random_pairs(11, 33, DOMAIN, 0.7, used=2), DOMAIN),
    ("random_15_binary", *_random_pairs(3, 15, ["no", "yes"], 0.4), ["no", "yes"]),
    (
        "handmade_missing_and_unused",
        ["high", "high", "moderate", None, "low", "moderate", "high", "low", None, "moderate"],
        ["high", "moderate", "moderate", "low", "low", None, "high", "moderate", "high", "low"],
        CERTAINTY,
    ),
    (
        "handmade_extremes_only",
        ["not serious", "extremely serious", "not serious", "not serious", "extremely serious"],
        ["not serious", "extremely serious", "extremely serious", "not serious", "not serious"],
        DOMAIN,
    ),
    ("handmade_numbers", [1, 2, 3, 5, 5, 1, 2], [1, 3, 3, 5, 4, 2, 2], [1, 2, 3, 4, 5]),
]
HANDMADE_IDS = [h[0] for h in HANDMADE]


# --------------------------------------------------------------------------------------------------
# Cohen's kappa


@pytest.mark.parametrize("weights", WEIGHTS)
@pytest.mark.parametrize(("name", "a", "b", "categories"), HANDMADE, ids=HANDMADE_IDS)
def test_kappa_point_estimate_matches_sklearn(name, a, b, categories, weights):
    metrics = pytest.importorskip("sklearn.metrics")
    ca, cb = complete(a, b)
    expected = metrics.cohen_kappa_score(ca, cb, labels=categories, weights=weights)
    got = cohen_kappa(a, b, categories, weights)
    assert close(got.estimate, float(expected)), (got, expected)
    assert got.n == len(ca)
    assert got.n_missing == len(a) - len(ca)
    assert got.statistic == ("cohen_kappa" if weights is None else f"weighted_kappa_{weights}")


def _statsmodels_kappa(table: list[list[int]], weights: str | None):
    np = pytest.importorskip("numpy")
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    t = np.asarray(table, dtype=float)
    if weights is None:
        return inter_rater.cohens_kappa(t, return_results=True)
    # Scores 0..k-1 with wt="linear"/"quadratic": disagreement weights |i-j|/(k-1) and
    # ((i-j)/(k-1))^2, i.e. the agreement weights 1 - those (statsmodels' SAS-manual branch).
    return inter_rater.cohens_kappa(t, weights=np.arange(len(table)), wt=weights, return_results=True)


@pytest.mark.parametrize("weights", WEIGHTS)
@pytest.mark.parametrize(("name", "a", "b", "categories"), HANDMADE, ids=HANDMADE_IDS)
def test_kappa_se_and_ci_match_statsmodels(name, a, b, categories, weights):
    res = _statsmodels_kappa(table_of(a, b, categories), weights)
    got = cohen_kappa(a, b, categories, weights)
    # statsmodels' std_kappa is the non-null asymptotic SE (Fleiss, Cohen & Everitt 1969), and its
    # interval is kappa ± norm.isf(0.025)·std_kappa; std_kappa0 is the SE under kappa = 0.
    assert close(got.estimate, float(res["kappa"]))
    assert close(got.se, float(res["std_kappa"])), (got.se, res["std_kappa"])
    assert close(got.ci_lb, float(res["kappa_low"]))
    assert close(got.ci_ub, float(res["kappa_upp"]))


@pytest.mark.parametrize("weights", WEIGHTS)
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_kappa_se_matches_irrcac_table_formula(case, weights):
    ref = case["irrcac"]["none" if weights is None else weights]
    got = cohen_kappa(case["a"], case["b"], case["categories"], weights)
    assert close(got.estimate, ref["table_cohen_coefficient"])
    assert close(got.se, ref["table_cohen_se"])


def test_kappa_reports_the_non_null_se_not_the_null_one():
    # A 2x2 table with kappa far from 0, where the two standard errors differ clearly.
    res = _statsmodels_kappa([[20, 5], [10, 15]], None)
    a = ["y"] * 25 + ["n"] * 25
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    got = cohen_kappa(a, b, ["y", "n"])
    assert abs(float(res["std_kappa"]) - float(res["std_kappa0"])) > 1e-3
    assert close(got.se, float(res["std_kappa"]))


def test_kappa_hand_computed_2x2():
    # [[20, 5], [10, 15]]: p_o = 0.7, p_e = 0.5*0.6 + 0.5*0.4 = 0.5, kappa = 0.4.
    a = ["y"] * 25 + ["n"] * 25
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert close(cohen_kappa(a, b, ["y", "n"]).estimate, 0.4, 1e-12)


# --------------------------------------------------------------------------------------------------
# Gwet's AC1 / AC2


@pytest.mark.parametrize("weights", WEIGHTS)
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_gwet_matches_stored_irrcac(case, weights):
    ref = case["irrcac"]["none" if weights is None else weights]
    got = gwet_ac1(case["a"], case["b"], case["categories"], weights)
    n = len(case["a"])
    assert got.statistic == ("gwet_ac1" if weights is None else f"gwet_ac2_{weights}")
    # irrCAC.table.CAC(...).gwet(): Gwet's two-rater formula; N = inf, so f = 0.
    assert close(got.estimate, ref["table_gwet_coefficient"])
    assert close(got.se, ref["table_gwet_se"]), (got.se, ref["table_gwet_se"])
    assert close(got.ci_lb, ref["table_gwet_coefficient"] - Z * ref["table_gwet_se"])
    assert close(got.ci_ub, ref["table_gwet_coefficient"] + Z * ref["table_gwet_se"])
    # irrCAC.raw.CAC(...).gwet(): same coefficient; its multi-rater variance (f = 0) is the sum of
    # squared linearised unit terms over n(n - 1), which for two raters with no missing ratings is
    # the two-rater variance times n/(n - 1).
    assert close(got.estimate, ref["raw_gwet_coefficient"])
    assert close(got.se, ref["raw_gwet_se"] * math.sqrt((n - 1) / n))


@pytest.mark.parametrize("weights", WEIGHTS)
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_gwet_matches_irrcac_live(case, weights):
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    raw = pytest.importorskip("irrCAC.raw")
    table_mod = pytest.importorskip("irrCAC.table")
    cats = case["categories"]
    irr_weights = "identity" if weights is None else weights
    frame = pd.DataFrame(table_of(case["a"], case["b"], cats), index=cats, columns=cats)
    t = table_mod.CAC(frame, weights=irr_weights, digits=15).gwet()["est"]
    scores = {c: float(i + 1) for i, c in enumerate(cats)}
    df = pd.DataFrame({"r1": [scores[x] for x in case["a"]], "r2": [scores[x] for x in case["b"]]})
    r = raw.CAC(df, weights=irr_weights, categories=list(scores.values()), digits=15).gwet()["est"]
    got = gwet_ac1(case["a"], case["b"], cats, weights)
    n = len(case["a"])
    assert close(got.estimate, float(np.ravel(t["coefficient_value"])[0]))
    assert close(got.se, float(np.ravel(t["se"])[0]))
    assert close(got.estimate, float(r["coefficient_value"]))
    assert close(got.se, float(r["se"]) * math.sqrt((n - 1) / n))


def _gwet2008_ac1_variance(a: list[Any], b: list[Any], categories: list[Any]) -> tuple[float, float]:
    """AC1 and its variance (f = 0) in the expanded form printed by Gwet (2008) for two raters:
    v = [pa(1 - pa) - 4(1 - g)(Σ_k p_kk(1 - π_k)/(q - 1) - pa·pe)
         + 4(1 - g)²(Σ_kl p_kl(1 - (π_k + π_l)/2)²/(q - 1)² - pe²)] / (n (1 - pe)²)."""
    t = table_of(a, b, categories)
    q = len(categories)
    n = sum(map(sum, t))
    p = [[x / n for x in row] for row in t]
    pi = [(sum(p[k]) + sum(p[i][k] for i in range(q))) / 2 for k in range(q)]
    pa = sum(p[k][k] for k in range(q))
    pe = sum(x * (1 - x) for x in pi) / (q - 1)
    g = (pa - pe) / (1 - pe)
    s1 = sum(p[k][k] * (1 - pi[k]) for k in range(q)) / (q - 1)
    s2 = sum(p[k][m] * (1 - (pi[k] + pi[m]) / 2) ** 2 for k in range(q) for m in range(q)) / (q - 1) ** 2
    v = (pa * (1 - pa) - 4 * (1 - g) * (s1 - pa * pe) + 4 * (1 - g) ** 2 * (s2 - pe**2)) / (n * (1 - pe) ** 2)
    return g, v


@pytest.mark.parametrize(("name", "a", "b", "categories"), HANDMADE, ids=HANDMADE_IDS)
def test_ac1_variance_matches_gwet_2008_expanded_formula(name, a, b, categories):
    ca, cb = complete(a, b)
    g, v = _gwet2008_ac1_variance(ca, cb, categories)
    got = gwet_ac1(a, b, categories)
    assert close(got.estimate, g)
    assert close(got.se, math.sqrt(v))


def test_gwet_published_example_abstractors():
    # Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed.: 100 pregnant women classified by
    # two abstractors; AC1 = 0.84933 (SE 0.04322), quadratic AC2 = 0.94024 (SE 0.01792), as printed
    # (5 decimals) in the documentation of irrCAC.table.
    case = next(c for c in CASES if c["name"] == "gwet2014_abstractors_100")
    assert table_of(case["a"], case["b"], case["categories"]) == [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
    ac1 = gwet_ac1(case["a"], case["b"], case["categories"])
    ac2 = gwet_ac1(case["a"], case["b"], case["categories"], "quadratic")
    assert close(ac1.estimate, 0.84933, 5e-6) and close(ac1.se, 0.04322, 5e-6)
    assert close(ac2.estimate, 0.94024, 5e-6) and close(ac2.se, 0.01792, 5e-6)


# --------------------------------------------------------------------------------------------------
# Observed agreement (Wilson interval)


@pytest.mark.parametrize(("name", "a", "b", "categories"), HANDMADE, ids=HANDMADE_IDS)
def test_observed_agreement_wilson_matches_statsmodels(name, a, b, categories):
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    ca, cb = complete(a, b)
    agree = sum(1 for x, y in zip(ca, cb, strict=True) if x == y)
    lb, ub = proportion.proportion_confint(agree, len(ca), alpha=0.05, method="wilson")
    got = observed_agreement(a, b)
    assert close(got.estimate, agree / len(ca))
    assert close(got.ci_lb, float(lb)) and close(got.ci_ub, float(ub))
    assert got.n == len(ca) and got.n_missing == len(a) - len(ca)


@pytest.mark.parametrize(("x", "n"), [(0, 1), (1, 1), (0, 7), (7, 7), (1, 2), (49, 50), (3, 1000)])
def test_wilson_extremes_match_statsmodels(x, n):
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    a = ["a"] * n
    b = ["a"] * x + ["b"] * (n - x)
    lb, ub = proportion.proportion_confint(x, n, alpha=0.05, method="wilson")
    got = observed_agreement(a, b)
    assert close(got.ci_lb, float(lb)) and close(got.ci_ub, float(ub))
    assert got.ci_lb is not None and got.ci_ub is not None
    assert 0.0 <= got.ci_lb <= got.ci_ub <= 1.0


def test_wilson_hand_computed():
    # x = 3, n = 4: centre = (0.75 + z²/8)/(1 + z²/4), half = z/(1 + z²/4)·√(0.75·0.25/4 + z²/64).
    z2 = Z * Z
    centre = (0.75 + z2 / 8) / (1 + z2 / 4)
    half = Z / (1 + z2 / 4) * math.sqrt(0.75 * 0.25 / 4 + z2 / 64)
    got = observed_agreement([1, 1, 2, 2], [1, 1, 2, 3])
    assert close(got.ci_lb, centre - half) and close(got.ci_ub, centre + half)
    assert close(got.se, math.sqrt(0.75 * 0.25 / 4))


# --------------------------------------------------------------------------------------------------
# Krippendorff's alpha

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers × 12 units, values
# 1-5, with missing data (section C).
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def _krippendorff_package(ratings: list[list[Any]], categories: list[Any], level: str) -> float:
    np = pytest.importorskip("numpy")
    kd = pytest.importorskip("krippendorff")
    pos = {c: float(i + 1) for i, c in enumerate(categories)}
    data = np.array([[np.nan if v is None else pos[v] for v in r] for r in ratings], dtype=float)
    domain = [float(i + 1) for i in range(len(categories))]
    return float(kd.alpha(reliability_data=data, value_domain=domain, level_of_measurement=level))


def _random_ratings(seed: int, raters: int, units: int, categories: list[Any], p_missing: float):
    rng = random.Random(seed)
    truth = [rng.randrange(len(categories)) for _ in range(units)]
    out = []
    for _ in range(raters):
        row: list[Any] = []
        for t in truth:
            if rng.random() < p_missing:
                row.append(None)
            else:
                j = min(len(categories) - 1, max(0, t + rng.choice([-1, 0, 0, 0, 1])))
                row.append(categories[j])
        out.append(row)
    return out


ALPHA_DATA = [
    ("krippendorff2011", K2011, [1, 2, 3, 4, 5]),
    ("random_3x30_missing", _random_ratings(5, 3, 30, CERTAINTY, 0.2), CERTAINTY),
    ("random_5x12_missing", _random_ratings(9, 5, 12, DOMAIN, 0.35), DOMAIN),
    ("random_2x40_complete", _random_ratings(13, 2, 40, DOMAIN, 0.0), DOMAIN),
    ("binary_4x10", _random_ratings(17, 4, 10, ["no", "yes"], 0.1), ["no", "yes"]),
]


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
@pytest.mark.parametrize(("name", "ratings", "categories"), ALPHA_DATA, ids=[d[0] for d in ALPHA_DATA])
def test_alpha_matches_krippendorff_package(name, ratings, categories, level):
    expected = _krippendorff_package(ratings, categories, level)
    got = krippendorff_alpha(ratings, categories, level)
    assert close(got.estimate, expected), (got, expected)
    assert got.se is None and got.ci_lb is None and got.ci_ub is None
    assert got.statistic == f"krippendorff_alpha_{level}"


def test_alpha_krippendorff_2011_published_values():
    # Published: nominal α = 0.743 (Krippendorff 2011, section C); ordinal α = 0.815 (the same
    # example, as quoted with its page in the krippendorff package's documentation).
    nominal = krippendorff_alpha(K2011, [1, 2, 3, 4, 5], "nominal")
    ordinal = krippendorff_alpha(K2011, [1, 2, 3, 4, 5], "ordinal")
    assert nominal.estimate is not None and round(nominal.estimate, 3) == 0.743
    assert ordinal.estimate is not None and round(ordinal.estimate, 3) == 0.815
    # 11 pairable units (unit 12 has one value), 40 pairable values (hand count).
    assert nominal.n == 11 and nominal.n_missing == 1


def test_alpha_two_raters_complete_nominal_hand_computed():
    # Two raters, no missing ratings, N units: n = 2N pairable values, each unit adds its two ordered
    # pairs to the coincidence matrix, so α_nominal = 1 - (n - 1)·2·(disagreements) / (n² - Σ_c n_c²).
    a = ["x", "x", "y", "y", "z", "x"]
    b = ["x", "y", "y", "y", "z", "z"]
    n = 12
    counts = {"x": 4, "y": 5, "z": 3}
    disagreements = 2
    expected = 1 - (n - 1) * (2 * disagreements) / (n * n - sum(v * v for v in counts.values()))
    got = krippendorff_alpha([a, b], ["x", "y", "z"], "nominal")
    assert close(got.estimate, expected)


# --------------------------------------------------------------------------------------------------
# Edge cases


def test_perfect_agreement():
    a = ["high", "low", "moderate", "very low", "low", "high"]
    assert observed_agreement(a, a).estimate == 1.0
    assert observed_agreement(a, a).ci_ub == 1.0
    for weights in WEIGHTS:
        k = cohen_kappa(a, a, CERTAINTY, weights)
        g = gwet_ac1(a, a, CERTAINTY, weights)
        assert close(k.estimate, 1.0, 1e-12) and close(k.se, 0.0, 1e-12)
        assert close(k.ci_lb, 1.0, 1e-12) and close(k.ci_ub, 1.0, 1e-12)
        assert close(g.estimate, 1.0, 1e-12) and close(g.se, 0.0, 1e-12)
        assert k.note is None and g.note is None
    for level in ("nominal", "ordinal", "interval"):
        assert close(krippendorff_alpha([a, a, a], CERTAINTY, level).estimate, 1.0, 1e-12)


def test_one_category_only():
    a = ["serious"] * 8
    kappa = cohen_kappa(a, a, DOMAIN)
    assert kappa.estimate is None and kappa.se is None and kappa.ci_lb is None and kappa.ci_ub is None
    assert kappa.note == "undefined: chance agreement is 1 (one category only)" == NOTE_ONE_CATEGORY
    assert kappa.n == 8 and kappa.n_missing == 0
    assert cohen_kappa(a, a, DOMAIN, "quadratic").note == NOTE_ONE_CATEGORY
    ac1 = gwet_ac1(a, a, DOMAIN)
    assert ac1.estimate == 1.0 and close(ac1.se, 0.0, 1e-12)
    assert gwet_ac1(a, a, DOMAIN, "linear").estimate == 1.0
    assert observed_agreement(a, a).estimate == 1.0
    alpha = krippendorff_alpha([a, a], DOMAIN)
    assert alpha.estimate is None and alpha.note == NOTE_NO_VARIATION
    # sklearn agrees that kappa is not a number here (0/0).
    metrics = pytest.importorskip("sklearn.metrics")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # UndefinedMetricWarning or RuntimeWarning, by version
        assert math.isnan(metrics.cohen_kappa_score(a, a, labels=DOMAIN))


def test_one_category_each_but_different_is_defined():
    # Rater a always "high", rater b always "low": p_e = 0, kappa = 0 (not the one-category case).
    a, b = ["high"] * 5, ["low"] * 5
    metrics = pytest.importorskip("sklearn.metrics")
    k = cohen_kappa(a, b, CERTAINTY)
    assert close(k.estimate, float(metrics.cohen_kappa_score(a, b, labels=CERTAINTY)))
    assert k.note is None


def test_all_missing():
    a = [None, "high", None]
    b = ["low", None, None]
    for result in (
        observed_agreement(a, b),
        cohen_kappa(a, b, CERTAINTY),
        cohen_kappa(a, b, CERTAINTY, "linear"),
        gwet_ac1(a, b, CERTAINTY),
    ):
        assert result.estimate is None and result.se is None and result.ci_lb is None and result.ci_ub is None
        assert result.n == 0 and result.n_missing == 3
        assert result.note == NOTE_NO_UNITS
    alpha = krippendorff_alpha([a, b], CERTAINTY)
    assert alpha.estimate is None and alpha.note == NOTE_TOO_FEW_VALUES
    assert alpha.n == 0 and alpha.n_missing == 3
    empty = observed_agreement([], [])
    assert empty.estimate is None and empty.n == 0 and empty.n_missing == 0


def test_single_unit():
    metrics = pytest.importorskip("sklearn.metrics")
    # Agreeing on one unit: one category used by both.
    assert cohen_kappa(["low"], ["low"], CERTAINTY).note == NOTE_ONE_CATEGORY
    assert gwet_ac1(["low"], ["low"], CERTAINTY).estimate == 1.0
    # Disagreeing on one unit: kappa is defined (0 here, as sklearn says) but has no SE.
    k = cohen_kappa(["low"], ["high"], CERTAINTY)
    assert close(k.estimate, float(metrics.cohen_kappa_score(["low"], ["high"], labels=CERTAINTY)))
    assert k.se is None and k.ci_lb is None and k.note == NOTE_ONE_UNIT and k.n == 1
    g = gwet_ac1(["low"], ["high"], CERTAINTY, "quadratic")
    assert g.estimate is not None and g.se is None and g.note == NOTE_ONE_UNIT
    o = observed_agreement(["low"], ["high"])
    assert o.estimate == 0.0 and o.n == 1
    # Alpha from one unit rated by three raters: defined when the values vary.
    expected = _krippendorff_package([["low"], ["high"], ["low"]], CERTAINTY, "nominal")
    assert close(krippendorff_alpha([["low"], ["high"], ["low"]], CERTAINTY).estimate, expected)


def test_alpha_too_few_pairable_values():
    # Every unit has at most one rating.
    ratings = [["high", None, None], [None, "low", None], [None, None, "moderate"]]
    got = krippendorff_alpha(ratings, CERTAINTY, "ordinal")
    assert got.estimate is None and got.note == NOTE_TOO_FEW_VALUES and got.n == 0 and got.n_missing == 3
    assert krippendorff_alpha([["high", "low"]], CERTAINTY).note == NOTE_TOO_FEW_VALUES  # one rater
    assert krippendorff_alpha([], CERTAINTY).note == NOTE_TOO_FEW_VALUES


def test_alpha_no_variation_but_missing():
    ratings = [["low", "low", None], ["low", None, "low"], [None, "low", "low"]]
    got = krippendorff_alpha(ratings, CERTAINTY, "interval")
    assert got.estimate is None and got.note == NOTE_NO_VARIATION and got.n == 3


def test_missing_ratings_are_dropped_pairwise():
    metrics = pytest.importorskip("sklearn.metrics")
    a = ["high", None, "low", "low", "moderate", "high", None]
    b = ["high", "low", None, "low", "low", "high", "high"]
    k = cohen_kappa(a, b, CERTAINTY, "linear")
    expected = metrics.cohen_kappa_score(
        ["high", "low", "moderate", "high"], ["high", "low", "low", "high"], labels=CERTAINTY, weights="linear"
    )
    assert close(k.estimate, float(expected))
    assert (k.n, k.n_missing) == (4, 3)


def test_bad_input_is_rejected():
    with pytest.raises(ValueError, match="different numbers"):
        cohen_kappa(["high"], ["high", "low"], CERTAINTY)
    with pytest.raises(ValueError, match="not one of the categories"):
        gwet_ac1(["high", "lowish"], ["high", "low"], CERTAINTY)
    with pytest.raises(ValueError, match="not one of the categories"):
        cohen_kappa(["high", "lowish"], ["high", None], CERTAINTY)  # checked even on a dropped unit
    with pytest.raises(ValueError, match="twice"):
        cohen_kappa(["high"], ["high"], ["high", "high"])
    with pytest.raises(ValueError, match="at least two"):
        gwet_ac1(["high"], ["high"], ["high"])
    with pytest.raises(ValueError, match="weights"):
        cohen_kappa(["high"], ["high"], CERTAINTY, "cubic")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha([["high"]], CERTAINTY, "ratio")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="same units"):
        krippendorff_alpha([["high"], ["high", "low"]], CERTAINTY)
    with pytest.raises(ValueError, match="not one of the categories"):
        krippendorff_alpha([["high"], ["mid"]], CERTAINTY)


def test_result_is_frozen():
    r = observed_agreement(["a"], ["a"])
    assert isinstance(r, Agreement)
    with pytest.raises(AttributeError):
        r.estimate = 0.5  # type: ignore[misc]
