"""IMP-RELATIVE: a relative CI judged without an assumed risk."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings
from gradecli.grade.rules.imp_cross import BY_LEVELS, ci_fact, ci_on_scale, span
from gradecli.model.vocab import Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.scale import Scale


class ImpRelativeSettings(SwitchableSettings):
    relative_single_crossing: Literal["not_serious", "serious"] = Field(
        "not_serious",
        description=(
            "What a relative CI crossing one threshold gives when no assumed risk is known: flagged but "
            "not rated down (not_serious), or rated down (serious)."
        ),
    )


class ImpRelative(Rule[ImpRelativeSettings]):
    """A ratio (RR, OR, HR) with no assumed comparator risk can only be judged on the relative
    scale, against the outcome's `thresholds.relative` (r and 1/r) or the rule set's
    `scale.relative_threshold_low` and `scale.relative_threshold` (0.75 and 1.25 by default). This
    rule decides when that relative CI crosses a threshold. A CI crossing only one threshold is, by
    default, flagged in the facts and *not* rated down (`relative_single_crossing: not_serious`):
    GRADE judges the absolute effect, which needs an assumed risk; give `assumed_risk` and an
    absolute `thresholds.mid` and IMP-CROSS judges it. A CI spanning both an important benefit and
    an important harm → very serious; with `target: any_effect`, one crossing (of the null) →
    serious.

    Sources: GRADE guidelines 6, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1283–1293,
    doi:10.1016/j.jclinepi.2011.01.012 (the rough guide "RR under 0.75 or over 1.25"; decisions
    rest on absolute effects); GRADE guidance 34, Zeng L et al., J Clin Epidemiol 2022;150:216–224,
    doi:10.1016/j.jclinepi.2022.07.014 (the CI of the *absolute* effect is the primary criterion);
    Core GRADE 2, Guyatt G et al., BMJ 2025;389:e081904, doi:10.1136/bmj-2024-081904.

    gradecli's choices: not rating down one relative crossing. On 28,459 published Cochrane
    Summary-of-Findings rows (docs/calibration.md) the default rates down 9.7% of the rows the
    authors rated High; the `strict` rule set, which rates one crossing down (and counts fewer than
    200 participants as sparse), 48.4%.

    PASS: RR 0.80 (95% CI 0.70 to 0.92), no assumed risk → one crossing (of 0.75), flagged: not
    serious.

    FAIL: RR 1.0 (95% CI 0.6 to 1.6), no assumed risk → spans 0.75 and 1.25: very serious; RR 0.80
    (0.70 to 0.92) with `relative_single_crossing: serious` (the `strict` rule set) → serious.
    """

    code = "IMP-RELATIVE"
    domain = "imprecision"
    summary = "relative CI judged without an assumed risk (one crossing flagged, both rated down)"
    settings_model = ImpRelativeSettings
    uses_scale = True

    @staticmethod
    def judge(ctx: OutcomeContext, s: ImpRelativeSettings, scale: Scale | None) -> Proposal | None:
        """None unless a relative CI crosses a threshold."""
        on = ci_on_scale(ctx, scale)
        if on is None or scale is None or scale.kind != "relative" or not on[2]:
            return None
        lo, hi, crossings = on
        facts = [ci_fact(scale, lo, hi)]
        any_effect = ctx.outcome.thresholds is not None and ctx.outcome.thresholds.target == "any_effect"
        if crossings == 1 and not any_effect and s.relative_single_crossing == "not_serious":
            facts.append(
                "the relative CI crosses one threshold; give an assumed_risk and an absolute "
                "threshold to judge the absolute effect"
            )
            why = (
                f"the 95% CI ({scale.show_interval(lo, hi)}) crosses one relative threshold ({scale.threshold_note}); "
                "without an assumed risk the absolute effect cannot be judged, so this is not rated down"
            )
            return Proposal(
                rating=Rating.not_serious,
                rule="IMP-RELATIVE",
                threshold=scale.threshold_note,
                facts=facts,
                explanation=why,
            )
        return Proposal(
            rating=BY_LEVELS[min(crossings, 3)],
            rule="IMP-RELATIVE",
            threshold=scale.threshold_note,
            facts=facts,
            explanation=span(ctx, scale, lo, hi),
        )


RULE = ImpRelative
