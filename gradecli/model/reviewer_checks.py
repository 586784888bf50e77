"""Cross-checks of the reviewers' parts of an evidence file: every reviewer named once, every
judgment about an outcome or a study that exists, by a reviewer the file names, and every consensus
about something that exists, agreed by reviewers the file names.

Each problem is ``(source, location, message)``: ``source`` None is the evidence file itself, a
number is the index of the reviewer's judgments in ``judgements`` (a file of its own, or an entry of
the evidence file's ``reviewer_judgements``), so the loader reports it at its own file and line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from gradecli.model.evidence import Evidence, Study
from gradecli.model.reviewers import ITEMS, ReviewerJudgements
from gradecli.model.vocab import Rob1, Rob2, RobinsI

Loc = tuple[str | int, ...]
Found = Iterator[tuple[int | None, Loc, str]]

TOOL_WORDS: dict[str, tuple[str, ...]] = {
    "rob2": tuple(v.value for v in Rob2),
    "rob1": tuple(v.value for v in Rob1),
    "robins-i": tuple(v.value for v in RobinsI),
}


def _overall_problem(study: Study, overall: str) -> str | None:
    rob = study.risk_of_bias
    if rob is None:
        return (
            f"study {study.id!r} has no risk_of_bias in the evidence file, so its tool (and the words of its "
            "overall judgment) is unknown: add the study's assessment"
        )
    words = TOOL_WORDS[rob.tool]
    if overall not in words:
        return f"{overall!r} is not a judgment of {rob.tool} ({', '.join(words)})"
    return None


def check_reviewers(ev: Evidence, judgements: Sequence[ReviewerJudgements]) -> list[tuple[int | None, Loc, str]]:
    """Every problem of the reviewers' parts, in file order."""
    return list(_check(ev, judgements))


def _check(ev: Evidence, judgements: Sequence[ReviewerJudgements]) -> Found:
    ids: dict[str, int] = {}
    for i, r in enumerate(ev.reviewers):
        if r.id in ids:
            yield None, ("reviewers", i, "id"), f"duplicate reviewer id {r.id!r} (first at reviewers[{ids[r.id]}])"
        ids.setdefault(r.id, i)
    known = ", ".join(ids) or "none: name them under `reviewers:`"
    outcomes = {o.id for o in ev.outcomes}
    studies = {s.id: s for s in ev.studies}
    seen: dict[str, int] = {}
    for j, jset in enumerate(judgements):
        if jset.reviewer not in ids:
            yield j, ("reviewer",), f"reviewer {jset.reviewer!r} is not one of the file's reviewers ({known})"
        if jset.reviewer in seen:
            yield j, ("reviewer",), f"reviewer {jset.reviewer!r} has two sets of judgments; keep one"
        seen.setdefault(jset.reviewer, j)
        for oid in jset.outcomes:
            if oid not in outcomes:
                yield j, ("outcomes", oid), f"no outcome {oid!r} in the evidence file"
        for sid, judged in jset.studies.items():
            study = studies.get(sid)
            if study is None:
                yield j, ("studies", sid), f"no study {sid!r} in the evidence file"
            elif judged.overall is not None and (problem := _overall_problem(study, judged.overall)):
                yield j, ("studies", sid, "overall"), problem
    for i, o in enumerate(ev.outcomes):
        for item in ITEMS:
            judged = getattr(o.judgements, item)
            by = getattr(judged, "by", None) if judged is not None else None
            if by is not None and by not in ids:
                loc: Loc = ("outcomes", i, "judgements", item, "by")
                yield None, loc, f"reviewer {by!r} is not one of the file's reviewers ({known})"
    for i, st in enumerate(ev.studies):
        by = st.risk_of_bias.by if st.risk_of_bias is not None else None
        if by is not None and by not in ids:
            loc = ("studies", i, "risk_of_bias", "by")
            yield None, loc, f"reviewer {by!r} is not one of the file's reviewers ({known})"
    resolved: dict[tuple[str, str], int] = {}
    for i, c in enumerate(ev.consensus):
        key = (f"outcome {c.outcome!r}", str(c.item)) if c.outcome is not None else (f"study {c.study!r}", "")
        if key in resolved:
            what = f"{key[0]} {key[1]}".strip()
            yield None, ("consensus", i), f"a second consensus for {what} (first at consensus[{resolved[key]}])"
        resolved.setdefault(key, i)
        if c.outcome is not None and c.outcome not in outcomes:
            yield None, ("consensus", i, "outcome"), f"no outcome {c.outcome!r} in the evidence file"
        if c.study is not None:
            study = studies.get(c.study)
            if study is None:
                yield None, ("consensus", i, "study"), f"no study {c.study!r} in the evidence file"
            elif c.rating is not None and (problem := _overall_problem(study, c.rating)):
                yield None, ("consensus", i, "rating"), problem
        for k, who in enumerate(c.agreed_by):
            if who not in ids:
                message = f"reviewer {who!r} is not one of the file's reviewers ({known})"
                yield None, ("consensus", i, "agreed_by", k), message
