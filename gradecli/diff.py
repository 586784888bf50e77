"""What changed between two versions of an evidence file, outcome by outcome: studies added or
removed, the effect and its CI, each domain's rating, and the certainty (living reviews).

Files with ``comparisons`` (either version) get the changes grouped by comparison: each entry has a
``comparison`` (the new version's, or the old one's for a removed outcome) and, for an outcome that
moved from one comparison to another, ``old_comparison``; the text and Markdown show a heading per
comparison. A file without comparisons gives exactly the output it always did."""

from __future__ import annotations

from typing import TypedDict, cast

from gradecli.escape import github_line, terminal
from gradecli.escape import markdown as md_escape
from gradecli.grade.assessment import DOMAIN_NAMES, Assessment, DomainAssessment, OutcomeAssessment, UpgradeAssessment


class EffectSummary(TypedDict):
    measure: str
    estimate: float | None
    ci_lb: float | None
    ci_ub: float | None
    k: int | None
    participants: int | None


class EffectChange(TypedDict):
    old: EffectSummary | None
    new: EffectSummary | None


class _By(TypedDict, total=False):
    by: list[str]  # files with reviewers: whose judgment the new rating is


class DomainChange(_By):
    domain: str
    old: str | None
    new: str | None
    old_status: str | None
    new_status: str | None
    why: str | None


class CertaintyChange(TypedDict):
    old: str | None
    new: str | None
    old_ceiling: str | None  # a provisional rating (certainty None): the most it could be
    new_ceiling: str | None
    changed: bool


class _Where(TypedDict, total=False):
    """The comparison keys of an outcome change, in files with comparisons only."""

    comparison: str | None  # the new file's (the old one's for a removed outcome)
    old_comparison: str  # an outcome that moved: the comparison it was in


class OutcomeChange(_Where):
    outcome: str
    name: str
    status: str
    studies_added: list[str]
    studies_removed: list[str]
    effect: EffectChange | None
    domains: list[DomainChange]
    certainty: CertaintyChange


def _studies(o: OutcomeAssessment | None) -> set[str]:
    return {r.study for r in o.rows} if o is not None else set()


def _effect(o: OutcomeAssessment | None) -> EffectSummary | None:
    if o is None or o.effect is None or o.effect.estimate is None:
        return None
    e = o.effect
    return {
        "measure": e.measure,
        "estimate": e.estimate,
        "ci_lb": e.ci_lb,
        "ci_ub": e.ci_ub,
        "k": e.k,
        "participants": e.participants,
    }


def _by(d: DomainAssessment | UpgradeAssessment | None) -> list[str]:
    return list(d.judged_by) if d is not None else []


def _down(d: DomainAssessment | None) -> tuple[str | None, str | None, str | None]:
    """(rating, status, why) of a domain rated down."""
    if d is None:
        return None, None, None
    return (d.rating.value if d.rating else None), d.status, d.reviewer_reason or d.proposal.explanation


def _up(u: UpgradeAssessment | None) -> tuple[str | None, str | None, str | None]:
    """(levels as '+N', status, why) of a reason to rate up; no rating when it is not assessed."""
    if u is None or (u.status == "not_assessed" and not u.levels):
        return None, None, None
    why = u.reviewer_reason or ("; ".join(u.facts) if u.facts else None)
    return f"+{u.levels}", u.status, why


def _domain_changes(a: OutcomeAssessment | None, b: OutcomeAssessment | None) -> list[DomainChange]:
    """Every domain whose rating or status differs (rating down, then rating up), in GRADE's order."""
    out: list[DomainChange] = []
    old_down = {d.domain: d for d in (a.domains if a else [])}
    new_down = {d.domain: d for d in (b.domains if b else [])}
    old_up = {u.domain: u for u in (a.upgrades if a else [])}
    new_up = {u.domain: u for u in (b.upgrades if b else [])}
    for name in DOMAIN_NAMES:
        if name in old_down or name in new_down:
            (ra, sa, _), (rb, sb, why) = _down(old_down.get(name)), _down(new_down.get(name))
        else:
            (ra, sa, _), (rb, sb, why) = _up(old_up.get(name)), _up(new_up.get(name))
        if ra != rb or (sa is not None and sb is not None and sa != sb):
            change: DomainChange = {
                "domain": name,
                "old": ra,
                "new": rb,
                "old_status": sa,
                "new_status": sb,
                "why": why,
            }
            by = _by(new_down.get(name) or new_up.get(name))
            if by:
                change["by"] = by
            out.append(change)
    return out


