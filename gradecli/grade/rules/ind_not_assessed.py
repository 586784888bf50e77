"""IND-NOT-ASSESSED: indirectness has no formula — the reviewer judges it."""

from __future__ import annotations

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, RuleSettings


class IndNotAssessed(Rule[RuleSettings]):
    """Indirectness — the population, intervention, comparison or outcome of the studies differ
    from those of the question, or the comparison is indirect — has no formula (inter-rater
    agreement on applicability is poor), so gradecli never proposes a rating: the reviewer records
    one under `judgements.indirectness` with a reason, optionally per PICO element. Without it the
    domain is reported as *not assessed* — never silently as "not serious". It is the
    indirectness domain's only result and has no settings.

    Sources: GRADE guidelines 8, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1303–1310,
    doi:10.1016/j.jclinepi.2011.04.014; Core GRADE 5, Guyatt G et al., BMJ 2025;389:e083865,
    doi:10.1136/bmj-2024-083865; Meader N et al., Syst Rev 2014;3:82, doi:10.1186/2046-4053-3-82
    (low agreement on indirectness).

    gradecli's choices: no proposal at all.

    PASS: `judgements.indirectness: {rating: not_serious, reason: ...}` → the reviewer's rating.

    FAIL: no judgment → not assessed (IND-NOT-ASSESSED), and the certainty is provisional.
    """

    code = "IND-NOT-ASSESSED"
    domain = "indirectness"
    summary = "indirectness has no formula: the reviewer must judge it"
    settings_model = RuleSettings
    configurable = False

    @staticmethod
    def judge() -> Proposal:
        return Proposal(
            rating=None,
            rule="IND-NOT-ASSESSED",
            facts=["needs the reviewer's judgment"],
            explanation="indirectness is a judgment; record it under judgements.indirectness",
        )


RULE = IndNotAssessed
