"""``gradecli agree --template REVIEWER``: an empty file of judgments for one reviewer, so the second
reviewer starts independently — every outcome with its five domains and its certainty (and the
reasons to rate up where the evidence starts low), every study with a risk-of-bias assessment, each
rating left ``null``. The proposals are hidden unless asked for (``--with-proposals``: a comment
after each line). Reads the Assessment only; every name from a file is quoted for YAML."""

from __future__ import annotations

from gradecli.escape import terminal
from gradecli.grade.assessment import DOMAINS, Assessment, OutcomeAssessment
from gradecli.io.yaml_scalar import scalar
from gradecli.model.vocab import Certainty, Rating

TOOL_WORDS = {
    "rob2": "low, some_concerns, high",
    "rob1": "low, unclear, high",
    "robins-i": "low, moderate, serious, critical, no_information",
}
UPGRADES = ("large_effect", "dose_response", "residual_confounding")


def _comment(text: str) -> str:
    """Text for a YAML comment: one line, control characters escaped."""
    return terminal(" ".join(text.split()))


def _proposal(o: OutcomeAssessment, item: str) -> str:
    if item == "certainty":
        level = o.computed_certainty or o.certainty_ceiling
        return f"computed from the domains: {level.value}" if level else "no rating (no estimate)"
    if item in UPGRADES:
        u = next((u for u in o.upgrades if u.domain == item), None)
        return f"{u.proposed_levels} (rule {u.rule})" if u is not None and u.rule else "0"
    d = next((d for d in o.domains if d.domain == item), None)
    if d is None or d.proposal.rating is None:
        return "none (the reviewer judges)"
    rule = f" (rule {d.proposal.rule})" if d.proposal.rule else ""
    return f"{d.proposal.rating.value}{rule}"


def template(assessment: Assessment, reviewer: str, with_proposals: bool = False, date: str | None = None) -> str:
    """The YAML text of an empty judgments file for ``reviewer``."""
    lines = [
        f"# Judgments of {_comment(reviewer)} for: {_comment(assessment.title)}",
        "# Judge each item on your own, before you look at anyone else's judgments: give a rating and a reason;",
        "# leave `rating: null` for what you have not judged. Ratings: " + ", ".join(r.value for r in Rating) + ";",
        "# certainty: " + ", ".join(c.value for c in Certainty) + "; rating up: levels 0, 1 or 2.",
    ]
    if with_proposals:
        lines.append("# The comments after each line give gradecli's proposal (--with-proposals).")
    else:
        lines.append("# gradecli's proposals are left out, so that you judge independently (--with-proposals).")
    lines += ["gradecli-judgements: 1", f"reviewer: {scalar(reviewer)}"]
    if date is not None:
        lines.append(f"date: {date}")
    lines.append("outcomes:")
    seen: set[str] = set()
    for o in assessment.outcomes:
        oid = o.source_id or o.id
        if oid in seen or o.form == "none":
            continue
        seen.add(oid)
        lines.append(f"  {scalar(oid)}:  # {_comment(o.name)}")
        items = [*DOMAINS]
        if o.start is not None and o.start is not Certainty.high:
            items += UPGRADES
        items.append("certainty")
        for item in items:
            key = "levels" if item in UPGRADES else "rating"
            line = f"    {item}: {{{key}: null, reason: null}}"
            if with_proposals:
                line += f"  # proposed: {_comment(_proposal(o, item))}"
            lines.append(line)
    if not seen:
        lines[-1] = "outcomes: {}"
    studies = [s for s in assessment.studies if s.risk_of_bias is not None]
    if studies:
        lines.append("studies:")
        for s in studies:
            assert s.risk_of_bias is not None
            tool = s.risk_of_bias.tool
            line = f"  {scalar(s.id)}: {{overall: null, reason: null}}  # {tool}: {TOOL_WORDS.get(tool, '')}"
            if with_proposals:
                line += f"; used now: {_comment(s.risk_of_bias.overall)}"
            lines.append(line)
    return "\n".join(lines) + "\n"
