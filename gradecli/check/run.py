"""Check one evidence file: validate it, assess it, and turn what needs a reviewer's attention
into findings with codes and line numbers."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from gradecli.check.findings import Finding
from gradecli.check.findings import make as make_finding
from gradecli.grade.assessment import DOMAIN_NAMES, Assessment, OutcomeAssessment
from gradecli.model.vocab import Certainty
from gradecli.numeric import Z_975


class Marks(Protocol):
    """Where a value of the file is (its line and column), e.g. :class:`gradecli.io.tree.Tree`."""

    def mark(self, path: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]: ...


At = Callable[..., tuple[int, int]]

Status = Literal["valid", "invalid", "skipped", "unreadable", "crashed"]
MAX_SOF_ROWS = 7  # GRADE: at most seven outcomes in a Summary-of-Findings table


@dataclass
class FileResult:
    path: str
    status: Status
    findings: list[Finding] = field(default_factory=list)
    outcomes: int = 0
    reason: str | None = None


NOT_ASSESSED_CODES = {"indirectness": "GC102", "risk_of_bias": "GC104", "imprecision": "GC105"}
"""The domains whose absence makes a rating provisional (GRADE: certainty is judged over all domains)."""


def assessment_findings(
    path: str, tree: Marks, assessment: Assessment, severities: dict[str, str]
) -> list[Finding | None]:
    """The findings of one assessed file, from the Assessment alone (``tree`` gives line numbers)."""
    out: list[Finding | None] = []
    index: dict[str, int] = {}  # the outcome's place in the file (two bodies of one outcome share it)
    several = len(assessment.comparisons) > 1
    beyond = _beyond_the_table(assessment) if assessment.comparisons else {}
    for o in assessment.outcomes:
        i = index.setdefault(o.source_id or o.id, len(index))
        line, col = tree.mark(("outcomes", i))
        # in a file of several comparisons a finding about an outcome names the outcome's comparison
        prefix = f"comparison {o.comparison!r}: " if several and o.comparison is not None else ""

        def make(
            file: str, line: int, col: int, code: str, message: str, *rest: Any, _prefix: str = prefix
        ) -> Finding | None:
            """:func:`gradecli.check.findings.make`, the message prefixed with the outcome's comparison."""
            return make_finding(file, line, col, code, _prefix + message, *rest)

        def at(*sub: str | int, _i: int = i) -> tuple[int, int]:
            return tree.mark(("outcomes", _i, *sub))

        disputed = {x.item for x in o.disagreements if x.study is None}
        for x in o.disagreements:  # the reviewers differ and no consensus says which is right
            what = f"study {x.study!r}'s risk of bias" if x.study is not None else DOMAIN_NAMES.get(x.item, x.item)
            ratings = "; ".join(f"{who}: {r.replace('_', ' ')}" for who, r in x.ratings.items())
            message = (
                f"{o.id}: the reviewers disagree on {what} ({ratings}) and no consensus resolves it; the rating "
                "is provisional (record the agreed judgment under `consensus:`)"
            )
            out.append(make(path, line, col, "GC501", message, o.id, severities))
        for d in o.domains:
            if d.status == "not_assessed" and d.domain not in disputed:
                code = NOT_ASSESSED_CODES.get(d.domain, "GC103")
                why = d.proposal.explanation or "no data"
                if d.domain in NOT_ASSESSED_CODES and o.provisional:
                    why += (
                        f"; the rating is provisional (at most {o.certainty_ceiling.value.replace('_', ' ')})"
                        if o.certainty_ceiling
                        else "; the rating is provisional"
                    )
                out.append(
                    make(
                        path,
                        line,
                        col,
                        code,
                        f"{o.id}: {DOMAIN_NAMES[d.domain]} not assessed ({why})",
                        o.id,
                        severities,
                    )
                )
            if d.levels and not d.footnote:
                out.append(
                    make(
                        path,
                        *at("judgements", d.domain),
                        "GC202",
                        f"{o.id}: {DOMAIN_NAMES[d.domain]} rated down without a footnote",
                        o.id,
                        severities,
                    )
                )
        if o.form == "summary" and o.start_reason and "give summary.design" in o.start_reason:
            out.append(make(path, *at("summary"), "GC106", f"{o.id}: {o.start_reason}", o.id, severities))
        pending = [
            DOMAIN_NAMES[d.domain] for d in o.domains if d.proposal.needs_confirmation and d.status == "proposed"
        ]
        pending += [
            f"{DOMAIN_NAMES[u.domain]} (+{u.proposed_levels})"
            for u in o.upgrades
            if u.needs_confirmation and not u.levels
        ]
        if pending:
            message = f"{o.id}: awaiting the reviewer's confirmation: {', '.join(pending)} (record it under judgements)"
            out.append(make(path, line, col, "GC107", message, o.id, severities))
        for u in o.upgrades:
            if u.levels and not u.footnote:
                out.append(
                    make(path, line, col, "GC202", f"{o.id}: {u.domain} rated up without a footnote", o.id, severities)
                )
        if o.recorded_certainty is not None and o.certainty is not None and o.recorded_certainty != o.certainty:
            out.append(make(path, *at("recorded_certainty"), "GC201", _certainty_message(o), o.id, severities))
        ceiling = o.certainty_ceiling
        if (
            o.provisional
            and o.recorded_certainty is not None
            and ceiling is not None
            and _above(o.recorded_certainty, ceiling)
        ):
            missing = ", ".join(DOMAIN_NAMES[d] for d in o.missing_domains)
            message = (
                f"{o.id}: recorded certainty {o.recorded_certainty.value.replace('_', ' ')}, "
                f"but the file supports at most "
                f"{ceiling.value.replace('_', ' ')} ({missing} not assessed)"
            )
            out.append(make(path, *at("recorded_certainty"), "GC201", message, o.id, severities))
        out.extend(_summary_checks(path, o, at, severities, prefix))
        if o.id in beyond:
            cid, rank = beyond[o.id]
            out.append(
                make_finding(
                    path,
                    line,
                    col,
                    "GC401",
                    f"comparison {cid!r}: {o.id}: the comparison's critical outcome number {rank}; its "
                    f"Summary-of-Findings table shows at most {MAX_SOF_ROWS} outcomes — it is listed after the "
                    "table (mark fewer outcomes critical, or split the comparison)",
                    o.id,
                    severities,
                )
            )
        elif not assessment.comparisons and o.importance == "critical" and i >= MAX_SOF_ROWS:
            out.append(
                make(
                    path,
                    line,
                    col,
                    "GC401",
                    f"{o.id}: critical outcome in row {i + 1}; a Summary-of-Findings table shows at most "
                    f"{MAX_SOF_ROWS} outcomes — move it up",
                    o.id,
                    severities,
                )
            )
    out.extend(_consensus_findings(path, tree, assessment, severities))
    if assessment.comparisons:
        # each comparison is its own Summary-of-Findings table: each needs a critical outcome
        has_outcomes = {o.comparison for o in assessment.outcomes}
        has_critical = {o.comparison for o in assessment.outcomes if o.importance == "critical"}
        for ci, c in enumerate(assessment.comparisons):
            if c.id in has_outcomes and c.id not in has_critical:
                line, col = tree.mark(("comparisons", ci))
                message = f"comparison {c.id!r}: no outcome is marked critical"
                out.append(make_finding(path, line, col, "GC402", message, None, severities))
    elif assessment.outcomes and not any(o.importance == "critical" for o in assessment.outcomes):
        line, col = tree.mark(("outcomes",))
        out.append(make_finding(path, line, col, "GC402", "no outcome is marked critical", None, severities))
    return out


