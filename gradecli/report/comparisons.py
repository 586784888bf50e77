"""One Summary-of-Findings table per comparison (issue 18), read from the Assessment.

A review with ``comparisons`` gets one table per comparison, in the file's order, each with its own
title, PICO lines, footnotes and abbreviations. A table's rows are ordered by importance (critical
first, the file's order within each level) and hold at most :data:`MAX_OUTCOMES` critical or
important outcomes — what a GRADE Summary-of-Findings table holds (GRADE 12, Guyatt GH et al., J
Clin Epidemiol 2013;66:158–172; the Cochrane Handbook ch. 14: "up to seven") —; the comparison's other
outcomes (of limited importance, or past the seventh) are listed after the table, never dropped.
A file without ``comparisons`` is one table exactly as before: the file's order, every outcome.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gradecli.grade.assessment import Assessment, ComparisonRecord, OutcomeAssessment
from gradecli.report.sof import certainty_cells

MAX_OUTCOMES = 7
ORDER = {"critical": 0, "important": 1, "limited": 2}


@dataclass(frozen=True)
class Part:
    """One table: the Assessment restricted to the table's rows (title and question the
    comparison's), and the comparison's outcomes that are not in it."""

    comparison: ComparisonRecord | None
    assessment: Assessment
    others: list[OutcomeAssessment] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return slug(self.comparison.id) if self.comparison else ""


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "comparison"


def parts(assessment: Assessment, comparison_id: str | None = None) -> list[Part]:
    """The tables of ``assessment`` (one per comparison; only ``comparison_id``'s when given)."""
    if not assessment.comparisons:
        return [Part(None, assessment)]
    out = []
    for c in assessment.comparisons:
        if comparison_id is not None and c.id != comparison_id:
            continue
        mine = [o for o in assessment.outcomes if o.comparison == c.id]
        ordered = sorted(mine, key=lambda o: ORDER.get(str(o.importance), 3))  # stable: file order within
        shown: list[str] = []  # source outcomes in the table (a split outcome's rows count once)
        table, others = [], []
        for o in ordered:
            source = o.source_id or o.id
            fits = source in shown or (len(shown) < MAX_OUTCOMES and str(o.importance) != "limited")
            if fits:
                if source not in shown:
                    shown.append(source)
                table.append(o)
            else:
                others.append(o)
        sub = assessment.model_copy(
            update={"title": c.title, "question": c.question, "outcomes": table, "comparisons": [c]}
        )
        out.append(Part(c, sub, others))
    return out


def others_line(part: Part) -> str | None:
    """The comparison's outcomes not in its table, in words (None when every outcome is in it)."""
    if not part.others:
        return None
    items = []
    for o in part.others:
        _symbols, label = certainty_cells(o.certainty, o.provisional, o.certainty_ceiling)
        cert = label if o.form != "none" else "no studies"
        items.append(f"{o.name} ({o.importance}; {cert})")
    return (
        f"Also assessed for this comparison, not in the table (a Summary-of-Findings table holds at most "
        f"{MAX_OUTCOMES} critical or important outcomes): " + "; ".join(items)
    )


def after_table(part: Part) -> list[str]:
    """What each format prints after a comparison's table: the comparison's notes (from the file:
    escape them for the sink), then the outcomes not in the table."""
    lines = []
    if part.comparison is not None and part.comparison.notes:
        lines.append("Notes on this comparison: " + " ".join(part.comparison.notes.split()))
    line = others_line(part)
    if line:
        lines.append(line + ".")
    return lines


def comparison_ids(assessment: Assessment) -> list[str]:
    return [c.id for c in assessment.comparisons]
