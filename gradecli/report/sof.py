"""Cells of the Summary-of-Findings table, in words, shared by every renderer (Rich, Markdown,
HTML, CSV). Layout follows the Cochrane / GRADEpro convention (Cochrane Handbook v6.5, chapter 14:
Schünemann HJ et al., "Completing 'Summary of findings' tables and grading the certainty of the evidence")."""

from __future__ import annotations

from dataclasses import dataclass, field

from gradecli.formatting import fmt, fmt_ratio, higher_lower, more_fewer, per
from gradecli.grade.assessment import DOMAIN_NAMES, Assessment, OutcomeAssessment
from gradecli.numeric import RATIO_CODES
from gradecli.report.text import LABELS, SYMBOLS

RATIO = RATIO_CODES
ABBREVIATIONS = {
    "RR": "RR: risk ratio",
    "OR": "OR: odds ratio",
    "PETO_OR": "OR: Peto odds ratio",
    "HR": "HR: hazard ratio",
    "RD": "RD: risk difference",
    "MD": "MD: mean difference",
    "SMD": "SMD: standardised mean difference",
}
DEFINITIONS = [
    ("High", "we are very confident that the true effect lies close to that of the estimate of the effect."),
    (
        "Moderate",
        "we are moderately confident in the effect estimate: the true effect is likely to be close "
        "to the estimate, but there is a possibility that it is substantially different.",
    ),
    (
        "Low",
        "our confidence in the effect estimate is limited: the true effect may be substantially "
        "different from the estimate.",
    ),
    (
        "Very low",
        "we have very little confidence in the effect estimate: the true effect is likely to be "
        "substantially different from the estimate.",
    ),
]


@dataclass
class Row:
    outcome: OutcomeAssessment
    name: str
    detail: str
    comparator: str
    intervention: str
    relative: str
    participants: str
    certainty_symbol: str
    certainty_label: str
    letters: list[str]
    comments: str
    no_studies: bool = False


@dataclass
class Sof:
    title: str
    question_lines: list[str]
    comparator_name: str
    intervention_name: str
    rows: list[Row]
    footnotes: list[tuple[str, str]] = field(default_factory=list)
    statements: list[tuple[str, str]] = field(default_factory=list)
    abbreviations: list[str] = field(default_factory=list)
    analysis_lines: list[str] = field(default_factory=list)
    rules: str = ""
    version: str = ""


def _participants(o: OutcomeAssessment) -> str:
    e = o.effect
    if e is None:
        return "not reported"
    n = f"{e.participants:,}" if e.participants is not None else "not reported"
    if e.k is None:
        return n
    return f"{n} ({e.k} stud{'y' if e.k == 1 else 'ies'})"


def _absolute(o: OutcomeAssessment, comparator: str) -> tuple[str, str]:
    e = o.effect
    if o.absolute:
        a = o.absolute[0]
        unit = f"per {a.per:,}"
        left = f"{per(a.comparator)} {unit}"
        if a.intervention is None:
            return left, "—"
        right = (
            (
                f"{per(a.intervention)} {unit} ({per(a.intervention_lb)} to {per(a.intervention_ub)})\n"
                f"{more_fewer(a.difference, unit)} ({more_fewer(a.difference_lb, '')} to "
                f"{more_fewer(a.difference_ub, '')})"
            )
            .replace("  ", " ")
            .replace(" )", ")")
        )
        if len(o.absolute) > 1:
            right += f"\n(+{len(o.absolute) - 1} more risk group{'s' if len(o.absolute) > 2 else ''}: see JSON)"
        return left, right
    if e is None or e.estimate is None:
        return "—", "—"
    if o.continuous is not None or o.measure in ("MD", "SMD"):
        c = o.continuous
        left = f"The mean was {fmt(c.comparator_mean)}" if c and c.comparator_mean is not None else "—"
        unit = "SD" if o.measure == "SMD" else ""
        name = o.measure if o.measure != "GENERIC" else "Difference"
        right = (
            f"{name} {higher_lower(e.estimate, unit)}\n({higher_lower(e.ci_lb, unit)} to {higher_lower(e.ci_ub, unit)})"
        )
        return left, right
    if o.measure in RATIO:
        return "—", "no assumed comparator risk"
    return "—", f"{o.measure} {fmt(e.estimate)} ({fmt(e.ci_lb)} to {fmt(e.ci_ub)})"


