"""The reviewers' judgments resolved into the judgments the engine uses, and the record of who judged
what (issue 19).

For each outcome item (a domain, a reason to rate up, the certainty) and each study's overall risk of
bias, the reviewers' ratings (those not left empty) give a status:

* ``agreed`` — two or more reviewers gave the same rating;
* ``single`` — one reviewer only has judged it (no independent second judgment yet);
* ``resolved`` — a ``consensus`` entry records the agreed judgment (whether or not they differed);
* ``unresolved`` — the reviewers differ and no consensus resolves it.

The judgment used, in order of precedence: the consensus; the evidence file's own
``judgements.<item>`` (the team's record, as before); the reviewers' common rating (``agreed``) or the
one reviewer's (``single``); otherwise nothing, so the rule's proposal stands. An ``unresolved`` item
leaves the outcome provisional (its certainty is not given, only the most it could be), whatever is
used meanwhile, until a consensus is recorded. A study whose overall risk of bias is unresolved makes
every outcome with a row of that study provisional; a consensus about a study replaces the overall
judgment of the study's assessment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from gradecli.model.evidence import (
    CertaintyOverride,
    DomainJudgement,
    Evidence,
    IndirectnessJudgement,
    Judgements,
    Outcome,
    Study,
    UpgradeJudgement,
)
from gradecli.model.reviewers import DOWNGRADES, ITEMS, UPGRADES, Consensus
from gradecli.model.vocab import Certainty, Rating, Rob1, Rob2, RobinsI

Status = Literal["agreed", "single", "resolved", "unresolved"]


@dataclass(frozen=True)
class Judged:
    """One reviewer's rating of one item (levels written as "0", "1", "2")."""

    reviewer: str
    rating: str
    reason: str | None
    date: str | None


@dataclass
class Item:
    """One judged item: its reviewers' ratings, its consensus and its status."""

    outcome: str | None
    study: str | None
    item: str  # a domain, an upgrade, "certainty", or "risk_of_bias" for a study
    ratings: list[Judged] = field(default_factory=list)
    consensus: Consensus | None = None

    @property
    def status(self) -> Status:
        if self.consensus is not None:
            return "resolved"
        values = {j.rating for j in self.ratings}
        if len(values) > 1:
            return "unresolved"
        return "agreed" if len(self.ratings) > 1 else "single"


@dataclass
class Resolution:
    """The resolved judgments of a whole file."""

    items: list[Item]
    judgements: dict[str, Judgements]  # outcome id → the judgments the engine uses
    judged_by: dict[tuple[str, str], list[str]]  # (outcome id, item) → who the used judgment is from
    disputed: dict[str, list[Item]]  # outcome id → its unresolved items, file order
    studies: list[Study]  # the studies with every study consensus applied


def _consensus_value(c: Consensus) -> str:
    return str(c.levels) if c.levels is not None else str(c.rating)


def _reason(c: Consensus) -> str:
    return c.reason or f"consensus of {', '.join(c.agreed_by)}"


