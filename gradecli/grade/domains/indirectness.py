"""Indirectness.

GRADE 8: the population, intervention, comparison or outcome of the studies differ from those of
the question, or the comparison is indirect. There is no formula (inter-rater agreement on
applicability is poor, Meader 2014), so gradecli never proposes a rating: the reviewer records one
under ``judgements.indirectness`` with a reason, optionally per PICO element. Without it the domain
is reported as *not assessed* — never silently as "not serious" (IND-NOT-ASSESSED).
"""

from __future__ import annotations

from gradecli.grade.assessment import Proposal
from gradecli.grade.context import OutcomeContext
from gradecli.grade.ruleset import RuleSet
from gradecli.grade.scale import Scale

RULES = {"IND-NOT-ASSESSED": "indirectness has no formula: the reviewer must judge it"}


def propose(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None) -> Proposal:
    return Proposal(
        rating=None,
        rule="IND-NOT-ASSESSED",
        facts=["needs the reviewer's judgment"],
        explanation="indirectness is a judgment; record it under judgements.indirectness",
    )
