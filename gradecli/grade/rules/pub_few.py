"""PUB-FEW: too few studies (or no study data) for a small-study test: uninformative."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, RuleSettings
from gradecli.grade.rules.pub_egger import find_small_study_test

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.rules.pub_egger import PubEggerSettings, SmallStudyFinding

ADVICE = "judge funding, registries and unpublished trials"


class PubFew(Rule[RuleSettings]):
    """A result of the publication-bias domain, not a rule with settings: with fewer study
    estimates than PUB-EGGER's `min_studies`, with a summary-level result, or when no small-study
    test can be computed (e.g. every study has the same standard error), a test cannot inform the
    judgment — "undetected — test uninformative": the domain is *not assessed* unless PUB-FUNDING
    or PUB-REGISTRY finds a signal (those are read whatever the number of studies), or the reviewer
    judges it from funding, trial registries and unpublished trials (`judgements.publication_bias`).

    Sources: GRADE guidelines 5, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1277–1282,
    doi:10.1016/j.jclinepi.2011.01.011; Core GRADE 4, Guyatt G et al., BMJ 2025;389:e083864,
    doi:10.1136/bmj-2024-083864 (the flowchart: a statistical test only when a meta-analysis of at
    least 10 studies is feasible); Cochrane Handbook v6.5, chapter 13 (Page MJ, Higgins JPT,
    Sterne JAC), §13.3.5.4, and Sterne JAC et al., BMJ 2011;343:d4002, doi:10.1136/bmj.d4002
    (fewer than 10 studies: tests have too little power).

    gradecli's choices: "not assessed" rather than "not serious" when untested.

    PASS (does not apply): 12 studies → PUB-EGGER decides.

    FAIL: 5 studies → undetected — test uninformative: not assessed (PUB-FEW, "at least 10 studies").
    """

    code = "PUB-FEW"
    domain = "publication_bias"
    summary = "too few studies for a small-study test: uninformative, not assessed"
    settings_model = RuleSettings
    configurable = False

    @staticmethod
    def judge(ctx: OutcomeContext, egger: PubEggerSettings, found: SmallStudyFinding | None = None) -> Proposal | None:
        """None when PUB-EGGER (with settings ``egger``) can run."""
        pooled = ctx.pooled
        k = pooled.effects.k if pooled is not None and pooled.effects is not None else 0
        if ctx.outcome.form != "studies" or pooled is None or k < egger.min_studies:
            what = "a summary-level result" if ctx.outcome.form == "summary" else f"{k} stud{'y' if k == 1 else 'ies'}"
            return Proposal(
                rating=None,
                rule="PUB-FEW",
                threshold=f"at least {egger.min_studies} studies",
                facts=[f"{what}: too few for a small-study test"],
                explanation=f"undetected — test uninformative: {what}, fewer than {egger.min_studies}; {ADVICE}"
                if ctx.outcome.form == "studies"
                else f"undetected — test uninformative: a summary-level result, no study data for a test; {ADVICE}",
                path=[f"a small-study test is not feasible: {what} (at least {egger.min_studies} needed)"],
                needs_confirmation=True,
            )
        if (found or find_small_study_test(ctx, egger)) is None:
            return Proposal(
                rating=None,
                rule="PUB-FEW",
                facts=["no small-study test could be computed (e.g. every study has the same standard error)"],
                explanation=f"undetected — test uninformative: the small-study test could not be computed; {ADVICE}",
                path=["a small-study test could not be computed"],
                needs_confirmation=True,
            )
        return None


RULE = PubFew
