"""Risk of bias (study limitations).

The domain asks, in order: ROB-SUMMARY (a summary-level outcome has no per-study data: not
assessed), ROB-NONE (no study has a judgment: not assessed), then ROB-WEIGHT (the share of the
analysis weight from studies at low risk of bias), which decides. When the rule set switches
ROB-WEIGHT off, the domain is not assessed and says which rule set did. The analysis restricted to
the low-risk studies is reported beside the proposal by the engine (Core GRADE 4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.rules.base import pct, switched_off
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
