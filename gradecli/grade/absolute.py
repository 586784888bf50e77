"""Absolute effects for the Summary-of-Findings table (Cochrane Handbook v6.5
§14.1.5; the formulas GRADEpro uses).

Dichotomous and time-to-event outcomes: for each assumed comparator risk (ACR) — from the file,
else the median control-group risk of the studies (Cochrane Handbook 11.5.5) — the risk with the
intervention and the risk difference per 1000 (or per ``thresholds.per``), the CI transformed
with the ACR held fixed:

* RR: risk = ACR × RR; OR: risk = OR·ACR / (1 − ACR + OR·ACR); HR: risk = 1 − (1 − ACR)^HR;
  RD (pooled directly): risk = ACR + RD.

Continuous outcomes: the mean in the comparator group (median of the studies' control means, when
per-study means are given) and the mean difference; SMD with Cohen's rule-of-thumb size (0.2
small, 0.5 moderate, 0.8 large — context-free, as the Handbook warns).
"""

from __future__ import annotations

from gradecli.grade.assessment import AbsoluteEffect, ContinuousEffect
from gradecli.grade.context import OutcomeContext
from gradecli.grade.scale import risk_with_intervention
from gradecli.model.evidence import ContinuousRow
from gradecli.model.vocab import Measure


def _risk(measure: Measure, value: float | None, acr: float) -> float | None:
    """Corresponding risk, kept within [0, 1]: an RR of 7.7 at a risk of 25% cannot mean 192%."""
    if value is None:
        return None
    try:
        return min(1.0, max(0.0, risk_with_intervention(measure, value, acr)))
    except (ValueError, ZeroDivisionError, OverflowError):
        return None


def absolute_effects(ctx: OutcomeContext) -> list[AbsoluteEffect]:
    if ctx.measure not in (Measure.RR, Measure.OR, Measure.PETO_OR, Measure.HR, Measure.RD):
        return []
    t = ctx.outcome.thresholds
    per = t.per if t else 1000
    risks: list[tuple[float, str | None, str | None]] = [(a.value, a.label, a.source) for a in ctx.outcome.assumed_risk]
    if not risks and ctx.control_risk is not None:
        risks = [(ctx.control_risk, None, ctx.control_risk_source)]
    e = ctx.effect
    out = []
    for acr, label, source in risks:
        risk: dict[str, float | None] = {"est": None, "lo": None, "hi": None}
        if e is not None:
            risk = {k: _risk(ctx.measure, v, acr) for k, v in (("est", e.estimate), ("lo", e.lo), ("hi", e.hi))}
        scaled = {k: None if v is None else v * per for k, v in risk.items()}
        diff = {k: None if v is None else (v - acr) * per for k, v in risk.items()}
        out.append(
            AbsoluteEffect(
                label=label,
                source=source,
                per=per,
                comparator=acr * per,
                intervention=scaled["est"],
                intervention_lb=scaled["lo"],
                intervention_ub=scaled["hi"],
                difference=diff["est"],
                difference_lb=diff["lo"],
                difference_ub=diff["hi"],
            )
        )
    return out


def smd_size(value: float) -> str:
    v = abs(value)
    if v < 0.2:
        return "trivial"
    if v < 0.5:
        return "small"
    if v < 0.8:
        return "moderate"
    return "large"


def _median(values: list[float]) -> float:
    """The median, halving before adding so that two means near the float maximum stay finite
    (``statistics.median([1e308, 1.7e308])`` is inf)."""
    s = sorted(values)
    m = len(s) // 2
    return s[m] if len(s) % 2 else s[m - 1] / 2 + s[m] / 2


def continuous_effect(ctx: OutcomeContext) -> ContinuousEffect | None:
    if ctx.measure not in (Measure.MD, Measure.SMD, Measure.GENERIC):
        return None
    e = ctx.effect
    means = [r.mean_c for r in ctx.outcome.data or [] if isinstance(r, ContinuousRow)]
    comparator = _median(means) if means else None
    source = f"median of {len(means)} control-group means" if means else None
    return ContinuousEffect(
        comparator_mean=comparator,
        comparator_source=source,
        measure=ctx.measure.value,
        difference=e.estimate if e else None,
        difference_lb=e.lo if e else None,
        difference_ub=e.hi if e else None,
        smd_size=smd_size(e.estimate) if e and e.estimate is not None and ctx.measure is Measure.SMD else None,
    )
