"""IMP-NONE: nothing to judge — imprecision is not assessed."""

from __future__ import annotations

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, RuleSettings


class ImpNone(Rule[RuleSettings]):
    """A result of the imprecision domain, not a rule with settings: when there is no CI to judge
    — no pooled result (not estimable, or a summary that reports none) — imprecision is *not
    assessed*, never silently "not serious". (An outcome with a CI always has a target: its MID, or
    the null when it gives none; the other not-assessed results are IMP-RELATIVE's and IMP-OIS's.)
    Give the result, or a reviewer's judgment (`judgements.imprecision`).

    Sources: Core GRADE 2, Guyatt G et al., BMJ 2025;389:e081904, doi:10.1136/bmj-2024-081904 (a
    rating is a judgment about the CI against a target).

    gradecli's choices: "not assessed" rather than a guess.

    PASS (does not apply): an MD of 2 (1 to 3) with no threshold → IMP-CROSS decides (against the null).

    FAIL: a summary that reports no estimate → not assessed (IMP-NONE).
    """

    code = "IMP-NONE"
    domain = "imprecision"
    summary = "nothing to judge: not assessed"
    settings_model = RuleSettings
    configurable = False

    @staticmethod
    def judge(facts: list[str]) -> Proposal:
        """The proposal when no other imprecision rule decided; ``facts`` are what was measured."""
        return Proposal(
            rating=None, rule="IMP-NONE", facts=facts, explanation="there is no pooled result (no CI) to judge"
        )


RULE = ImpNone
