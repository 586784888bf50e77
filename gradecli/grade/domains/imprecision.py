"""Imprecision.

GRADE 34/35 and Core GRADE 2: judge the 95% CI against the target of the rating — the thresholds
that bound the trivial zone (GRADE 41), or the null when the target is "any effect" — using the
*absolute* effect whenever a comparator risk is known. Statistical significance is never the reason.

* IMP-CROSS — the CI crosses threshold(s): one → serious; two (e.g. from important benefit to
  important harm) → very serious; three or more (with moderate/large thresholds, GRADE 35) →
  extremely serious.
* IMP-RELATIVE — ratio measures with no assumed risk can only be judged on the relative scale
  (default RR 0.8/1.25, GRADE 6). Published authors judge absolute effects: 39% of CIs in
  Cochrane rows rated High cross RR 1 (rulebook R6.5). So by default a relative CI that crosses
  only one threshold is flagged, not rated down (``relative_single_crossing``); a CI that spans
  both an important benefit and an important harm is very serious.
* IMP-SPARSE — fewer than ``sparse_participants`` (default 100, Pollock 2016) participants:
  at least serious, whatever the CI.
* IMP-OIS — no threshold crossed, but the information size is below the optimal information size
  (GRADE 6): one adequately powered trial, α 0.05, power 0.80, a relative risk reduction of 25%
  at the comparator risk (dichotomous) or an SMD of 0.2 (continuous).
* IMP-BANDS — rule sets that rate by participants alone (Pollock 2016: ≥200 / 100–199 / <100).
* IMP-NONE — nothing to judge (no result, no threshold and no participants): not assessed.
"""

from __future__ import annotations

import math

from gradecli.grade.assessment import Proposal
from gradecli.grade.context import OutcomeContext
from gradecli.grade.ruleset import RuleSet
from gradecli.grade.scale import Scale, effect_on_scale, zone_name
from gradecli.model.vocab import OutcomeType, Rating

RULES = {
    "IMP-CROSS": "the 95% CI crosses the outcome's threshold(s)",
    "IMP-RELATIVE": "relative CI judged without an assumed risk (one crossing flagged, both rated down)",
    "IMP-SPARSE": "fewer participants than the rule set's minimum",
    "IMP-OIS": "information size below the optimal information size",
    "IMP-BANDS": "rating by number of participants alone",
    "IMP-NONE": "nothing to judge: not assessed",
}

BY_LEVELS = [Rating.not_serious, Rating.serious, Rating.very_serious, Rating.extremely_serious]


OIS_CAP = 10**18
"""Optimal information sizes are capped here (far beyond any body of evidence): a comparator risk of
1e-300 would otherwise divide by an underflowed (p0 − p1)² or give a 300-digit number."""


def optimal_information_size(ctx: OutcomeContext, rules: RuleSet) -> tuple[int, str] | None:
    """OIS (total participants, at most ``OIS_CAP``) and how it was computed, or None when it cannot be."""
    from statistics import NormalDist

    r = rules.imprecision
    z = NormalDist().inv_cdf(1 - r.ois_alpha / 2) + NormalDist().inv_cdf(r.ois_power)
    if ctx.outcome.type is OutcomeType.continuous:
        n = math.ceil(2 * z * z / r.ois_smd**2)
        return 2 * n, f"SMD {r.ois_smd:g}, α {r.ois_alpha:g}, power {r.ois_power:g}"
    p0 = ctx.control_risk
    if p0 is None or not 0 < p0 < 1:
        return None
    p1 = p0 * (1 - r.ois_rrr)
    # z²(p0(1−p0) + p1(1−p1)) / (p0 − p1)², with p0 − p1 = p0·rrr divided out (no underflow for tiny p0)
    per_arm = z * z * ((1 - p0) + (1 - r.ois_rrr) * (1 - p1)) / (p0 * r.ois_rrr * r.ois_rrr)
    total = OIS_CAP if not per_arm < OIS_CAP / 2 else 2 * math.ceil(per_arm)
    return total, (
        f"comparator risk {_percent(p0)}, relative risk reduction {100 * r.ois_rrr:.0f}%, "
        f"α {r.ois_alpha:g}, power {r.ois_power:g}"
    )


def _percent(p: float) -> str:
    return f"{100 * p:.1f}%" if p >= 0.0005 else f"{100 * p:.2g}%"


def _ois_text(n: int) -> str:
    return f"{n:,}" if n < OIS_CAP else f"more than {OIS_CAP:,}"


