"""Numerical guarantees (issue 9, "hostile and broken input"), one test per guarantee.

* Extreme inputs — events = total in both arms, no events, one or two studies, identical effects,
  SDs of 5e-324, 1e-300, 1e300 and 0, 10⁶ and 10⁹ participants, CIs from 1e-6 to 1e6 and from
  1e-300 to 1e300, SEs at and beyond 1e-50 and 1e50, estimates of 1e100 and 1e308, mixtures — give
  a defined, finite result (checked against exact fractions, SciPy or metafor's formulas where a
  value exists) or a clear error: ``NotEstimableError`` / ``StudyValueError`` from the library, a
  "Not estimable: reason" row in the reports, ``FILE:LINE:COL: field: message`` and exit 2 from
  ``gradecli meta``.
* No NaN or inf ever reaches an output: JSON is parsed with a ``parse_constant`` that raises, text
  outputs (table, profile, detail, Markdown, HTML, CSV, meta's table) are searched for nan/inf tokens.
* Iterative estimators are bounded: REML and PM stop after their maximum number of steps with a
  non-convergence warning (in the result, the JSON and the assessment), and the distribution
  functions converge in a bounded number of steps for extreme arguments (asserted on counts,
  never on wall-clock time).
* Regressions for the crashes the fuzzing helper found in the numerics (/tmp/fuzz-crashes/LOG.md).
"""

from __future__ import annotations

import json
import math
import re
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import run_cli
from gradecli.stats import (
    BinaryData,
    ContinuousData,
    GenericData,
    NotEstimableError,
    PoolingSpec,
    meta_analysis,
)
from gradecli.stats.effects import StudyValueError

Z = 1.959963984540054
NONFINITE = re.compile(r"(?<![A-Za-z])(nan|inf|infinity)(?![A-Za-z])", re.IGNORECASE)


def _refuse(name: str) -> float:
    raise AssertionError(f"non-finite number {name} in JSON output")


def strict_json(text: str) -> object:
    """Parse JSON, failing on NaN, Infinity and -Infinity (which Python's json accepts by default)."""
    return json.loads(text, parse_constant=_refuse)


def assert_no_nonfinite_text(text: str) -> None:
    found = NONFINITE.search(text)
    assert found is None, f"{found.group(0)!r} in output: ...{text[max(0, found.start() - 80) : found.end() + 80]}..."


