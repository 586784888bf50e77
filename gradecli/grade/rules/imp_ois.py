"""IMP-OIS: information size below the optimal information size."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings
from gradecli.model.vocab import OutcomeType, Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext

Probability = Annotated[float, Field(gt=0, lt=1)]

OIS_CAP = 10**18
"""Optimal information sizes are capped here (far beyond any body of evidence): a comparator risk of
1e-300 would otherwise divide by an underflowed (p0 − p1)² or give a 300-digit number."""


class ImpOisSettings(SwitchableSettings):
    ois_rrr: Probability = Field(
        0.25, description="Relative risk reduction the trial is powered for (dichotomous outcomes; 0–1)."
    )
    ois_smd: Annotated[float, Field(gt=0)] = Field(
        0.2, description="Standardised mean difference the trial is powered for (continuous outcomes)."
    )
    ois_alpha: Probability = Field(0.05, description="Two-sided type I error of the sample-size calculation.")
    ois_power: Probability = Field(0.80, description="Power (1 − type II error) of the sample-size calculation.")


def optimal_information_size(ctx: OutcomeContext, s: ImpOisSettings) -> tuple[int, str] | None:
    """OIS (total participants, at most ``OIS_CAP``) and how it was computed, or None when it cannot be."""
    from statistics import NormalDist

    z = NormalDist().inv_cdf(1 - s.ois_alpha / 2) + NormalDist().inv_cdf(s.ois_power)
    if ctx.outcome.type is OutcomeType.continuous:
        n = math.ceil(2 * z * z / s.ois_smd**2)
        return 2 * n, f"SMD {s.ois_smd:g}, α {s.ois_alpha:g}, power {s.ois_power:g}"
    p0 = ctx.control_risk
    if p0 is None or not 0 < p0 < 1:
        return None
    p1 = p0 * (1 - s.ois_rrr)
    # z²(p0(1−p0) + p1(1−p1)) / (p0 − p1)², with p0 − p1 = p0·rrr divided out (no underflow for tiny p0)
    per_arm = z * z * ((1 - p0) + (1 - s.ois_rrr) * (1 - p1)) / (p0 * s.ois_rrr * s.ois_rrr)
    total = OIS_CAP if not per_arm < OIS_CAP / 2 else 2 * math.ceil(per_arm)
    return total, (
        f"comparator risk {_percent(p0)}, relative risk reduction {100 * s.ois_rrr:.0f}%, "
        f"α {s.ois_alpha:g}, power {s.ois_power:g}"
    )


def _percent(p: float) -> str:
    return f"{100 * p:.1f}%" if p >= 0.0005 else f"{100 * p:.2g}%"


def ois_text(n: int) -> str:
    return f"{n:,}" if n < OIS_CAP else f"more than {OIS_CAP:,}"


class ImpOis(Rule[ImpOisSettings]):
    """When the CI crosses no threshold, the body of evidence may still be too small to trust it:
    serious when the number of participants is below the optimal information size (OIS) — the
    total sample size of one adequately powered trial. Dichotomous outcomes: α `ois_alpha`, power
    `ois_power`, a relative risk reduction of `ois_rrr` at the comparator risk (`assumed_risk`, or
    the control groups' pooled risk); continuous outcomes: an SMD of `ois_smd`. Checked only when
    IMP-CROSS found no crossing (or there is no CI to judge) and IMP-SPARSE did not rate down; the
    OIS is shown in the facts even when it is met. Switched off (`enabled: false`) it is skipped.

    Sources: GRADE guidelines 6, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1283–1293,
    doi:10.1016/j.jclinepi.2011.01.012 (the OIS criterion: α 0.05, β 0.20, a relative risk
    reduction of 25%); GRADE guidance 34, Zeng L et al., J Clin Epidemiol 2022;150:216–224,
    doi:10.1016/j.jclinepi.2022.07.014; Core GRADE 2, Guyatt G et al., BMJ 2025;389:e081904,
    doi:10.1136/bmj-2024-081904.

    gradecli's choices: SMD 0.2 for continuous outcomes (786 participants, 393 per group; GRADE 6
    gives no SMD); the normal approximation for two proportions; one level (GRADE 34 allows two
    when far below the OIS — left to the reviewer); sizes capped at 10¹⁸.

    PASS: comparator risk 20%, 2,000 participants (OIS 1,806) → not serious.

    FAIL: comparator risk 20%, 1,000 participants → serious (IMP-OIS: fewer than 1,806).
    """

    code = "IMP-OIS"
    domain = "imprecision"
    summary = "information size below the optimal information size"
    settings_model = ImpOisSettings

    @staticmethod
    def judge(ctx: OutcomeContext, s: ImpOisSettings) -> Proposal | None:
        """Serious below the OIS, not serious at or above it; None when participants or the
        comparator risk (dichotomous outcomes) are unknown."""
        n = ctx.participants
        ois = optimal_information_size(ctx, s) if n is not None else None
        if n is None or ois is None:
            return None
        size, how = ois
        threshold = f"optimal information size {ois_text(size)}"
        fact = f"optimal information size {ois_text(size)} ({how})"
        if n < size:
            why = f"{n:,} participants, fewer than the optimal information size of {ois_text(size)} ({how})"
            return Proposal(rating=Rating.serious, rule="IMP-OIS", threshold=threshold, facts=[fact], explanation=why)
        why = f"{n:,} participants, at least the optimal information size of {ois_text(size)} ({how})"
        return Proposal(rating=Rating.not_serious, rule="IMP-OIS", threshold=threshold, facts=[fact], explanation=why)


RULE = ImpOis
