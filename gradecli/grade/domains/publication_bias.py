"""Publication bias (reporting bias).

GRADE 5 and Cochrane Handbook 10.4.3: suspect publication bias when the evidence comes from a
number of small, mostly industry-funded studies; funnel-plot tests only with at least 10 studies,
and asymmetry is not proof of publication bias.

PUB-EGGER: with ``min_studies`` (default 10) or more study estimates, Egger's regression test
(metafor ``regtest``) with p < ``egger_p`` (0.10) *and* the smaller studies showing more benefit
→ serious. Never very serious automatically. PUB-FEW: fewer studies — not assessable by a test;
the domain is *not assessed* unless the reviewer judges it (funding, registries, unpublished
trials). Note: for odds ratios Egger's test is biased towards asymmetry (Harbord/Peters tests are
preferred; not yet implemented).
"""

from __future__ import annotations

from gradecli.grade.assessment import Proposal
from gradecli.grade.context import OutcomeContext
from gradecli.grade.ruleset import RuleSet
from gradecli.grade.scale import Scale
from gradecli.model.vocab import Benefit, Rating

RULES = {
    "PUB-EGGER": "Egger's test with enough studies, and smaller studies showing more benefit",
    "PUB-FEW": "too few studies for a small-study test: not assessed",
}


def propose(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None) -> Proposal:
    r = rules.publication_bias
    pooled = ctx.pooled
    k = pooled.k if pooled is not None else 0
    if ctx.outcome.form != "studies" or pooled is None or k < r.min_studies:
        what = "a summary-level result" if ctx.outcome.form == "summary" else f"{k} stud{'y' if k == 1 else 'ies'}"
        return Proposal(
            rating=None,
            rule="PUB-FEW",
            threshold=f"at least {r.min_studies} studies",
            facts=[f"{what}: too few for a small-study test"],
            explanation="not assessable by a test; judge funding, registries and unpublished trials",
        )
    egger = pooled.egger
    if egger is None:
        return Proposal(
            rating=None,
            rule="PUB-FEW",
            facts=["Egger's test not available"],
            explanation="Egger's test could not be computed",
        )
    p = egger.pval
    slope = egger.slope  # the direction comes from the same fit as the p value
    benefit = ctx.outcome.benefit
    small_benefit = None
    if benefit is not None:
        small_benefit = (slope < 0) if benefit is Benefit.lower else (slope > 0)
    facts = [f"Egger's test p = {p:.2g} ({k} studies)"]
    if small_benefit is not None:
        facts.append("smaller studies show " + ("more" if small_benefit else "less") + " benefit")
    flagged = p < r.egger_p and (small_benefit is not False or not r.require_small_study_benefit)
    threshold = f"Egger p < {r.egger_p:g}" + (
        " with smaller studies showing more benefit" if r.require_small_study_benefit else ""
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
