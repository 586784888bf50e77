"""Risk of bias (study limitations; Core GRADE 4, GRADE 18 for ROBINS-I).

The domain asks, in order: ROB-SUMMARY (a summary-level outcome has no per-study data: not
assessed), ROB-NONE (no study has a judgment: not assessed), then ROB-WEIGHT, which decides: the
weight of the studies at high risk of bias and whether the studies at low risk alone — the analysis
restricted to them, re-pooled here and kept as the outcome's ``sensitivity`` — give an estimate in
another zone of the outcome's thresholds. A body of non-randomised studies that starts High with
ROBINS-I (the engine's start level) is judged on ROBINS-I's levels, up to three. When the rule set
switches ROB-WEIGHT off, the domain is not assessed and says which rule set did. When the rule set
switches ROB-AMSTAR on (Pollock 2016), the review's AMSTAR levels are added to the proposal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.assessment import RATING_LEVELS
from gradecli.grade.rules.base import pct, switched_off
from gradecli.grade.rules.imp_cross import BY_LEVELS
from gradecli.grade.rules.rob_amstar import RobAmstar
from gradecli.grade.rules.rob_none import RobNone
from gradecli.grade.rules.rob_summary import RobSummary
from gradecli.grade.rules.rob_weight import RobWeight, low_risk_analysis, shares, study_judgment
from gradecli.model.vocab import Certainty, Design

if TYPE_CHECKING:
    from gradecli.grade.assessment import Proposal
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.ruleset import RuleSet
    from gradecli.grade.scale import Scale

__all__ = ["low_risk_analysis", "pct", "propose", "robins_high_start", "shares", "study_judgment"]

WORDS = {0: "not serious", 1: "serious", 2: "very serious", 3: "extremely serious"}


def robins_high_start(ctx: OutcomeContext, rules: RuleSet) -> bool:
    """Whether the outcome's body is of non-randomised studies started High with ROBINS-I (GRADE 18)."""
    from gradecli.grade.engine import start_level  # the engine imports the domains

    if ctx.outcome.form != "studies":
        return False
    studies = [ctx.study(s) for s in dict.fromkeys(ctx.study_ids)]
    if not any(s is not None and s.design is Design.nrsi for s in studies):
        return False
    return start_level(ctx, rules)[0] is Certainty.high


def propose(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None) -> Proposal:
    proposal = _studies(ctx, rules, scale)
    if not rules.enabled(RobAmstar) or proposal.rating is None:
        return proposal
    levels, fact = RobAmstar.judge(ctx)
    total = min(3, RATING_LEVELS[proposal.rating] + levels)
    why = proposal.explanation or ""
    if levels:
        why = f"{why}; and {fact}" if why else fact
    path = [step for step in proposal.path if not step.startswith("risk of bias: ")]
    path += [f"{fact} (ROB-AMSTAR)", f"risk of bias: {WORDS[total]}"]
    return proposal.model_copy(
        update={
            "rating": BY_LEVELS[total],
            "facts": [*proposal.facts, fact],
            "explanation": why or None,
            "rule": RobAmstar.code if levels and not RATING_LEVELS[proposal.rating] else proposal.rule,
            "path": path,
        }
    )


def _studies(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None) -> Proposal:
    found = RobSummary.judge(ctx) or RobNone.judge(ctx)
    if found is not None:
        return found
    if not rules.enabled(RobWeight):
        off = switched_off(
            RobWeight.code,
            RobWeight.summary,
            rules.disabled_by(RobWeight),
            "judge risk of bias (judgements.risk_of_bias)",
        )
        return off.model_copy(update={"path": [*off.facts, "risk of bias: not assessed"]})
    weighed = RobWeight.judge(ctx, rules.settings(RobWeight), scale, high_start=robins_high_start(ctx, rules))
    if weighed is None:  # pragma: no cover - ROB-SUMMARY and ROB-NONE cover every other case
        raise AssertionError("ROB-WEIGHT did not apply")
    return weighed
