"""ROB-NONE: no study in the outcome has a risk-of-bias judgment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, RuleSettings
from gradecli.grade.rules.rob_weight import shares

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext


class RobNone(Rule[RuleSettings]):
    """A result of the risk-of-bias domain, not a rule with settings: when no study of a
    per-study outcome has a risk-of-bias judgment (and no outcome override gives one), there is
    nothing to weigh, and the domain is *not assessed* — never silently "not serious". Record
    the studies' judgments (`studies[].risk_of_bias`) or judge the domain
    (`judgements.risk_of_bias`, with a reason).

    Sources: GRADE guidelines 4, Guyatt GH et al., J Clin Epidemiol 2011;64(4):407–415,
    doi:10.1016/j.jclinepi.2010.07.017 (risk of bias is judged from the studies' limitations);
    Core GRADE 4, Guyatt G et al., BMJ 2025;389:e083864, doi:10.1136/bmj-2024-083864.

    gradecli's choices: "not assessed" rather than a guess.

    PASS (does not apply): one of three studies has a RoB 2 judgment → ROB-WEIGHT decides.

    FAIL: none of the three studies has a judgment → not assessed (ROB-NONE).
    """

    code = "ROB-NONE"
    domain = "risk_of_bias"
    summary = "no study in the outcome has a risk-of-bias judgment: not assessed"
    settings_model = RuleSettings
    configurable = False

    @staticmethod
    def judge(ctx: OutcomeContext) -> Proposal | None:
        if ctx.outcome.form != "studies":
            return None
        _, cats, _ = shares(ctx)
        if not all(c == "missing" for c in cats.values()):
            return None
        return Proposal(
            rating=None,
            rule="ROB-NONE",
            facts=["no study has a risk-of-bias judgment"],
            explanation="no study in this outcome has a risk-of-bias judgment",
            path=["no study has a risk-of-bias judgment", "risk of bias: not assessed"],
        )


RULE = RobNone
