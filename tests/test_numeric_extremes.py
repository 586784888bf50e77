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
    for args in (("--detail",), ("--format", "json"), ("--format", "markdown")):
        result = run_cli("assess", str(path), *args, env={"COLUMNS": "120"})
        assert result.returncode == 0, result.stderr
        assert "internal error" not in result.stderr
        if "json" in args:
            strict_json(result.stdout)
        assert_no_nonfinite_text(result.stdout)
    if case == "override-no-estimate":
        data = strict_json(run_cli("assess", str(path), "--format", "json").stdout)
        outcome = data["outcomes"][0]  # type: ignore[index]
        assert outcome["certainty"] == "low" and outcome["computed_certainty"] is None
        assert "the domains give no rating: there is no estimate" in outcome["footnotes"][0]
    if case == "ois-tiny-risk":
        data = strict_json(run_cli("assess", str(path), "--format", "json").stdout)
        imprecision = next(d for d in data["outcomes"][0]["domains"] if d["domain"] == "imprecision")  # type: ignore[index]
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
    r = rules.imprecision
    z = Fraction(NormalDist().inv_cdf(1 - r.ois_alpha / 2) + NormalDist().inv_cdf(r.ois_power))
    for p0 in (0.5, 0.2, 0.05, 0.01, 0.001, 1e-6):
        ctx = OutcomeContext(ev, ev.outcomes[0], ev.outcomes[0].effective_measure, None, control_risk=p0)  # type: ignore[arg-type]
        got = optimal_information_size(ctx, rules)
        assert got is not None
        q0 = Fraction(p0)
        q1 = q0 * (1 - Fraction(r.ois_rrr))
        exact = z * z * (q0 * (1 - q0) + q1 * (1 - q1)) / (q0 - q1) ** 2
        assert got[0] == 2 * math.ceil(exact)
