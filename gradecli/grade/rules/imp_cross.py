"""IMP-CROSS: the 95% CI against the target of the rating."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings
from gradecli.grade.scale import choose_target, effect_on_scale, reaches, target_words, zone_name
from gradecli.model.vocab import Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.scale import Scale, TargetChoice

BY_LEVELS = (Rating.not_serious, Rating.serious, Rating.very_serious, Rating.extremely_serious)


class ImpCrossSettings(SwitchableSettings):
    pass


def ci_on_scale(ctx: OutcomeContext, scale: Scale | None) -> tuple[float, float, float] | None:
    """(point estimate, lower, upper limit) on the judging scale, or None."""
    if scale is None or ctx.effect is None:
        return None
    return effect_on_scale(scale, ctx.effect)


def ci_fact(scale: Scale, lo: float, hi: float) -> str:
    return f"95% CI {scale.show_interval(lo, hi)}"


def target_step(scale: Scale, choice: TargetChoice, v: float) -> str:
    """The first step of every imprecision path: what the rating is about, and why."""
    what = target_words(choice.kind, choice.direction, scale, v)
    if choice.kind == "non_null_effect":
        why = (
            "thresholds.target: any_effect" if choice.chosen_by == "file" else "no MID given: the null is the threshold"
        )
    elif choice.kind == "important_effect":
        side = scale.side(v)
        assert side.mid is not None
        mid = scale.show_threshold((1 if v > 0 else -1) * side.mid)
        why = f"the point estimate ({scale.show(v)}) lies beyond the MID ({mid})"
    else:
        why = f"the point estimate ({scale.show(v)}) lies inside the MIDs"
    return f"target: {what} — {why}"


def crossings(scale: Scale, choice: TargetChoice, v: float, lo: float, hi: float) -> list[str]:
    """The thresholds of the target that lie inside the CI, in words, in the order they count:
    the first makes one level, the second two (Core GRADE 2; GRADE 34)."""
    out: list[str] = []
    up, down = scale.up, scale.down

    def mid(sign: int) -> str:
        side = up if sign > 0 else down
        assert side.mid is not None
        return f"the MID ({scale.show_threshold(sign * side.mid)})"

    if choice.kind == "non_null_effect":
        if reaches(hi, 0.0) and reaches(-lo, 0.0):  # the CI includes the null (a limit on it counts)
            out.append("the null")
            if down.mid is not None and up.mid is not None and reaches(-lo, down.mid) and reaches(hi, up.mid):
                out.append("both MIDs")
        return out
    if choice.kind == "important_effect":
        sign = 1 if v > 0 else -1
        own, other = (up, down) if sign > 0 else (down, up)
        assert own.mid is not None
        near = lo if sign > 0 else -hi  # the CI's limit nearer the null, seen from the estimate's side
        if not reaches(near, own.mid):  # the CI reaches into the trivial zone
            out.append(mid(sign))
            if other.mid is not None and reaches(-near, other.mid):  # ... and to an important effect beyond
                out.append(mid(-sign) + (" (2 × the MID on this side, gradecli's choice)" if other.mid_note else ""))
        return out
    if down.mid is not None and reaches(-lo, down.mid):
        out.append(mid(-1))
    if up.mid is not None and reaches(hi, up.mid):
        out.append(mid(1))
    return out


def spans_large(scale: Scale, lo: float, hi: float) -> bool:
    """The CI runs from a large reduction to a large increase (both ``large`` boundaries given)."""
    a, b = scale.down.large, scale.up.large
    return a is not None and b is not None and reaches(-lo, a) and reaches(hi, b)


class ImpCross(Rule[ImpCrossSettings]):
    """Judges the 95% CI against the target of the rating (Core GRADE 2). The target comes from the
    point estimate's position: beyond the MID on its side → an important effect; inside the MIDs →
    little or no important effect; no MID (or `thresholds.target: any_effect`) → a non-null effect,
    the null being the threshold. The CI is judged on the absolute scale whenever a comparator risk
    and an absolute MID exist (GRADE 6: "the CIs to consider are those around the absolute, rather
    than the relative effect"), per baseline-risk stratum. Levels: the CI crossing no threshold of
    the target → not serious; one (the MID on the estimate's side, either MID of a little-or-no
    target, or the null) → serious; also the other side's MID (appreciable benefit and appreciable
    harm) → very serious; from a large reduction to a large increase (both `large` given) →
    extremely serious. Levels beyond one need the reviewer's confirmation. A side with no MID of
    its own (only `mid_benefit` or `mid_harm` given) counts 2 × the other side's MID as its
    appreciable effect. With no MID, IMP-RELATIVE's fallback zone and IMP-OIS, IMP-EVENTS add to this.
    Statistical significance is never the reason.

    Sources: Core GRADE 2, Guyatt G et al., BMJ 2025;389:e081904, doi:10.1136/bmj-2024-081904
    ("rate down for imprecision if the 95% CI crosses the MID for benefit or harm"; the point
    estimate fixes the target); GRADE guidelines 6, Guyatt GH et al., J Clin Epidemiol
    2011;64(12):1283–1293, doi:10.1016/j.jclinepi.2011.01.012 (absolute effects; "if the 95% CI
    excludes a relative risk of 1.0 … precision is adequate"); GRADE guidance 34, Zeng L et al., J
    Clin Epidemiol 2022;150:216–224, doi:10.1016/j.jclinepi.2022.07.014 (appreciable crossing →
    consider two or three levels); GRADE guidance 35, Schünemann HJ et al., J Clin Epidemiol
    2022;150:225–242, doi:10.1016/j.jclinepi.2022.07.015 (one to three levels against
    trivial/small/moderate/large thresholds).

    gradecli's choices: a value exactly at a threshold counts as reaching it (a CI limit on the
    null includes it; a CI limit on the far MID includes an important effect; a CI whose near limit
    is exactly the MID stays beyond it); 2 × the MID on a side
    without its own MID; three levels only when both `large` boundaries lie inside the CI.

    PASS: MID 10 points, MD −16 (−21 to −11) → not serious (the CI lies beyond the MID).

    FAIL: MIDs 20 fewer / 20 more per 1,000, 15 more (42 fewer to 106 more) → very serious (both
    MIDs crossed); no MID, RR 0.82 (0.64–1.04) at 12% → serious (the CI crosses the null).
    """

    code = "IMP-CROSS"
    domain = "imprecision"
    summary = "the 95% CI crosses the target's threshold(s)"
    settings_model = ImpCrossSettings
    uses_scale = True

    @staticmethod
    def judge(ctx: OutcomeContext, scale: Scale | None) -> Proposal | None:
        """The proposal from the CI, with its path; None when there is no CI or nothing to judge it on."""
        on = ci_on_scale(ctx, scale)
        if on is None or scale is None:
            return None
        v, lo, hi = on
        choice = choose_target(scale, v)
        path = [target_step(scale, choice, v)]
        if choice.note:
            path.append(choice.note)
        crossed = crossings(scale, choice, v, lo, hi)
        levels = len(crossed)
        interval = f"the 95% CI ({scale.show_interval(lo, hi)})"
        if levels and spans_large(scale, lo, hi):
            levels = 3
            crossed.append("a large reduction and a large increase")
        if crossed:
            path.append(f"{interval} crosses {' and '.join(crossed)} → −{levels}")
            both = f"{zone_name(ctx, scale, lo)} and {zone_name(ctx, scale, hi)}"
            why = f"{interval} includes both {both} (crosses {' and '.join(crossed)})"
        else:
            path.append(f"{interval} crosses no threshold of the target → 0")
            why = f"{interval} lies wholly on one side of the target's threshold"
        return Proposal(
            rating=BY_LEVELS[levels],
            rule="IMP-CROSS",
            threshold=scale.threshold_note,
            facts=[ci_fact(scale, lo, hi)],
            explanation=why,
            path=path,
            needs_confirmation=levels > 1,
        )


RULE = ImpCross
