"""PUB-EGGER: Egger's test with enough studies, and the smaller studies showing more benefit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings
from gradecli.model.vocab import Benefit, Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext


class PubEggerSettings(SwitchableSettings):
    min_studies: Annotated[int, Field(ge=3)] = Field(
        10,
        description=(
            "The fewest study estimates with which Egger's test is run (the Cochrane Handbook recommends 10; "
            "at least 3, so that the regression has a residual degree of freedom)."
        ),
    )
    egger_p: Annotated[float, Field(gt=0, lt=1)] = Field(
        0.10, description="Egger's test flags asymmetry below this p value."
    )
    require_small_study_benefit: bool = Field(
        True, description="Rate down only when the smaller studies show more benefit (the outcome's `benefit`)."
    )


class PubEgger(Rule[PubEggerSettings]):
    """With `min_studies` or more study estimates, Egger's regression test for funnel-plot
    asymmetry (as metafor's `regtest(model = "rma", predictor = "sei")`: a meta-regression of the
    estimates on their standard errors with the analysis's model; the sign of that same fit's
    slope gives the direction): p < `egger_p` *and* the smaller studies showing more benefit (by the outcome's
    `benefit`) → serious; otherwise not serious. Never very serious automatically: asymmetry is not
    proof of publication bias, and the reviewer judges funding, registries and unpublished trials
    (`judgements.publication_bias`). Switched off (`enabled: false`), the domain is not assessed and
    Egger's test is not run.

    Sources: GRADE guidelines 5, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1277–1282,
    doi:10.1016/j.jclinepi.2011.01.011; Core GRADE 4, Guyatt G et al., BMJ 2025;389:e083864,
    doi:10.1136/bmj-2024-083864; Egger M, Davey Smith G, Schneider M, Minder C, BMJ
    1997;315:629–634, doi:10.1136/bmj.315.7109.629 (the regression test); Sterne JAC et al., BMJ
    2011;343:d4002, doi:10.1136/bmj.d4002, and Cochrane Handbook v6.5, chapter 13 (Page MJ,
    Higgins JPT, Sterne JAC), §13.3.5.4 (tests for funnel-plot asymmetry only with at least 10
    studies).

    gradecli's choices: p < 0.10 (the level conventionally used for these low-powered tests); the
    small-study direction required; one level at most; and `min_studies` may be lowered to 3 (not
    below: with k studies the regression has k − 2 residual degrees of freedom, and needs at least
    one) — below the Handbook's 10 the test has little power and the rule set that lowers it says
    so. For odds ratios Egger's test is biased towards asymmetry (Sterne 2011 prefers Harbord's or
    Peters' tests; not implemented).

    PASS: 12 studies, Egger's test p = 0.40 → not serious.

    FAIL: 12 studies, p = 0.03 and the smaller studies show more benefit → serious.
    """

    code = "PUB-EGGER"
    domain = "publication_bias"
    summary = "Egger's test with enough studies, and smaller studies showing more benefit"
    settings_model = PubEggerSettings

    @staticmethod
    def judge(ctx: OutcomeContext, s: PubEggerSettings) -> Proposal | None:
        """None when PUB-FEW applies: a summary, too few studies, or no test result."""
        pooled = ctx.pooled
        if ctx.outcome.form != "studies" or pooled is None or pooled.k < s.min_studies or pooled.egger is None:
            return None
        k = pooled.k
        egger = pooled.egger
        p = egger.pval
        slope = egger.slope  # the direction comes from the same fit as the p value
        benefit = ctx.outcome.benefit
        small_benefit = None
        if benefit is not None:
            small_benefit = (slope < 0) if benefit is Benefit.lower else (slope > 0)
        facts = [f"Egger's test p = {p:.2g} ({k} studies)"]
        if small_benefit is not None:
            facts.append("smaller studies show " + ("more" if small_benefit else "less") + " benefit")
        flagged = p < s.egger_p and (small_benefit is not False or not s.require_small_study_benefit)
        threshold = f"Egger p < {s.egger_p:g}" + (
            " with smaller studies showing more benefit" if s.require_small_study_benefit else ""
        )
        if flagged:
            return Proposal(
                rating=Rating.serious,
                rule="PUB-EGGER",
                threshold=threshold,
                facts=facts,
                explanation=f"the funnel plot is asymmetric (Egger's test p = {p:.2g}, {k} studies)"
                + (" and the smaller studies show more benefit" if small_benefit else ""),
            )
        return Proposal(
            rating=Rating.not_serious,
            rule="PUB-EGGER",
            threshold=threshold,
            facts=facts,
            explanation=f"no small-study asymmetry beyond the threshold (Egger's test p = {p:.2g})",
        )


RULE = PubEgger
