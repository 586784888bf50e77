"""The target of a rating, the scale it is judged on, and the one zone function every rule uses.

GRADE judges certainty against a target (GRADE guidance 41; Core GRADE 2, Guyatt G et al., BMJ
2025;389:e081904): the minimal important difference (MID) for benefit and for harm, or the null
when no MID is given (or the outcome asks for ``target: any_effect``). The scale:

* **absolute** — dichotomous (or time-to-event) outcomes with a comparator risk (an assumed risk,
  or the control groups' median risk) and absolute thresholds (``thresholds.mid`` per ``per``
  people): the risk difference per 1000, from the relative effect and that risk by GRADEpro's
  formulas (Cochrane Handbook v6.5 §14.1.5). GRADE 6: "the CIs to consider are those around the
  absolute, rather than the relative effect";
* **relative** — ratio measures otherwise: the log ratio, against the outcome's
  ``thresholds.relative`` (r: 1/r and r; or a pair such as [0.75, 1.25]);
* **difference** — MD, SMD, RD and generic estimates against ``thresholds.mid`` in the outcome's
  units (an SMD's in SD units).

Positive values on every scale are increases of the outcome. Each side of the null has its own
MID (``mid_benefit`` / ``mid_harm`` follow the outcome's ``benefit``) and optional ``moderate`` and
``large`` boundaries. :func:`size` names where a value lies (trivial / small / moderate / large /
important); imprecision, inconsistency and the statements all read it.

With no MID, the rule set's fallback pair (``scale.relative_threshold_low`` /
``scale.relative_threshold``, GRADE 6's rough guide 0.75 and 1.25; ``scale.smd_threshold`` for
SMDs) marks an *appreciable* effect — used to tell a CI from appreciable benefit to appreciable
harm, and a CI that lies wholly near the null — never as the target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from gradecli.formatting import BIG, fixed, power_of_ten
from gradecli.grade.assessment import TargetKind
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
class Side:
    """The thresholds on one side of the null, as positive magnitudes on the judging scale."""

    mid: float | None = None
    moderate: float | None = None
    large: float | None = None
    mid_note: str | None = None  # when the MID is not the file's own (e.g. 2 × the other side's)


@dataclass(frozen=True)
class Scale:
    kind: str  # absolute | relative | difference
    boundaries: tuple[float, ...]  # sorted zone boundaries on the judging scale (inconsistency reads them)
    unit: str
    per: int = 1000
    acr: float | None = None
    threshold_note: str = ""
    default_used: str | None = None  # a default the rule set supplied, stated in footnotes
    up: Side = Side()  # thresholds for increases
    down: Side = Side()  # thresholds for reductions
    null_target: bool = False  # no MID, or thresholds.target: any_effect
    stated: str = "auto"  # thresholds.target as the file gives it
    fallback: tuple[float, float] | None = None  # (reduction, increase) magnitudes of an appreciable effect, no MID
    increase_is_benefit: bool | None = None
    source: str | None = None

    # -- values -------------------------------------------------------------------------------
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

    def side(self, v: float) -> Side:
        return self.up if v > 0 else self.down

    @property
    def has_mid(self) -> bool:
        return self.up.mid is not None or self.down.mid is not None

    # -- words --------------------------------------------------------------------------------
    def show(self, v: float) -> str:
        if self.kind == "absolute":
            return f"{abs(v):.0f} {'more' if v >= 0 else 'fewer'} per {self.per:,}"
        if self.kind == "relative":
            return fixed(math.exp(v))  # a power of ten from a million on, not hundreds of digits
        if abs(v) >= BIG:
            return power_of_ten(v, 3)  # as the table cells: 1.13×10⁵⁰, not 1.13e+50
        return f"{v:.3g}".replace("-", "−")  # a true minus sign, as in the table cells

    def show_interval(self, lo: float, hi: float) -> str:
        """'43 fewer per 1,000 to 5 more per 1,000'; '−15.5 to 4.87 points'; '0.64 to 1.04'."""
        text = f"{self.show(lo)} to {self.show(hi)}"
        return f"{text} {self.unit}" if self.kind == "difference" and self.unit else text

    def show_threshold(self, signed: float) -> str:
        """A threshold as a reader states it: '10 fewer per 1,000', 'RR 0.75', '10 points', 'SMD 0.5'."""
        if self.kind == "absolute":
            return self.show(signed)
        if self.kind == "relative":
            return f"ratio {fixed(math.exp(signed))}"
        if self.unit == "SD":
            return f"SMD {abs(signed):g}"
        return f"{abs(signed):g}" + (f" {self.unit}" if self.unit else "")


def reaches(a: float, m: float) -> bool:
    """``a`` reaches the threshold ``m`` (a ≥ m), allowing for floating-point noise: 1000 × 0.2 ×
    (0.9 − 1) is 19.999999999999996, and a value exactly at the MID counts as reaching it."""
    return a >= m - 1e-9 * abs(m)  # relative: scales run from 1e-298 per 1000 to 1e300; the null is exact


def size(scale: Scale, v: float) -> str | None:
    """Where a value lies: 'trivial', 'small', 'moderate', 'large' or 'important' (beyond the MID,
    with no further boundaries given); None when the side has no MID (the size is not judged)."""
    s = scale.side(v)
    a = abs(v)
    if s.mid is None:
        return None
    if not reaches(a, s.mid):
        return "trivial"
    if s.large is not None and reaches(a, s.large):
        return "large"
    if s.moderate is not None:
        return "moderate" if reaches(a, s.moderate) else "small"
    return "important"


def direction(scale: Scale, v: float) -> Literal["benefit", "harm", "increase", "reduction"]:
    if scale.increase_is_benefit is None:
        return "increase" if v > 0 else "reduction"
    return "benefit" if (v > 0) == scale.increase_is_benefit else "harm"


def change_word(v: float) -> str:
    return "increase" if v > 0 else "reduction"


@dataclass(frozen=True)
class TargetChoice:
    kind: TargetKind
    direction: Literal["benefit", "harm", "increase", "reduction"] | None
    chosen_by: Literal["point_estimate", "file"]
    note: str | None = None  # why a stated target was not used


def choose_target(scale: Scale, v: float) -> TargetChoice:
    """Core GRADE 2: the point estimate's position fixes the target — beyond the MID, an important
    effect on its side; inside the MIDs, little or no important effect; with no MID (or a stated
    ``any_effect``), a non-null effect on the estimate's side."""
    if scale.null_target:
        return TargetChoice(
            "non_null_effect", direction(scale, v), "file" if scale.stated == "any_effect" else "point_estimate"
        )
    found: TargetKind = "little_or_no_effect" if size(scale, v) in ("trivial", None) else "important_effect"
    d = direction(scale, v) if found == "important_effect" else None
    if scale.stated in ("important_effect", "little_or_no_effect"):
        if scale.stated == found:
            return TargetChoice(found, d, "file")
        stated = scale.stated.replace("_", " ")
        where = "beyond" if found == "important_effect" else "inside"
        note = (
            f"the file states the target '{stated}', but the point estimate lies {where} the MID: "
            f"Core GRADE 2 rates the certainty of {target_words(found, d, scale, v)}"
        )
        return TargetChoice(found, d, "point_estimate", note)
    return TargetChoice(found, d, "point_estimate")


