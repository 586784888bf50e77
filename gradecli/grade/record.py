"""What the engine records in the Assessment beside the ratings: the studies, each outcome's rows as
analysed, the pooled result, the small-study test and the judging scale with its thresholds drawn
back on the measure's scale. Renderers, plots, ``check`` and ``diff`` read these records and never
go back to the evidence file or the statistics."""

from __future__ import annotations

import math
from typing import Literal

from gradecli.grade.assessment import (
    AnalysedRow,
    JudgingScale,
    PooledAnalysis,
    Reference,
    SmallStudyTest,
    StudyRecord,
    StudyRiskOfBias,
    Target,
)
from gradecli.grade.context import OutcomeContext, row_participants
from gradecli.grade.scale import Scale, choose_target, effect_on_scale, methods_line, size
from gradecli.model.evidence import ContinuousRow, DichotomousRow, Evidence, GenericRow
from gradecli.model.vocab import RATIO_MEASURES, Measure


def studies(evidence: Evidence) -> list[StudyRecord]:
    out = []
    for s in evidence.studies:
        rob = None
        if s.risk_of_bias is not None:
            rob = StudyRiskOfBias(
                tool=s.risk_of_bias.tool,
                overall=s.risk_of_bias.overall.value,
                domains={k.value: v.value for k, v in s.risk_of_bias.domains.items()},
            )
        out.append(
            StudyRecord(
                id=s.id,
                design=s.design.value,
                year=s.year,
                funding=s.funding,
                registration=s.registration,
                risk_of_bias=rob,
            )
        )
    return out


def rows(ctx: OutcomeContext) -> list[AnalysedRow]:
    """The outcome's data rows as analysed, in file order."""
    data = ctx.outcome.data or []
    weights = dict(ctx.pooled.weights) if ctx.pooled is not None else {}
    judged: dict[str, tuple[str | None, str | None]] = {}
    out = []
    for i, row in enumerate(data):
        label = ctx.row_labels[i]
        if row.study not in judged:
            judged[row.study] = ctx.study_judgment(row.study)
        judgment, tool = judged[row.study]
        view = ctx.row_effects[i] if i < len(ctx.row_effects) else None
        ysei = ctx.row_yisei[i] if i < len(ctx.row_yisei) else None
        dropped = ctx.row_dropped[i] if i < len(ctx.row_dropped) else None
        pct = weights.get(label)
        extra: dict[str, float | int] = {}
        if isinstance(row, DichotomousRow):
            extra = {"events_t": row.events_t, "n_t": row.n_t, "events_c": row.events_c, "n_c": row.n_c}
        elif isinstance(row, ContinuousRow):
            extra = {
                "mean_t": row.mean_t,
                "sd_t": row.sd_t,
                "n_t": row.n_t,
                "mean_c": row.mean_c,
                "sd_c": row.sd_c,
                "n_c": row.n_c,
            }
        else:
            if row.n_t is not None:
                extra["n_t"] = row.n_t
            if row.n_c is not None:
                extra["n_c"] = row.n_c
        out.append(
            AnalysedRow.model_validate(
                {
                    "label": label,
                    "study": row.study,
                    "row_label": row.label,
                    "estimate": view.estimate if view else None,
                    "ci_lb": view.lo if view else None,
                    "ci_ub": view.hi if view else None,
                    "yi": ysei[0] if ysei else None,
                    "sei": ysei[1] if ysei else None,
                    "weight": pct / 100.0 if pct is not None else None,
                    "participants": row_participants(row),
                    **extra,
                    "risk_of_bias": judgment,
                    "risk_of_bias_tool": tool,
                    "included": ctx.pooled is not None and label in weights,
                    "dropped_reason": dropped if ctx.pooled is not None else ctx.not_estimable,
                }
            )
        )
    if ctx.left_out_rows:
        out += [_left_out(ctx, row) for row in ctx.left_out_rows]
        out.sort(key=lambda r: ctx.study_order.get(r.study, len(ctx.study_order)))  # stable: file order
    return out


def _left_out(ctx: OutcomeContext, row: DichotomousRow | ContinuousRow | GenericRow) -> AnalysedRow:
    """A row of a study at critical risk of bias: shown with its own estimate, not pooled."""
    from gradecli.grade.context import row_label, row_view, row_yi_sei

    try:
        ysei = row_yi_sei(row, ctx.measure)
    except ValueError:
        ysei = None
    view = row_view(ysei, ctx.measure)
    judgment, tool = ctx.study_judgment(row.study)
    counts = {
        k: getattr(row, k, None) for k in ("events_t", "n_t", "events_c", "n_c", "mean_t", "sd_t", "mean_c", "sd_c")
    }
    return AnalysedRow.model_validate(
        {
            "label": row_label(row),
            "study": row.study,
            "row_label": row.label,
            "estimate": view.estimate,
            "ci_lb": view.lo,
            "ci_ub": view.hi,
            "yi": ysei[0] if ysei else None,
            "sei": ysei[1] if ysei else None,
            "participants": row_participants(row),
            **{k: v for k, v in counts.items() if v is not None},
            "risk_of_bias": judgment,
            "risk_of_bias_tool": tool,
            "included": False,
            "dropped_reason": "critical risk of bias (ROBINS-I): left out of the primary analysis",
        }
    )


