"""IMP-NONE: nothing to judge — imprecision is not assessed."""

from __future__ import annotations

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, RuleSettings


class ImpNone(Rule[RuleSettings]):
    """A result of the imprecision domain, not a rule with settings: when there is no CI to judge
    against a threshold (no pooled result, or no threshold and no default for the measure) and no
    participant count to check sparse data or the optimal information size with, imprecision is
    *not assessed* — never silently "not serious". Give the outcome `thresholds.mid` (or an
    SMD/ratio measure, which have defaults), the participants, or a reviewer's judgment
    (`judgements.imprecision`).

    Sources: Core GRADE 2, Guyatt G et al., BMJ 2025;389:e081904, doi:10.1136/bmj-2024-081904 (a
    rating needs a target and a threshold).

    gradecli's choices: "not assessed" rather than a guess.

    PASS (does not apply): an MD with `thresholds.mid` → IMP-CROSS decides.

    FAIL: an MD with no threshold and no participant count → not assessed (IMP-NONE).
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
            rating=None, rule="IMP-NONE", facts=facts, explanation="no result, threshold or participant count to judge"
        )


RULE = ImpNone
