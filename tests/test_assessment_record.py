"""The Assessment is the one source of truth downstream (issue 13): what the engine records beside
the ratings, checked against independent computations — never against the engine itself.

* Egger's regression: the slope, intercept and SE in the Assessment against a weighted least-squares
  fit done here with numpy (y = b0 + b1·sei, weights 1/(vᵢ + τ²) at the τ² the test reports), and
  its p against metafor's ``regtest`` (tests/fixtures/metafor/bcg-rr-reml.json, with its R call);
* the direction the publication-bias rule states comes from the sign of that same slope;
* ``PUB-EGGER.min_studies`` reaches the test (it used to be hard-coded at 10), with the
  floor of 3 (a residual degree of freedom);
* ``diff`` reports rating up and every change of a domain's status, read from two Assessments.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

import gradecli
from gradecli.grade.context import build_context
from gradecli.io.evidence import load_evidence

ROOT = Path(__file__).resolve().parent.parent
BCG = ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml"
FIXTURE = Path(__file__).parent / "fixtures" / "metafor" / "bcg-rr-reml.json"  # with its R call (regtest)


def test_egger_fit_matches_an_independent_weighted_least_squares() -> None:
    np = pytest.importorskip("numpy")
    assessment = gradecli.assess(load_evidence(str(BCG)))
    o = assessment.outcomes[0]
    t = o.small_study_test
    assert t is not None and t.k == 13
    y = np.array([r.yi for r in o.rows if r.included])
    sei = np.array([r.sei for r in o.rows if r.included])
    w = 1.0 / (sei**2 + t.tau2)
    x = np.column_stack([np.ones_like(sei), sei])
    cov = np.linalg.inv(x.T @ (w[:, None] * x))
    b0, b1 = cov @ (x.T @ (w * y))
    assert t.intercept == pytest.approx(b0, rel=1e-9, abs=1e-12)
    assert t.slope == pytest.approx(b1, rel=1e-9, abs=1e-12)
    assert t.se == pytest.approx(math.sqrt(cov[1, 1]), rel=1e-9)
    assert t.direction == ("larger estimates in smaller studies" if b1 > 0 else "smaller estimates in smaller studies")


def test_egger_p_matches_metafor_regtest() -> None:
    case = json.loads(FIXTURE.read_text(encoding="utf-8"))
    o = gradecli.assess(load_evidence(str(BCG))).outcomes[0]
    assert o.small_study_test is not None
    assert o.small_study_test.p == pytest.approx(case["expected"]["egger_p"], rel=1e-6)
    assert o.effect is not None and o.effect.egger_p == o.small_study_test.p  # one fit, one number


def test_min_studies_reaches_the_test() -> None:
    ev = load_evidence(str(BCG))
    few = ev.outcomes[0].model_copy(update={"data": (ev.outcomes[0].data or [])[:6]})
    assert build_context(ev, few).pooled.egger is None  # type: ignore[union-attr]  # default: 10 studies
    got = build_context(ev, few, egger_min_k=5).pooled
    assert got is not None and got.egger is not None and got.egger.k == 6
    three = ev.outcomes[0].model_copy(update={"data": (ev.outcomes[0].data or [])[:2]})
    assert build_context(ev, three, egger_min_k=1).pooled.egger is None  # type: ignore[union-attr]  # floor 3


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gradecli", *args], capture_output=True, text=True, timeout=120)


def test_diff_reports_rating_up(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    text = BCG.read_text(encoding="utf-8")
    old.write_text(text, encoding="utf-8")
    judged = text.replace(
        "    judgements:\n",
        "    judgements:\n      dose_response:\n        levels: 1\n"
        "        reason: A gradient with latitude (illustrative, for this test).\n",
        1,
    )
    assert judged != text
    new.write_text(judged, encoding="utf-8")
    out = _run("diff", str(old), str(new), "--format", "json")
    assert out.returncode == 0, out.stderr
    entry = json.loads(out.stdout)["outcomes"][0]
    changes = {d["domain"]: d for d in entry["domains"]}
    assert changes["dose_response"]["old"] is None and changes["dose_response"]["new"] == "+1"
    text_out = _run("diff", str(old), str(new)).stdout
    assert "dose–response gradient: not assessed → +1" in text_out
