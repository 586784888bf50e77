"""INC-NONE: no heterogeneity statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, RuleSettings
from gradecli.model.vocab import Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext


class IncNoneSettings(RuleSettings):
    i2_not_reported: Literal["not_assessed", "serious"] = Field(
        "not_assessed",
        description="What a summary of several studies without I² gives: not assessed, or serious (Pollock 2016).",
    )


class IncNone(Rule[IncNoneSettings]):
    """A summary-level outcome of several studies that reports no I² leaves nothing to measure
    heterogeneity with: inconsistency is *not assessed* (left to the reviewer,
    `judgements.inconsistency`), or — when the rule set says `i2_not_reported: serious`, as the
    Pollock 2016 algorithm does — serious. It cannot be switched off: it is what the domain says
    when the statistics are missing.

    Sources: GRADE guidelines 7, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1294–1302,
    doi:10.1016/j.jclinepi.2011.03.017; Pollock A et al., J Clin Epidemiol 2016;70:106–110,
    doi:10.1016/j.jclinepi.2015.08.013, Table 2 (I² not reported: −1).

    gradecli's choices: "not assessed" by default (GRADE gives no rule for a missing I²).

    PASS (does not apply): a summary with `i2: 30` → INC-I2 decides.

    FAIL: a summary of 3 studies without `i2` → not assessed; under `i2_not_reported: serious` → serious.
    """

    code = "INC-NONE"
    domain = "inconsistency"
    summary = "no heterogeneity statistics: not assessed"
    settings_model = IncNoneSettings

    @staticmethod
    def judge(ctx: OutcomeContext, s: IncNoneSettings) -> Proposal | None:
        if (ctx.k is not None and ctx.k <= 1) or ctx.i2 is not None:
            return None
        if s.i2_not_reported == "serious":
            return Proposal(
                rating=Rating.serious,
                rule="INC-NONE",
                facts=["I² not reported"],
                threshold="I² not reported counts as serious",
                explanation="I² is not reported (the rule set counts this as serious)",
                path=["I² not reported → −1 (the rule set counts this as serious)", "inconsistency: serious"],
            )
        return Proposal(
            rating=None,
            rule="INC-NONE",
            facts=["I² not reported"],
            explanation="no heterogeneity statistics are available",
            path=["I² not reported → not assessed"],
        )


RULE = IncNone
