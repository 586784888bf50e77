"""Where two rule sets disagree, outcome by outcome and domain by domain, and why."""

from __future__ import annotations

from typing import cast

from gradecli.escape import github_line, terminal
from gradecli.grade.assessment import DOMAIN_NAMES, Assessment


def differences(a: Assessment, b: Assessment) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for oa, ob in zip(a.outcomes, b.outcomes, strict=True):
        if oa.form == "none":
            continue
        domains: list[dict[str, object]] = []
        for da, db in zip(oa.domains, ob.domains, strict=True):
            if da.rating != db.rating or da.status != db.status:
                domains.append(
                    {
                        "domain": da.domain,
                        a.rules: {"rating": da.rating, "rule": da.proposal.rule, "why": da.proposal.explanation},
                        b.rules: {"rating": db.rating, "rule": db.proposal.rule, "why": db.proposal.explanation},
                    }
                )
        if domains or oa.certainty != ob.certainty:
            out.append(
                {
                    "outcome": oa.id,
                    "name": oa.name,
                    "certainty": {a.rules: oa.certainty, b.rules: ob.certainty},
                    "domains": domains,
                }
            )
    return out


def render_text(a: Assessment, b: Assessment) -> str:
    """Plain text (print it with markup off): every name from a file is escaped for the terminal."""
    diffs = differences(a, b)
    ra, rb = terminal(a.rules), terminal(b.rules)
    if not diffs:
        return github_line(f"Rule sets {ra} and {rb} agree on every outcome.")
    lines = [f"Where {ra} and {rb} disagree:"]
    # The casts restate the shapes built by differences() just above: "certainty" maps rule-set
    # names to certainties, "domains" is a list of {"domain": name, RULES: {"rating", "rule", "why"}}.
    for d in diffs:
        cert = cast("dict[str, object]", d["certainty"])
        lines.append(
            f"- {terminal(str(d['name']))} ({terminal(str(d['outcome']))}): certainty {_v(cert[a.rules])} under {ra}, "
            f"{_v(cert[b.rules])} under {rb}"
        )
        for dom in cast("list[dict[str, object]]", d["domains"]):
            x, y = cast("dict[str, object]", dom[a.rules]), cast("dict[str, object]", dom[b.rules])
            lines.append(
                f"    {DOMAIN_NAMES[cast(str, dom['domain'])]}: {_v(x['rating'])} [{terminal(str(x['rule']))}] vs "
                f"{_v(y['rating'])} [{terminal(str(y['rule']))}]"
            )
            lines.append(f"      {ra}: {terminal(str(x['why']))}")
            lines.append(f"      {rb}: {terminal(str(y['why']))}")
    return github_line("\n".join(lines))


def _v(value: object) -> str:
    if value is None:
        return "not assessed"
    return str(getattr(value, "value", value)).replace("_", " ")
