"""What changed between two versions of an evidence file, outcome by outcome: studies added or
removed, the effect and its CI, each domain's rating, and the certainty (living reviews)."""

from __future__ import annotations

from gradecli.grade.assessment import DOMAIN_NAMES, Assessment, OutcomeAssessment
from gradecli.model.evidence import Evidence


def _studies(ev: Evidence, outcome_id: str) -> list[str]:
    for o in ev.outcomes:
        if o.id == outcome_id:
            return sorted({r.study for r in o.data or []})
    return []


def _effect(o: OutcomeAssessment | None) -> dict[str, object] | None:
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


def diff(old_ev: Evidence, old: Assessment, new_ev: Evidence, new: Assessment) -> list[dict[str, object]]:
    """One entry per outcome (in the new file's order, then removed ones), each listing its changes."""
    old_by = {o.id: o for o in old.outcomes}
    new_by = {o.id: o for o in new.outcomes}
    ids = [o.id for o in new.outcomes] + [o.id for o in old.outcomes if o.id not in new_by]
    out = []
    for oid in ids:
        a, b = old_by.get(oid), new_by.get(oid)
        entry: dict[str, object] = {"outcome": oid, "name": (b or a).name}  # type: ignore[union-attr]
        if a is None:
            entry["status"] = "added"
        elif b is None:
            entry["status"] = "removed"
        else:
            entry["status"] = "changed"
        sa, sb = set(_studies(old_ev, oid)), set(_studies(new_ev, oid))
        entry["studies_added"] = sorted(sb - sa)
        entry["studies_removed"] = sorted(sa - sb)
        ea, eb = _effect(a), _effect(b)
        entry["effect"] = {"old": ea, "new": eb} if ea != eb else None
        domains = []
        for name in DOMAIN_NAMES:
            da = next((d for d in (a.domains if a else []) if d.domain == name), None)
            db = next((d for d in (b.domains if b else []) if d.domain == name), None)
            ra = da.rating.value if da and da.rating else None
            rb = db.rating.value if db and db.rating else None
            if (da or db) and (ra != rb or (da and db and da.status != db.status)):
                domains.append({"domain": name, "old": ra, "new": rb, "why": db.proposal.explanation if db else None})
        entry["domains"] = domains
        ca = a.certainty.value if a and a.certainty else None
        cb = b.certainty.value if b and b.certainty else None
        entry["certainty"] = {"old": ca, "new": cb, "changed": ca != cb}
        if entry["status"] == "changed" and not (
            entry["studies_added"] or entry["studies_removed"] or entry["effect"] or domains or ca != cb
        ):
            entry["status"] = "unchanged"
        out.append(entry)
    return out


def _num(x: object) -> str:
    return "—" if x is None else f"{x:.3g}" if isinstance(x, float) else str(x)


def _effect_text(e: dict[str, object] | None) -> str:
    if e is None:
        return "none"
    return f"{e['measure']} {_num(e['estimate'])} ({_num(e['ci_lb'])} to {_num(e['ci_ub'])}), k={e['k']}"


def _level(x: object) -> str:
    return "not rated" if x is None else str(x).replace("_", " ")


def _rating(x: object) -> str:
    return "not assessed" if x is None else str(x).replace("_", " ")


def markdown(entries: list[dict[str, object]], old_name: str, new_name: str) -> str:
    changed = [e for e in entries if e["status"] != "unchanged"]
    lines = [f"### gradecli diff: `{old_name}` → `{new_name}`", ""]
    if not changed:
        return "\n".join([*lines, "No outcome changed.", ""])
    lines += ["| Outcome | Studies | Effect | Domains | Certainty |", "|---|---|---|---|---|"]
    for e in changed:
        studies = []
        if e["studies_added"]:
            studies.append("+ " + ", ".join(e["studies_added"]))  # type: ignore[arg-type]
        if e["studies_removed"]:
            studies.append("− " + ", ".join(e["studies_removed"]))  # type: ignore[arg-type]
        eff = e["effect"]
        effect = f"{_effect_text(eff['old'])} → {_effect_text(eff['new'])}" if eff else "—"  # type: ignore[index]
        doms = (
            "<br>".join(f"{DOMAIN_NAMES[d['domain']]}: {_rating(d['old'])} → {_rating(d['new'])}" for d in e["domains"])
            or "—"
        )  # type: ignore[union-attr]
        c = e["certainty"]
        cert = (
            f"**{_level(c['old'])} → {_level(c['new'])}**"
            if c["changed"]  # type: ignore[index]
            else _level(c["new"])
        )  # type: ignore[index]
        name = f"{e['name']} ({e['status']})" if e["status"] in ("added", "removed") else str(e["name"])
        lines.append(f"| {name} | {'<br>'.join(studies) or '—'} | {effect} | {doms} | {cert} |".replace("\n", " "))
    return "\n".join([*lines, ""])


def text(entries: list[dict[str, object]]) -> str:
    lines = []
    for e in entries:
        if e["status"] == "unchanged":
            continue
        lines.append(f"{e['name']} ({e['outcome']}): {e['status']}")
        if e["studies_added"]:
            lines.append(f"  studies added: {', '.join(e['studies_added'])}")  # type: ignore[arg-type]
        if e["studies_removed"]:
            lines.append(f"  studies removed: {', '.join(e['studies_removed'])}")  # type: ignore[arg-type]
        if e["effect"]:
            eff = e["effect"]
            lines.append(f"  effect: {_effect_text(eff['old'])} → {_effect_text(eff['new'])}")  # type: ignore[index]
        for d in e["domains"]:  # type: ignore[union-attr]
            lines.append(
                f"  {DOMAIN_NAMES[d['domain']]}: {_rating(d['old'])} → {_rating(d['new'])}"
                + (f" ({d['why']})" if d["why"] else "")
            )
        c = e["certainty"]
        if c["changed"]:  # type: ignore[index]
            lines.append(f"  certainty: {_level(c['old'])} → {_level(c['new'])}")  # type: ignore[index]
    return "\n".join(lines) + "\n" if lines else "No outcome changed.\n"
