"""INC-SINGLE: a single study — inconsistency is not applicable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, RuleSettings
from gradecli.model.vocab import Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext


class IncSingle(Rule[RuleSettings]):
    """A result of the inconsistency domain, not a rule with settings: with one study there are
    no results to vary, so inconsistency is *not applicable* — reported as not serious, marked not
    applicable, and never a reason to rate down.

    Sources: GRADE guidelines 7, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1294–1302,
    doi:10.1016/j.jclinepi.2011.03.017; Core GRADE 3, Guyatt G et al., BMJ 2025;389:e081905,
    doi:10.1136/bmj-2024-081905; Pollock A et al., J Clin Epidemiol 2016;70:106–110,
    doi:10.1016/j.jclinepi.2015.08.013, Table 2 (single trial: 0).

    gradecli's choices: none.

    PASS (does not apply): three studies → INC-I2 decides.

    FAIL (not applicable): one study, or a summary of one study → not serious, not applicable.
    """

    code = "INC-SINGLE"
    domain = "inconsistency"
    summary = "a single study: inconsistency is not applicable"
    settings_model = RuleSettings
    configurable = False

    @staticmethod
    def judge(ctx: OutcomeContext) -> Proposal | None:
        if ctx.k is None or ctx.k > 1:
            return None
        return Proposal(
            rating=Rating.not_serious,
            rule="INC-SINGLE",
            applicable=False,
            facts=["one study"],
            explanation="a single study: inconsistency cannot be assessed",
            path=["one study: no results to vary → not applicable"],
        )


RULE = IncSingle
