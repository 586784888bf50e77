"""Rating up (mainly non-randomised evidence with no reason to rate down).

UP-LARGE proposes rating up for a large effect; the engine asks it (``large_effect``) for bodies of
evidence that start Low and applies it only when nothing was rated down (UP-LARGE's
``only_without_downgrades``). UP-JUDGED: dose–response gradients and residual confounding are the
reviewer's judgment (``judgements.dose_response``, ``judgements.residual_confounding``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.rules.up_large import UpLarge

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.ruleset import RuleSet

__all__ = ["UpLarge", "large_effect"]


def large_effect(ctx: OutcomeContext, rules: RuleSet) -> tuple[int, list[str]]:
    """Levels up proposed for a large effect (0–2) and the facts behind them."""
    if not rules.enabled(UpLarge):
        by = rules.disabled_by(UpLarge)
        return 0, [f"UP-LARGE is switched off by the rule set {by}: no rating up for a large effect is proposed"]
    found = UpLarge.judge(ctx, rules.settings(UpLarge))
    return (found.levels, list(found.facts)) if found is not None else (0, [])
