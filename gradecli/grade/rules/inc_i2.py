"""INC-I2: I² or Cochran's Q p beyond the rule set's thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings, pct
from gradecli.model.vocab import Rating
from gradecli.numeric import safe_exp

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.scale import Scale

Percent = Annotated[float, Field(ge=0, le=100)]


class IncI2Settings(SwitchableSettings):
    i2_serious: Percent = Field(50.0, description="Heterogeneity is important from this I² (percent) on.")
    i2_strictly_above: bool = Field(
        False, description="Compare I² with i2_serious by '>' instead of '≥' (Pollock 2016: 'I² > 75%')."
    )
    q_p_serious: Annotated[float, Field(gt=0, lt=1)] | None = Field(
        0.10, description="Heterogeneity is also important when Cochran's Q p is below this; null: Q is not used."
    )
    i2_very_serious: Percent | None = Field(
        75.0,
        description=(
            "Very serious from this I² (percent) on when the study estimates show both an important benefit "
            "and an important harm; null: never very serious."
        ),
    )


@dataclass(frozen=True)
class Spread:
    """Where the study estimates and the prediction interval lie against the outcome's thresholds."""

    zones: tuple[int, ...]  # the zone of each study estimate on the judging scale
    pi_checked: bool  # a prediction interval could be placed on the scale
    pi_straddle: bool  # ... and it crosses a threshold
    opposite: bool  # study estimates in the lowest and the highest zone (important benefit and harm)
    facts: tuple[str, ...]

    @property
    def straddle(self) -> bool:
        return len(set(self.zones)) > 1


def spread(ctx: OutcomeContext, scale: Scale | None) -> Spread:
    zones: list[int] = []
    facts: list[str] = []
    if scale is not None:
        for eff in ctx.row_effects:
            if eff.estimate is None:
                continue
            try:
                zones.append(scale.zone(scale.value(ctx.measure, eff.estimate)))
            except (ValueError, ZeroDivisionError):
                continue
    pooled = ctx.pooled
    pi: tuple[float | None, float | None] | None = None
    if pooled is not None and pooled.pi_lb is not None:
        pi = (pooled.pi_lb, pooled.pi_ub)
    if pi is not None and ctx.is_ratio:
        pi = (safe_exp(pi[0]), safe_exp(pi[1]))
    pi_checked = pi_straddle = False
    lo, hi = pi if pi is not None else (None, None)
    if scale and lo is not None and hi is not None:
        pi_checked = True
        try:
            pi_straddle = scale.crossings(scale.value(ctx.measure, lo), scale.value(ctx.measure, hi)) > 0
        except (ValueError, ZeroDivisionError):
            pi_straddle = False
        facts.append(f"95% prediction interval {'crosses' if pi_straddle else 'stays within'} a threshold")
    if zones and scale is not None:
        facts.append(f"study estimates fall in {len(set(zones))} zone(s) of the thresholds ({scale.threshold_note})")
    n_bound = len(scale.boundaries) if scale else 0
    opposite = bool(zones) and min(zones) == 0 and max(zones) == n_bound and n_bound >= 2
    return Spread(tuple(zones), pi_checked, pi_straddle, opposite, tuple(facts))


def shown_i2(i2: float, s: IncI2Settings) -> str:
    """I² as the footnotes show it: never rounded across the threshold it is compared with."""
    return pct(i2 / 100, s.i2_serious / 100)


class IncI2(Rule[IncI2Settings]):
    """Heterogeneity is *important* when I² ≥ `i2_serious` (or > with `i2_strictly_above`) or
    Cochran's Q p < `q_p_serious`. Without important heterogeneity: not serious. With it:
    serious — or very serious when I² ≥ `i2_very_serious` and the study estimates include both an
    important benefit and an important harm (they lie in the lowest and the highest zone of the
    outcome's thresholds). The facts also say where the study estimates and the 95% prediction
    interval lie against the thresholds.

    When INC-STRADDLE is on (the default), it refines this rule's "serious": GRADE rates down only
    when the variation matters for the decision, so large heterogeneity is not serious when the
    study estimates all lie on the same side of the thresholds. With INC-STRADDLE off (Pollock
    2016), this rule decides alone.

    Sources: GRADE guidelines 7, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1294–1302,
    doi:10.1016/j.jclinepi.2011.03.017; GRADE guidance 36, Guyatt G et al., J Clin Epidemiol
    2023;158:70–83, doi:10.1016/j.jclinepi.2023.03.003 (I² alone can mislead); Core GRADE 3,
    Guyatt G et al., BMJ 2025;389:e081905, doi:10.1136/bmj-2024-081905; Cochrane Handbook v6.5,
    chapter 10 (Deeks JJ, Higgins JPT, Altman DG, McKenzie JE, Veroniki AA), §10.10.2 (I² of
    50–90% "may represent substantial", 75–100% "considerable" heterogeneity; a Q p value of 0.10
    rather than 0.05); Pollock A et al., J Clin Epidemiol 2016;70:106–110,
    doi:10.1016/j.jclinepi.2015.08.013, Table 2 (I² > 75%: −1).

    gradecli's choices: the cut-offs 50% and p < 0.10 (the lower end of the Handbook's
    "substantial" band, and its 0.10; GRADE sets no I² cut-off for rating down); very serious from
    75% (the lower end of the Handbook's "considerable" band) only with estimates on both sides —
    as the decision matrix of one Cochrane review does (CD009172, PMC7195185: I² > 75% with effects
    in different directions, −2; that review's own rule, not GRADE Working Group guidance).

    PASS: five studies, I² = 30%, Q p = 0.2 → not serious.

    FAIL: I² = 80% with some studies showing an important benefit and others a trivial effect →
    serious (INC-STRADDLE, or INC-I2 when INC-STRADDLE is off).
    """

    code = "INC-I2"
    domain = "inconsistency"
    summary = "I² or Cochran's Q p beyond the rule set's thresholds"
    settings_model = IncI2Settings
    uses_scale = True

    @staticmethod
    def judge(ctx: OutcomeContext, s: IncI2Settings, scale: Scale | None) -> Proposal | None:
        """None with one study, or without I² (INC-SINGLE and INC-NONE decide)."""
        if (ctx.k is not None and ctx.k <= 1) or ctx.i2 is None:
            return None
        i2, q_p = ctx.i2, ctx.q_p
        i2_text = shown_i2(i2, s)
        where = spread(ctx, scale)
        facts = [f"I² = {i2_text}%" + (f", Q p = {q_p:.2g}" if q_p is not None else ""), *where.facts]
        big = i2 > s.i2_serious if s.i2_strictly_above else i2 >= s.i2_serious
        q_big = s.q_p_serious is not None and q_p is not None and q_p < s.q_p_serious
        cmp = ">" if s.i2_strictly_above else "≥"
        threshold = f"I² {cmp} {s.i2_serious:g}%" + (f" or Q p < {s.q_p_serious:g}" if s.q_p_serious else "")
        if not (big or q_big):
            return Proposal(
                rating=Rating.not_serious,
                rule="INC-I2",
                threshold=threshold,
                facts=facts,
                explanation=f"I² = {i2_text}% is below the rule set's threshold",
            )
        very = s.i2_very_serious is not None and i2 >= s.i2_very_serious and where.opposite
        stats = f"I² = {i2_text}%" + (f" (Q p = {q_p:.2g})" if q_big else "")
        why = stats + (" and some studies show an important benefit and others an important harm" if very else "")
        return Proposal(
            rating=Rating.very_serious if very else Rating.serious,
            rule="INC-I2",
            threshold=threshold,
            facts=facts,
            explanation=why,
        )


RULE = IncI2
