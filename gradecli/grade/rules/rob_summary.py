"""ROB-SUMMARY: a summary-level outcome has no per-study risk-of-bias data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, RuleSettings

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext


class RobSummary(Rule[RuleSettings]):
    """A result of the risk-of-bias domain, not a rule with settings: an outcome given as a
    published summary (`summary:`) has no per-study rows, so there are no weights to roll the
    studies' judgments up by. The domain is *not assessed* unless the reviewer judges it
    (`judgements.risk_of_bias`, with a reason).

    Sources: GRADE guidelines 4, Guyatt GH et al., J Clin Epidemiol 2011;64(4):407–415,
    doi:10.1016/j.jclinepi.2010.07.017; Core GRADE 4, Guyatt G et al., BMJ 2025;389:e083864,
    doi:10.1136/bmj-2024-083864.

    gradecli's choices: no proposal from a summary, whatever the studies' own judgments.

    PASS (does not apply): an outcome with per-study rows → ROB-WEIGHT decides.

    FAIL: an outcome with only `summary: {estimate: 0.8, ci: [0.7, 0.9], ...}` → not assessed
    (ROB-SUMMARY).
    """

    code = "ROB-SUMMARY"
    domain = "risk_of_bias"
    summary = "summary-level outcome without per-study data: not assessed"
    settings_model = RuleSettings
    configurable = False

    @staticmethod
    def judge(ctx: OutcomeContext) -> Proposal | None:
        if ctx.outcome.form == "studies":
            return None
        return Proposal(
            rating=None,
            rule="ROB-SUMMARY",
            facts=["no per-study risk-of-bias data"],
            explanation="a summary-level result has no per-study risk-of-bias data",
            path=["a summary-level result: no per-study risk-of-bias data", "risk of bias: not assessed"],
        )


RULE = RobSummary
