"""Small-study tests (gradecli/stats/small_study.py) against R's metafor ``regtest`` and against an
independent weighted least-squares fit.

The reference values are in tests/fixtures/metafor/small-study/regtest-*.json, made by the R script
beside them (make.R, also copied into each file as ``r_script``); every case keeps the exact R
expression that produced it (``r_call``). Acceptance: every number within 1e-6 relative (+1e-12
absolute) of metafor's, both from the library functions and through an evidence file (the rule's
own choice of test, rows as a user writes them).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from scipy import stats
from test_grade_helpers import make_evidence

from gradecli.grade.context import build_context
from gradecli.grade.rules.pub_egger import PubEggerSettings, find_small_study_test
from gradecli.stats import BinaryData, PoolingSpec, meta_analysis
from gradecli.stats.small_study import from_egger, harbord_test, moderator_test, peters_test

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "metafor" / "small-study").glob("regtest-*.json"))
CASES = [(path, case) for path in FIXTURES for case in json.loads(path.read_text(encoding="utf-8"))["cases"]]
IDS = [f"{p.stem.removeprefix('regtest-')}:{c['id']}" for p, c in CASES]
KEYS = ("coef", "se", "stat", "pval", "intercept", "tau2")


def close(got: float, want: float) -> bool:
    return abs(got - want) <= 1e-6 * abs(want) + 1e-12


def check(got, want: dict) -> float:
    """Compare a SmallStudyRegression with metafor's numbers; returns the largest relative difference."""
    worst = 0.0
    assert got is not None
    assert got.k == want["k"]
    assert got.df == want["df"]
    for key in KEYS:
        if want.get(key) is None:
            continue
        mine = getattr(got, key)
        assert close(mine, want[key]), (key, mine, want[key])
        worst = max(worst, abs(mine - want[key]) / max(abs(want[key]), 1e-300))
    return worst


