"""PUB-FEW: too few studies for a small-study test."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, RuleSettings

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.rules.pub_egger import PubEggerSettings


class PubFew(Rule[RuleSettings]):
    """A result of the publication-bias domain, not a rule with settings: with fewer study
    estimates than PUB-EGGER's `min_studies`, with a summary-level result, or when Egger's test
    cannot be computed (e.g. every study has the same standard error), no small-study test is
    possible: the domain is *not assessed* unless the reviewer judges it from funding, trial
    registries and unpublished trials (`judgements.publication_bias`).

    Sources: GRADE guidelines 5, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1277–1282,
    doi:10.1016/j.jclinepi.2011.01.011; Cochrane Handbook v6.5, chapter 13 (Page MJ, Higgins JPT,
    Sterne JAC), §13.3.5.4, and Sterne JAC et al., BMJ 2011;343:d4002, doi:10.1136/bmj.d4002
    (fewer than 10 studies: tests have too little power).

    gradecli's choices: "not assessed" rather than "not serious" when untested.

    PASS (does not apply): 12 studies → PUB-EGGER decides.

    FAIL: 5 studies → not assessed (PUB-FEW, "at least 10 studies").
    """

    code = "PUB-FEW"
    domain = "publication_bias"
    summary = "too few studies for a small-study test: not assessed"
    settings_model = RuleSettings
    configurable = False

    @staticmethod
    def judge(ctx: OutcomeContext, egger: PubEggerSettings) -> Proposal | None:
        """None when PUB-EGGER (with settings ``egger``) can run."""
        pooled = ctx.pooled
        k = pooled.k if pooled is not None else 0
        if ctx.outcome.form != "studies" or pooled is None or k < egger.min_studies:
            what = "a summary-level result" if ctx.outcome.form == "summary" else f"{k} stud{'y' if k == 1 else 'ies'}"
            return Proposal(
                rating=None,
                rule="PUB-FEW",
                threshold=f"at least {egger.min_studies} studies",
                facts=[f"{what}: too few for a small-study test"],
                explanation="not assessable by a test; judge funding, registries and unpublished trials",
            )
        if pooled.egger is None:
            return Proposal(
                rating=None,
                rule="PUB-FEW",
                facts=["Egger's test not available"],
                explanation="Egger's test could not be computed",
            )
        return None


RULE = PubFew