def _bands(ctx: OutcomeContext, rules: RuleSet) -> Proposal:
    r = rules.imprecision
    n = ctx.participants
    if n is None:
        if r.participants_not_reported == "not_assessed":
            return Proposal(
                rating=None,
                rule="IMP-BANDS",
                facts=["participants not reported"],
                explanation="the number of participants is not reported",
            )
        return Proposal(
            rating=Rating(r.participants_not_reported),
            rule="IMP-BANDS",
            facts=["participants not reported"],
            explanation="participants not reported",
        )
    bands = sorted(r.participant_bands, key=lambda b: -b.min)
    rating = next((b.rating for b in bands if n >= b.min), Rating.very_serious)
    desc = ", ".join(f"≥{b.min}: {b.rating.value.replace('_', ' ')}" for b in bands)
    return Proposal(
        rating=rating,
        rule="IMP-BANDS",
        threshold=desc,
        facts=[f"{n:,} participants"],
        explanation=f"{n:,} participants ({desc})",
    )


def propose(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None) -> Proposal:
    r = rules.imprecision
    if r.method == "participant_bands":
        return _bands(ctx, rules)
    n = ctx.participants
    facts: list[str] = []
    if n is not None:
        facts.append(f"{n:,} participants" + (f" in {ctx.k} stud{'y' if ctx.k == 1 else 'ies'}" if ctx.k else ""))
    levels, rule, threshold, why = 0, None, None, None
    on_scale = effect_on_scale(scale, ctx.effect) if scale and ctx.effect else None
    if scale and on_scale:
        _, lo, hi = on_scale
        crossings = scale.crossings(lo, hi)
        facts.append(
            f"95% CI {scale.show_interval(lo, hi)}" + (f" ({scale.unit})" if scale.unit not in ("", "ratio") else "")
        )
        threshold = scale.threshold_note
        any_effect = ctx.outcome.thresholds is not None and ctx.outcome.thresholds.target == "any_effect"
        if (
            scale.kind == "relative"
            and crossings == 1
            and not any_effect
            and r.relative_single_crossing == "not_serious"
        ):
            rule = "IMP-RELATIVE"
            facts.append(
                "the relative CI crosses one threshold; give an assumed_risk and an absolute "
                "threshold to judge the absolute effect"
            )
            why = (
                f"the 95% CI ({scale.show_interval(lo, hi)}) crosses one relative threshold ({threshold}); "
                "without an assumed risk the absolute effect cannot be judged, so this is not rated down"
            )
        elif crossings:
            levels = min(crossings, 3)
            rule = "IMP-RELATIVE" if scale.kind == "relative" else "IMP-CROSS"
            span = f"includes both {zone_name(ctx, scale, lo)} and {zone_name(ctx, scale, hi)}"
            why = f"the 95% CI ({scale.show_interval(lo, hi)}) {span} ({threshold})"
        else:
            rule = "IMP-CROSS"
            why = f"the 95% CI ({scale.show_interval(lo, hi)}) crosses no threshold ({threshold})"
    elif ctx.effect is None or ctx.effect.estimate is None:
        facts.append("no pooled result")
    else:
        facts.append("no threshold to judge the CI against: give thresholds.mid")
    if r.sparse_participants is not None and n is not None and n < r.sparse_participants and levels < 1:
        levels, rule = 1, "IMP-SPARSE"
        threshold = f"fewer than {r.sparse_participants} participants"
        why = f"only {n:,} participants (fewer than {r.sparse_participants})"
    if levels == 0 and n is not None and (rule in (None, "IMP-CROSS")):
        ois = optimal_information_size(ctx, rules)
        if ois is not None:
            facts.append(f"optimal information size {_ois_text(ois[0])} ({ois[1]})")
            if n < ois[0]:
                levels, rule = 1, "IMP-OIS"
                threshold = f"optimal information size {_ois_text(ois[0])}"
                why = (
                    f"{n:,} participants, fewer than the optimal information size of {_ois_text(ois[0])} ({ois[1]})"
                ) + (f"; {why}" if why else "")
    if rule is None:
        return Proposal(
            rating=None, rule="IMP-NONE", facts=facts, explanation="no result, threshold or participant count to judge"
        )
    if scale is not None and scale.default_used:
        facts.append(f"default used: {scale.default_used}")
    return Proposal(rating=BY_LEVELS[levels], rule=rule, threshold=threshold, facts=facts, explanation=why)
