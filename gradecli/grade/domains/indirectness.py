"""Indirectness.

The domain has one result, IND-NOT-ASSESSED: indirectness has no formula, so gradecli never
proposes a rating; the reviewer records one under ``judgements.indirectness`` with a reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.rules.ind_not_assessed import IndNotAssessed

if TYPE_CHECKING:
    from gradecli.grade.assessment import Proposal
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.ruleset import RuleSet
    from gradecli.grade.scale import Scale


def propose(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None) -> Proposal:
    return IndNotAssessed.judge()
