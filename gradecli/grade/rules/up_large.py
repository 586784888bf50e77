"""UP-LARGE: the whole CI of a ratio lies beyond the large-effect threshold."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from gradecli.formatting import fixed
from gradecli.grade.rules.base import Rule, SwitchableSettings, Upgrade

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext


class UpLargeSettings(SwitchableSettings):
    large_ratio: Annotated[float, Field(gt=1)] = Field(
        2.0, description="One level up when the whole CI lies beyond this ratio (or below its inverse)."
    )
    very_large_ratio: Annotated[float, Field(gt=1)] = Field(
        5.0, description="Two levels up when the whole CI lies beyond this ratio (or below its inverse)."
    )
    only_without_downgrades: bool = Field(
        True, description="Apply a proposed rating up only when no domain was rated down."
    )


class UpLarge(Rule[UpLargeSettings]):
    """A large effect can raise the certainty of evidence that starts Low (non-randomised
    studies): +1 when the whole 95% CI of the ratio (RR, OR, HR) lies beyond `large_ratio` (above
    it, or below its inverse: RR > 2 or < 0.5), +2 beyond `very_large_ratio` (RR > 5 or < 0.2).
    Proposed only for ratio measures and only for bodies of evidence that start Low; applied only
    when nothing was rated down (`only_without_downgrades`) and while risk of bias and imprecision
    are assessed. Switched off (`enabled: false`), no rating up is proposed and the facts say which
    rule set switched it off; the reviewer may still rate up (`judgements.large_effect`).

    Sources: GRADE guidelines 9, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1311–1316,
    doi:10.1016/j.jclinepi.2011.06.004 (RR > 2 or < 0.5: up one level; > 5 or < 0.2: up two; for
    evidence with no reason to rate down); Core GRADE 4, Guyatt G et al., BMJ 2025;389:e083864,
    doi:10.1136/bmj-2024-083864.

    gradecli's choices: the whole CI (not only the estimate) must lie beyond the threshold; no
    rating up while risk of bias or imprecision is not assessed.

    PASS (no rating up): non-randomised studies, RR 0.45 (95% CI 0.30 to 0.70) → the CI reaches
    above 0.5: 0 levels.

    FAIL (rated up): RR 0.30 (95% CI 0.20 to 0.45) → +1; RR 0.10 (0.05 to 0.18) → +2.
    """

    code = "UP-LARGE"
    domain = "upgrades"
    summary = "the whole CI of a ratio lies beyond the large-effect threshold"
    settings_model = UpLargeSettings

    @staticmethod
    def judge(ctx: OutcomeContext, s: UpLargeSettings) -> Upgrade | None:
        """None for a measure that is not a ratio, or without a positive CI."""
        e = ctx.effect
        if not ctx.is_ratio or e is None or e.lo is None or e.hi is None or e.lo <= 0:
            return None
        lo, hi = e.lo, e.hi
        ci = f"95% CI {fixed(lo)} to {fixed(hi)}"
        if lo > s.very_large_ratio or hi < 1 / s.very_large_ratio:
            return Upgrade(2, (ci, f"beyond {s.very_large_ratio:g} (or {1 / s.very_large_ratio:.2f})"))
        if lo > s.large_ratio or hi < 1 / s.large_ratio:
            return Upgrade(1, (ci, f"beyond {s.large_ratio:g} (or {1 / s.large_ratio:.2f})"))
        return Upgrade(0, (ci,))


RULE = UpLarge
