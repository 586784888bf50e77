"""Builders for the GRADE engine tests (imported by the other ``test_grade_*`` files), and checks that
the independent reference formulas used by those tests are themselves right.

The helpers build evidence with the pydantic models and run the evidence file's own cross-checks,
so every body of evidence in the tests is one the file format accepts.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from scipy import stats

import gradecli
from gradecli.grade.assessment import DomainAssessment, OutcomeAssessment
from gradecli.model.checks import check_evidence
from gradecli.model.evidence import Evidence


def make_evidence(outcomes: list[dict[str, Any]] | dict[str, Any], studies: list[dict[str, Any]] | None = None):
    if isinstance(outcomes, dict):
        outcomes = [outcomes]
    ev = Evidence.model_validate(
        {"gradecli": 1, "review": {"title": "test"}, "studies": studies or [], "outcomes": outcomes}
    )
    problems = check_evidence(ev)
    assert not problems, problems
    return ev


def outcome(**kw: Any) -> dict[str, Any]:
    base = {"id": kw.pop("id", "o1"), "name": kw.pop("name", "Outcome"), "importance": "critical"}
    base.setdefault("type", "dichotomous")
    base.update(kw)
    return base


def summary_outcome(estimate, ci, participants=1000, studies=5, **kw: Any) -> dict[str, Any]:
    s = {"estimate": estimate, "ci": list(ci), "participants": participants, "studies": studies}
    s.update(kw.pop("summary_extra", {}))
    return outcome(summary=s, **kw)


def rct(sid: str, overall: str | None = None, tool: str = "rob2", design: str = "rct") -> dict[str, Any]:
    study: dict[str, Any] = {"id": sid, "design": design}
    if overall is not None:
        study["risk_of_bias"] = {"tool": tool, "overall": overall}
    return study


def generic_rows(ys, ses, ids=None, participants=None) -> list[dict[str, Any]]:
    ids = ids or [f"S{i + 1}" for i in range(len(ys))]
    rows = []
    for i, (y, s) in enumerate(zip(ys, ses, strict=True)):
        row = {"study": ids[i], "yi": y, "sei": s}
        if participants is not None:
            row["participants"] = participants[i]
        rows.append(row)
    return rows


FIXED = {"model": "fixed", "method": "IV"}


def assess_one(outcome_dict, studies=None, rules: Any = "default") -> OutcomeAssessment:
    """Assess one outcome. Without ``studies``, every study in the rows is a randomised trial with
    no risk-of-bias assessment."""
    if studies is None:
        studies = [
            {"id": sid, "design": "rct"} for sid in dict.fromkeys(r["study"] for r in outcome_dict.get("data") or [])
        ]
    ev = make_evidence(outcome_dict, studies)
    return gradecli.assess(ev, rules=rules).outcomes[0]


def rule_context(outcome_dict, studies=None, rules: Any = "default"):
    """What a rule's ``judge`` reads for one outcome: (context, judging scale, rule set), built as the
    engine builds them (tests/test_rules_*.py call the rules directly with these)."""
    from gradecli.grade.context import build_context
    from gradecli.grade.ruleset import RuleSet, load_ruleset
    from gradecli.grade.scale import judging_scale

    if studies is None:
        studies = [
            {"id": sid, "design": "rct"} for sid in dict.fromkeys(r["study"] for r in outcome_dict.get("data") or [])
        ]
    ev = make_evidence(outcome_dict, studies)
    ruleset = rules if isinstance(rules, RuleSet) else load_ruleset(rules)
    egger = ruleset.settings("PUB-EGGER")
    ctx = build_context(ev, ev.outcomes[0], egger=egger.enabled, egger_min_k=egger.min_studies)
    return ctx, judging_scale(ctx, ruleset), ruleset


def with_rules(base: str = "default", **by_code: dict[str, Any]):
    """A rule set extending a shipped one, with some rules' settings changed (by code, "-" as "_")."""
    from gradecli.grade.ruleset import load_ruleset

    parent = load_ruleset(base).model_dump(mode="json")
    for code, values in by_code.items():
        parent["rules"][code.replace("_", "-")].update(values)
    from gradecli.grade.ruleset import RuleSet

    return RuleSet.model_validate({**parent, "name": "test"})


