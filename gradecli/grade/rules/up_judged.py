"""UP-JUDGED: dose–response and residual confounding are the reviewer's judgment."""

from __future__ import annotations

from gradecli.grade.rules.base import Rule, RuleSettings


class UpJudged(Rule[RuleSettings]):
    """The other two reasons to rate up non-randomised evidence — a dose–response gradient, and
    plausible residual confounding that would reduce a demonstrated effect (or suggest a spurious
    one when none was observed) — have no formula in gradecli: they are never proposed, only
    recorded by the reviewer (`judgements.dose_response`, `judgements.residual_confounding`, with
    `levels` and a reason). It has no settings.

    Sources: GRADE guidelines 9, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1311–1316,
    doi:10.1016/j.jclinepi.2011.06.004; Core GRADE 4, Guyatt G et al., BMJ 2025;389:e083864,
    doi:10.1136/bmj-2024-083864.

    gradecli's choices: no proposal.

    PASS: `judgements.dose_response: {levels: 1, reason: ...}` → up one level (the reviewer's).

    FAIL (nothing proposed): no judgment → 0 levels, "not assessed".
    """

    code = "UP-JUDGED"
    domain = "upgrades"
    summary = "dose–response and residual confounding are the reviewer's judgment"
    settings_model = RuleSettings
    configurable = False


RULE = UpJudged
