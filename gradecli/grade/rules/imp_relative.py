"""IMP-RELATIVE: no MID — the rule set's appreciable effect around the null."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings
from gradecli.grade.rules.imp_cross import ci_on_scale
from gradecli.grade.scale import reaches
from gradecli.model.vocab import Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.scale import Scale


class ImpRelativeSettings(SwitchableSettings):
    pass


class ImpRelative(Rule[ImpRelativeSettings]):
    """For an outcome with no MID (a ratio, or an SMD), judged against the null: the rule set's
    *appreciable* effect (`scale.relative_threshold_low` / `scale.relative_threshold`, GRADE 6's
    rough guide RR 0.75 / 1.25; `scale.smd_threshold` for SMDs) tells two cases apart after
    IMP-CROSS found the CI crossing the null:

    * the CI runs from an appreciable reduction to an appreciable increase (both fallback
      thresholds inside it) → very serious (two levels; the reviewer confirms);
    * the CI lies wholly inside the fallback zone: the data point to little or no difference, a
      conclusion that needs an MID (Core GRADE 2) — imprecision is **not assessed** until the
      outcome gives `thresholds.mid` (or `thresholds.relative`), and no statement is made.

    The fallback pair is never the target: a CI crossing the null is at least serious, never "not
    serious" for want of a threshold.

    Sources: GRADE guidelines 6, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1283–1293,
    doi:10.1016/j.jclinepi.2011.01.012 ("if the 95% CI includes appreciable benefit or harm (we
    suggest an RR of under 0.75 or over 1.25 as a rough guide) rating down … may be appropriate");
    Core GRADE 2, Guyatt G et al., BMJ 2025;389:e081904, doi:10.1136/bmj-2024-081904 (little or no
    effect is a conclusion about the MID); KCE Process Book (Belgian Health Care Knowledge Centre,
    processbook.kce.be), §5.5.1.2 (rate down when the CI crosses an effect size of 0.5 if no MID is
    known; a KCE convention, not GRADE Working Group guidance).

    gradecli's choices: the not-assessed result for a CI inside the fallback zone; two levels for
    a CI spanning both fallback thresholds; GRADE 6's pair used as written (0.75, not the
    log-symmetric 0.80); KCE's SMD 0.5 used as the appreciable effect of this two-case test.

    PASS (does not apply): no MID, RR 0.82 (0.64–1.04) → serious by IMP-CROSS (the CI leaves the zone
    on one side only).

    FAIL: no MID, RR 0.97 (0.91–1.04) → not assessed (ask for an MID); RR 1.0 (0.6–1.7) → very serious.
    """

    code = "IMP-RELATIVE"
    domain = "imprecision"
    summary = "no MID: the rule set's appreciable effect around the null"
    settings_model = ImpRelativeSettings
    uses_scale = True

    @staticmethod
    def judge(ctx: OutcomeContext, scale: Scale | None) -> Proposal | None:
        """Applies only to an outcome with no MID whose CI crosses the null."""
        on = ci_on_scale(ctx, scale)
        if on is None or scale is None or scale.fallback is None or scale.has_mid:
            return None
        _, lo, hi = on
        if not (reaches(hi, 0.0) and reaches(-lo, 0.0)):
            return None
        down, up = scale.fallback
        zone = f"{scale.show(-down)} to {scale.show(up)}"
        if reaches(-lo, down) and reaches(hi, up):
            step = f"the 95% CI also spans the rule set's appreciable reduction and increase ({zone}) → −2"
            return Proposal(
                rating=Rating.very_serious,
                rule="IMP-RELATIVE",
                threshold=scale.threshold_note,
                explanation=(
                    f"the 95% CI ({scale.show_interval(lo, hi)}) runs from an appreciable reduction "
                    f"to an appreciable increase ({zone})"
                ),
                path=[step],
                needs_confirmation=True,
            )
        if not reaches(-lo, down) and not reaches(hi, up):
            step = (
                f"the 95% CI lies wholly inside the rule set's zone of no appreciable effect ({zone}): "
                "little or no difference needs an MID → not assessed"
            )
            return Proposal(
                rating=None,
                rule="IMP-RELATIVE",
                threshold=scale.threshold_note,
                explanation=(
                    f"the 95% CI ({scale.show_interval(lo, hi)}) crosses the null but lies wholly inside {zone}: "
                    "the data point to little or no difference, which needs an MID — give thresholds.mid "
                    "(or thresholds.relative), or judge imprecision (judgements.imprecision)"
                ),
                path=[step],
            )
        return None


RULE = ImpRelative
