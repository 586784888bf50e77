"""IMP-SPARSE: fewer participants than the rule set's minimum."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings
from gradecli.model.vocab import Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext


class ImpSparseSettings(SwitchableSettings):
    enabled: bool = Field(
        False,
        description="Rate sparse data down whatever the CI (off by default, not Core GRADE; on in the strict set).",
    )
    sparse_participants: Annotated[int, Field(ge=1)] = Field(
        100, description="Serious when the outcome has fewer participants than this, whatever the CI."
    )


class ImpSparse(Rule[ImpSparseSettings]):
    """Sparse data: an outcome with fewer than `sparse_participants` participants is at least
    serious for imprecision, whatever its CI — small bodies of evidence give fragile estimates even
    when the CI looks narrow. Checked when IMP-CROSS or IMP-RELATIVE did not rate down. Off by
    default (not Core GRADE; the strict rule set switches it on). It is a check added to the CI
    rules: switched off (`enabled: false`) it is skipped and the rest of imprecision is judged as usual.

    Sources: Pollock A et al., J Clin Epidemiol 2016;70:106–110, doi:10.1016/j.jclinepi.2015.08.013,
    Table 2 (1–99 participants: −2); GRADE guidelines 6, Guyatt GH et al., J Clin Epidemiol
    2011;64(12):1283–1293, doi:10.1016/j.jclinepi.2011.01.012 (small samples: consider the optimal
    information size even when the CI excludes no effect).

    gradecli's choices: the cut-off of 100 (Pollock 2016's), and one level rather than Pollock's
    two (IMP-OIS and the reviewer can add the second).

    PASS: 120 participants, CI crossing no threshold → not serious (IMP-OIS is then checked).

    FAIL: 80 participants, CI crossing no threshold → serious (IMP-SPARSE).
    """

    code = "IMP-SPARSE"
    domain = "imprecision"
    summary = "fewer participants than the rule set's minimum"
    settings_model = ImpSparseSettings

    @staticmethod
    def judge(ctx: OutcomeContext, s: ImpSparseSettings) -> Proposal | None:
        """Serious below the minimum; None otherwise (or when participants are not reported)."""
        n = ctx.participants
        if n is None or n >= s.sparse_participants:
            return None
        return Proposal(
            rating=Rating.serious,
            rule="IMP-SPARSE",
            threshold=f"fewer than {s.sparse_participants} participants",
            explanation=f"only {n:,} participants (fewer than {s.sparse_participants})",
        )


RULE = ImpSparse