def doc(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_fixtures_record_their_r_code_and_versions():
    assert len(FIXTURES) == 3 and len(CASES) == 3 * 16
    for path in FIXTURES:
        d = doc(path)
        assert "metafor 3.8" in d["source"] and d["setup"].startswith("d <- ")
        assert d["r_script"].rstrip("\n") == (path.parent / "make.R").read_text(encoding="utf-8").rstrip("\n")
        for case in d["cases"]:
            assert case["r_call"]
    # Harbord's test as metafor's classical Egger regression on the Peto log ORs is the published one
    for path in FIXTURES:
        by_id = {c["id"]: c["expected"] for c in doc(path)["cases"]}
        lm, literal = by_id["harbord"], by_id["harbord-literal"]
        for key in ("coef", "se", "stat", "pval"):
            assert lm[key] == pytest.approx(literal[key], rel=1e-12)
        assert lm["intercept"] == pytest.approx(literal["slope"], rel=1e-12)


def _data(d: dict) -> BinaryData:
    s = d["studies"]
    return BinaryData(
        [x["study"] for x in s], [x["events_t"] for x in s], [x["n_t"] for x in s], [x["events_c"] for x in s],
        [x["n_c"] for x in s],
    )  # fmt: skip


@pytest.mark.parametrize(("path", "case"), CASES, ids=IDS)
def test_library_matches_metafor_regtest(path, case):
    d = doc(path)
    data = _data(d)
    want = case["expected"]
    if case["test"] == "harbord":
        got = harbord_test(data.events_t, data.n_t, data.events_c, data.n_c)
        check(got, want if case["id"] == "harbord" else {**want, "intercept": None})
        return
    measure = "PETO_OR" if case["method"] == "PETO" else "OR"
    res = meta_analysis(data, PoolingSpec(measure, case["model"], case["method"], hksj=case["hksj"]))
    if case["test"] == "egger":
        assert res.egger is not None
        check(from_egger(res.egger), want)
        return
    eff = res.effects
    assert eff is not None
    n = {x["study"]: x["n_t"] + x["n_c"] for x in d["studies"]}
    tau2_method = None if case["model"] == "fixed" else case["method"]
    check(peters_test(eff.yi, eff.vi, [n[label] for label in eff.labels], tau2_method, case["hksj"]), want)


def _evidence(d: dict, method: str, model: str, hksj: bool, generic: bool = False):
    if generic:  # the study-level log ORs as a user would give them, with each study's participants
        rows = [
            {"study": e["study"], "yi": e["yi"], "sei": math.sqrt(e["vi"]), "participants": e["ni"]}
            for e in d["study_effects"]
            if e["yi"] is not None
        ]
        out = {"type": "generic", "measure": "OR"}
    else:
        rows = [dict(s) for s in d["studies"]]
        out = {"type": "dichotomous", "measure": "PETO_OR" if method == "PETO" else "OR"}
    analysis = {"model": model, "method": method, "hksj": hksj}
    outcome = {"id": "o", "name": "o", "importance": "critical", **out, "data": rows, "analysis": analysis}
    ev = make_evidence(outcome, [{"id": r["study"], "design": "rct"} for r in rows])
    return build_context(ev, ev.outcomes[0])


@pytest.mark.parametrize(("path", "case"), CASES, ids=IDS)
def test_an_evidence_file_gets_metafor_regtest(path, case):
    """Through an evidence file: the rule's own choice of test (Peters' by default for odds ratios,
    Harbord's when the rule set asks), the analysis the file states."""
    d = doc(path)
    if case["id"] == "harbord-literal":
        pytest.skip("the same numbers as 'harbord'")
    method = case["method"] if case["test"] != "harbord" else "REML"  # Harbord's test ignores the model
    model = case["model"] if case["test"] != "harbord" else "random"
    ctx = _evidence(d, method, model, case["hksj"])
    if case["test"] == "egger":
        assert ctx.pooled is not None and ctx.pooled.egger is not None
        check(from_egger(ctx.pooled.egger), case["expected"])
        return
    found = find_small_study_test(ctx, PubEggerSettings(odds_ratio_test=case["test"]))
    assert found is not None and found.test.name == case["test"].capitalize() and not found.notes
    check(found.test, case["expected"])


@pytest.mark.parametrize(("path", "case"), [c for c in CASES if c[1]["test"] == "peters"], ids=lambda x: "")
def test_peters_from_generic_rows_with_participants(path, case):
    d = doc(path)
    if case["method"] in ("MH", "PETO"):
        pytest.skip("generic rows are pooled by inverse variance")
    ctx = _evidence(d, case["method"], case["model"], case["hksj"], generic=True)
    found = find_small_study_test(ctx, PubEggerSettings())
    assert found is not None and found.test.name == "Peters"
    check(found.test, case["expected"])


def test_max_difference_from_metafor_is_reported():
    """The largest relative difference over every case, library path (printed with -s)."""
    worst = 0.0
    for path, case in CASES:
        d = doc(path)
        data = _data(d)
        if case["test"] != "peters":
            continue
        measure = "PETO_OR" if case["method"] == "PETO" else "OR"
        res = meta_analysis(data, PoolingSpec(measure, case["model"], case["method"], hksj=case["hksj"]))
        eff = res.effects
        n = {x["study"]: x["n_t"] + x["n_c"] for x in d["studies"]}
        tau2_method = None if case["model"] == "fixed" else case["method"]
        got = peters_test(eff.yi, eff.vi, [n[label] for label in eff.labels], tau2_method, case["hksj"])
        worst = max(worst, check(got, case["expected"]))
    print(f"largest relative difference from metafor (Peters): {worst:.2e}")
    assert worst < 1e-8


# --- independent weighted least squares (numpy), and the edges -----------------------------------


def _wls(y, v, x, residual_variance: bool):
    np = pytest.importorskip("numpy")
    y, v, x = map(np.asarray, (y, v, x))
    w = 1.0 / v
    design = np.column_stack([np.ones_like(x), x])
    cov = np.linalg.inv(design.T @ (w[:, None] * design))
    b = cov @ (design.T @ (w * y))
    if residual_variance:
        e = y - design @ b
        cov = cov * float((w * e * e).sum()) / (len(y) - 2)
    return b, cov


def test_peters_fixed_effect_is_a_weighted_regression_on_one_over_n():
    y = [0.9, 0.4, 0.55, 0.2, 0.35, 0.1, 0.3, 0.05, 0.25, 0.15, 0.12]
    n = [40, 60, 80, 120, 150, 200, 260, 400, 500, 900, 1500]
    v = [4.0 / ni for ni in n]
    got = peters_test(y, v, n, None)
    b, cov = _wls(y, v, [1 / ni for ni in n], residual_variance=False)
    assert got.coef == pytest.approx(b[1], rel=1e-10) and got.intercept == pytest.approx(b[0], rel=1e-10)
    assert got.se == pytest.approx(math.sqrt(cov[1, 1]), rel=1e-10)
    assert got.pval == pytest.approx(2 * stats.norm.sf(abs(b[1] / math.sqrt(cov[1, 1]))), rel=1e-10)
    assert got.test == "z" and got.df is None and got.predictor == "1/n" and got.coef > 0


def test_harbord_is_the_intercept_of_z_over_root_v_on_root_v():
    np = pytest.importorskip("numpy")
    a = [3, 8, 5, 12, 20, 9, 30, 15, 41, 7, 2]
    n1 = [20, 50, 40, 90, 150, 80, 300, 120, 400, 60, 15]
    c = [6, 10, 9, 15, 22, 14, 35, 20, 44, 12, 5]
    n2 = [20, 50, 42, 88, 150, 82, 298, 120, 401, 61, 16]
    got = harbord_test(a, n1, c, n2)
    z, vv = [], []
    for ai, n1i, ci, n2i in zip(a, n1, c, n2, strict=True):
        big_n, m1 = n1i + n2i, ai + ci
        z.append(ai - m1 * n1i / big_n)
        vv.append(m1 * (big_n - m1) * n1i * n2i / (big_n**2 * (big_n - 1)))
    zs, rv = np.array(z) / np.sqrt(vv), np.sqrt(vv)
    fit = stats.linregress(rv, zs)
    assert got.coef == pytest.approx(fit.intercept, rel=1e-9)
    assert got.se == pytest.approx(fit.intercept_stderr, rel=1e-9)
    t = fit.intercept / fit.intercept_stderr
    assert got.pval == pytest.approx(2 * stats.t.sf(abs(t), len(a) - 2), rel=1e-9)
    assert got.test == "t" and got.df == len(a) - 2 and got.method == "lm"


def test_harbord_leaves_out_double_zero_tables_and_refuses_impossible_ones():
    a, n1, c, n2 = [0, 3, 5, 2], [10, 20, 30, 25], [0, 4, 6, 5], [12, 22, 33, 24]
    assert harbord_test(a, n1, c, n2, min_k=3).k == 3
    assert harbord_test(a, n1, c, n2, min_k=4) is None  # 3 informative tables
    assert harbord_test([5, 3, 5], [4, 20, 30], [1, 4, 6], [12, 22, 33], min_k=3) is None  # 5 events of 4


def test_too_few_studies_or_a_constant_moderator_gives_no_result():
    y, v = [0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4]
    assert peters_test(y, v, [10, 20, 30, 40], None, min_k=10) is None
    assert peters_test(y[:2], v[:2], [10, 20], None, min_k=1) is None  # floor 3: a residual df
    assert peters_test(y, v, [50, 50, 50, 50], None, min_k=3) is None  # 1/N constant
    assert peters_test(y, v, [50, 0, 50, 50], None, min_k=3) is None  # no size
    assert moderator_test(y, v, [1, 2, 3], None, min_k=3) is None  # lengths differ
    got = peters_test(y, v, [10, 20, 30, 40], "REML", hksj=True, min_k=3)
    assert got is not None and got.test == "t" and got.df == 2 and got.method == "rma (REML)"
