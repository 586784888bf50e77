"""Plain-language statements (GRADE guidance 26: Santesso N et al., J Clin Epidemiol 2020;119:126–135,
doi:10.1016/j.jclinepi.2019.10.014).

A statement combines the certainty with the size of the effect judged against the outcome's
thresholds (the same ones imprecision uses):

* important effect: high "X reduces Y"; moderate "X probably reduces Y"; low "X may reduce Y";
* large effect (beyond ``large``): "X (probably / may) result(s) in a large reduction in Y";
* trivial effect: "X (probably / may) result(s) in little to no difference in Y";
* very low, whatever the size: "The evidence is very uncertain about the effect of X on Y."

"reduce"/"increase" follow the sign of the effect (fewer or more events, lower or higher scores),
not whether it is good. Without a threshold the size is not judged and the statement says so.
"""

from __future__ import annotations

from gradecli.grade.context import OutcomeContext
from gradecli.grade.scale import Scale, effect_on_scale
from gradecli.model.vocab import Certainty

HEDGE = {Certainty.high: "", Certainty.moderate: "probably ", Certainty.low: "may "}


def _name(text: str) -> str:
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def statement(ctx: OutcomeContext, scale: Scale | None, certainty: Certainty | None) -> str | None:
    if certainty is None or ctx.effect is None or ctx.effect.estimate is None:
        return None
    q = ctx.evidence.review.question
    x = q.intervention if q else "The intervention"
    y = _name(ctx.outcome.name)
    if certainty is Certainty.very_low:
        return f"The evidence is very uncertain about the effect of {_name(x)} on {y}."
    hedge = HEDGE[certainty]
    point = effect_on_scale(scale, ctx.effect) if scale else None
    if point is None or scale is None:
        value = ctx.effect.estimate
        up = value > 1 if ctx.is_ratio else value > 0
        verb = "increase" if up else "reduce"
        return _cap(f"{x} {hedge}{_verb(verb, hedge)} {y} (the size of the effect was not judged: no threshold given).")
    v = point[0]
    zone, n = scale.zone(v), len(scale.boundaries)
    positive = [b for b in scale.boundaries if b > 0]
    trivial = abs(v) <= (positive[0] if positive else 0) and 0.0 not in scale.boundaries
    if trivial:
        return _cap(f"{x} {hedge}{_verb('result', hedge)} in little to no difference in {y}.")
    up = v > 0
    large = len(positive) == 3 and (zone == 0 or zone == n) and abs(v) > positive[-1]
    if large:
        return _cap(f"{x} {hedge}{_verb('result', hedge)} in a large {'increase' if up else 'reduction'} in {y}.")
    return _cap(f"{x} {hedge}{_verb('increase' if up else 'reduce', hedge)} {y}.")


def _verb(verb: str, hedge: str) -> str:
    return verb if hedge == "may " else verb + "s"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
