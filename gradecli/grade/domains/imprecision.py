"""Imprecision (Core GRADE 2; GRADE guidance 34 and 35).

When the rule set switches IMP-BANDS on (Pollock 2016), it alone rates imprecision by the number of
participants. Otherwise the rules are asked in the order of the Core GRADE 2 flowchart, each adding
its steps to the proposal's path:

1. IMP-CROSS — the target (from the point estimate's position against the MID, or the null) and the
   95% CI against it: 0, 1 or 2 levels by the thresholds crossed (3 from large to large);
2. IMP-RELATIVE — with no MID: a CI spanning the rule set's appreciable reduction and increase is two
   levels; a CI wholly inside that zone leaves the domain *not assessed* (little or no difference
   needs an MID);
3. IMP-EVENTS — a crossing CI on very few events: three levels;
4. IMP-SPARSE — when a rule set switches it on (strict): fewer participants than its minimum, with a
   CI that crossed nothing, is serious;
5. IMP-OIS — the optimal information size: for a large effect whose CI crosses nothing (−1 below it,
   −2 far below; not assessed when it cannot be computed), and for a crossing CI far below it (−2);
6. IMP-NONE — nothing to judge: not assessed.

The rule that set the final level is the proposal's rule; levels beyond one need the reviewer's
confirmation. IMP-CROSS switched off makes the domain not assessed (naming the rule set); the
other rules, switched off, are skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.assessment import RATING_LEVELS, Proposal
from gradecli.grade.rules.base import switched_off
from gradecli.grade.rules.imp_bands import ImpBands
from gradecli.grade.rules.imp_cross import BY_LEVELS, ImpCross, ci_on_scale
from gradecli.grade.rules.imp_events import ImpEvents
from gradecli.grade.rules.imp_none import ImpNone
from gradecli.grade.rules.imp_ois import OIS_CAP, ImpOis
from gradecli.grade.rules.imp_ois import optimal_information_size as _ois
from gradecli.grade.rules.imp_relative import ImpRelative
from gradecli.grade.rules.imp_sparse import ImpSparse

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.ruleset import RuleSet
    from gradecli.grade.scale import Scale

__all__ = ["BY_LEVELS", "OIS_CAP", "optimal_information_size", "propose"]

WORDS = {0: "not serious", 1: "serious", 2: "very serious", 3: "extremely serious"}


def optimal_information_size(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None = None) -> tuple[int, str] | None:
    """IMP-OIS's optimal information size under a rule set (see :mod:`gradecli.grade.rules.imp_ois`)."""
    return _ois(ctx, rules.settings(ImpOis), scale)


def _count(ctx: OutcomeContext) -> list[str]:
    n, events = ctx.participants, ctx.events
    if n is None:
        return []
    text = f"{n:,} participants" + (f" ({events:,} events)" if events is not None else "")
    return [text + (f" in {ctx.k} stud{'y' if ctx.k == 1 else 'ies'}" if ctx.k else "")]


def propose(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None) -> Proposal:
    if rules.enabled(ImpBands):
        return ImpBands.judge(ctx, rules.settings(ImpBands))
    facts = _count(ctx)
    ci = ImpCross.judge(ctx, scale)
    if ci is None:
        if ctx.effect is None or ctx.effect.estimate is None:
            facts.append("no pooled result")
        else:
            facts.append("no CI on a scale that can be judged")
        return ImpNone.judge(facts)
    if not rules.enabled(ImpCross):
        return switched_off(
            ImpCross.code,
            ImpCross.summary,
            rules.disabled_by(ImpCross.code),
            "judge imprecision (judgements.imprecision)",
        )
    assert ci.rating is not None
    facts.extend(ci.facts)
    path = list(ci.path)
    levels, decided = RATING_LEVELS[ci.rating], ci

    def raise_to(p: Proposal) -> None:
        nonlocal levels, decided
        path.extend(p.path)
        facts.extend(f for f in p.facts if f not in facts)
        if p.rating is not None and RATING_LEVELS[p.rating] > levels:
            levels, decided = RATING_LEVELS[p.rating], p

    if rules.enabled(ImpRelative):
        fallback = ImpRelative.judge(ctx, scale)
        if fallback is not None and fallback.rating is None:
            path.extend(fallback.path)
            return fallback.model_copy(update={"facts": facts, "path": path})
        if fallback is not None:
            raise_to(fallback)
    crossed = levels  # what the CI rules found; IMP-EVENTS and IMP-OIS read this, not the sparse-data level
    if crossed >= 1 and rules.enabled(ImpEvents):
        few = ImpEvents.judge(ctx, rules.settings(ImpEvents), crossing=True)
        if few is not None:
            raise_to(few)
    if levels == 0 and rules.enabled(ImpSparse):
        sparse = ImpSparse.judge(ctx, rules.settings(ImpSparse))
        if sparse is not None:
            raise_to(sparse.model_copy(update={"path": [f"{sparse.explanation} → −1 (the rule set's minimum)"]}))
    if levels <= 1 and crossed <= 1 and rules.enabled(ImpOis):
        on = ci_on_scale(ctx, scale)
        ois = ImpOis.judge(ctx, rules.settings(ImpOis), scale, crossed, on[0] if on else None)
        if ois is not None and ois.rating is None:
            path.extend(ois.path)
            return ois.model_copy(update={"facts": facts, "path": path})
        if ois is not None:
            raise_to(ois)
    why = decided.explanation
    if decided is not ci and ci.explanation and levels:
        why = f"{decided.explanation}; {ci.explanation}" if decided.explanation else ci.explanation
    if scale is not None and scale.default_used:
        facts.append(f"default used: {scale.default_used}")
    path.append(f"imprecision: {WORDS[levels]}")  # levels beyond one: needs_confirmation says so
    return Proposal(
        rating=BY_LEVELS[levels],
        rule=decided.rule,
        threshold=decided.threshold or ci.threshold,
        facts=facts,
        explanation=why,
        path=path,
        needs_confirmation=levels > 1,
    )
