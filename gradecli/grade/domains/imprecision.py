"""Imprecision.

When the rule set switches IMP-BANDS on (Pollock 2016), it alone rates imprecision by the number of
participants. Otherwise the domain judges the 95% CI and then checks the size of the evidence:

1. the CI rule that applies: IMP-RELATIVE when a ratio with no assumed risk is judged on the
   relative scale and its CI crosses a threshold, else IMP-CROSS (the CI against the outcome's
   thresholds, on the absolute scale when an assumed risk is known). Neither applies when there is
   no result or nothing to judge it against; a CI rule that applies but is switched off makes the
   domain not assessed, naming the rule set;
2. if that did not rate down: IMP-SPARSE (fewer participants than the rule set's minimum →
   serious);
3. if still not rated down, and no relative crossing was flagged: IMP-OIS (fewer participants than
   the optimal information size → serious; the OIS is shown in the facts either way), whose
   explanation is followed by the CI rule's;
4. if no rule decided: IMP-NONE (not assessed).

IMP-SPARSE and IMP-OIS are checks added to the CI rules: a rule set that switches them off skips
them. The facts list the participants, the CI on the judging scale, the OIS, and the default
thresholds used when the outcome gives none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.assessment import RATING_LEVELS, Proposal
from gradecli.grade.rules.base import switched_off
from gradecli.grade.rules.imp_bands import ImpBands
from gradecli.grade.rules.imp_cross import BY_LEVELS, ImpCross
from gradecli.grade.rules.imp_none import ImpNone
from gradecli.grade.rules.imp_ois import OIS_CAP, ImpOis
from gradecli.grade.rules.imp_ois import optimal_information_size as _ois
from gradecli.grade.rules.imp_relative import ImpRelative
from gradecli.grade.rules.imp_sparse import ImpSparse
from gradecli.model.vocab import Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.ruleset import RuleSet
    from gradecli.grade.scale import Scale

__all__ = ["BY_LEVELS", "OIS_CAP", "optimal_information_size", "propose"]


def optimal_information_size(ctx: OutcomeContext, rules: RuleSet) -> tuple[int, str] | None:
    """IMP-OIS's optimal information size under a rule set (see :mod:`gradecli.grade.rules.imp_ois`)."""
    return _ois(ctx, rules.settings(ImpOis))


def propose(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None) -> Proposal:
    if rules.enabled(ImpBands):
        return ImpBands.judge(ctx, rules.settings(ImpBands))
    n = ctx.participants
    facts: list[str] = []
    if n is not None:
        facts.append(f"{n:,} participants" + (f" in {ctx.k} stud{'y' if ctx.k == 1 else 'ies'}" if ctx.k else ""))
    ci = ImpRelative.judge(ctx, rules.settings(ImpRelative), scale) or ImpCross.judge(ctx, scale)
    levels, rule, threshold, why = 0, None, None, None
    if ci is not None:
        if not rules.enabled(str(ci.rule)):
            code = str(ci.rule)
            summary = ImpRelative.summary if code == ImpRelative.code else ImpCross.summary
            return switched_off(code, summary, rules.disabled_by(code), "judge imprecision (judgements.imprecision)")
        facts.extend(ci.facts)
        levels = RATING_LEVELS[ci.rating] if ci.rating is not None else 0
        rule, threshold, why = ci.rule, ci.threshold, ci.explanation
    elif ctx.effect is None or ctx.effect.estimate is None:
        facts.append("no pooled result")
    else:
        facts.append("no threshold to judge the CI against: give thresholds.mid")
    if levels < 1 and rules.enabled(ImpSparse):
        sparse = ImpSparse.judge(ctx, rules.settings(ImpSparse))
        if sparse is not None:
            levels, rule, threshold, why = 1, sparse.rule, sparse.threshold, sparse.explanation
    if levels == 0 and n is not None and rule in (None, ImpCross.code) and rules.enabled(ImpOis):
        ois = ImpOis.judge(ctx, rules.settings(ImpOis))
        if ois is not None:
            facts.extend(ois.facts)
            if ois.rating is Rating.serious:
                levels, rule, threshold = 1, ois.rule, ois.threshold
                why = (ois.explanation or "") + (f"; {why}" if why else "")
    if rule is None:
        return ImpNone.judge(facts)
    if scale is not None and scale.default_used:
        facts.append(f"default used: {scale.default_used}")
    return Proposal(rating=BY_LEVELS[levels], rule=rule, threshold=threshold, facts=facts, explanation=why)
