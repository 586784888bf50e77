"""PUB-REGISTRY: registered studies whose results are unpublished (the studies' `registration`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings
from gradecli.model.vocab import Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext

UNPUBLISHED = re.compile(
    r"\bunpublished\b|\bnot\s+(?:yet\s+)?published\b|\bnever\s+published\b|\bno\s+(?:published\s+)?results\b"
    r"|\bresults\s+(?:were\s+|are\s+|have\s+)?(?:not|never)\s+(?:been\s+)?(?:reported|posted|published|available)\b"
    r"|\bresults\s+(?:unavailable|withheld|unreported)\b",
    re.IGNORECASE,
)


def results_unpublished(registration: str | None) -> bool:
    """Whether a study's free-text ``registration`` records that its results are unpublished
    ("NCT01234567, results not published", "registered; unpublished", "no results posted")."""
    return registration is not None and UNPUBLISHED.search(registration) is not None


def _names(ids: list[str], most: int = 4) -> str:
    shown = ", ".join(ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")


class PubRegistry(Rule[SwitchableSettings]):
    """Whatever the number of studies: when the review lists registered (or regulator-listed)
    studies whose results are unpublished — a study whose `registration` (free text) says so
    ("unpublished", "results not published / not posted / not reported", "no results") and which
    gives no data for this outcome (for a summary-level result, which names no studies, any such
    study of the review) — publication bias is **suspected**: serious (−1), for the
    reviewer to confirm (`needs_confirmation`), naming the studies. A study with data for the
    outcome is not missing from it, whatever its registration says. Otherwise no signal.
    Switched off, the registrations are not read.

    Sources: GRADE guidelines 5, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1277–1282,
    doi:10.1016/j.jclinepi.2011.01.011; Core GRADE 4, Guyatt G et al., BMJ 2025;389:e083864,
    doi:10.1136/bmj-2024-083864 (the flowchart: "documentation of unpublished studies (eg, in
    registry of FDA)" → rate down); Cochrane Handbook v6.5, chapter 13 (Page MJ, Higgins JPT,
    Sterne JAC), §13.3.5.

    gradecli's choices: the words read from the free text; any one such study raises the
    suspicion; one level at most, always for the reviewer to confirm.

    PASS: 12 trials, every one registered and reporting the outcome → no signal.

    FAIL: 4 trials with data and a fifth listed as "NCT00000005, results not published" → suspected:
    serious (−1), for the reviewer to confirm.
    """

    code = "PUB-REGISTRY"
    domain = "publication_bias"
    summary = "registered studies with unpublished results: suspected, whatever the number of studies"
    settings_model = SwitchableSettings

    @staticmethod
    def judge(ctx: OutcomeContext) -> Proposal:
        present = set(ctx.study_ids)
        studies = ctx.evidence.studies
        registered = [st for st in studies if st.registration is not None]
        missing = [st.id for st in registered if results_unpublished(st.registration) and st.id not in present]
        threshold = "a registered study with unpublished results and no data for the outcome"
        if missing:
            n = len(missing)
            what = f"{n} registered stud{'y' if n == 1 else 'ies'} with unpublished results ({_names(missing)})"
            return Proposal(
                rating=Rating.serious,
                rule="PUB-REGISTRY",
                threshold=threshold,
                facts=[f"{what}: no data for this outcome"],
                explanation=f"suspected — {what}",
                path=[f"registered studies with unpublished results? yes — {n}"],
                needs_confirmation=True,
            )
        fact = (
            f"registration recorded for {len(registered)} of {len(studies)} studies; none with unpublished results "
            "missing from this outcome"
            if registered
            else "no registrations recorded"
        )
        return Proposal(
            rating=Rating.not_serious,
            rule="PUB-REGISTRY",
            threshold=threshold,
            facts=[fact],
            explanation="no registry signal",
            path=[f"registered studies with unpublished results? none recorded ({fact})"],
        )


RULE = PubRegistry
