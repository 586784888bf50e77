"""Rating up (mainly non-randomised evidence with no reason to rate down).

GRADE 9 and Core GRADE 4. UP-LARGE: a large effect — the whole 95% CI of the ratio beyond
``large_ratio`` (RR > 2 or < 0.5) → +1, beyond ``very_large_ratio`` (RR > 5 or < 0.2) → +2
(proposed only for ratio measures, only for bodies of evidence that start Low, and — by the rule
set's ``only_without_downgrades``, rulebook R2.2 — only when nothing was rated down). Dose–response
gradients and residual confounding are the reviewer's judgment (``judgements.dose_response``,
``judgements.residual_confounding``).
"""

from __future__ import annotations

from gradecli.grade.context import OutcomeContext
from gradecli.grade.ruleset import RuleSet
from gradecli.formatting import fixed

RULES = {
    "UP-LARGE": "the whole CI of a ratio lies beyond the large-effect threshold",
    "UP-JUDGED": "dose–response and residual confounding are the reviewer's judgment",
}


def large_effect(ctx: OutcomeContext, rules: RuleSet) -> tuple[int, list[str]]:
    r = rules.upgrades
    e = ctx.effect
    if not ctx.is_ratio or e is None or e.lo is None or e.hi is None or e.lo <= 0:
        return 0, []
    lo, hi = e.lo, e.hi
    facts = [f"95% CI {fixed(lo)} to {fixed(hi)}"]
    if lo > r.very_large_ratio or hi < 1 / r.very_large_ratio:
        return 2, [*facts, f"beyond {r.very_large_ratio:g} (or {1 / r.very_large_ratio:.2f})"]
    if lo > r.large_ratio or hi < 1 / r.large_ratio:
        return 1, [*facts, f"beyond {r.large_ratio:g} (or {1 / r.large_ratio:.2f})"]
    return 0, facts
