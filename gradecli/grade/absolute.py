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

import math

from gradecli.grade.assessment import AbsoluteEffect, ContinuousEffect
from gradecli.grade.context import OutcomeContext
from gradecli.grade.scale import Scale, effect_on_scale, risk_with_intervention, size
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


def continuous_effect(ctx: OutcomeContext, scale: Scale | None = None) -> ContinuousEffect | None:
    """The comparator mean and the difference. An SMD has no comparator mean unless the outcome names
    a reference instrument (the studies' means are on different scales), and is re-expressed in
    that instrument's units when it does (GRADE 13; Cochrane Handbook v6.5 §15.5.3.1); its size
    comes from the outcome's thresholds when it gives an MID (the statement's zones), else from
    Cohen's rule of thumb, labelled context-free."""
    if ctx.measure not in (Measure.MD, Measure.SMD, Measure.GENERIC):
        return None
    e = ctx.effect
    ref = ctx.outcome.reference_instrument
    comparator: float | None = None
    source: str | None = None
    if ctx.measure is Measure.SMD:
        if ref is not None and ref.comparator_mean is not None:
            comparator, source = ref.comparator_mean, f"{ref.name}" + (f" ({ref.source})" if ref.source else "")
    else:
        means = [r.mean_c for r in ctx.outcome.data or [] if isinstance(r, ContinuousRow)]
        comparator = _median(means) if means else None
        source = f"median of {len(means)} control-group means" if means else None
    size_word = size_source = None
    if e is not None and e.estimate is not None and ctx.measure is Measure.SMD:
        on = effect_on_scale(scale, e) if scale is not None and scale.has_mid else None
        if on is not None and scale is not None:
            size_word, size_source = size(scale, on[0]), "the outcome's thresholds"
        else:
            size_word, size_source = smd_size(e.estimate), "Cohen's rule of thumb, context-free"
    again = ref is not None and ctx.measure is Measure.SMD and e is not None
    return ContinuousEffect(
        comparator_mean=comparator,
        comparator_source=source,
        measure=ctx.measure.value,
        difference=e.estimate if e else None,
        difference_lb=e.lo if e else None,
        difference_ub=e.hi if e else None,
        smd_size=size_word,
        smd_size_source=size_source,
        instrument=ref.name if again and ref is not None else None,
        instrument_units=ref.units if again and ref is not None else None,
        instrument_difference=_times(e.estimate, ref.sd) if again and e and ref else None,
        instrument_difference_lb=_times(e.lo, ref.sd) if again and e and ref else None,
        instrument_difference_ub=_times(e.hi, ref.sd) if again and e and ref else None,
    )


def _times(v: float | None, sd: float) -> float | None:
    if v is None:
        return None
    out = v * sd
    return out if math.isfinite(out) else None
