"""Inconsistency (Core GRADE 3; GRADE guidelines 7).

The domain asks, in order: INC-SINGLE (one study: not applicable), INC-NONE (a summary without I²:
not assessed, or serious when the rule set says so), then INC-I2 — the gate: below the rule set's
I² (default 40%) inconsistency is not serious, whatever Cochran's Q p says. At or above it,
INC-STRADDLE (on by default) decides from the studies' 95% CIs against the target's threshold (the
one imprecision uses): serious when studies with enough weight lie wholly on the other side; two
levels only considered, never automatic; not assessed when there are no per-study estimates. With
INC-STRADDLE switched off (Pollock 2016), I² at or above the gate is serious on its own; with INC-I2
switched off, the domain is not assessed and says which rule set did. Every proposal records its
path, as imprecision's do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.rules.base import switched_off
from gradecli.grade.rules.inc_i2 import IncI2
from gradecli.grade.rules.inc_none import IncNone
from gradecli.grade.rules.inc_single import IncSingle
from gradecli.grade.rules.inc_straddle import IncStraddle
from gradecli.model.vocab import Rating

if TYPE_CHECKING:
    from gradecli.grade.assessment import Proposal
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.ruleset import RuleSet
    from gradecli.grade.scale import Scale


def propose(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None) -> Proposal:
    proposal = _propose(ctx, rules, scale)
    extra = [f for f in (control_risk_spread(ctx), _on_relative_scale(ctx, rules, scale, proposal)) if f]
    if not extra:
        return proposal
    return proposal.model_copy(update={"facts": [*proposal.facts, *extra]})


def _on_relative_scale(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None, proposal: Proposal) -> str | None:
    """When a ratio is judged on the absolute scale (at a comparator risk), the same studies judged
    on the relative scale (the file's relative thresholds, else the rule set's appreciable relative
    effect): a fact when the two ratings differ (R4.3: for binary outcomes consider relative and
    absolute effects). The proposal stays the target's."""
    from dataclasses import replace

    from gradecli.grade.scale import judging_scale

    if scale is None or scale.kind != "absolute" or not ctx.is_ratio or proposal.rating is None:
        return None
    relative = replace(ctx, control_risk=None, control_risk_source=None)
    rscale = judging_scale(relative, rules)
    if rscale is None or rscale.kind != "relative":
        return None
    other = _propose(relative, rules, rscale)
    if other.rating is None or other.rating == proposal.rating:
        return None
    said = other.rating.value.replace("_", " ")
    return (
        f"on the relative scale ({rscale.threshold_note}) inconsistency would be {said} ({other.rule}): "
        "the rating here is judged on the absolute scale the target uses"
    )


def control_risk_spread(ctx: OutcomeContext) -> str | None:
    """'control-group risks 2.1% to 18% across 8 studies (median 6.0%)' for a binary outcome with
    per-study rows in two or more studies (R4.5.6: for binary outcomes consider relative and absolute
    effects; where control risks differ, one relative effect is different absolute effects)."""
    import statistics

    from gradecli.model.evidence import DichotomousRow

    risks: dict[str, float] = {}
    for r in ctx.outcome.data or []:
        if isinstance(r, DichotomousRow) and r.n_c > 0:
            risks.setdefault(r.study, r.events_c / r.n_c)
    if len(risks) < 2:
        return None
    values = sorted(risks.values())
    med = statistics.median(values)

    def show(x: float) -> str:
        return f"{x * 100:.3g}%"

    return (
        f"control-group risks {show(values[0])} to {show(values[-1])} across {len(values)} studies "
        f"(median {show(med)}): the same relative effect means different absolute effects where they differ"
    )


def _propose(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None) -> Proposal:
    found = IncSingle.judge(ctx) or IncNone.judge(ctx, rules.settings(IncNone))
    if found is not None:
        return found
    if not rules.enabled(IncI2):
        off = switched_off(
            IncI2.code, IncI2.summary, rules.disabled_by(IncI2), "judge inconsistency (judgements.inconsistency)"
        )
        return off.model_copy(update={"path": [f"{off.facts[0]} → not assessed"]})
    settings = rules.settings(IncI2)
    rated = IncI2.judge(ctx, settings)
    if rated is None:  # pragma: no cover - INC-SINGLE and INC-NONE cover every other case
        raise AssertionError("INC-I2 did not apply")
    if rated.rating is Rating.not_serious:
        return rated
    if rules.enabled(IncStraddle):
        decided = IncStraddle.judge(ctx, settings, rules.settings(IncStraddle), scale)
        if decided is None:  # pragma: no cover - INC-I2 found the gate open
            raise AssertionError("INC-STRADDLE did not apply")
        return decided
    off_by = rules.disabled_by(IncStraddle)
    step = f"{IncStraddle.code} is switched off by the rule set {off_by}: where the studies lie is not checked"
    return rated.model_copy(update={"path": [rated.path[0], step, *rated.path[1:]]})
