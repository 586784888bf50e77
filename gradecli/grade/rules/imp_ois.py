"""IMP-OIS: the optimal information size, for large effects and for crossing CIs far below it."""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, Field

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings, pct
from gradecli.model.vocab import Measure, OutcomeType, Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.scale import Scale

Probability = Annotated[float, Field(gt=0, lt=1)]


def _within(low: float, high: float, why: str) -> AfterValidator:
    """A bound checked after the type (kept out of the JSON schema, which states gt 0 / lt 1): the
    sample-size formulas divide by these values or take normal quantiles of them."""

    def check(v: float) -> float:
        if not low <= v <= high:
            raise ValueError(f"must be from {low:g} to {high:g} ({why}), got {v!r}")
        return v

    return AfterValidator(check)


def _schema(low: float, high: float) -> object:
    """The bound in the JSON schema too (``minimum``/``maximum``), so editors and docs show it."""
    return Field(json_schema_extra={"minimum": low, "maximum": high})


RelativeReduction = Annotated[
    float,
    Field(gt=0, lt=1),
    _schema(0.001, 0.99),
    _within(0.001, 0.99, "the OIS divides by its square, a large ratio by 1 minus it"),
]
"""A relative risk reduction, 0.1% to 99%: nearer 0 or 1 the formulas divide by (nearly) zero."""
Alpha = Annotated[
    float, Field(gt=0, lt=1), _schema(1e-6, 0.5), _within(1e-6, 0.5, "smaller, 1 − α/2 has no finite normal quantile")
]
"""Two-sided type I error, 1e-6 to 0.5."""
Power = Annotated[
    float, Field(gt=0, lt=1), _schema(0.5, 0.999999), _within(0.5, 0.999999, "higher, its normal quantile is infinite")
]
"""Power, 50% to 99.9999%."""
EffectSize = Annotated[float, Field(gt=0), _schema(0.001, 100), _within(0.001, 100, "a standardised mean difference")]
"""A standardised mean difference to power for or to call large: 0.001 to 100."""

OIS_CAP = 10**18
"""Optimal information sizes are capped here (far beyond any body of evidence): a comparator risk of
1e-300 would otherwise divide by an underflowed (p0 − p1)² or give a 300-digit number."""


class ImpOisSettings(SwitchableSettings):
    ois_rrr: RelativeReduction = Field(
        0.25, description="Relative risk reduction the trial is powered for (dichotomous outcomes; 0.001 to 0.99)."
    )
    ois_smd: EffectSize = Field(
        0.2,
        description="Continuous outcomes without an MID (or without SDs to scale it): the SMD to power for "
        "(0.001 to 100).",
    )
    ois_alpha: Alpha = Field(0.05, description="Two-sided type I error of the sample-size calculation (1e-6 to 0.5).")
    ois_power: Power = Field(
        0.80, description="Power (1 − type II error) of the sample-size calculation (0.5 to 0.999999)."
    )
    far_below: Probability = Field(
        0.30, description="Below this share of the OIS: two levels (a large effect, or a CI that crosses a threshold)."
    )
    large_rrr: RelativeReduction = Field(
        0.30,
        description="Ratio outcomes without `thresholds.large`: an effect this far from 1 is large "
        "(RR 0.70, 1/0.70; 0.001 to 0.99).",
    )
    large_smd: EffectSize = Field(
        0.8,
        description="A continuous outcome without `thresholds.large`: an SMD (or MD / pooled SD) this large is "
        "large (0.001 to 100).",
    )
    always: bool = Field(
        False,
        description="Check the OIS whenever the CI crosses nothing, large effect or not (GRADE 6's wording; "
        "the strict rule set). Off: only for large effects (GRADE 34, Core GRADE 2).",
    )