def dom(oa: OutcomeAssessment, name: str) -> DomainAssessment:
    return next(d for d in oa.domains if d.domain == name)


def up(oa: OutcomeAssessment, name: str):
    return next(u for u in oa.upgrades if u.domain == name)


# --- independent reference formulas (a few lines each, not gradecli's code) ---------------------


def q_i2(ys, ses) -> tuple[float, float, float]:
    """Cochran's Q, its chi-square p and I² (percent) around the fixed-effect mean."""
    w = [1 / s**2 for s in ses]
    mean = sum(wi * y for wi, y in zip(w, ys, strict=True)) / sum(w)
    q = sum(wi * (y - mean) ** 2 for wi, y in zip(w, ys, strict=True))
    df = len(ys) - 1
    i2 = max(0.0, (q - df) / q) * 100 if q > 0 else 0.0
    return q, float(stats.chi2.sf(q, df)), i2


def fixed_pool(ys, ses) -> tuple[float, float, float]:
    w = [1 / s**2 for s in ses]
    mean = sum(wi * y for wi, y in zip(w, ys, strict=True)) / sum(w)
    se = 1 / math.sqrt(sum(w))
    return mean, mean - 1.959963984540054 * se, mean + 1.959963984540054 * se


def ois_dichotomous(p0: float, rrr: float = 0.25, alpha: float = 0.05, power: float = 0.8) -> int:
    """Total participants for one two-arm trial (normal approximation, GRADE 6)."""
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    p1 = p0 * (1 - rrr)
    return 2 * math.ceil(z**2 * (p0 * (1 - p0) + p1 * (1 - p1)) / (p0 - p1) ** 2)


def ois_continuous(smd: float = 0.2, alpha: float = 0.05, power: float = 0.8) -> int:
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return 2 * math.ceil(2 * z**2 / smd**2)


def egger_fixed(ys, ses) -> tuple[float, float]:
    """Weighted regression of y on se (weights 1/se²), z-test of the slope: (slope, two-sided p)."""
    w = [1 / s**2 for s in ses]
    sw = sum(w)
    sx = sum(wi * s for wi, s in zip(w, ses, strict=True))
    sxx = sum(wi * s * s for wi, s in zip(w, ses, strict=True))
    sy = sum(wi * y for wi, y in zip(w, ys, strict=True))
    sxy = sum(wi * s * y for wi, s, y in zip(w, ses, ys, strict=True))
    det = sw * sxx - sx * sx
    slope = (sw * sxy - sx * sy) / det
    se = math.sqrt(sw / det)
    return slope, float(2 * stats.norm.sf(abs(slope / se)))


# --- the reference formulas against textbook values ------------------------------------------


def test_q_i2_textbook():
    # three studies at -1, 0, 1 with SE 0.5: weights 4, Q = 4 + 4 = 8 on 2 df, I² = 6/8 = 75%
    q, p, i2 = q_i2([-1, 0, 1], [0.5, 0.5, 0.5])
    assert q == pytest.approx(8.0)
    assert i2 == pytest.approx(75.0)
    assert p == pytest.approx(math.exp(-4))  # chi-square on 2 df: p = exp(-Q/2)


def test_ois_textbook():
    # GRADE 6 worked example territory: control risk 20%, RRR 25% → about 900 per arm
    assert 1800 <= ois_dichotomous(0.2) <= 1820
    # SMD 0.2: 2 × 1.96+0.84 squared / 0.04 ≈ 393 per group (metaumbrella uses 394)
    assert ois_continuous() in (786, 788)
