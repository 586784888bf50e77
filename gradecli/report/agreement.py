"""``gradecli agree``: each reviewer's judgment beside the others', the proposal and the consensus,
and the agreement statistics — as plain text (terminal, CI log), Markdown (a pull-request comment)
or JSON. Reads the Assessment only; every text from a file is escaped for its sink."""

from __future__ import annotations

from typing import Any

from gradecli.escape import github_line, terminal
from gradecli.escape import markdown as md
from gradecli.grade.assessment import DOMAIN_NAMES, AgreementRecord, AgreementStatistic, Assessment, ReviewRecord

ITEM_NAMES = {**DOMAIN_NAMES, "certainty": "certainty"}
STATUS_WORDS = {
    "agreed": "agreed",
    "single": "one reviewer only",
    "resolved": "resolved by consensus",
    "unresolved": "UNRESOLVED",
}


def _words(value: str | None, item: str) -> str:
    if value is None:
        return "—"
    if item in ("large_effect", "dose_response", "residual_confounding"):
        return {"0": "no rating up", "1": "+1 level", "2": "+2 levels"}.get(value, value)
    return value.replace("_", " ")


def _scope(scope: str) -> str:
    return ITEM_NAMES.get(scope, scope)


def _proposal(r: ReviewRecord) -> str:
    if r.proposal is None:
        return "none (no rule rates it: the reviewers judge)"
    return _words(r.proposal, r.item)


def _name(r: ReviewRecord) -> str:
    if r.study is not None:
        return "overall risk of bias"
    return ITEM_NAMES.get(r.item, r.item)


def unresolved(assessment: Assessment) -> list[ReviewRecord]:
    return [r for r in assessment.reviews if r.status == "unresolved"]


def _groups(assessment: Assessment) -> list[tuple[str, list[ReviewRecord]]]:
    """(heading, records) per outcome in file order, then one group per study."""
    names: dict[str, str] = {}
    for o in assessment.outcomes:
        names.setdefault(o.source_id or o.id, o.name)
    out: list[tuple[str, list[ReviewRecord]]] = []
    index: dict[str, int] = {}
    for r in assessment.reviews:
        key = f"study:{r.study}" if r.study is not None else f"outcome:{r.outcome}"
        if key not in index:
            index[key] = len(out)
            heading = (
                f"Study {r.study}" if r.study is not None else f"{names.get(str(r.outcome), r.outcome)} ({r.outcome})"
            )
            out.append((heading, []))
        out[index[key]][1].append(r)
    return out


def _num(x: float | None) -> str:
    if x is None:
        return "—"
    text = f"{x:.2f}"
    return "0.00" if text == "-0.00" else text


def _stat_text(s: AgreementStatistic) -> str:
    if s.estimate is None:
        return "undefined"
    if s.ci_lb is None or s.ci_ub is None:
        return _num(s.estimate)
    return f"{_num(s.estimate)} ({_num(s.ci_lb)} to {_num(s.ci_ub)})"


def _notes(records: list[AgreementRecord]) -> list[str]:
    seen: list[str] = []
    for a in records:
        for s in a.statistics:
            if s.note and s.note not in seen:
                seen.append(s.note)
    return seen


def _reviewer_line(assessment: Assessment) -> str:
    parts = []
    for r in assessment.reviewers:
        extra = ", ".join(x for x in (r.name, r.role) if x)
        parts.append(f"{r.id} ({extra})" if extra else r.id)
    return "Reviewers: " + (" · ".join(parts) if parts else "none named")


def _summary(assessment: Assessment) -> str:
    open_ = unresolved(assessment)
    n = len(assessment.reviews)
    counts = {s: sum(1 for r in assessment.reviews if r.status == s) for s in STATUS_WORDS}
    return (
        f"{n} judged item{'s' if n != 1 else ''}: {counts['agreed']} agreed, {counts['resolved']} resolved by "
        f"consensus, {counts['unresolved']} unresolved, {counts['single']} judged by one reviewer only"
        + (" — every disagreement is resolved." if not open_ else ".")
    )


COLUMNS = ("observed agreement", "Cohen's kappa", "weighted kappa (linear)", "Gwet's AC1")
ALPHA = "Krippendorff's alpha (ordinal)"