def _consensus_findings(
    path: str, tree: Marks, assessment: Assessment, severities: dict[str, str]
) -> list[Finding | None]:
    """GC502 for every consensus recorded without a reason, at its entry of ``consensus:``."""
    out: list[Finding | None] = []
    data = getattr(tree, "data", None)  # a Tree: the parsed file, to find each entry's place
    entries = data.get("consensus") if isinstance(data, dict) else None
    order: dict[tuple[object, object, str], int] = {}
    for j, e in enumerate(entries if isinstance(entries, list) else []):
        if isinstance(e, dict):
            order.setdefault((e.get("outcome"), e.get("study"), str(e.get("item") or "risk_of_bias")), j)
    for r in assessment.reviews:
        c = r.consensus
        if c is None or c.reason:
            continue
        place = order.get((r.outcome, r.study, r.item))
        line, col = tree.mark(("consensus",) if place is None else ("consensus", place))
        name = DOMAIN_NAMES.get(r.item, r.item)
        what = f"study {r.study!r}'s risk of bias" if r.study is not None else f"{r.outcome}: {name}"
        message = f"{what}: a consensus ({', '.join(c.agreed_by)}) without a reason; say why it was agreed (`reason:`)"
        out.append(make_finding(path, line, col, "GC502", message, r.outcome, severities))
    return out