def _relative(o: OutcomeAssessment) -> str:
    e = o.effect
    if e is None or e.estimate is None or o.measure not in RATIO:
        return "—"
    name = "OR" if o.measure == "PETO_OR" else o.measure
    return f"{name} {fmt_ratio(e.estimate)}\n({fmt_ratio(e.ci_lb)} to {fmt_ratio(e.ci_ub)})"


def build(assessment: Assessment) -> Sof:
    q = assessment.question
    lines = []
    if q and q.population:
        lines.append(f"Population: {q.population}" + (f" · Setting: {q.setting}" if q.setting else ""))
    if q and q.intervention:
        lines.append(f"Intervention: {q.intervention} · Comparison: {q.comparison}")
    comparator = q.comparison if q and q.comparison else "comparator"
    intervention = q.intervention if q and q.intervention else "intervention"
    sof = Sof(
        assessment.title,
        lines,
        comparator,
        intervention,
        [],
        rules=assessment.rules,
        version=assessment.gradecli_version,
    )
    letter_of: dict[str, str] = {}
    measures: set[str] = set()
    for o in assessment.outcomes:
        detail = []
        if o.scale:
            detail.append(o.scale)
        if o.follow_up:
            detail.append(f"follow-up: {o.follow_up}")
        if o.form == "none":
            sof.rows.append(
                Row(
                    o,
                    o.name,
                    " · ".join(detail),
                    "",
                    "No studies reported this outcome.",
                    "",
                    "",
                    "",
                    "",
                    [],
                    "",
                    no_studies=True,
                )
            )
            continue
        measures.add(o.measure or "")
        letters = []
        for note in o.footnotes:
            if note not in letter_of:
                letter_of[note] = chr(ord("a") + len(letter_of)) if len(letter_of) < 26 else f"n{len(letter_of)}"
                sof.footnotes.append((letter_of[note], note))
            letters.append(letter_of[note])
        left, right = _absolute(o, comparator)
        comments = []
        if o.effect is None or o.effect.estimate is None:
            comments.append(
                "The source reports no result." if o.form == "summary" else f"Not estimable: {o.not_estimable}."
            )
        if o.continuous and o.continuous.smd_size:
            comments.append(f"An SMD of this size is {o.continuous.smd_size} (Cohen's rule of thumb).")
        if o.not_assessed and o.certainty is not None:
            missing = ", ".join(DOMAIN_NAMES[d] for d in o.not_assessed)
            comments.append(f"Provisional: {missing} not assessed.")
        if o.absolute and o.absolute[0].source:
            comments.append(f"Comparator risk: {o.absolute[0].source}.")
        sym = SYMBOLS[o.certainty] if o.certainty else "—"
        label = LABELS[o.certainty] if o.certainty else "not rated"
        sof.rows.append(
            Row(
                o,
                o.name,
                " · ".join(detail),
                left,
                right,
                _relative(o),
                _participants(o),
                sym,
                label,
                letters,
                " ".join(comments),
            )
        )
        if o.statement:
            sof.statements.append((o.name, o.statement))
        if o.effect is not None:
            how = o.effect.method or ("as reported" if o.effect.source == "summary" else "")
            # numerical caveats that change what the numbers mean (issue 9): a τ² iteration that did
            # not converge, a statistic beyond the floating-point range
            caveats = [w for w in o.effect.warnings if "did not converge" in w or "floating-point" in w]
            sof.analysis_lines.append(f"{o.name}: {how}" + "".join(f" ({w})" for w in caveats))
    sof.abbreviations = ["CI: confidence interval"] + [ABBREVIATIONS[m] for m in sorted(measures) if m in ABBREVIATIONS]
    return sof