def target_words(kind: TargetKind, d: str | None, scale: Scale, v: float) -> str:
    if kind == "little_or_no_effect":
        return "little or no important effect"
    word = change_word(v)
    if kind == "non_null_effect":
        return f"any {word} (a non-null effect)" if scale.increase_is_benefit is None else f"any {word} ({d})"
    return f"an important {word}" + (f" ({d})" if scale.increase_is_benefit is not None else "")


def methods_line(scale: Scale, choice: TargetChoice, v: float) -> str:
    """'Certainty rated for: an important reduction (MID 10 fewer per 1,000)'."""
    what = target_words(choice.kind, choice.direction, scale, v)
    parts: list[str] = []
    if choice.kind == "non_null_effect":
        parts.append("threshold: the null")
    up, down = scale.up, scale.down
    if choice.kind != "important_effect" and up.mid is not None and up.mid == down.mid and not up.mid_note:
        if scale.kind == "absolute":
            parts.append(f"MID {up.mid:.3g} fewer or more per {scale.per:,}")
        elif scale.kind == "relative":
            parts.append(f"MID {scale.show_threshold(-down.mid)} or {fixed(math.exp(up.mid))}")
        else:
            parts.append(f"MID ±{scale.show_threshold(up.mid)}")
    else:
        for sign in (1 if v > 0 else -1,) if choice.kind == "important_effect" else (-1, 1):
            side = up if sign > 0 else down
            if side.mid is not None:
                parts.append(
                    f"MID {scale.show_threshold(sign * side.mid)}" + (" (gradecli's choice)" if side.mid_note else "")
                )
    large = scale.side(v).large
    if large is not None:
        parts.append(f"large {scale.show_threshold((1 if v > 0 else -1) * large)}")
    if scale.kind == "absolute" and scale.acr is not None:
        parts.append(f"at a comparator risk of {scale.acr * scale.per:.3g} per {scale.per:,}")
    return f"Certainty rated for: {what}" + (f" ({'; '.join(parts)})" if parts else "")


