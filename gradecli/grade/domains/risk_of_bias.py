"""Risk of bias (study limitations).

The domain asks, in order: ROB-SUMMARY (a summary-level outcome has no per-study data: not
assessed), ROB-NONE (no study has a judgment: not assessed), then ROB-WEIGHT (the share of the
analysis weight from studies at low risk of bias), which decides. When the rule set switches
ROB-WEIGHT off, the domain is not assessed and says which rule set did. The analysis restricted to
the low-risk studies is reported beside the proposal by the engine (Core GRADE 4). When the rule
set switches ROB-AMSTAR on (Pollock 2016), the review's AMSTAR levels are added to the proposal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.assessment import RATING_LEVELS
from gradecli.grade.rules.base import pct, switched_off
from gradecli.grade.rules.imp_cross import BY_LEVELS
from gradecli.grade.rules.rob_amstar import RobAmstar
from gradecli.grade.rules.rob_none import RobNone
from gradecli.grade.rules.rob_summary import RobSummary
from gradecli.grade.rules.rob_weight import RobWeight, shares, study_judgment

if TYPE_CHECKING:
    from gradecli.grade.assessment import Proposal
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.ruleset import RuleSet
    from gradecli.grade.scale import Scale

__all__ = ["pct", "propose", "shares", "study_judgment"]


def propose(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None) -> Proposal:
    proposal = _studies(ctx, rules)
    if not rules.enabled(RobAmstar) or proposal.rating is None:
        return proposal
    levels, fact = RobAmstar.judge(ctx)
    total = min(3, RATING_LEVELS[proposal.rating] + levels)
    why = proposal.explanation or ""
    if levels:
        why = f"{why}; and {fact}" if why else fact
    return proposal.model_copy(
        update={
            "rating": BY_LEVELS[total],
            "facts": [*proposal.facts, fact],
            "explanation": why or None,
            "rule": RobAmstar.code if levels and not RATING_LEVELS[proposal.rating] else proposal.rule,
        }
    )


def _studies(ctx: OutcomeContext, rules: RuleSet) -> Proposal:
    found = RobSummary.judge(ctx) or RobNone.judge(ctx)
    if found is not None:
        return found
    if not rules.enabled(RobWeight):
        return switched_off(
            RobWeight.code,
            RobWeight.summary,
            rules.disabled_by(RobWeight),
            "judge risk of bias (judgements.risk_of_bias)",
        )
    weighed = RobWeight.judge(ctx, rules.settings(RobWeight))
    if weighed is None:  # pragma: no cover - ROB-SUMMARY and ROB-NONE cover every other case
        raise AssertionError("ROB-WEIGHT did not apply")
    return weighed
