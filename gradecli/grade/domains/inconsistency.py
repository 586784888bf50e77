"""Inconsistency (heterogeneity of results).

The domain asks, in order: INC-SINGLE (one study: not applicable), INC-NONE (a summary without I²:
not assessed, or serious when the rule set says so), then INC-I2 (I² and Cochran's Q against the
rule set's thresholds). When INC-I2 finds important heterogeneity, INC-STRADDLE (on by default)
refines it: serious only when the study estimates or the prediction interval fall on different
sides of a threshold, not serious when they all lie on one side, not assessed when that cannot be
told. With INC-STRADDLE switched off, INC-I2 decides alone; with INC-I2 switched off, the domain is
not assessed and says which rule set did.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.rules.base import switched_off
from gradecli.grade.rules.inc_i2 import IncI2
from gradecli.grade.rules.inc_none import IncNone
from gradecli.grade.rules.inc_single import IncSingle
from gradecli.grade.rules.inc_straddle import IncStraddle

if TYPE_CHECKING:
    from gradecli.grade.assessment import Proposal
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.ruleset import RuleSet
    from gradecli.grade.scale import Scale


def propose(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None) -> Proposal:
    if scale is not None and not scale.boundaries:
        scale = None  # no threshold at all (an MD without an MID): no zones to place the studies in
    found = IncSingle.judge(ctx) or IncNone.judge(ctx, rules.settings(IncNone))
    if found is not None:
        return found
    if not rules.enabled(IncI2):
        return switched_off(
            IncI2.code, IncI2.summary, rules.disabled_by(IncI2), "judge inconsistency (judgements.inconsistency)"
        )
    settings = rules.settings(IncI2)
    rated = IncI2.judge(ctx, settings, scale)
    if rated is None:  # pragma: no cover - INC-SINGLE and INC-NONE cover every other case
        raise AssertionError("INC-I2 did not apply")
    if rules.enabled(IncStraddle):
        return IncStraddle.judge(ctx, settings, scale) or rated
    return rated