def text(assessment: Assessment) -> str:
    """Plain text: names escaped (:func:`terminal`), no line a GitHub workflow command."""
    lines = [terminal(assessment.title), terminal(_reviewer_line(assessment)), ""]
    if not assessment.reviews:
        lines.append("No reviewer has judged anything yet.")
        return github_line("\n".join(lines)) + "\n"
    for heading, records in _groups(assessment):
        lines.append(terminal(heading))
        for r in records:
            lines.append(f"  {terminal(_name(r))}: {STATUS_WORDS[r.status]}; used: {terminal(_words(r.used, r.item))}")
            lines.append(f"    proposal: {terminal(_proposal(r))}")
            for j in r.ratings:
                when = f" ({j.date})" if j.date else ""
                why = f" — {terminal(j.reason)}" if j.reason else ""
                lines.append(f"    {terminal(j.reviewer)}{when}: {terminal(_words(j.rating, r.item))}{why}")
            if r.consensus is not None:
                c = r.consensus
                who = ", ".join(terminal(x) for x in c.agreed_by)
                when = f", {c.date}" if c.date else ""
                why = f" — {terminal(c.reason)}" if c.reason else " — (no reason given)"
                lines.append(f"    consensus ({who}{when}): {terminal(_words(c.rating, r.item))}{why}")
        lines.append("")
    lines.append(_summary(assessment))
    if assessment.agreement:
        lines += ["", "Agreement (95% CI)"]
        for a in assessment.agreement:
            who = " – ".join(terminal(x) for x in a.reviewers)
            stats = {s.statistic: s for s in a.statistics}
            head = f"  {_scope(a.scope)} ({who}): {a.n} item{'s' if a.n != 1 else ''} rated by all"
            head += f", {a.n_missing} by some only" if a.n_missing else ""
            lines.append(head)
            shown = [f"{name} {_stat_text(stats[name])}" for name in COLUMNS if name in stats]
            if ALPHA in stats:
                shown.append(f"{ALPHA} {_stat_text(stats[ALPHA])}")
            lines.append("    " + "; ".join(shown))
        notes = _notes(assessment.agreement)
        if notes:
            lines += ["", "undefined: " + "; ".join(n.removeprefix("undefined: ") for n in notes)]
    return github_line("\n".join(lines)) + "\n"


def markdown(assessment: Assessment) -> str:
    """Markdown for a pull-request comment: one table per outcome (and per study) and the agreement
    table; every text from a file goes through :func:`gradecli.escape.markdown`."""
    reviewers = [r.id for r in assessment.reviewers]
    lines = [f"### gradecli agree: {md(assessment.title)}", "", md(_reviewer_line(assessment)), ""]
    if not assessment.reviews:
        return "\n".join([*lines, "No reviewer has judged anything yet.", ""])
    for heading, records in _groups(assessment):
        lines += [f"#### {md(heading)}", ""]
        lines.append("| Item | Proposal | " + " | ".join(md(r) for r in reviewers) + " | Consensus | Status |")
        lines.append("|---" * (len(reviewers) + 4) + "|")
        for r in records:
            by = {j.reviewer: j for j in r.ratings}
            cells = [md(_name(r)), md(_proposal(r))]
            for rid in reviewers:
                j = by.get(rid)
                cells.append(
                    "—"
                    if j is None
                    else f"**{md(_words(j.rating, r.item))}**" + (f"<br>{md(j.reason)}" if j.reason else "")
                )
            c = r.consensus
            cells.append(
                "—"
                if c is None
                else f"**{md(_words(c.rating, r.item))}** ({md(', '.join(c.agreed_by))})"
                + (f"<br>{md(c.reason)}" if c.reason else "<br>*no reason given*")
            )
            status = STATUS_WORDS[r.status]
            cells.append(f"**{status}**" if r.status == "unresolved" else status)
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines += [md(_summary(assessment)), ""]
    if assessment.agreement:
        lines += ["#### Agreement (95% CI)", ""]
        lines.append("| Scope | Reviewers | n | " + " | ".join(COLUMNS) + f" | {ALPHA} |")
        lines.append("|---" * (len(COLUMNS) + 4) + "|")
        for a in assessment.agreement:
            stats = {s.statistic: s for s in a.statistics}
            cells = [md(_scope(a.scope)), md(" – ".join(a.reviewers)), str(a.n)]
            cells += [_stat_text(stats[name]) if name in stats else "" for name in (*COLUMNS, ALPHA)]
            lines.append("| " + " | ".join(cells) + " |")
        notes = _notes(assessment.agreement)
        if notes:
            lines += ["", md("undefined: " + "; ".join(n.removeprefix("undefined: ") for n in notes))]
        lines.append("")
    return "\n".join(lines)


def payload(assessment: Assessment) -> dict[str, Any]:
    """The reviewers' part of the assessment as JSON (the same keys as in ``assess --format json``)."""
    data = assessment.model_dump(mode="json", include={"title", "reviewers", "reviews", "agreement"})
    data["unresolved"] = len(unresolved(assessment))
    return {"schema_version": assessment.schema_version, **data}
