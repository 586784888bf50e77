"""IMP-CROSS: the 95% CI crosses the outcome's threshold(s)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings
from gradecli.grade.scale import effect_on_scale, zone_name
from gradecli.model.vocab import Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.scale import Scale

BY_LEVELS = (Rating.not_serious, Rating.serious, Rating.very_serious, Rating.extremely_serious)


class ImpCrossSettings(SwitchableSettings):
    pass


def ci_on_scale(ctx: OutcomeContext, scale: Scale | None) -> tuple[float, float, int] | None:
    """The CI limits on the judging scale and how many thresholds lie between them."""
    if scale is None or ctx.effect is None:
        return None
    on = effect_on_scale(scale, ctx.effect)
    if on is None:
        return None
    _, lo, hi = on
    return lo, hi, scale.crossings(lo, hi)


def ci_fact(scale: Scale, lo: float, hi: float) -> str:
    return f"95% CI {scale.show_interval(lo, hi)}" + (f" ({scale.unit})" if scale.unit not in ("", "ratio") else "")


def span(ctx: OutcomeContext, scale: Scale, lo: float, hi: float) -> str:
    """ "the 95% CI (…) includes both an important benefit and a trivial effect (threshold)"."""
    both = f"includes both {zone_name(ctx, scale, lo)} and {zone_name(ctx, scale, hi)}"
    return f"the 95% CI ({scale.show_interval(lo, hi)}) {both} ({scale.threshold_note})"


class ImpCross(Rule[ImpCrossSettings]):
    """Judges the 95% CI against the target of the rating: the thresholds that bound the trivial
    zone (`thresholds.mid`, and `moderate` and `large` when given), or the null when the target is
    any effect (`thresholds.target: any_effect`). The absolute effect is judged whenever a
    comparator risk is known (`assumed_risk`, with `thresholds.mid` per `per` people); otherwise
    the measure's own scale (an SMD against the rule set's `scale.smd_threshold` when the outcome
    gives no threshold). The CI crossing no threshold → not serious (IMP-SPARSE and IMP-OIS are then
    checked); one threshold → serious; two (from an important benefit to an important harm) → very
    serious; three or more (with moderate and large thresholds) → extremely serious. A ratio judged
    on the relative scale (no assumed risk) whose CI crosses a threshold is IMP-RELATIVE's.
    Statistical significance is never the reason.

    Sources: GRADE guidelines 6, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1283–1293,
    doi:10.1016/j.jclinepi.2011.01.012; GRADE guidance 34, Zeng L et al., J Clin Epidemiol
    2022;150:216–224, doi:10.1016/j.jclinepi.2022.07.014, and GRADE guidance 35, Schünemann HJ et
    al., J Clin Epidemiol 2022;150:225–242, doi:10.1016/j.jclinepi.2022.07.015 (one, two or three
    levels by the thresholds the CI crosses); Core GRADE 2, Guyatt G et al., BMJ 2025;389:e081904,
    doi:10.1136/bmj-2024-081904 (the target and the MID).

    gradecli's choices: a CI that only touches a threshold does not cross it; when the outcome has
    no threshold, the rule set's `scale:` values (see "The judging scale") are used and named in the
    facts.

    PASS: MD −5 (95% CI −8 to −2) against `thresholds.mid: 1` → the whole CI is an important
    benefit: not serious.

    FAIL: MD −5 (95% CI −8 to 0.5) against `mid: 1` → serious; (−8 to 2) → very serious.
    """

    code = "IMP-CROSS"
    domain = "imprecision"
    summary = "the 95% CI crosses the outcome's threshold(s)"
    settings_model = ImpCrossSettings
    uses_scale = True

    @staticmethod
    def judge(ctx: OutcomeContext, scale: Scale | None) -> Proposal | None:
        """None when there is no CI on a scale with thresholds, or when IMP-RELATIVE applies."""
        on = ci_on_scale(ctx, scale)
        if on is None or scale is None:
            return None
        lo, hi, crossings = on
        if scale.kind == "relative" and crossings:
            return None
        if crossings:
            why = span(ctx, scale, lo, hi)
        else:
            why = f"the 95% CI ({scale.show_interval(lo, hi)}) crosses no threshold ({scale.threshold_note})"
        return Proposal(
            rating=BY_LEVELS[min(crossings, 3)],
            rule="IMP-CROSS",
            threshold=scale.threshold_note,
            facts=[ci_fact(scale, lo, hi)],
            explanation=why,
        )


RULE = ImpCross