def _beyond_the_table(assessment: Assessment) -> dict[str, tuple[str, int]]:
    """The critical outcomes that do not fit their comparison's Summary-of-Findings table (rows by
    importance, at most :data:`MAX_SOF_ROWS` outcomes: so the critical outcomes past the seventh, in
    the file's order; the bodies of one outcome are one row), each with its comparison and its number
    among the comparison's critical outcomes."""
    out: dict[str, tuple[str, int]] = {}
    critical: dict[str | None, list[str]] = {}  # comparison → its critical outcomes (source ids)
    for o in assessment.outcomes:
        if o.importance != "critical" or o.comparison is None:
            continue
        seen = critical.setdefault(o.comparison, [])
        source = o.source_id or o.id
        if source not in seen:
            seen.append(source)
        rank = seen.index(source) + 1
        if rank > MAX_SOF_ROWS:
            out[o.id] = (o.comparison, rank)
    return out


def _above(a: Certainty, b: Certainty) -> bool:
    order = ["very_low", "low", "moderate", "high"]
    return order.index(a.value) > order.index(b.value)


def _certainty_message(o: OutcomeAssessment) -> str:
    recorded = o.recorded_certainty.value.replace("_", " ")  # type: ignore[union-attr]
    computed = o.certainty.value.replace("_", " ")  # type: ignore[union-attr]
    parts = [f"start {o.start.value.replace('_', ' ')}" if o.start else ""]
    for d in o.domains:
        if d.levels:
            who = "reviewer" if d.status in ("judged", "overridden", "confirmed") else d.proposal.rule
            parts.append(f"−{d.levels} {DOMAIN_NAMES[d.domain]} ({who})")
    for u in o.upgrades:
        if u.levels:
            parts.append(f"+{u.levels} {DOMAIN_NAMES[u.domain]}")
    lower = ["very_low", "low", "moderate", "high"].index(o.recorded_certainty.value) < [  # type: ignore[union-attr]
        "very_low",
        "low",
        "moderate",
        "high",
    ].index(o.certainty.value)  # type: ignore[union-attr]
    if lower:
        open_domains = [
            f"{DOMAIN_NAMES[d.domain]} ({'not assessed' if d.status == 'not_assessed' else d.proposal.explanation})"
            for d in o.domains
            if d.levels == 0 and d.status in ("not_assessed", "proposed")
        ]
        hint = (
            ("; the authors rated lower: record the judgment that explains it, e.g. " + "; ".join(open_domains[:3]))
            if open_domains
            else ""
        )
    else:
        hint = "; the authors rated higher: check the downgrades above, or override them with a reason"
    return (
        f"{o.id}: recorded certainty {recorded}, but the file supports {computed} "
        f"({', '.join(p for p in parts if p)}){hint}"
    )


def _summary_checks(
    path: str, o: OutcomeAssessment, at: At, severities: dict[str, str], prefix: str = ""
) -> list[Finding | None]:
    e = o.effect
    if o.form != "summary" or e is None or e.ci_lb is None or e.ci_ub is None:
        return []
    n = e.participants
    if n is None or n <= 0:
        return []
    lo, hi = e.ci_lb, e.ci_ub
    if o.measure in ("OR", "PETO_OR") and lo > 0 and hi > lo:
        se = (math.log(hi) - math.log(lo)) / (2 * Z_975)
        floor = math.sqrt(16 / n)  # smallest SE of a log OR with N participants (all cells N/4)
        if se < floor / 2:
            return [
                make_finding(
                    path,
                    *at("summary", "ci"),
                    "GC304",
                    f"{prefix}{o.id}: the CI ({lo:g} to {hi:g}) is narrower than {n:,} participants allow "
                    f"(SE of log OR {se:.3g}; at least {floor:.3g} is possible) — is the sample size right?",
                    o.id,
                    severities,
                )
            ]
    return []
