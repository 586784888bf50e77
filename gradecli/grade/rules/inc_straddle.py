"""INC-STRADDLE: the study estimates or the prediction interval fall in different zones of the thresholds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings
from gradecli.grade.rules.inc_i2 import IncI2, IncI2Settings, shown_i2, spread
from gradecli.model.vocab import Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.scale import Scale


class IncStraddleSettings(SwitchableSettings):
    pass


class IncStraddle(Rule[IncStraddleSettings]):
    """Refines INC-I2 when it finds important heterogeneity: the variation matters only if it
    changes the conclusion — "particularly if some studies suggest substantial benefit, and others
    no effect or harm" (GRADE 7). So the domain is rated down only when the study point estimates
    lie in different zones of the outcome's thresholds (e.g. some an important benefit, others a
    trivial effect), or the 95% prediction interval crosses a threshold; when they all lie on the
    same side, large I² is *not serious*. When this cannot be checked — a summary-level result
    has no per-study estimates, and an outcome with no threshold has no zones — a large I² is
    *not assessed* (left to the reviewer) rather than called not serious. It uses INC-I2's
    thresholds; it has no settings of its own. Switched off (`enabled: false`, as Pollock 2016
    does), INC-I2 decides alone.

    Sources: GRADE guidelines 7, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1294–1302,
    doi:10.1016/j.jclinepi.2011.03.017; GRADE guidance 36, Guyatt G et al., J Clin Epidemiol
    2023;158:70–83, doi:10.1016/j.jclinepi.2023.03.003 (large, precise studies on the same side of
    the threshold are consistent whatever I² says; the rating depends on the target); Core GRADE 3,
    Guyatt G et al., BMJ 2025;389:e081905, doi:10.1136/bmj-2024-081905; GRADE guidelines 6,
    Guyatt GH et al., J Clin Epidemiol 2011;64(12):1283–1293, doi:10.1016/j.jclinepi.2011.01.012
    (RR 0.75 / 1.25 as a rough guide to appreciable benefit or harm: the default zones of the
    examples below, from the rule set's `scale:`).

    gradecli's choices: the prediction interval counts as straddling when it crosses any threshold;
    a large I² with nothing to place on the thresholds is not assessed rather than not serious.

    PASS: I² = 80%, but every study estimate (RR 0.40 to 0.63) lies beyond the 0.75 threshold →
    not serious.

    FAIL: I² = 80%, two studies beyond 0.75 and three between 0.75 and 1.25 → serious.
    """

    code = "INC-STRADDLE"
    domain = "inconsistency"
    summary = "study estimates or the prediction interval fall in different zones of the thresholds"
    settings_model = IncStraddleSettings
    uses_scale = True

    @staticmethod
    def judge(ctx: OutcomeContext, i2: IncI2Settings, scale: Scale | None) -> Proposal | None:
        """None unless INC-I2 (with settings ``i2``) finds important heterogeneity."""
        rated = IncI2.judge(ctx, i2, scale)
        if rated is None or ctx.i2 is None or rated.rating is Rating.not_serious:
            return None
        where = spread(ctx, scale)
        i2_text = shown_i2(ctx.i2, i2)
        if not where.zones and not where.pi_checked:
            # needs the study estimates (or a prediction interval) on a scale with thresholds; a
            # summary-level result, or an outcome with no threshold, has neither: do not claim they agree.
            missing = (
                "no per-study estimates" if ctx.outcome.form != "studies" else "no threshold to place them against"
            )
            return Proposal(
                rating=None,
                rule="INC-STRADDLE",
                threshold=rated.threshold,
                facts=[*rated.facts, f"{missing}: cannot tell whether the studies fall on both sides of a threshold"],
                explanation=(
                    f"I² = {i2_text}% is large, but with {missing} it cannot be told whether the variation "
                    "changes the conclusion; judge inconsistency (judgements.inconsistency)"
                ),
            )
        if not (where.straddle or where.pi_straddle):
            return Proposal(
                rating=Rating.not_serious,
                rule="INC-STRADDLE",
                threshold=rated.threshold,
                facts=rated.facts,
                explanation=(
                    f"I² = {i2_text}% but the study estimates lie on the same side of the "
                    "thresholds, so the variation does not change the conclusion"
                ),
            )
        why = rated.explanation or ""
        if rated.rating is not Rating.very_serious:
            why += " and the study estimates or the prediction interval fall on different sides of a threshold"
        return Proposal(
            rating=rated.rating, rule="INC-STRADDLE", threshold=rated.threshold, facts=rated.facts, explanation=why
        )


RULE = IncStraddle
