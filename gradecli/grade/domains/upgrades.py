"""Rating up (non-randomised evidence with no reason to rate down).

Asked only for a non-randomised body of evidence (started Low, or High with ROBINS-I: GRADE 18
still considers rating up). UP-LARGE proposes rating up for a large effect; UP-JUDGED prompts for a
dose–response gradient and for residual confounding with the facts the file holds, which are the
reviewer's judgment (``judgements.dose_response``, ``judgements.residual_confounding``). Every
rating up is a proposal that needs the reviewer's confirmation: the certainty counts it only once
the reviewer records it (``judgements.large_effect``: levels and a reason); until then the
assessment gives the proposed levels, ``needs_confirmation`` and the level it would reach.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from gradecli.grade.rules.up_judged import UpJudged
from gradecli.grade.rules.up_large import UpgradeProposal, UpLarge
from gradecli.model.vocab import Certainty, Design

if TYPE_CHECKING:
    from gradecli.grade.assessment import DomainAssessment
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.ruleset import RuleSet
    from gradecli.model.evidence import Study

__all__ = ["UpJudged", "UpLarge", "UpgradeProposal", "large_effect", "non_randomised", "prompt", "studies"]


def studies(ctx: OutcomeContext) -> list[Study]:
    """The outcome's studies (its rows' studies, else the file's), as the starting level reads them."""
    ev = ctx.evidence
    if ctx.outcome.form == "studies":
        found = [ev.study(s) for s in dict.fromkeys(ctx.study_ids)]
        return [s for s in found if s is not None]
    return list(ev.studies)


def non_randomised(ctx: OutcomeContext, start: Certainty) -> bool:
    """Whether the body of evidence is non-randomised: it starts Low, or (High with ROBINS-I) its
    rows' studies are non-randomised. A summary that starts High is randomised trials."""
    if start is Certainty.low:
        return True
    return ctx.outcome.form == "studies" and any(s.design is Design.nrsi for s in studies(ctx))


def large_effect(ctx: OutcomeContext, rules: RuleSet, domains: Sequence[DomainAssessment]) -> UpgradeProposal | None:
    """UP-LARGE's proposal (levels 0–2, facts, path); None when the effect is not a ratio with a CI.
    Switched off, 0 levels and the fact naming the rule set."""
    if not rules.enabled(UpLarge):
        by = rules.disabled_by(UpLarge)
        fact = f"UP-LARGE is switched off by the rule set {by}: no rating up for a large effect is proposed"
        return UpgradeProposal(0, (fact,), 0, (f"UP-LARGE switched off ({by})",))
    return UpLarge.judge(ctx, rules.settings(UpLarge), domains)


def prompt(ctx: OutcomeContext, name: str) -> UpgradeProposal:
    """UP-JUDGED's prompt for ``dose_response`` or ``residual_confounding``: facts, never levels."""
    return UpJudged.judge(ctx, name, studies(ctx))