def optimal_information_size(
    ctx: OutcomeContext, s: ImpOisSettings, scale: Scale | None = None
) -> tuple[int, str] | None:
    """OIS (total participants, at most ``OIS_CAP``) and how it was computed, or None when it cannot be.

    Dichotomous: a relative risk reduction ``ois_rrr`` at the comparator risk. Continuous: δ = the
    outcome's MID in its units and σ = the studies' pooled SD (Core GRADE 2); an SMD outcome's MID
    is δ/σ itself; without them, δ/σ = ``ois_smd`` (labelled)."""
    z = NormalDist().inv_cdf(1 - s.ois_alpha / 2) + NormalDist().inv_cdf(s.ois_power)
    tail = f"α {s.ois_alpha:g}, power {s.ois_power:g}"
    if ctx.outcome.type is OutcomeType.continuous or ctx.measure in (Measure.MD, Measure.SMD):
        mid = _mid(ctx, scale)
        sd = ctx.pooled_sd
        if mid is not None and ctx.measure is Measure.SMD:
            d, how = mid, f"the MID, SMD {mid:g}"
        elif mid is not None and sd is not None:
            d, how = mid / sd, f"MID {mid:g} / pooled SD {sd:.3g}"
        else:
            d, how = s.ois_smd, f"SMD {s.ois_smd:g} (gradecli's fallback: no MID or no pooled SD)"
        per_group = 2 * z * z / (d * d) if d * d > 0 else math.inf
        total = 2 * math.ceil(per_group) if per_group < OIS_CAP / 2 else OIS_CAP
        return total, f"{how}, {tail}"
    p0 = ctx.control_risk
    if p0 is None or not 0 < p0 < 1:
        return None
    p1 = p0 * (1 - s.ois_rrr)
    # z²(p0(1−p0) + p1(1−p1)) / (p0 − p1)², with p0 − p1 = p0·rrr divided out (no underflow for tiny p0)
    per_arm = z * z * ((1 - p0) + (1 - s.ois_rrr) * (1 - p1)) / (p0 * s.ois_rrr * s.ois_rrr)
    total = OIS_CAP if not per_arm < OIS_CAP / 2 else 2 * math.ceil(per_arm)
    return total, f"comparator risk {_percent(p0)}, relative risk reduction {100 * s.ois_rrr:.0f}%, {tail}"


def _mid(ctx: OutcomeContext, scale: Scale | None) -> float | None:
    """The outcome's own MID in its units (the estimate's side first), for a continuous OIS."""
    if scale is None or scale.kind != "difference" or not scale.has_mid or ctx.effect is None:
        return None
    side = scale.up if (ctx.effect.estimate or 0) > 0 else scale.down
    return side.mid if side.mid is not None and not side.mid_note else (scale.down.mid or scale.up.mid)


def _percent(p: float) -> str:
    return f"{100 * p:.1f}%" if p >= 0.0005 else f"{100 * p:.2g}%"


def ois_text(n: int) -> str:
    return f"{n:,}" if n < OIS_CAP else f"more than {OIS_CAP:,}"


def is_large(ctx: OutcomeContext, s: ImpOisSettings, scale: Scale, v: float) -> tuple[bool, str] | None:
    """Whether the point estimate is a large effect, and by which boundary; None when it cannot be told."""
    side = scale.side(v)
    if side.large is not None:
        return abs(v) >= side.large, f"`large` {scale.show_threshold((1 if v > 0 else -1) * side.large)}"
    e = ctx.effect
    if e is None or e.estimate is None:
        return None
    if ctx.is_ratio:
        r = e.estimate
        limit = 1 - s.large_rrr
        return (
            r <= limit or r >= 1 / limit
        ), f"ratio {limit:.2f} or {1 / limit:.2f} (relative effect of {pct(s.large_rrr)}%)"
    if ctx.measure is Measure.SMD:
        return abs(e.estimate) >= s.large_smd, f"SMD {s.large_smd:g}"
    sd = ctx.pooled_sd
    if ctx.measure is Measure.MD and sd is not None:
        return abs(e.estimate) / sd >= s.large_smd, f"MD / pooled SD {sd:.3g} of {s.large_smd:g}"
    return None