def diff(old: Assessment, new: Assessment) -> list[OutcomeChange]:
    """One entry per outcome (in the new file's order, then removed ones), each listing its changes.
    Reads the two Assessments only. When either file has comparisons the entries are grouped by
    comparison (the new file's order, then comparisons only the old file has), each naming its own."""
    grouped = bool(old.comparisons or new.comparisons)
    old_by = {o.id: o for o in old.outcomes}
    new_by = {o.id: o for o in new.outcomes}
    ids = [o.id for o in new.outcomes] + [o.id for o in old.outcomes if o.id not in new_by]
    out: list[OutcomeChange] = []
    for oid in ids:
        a, b = old_by.get(oid), new_by.get(oid)
        named = b if b is not None else a
        assert named is not None
        status = "added" if a is None else "removed" if b is None else "changed"
        sa, sb = _studies(a), _studies(b)
        ea, eb = _effect(a), _effect(b)
        domains = _domain_changes(a, b)
        ca = a.certainty.value if a and a.certainty else None
        cb = b.certainty.value if b and b.certainty else None
        pa = a.certainty_ceiling.value if a and a.provisional and a.certainty_ceiling else None
        pb = b.certainty_ceiling.value if b and b.provisional and b.certainty_ceiling else None
        old_cmp, new_cmp = (a.comparison if a else None), (b.comparison if b else None)
        moved = old_cmp is not None and new_cmp is not None and old_cmp != new_cmp
        entry: OutcomeChange = {
            "outcome": oid,
            "name": named.name,
            "status": status,
            "studies_added": sorted(sb - sa),
            "studies_removed": sorted(sa - sb),
            "effect": {"old": ea, "new": eb} if ea != eb else None,
            "domains": domains,
            "certainty": {"old": ca, "new": cb, "old_ceiling": pa, "new_ceiling": pb, "changed": (ca, pa) != (cb, pb)},
        }
        if grouped:  # the comparison keys right after the name
            where: dict[str, object] = {"comparison": named.comparison}
            if moved:
                where["old_comparison"] = old_cmp
            items = list(entry.items())
            entry = cast(OutcomeChange, dict([*items[:2], *where.items(), *items[2:]]))
        if (
            status == "changed"
            and not moved
            and not (
                entry["studies_added"]
                or entry["studies_removed"]
                or entry["effect"]
                or domains
                or entry["certainty"]["changed"]
            )
        ):
            entry["status"] = "unchanged"
        out.append(entry)
    if grouped:
        order = {cid: j for j, cid in enumerate(comparison_titles(old, new))}
        out.sort(key=lambda e: order.get(e.get("comparison") or "", len(order)))  # stable: the order within
    return out


def comparison_titles(old: Assessment, new: Assessment) -> dict[str, str]:
    """Each comparison's title by id: the new file's comparisons in its order, then those only the
    old file has (empty for files without comparisons)."""
    titles = {c.id: c.title for c in new.comparisons}
    for c in old.comparisons:
        titles.setdefault(c.id, c.title)
    return titles


def _groups(entries: list[OutcomeChange]) -> list[tuple[str | None, list[OutcomeChange]]]:
    """The changed entries by comparison, in the entries' order (one group, None, for files
    without comparisons)."""
    out: list[tuple[str | None, list[OutcomeChange]]] = []
    for e in entries:
        if e["status"] == "unchanged":
            continue
        cid = e.get("comparison")
        if not out or out[-1][0] != cid:
            out.append((cid, []))
        out[-1][1].append(e)
    return out


def _heading(cid: str | None, titles: dict[str, str]) -> str:
    """A comparison's heading, in plain words (escape it for the output)."""
    if cid is None:
        return "Outcomes in no comparison (the review's question)"
    title = titles.get(cid)
    return f"Comparison {cid}: {title}" if title and title != cid else f"Comparison {cid}"


def _num(x: object) -> str:
    return "—" if x is None else f"{x:.3g}" if isinstance(x, float) else str(x)