def all_floats_finite(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(all_floats_finite(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(all_floats_finite(v) for v in value)
    return True


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run a gradecli command in-process (much faster than ``run_cli``); a crash re-raises with its
    traceback instead of becoming exit 3."""
    from click.testing import CliRunner

    from gradecli.cli import cli

    result = CliRunner().invoke(cli, list(args), env={"NO_COLOR": "1", **(env or {})})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# Fuzz regressions (/tmp/fuzz-crashes/LOG.md): each used to exit 3 (internal error)

FUZZ_CASES = {
    # 1b: yi = 1e12 on the log-OR scale: prediction interval and axis limits overflowed exp()
    "pi-overflow": """
outcomes:
  - id: death
    name: Death
    importance: critical
    type: generic
    measure: OR
    data:
      - {study: A, yi: 0.1, sei: 0.1}
      - {study: B, yi: 0.2, sei: 0.1}
      - {study: C, yi: 1.0e12, sei: 0.1}
""",
    # 3: a CI upper limit of 1.8e308: the text forest axis divided inf by inf
    "huge-ci": """
outcomes:
  - id: pain
    name: Pain
    importance: critical
    type: generic
    measure: MD
    data:
      - {study: A, estimate: -0.2, ci: [-0.6, 0.3]}
      - {study: B, estimate: 0.0, ci: [-0.6, 1.7976931348623157e+308]}
""",
    # 4: a certainty override on an outcome with no estimate (the footnote read computed.value)
    "override-no-estimate": """
outcomes:
  - id: death
    name: Death
    importance: critical
    type: dichotomous
    summary: {studies: 3}
    judgements:
      certainty: {rating: low, reason: Only three small studies reported it.}
""",
    # 5: assumed risk 1e-300: the optimal information size divided by an underflowed (p0 - p1)^2
    "ois-tiny-risk": """
outcomes:
  - id: death
    name: Death
    importance: critical
    type: dichotomous
    assumed_risk: {value: 1.0e-300}
    data:
      - {study: A, events_t: 100, n_t: 1000, events_c: 300, n_c: 1000}
""",
    # 6: a log-scale row limit of exp(1e12) and a threshold of 1.8e308 in the text forest plot
    "log-axis-overflow": """
outcomes:
  - id: death
    name: Death
    importance: critical
    type: generic
    measure: RR
    data:
      - {study: A, yi: 1.0e12, sei: 455646.86}
""",
    "huge-threshold": """
outcomes:
  - id: pain
    name: Pain
    importance: critical
    type: continuous
    thresholds: {mid: 1, large: 1.7976931348623157e+308}
    data:
      - {study: A, mean_t: 1, sd_t: 1, n_t: 20, mean_c: 2, sd_c: 1, n_c: 20}
""",
    # 8: a ratio of 5e-324 with CI up to 1e-300: the log axis limit underflowed to 0
    "log-axis-zero": """
outcomes:
  - id: death
    name: Death
    importance: critical
    type: generic
    measure: RR
    data:
      - {study: A, estimate: 5.0e-324, ci: [5.0e-324, 1.0e-300]}
""",
}
HEAD = "gradecli: 1\nreview: {title: Fuzz regression}\nstudies:\n  - {id: A, design: rct}\n  - {id: B, design: rct}\n"
HEAD += "  - {id: C, design: rct}\n"


@pytest.mark.parametrize("case", sorted(FUZZ_CASES))
def test_fuzz_crashes_are_fixed(case: str, tmp_path: Path) -> None:
    path = write(tmp_path, f"{case}.yaml", HEAD + FUZZ_CASES[case])
    outputs = {}
    for args in (("--detail",), ("--format", "json"), ("--format", "markdown")):
        code, out, err = invoke("assess", str(path), *args, env={"COLUMNS": "120"})
        assert code == 0, err
        if "json" in args:
            strict_json(out)
        assert_no_nonfinite_text(out)
        outputs[args[-1]] = out
    if case == "override-no-estimate":
        outcome = strict_json(outputs["json"])["outcomes"][0]  # type: ignore[index]
        assert outcome["certainty"] == "low" and outcome["computed_certainty"] is None
        assert "the domains give no rating: there is no estimate" in outcome["footnotes"][0]
    if case == "ois-tiny-risk":
        outcome = strict_json(outputs["json"])["outcomes"][0]  # type: ignore[index]
        imprecision = next(d for d in outcome["domains"] if d["domain"] == "imprecision")
        assert imprecision["proposal"]["rule"] == "IMP-OIS"
        assert "more than 1,000,000,000,000,000,000" in imprecision["proposal"]["explanation"]


def test_optimal_information_size_formula_unchanged_for_ordinary_risks() -> None:
    # z²(p0(1−p0) + p1(1−p1))/(p0 − p1)² per arm (GRADE 6), computed here with exact fractions
    from statistics import NormalDist

    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.domains.imprecision import optimal_information_size
    from gradecli.grade.ruleset import load_ruleset
    from gradecli.io.evidence import load_evidence

    rules = load_ruleset("default")
    ev = load_evidence(str(Path(__file__).parent.parent / "examples" / "bcg-vaccine-tuberculosis.yaml"))
    r = rules.settings("IMP-OIS")
    z = Fraction(NormalDist().inv_cdf(1 - r.ois_alpha / 2) + NormalDist().inv_cdf(r.ois_power))
    for p0 in (0.5, 0.2, 0.05, 0.01, 0.001, 1e-6):
        ctx = OutcomeContext(ev, ev.outcomes[0], ev.outcomes[0].effective_measure, None, control_risk=p0)  # type: ignore[arg-type]
        got = optimal_information_size(ctx, rules)
        assert got is not None
        q0 = Fraction(p0)
        q1 = q0 * (1 - Fraction(r.ois_rrr))
        exact = z * z * (q0 * (1 - q0) + q1 * (1 - q1)) / (q0 - q1) ** 2
        assert got[0] == 2 * math.ceil(exact)


# --------------------------------------------------------------------------------------------
# A. The library: every measure and method over the extreme inputs — a finite result or a clear error


def _analyses(kind: str) -> list[PoolingSpec]:
    random_ = [
        PoolingSpec(m, "random", method, hksj=hksj, prediction=prediction)
        for m in {"bin": ("RR", "OR", "RD"), "cont": ("MD", "SMD"), "gen": ("GENERIC", "HR")}[kind]
        for method in ("DL", "REML", "PM")
        for hksj in (False, True)
        for prediction in ("metafor", "higgins")
    ]
    fixed = [
        PoolingSpec(m, "fixed", "IV")
        for m in {"bin": ("RR", "OR", "RD"), "cont": ("MD", "SMD"), "gen": ("GENERIC",)}[kind]
    ]
    if kind == "bin":
        fixed += [PoolingSpec(m, "fixed", "MH") for m in ("RR", "OR", "RD")] + [PoolingSpec("PETO_OR", "fixed", "PETO")]
    return fixed + random_


TWELVE = 12  # enough studies for Egger's test (>= 10)
BIN_CASES: dict[str, list[tuple[int, int, int, int]]] = {
    "events=total both arms": [(10, 10, 20, 20)] * 3,
    "events=total both arms, k=12": [(10 + i, 10 + i, 20, 20) for i in range(TWELVE)],
    "no events both arms": [(0, 10, 0, 20)] * 3,
    "all studies zero, k=12": [(0, 10 + i, 0, 20) for i in range(TWELVE)],
    "double-zero, all-events and one informative": [(0, 10, 0, 20), (10, 10, 20, 20), (3, 10, 5, 20)],
    "one study": [(3, 10, 5, 20)],
    "two studies": [(3, 10, 5, 20), (4, 12, 6, 19)],
    "identical studies, k=12": [(3, 10, 5, 20)] * TWELVE,
    "one arm all events": [(10, 10, 0, 10), (0, 10, 10, 10), (10, 10, 0, 100)],
    "zero events in every treatment arm": [(0, 10, 5, 10), (0, 20, 3, 20)],
    "10^6 participants": [(500_000, 1_000_000, 400_000, 1_000_000), (1, 1_000_000, 2, 1_000_000), (7, 10, 3, 10)],
    "10^9 participants": [(1, 10**9, 10**9 - 1, 10**9), (5 * 10**8, 10**9, 1, 10**9), (3, 10**9, 4, 10**9)],
    "10^9 participants, k=12": [(i + 1, 10**9, 10**9 - i - 1, 10**9) for i in range(TWELVE)],
    "one event in 10^9 each": [(1, 10**9, 0, 10**9), (0, 10**9, 1, 10**9), (1, 10**9, 1, 10**9)],
}
CONT_CASES: dict[str, list[tuple[float, float, int, float, float, int]]] = {
    "SD 1e-300": [(1.0, 1e-300, 50, 0.5, 1e-300, 50), (1.2, 1e-300, 40, 0.5, 1e-300, 40)],
    "SD 5e-324": [(1.0, 5e-324, 50, 0.5, 5e-324, 50), (1.3, 5e-324, 50, 0.5, 5e-324, 50)],
    "SD 1e300": [(1.0, 1e300, 50, 0.5, 1e300, 50), (2.0, 1e300, 50, 0.5, 1e300, 50)],
    "SD 0": [(1.0, 0.0, 10, 0.5, 1.0, 10)],
    "means 1e308 apart": [(1e308, 1.0, 50, -1e308, 1.0, 50), (0.0, 1.0, 50, 0.0, 1.0, 50)],
    "SD 1e-300 and 1e300 mixed": [(1.0, 1e-300, 50, 0.5, 1e300, 50), (1.0, 1.0, 50, 0.5, 1.0, 50)],
    "one study": [(1.0, 1.0, 50, 0.5, 1.0, 50)],
    "two studies": [(1.0, 1.0, 50, 0.5, 1.0, 50), (0.9, 1.1, 40, 0.5, 1.0, 40)],
    "identical studies, k=12": [(1.0, 1.0, 50, 0.5, 1.0, 50)] * TWELVE,
    "10^9 participants": [(1.0, 1.0, 10**9, 0.5, 1.0, 10**9), (0.2, 1.0, 10**9, 0.5, 1.0, 10**9)],
    "n = 1 per arm": [(1.0, 1.0, 1, 0.5, 1.0, 1), (1.0, 2.0, 1, 0.5, 1.0, 1)],
}
L12 = math.log(1e12) / (2 * Z)  # the SE of a log ratio whose 95% CI is 1e-6 to 1e6
L600 = 2 * math.log(1e300) / (2 * Z)  # ... and 1e-300 to 1e300
GEN_CASES: dict[str, list[tuple[float, float]]] = {
    "CI 1e-6 to 1e6": [(0.0, L12)] * 3,
    "CI 1e-300 to 1e300": [(0.0, L600)] * 3,
    "CI 1e-300 to 1e300, one study": [(0.0, L600)],
    "SE 1e-50 (smallest supported)": [(0.1, 1e-50), (0.2, 1e-50), (0.3, 1e-50)],
    "SE 1e-51": [(0.1, 1e-51), (0.2, 1.0)],
    "SE 1e-300": [(0.1, 1e-300), (0.2, 1.0)],
    "SE 1e50 (largest supported)": [(0.1, 1e50), (0.2, 1e50), (0.3, 1e50)],
    "SE 1e51": [(0.1, 1e51), (0.2, 1.0)],
    "SE 1e-50 and 1e50 mixed": [(0.0, 1e-50), (1e100, 1e50), (0.3, 1.0)],
    "yi 1e100 (largest supported)": [(1e100, 1.0), (-1e100, 1.0), (0.0, 1.0)],
    "yi 1e100 apart, SE 1e-49": [(1e100, 1e-49), (-1e100, 1e-49), (0.0, 1e-49)],
    "yi 1e308": [(1e308, 1.0), (-1e308, 1.0), (0.0, 1.0)],
    "yi 1e308, both": [(1e308, 1.0), (1e308, 1.0)],
    "yi 800 (ratio overflows)": [(800.0, 1.0), (801.0, 1.0), (799.0, 1.0)],
    "identical studies, k=12": [(0.5, 0.2)] * TWELVE,
    "one study": [(0.5, 0.2)],
    "extreme spread, k=12": [((-1) ** i * 10.0 ** (i * 8), 10.0 ** (4 * i - 40)) for i in range(TWELVE)],
}
# the cases that must be refused (an error naming the study or "not estimable"); all others must pool
MUST_FAIL = {
    ("bin", "events=total both arms"),
    ("bin", "events=total both arms, k=12"),
    ("bin", "no events both arms"),
    ("bin", "all studies zero, k=12"),
    ("cont", "SD 1e-300"),  # MD: the variance underflows (SMD is fine: scale-free)
    ("cont", "SD 5e-324"),
    ("cont", "SD 1e300"),  # MD: the variance overflows (SMD fine)
    ("cont", "SD 0"),
    ("cont", "means 1e308 apart"),
    ("cont", "SD 1e-300 and 1e300 mixed"),
    ("gen", "SE 1e-51"),
    ("gen", "SE 1e-300"),
    ("gen", "SE 1e51"),
    ("gen", "yi 1e308"),
    ("gen", "yi 1e308, both"),
}


def _data(kind: str, rows: list) -> BinaryData | ContinuousData | GenericData:
    labels = [f"s{i}" for i in range(len(rows))]
    cols = [list(c) for c in zip(*rows, strict=True)]
    return {"bin": BinaryData, "cont": ContinuousData, "gen": GenericData}[kind](labels, *cols)  # type: ignore[return-value]


CASES = [("bin", n) for n in BIN_CASES] + [("cont", n) for n in CONT_CASES] + [("gen", n) for n in GEN_CASES]


@pytest.mark.parametrize(("kind", "case"), CASES, ids=[f"{k}: {n}" for k, n in CASES])
def test_every_method_gives_a_finite_result_or_a_clear_error(kind: str, case: str) -> None:
    rows = {"bin": BIN_CASES, "cont": CONT_CASES, "gen": GEN_CASES}[kind][case]
    data = _data(kind, rows)
    pooled = 0
    for analysis in _analyses(kind):
        try:
            res = meta_analysis(data, analysis)
        except (NotEstimableError, StudyValueError) as exc:
            message = str(exc)
            assert_no_nonfinite_text(message)
            assert message and "\n" not in message
            if isinstance(exc, StudyValueError):
                assert exc.study in [f"s{i}" for i in range(len(rows))] and exc.field
            continue
        except ValueError as exc:  # an invalid combination (e.g. the SMD with n = 1 per arm): worded
            assert_no_nonfinite_text(str(exc))
            continue
        pooled += 1
        d = res.to_json_dict()
        assert all_floats_finite(d), (analysis, d)
        strict_json(json.dumps(d, allow_nan=False))
        assert all_floats_finite([res.estimate, res.se, res.ci_lb, res.ci_ub, res.stat, res.pval, res.pi_lb, res.pi_ub])
        assert res.ci_lb <= res.estimate <= res.ci_ub
        assert 0.0 <= res.i2 <= 100.0 and res.h2 >= 0.0 and res.q >= 0.0 and 0.0 <= res.q_p <= 1.0
        assert res.converged, (analysis, res.warnings)
        assert sum(w for _, w in res.weights) == pytest.approx(100.0, rel=1e-9)
        for w in res.warnings:
            assert_no_nonfinite_text(w)
    if (kind, case) in MUST_FAIL:
        if case in ("SD 1e300", "SD 1e-300 and 1e300 mixed"):
            assert pooled == 13  # the SMD pools (scale-free, g ~ 0), the MD's variance overflows
        else:
            assert pooled == 0
    elif kind == "bin" and case in ("one arm all events", "zero events in every treatment arm"):
        assert pooled > 0  # IV with the continuity correction pools; MH/Peto may not
    elif case == "n = 1 per arm":
        assert pooled == 13  # MD only (the SMD needs n_t + n_c >= 4)
    else:
        assert pooled == len(_analyses(kind)), f"{pooled} of {len(_analyses(kind))} pooled"


def test_double_zero_and_all_event_studies_are_left_out_like_revman() -> None:
    # RevMan/metafor: a study with no events (or only events) in both arms has no estimate; with
    # no other study the outcome is "not estimable"; beside an informative one the result is that
    # study's own (log RR 0.182, var 1/3 - 1/10 + 1/5 - 1/20, exact)
    for rows, words in (([(10, 10, 20, 20)] * 3, "events in every participant"), ([(0, 10, 0, 20)] * 3, "no events")):
        for analysis in (PoolingSpec("RR"), PoolingSpec("OR", "fixed", "MH"), PoolingSpec("PETO_OR", "fixed", "PETO")):
            with pytest.raises(NotEstimableError, match=words):
                meta_analysis(_data("bin", rows), analysis)
    from scipy import stats

    res = meta_analysis(_data("bin", BIN_CASES["double-zero, all-events and one informative"]), PoolingSpec("RR"))
    vi = float(Fraction(1, 3) - Fraction(1, 10) + Fraction(1, 5) - Fraction(1, 20))
    yi = math.log((3 / 10) / (5 / 20))
    assert res.k == 1 and [d.study for d in res.dropped] == ["s0", "s1"]
    assert res.estimate == pytest.approx(yi, rel=1e-14) and res.se == pytest.approx(math.sqrt(vi), rel=1e-14)
    assert res.ci_ub == pytest.approx(yi + stats.norm.ppf(0.975) * math.sqrt(vi), rel=1e-13)
    assert res.tau2 == 0.0 and res.q == 0.0 and res.q_p == 1.0 and res.i2 == 0.0


def test_identical_studies_give_tau2_zero_and_no_test_with_hksj() -> None:
    for kind in ("bin", "cont", "gen"):
        rows = {"bin": BIN_CASES, "cont": CONT_CASES, "gen": GEN_CASES}[kind]["identical studies, k=12"]
        one = meta_analysis(_data(kind, rows[:1]), PoolingSpec({"bin": "RR", "cont": "MD", "gen": "GENERIC"}[kind]))
        for method in ("DL", "REML", "PM"):
            measure = {"bin": "RR", "cont": "MD", "gen": "GENERIC"}[kind]
            res = meta_analysis(_data(kind, rows), PoolingSpec(measure, "random", method, hksj=True))
            assert res.tau2 == 0.0 and res.q == pytest.approx(0.0, abs=1e-20) and res.i2 == 0.0
            assert res.estimate == pytest.approx(one.estimate, rel=1e-14)
            assert res.se == 0.0 and res.stat is None and res.pval is None  # HKSJ: q = 0
            assert res.egger_p is None and any("standard errors are equal" in w for w in res.warnings)


def _mh_reference(rows: list[tuple[int, int, int, int]], measure: str) -> tuple[float, float]:
    """Mantel-Haenszel estimate (log scale for OR/RR) and se, independently, with exact fractions:
    Robins-Breslow-Greenland (OR), Greenland-Robins (RR), Sato-Greenland-Robins (RD)."""
    t = [(Fraction(a), Fraction(n1), Fraction(c), Fraction(n2)) for a, n1, c, n2 in rows]
    if measure == "OR":
        r = sum(a * (n2 - c) / (n1 + n2) for a, n1, c, n2 in t)
        s = sum((n1 - a) * c / (n1 + n2) for a, n1, c, n2 in t)
        pr = sum((a + n2 - c) / (n1 + n2) * a * (n2 - c) / (n1 + n2) for a, n1, c, n2 in t)
        ps = sum(((a + n2 - c) * (n1 - a) * c + (n1 - a + c) * a * (n2 - c)) / (n1 + n2) ** 2 for a, n1, c, n2 in t)
        qs = sum((n1 - a + c) / (n1 + n2) * (n1 - a) * c / (n1 + n2) for a, n1, c, n2 in t)
        var = pr / (2 * r * r) + ps / (2 * r * s) + qs / (2 * s * s)
        return math.log(r / s), math.sqrt(var)
    if measure == "RR":
        r = sum(a * n2 / (n1 + n2) for a, n1, c, n2 in t)
        s = sum(c * n1 / (n1 + n2) for a, n1, c, n2 in t)
        num = sum((n1 * n2 * (a + c) - a * c * (n1 + n2)) / (n1 + n2) ** 2 for a, n1, c, n2 in t)
        return math.log(r / s), math.sqrt(num / (r * s))
    w = [n1 * n2 / (n1 + n2) for a, n1, c, n2 in t]
    est = sum((a * n2 - c * n1) / (n1 + n2) for a, n1, c, n2 in t) / sum(w)
    t1 = sum(
        c * (n1 / (n1 + n2)) ** 2 - a * (n2 / (n1 + n2)) ** 2 + n1 * n2 * (n2 - n1) / (2 * (n1 + n2) ** 2)
        for a, n1, c, n2 in t
    )
    t2 = sum((a * (n2 - c) + c * (n1 - a)) / (2 * (n1 + n2)) for a, n1, c, n2 in t)
    return float(est), math.sqrt((est * t1 + t2) / sum(w) ** 2)


@pytest.mark.parametrize(
    "case", ["10^6 participants", "10^9 participants", "10^9 participants, k=12", "one event in 10^9 each"]
)
def test_million_and_billion_participants_against_exact_fractions(case: str) -> None:
    rows = BIN_CASES[case]
    data = _data("bin", rows)
    # inverse variance, study effects by escalc's formulas in exact arithmetic (cc 1/2 for zero cells)
    for measure in ("RR", "OR", "RD"):
        ys, ws = [], []
        for a, n1, c, n2 in rows:
            fa, fn1, fc, fn2 = (Fraction(x) for x in (a, n1, c, n2))
            if 0 in (a, c, n1 - a, n2 - c):
                fa, fc, fn1, fn2 = fa + Fraction(1, 2), fc + Fraction(1, 2), fn1 + 1, fn2 + 1
            if measure == "RR":
                y = math.log(float(fa / fn1 / (fc / fn2)))
                v = 1 / fa - 1 / fn1 + 1 / fc - 1 / fn2
            elif measure == "OR":
                y = math.log(float(fa * (fn2 - fc) / ((fn1 - fa) * fc)))
                v = 1 / fa + 1 / (fn1 - fa) + 1 / fc + 1 / (fn2 - fc)
            else:
                p1, p2 = fa / fn1, fc / fn2
                y, v = float(p1 - p2), p1 * (1 - p1) / fn1 + p2 * (1 - p2) / fn2
            ys.append(Fraction(y))
            ws.append(1 / v)
        est = sum(w * y for w, y in zip(ws, ys, strict=True)) / sum(ws)
        res = meta_analysis(data, PoolingSpec(measure, "fixed", "IV"))
        assert res.estimate == pytest.approx(float(est), rel=1e-9, abs=1e-15)
        assert res.se == pytest.approx(math.sqrt(float(1 / sum(ws))), rel=1e-9)
        q = sum(w * (y - est) ** 2 for w, y in zip(ws, ys, strict=True))
        assert res.q == pytest.approx(float(q), rel=1e-6, abs=1e-9)
        if (measure != "RD" and all(r[0] > 0 and r[2] > 0 for r in rows)) or measure == "RD":
            mh = meta_analysis(data, PoolingSpec(measure, "fixed", "MH"))
            want = _mh_reference(rows, measure)
            assert (mh.estimate, mh.se) == pytest.approx(want, rel=1e-9, abs=1e-15)
        for method in ("DL", "REML", "PM"):
            r = meta_analysis(data, PoolingSpec(measure, "random", method, hksj=True))
            assert r.converged and all_floats_finite(r.to_json_dict())


@pytest.mark.parametrize(("case", "limit"), [("CI 1e-6 to 1e6", 1e6), ("CI 1e-300 to 1e300", 1e300)])
def test_ratio_cis_from_tiny_to_huge(case: str, limit: float) -> None:
    from scipy import stats

    from gradecli.stats import yi_sei_from_ci

    yi, sei = yi_sei_from_ci(1.0, 1 / limit, limit, ratio=True)
    assert yi == 0.0 and sei == pytest.approx(math.log(limit) / stats.norm.ppf(0.975), rel=1e-14)
    res = meta_analysis(_data("gen", [(yi, sei)] * 3), PoolingSpec("HR", "fixed", "IV"))
    half = stats.norm.ppf(0.975) * sei / math.sqrt(3)
    assert (res.ci_lb, res.ci_ub) == pytest.approx((-half, half), rel=1e-13)
    d = res.to_json_dict()
    assert d["exp_ci_ub"] == pytest.approx(math.exp(half), rel=1e-12) and all_floats_finite(d)
    one = meta_analysis(_data("gen", [(yi, sei)]), PoolingSpec("HR", "random", "REML")).to_json_dict()
    assert one["exp_ci_lb"] == pytest.approx(1 / limit, rel=1e-12) and one["exp_ci_ub"] == pytest.approx(
        limit, rel=1e-12
    )


def test_standard_error_bounds_are_inclusive_and_documented() -> None:
    for se in (1e-50, 1e50):
        res = meta_analysis(_data("gen", [(0.1, se), (0.2, se)]), PoolingSpec("GENERIC", "fixed", "IV"))
        assert res.se == pytest.approx(se / math.sqrt(2), rel=1e-14)
    for se in (9.99e-51, 1.001e50):
        with pytest.raises(StudyValueError, match=r"supported range \[1e-100, 1e\+100\] \(standard errors from 1e-50"):
            meta_analysis(_data("gen", [(0.1, se), (0.2, 1.0)]), PoolingSpec("GENERIC", "fixed", "IV"))
    for yi in (1e100, -1e100):
        meta_analysis(_data("gen", [(yi, 1.0), (0.0, 1.0)]), PoolingSpec("GENERIC", "fixed", "IV"))
    with pytest.raises(StudyValueError, match="outside the supported range"):
        meta_analysis(_data("gen", [(1.0001e100, 1.0), (0.0, 1.0)]), PoolingSpec("GENERIC", "fixed", "IV"))


def test_log_ratio_beyond_exp_range_has_no_ratio_in_json_but_a_finite_log() -> None:
    res = meta_analysis(_data("gen", GEN_CASES["yi 800 (ratio overflows)"]), PoolingSpec("HR", "random", "REML"))
    d = res.to_json_dict()
    assert d["estimate"] == pytest.approx(800.0, rel=1e-3)
    assert d["exp_estimate"] is None and d["exp_ci_ub"] is None  # exp(800) is not a float
    strict_json(json.dumps(d, allow_nan=False))


# --------------------------------------------------------------------------------------------
# B. Through `gradecli assess` in every output format, `gradecli check` and `--compare`


def _rows(kind: str, rows: list) -> str:
    keys = {
        "bin": ("events_t", "n_t", "events_c", "n_c"),
        "cont": ("mean_t", "sd_t", "n_t", "mean_c", "sd_c", "n_c"),
        "gen": ("yi", "sei"),
    }[kind]
    out = []
    for i, row in enumerate(rows):
        fields = ", ".join(f"{k}: {v!r}" for k, v in zip(keys, row, strict=True))
        out.append(f"      - {{study: S{i}, {fields}}}")
    return "\n".join(out)


def _outcome(oid: str, otype: str, body: str, measure: str | None = None, extra: str = "") -> str:
    text = (
        f"  - id: {oid}\n    name: {oid.replace('-', ' ').capitalize()}\n    importance: critical\n    type: {otype}\n"
    )
    if measure:
        text += f"    measure: {measure}\n"
    return text + extra + body + "\n"


def extremes_file(tmp_path: Path) -> tuple[Path, dict[str, str | None]]:
    """An evidence file with one outcome per extreme case; returns it and, per outcome id, the words
    its not-estimable reason must contain (None: it must have a finite estimate)."""
    expect: dict[str, str | None] = {}
    outcomes = []
    bin_expect = {
        "events=total both arms": "events in every participant",
        "events=total both arms, k=12": "events in every participant",
        "no events both arms": "no events in both arms",
        "all studies zero, k=12": "no events in both arms",
    }
    thresholds = "    thresholds: {mid: 20}\n    assumed_risk: {value: 0.2}\n    benefit: lower\n"
    for n, case in enumerate(BIN_CASES):
        for measure, method in (("RR", "REML"), ("OR", "MH")):
            oid = f"bin{n}-{measure.lower()}"
            analysis = "    analysis: {model: fixed, method: MH}\n" if method == "MH" else ""
            body = "    data:\n" + _rows("bin", BIN_CASES[case])
            outcomes.append(_outcome(oid, "dichotomous", body, measure, thresholds + analysis))
            expect[oid] = bin_expect.get(case)
            if method == "MH" and case == "zero events in every treatment arm":
                expect[oid] = "Mantel-Haenszel odds ratio not estimable"
    cont_expect = {
        "SD 1e-300": "underflows",
        "SD 5e-324": "underflows",
        "SD 1e300": "overflows",
        "SD 0": None,  # refused by the loader: tested separately
        "means 1e308 apart": "overflows",
        "SD 1e-300 and 1e300 mixed": "overflows",
    }
    for n, case in enumerate(CONT_CASES):
        if case == "SD 0":
            continue
        for measure in ("MD", "SMD"):
            oid = f"cont{n}-{measure.lower()}"
            body = "    data:\n" + _rows("cont", CONT_CASES[case])
            outcomes.append(_outcome(oid, "continuous", body, measure, "    thresholds: {mid: 0.5}\n"))
            smd_ok = case in ("SD 1e300", "SD 1e-300 and 1e300 mixed")
            expect[oid] = None if measure == "SMD" and smd_ok else cont_expect.get(case)
            if measure == "SMD" and case in ("SD 1e-300", "SD 5e-324"):
                expect[oid] = "standardised mean difference"
            if measure == "SMD" and case == "n = 1 per arm":
                expect[oid] = "n_t + n_c >= 4"
    gen_expect = {
        "SE 1e-51": "supported range",
        "SE 1e-300": "underflows",
        "SE 1e51": "supported range",
        "yi 1e308": "supported range",
        "yi 1e308, both": "supported range",
        "yi 800 (ratio overflows)": None,  # fine for MD; HR: below
    }
    for n, case in enumerate(GEN_CASES):
        for measure in ("MD", "HR"):
            oid = f"gen{n}-{measure.lower()}"
            body = "    data:\n" + _rows("gen", GEN_CASES[case])
            outcomes.append(_outcome(oid, "generic", body, measure, "    thresholds: {mid: 0.5, relative: 1.25}\n"))
            expect[oid] = gen_expect.get(case)
            if measure == "HR" and expect[oid] is None:
                res = meta_analysis(_data("gen", GEN_CASES[case]), PoolingSpec("HR"))
                if max(abs(res.ci_lb), abs(res.ci_ub)) > 709.0:  # the ratio or its CI is not a float
                    expect[oid] = "beyond the floating-point range"
    # estimate + CI and estimate + SE rows, as a reviewer types them
    generic_rows = {
        "ci-1e-6-1e6": ("HR", "estimate: 1.0, ci: [1.0e-6, 1.0e+6]", None),
        "ci-1e-300-1e300": ("HR", "estimate: 1.0, ci: [1.0e-300, 1.0e+300]", None),
        "ci-5e-324-1.8e308": (
            "HR",
            "estimate: 1.0, ci: [5.0e-324, 1.7976931348623157e+308]",
            None,  # log limits -744 and 710: two such studies pool to a CI of exp(±514)
        ),
        "ci-md-huge": ("MD", "estimate: 0.0, ci: [-1.7976931348623157e+308, 1.7976931348623157e+308]", "overflows"),
        "se-tiny": ("MD", "estimate: 0.5, se: 1.0e-300", "underflows"),
        "se-huge": ("MD", "estimate: 0.5, se: 1.0e+300", "overflows"),
        "se-1e-50": ("MD", "estimate: 0.5, se: 1.0e-50", None),
        "estimate-1e308": ("MD", "estimate: 1.0e+308, se: 1.0", "supported range"),
    }
    for oid, (measure, row, words) in generic_rows.items():
        body = f"    data:\n      - {{study: S0, {row}}}\n      - {{study: S1, {row}}}"
        outcomes.append(_outcome(oid, "generic", body, measure, "    thresholds: {mid: 0.5}\n"))
        expect[oid] = words
    summaries = {
        "summary-rr-huge": (
            "dichotomous",
            "RR",
            "{estimate: 1.0e+300, ci: [1.0e-300, 1.7976931348623157e+308], studies: 3, participants: 1000000000}",
        ),
        "summary-rr-tiny": (
            "dichotomous",
            "RR",
            "{estimate: 5.0e-324, ci: [5.0e-324, 1.0e-300], studies: 1, participants: 10}",
        ),
        "summary-md-huge": (
            "continuous",
            "MD",
            "{estimate: 1.0e+308, ci: [-1.7976931348623157e+308, 1.7976931348623157e+308], studies: 2}",
        ),
        "summary-rd-huge": ("dichotomous", "RD", "{estimate: 1.0e+306, ci: [1.0e+305, 1.0e+307], studies: 2}"),
        "summary-smd-tiny": ("continuous", "SMD", "{estimate: 1.0e-300, ci: [-1.0e-300, 1.0e-299], studies: 2}"),
    }
    for oid, (otype, measure, summary) in summaries.items():
        extra = (
            "    thresholds: {mid: 20}\n    assumed_risk: {value: 0.2}\n"
            if otype == "dichotomous"
            else "    thresholds: {mid: 0.5}\n"
        )
        outcomes.append(_outcome(oid, otype, f"    summary: {summary}", measure, extra))
        expect[oid] = None
    studies = "\n".join(f"  - {{id: S{i}, design: rct}}" for i in range(TWELVE))
    text = (
        "gradecli: 1\nreview:\n  title: Extreme inputs\n  question: {population: P, intervention: X, comparison: C}\n"
        f"studies:\n{studies}\noutcomes:\n" + "".join(outcomes)
    )
    return write(tmp_path, "extremes.yaml", text), expect


@pytest.fixture(scope="module")
def extremes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str | None]]:
    return extremes_file(tmp_path_factory.mktemp("extremes"))


def test_extreme_evidence_file_is_valid(extremes: tuple[Path, dict[str, str | None]]) -> None:
    path, _ = extremes
    result = run_cli("validate", str(path))
    assert result.returncode == 0, result.stderr


def test_assess_json_has_a_finite_estimate_or_a_reason_for_every_outcome(
    extremes: tuple[Path, dict[str, str | None]],
) -> None:
    path, expect = extremes
    result = run_cli("assess", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = strict_json(result.stdout)
    assert all_floats_finite(data)
    rows = {o["id"]: o for o in data["outcomes"]}  # type: ignore[index]
    assert set(rows) == set(expect)
    for oid, words in expect.items():
        o = rows[oid]
        e = o["effect"]
        if words is None:
            assert e is not None and e["estimate"] is not None, (oid, o["not_estimable"])
            assert e["ci_lb"] <= e["estimate"] <= e["ci_ub"], oid
        else:
            assert e is None or e["estimate"] is None, (oid, e)
            assert o["not_estimable"] and words in o["not_estimable"], (oid, o["not_estimable"])
            assert o["certainty"] is None and o["statement"] is None
        for text in [o["not_estimable"] or "", *(o["footnotes"]), o["statement"] or ""]:
            assert_no_nonfinite_text(text)


FORMATS = [
    ("table-wide", ("--format", "table"), {"COLUMNS": "220"}),
    ("table-narrow", ("--format", "table"), {"COLUMNS": "80"}),
    ("profile-wide", ("--profile",), {"COLUMNS": "220"}),
    ("profile-narrow", ("--profile",), {"COLUMNS": "80"}),
    ("detail", ("--detail",), {"COLUMNS": "120"}),
    ("markdown", ("--format", "markdown"), {}),
    ("html", ("--format", "html"), {}),
    ("csv", ("--format", "csv"), {}),
    ("compare-json", ("--format", "json", "--compare", "pollock-2016"), {}),
    ("compare-table", ("--compare", "strict"), {"COLUMNS": "200"}),
]


@pytest.mark.parametrize(("name", "args", "env"), FORMATS, ids=[f[0] for f in FORMATS])
def test_no_nan_or_inf_in_any_output_format(
    extremes: tuple[Path, dict[str, str | None]], name: str, args: tuple[str, ...], env: dict[str, str]
) -> None:
    path, _ = extremes
    result = run_cli("assess", str(path), *args, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    if "json" in args:
        assert all_floats_finite(strict_json(result.stdout))
    assert_no_nonfinite_text(result.stdout)
    if name == "csv":
        import csv
        import io

        for row in csv.DictReader(io.StringIO(result.stdout)):
            for key in ("estimate", "ci_lb", "ci_ub", "intervention_risk", "risk_difference"):
                if row[key]:
                    assert math.isfinite(float(row[key])), (key, row[key])
    assert max(len(line) for line in result.stdout.splitlines()) < 2000  # no 300-digit numbers


def test_check_json_has_no_nan_or_inf(extremes: tuple[Path, dict[str, str | None]]) -> None:
    path, _ = extremes
    result = run_cli("check", str(path), "--format", "json", "--notes")
    assert result.returncode in (0, 1), result.stderr
    for line in result.stdout.splitlines():
        assert all_floats_finite(strict_json(line))
    assert_no_nonfinite_text(result.stdout)


def test_report_page_has_no_nan_or_inf(tmp_path: Path) -> None:
    # a few of the extremes (the whole file takes ~10 s to draw): a ratio beyond the float range,
    # a CI of 1e-300 to 1e300, a huge summary, SDs of 1e300, 10^9 participants, double zeros
    outcomes = [
        _outcome(
            "ratio-overflow", "generic", "    data:\n" + _rows("gen", GEN_CASES["yi 800 (ratio overflows)"]), "HR"
        ),
        _outcome("ci-huge", "generic", "    data:\n" + _rows("gen", GEN_CASES["CI 1e-300 to 1e300"]), "HR"),
        _outcome("sd-huge", "continuous", "    data:\n" + _rows("cont", CONT_CASES["SD 1e300"]), "SMD"),
        _outcome("billion", "dichotomous", "    data:\n" + _rows("bin", BIN_CASES["10^9 participants"]), "RR"),
        _outcome("zeros", "dichotomous", "    data:\n" + _rows("bin", BIN_CASES["no events both arms"]), "RR"),
        _outcome(
            "summary-huge",
            "continuous",
            "    summary: {estimate: 1.0e+308, ci: [-1.7976931348623157e+308, 1.7976931348623157e+308], studies: 2}",
            "MD",
        ),
    ]
    studies = "".join(f"  - {{id: S{i}, design: rct}}\n" for i in range(3))
    path = write(
        tmp_path,
        "some.yaml",
        f"gradecli: 1\nreview: {{title: Some}}\nstudies:\n{studies}outcomes:\n" + "".join(outcomes),
    )
    out = tmp_path / "report.html"
    code, _, err = invoke("report", str(path), "-o", str(out))
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert_no_nonfinite_text(page)
    assert max(len(line) for line in page.splitlines()) < 5000


def test_sd_zero_is_refused_by_the_loader_with_file_line(tmp_path: Path) -> None:
    body = "    data:\n" + _rows("cont", CONT_CASES["SD 0"])
    path = write(tmp_path, "sd0.yaml", HEAD + "outcomes:\n" + _outcome("pain", "continuous", body.replace("S0", "A")))
    result = run_cli("assess", str(path))
    assert result.returncode == 2
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: outcomes\[0\]\.data\[0\]\.sd_t: ", result.stderr), result.stderr


# --------------------------------------------------------------------------------------------
# C. `gradecli meta`: CSVs of extreme studies, table and JSON

META_CSV = {
    "counts-1e9": (
        "study,events_t,n_t,events_c,n_c\nA,1,1000000000,999999999,1000000000\nB,3,1000000000,4,1000000000\n",
        "RD",
        0,
    ),
    "events-equal-total": ("study,events_t,n_t,events_c,n_c\nA,10,10,20,20\nB,5,5,7,7\n", "RR", 2),
    "sd-1e-300": ("study,mean_t,sd_t,n_t,mean_c,sd_c,n_c\nA,1,1,10,0,1,10\nB,1.0,1e-300,10,0,1e-300,10\n", "MD", 2),
    "sd-1e300": ("study,mean_t,sd_t,n_t,mean_c,sd_c,n_c\nA,1,1e300,10,0,1e300,10\nB,2,1e300,10,0,1e300,10\n", "SMD", 0),
    "yi-1e308": ("study,yi,sei\nA,0.1,1\nB,1e308,1\n", "GENERIC", 2),
    "yi-800-ratio": ("study,yi,sei\nA,800,1\nB,801,1\nC,799,1\n", "RR", 0),
    "ci-1e-300-1e300": (f"study,yi,sei\nA,0,{L600!r}\nB,0,{L600!r}\n", "HR", 0),
    "identical-k12": ("study,yi,sei\n" + "".join(f"S{i},0.4,0.1\n" for i in range(TWELVE)), "GENERIC", 0),
    "spread-k12": (
        "study,yi,sei\n"
        + "".join(f"S{i},{(-1) ** i * 10.0 ** (8 * i)!r},{10.0 ** (4 * i - 40)!r}\n" for i in range(TWELVE)),
        "GENERIC",
        0,
    ),
}


@pytest.mark.parametrize("case", sorted(META_CSV))
def test_meta_cli_extremes(case: str, tmp_path: Path) -> None:
    text, measure, expected = META_CSV[case]
    path = write(tmp_path, f"{case}.csv", text)
    for args in ((), ("--format", "json"), ("--model", "random", "--method", "PM", "--hksj")):
        code, out, err = invoke("meta", str(path), "--measure", measure, *args, env={"COLUMNS": "100"})
        assert code == expected, err
        assert_no_nonfinite_text(out + err)
        if code == 0 and "json" in args:
            assert all_floats_finite(strict_json(out))
        if code == 2:
            assert len(err.strip().splitlines()) == 1 and err.startswith(str(path))
    if case == "sd-1e-300":  # the study's line and the SD column: FILE:LINE:COL: column: message
        assert err.startswith(f"{path}:3:7: sd_t: study 'B': the sampling variance underflows to 0")
    if case == "yi-1e308":
        assert err.startswith(f"{path}:3:3: yi: study 'B': the estimate 1e+308 is outside")
    if case == "yi-800-ratio":
        data = strict_json(invoke("meta", str(path), "--measure", "RR", "--format", "json")[1])
        assert data["estimate"] == pytest.approx(800.0, rel=1e-3) and data["exp_estimate"] is None  # type: ignore[index]
        assert "above 1e307" in invoke("meta", str(path), "--measure", "RR", env={"COLUMNS": "100"})[1]


def test_meta_cli_one_real_run(tmp_path: Path) -> None:
    # the same through the real command line once (exit code and stderr as a user sees them)
    path = write(tmp_path, "sd.csv", META_CSV["sd-1e-300"][0])
    result = run_cli("meta", str(path), "--measure", "MD")
    assert result.returncode == 2 and result.stderr.startswith(f"{path}:3:7: sd_t: study 'B': ")


# --------------------------------------------------------------------------------------------
# D. Bounded iterations: non-convergence is reported, never a loop


def test_reml_and_pm_non_convergence_is_reported_in_result_json_and_assessment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import gradecli.stats.tau2 as t2
    from gradecli.grade.engine import assess
    from gradecli.io.evidence import load_evidence
    from gradecli.report.markdown import render

    monkeypatch.setattr(t2, "REML_MAXITER", 2)
    monkeypatch.setattr(t2, "PM_MAXITER", 2)
    monkeypatch.setattr(t2, "REML_RTOL", -1.0)  # never satisfied: every run takes the maximum
    monkeypatch.setattr(t2, "PM_RTOL", -1.0)
    y = [0.1, 0.9, -0.5, 1.4, 0.3]
    s = [0.2, 0.25, 0.3, 0.15, 0.2]
    for method in ("REML", "PM"):
        res = meta_analysis(GenericData(list("abcde"), y, s), PoolingSpec("GENERIC", "random", method))
        assert res.converged is False and res.tau2_iterations == 2
        assert f"{method} did not converge in 2 iterations; tau2 is the last value" in res.warnings
        d = strict_json(json.dumps(res.to_json_dict(), allow_nan=False))
        assert d["converged"] is False and all_floats_finite(d)  # type: ignore[index]
        body = f"    analysis: {{model: random, method: {method}}}\n    data:\n" + _rows(
            "gen", list(zip(y, s, strict=True))
        )
        studies = "".join(f"  - {{id: S{i}, design: rct}}\n" for i in range(5))
        text = f"gradecli: 1\nreview: {{title: Bounded}}\nstudies:\n{studies}outcomes:\n"
        path = write(tmp_path, f"{method}.yaml", text + _outcome("pain", "generic", body, "MD"))
        assessment = assess(load_evidence(str(path)))
        effect = assessment.outcomes[0].effect
        assert (
            effect is not None
            and f"{method} did not converge in 2 iterations; tau2 is the last value" in effect.warnings
        )
        assert f"({method} did not converge in 2 iterations; tau2 is the last value)" in render(assessment)


def test_reml_and_pm_converge_in_few_steps_on_extreme_data() -> None:
    # 400 seeded data sets with variances anywhere in the supported range and estimates up to 1e100
    # apart (the search that found REML stuck for 1000 steps, and PM doubling from 0 for ~500)
    import random

    rng = random.Random(2026)
    worst = {"REML": 0, "PM": 0}
    for _ in range(400):
        k = rng.choice([2, 3, 5, 12, 30])
        v = [10 ** rng.uniform(-100, 100) if rng.random() < 0.5 else 10 ** rng.uniform(-5, 5) for _ in range(k)]
        spread = 10 ** rng.uniform(-40, 99)
        y = [rng.choice([-1, 1]) * spread * rng.random() for _ in range(k)]
        data = GenericData([str(i) for i in range(k)], y, [math.sqrt(x) for x in v])
        for method in worst:
            res = meta_analysis(data, PoolingSpec("GENERIC", "random", method, egger=False))
            assert res.converged, (method, y, v)
            assert all_floats_finite(res.to_json_dict())
            worst[method] = max(worst[method], res.tau2_iterations)
    assert worst["REML"] <= 150 and worst["PM"] <= 150, worst


def test_reml_and_pm_maximise_and_solve_on_extreme_data_against_mpmath() -> None:
    # variances 1e180 apart and a maximum at ~1e74 (REML crawled 1e-8 per step before): the REML
    # score and the PM equation checked at the returned tau2 in 60-digit arithmetic
    mpmath = pytest.importorskip("mpmath")
    y = [1.9e-12, -1.08e-11, -1.86e-11, -1.27e-11, -5.72e-12]
    v = [1.65e31, 3.95e82, 1.9e-97, 3.11e-56, 1.29e87]  # REML took 1000 steps of ~1e-8 here before
    with mpmath.workdps(60):
        for method in ("REML", "PM"):
            res = meta_analysis(
                GenericData(list("abcde"), y, [math.sqrt(x) for x in v]), PoolingSpec("GENERIC", "random", method)
            )
            assert res.converged and res.tau2_iterations <= 100
            t = mpmath.mpf(res.tau2)
            w = [1 / (mpmath.mpf(x) + t) for x in v]
            mu = sum(a * b for a, b in zip(w, y, strict=True)) / sum(w)
            q = sum(a * (b - mu) ** 2 for a, b in zip(w, y, strict=True))
            if method == "PM":
                assert float(q) == pytest.approx(4.0, rel=1e-9)
            else:  # the REML score Σw²e² − tr(P) is 0 relative to its terms
                score = sum(a * a * (b - mu) ** 2 for a, b in zip(w, y, strict=True)) - (
                    sum(w) - sum(a * a for a in w) / sum(w)
                )
                assert abs(float(score)) <= 1e-9 * float(sum(a * a for a in w))


def test_distribution_loops_need_few_steps_for_extreme_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    # with the loop bound cut to 20·√df + 1000 steps every value is unchanged, so none of these
    # needed more (the bound is O(√df) near the centre of a χ² with df ≤ 1e10, a few elsewhere)
    from gradecli.stats import distributions as d

    args = []
    for df in (0.5, 1, 2, 3, 29.5, 30, 101, 1e3, 1e5, 1e7, 1e10):
        for x in (0.0, 5e-324, 1e-300, 0.5, df, df * 1.01, df + 10 * math.sqrt(df), 1e17, 1e300, 1.7e308):
            args.append((x, df))
    full = [(d.chi2_sf(x, df), d.t_sf(x, df), d.t_sf(-x, df)) for x, df in args]
    for (x, df), want in zip(args, full, strict=True):
        monkeypatch.setattr(d, "_MAX_ITER", int(20 * math.sqrt(df)) + 1000)
        assert (d.chi2_sf(x, df), d.t_sf(x, df), d.t_sf(-x, df)) == want, (x, df)
        assert all(0.0 <= p <= 1.0 for p in want)
    monkeypatch.setattr(d, "_MAX_ITER", 1_000_000)
    calls = 0
    real = d.t_sf

    def counted(t: float, df: float) -> float:
        nonlocal calls
        calls += 1
        return real(t, df)

    monkeypatch.setattr(d, "t_sf", counted)
    for df in (1, 2, 3, 7.5, 30, 1e3, 1e6, 1e12, 1e21, 1e300):
        for q in (0.4, 0.025, 1e-10, 1e-300, 5e-324):
            calls = 0
            value = d.t_isf(q, df)
            # the Cauchy quantile of 5e-324 is 6e322: not a float (inf), the only one here
            assert (math.isfinite(value) or (df, q) == (1, 5e-324)) and value > 0 and calls <= 60, (q, df, calls)


def test_reml_does_not_oscillate_when_fisher_scoring_overshoots() -> None:
    # one very precise study (se 0.016) among imprecise ones, Hedges start 0: the Fisher step from 0
    # overshoots ~100-fold and, with the boundary at 0, pure scoring bounced between ~0.001 and 0.19
    # for 1000 steps in a draft of the safeguards; the bracket keeps it converging. Reference: the
    # restricted likelihood maximised by SciPy.
    from scipy import optimize

    y = [-0.4878, 0.3461, -0.1749, 0.4998, -0.5914, 0.3403, -0.0006, 0.1156, 0.6703, 1.0604]
    y += [0.3498, 0.345, 0.9101, -0.1026, 0.0103, 0.6888, -1.0914, 0.1295, 0.7025, -0.3411]
    s = [0.9267, 0.535, 0.3777, 0.6081, 0.902, 0.4915, 0.4806, 0.1441, 0.9112, 0.2857]
    s += [0.856, 0.8716, 0.0726, 0.304, 0.1601, 0.3283, 0.9081, 0.0161, 0.7459, 0.642]
    v = [x * x for x in s]
    res = meta_analysis(GenericData([str(i) for i in range(20)], y, s), PoolingSpec("GENERIC", "random", "REML"))
    assert res.converged and res.tau2_iterations <= 30

    def nll(t: float) -> float:
        w = [1 / (x + t) for x in v]
        mu = sum(a * b for a, b in zip(w, y, strict=True)) / sum(w)
        q = sum(a * (b - mu) ** 2 for a, b in zip(w, y, strict=True))
        return 0.5 * (sum(math.log(x + t) for x in v) + math.log(sum(w)) + q)

    want = optimize.minimize_scalar(nll, bounds=(0, 5), method="bounded", options={"xatol": 1e-12}).x
    assert res.tau2 == pytest.approx(want, rel=1e-6)