class ImpOis(Rule[ImpOisSettings]):
    """The optimal information size (OIS): the total sample size of one adequately powered trial
    (α `ois_alpha` two-sided, power `ois_power`). Asked after IMP-CROSS, in two situations:

    * the CI crosses **no** threshold and the point estimate is a **large** effect (beyond
      `thresholds.large`; without it, a ratio beyond 1 − `large_rrr` (RR 0.70) or its inverse, an
      SMD or MD / pooled SD of `large_smd`): large effects from small samples are often
      overestimates. Participants at or above the OIS → not serious; below → serious; below
      `far_below` × OIS → very serious (the reviewer confirms). A CI that crosses nothing and is
      not large — a trivial, precise effect included — is not rated down and the OIS is not asked
      (`always: true` asks it anyway, GRADE 6's older wording);
    * the CI crosses one threshold and the participants are below `far_below` × OIS → very serious.

    Dichotomous outcomes: a relative risk reduction of `ois_rrr` at the comparator risk (the
    stratum's assumed risk, or the control groups' median risk) — a modest effect, not the MID.
    Continuous outcomes: δ = the outcome's MID in its own units, σ = the studies' pooled SD; an SMD's
    MID directly; without them, δ/σ = `ois_smd` (labelled as gradecli's fallback). Events are
    reported beside participants.

    Sources: GRADE guidelines 6, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1283–1293,
    doi:10.1016/j.jclinepi.2011.01.012 (the OIS: α 0.05, β 0.20, RRR 25%); GRADE guidance 34, Zeng L
    et al., J Clin Epidemiol 2022;150:216–224, doi:10.1016/j.jclinepi.2022.07.014 (the OIS only when
    the CI crosses nothing and the effect is large; "far less than the OIS → consider rating down
    more than one level"); Core GRADE 2, Guyatt G et al., BMJ 2025;389:e081904,
    doi:10.1136/bmj-2024-081904 (RRR 20–25% for binary outcomes, the MID and SD for continuous ones;
    large effects "possibly > 30%").

    gradecli's choices: 30% of the OIS as "far below" and its use for crossing CIs; RRR 30% and SMD
    0.8 as "large" when the outcome gives no `large`; SMD 0.2 as the continuous fallback; the normal
    approximation for two proportions; sizes capped at 10¹⁸.

    PASS: comparator risk 35%, RR 0.48 (0.35–0.64), MID 50 / large 100 fewer, 900 participants (OIS
    864) → not serious.

    FAIL: the same with 600 participants → serious (fewer than 864, at least 30% of it); with 200 →
    very serious.
    """

    code = "IMP-OIS"
    domain = "imprecision"
    summary = "the optimal information size: large effects, and crossing CIs far below it"
    settings_model = ImpOisSettings
    uses_scale = True

    @staticmethod
    def judge(
        ctx: OutcomeContext, s: ImpOisSettings, scale: Scale | None, levels: int, v: float | None
    ) -> Proposal | None:
        """The OIS proposal given the CI rule's ``levels`` (0 or 1) and the point estimate ``v`` on the
        judging scale; None when the OIS does not apply; a proposal with no rating (not assessed)
        when it applies to a large effect but cannot be computed."""
        n = ctx.participants
        if levels > 1 or scale is None or v is None:
            return None
        path: list[str] = []
        if levels == 0:
            large = is_large(ctx, s, scale, v)
            if not s.always:
                if large is None:
                    return None
                if not large[0]:
                    path.append(f"not a large effect (below {large[1]}): no OIS (GRADE 34) → 0")
                    return Proposal(rating=Rating.not_serious, rule="IMP-OIS", path=path, explanation=None)
                path.append(f"a large effect (beyond {large[1]}): the optimal information size applies")
        ois = optimal_information_size(ctx, s, scale)
        if ois is None or n is None:
            missing = (
                "the number of participants"
                if n is None
                else "a comparator risk (assumed_risk, or the control groups' events)"
            )
            if levels == 1:
                path.append(f"no OIS to compare with: {missing} not known → −1 stands")
                return Proposal(rating=Rating.serious, rule="IMP-OIS", path=path)
            path.append(f"the OIS cannot be computed: {missing} not known → not assessed")
            what = (
                "the rule set asks the optimal information size of every CI that crosses no threshold"
                if s.always
                else "a large effect whose CI crosses no threshold needs the optimal information size (GRADE 34)"
            )
            why = f"{what}, which needs {missing}; give it, or judge imprecision (judgements.imprecision)"
            return Proposal(rating=None, rule="IMP-OIS", path=path, explanation=why)
        size, how = ois
        events = ctx.events
        count = f"{n:,} participants" + (f" ({events:,} events)" if events is not None else "")
        fact = f"optimal information size {ois_text(size)} ({how})"
        far = s.far_below * size
        threshold = f"optimal information size {ois_text(size)}"

        def result(rating: Rating, step: str, why: str | None) -> Proposal:
            return Proposal(
                rating=rating,
                rule="IMP-OIS",
                threshold=threshold,
                facts=[fact],
                explanation=why,
                path=[*path, step],
                needs_confirmation=rating is Rating.very_serious,
            )

        if n < far:  # far below: two levels, for a crossing CI and for a large effect alike
            why = f"{count}, far below the optimal information size of {ois_text(size)} ({how})"
            return result(Rating.very_serious, f"{count} < {pct(s.far_below)}% of the OIS {ois_text(size)} → −2", why)
        if levels == 1:
            return result(
                Rating.serious, f"{count} ≥ {pct(s.far_below)}% of the OIS {ois_text(size)}: not far below → −1", None
            )
        if n >= size:
            why = f"{count}, at least the optimal information size of {ois_text(size)} ({how})"
            return result(Rating.not_serious, f"{count} ≥ OIS {ois_text(size)} → 0", why)
        why = f"{count}, fewer than the optimal information size of {ois_text(size)} ({how})"
        return result(Rating.serious, f"{count} < OIS {ois_text(size)} → −1", why)


RULE = ImpOis
