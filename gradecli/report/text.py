"""Shared wording and symbols for renderers."""

from __future__ import annotations

from gradecli.grade.assessment import DomainAssessment, OutcomeAssessment, UpgradeAssessment
from gradecli.model.vocab import Certainty

SYMBOLS = {
    Certainty.high: "⊕⊕⊕⊕",
    Certainty.moderate: "⊕⊕⊕◯",
    Certainty.low: "⊕⊕◯◯",
    Certainty.very_low: "⊕◯◯◯",
}
LABELS = {Certainty.high: "HIGH", Certainty.moderate: "MODERATE", Certainty.low: "LOW", Certainty.very_low: "VERY LOW"}


def certainty_text(c: Certainty | None) -> str:
    return f"{SYMBOLS[c]} {LABELS[c]}" if c is not None else "—"


def domain_cell(d: DomainAssessment) -> str:
    if d.status == "not_assessed":
        return "not assessed"
    text = (d.rating.value if d.rating else "—").replace("_", " ")
    if d.status == "not_applicable":
        text += " (n/a)"
    if d.status == "overridden" and d.proposal.rating is not None:
        text += f" (proposed: {d.proposal.rating.value.replace('_', ' ')})"
    return text


def effect_text(o: OutcomeAssessment) -> str:
    e = o.effect
    if o.form == "none":
        return "no studies reported this outcome"
    if e is None or e.estimate is None:
        return f"not estimable ({o.not_estimable})" if o.not_estimable else "not reported"
    return f"{e.measure} {e.estimate:.3g} ({e.ci_lb:.3g} to {e.ci_ub:.3g})"


def path_text(d: DomainAssessment) -> str:
    """The steps the domain's rule took, joined by arrows, and — while the rating is still the
    proposal — whether the reviewer must confirm it; '' when the rule recorded neither."""
    steps = " → ".join(d.proposal.path)
    if not (d.proposal.needs_confirmation and d.status == "proposed"):
        return steps
    return f"{steps} ({CONFIRM})" if steps else CONFIRM


CONFIRM = "needs the reviewer's confirmation"


def upgrade_text(u: UpgradeAssessment) -> str:
    """'+1 proposed, needs the reviewer's confirmation' while pending; '+1 (confirmed)' once decided."""
    if u.needs_confirmation and not u.levels:
        return f"+{u.proposed_levels} proposed, {CONFIRM} (not applied until then)"
    return f"+{u.levels} ({u.status.replace('_', ' ')})"
