"""Publication bias (reporting bias).

The domain asks PUB-FEW (a summary-level result, fewer study estimates than PUB-EGGER's
``min_studies``, or no test result: not assessed), then PUB-EGGER (Egger's test), which decides.
When the rule set switches PUB-EGGER off, the domain is not assessed, says which rule set did, and
Egger's test is not run. Never very serious automatically.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.rules.base import switched_off
from gradecli.grade.rules.pub_egger import PubEgger
from gradecli.grade.rules.pub_few import PubFew

if TYPE_CHECKING:
    from gradecli.grade.assessment import Proposal
    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.ruleset import RuleSet
    from gradecli.grade.scale import Scale


def propose(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None) -> Proposal:
    if not rules.enabled(PubEgger):
        return switched_off(
            PubEgger.code,
            "Egger's test",
            rules.disabled_by(PubEgger),
            "judge publication bias from funding, registries and unpublished trials (judgements.publication_bias)",
        )
    settings = rules.settings(PubEgger)
    found = PubFew.judge(ctx, settings) or PubEgger.judge(ctx, settings)
    if found is None:  # pragma: no cover - PUB-FEW covers every case PUB-EGGER does not
        raise AssertionError("neither PUB-FEW nor PUB-EGGER applied")
    return found