def _effect_text(e: EffectSummary | None) -> str:
    if e is None:
        return "none"
    return f"{e['measure']} {_num(e['estimate'])} ({_num(e['ci_lb'])} to {_num(e['ci_ub'])}), k={e['k']}"


def _level(x: str | None, ceiling: str | None = None) -> str:
    if x is None and ceiling is not None:
        return f"not yet rated (at most {ceiling.replace('_', ' ')})"
    return "not rated" if x is None else x.replace("_", " ")


def _rating(x: str | None) -> str:
    return "not assessed" if x is None else x.replace("_", " ")


def _domain_text(d: DomainChange) -> str:
    """'risk of bias: not serious → serious'; when only the status changed, the statuses too."""
    old, new = _rating(d["old"]), _rating(d["new"])
    if d["old"] == d["new"] and d["old_status"] != d["new_status"]:
        old += f" ({_rating(d['old_status'])})"
        new += f" ({_rating(d['new_status'])})"
    return f"{DOMAIN_NAMES[d['domain']]}: {old} → {new}"


def _code(name: str) -> str:
    """A file name as Markdown code, or escaped text when a code span cannot hold it safely."""
    return f"`{name}`" if name.isprintable() and "`" not in name and name else md_escape(name)


def markdown(entries: list[OutcomeChange], old_name: str, new_name: str, titles: dict[str, str] | None = None) -> str:
    """A Markdown table (pull-request comments), one per comparison under its heading when the files
    have comparisons (``titles``: :func:`comparison_titles`); every name from a file goes through
    :func:`gradecli.escape.markdown`."""
    changed = [e for e in entries if e["status"] != "unchanged"]
    lines = [f"### gradecli diff: {_code(old_name)} → {_code(new_name)}", ""]
    if not changed:
        return "\n".join([*lines, "No outcome changed.", ""])
    if any("comparison" in e for e in changed):
        for j, (cid, group) in enumerate(_groups(entries)):
            lines += [""] if j else []
            lines += [f"#### {md_escape(_heading(cid, titles or {}))}", ""]
            lines += _markdown_rows(group)
        return "\n".join([*lines, ""])
    return "\n".join([*lines, *_markdown_rows(changed), ""])


def _markdown_rows(changed: list[OutcomeChange]) -> list[str]:
    lines = ["| Outcome | Studies | Effect | Domains | Certainty |", "|---|---|---|---|---|"]
    for e in changed:
        studies = []
        if e["studies_added"]:
            studies.append("+ " + ", ".join(md_escape(s) for s in e["studies_added"]))
        if e["studies_removed"]:
            studies.append("− " + ", ".join(md_escape(s) for s in e["studies_removed"]))
        eff = e["effect"]
        effect = md_escape(f"{_effect_text(eff['old'])} → {_effect_text(eff['new'])}") if eff else "—"
        doms = (
            "<br>".join(
                md_escape(_domain_text(d) + (f" by {', '.join(d['by'])}" if d.get("by") else "")) for d in e["domains"]
            )
            or "—"
        )
        c = e["certainty"]
        old, new = _level(c["old"], c["old_ceiling"]), _level(c["new"], c["new_ceiling"])
        cert = f"**{old} → {new}**" if c["changed"] else new
        name = md_escape(e["name"]) + (f" ({e['status']})" if e["status"] in ("added", "removed") else "")
        if "old_comparison" in e:
            name += " (moved from comparison " + md_escape(e["old_comparison"]) + ")"
        lines.append(f"| {name} | {'<br>'.join(studies) or '—'} | {effect} | {doms} | {cert} |".replace("\n", " "))
    return lines


def text(entries: list[OutcomeChange], titles: dict[str, str] | None = None) -> str:
    """Plain text for a terminal or a CI log, under a heading per comparison when the files have
    comparisons (``titles``: :func:`comparison_titles`): every name from a file is shown escaped
    (:func:`gradecli.escape.terminal`) and no line can be a GitHub Actions workflow command."""
    lines: list[str] = []
    if any("comparison" in e for e in entries):
        for j, (cid, group) in enumerate(_groups(entries)):
            lines += [""] if j else []
            lines.append(terminal(_heading(cid, titles or {})))
            lines += [f"  {line}" for line in _text_lines(group)]
    else:
        lines = _text_lines(entries)
    return github_line("\n".join(lines)) + "\n" if lines else "No outcome changed.\n"


