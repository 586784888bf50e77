"""The scale on which an outcome's thresholds are judged, and where an effect lies on it.

GRADE judges certainty against a target (GRADE guidance 41): the thresholds that bound the trivial
zone, or the null when the target is "any effect". Which scale:

* **absolute** — dichotomous (or time-to-event) outcomes with an assumed comparator risk and an
  absolute threshold (``thresholds.mid`` per ``per`` people): the risk difference per 1000, from the
  relative effect and the assumed risk by GRADEpro's formulas (Cochrane Handbook v6.5 §14.1.5);
* **relative** — ratio measures otherwise: log ratio against ±log(threshold), the threshold being
  ``thresholds.relative`` (symmetric: 1/r and r) or the rule set's ``scale.relative_threshold_low``
  and ``scale.relative_threshold`` (GRADE 6's rough guide: 0.75 and 1.25);
* **difference** — MD, SMD, RD and generic estimates against ``thresholds.mid`` (SMD falls back to
  the rule set's ``scale.smd_threshold``); with no threshold, only the null (or nothing) is a boundary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gradecli.formatting import BIG, fixed, power_of_ten
from gradecli.grade.context import EffectView, OutcomeContext
from gradecli.model.vocab import Benefit, Measure

if TYPE_CHECKING:  # the rule set imports the rules, which import this module
    from gradecli.grade.ruleset import RuleSet


def risk_with_intervention(measure: Measure, value: float, acr: float) -> float:
    """Corresponding risk from a relative effect and the assumed comparator risk (GRADEpro's formulas;
    Cochrane Handbook §14.1.5)."""
    if measure in (Measure.RR,):
        return acr * value
    if measure in (Measure.OR, Measure.PETO_OR):
        return value * acr / (1 - acr + value * acr)
    if measure is Measure.HR:
        return float(1 - (1 - acr) ** value)  # float ** float is typed Any
    if measure is Measure.RD:
        return acr + value
    raise ValueError(f"no absolute effect for {measure.value}")


@dataclass(frozen=True)
class Scale:
    kind: str  # absolute | relative | difference
    boundaries: tuple[float, ...]  # sorted, on the judging scale
    unit: str
    per: int = 1000
    acr: float | None = None
    threshold_note: str = ""
    default_used: str | None = None  # a default the rule set supplied, stated in footnotes

    def value(self, measure: Measure, natural: float) -> float:
        """The value on this scale; ValueError when there is none (a ratio of 0, or a result that
        is not a finite number, e.g. an RD of 1e306 per 1000)."""
        if self.kind == "absolute":
            assert self.acr is not None
            risk = min(1.0, max(0.0, risk_with_intervention(measure, natural, self.acr)))
            out = (risk - self.acr) * self.per
        elif self.kind == "relative":
            out = math.log(natural)
        else:
            out = natural * (self.per if measure is Measure.RD else 1)
        if not math.isfinite(out):
            raise ValueError("not a finite value on the judging scale")
        return out

    def crossings(self, lo: float, hi: float) -> int:
        return sum(1 for b in self.boundaries if lo < b < hi)

    def zone(self, v: float) -> int:
        return sum(1 for b in self.boundaries if v > b)

    def show(self, v: float) -> str:
        if self.kind == "absolute":
            return f"{abs(v):.0f} {'more' if v >= 0 else 'fewer'} per {self.per:,}"
        if self.kind == "relative":
            return fixed(math.exp(v))  # a power of ten from a million on, not hundreds of digits
        if abs(v) >= BIG:
            return power_of_ten(v, 3)  # as the table cells: 1.13×10⁵⁰, not 1.13e+50
        return f"{v:.3g}".replace("-", "−")  # a true minus sign, as in the table cells

    def show_interval(self, lo: float, hi: float) -> str:
        if self.kind == "absolute":
            return f"{self.show(lo)} to {self.show(hi)}"
        return f"{self.show(lo)} to {self.show(hi)}"


def judging_scale(ctx: OutcomeContext, rules: RuleSet) -> Scale | None:
    """The scale and boundaries for this outcome, or None when nothing can be judged."""
    t = ctx.outcome.thresholds
    any_effect = t is not None and t.target == "any_effect"
    measure = ctx.measure
    ratio = ctx.is_ratio
    steps = [v for v in ((t.mid, t.moderate, t.large) if t else ()) if v is not None]
    per = t.per if t else 1000
    if (ratio or measure is Measure.RD) and ctx.control_risk is not None and steps:
        bounds = sorted({*(-s for s in steps), *steps, *((0.0,) if any_effect else ())})
        note = f"MID {steps[0]:g} per {per:,} at an assumed risk of {ctx.control_risk * per:.0f} per {per:,}"
        return Scale("absolute", tuple(bounds), f"per {per:,}", per, ctx.control_risk, note)
    if ratio:
        given = t.relative if t and t.relative else None
        r = given or rules.scale.relative_threshold
        low = 1 / r if given or rules.scale.relative_threshold_low is None else rules.scale.relative_threshold_low
        bounds = sorted({math.log(low), math.log(r), *((0.0,) if any_effect else ())})
        note = f"ratio {low:.2f} or {r:.2f}"
        default = None if given else f"the rule set's relative thresholds ({low:.2f} / {r:.2f}, GRADE 6)"
        return Scale("relative", tuple(bounds), "ratio", per, None, note, default)
    if measure is Measure.SMD and not steps:
        s = rules.scale.smd_threshold
        bounds = sorted({-s, s, *((0.0,) if any_effect else ())})
        return Scale(
            "difference", tuple(bounds), "SD", 1, None, f"SMD ±{s:g}", f"the rule set's SMD threshold of {s:g} (KCE)"
        )
    if steps:
        unit = "per " + f"{per:,}" if measure is Measure.RD else (ctx.outcome.scale or "points")
        bounds = sorted({*(-s for s in steps), *steps, *((0.0,) if any_effect else ())})
        return Scale("difference", tuple(bounds), unit, per if measure is Measure.RD else 1, None, f"MID {steps[0]:g}")
    if any_effect:
        return Scale("difference", (0.0,), "", 1, None, "no effect (the target is any effect)")
    return None


def effect_on_scale(scale: Scale, effect: EffectView) -> tuple[float, float, float] | None:
    if effect.estimate is None or effect.lo is None or effect.hi is None:
        return None
    try:
        return (
            scale.value(effect.measure, effect.estimate),
            scale.value(effect.measure, effect.lo),
            scale.value(effect.measure, effect.hi),
        )
    except (ValueError, ZeroDivisionError):
        return None


def zone_name(ctx: OutcomeContext, scale: Scale, value: float) -> str:
    """'an important benefit', 'a trivial effect', 'a small harm', ... for a value on the scale."""
    b = scale.boundaries
    if b == (0.0,):
        return (
            "an " + direction_words(ctx, value)
            if direction_words(ctx, value)[0] in "aeiou"
            else "a " + direction_words(ctx, value)
        )
    positive = sorted(x for x in b if x > 0)
    if abs(value) <= (positive[0] if positive else 0):
        return "a trivial effect" if 0.0 not in b else "a trivial " + direction_words(ctx, value)
    steps = [x for x in positive if abs(value) > x]
    words = ["small", "moderate", "large"] if len(positive) == 3 else ["important"] * len(positive)
    size = words[min(len(steps), len(words)) - 1] if len(positive) > 1 else "important"
    return f"{'an' if size[0] in 'aeiou' else 'a'} {size} {direction_words(ctx, value)}"


def direction_words(ctx: OutcomeContext, value: float) -> str:
    """'benefit' or 'harm' for a value on the judging scale (above 0 is an increase)."""
    benefit = ctx.outcome.benefit
    if benefit is None:
        return "increase" if value > 0 else "reduction"
    good = (value > 0) == (benefit is Benefit.higher)
    return "benefit" if good else "harm"