def resolve(evidence: Evidence) -> Resolution:
    """The judgments the engine uses for each outcome, and every judged item with its status."""
    order = {r.id: k for k, r in enumerate(evidence.reviewers)}
    sets = sorted(evidence.reviewer_judgements, key=lambda s: order.get(s.reviewer, len(order)))
    items: dict[tuple[str | None, str | None, str], Item] = {}

    def item(outcome: str | None, study: str | None, name: str) -> Item:
        return items.setdefault((outcome, study, name), Item(outcome, study, name))

    for o in evidence.outcomes:  # outcome items in file order, then the studies'
        for name in ITEMS:
            for s in sets:
                judged = s.outcomes.get(o.id)
                entry = getattr(judged, name, None) if judged is not None else None
                value = getattr(entry, "levels", None) if name in UPGRADES else getattr(entry, "rating", None)
                if entry is not None and value is not None:
                    rating = str(value.value if hasattr(value, "value") else value)
                    item(o.id, None, name).ratings.append(
                        Judged(s.reviewer, rating, entry.reason, entry.date or s.date)
                    )
    for st in evidence.studies:
        for s in sets:
            sj = s.studies.get(st.id)
            if sj is not None and sj.overall is not None:
                item(None, st.id, "risk_of_bias").ratings.append(
                    Judged(s.reviewer, sj.overall, sj.reason, sj.date or s.date)
                )
        rob = st.risk_of_bias
        if rob is not None and rob.by is not None:  # the file's own assessment, said to be a reviewer's
            sit = item(None, st.id, "risk_of_bias")
            if all(j.reviewer != rob.by for j in sit.ratings):
                sit.ratings.append(Judged(rob.by, rob.overall.value, rob.reason, rob.date))
                sit.ratings.sort(key=lambda j: order.get(j.reviewer, len(order)))
    for c in evidence.consensus:
        item(c.outcome, c.study, str(c.item) if c.outcome is not None else "risk_of_bias").consensus = c

    judgements: dict[str, Judgements] = {}
    judged_by: dict[tuple[str, str], list[str]] = {}
    disputed: dict[str, list[Item]] = {}
    disputed_studies = {i.study: i for i in items.values() if i.study is not None and i.status == "unresolved"}
    for o in evidence.outcomes:
        update: dict[str, object] = {}
        for name in ITEMS:
            it = items.get((o.id, None, name))
            inline = getattr(o.judgements, name)
            if it is not None and it.status == "unresolved":
                disputed.setdefault(o.id, []).append(it)
            if it is not None and it.consensus is not None:
                update[name] = _judgement(name, _consensus_value(it.consensus), _reason(it.consensus))
                judged_by[(o.id, name)] = list(it.consensus.agreed_by)
            elif inline is not None:
                if inline.by is not None:
                    judged_by[(o.id, name)] = [inline.by]
            elif it is not None and it.status in ("agreed", "single"):
                first = it.ratings[0]
                who = [j.reviewer for j in it.ratings]
                reason = first.reason or f"judged by {', '.join(who)}"
                update[name] = _judgement(name, first.rating, reason)
                judged_by[(o.id, name)] = who
        for sid in _row_studies(o):
            if sid in disputed_studies:
                disputed.setdefault(o.id, []).append(disputed_studies[sid])
        judgements[o.id] = o.judgements.model_copy(update=update) if update else o.judgements
    studies = [_with_consensus(st, items.get((None, st.id, "risk_of_bias"))) for st in evidence.studies]
    return Resolution(list(items.values()), judgements, judged_by, disputed, studies)


def _row_studies(o: Outcome) -> list[str]:
    seen: list[str] = []
    for r in o.data or []:
        if r.study not in seen:
            seen.append(r.study)
    return seen


def _judgement(name: str, value: str, reason: str) -> object:
    if name in UPGRADES:
        return UpgradeJudgement(levels=int(value), reason=reason)
    if name == "certainty":
        return CertaintyOverride(rating=Certainty(value), reason=reason)
    if name == "indirectness":
        return IndirectnessJudgement(rating=Rating(value), reason=reason)
    assert name in DOWNGRADES
    return DomainJudgement(rating=Rating(value), reason=reason)


_TOOL_ENUM = {"rob2": Rob2, "rob1": Rob1, "robins-i": RobinsI}


def _with_consensus(study: Study, it: Item | None) -> Study:
    """The study with its overall risk of bias set to the consensus (the cross-checks made sure the
    study has an assessment and the words are its tool's)."""
    if it is None or it.consensus is None or study.risk_of_bias is None:
        return study
    rob = study.risk_of_bias
    overall: object = _TOOL_ENUM[rob.tool](_consensus_value(it.consensus))
    return study.model_copy(update={"risk_of_bias": rob.model_copy(update={"overall": overall})})


def applied(evidence: Evidence, resolution: Resolution) -> Evidence:
    """The evidence as the engine assesses it: each outcome with its resolved judgments, the studies
    with their consensus."""
    outcomes = [
        o
        if resolution.judgements[o.id] is o.judgements
        else o.model_copy(update={"judgements": resolution.judgements[o.id]})
        for o in evidence.outcomes
    ]
    return evidence.model_copy(update={"outcomes": outcomes, "studies": resolution.studies})
