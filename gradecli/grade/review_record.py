"""The reviewers' part of the Assessment (issue 19): who judged each domain, the outcomes left
provisional by a disagreement without consensus, every judged item with the proposal beside it, and
the agreement statistics."""

from __future__ import annotations

from gradecli.grade.agreement import agreement
from gradecli.grade.assessment import (
    ConsensusRecord,
    Disagreement,
    OutcomeAssessment,
    ReviewerRating,
    ReviewerRecord,
    ReviewRecord,
    StratumAssessment,
)
from gradecli.grade.reviewers import Item, Resolution
from gradecli.model.evidence import Evidence
from gradecli.model.reviewers import UPGRADES

JUDGED = ("judged", "confirmed", "overridden")


def _provisional(a: OutcomeAssessment | StratumAssessment) -> dict[str, object]:
    """What makes a rated outcome (or stratum) provisional: no certainty, the most it could be."""
    if a.certainty is None and a.certainty_ceiling is None:
        return {}
    return {
        "certainty": None,
        "provisional": True,
        "certainty_ceiling": a.certainty_ceiling or a.certainty,
        "statement": None,
    }


def _outcome(a: OutcomeAssessment, res: Resolution) -> OutcomeAssessment:
    sid = a.source_id or a.id
    update: dict[str, object] = {
        "domains": [
            d.model_copy(update={"judged_by": res.judged_by.get((sid, d.domain), [])}) if d.status in JUDGED else d
            for d in a.domains
        ],
        "upgrades": [
            u.model_copy(update={"judged_by": res.judged_by.get((sid, u.domain), [])}) if u.reviewer_reason else u
            for u in a.upgrades
        ],
    }
    disputed = res.disputed.get(sid, [])
    if disputed:
        update["disagreements"] = [
            Disagreement(item=it.item, study=it.study, ratings={j.reviewer: j.rating for j in it.ratings})
            for it in disputed
        ]
        update.update(_provisional(a))
        update["strata"] = [s.model_copy(update=_provisional(s)) for s in a.strata]
    return a.model_copy(update=update)


def _proposal_and_used(it: Item, first: OutcomeAssessment | None) -> tuple[str | None, str | None]:
    if first is None:
        return None, None
    if it.item == "certainty":
        computed = first.computed_certainty.value if first.computed_certainty else None
        used = first.certainty_ceiling or first.certainty if first.certainty_reason else None
        return computed, used.value if used is not None else None
    if it.item in UPGRADES:
        u = next((u for u in first.upgrades if u.domain == it.item), None)
        if u is None:
            return None, None
        return str(u.proposed_levels), (str(u.levels) if u.reviewer_reason else None)
    d = next((d for d in first.domains if d.domain == it.item), None)
    if d is None:
        return None, None
    proposal = d.proposal.rating.value if d.proposal.rating is not None else None
    return proposal, (d.rating.value if d.status in JUDGED and d.rating is not None else None)


def with_reviews(
    evidence: Evidence, res: Resolution, outcomes: list[OutcomeAssessment]
) -> tuple[list[OutcomeAssessment], dict[str, object]]:
    """The outcomes with their reviewers' part, and the Assessment's reviewers, reviews and agreement.
    ``evidence`` is the file as written (before the consensus was applied)."""
    outcomes = [_outcome(a, res) for a in outcomes]
    first: dict[str, OutcomeAssessment] = {}
    for a in outcomes:
        first.setdefault(a.source_id or a.id, a)
    before = {s.id: s for s in evidence.studies}
    after = {s.id: s for s in res.studies}
    reviews = []
    for it in res.items:
        if it.study is not None:
            old, new = before[it.study].risk_of_bias, after[it.study].risk_of_bias
            proposal = old.overall.value if old is not None else None
            used = new.overall.value if new is not None else None  # the file's judgment, or the consensus
        else:
            proposal, used = _proposal_and_used(it, first.get(str(it.outcome)))
        c = it.consensus
        reviews.append(
            ReviewRecord(
                outcome=it.outcome,
                study=it.study,
                item=it.item,
                proposal=proposal,
                ratings=[
                    ReviewerRating(reviewer=j.reviewer, rating=j.rating, reason=j.reason, date=j.date)
                    for j in it.ratings
                ],
                consensus=ConsensusRecord(
                    rating=str(c.levels) if c.levels is not None else str(c.rating),
                    reason=c.reason,
                    agreed_by=list(c.agreed_by),
                    date=c.date,
                )
                if c is not None
                else None,
                status=it.status,
                used=used,
            )
        )
    extra: dict[str, object] = {
        "reviewers": [ReviewerRecord(id=r.id, name=r.name, role=r.role) for r in evidence.reviewers],
        "reviews": reviews,
        "agreement": agreement(res.items, [r.id for r in evidence.reviewers]),
    }
    return outcomes, extra