def pooled(ctx: OutcomeContext) -> PooledAnalysis | None:
    p = ctx.pooled
    if p is None:
        return None
    cc = {str(k): v for k, v in p.cc.items() if isinstance(v, (str, float, int, bool))} if p.cc else None
    # every statistic PooledAnalysis names is copied from the result under the same name; the three
    # that need converting for JSON are given explicitly
    special = {
        "continuity_correction": cc,
        "dropped": [{"study": d.study, "reason": d.reason} for d in p.dropped],
        "warnings": [*p.warnings, *ctx.analysis_notes],
    }
    return PooledAnalysis.model_validate(
        {name: special[name] if name in special else getattr(p, name) for name in PooledAnalysis.model_fields}
    )


def small_study_test(ctx: OutcomeContext) -> SmallStudyTest | None:
    e = ctx.pooled.egger if ctx.pooled is not None else None
    if e is None:
        return None
    direction: Literal["larger estimates in smaller studies", "smaller estimates in smaller studies", "none"]
    if e.slope > 0:
        direction = "larger estimates in smaller studies"
    elif e.slope < 0:
        direction = "smaller estimates in smaller studies"
    else:
        direction = "none"
    return SmallStudyTest(
        method=f"Egger, {e.method}",
        k=e.k,
        intercept=e.intercept,
        slope=e.slope,
        se=e.se,
        stat=e.stat,
        p=e.pval,
        test="t" if e.test == "t" else "z",
        df=e.df,
        tau2=e.tau2,
        converged=e.converged,
        direction=direction,
    )


def inverse(scale: Scale, measure: Measure, b: float) -> float | None:
    """A boundary on the judging scale back on the measure's natural scale (None when it has none)."""
    try:
        if scale.kind == "relative":
            return math.exp(b)
        if scale.kind == "absolute":
            acr = scale.acr
            if acr is None:
                return None
            risk = acr + b / scale.per
            if not 0 < risk < 1:
                return None
            if measure is Measure.RR:
                return risk / acr
            if measure in (Measure.OR, Measure.PETO_OR):
                return (risk / (1 - risk)) / (acr / (1 - acr))
            if measure is Measure.HR:
                return math.log(1 - risk) / math.log(1 - acr)
            if measure is Measure.RD:
                return b / scale.per
            return None
        return b / (scale.per if measure is Measure.RD else 1)
    except (ValueError, ZeroDivisionError, OverflowError):
        return None


def references(scale: Scale, measure: Measure) -> list[Reference]:
    out = []
    for b in scale.boundaries:
        if b == 0.0:
            continue  # the null line is drawn anyway
        v = inverse(scale, measure, b)
        if v is None or not math.isfinite(v) or (measure in RATIO_MEASURES and v <= 0):
            continue
        if scale.kind == "absolute":
            label = f"{abs(b):g} {'more' if b > 0 else 'fewer'} per {scale.per:,}"
        elif scale.kind == "relative":
            label = f"{v:.2f}"
        else:
            label = f"{b:+g}"
        out.append(Reference(value=v, label=label))
    return out


def judging_scale(scale: Scale | None, measure: Measure) -> JudgingScale | None:
    if scale is None:
        return None
    kind: Literal["absolute", "relative", "difference"] = (
        "absolute" if scale.kind == "absolute" else "relative" if scale.kind == "relative" else "difference"
    )
    return JudgingScale(
        kind=kind,
        boundaries=[b for b in scale.boundaries if math.isfinite(b)],
        unit=scale.unit,
        per=scale.per,
        assumed_risk=scale.acr,
        note=scale.threshold_note,
        default_used=scale.default_used,
        references=references(scale, measure),
    )


def _magnitude(scale: Scale, m: float | None, sign: int) -> float | None:
    """A threshold magnitude in the reader's terms: per ``per`` / outcome units, or a ratio."""
    if m is None:
        return None
    return math.exp(sign * m) if scale.kind == "relative" else m


def target(ctx: OutcomeContext, scale: Scale | None) -> Target | None:
    """What the rating is about (the point estimate's position against the MIDs or the null)."""
    on = effect_on_scale(scale, ctx.effect) if scale is not None and ctx.effect is not None else None
    if on is None or scale is None:
        return None
    v = on[0]
    choice = choose_target(scale, v)
    benefit_sign = 1 if scale.increase_is_benefit else -1
    ben, harm = (scale.up, scale.down) if scale.increase_is_benefit else (scale.down, scale.up)
    if scale.increase_is_benefit is None:  # no polarity: "benefit" is the reduction side by convention of the MIDs
        ben, harm, benefit_sign = scale.down, scale.up, -1
    defaults = [scale.default_used] if scale.default_used else []
    defaults += [f"{side.mid_note}" for side in (scale.down, scale.up) if side.mid_note]
    if choice.note:
        defaults.append(choice.note)
    line = methods_line(scale, choice, v)
    return Target(
        kind=choice.kind,
        direction=choice.direction,
        chosen_by=choice.chosen_by,
        scale="absolute" if scale.kind == "absolute" else "relative" if scale.kind == "relative" else "difference",
        unit=scale.unit,
        per=scale.per,
        assumed_risk=scale.acr,
        mid_benefit=_magnitude(scale, ben.mid, benefit_sign),
        mid_harm=_magnitude(scale, harm.mid, -benefit_sign),
        moderate=_magnitude(scale, scale.up.moderate, 1),
        large=_magnitude(scale, scale.up.large, 1),
        source=scale.source,
        defaults_used=defaults,
        methods_line=line,
    )


def zone(ctx: OutcomeContext, scale: Scale | None) -> str | None:
    on = effect_on_scale(scale, ctx.effect) if scale is not None and ctx.effect is not None else None
    return size(scale, on[0]) if on is not None and scale is not None else None
