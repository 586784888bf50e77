"""INC-I2: the gate of the inconsistency domain — I² against the rule set's threshold."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings, pct
from gradecli.grade.scale import reaches
from gradecli.model.vocab import Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext

Percent = Annotated[float, Field(ge=0, le=100)]


class IncI2Settings(SwitchableSettings):
    i2_serious: Percent = Field(
        40.0,
        description=(
            "The gate: heterogeneity may be important from this I² (percent) on; below it inconsistency is "
            "not serious whatever Cochran's Q says."
        ),
    )
    i2_strictly_above: bool = Field(
        False, description="Compare I² with i2_serious by '>' instead of '≥' (Pollock 2016: 'I² > 75%')."
    )
    q_p_serious: Annotated[float, Field(gt=0, lt=1)] | None = Field(
        0.10,
        description=(
            "Cochran's Q p below this is named in the facts as heterogeneity beyond chance; it is never a reason "
            "to rate down on its own. null: not named."
        ),
    )
    i2_very_serious: Percent | None = Field(
        75.0,
        description=(
            "From this I² (percent) on, INC-STRADDLE considers two levels: when studies with substantial weight "
            "have 95% CIs wholly in an important reduction and others wholly in an important increase "
            "(flagged for the reviewer, or proposed: INC-STRADDLE's two_levels); null: never."
        ),
    )


def shown_i2(i2: float, s: IncI2Settings) -> str:
    """I² as the footnotes show it: never rounded across the threshold it is compared with."""
    return pct(i2 / 100, s.i2_serious / 100)


def at_or_above(value: float, threshold: float, strictly: bool = False) -> bool:
    """``value ≥ threshold`` (or ``>``), an I² exactly at the threshold counting as reaching it
    despite floating-point noise (an I² of 39.99999999999999% from Q = 31.666… on 19 df is 40%)."""
    if strictly:
        return value > threshold and not reaches(threshold, value)
    return reaches(value, threshold)


@dataclass(frozen=True)
class Gate:
    """What INC-I2 found: whether heterogeneity may be important, in words for facts and path."""

    open: bool
    i2_text: str
    fact: str  # "I² = 81%, Q p = 0.0012"
    threshold: str  # "I² ≥ 40%"
    compared: str  # "I² = 81% ≥ 40%", with a note on Q p when it is below q_p_serious

    @property
    def step(self) -> str:
        """The first step of the domain's path."""
        return f"{self.compared}: the heterogeneity may be important" if self.open else f"{self.compared} → 0"


def gate(ctx: OutcomeContext, s: IncI2Settings) -> Gate | None:
    """None with one study, or without I² (INC-SINGLE and INC-NONE decide)."""
    if (ctx.k is not None and ctx.k <= 1) or ctx.i2 is None:
        return None
    i2, q_p = ctx.i2, ctx.q_p
    i2_text = shown_i2(i2, s)
    cmp = ">" if s.i2_strictly_above else "≥"
    threshold = f"I² {cmp} {s.i2_serious:g}%"
    is_open = at_or_above(i2, s.i2_serious, s.i2_strictly_above)
    fact = f"I² = {i2_text}%" + (f", Q p = {q_p:.2g}" if q_p is not None else "")
    q_note = ""
    if not is_open and q_p is not None and s.q_p_serious is not None and q_p < s.q_p_serious:
        q_note = f" (Q p = {q_p:.2g} < {s.q_p_serious:g}: shown, never a reason on its own)"
    sign = cmp if is_open else ("≤" if s.i2_strictly_above else "<")
    return Gate(is_open, i2_text, fact, threshold, f"I² = {i2_text}% {sign} {s.i2_serious:g}%{q_note}")


class IncI2(Rule[IncI2Settings]):
    """The gate of the inconsistency domain. Heterogeneity *may be important* only when I² ≥
    `i2_serious` (default 40%; `i2_strictly_above` compares by '>'); below it, inconsistency is
    *not serious*. Cochran's Q p is shown, and named when below `q_p_serious`, but it never rates
    down on its own: a low Q p beside a small I² mostly reflects many or large studies. At or
    above the gate, INC-STRADDLE (on by default) decides from where the studies' 95% CIs lie
    against the outcome's threshold. With INC-STRADDLE switched off (as Pollock 2016 does), I² at
    or above the gate is serious on its own — and never more than serious: two levels need the
    studies' CIs (INC-STRADDLE).

    Sources: Core GRADE 3, Guyatt G et al., BMJ 2025;389:e081905, doi:10.1136/bmj-2024-081905
    (judge differences in point estimates, CI overlap and their position against the threshold;
    serious inconsistency is seldom seen at low I²); GRADE guidelines 7, Guyatt GH et al., J Clin
    Epidemiol 2011;64(12):1294–1302, doi:10.1016/j.jclinepi.2011.03.017; GRADE guidance 36, Guyatt
    G et al., J Clin Epidemiol 2023;158:70–83, doi:10.1016/j.jclinepi.2023.03.003 ("overreliance
    on I² could mislead"); Cochrane Handbook v6.5, chapter 10 (Deeks JJ, Higgins JPT, Altman DG,
    McKenzie JE, Veroniki AA), §10.10.2 (I² of 0–40% "might not be important", 75–100%
    "considerable"; a Q p value of 0.10); Pollock A et al., J Clin Epidemiol 2016;70:106–110,
    doi:10.1016/j.jclinepi.2015.08.013, Table 2 (I² > 75%: −1).

    gradecli's choices: the 40% gate (the top of the Handbook's "might not be important" band;
    GRADE sets no I² cut-off); an I² exactly at the gate opens it; Q p never decides alone (the
    rulebook's R4.5); 75% (the bottom of the Handbook's "considerable" band) as the I² from which
    INC-STRADDLE considers two levels.

    PASS: 24 studies, I² = 29%, Q p = 0.09 → not serious (Q p < 0.10 alone is no reason).

    FAIL: I² = 80% → the gate is open and INC-STRADDLE decides; with INC-STRADDLE switched off
    (Pollock 2016, "I² > 75%") → serious on I² alone.
    """

    code = "INC-I2"
    domain = "inconsistency"
    summary = "the I² gate: below it, inconsistency is not serious"
    settings_model = IncI2Settings

    @staticmethod
    def judge(ctx: OutcomeContext, s: IncI2Settings) -> Proposal | None:
        """Not serious below the gate; serious (I² alone) at or above it; None with one study, or
        without I² (INC-SINGLE and INC-NONE decide)."""
        found = gate(ctx, s)
        if found is None:
            return None
        if not found.open:
            return Proposal(
                rating=Rating.not_serious,
                rule="INC-I2",
                threshold=found.threshold,
                facts=[found.fact],
                explanation=f"I² = {found.i2_text}% is below the rule set's threshold ({found.threshold})",
                path=[found.step, "inconsistency: not serious"],
            )
        return Proposal(
            rating=Rating.serious,
            rule="INC-I2",
            threshold=found.threshold,
            facts=[found.fact],
            explanation=f"I² = {found.i2_text}% ({found.threshold})",
            path=[f"{found.compared} → −1 (I² alone decides)", "inconsistency: serious"],
        )


RULE = IncI2