# -- the judging scale of an outcome ------------------------------------------------------------


def judging_scale(ctx: OutcomeContext, rules: RuleSet, acr: float | None = None) -> Scale | None:
    """The scale and thresholds for this outcome (at the comparator risk ``acr``, default the
    outcome's), or None when nothing can be judged (no measure to judge)."""
    t = ctx.outcome.thresholds
    stated = t.stated_target if t else "auto"
    measure = ctx.measure
    ratio = ctx.is_ratio
    risk = acr if acr is not None else ctx.control_risk
    per = t.per if t else 1000
    benefit = ctx.outcome.benefit
    inc_good = None if benefit is None else benefit is Benefit.higher
    source = t.source if t else None
    absolute_mids = t is not None and any(v is not None for v in (t.mid, t.mid_benefit, t.mid_harm))
    relative_given = t.relative if t else None
    any_effect = stated == "any_effect"

    def sides(factor: float = 1.0) -> tuple[Side, Side]:
        assert t is not None
        ben = t.mid_benefit or t.mid
        harm = t.mid_harm or t.mid
        up_mid, down_mid = (ben, harm) if inc_good else (harm, ben)
        up_note = down_note = None
        if up_mid is None and down_mid is not None:
            up_mid, up_note = 2 * down_mid, "2 × the other side's MID (gradecli's choice: no MID given on this side)"
        if down_mid is None and up_mid is not None:
            down_mid, down_note = 2 * up_mid, "2 × the other side's MID (gradecli's choice: no MID given on this side)"
        mod, lg = t.moderate, t.large
        f = factor
        return (
            Side(_m(up_mid, f), _m(mod, f), _m(lg, f), up_note),
            Side(_m(down_mid, f), _m(mod, f), _m(lg, f), down_note),
        )

    def bounds(up: Side, down: Side, extra: tuple[float, ...] = ()) -> tuple[float, ...]:
        vals = {*extra}
        for s, sign in ((up, 1), (down, -1)):
            for v in (s.mid, s.moderate, s.large):
                if v is not None:
                    vals.add(sign * v)
        return tuple(sorted(vals))

    def make(
        kind: str,
        boundaries: tuple[float, ...],
        unit: str,
        scaled: int,
        acr: float | None,
        note: str,
        default: str | None,
        up: Side = Side(),
        down: Side = Side(),
        null: bool = True,
        fallback: tuple[float, float] | None = None,
    ) -> Scale:
        return Scale(
            kind, boundaries, unit, scaled, acr, note, default, up, down, null, stated, fallback, inc_good, source
        )

    zero = (0.0,) if any_effect else ()
    if (ratio or measure is Measure.RD) and risk is not None and absolute_mids:
        up, down = sides()
        note = f"MID per {per:,} at a comparator risk of {risk * per:.3g} per {per:,}"
        return make("absolute", bounds(up, down, zero), f"per {per:,}", per, risk, note, None, up, down, any_effect)
    if ratio:
        if relative_given is not None:
            low, high = (1 / relative_given, relative_given) if isinstance(relative_given, float) else relative_given
            note = f"ratio {low:.2f} or {high:.2f}"
            if risk is not None and (magnitudes := _absolute_pair(measure, low, high, risk, per)) is not None:
                up, down = Side(magnitudes[1]), Side(magnitudes[0])
                note += f", judged at a comparator risk of {risk * per:.3g} per {per:,}"
                return make(
                    "absolute", bounds(up, down, zero), f"per {per:,}", per, risk, note, None, up, down, any_effect
                )
            up, down = Side(math.log(high)), Side(-math.log(low))
            return make("relative", bounds(up, down, zero), "ratio", per, None, note, None, up, down, any_effect)
        r = rules.scale.relative_threshold
        low = rules.scale.relative_threshold_low or 1 / r
        note = f"no MID: the null; appreciable effect {low:.2f} or {r:.2f}"
        default = f"the rule set's appreciable relative effect ({low:.2f} / {r:.2f}, GRADE 6's rough guide)"
        if absolute_mids:
            default += "; the absolute MID needs a comparator risk (assumed_risk or per-study control risks)"
        if risk is not None and (magnitudes := _absolute_pair(measure, low, r, risk, per)) is not None:
            note += f", judged at a comparator risk of {risk * per:.3g} per {per:,}"
            bound = (-magnitudes[0], magnitudes[1])
            return make("absolute", bound, f"per {per:,}", per, risk, note, default, fallback=magnitudes)
        fb = (-math.log(low), math.log(r))
        return make("relative", (-fb[0], fb[1]), "ratio", per, None, note, default, fallback=fb)
    unit = f"per {per:,}" if measure is Measure.RD else "SD" if measure is Measure.SMD else (_unit(ctx.outcome.scale))
    scaled = per if measure is Measure.RD else 1
    if absolute_mids:
        up, down = sides(1.0)
        note = f"MID in {unit}" if unit else "MID"
        return make("difference", bounds(up, down, zero), unit, scaled, None, note, None, up, down, any_effect)
    if measure is Measure.SMD:
        s = rules.scale.smd_threshold
        note = f"no MID: the null; appreciable effect SMD ±{s:g}"
        default = f"the rule set's appreciable SMD of {s:g} (KCE Process Book §5.5.1.2)"
        return make("difference", (-s, s), "SD", 1, None, note, default, fallback=(s, s))
    return make("difference", (), unit, scaled, None, "no MID: the null", None)


def _absolute_pair(measure: Measure, low: float, high: float, risk: float, per: int) -> tuple[float, float] | None:
    """Relative thresholds as absolute magnitudes (reduction, increase) per ``per`` at ``risk``."""
    try:
        down = (risk - risk_with_intervention(measure, low, risk)) * per
        up = (min(1.0, risk_with_intervention(measure, high, risk)) - risk) * per
    except (ValueError, ZeroDivisionError, OverflowError):
        return None
    return (down, up) if down > 0 and up > 0 and math.isfinite(down + up) else None


def _m(v: float | None, factor: float) -> float | None:
    return None if v is None else v * factor


def _unit(scale_text: str | None) -> str:
    return "points" if scale_text else ""


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
    """'an important benefit', 'a trivial effect', 'a small harm', 'a reduction' ... for a value."""
    s = size(scale, value)
    d = direction(scale, value) if value != 0 else "effect"
    if s is None:
        return f"{'an' if d[0] in 'aeiou' else 'a'} {d}" if value != 0 else "no effect"
    if s == "trivial":
        return "a trivial effect"
    return f"{'an' if s[0] in 'aeiou' else 'a'} {s} {d}"