def _text_lines(entries: list[OutcomeChange]) -> list[str]:
    lines = []
    for e in entries:
        if e["status"] == "unchanged":
            continue
        lines.append(f"{terminal(e['name'])} ({terminal(e['outcome'])}): {e['status']}")
        if "old_comparison" in e:
            lines.append(
                f"  moved: comparison {terminal(e['old_comparison'])} → {terminal(e.get('comparison') or '—')}"
            )
        if e["studies_added"]:
            lines.append(f"  studies added: {', '.join(terminal(s) for s in e['studies_added'])}")
        if e["studies_removed"]:
            lines.append(f"  studies removed: {', '.join(terminal(s) for s in e['studies_removed'])}")
        eff = e["effect"]
        if eff:
            lines.append(f"  effect: {_effect_text(eff['old'])} → {_effect_text(eff['new'])}")
        for d in e["domains"]:
            by = f" by {', '.join(terminal(x) for x in d['by'])}" if d.get("by") else ""
            lines.append(f"  {_domain_text(d)}{by}" + (f" ({terminal(d['why'])})" if d["why"] else ""))
        c = e["certainty"]
        if c["changed"]:
            lines.append(f"  certainty: {_level(c['old'], c['old_ceiling'])} → {_level(c['new'], c['new_ceiling'])}")
    return lines


class JudgementChange(TypedDict):
    """One reviewer's (or the consensus's) judgment of one item that changed between the versions."""

    outcome: str | None
    study: str | None
    item: str
    who: str  # a reviewer id, or "consensus"
    old: str | None
    new: str | None


def judgement_changes(old: Assessment, new: Assessment) -> list[JudgementChange]:
    """Who changed which judgment: every reviewer's rating and every consensus that differs between
    the two versions (files with reviewers), in the new file's order, then what only the old one had."""

    def table(a: Assessment) -> dict[tuple[str | None, str | None, str], dict[str, str]]:
        out: dict[tuple[str | None, str | None, str], dict[str, str]] = {}
        for r in a.reviews:
            values = {j.reviewer: j.rating for j in r.ratings}
            if r.consensus is not None:
                values["consensus"] = r.consensus.rating + f" ({', '.join(r.consensus.agreed_by)})"
            out[(r.outcome, r.study, r.item)] = values
        return out

    before, after = table(old), table(new)
    keys = list(after) + [k for k in before if k not in after]
    reviewers = [r.id for r in new.reviewers] + [
        r.id for r in old.reviewers if r.id not in {x.id for x in new.reviewers}
    ]
    changes: list[JudgementChange] = []
    for key in keys:
        a, b = before.get(key, {}), after.get(key, {})
        for who in [*reviewers, "consensus"]:
            if a.get(who) != b.get(who):
                outcome, study, item = key
                changes.append(
                    {"outcome": outcome, "study": study, "item": item, "who": who, "old": a.get(who), "new": b.get(who)}
                )
    return changes


def _judgement_line(c: JudgementChange) -> str:
    what = f"study {c['study']}" if c["study"] is not None else f"{c['outcome']}"
    item = "risk of bias" if c["study"] is not None else DOMAIN_NAMES.get(c["item"], c["item"])
    old = (c["old"] or "—").replace("_", " ")
    new = (c["new"] or "—").replace("_", " ")
    return f"{what}: {item}: {c['who']}: {old} → {new}"


def judgements_text(changes: list[JudgementChange]) -> str:
    """The reviewers' changed judgments as plain text (escaped; no workflow commands)."""
    if not changes:
        return ""
    lines = ["Reviewers' judgments changed:"] + [f"  {terminal(_judgement_line(c))}" for c in changes]
    return github_line("\n".join(lines)) + "\n"


def judgements_markdown(changes: list[JudgementChange]) -> str:
    """The reviewers' changed judgments as a Markdown list (escaped)."""
    if not changes:
        return ""
    return (
        "\n".join(
            ["#### Reviewers' judgments changed", "", *(f"- {md_escape(_judgement_line(c))}" for c in changes), ""]
        )
        + "\n"
    )
