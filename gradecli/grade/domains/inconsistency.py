"""Inconsistency (heterogeneity of results).

GRADE 7 and Core GRADE 3: rate down when results vary more than chance explains *and* the variation
matters for the decision — "particularly if some studies suggest substantial benefit, and others no
effect or harm". I² alone can mislead (GRADE 36): large precise studies on the same side of the
threshold are consistent whatever I² says.

INC-I2: heterogeneity is important when I² ≥ ``i2_serious`` (default 50%, Cochrane Handbook
"may be substantial") or Cochran's Q p < ``q_p_serious`` (0.10). INC-STRADDLE: the study point
estimates (or the prediction interval) lie in different zones of the outcome's thresholds — e.g.
some show an important benefit, others a trivial effect or harm. Serious when both hold (or INC-I2
alone when ``require_straddle`` is false); very serious when I² ≥ ``i2_very_serious`` (75%,
"considerable") and study estimates show both important benefit and important harm (the CD009172
decision matrix). When the straddle cannot be checked — a summary-level result has no per-study
estimates, and an outcome without a threshold has no zones — a large I² is *not assessed* (left to the
reviewer) rather than called not serious. INC-SINGLE: one study — not applicable. INC-NONE: a summary without I² — not
assessed (or serious, when the rule set says so, as Pollock 2016 does).
"""

from __future__ import annotations

from gradecli.grade.assessment import Proposal
from gradecli.grade.context import OutcomeContext
from gradecli.grade.domains.risk_of_bias import pct
from gradecli.grade.ruleset import RuleSet
from gradecli.grade.scale import Scale
from gradecli.model.vocab import Rating
from gradecli.numeric import safe_exp

RULES = {
    "INC-I2": "I² or Cochran's Q p beyond the rule set's thresholds",
    "INC-STRADDLE": "study estimates or the prediction interval fall in different zones of the thresholds",
    "INC-SINGLE": "a single study: inconsistency is not applicable",
    "INC-NONE": "no heterogeneity statistics: not assessed",
}


def _zones(ctx: OutcomeContext, scale: Scale) -> list[int]:
    out = []
    for eff in ctx.row_effects:
        if eff.estimate is None:
            continue
        try:
            out.append(scale.zone(scale.value(ctx.measure, eff.estimate)))
        except (ValueError, ZeroDivisionError):
            continue
    return out


def propose(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None) -> Proposal:
    r = rules.inconsistency
    k = ctx.k
    if k is not None and k <= 1:
        return Proposal(
            rating=Rating.not_serious,
            rule="INC-SINGLE",
            applicable=False,
            facts=["one study"],
            explanation="a single study: inconsistency cannot be assessed",
        )
    i2, q_p = ctx.i2, ctx.q_p
    if i2 is None:
        if r.i2_not_reported == "serious":
            return Proposal(
                rating=Rating.serious,
                rule="INC-NONE",
                facts=["I² not reported"],
                threshold="I² not reported counts as serious",
                explanation="I² is not reported (the rule set counts this as serious)",
            )
        return Proposal(
            rating=None,
            rule="INC-NONE",
            facts=["I² not reported"],
            explanation="no heterogeneity statistics are available",
        )
    i2_text = pct(i2 / 100, r.i2_serious / 100)
    facts = [f"I² = {i2_text}%" + (f", Q p = {q_p:.2g}" if q_p is not None else "")]
    big = i2 > r.i2_serious if r.i2_strictly_above else i2 >= r.i2_serious
    if r.q_p_serious is not None and q_p is not None and q_p < r.q_p_serious:
        big = True
    cmp = ">" if r.i2_strictly_above else "≥"
    threshold = f"I² {cmp} {r.i2_serious:g}%" + (f" or Q p < {r.q_p_serious:g}" if r.q_p_serious else "")
    zones = _zones(ctx, scale) if scale else []
    straddle = len(set(zones)) > 1
    pi_straddle = False
    pi_checked = False
    pooled = ctx.pooled
    pi: tuple[float | None, float | None] | None = None
    if pooled is not None and pooled.pi_lb is not None:
        pi = (pooled.pi_lb, pooled.pi_ub)
    if pi is not None and ctx.is_ratio:
        pi = (safe_exp(pi[0]), safe_exp(pi[1]))
    if scale and pi is not None and pi[0] is not None and pi[1] is not None:
        pi_checked = True
        lo, hi = pi
        try:
            pi_straddle = scale.crossings(scale.value(ctx.measure, lo), scale.value(ctx.measure, hi)) > 0
        except (ValueError, ZeroDivisionError):
            pi_straddle = False
        facts.append(f"95% prediction interval {'crosses' if pi_straddle else 'stays within'} a threshold")
    if zones:
        facts.append(f"study estimates fall in {len(set(zones))} zone(s) of the thresholds ({scale.threshold_note})")
    if not big:
        return Proposal(
            rating=Rating.not_serious,
            rule="INC-I2",
            threshold=threshold,
            facts=facts,
            explanation=f"I² = {i2_text}% is below the rule set's threshold",
        )
    if r.require_straddle and not zones and not pi_checked:
        # INC-STRADDLE needs the study estimates (or a prediction interval) on a scale with thresholds;
        # a summary-level result, or an outcome with no threshold, has neither: do not claim they agree.
        missing = "no per-study estimates" if ctx.outcome.form != "studies" else "no threshold to place them against"
        return Proposal(
            rating=None,
            rule="INC-STRADDLE",
            threshold=threshold,
            facts=[*facts, f"{missing}: cannot tell whether the studies fall on both sides of a threshold"],
            explanation=(
                f"I² = {i2_text}% is large, but with {missing} it cannot be told whether the variation "
                "changes the conclusion; judge inconsistency (judgements.inconsistency)"
            ),
        )
    if r.require_straddle and not (straddle or pi_straddle):
        return Proposal(
            rating=Rating.not_serious,
            rule="INC-STRADDLE",
            threshold=threshold,
            facts=facts,
            explanation=(
                f"I² = {i2_text}% but the study estimates lie on the same side of the "
                "thresholds, so the variation does not change the conclusion"
            ),
        )
    n_bound = len(scale.boundaries) if scale else 0
    opposite = bool(zones) and min(zones) == 0 and max(zones) == n_bound and n_bound >= 2
    very = r.i2_very_serious is not None and i2 >= r.i2_very_serious and opposite
    rating = Rating.very_serious if very else Rating.serious
    where = (
        "some studies show an important benefit and others an important harm"
        if very
        else "the study estimates or the prediction interval fall on different sides of a threshold"
        if r.require_straddle
        else ""
    )
    stats = f"I² = {i2_text}%" + (
        f" (Q p = {q_p:.2g})" if q_p is not None and r.q_p_serious is not None and q_p < r.q_p_serious else ""
    )
    why = stats + (f" and {where}" if where else "")
    return Proposal(
        rating=rating,
        rule="INC-STRADDLE" if r.require_straddle else "INC-I2",
        threshold=threshold,
        facts=facts,
        explanation=why,
    )
