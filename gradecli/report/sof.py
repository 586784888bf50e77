"""Cells of the Summary-of-Findings table, in words, shared by every renderer (Rich, Markdown,
HTML, CSV). Layout follows the Cochrane / GRADEpro convention (Cochrane Handbook v6.5, chapter 14:
Schünemann HJ et al., "Completing 'Summary of findings' tables and grading the certainty of the evidence")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from gradecli.formatting import fmt, fmt_ratio, higher_lower, more_fewer, per
from gradecli.grade.assessment import (
    DOMAIN_NAMES,
    AbsoluteEffect,
    Assessment,
    Disagreement,
    OutcomeAssessment,
    StratumAssessment,
    SubgroupAnalysis,
    Target,
)
from gradecli.model.vocab import Certainty
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
    stratum: StratumAssessment | None = None
    """Set on a baseline-risk sub-row: ``name`` is the stratum's label and risk."""
    strata: list[Row] = field(default_factory=list)
    """The outcome's baseline-risk sub-rows (listed when it has more than one stratum)."""


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


def _risks(a: AbsoluteEffect) -> tuple[str, str]:
    """The comparator and intervention cells of one assumed comparator risk."""
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
    return left, right


def _absolute(o: OutcomeAssessment, comparator: str) -> tuple[str, str]:
    e = o.effect
    if len(o.strata) > 1:
        return "", ""  # one sub-row per stratum
    if o.absolute:
        return _risks(o.absolute[0])
    rd = o.no_event_risk_difference
    if rd is not None:
        # no events: no ratio, but the risk difference and the risks per 1,000 exist
        unit = "per 1,000"
        left = f"{per(rd.comparator_risk * 1000)} {unit}" if rd.comparator_risk is not None else "—"
        mid = f"0 {unit}" if round(rd.estimate * 1000) == 0 else more_fewer(rd.estimate * 1000, unit)
        right = f"RD {mid}\n({more_fewer(rd.ci_lb * 1000, '')} to {more_fewer(rd.ci_ub * 1000, '')})"
        return left, right.replace(" )", ")").replace("  ", " ")
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
        if c is not None and c.instrument and c.instrument_difference is not None:
            # GRADE 13: the SMD re-expressed in a familiar instrument's units (SMD × its SD)
            units = c.instrument_units or ""
            lo, hi = higher_lower(c.instrument_difference_lb, units), higher_lower(c.instrument_difference_ub, units)
            right += f"\n= {higher_lower(c.instrument_difference, units)} on {c.instrument} ({lo} to {hi})"
            if c.comparator_mean is not None:
                left += f" ({c.instrument})"
        return left, right
    if o.measure in RATIO:
        return "—", "no assumed comparator risk"
    return "—", f"{o.measure} {fmt(e.estimate)} ({fmt(e.ci_lb)} to {fmt(e.ci_ub)})"


def level_name(c: Certainty) -> str:
    """'Moderate', 'Very low': a level in words, as in running text."""
    return c.value.replace("_", " ").capitalize()


def certainty_cells(certainty: Certainty | None, provisional: bool, ceiling: Certainty | None) -> tuple[str, str]:
    """The symbols and the label of a certainty cell. A provisional rating has no symbols: GRADE
    judges certainty over all domains, so it is 'Not yet rated', with the most it could be."""
    if provisional:
        return "", "Not yet rated" + (f" (at most {level_name(ceiling)})" if ceiling else "")
    if certainty is None:
        return "—", "not rated"
    return SYMBOLS[certainty], LABELS[certainty]


ITEM_NAMES = {**DOMAIN_NAMES, "certainty": "the certainty"}
RATING_WORDS = {"0": "not rated up", "1": "+1", "2": "+2"}


def disagreement_text(d: Disagreement) -> str:
    """'indirectness (alice: serious; bob: not serious)'; a study's: 'risk of bias of Smith 2020 (…)'."""
    what = f"risk of bias of {d.study}" if d.study is not None else ITEM_NAMES.get(d.item, d.item)
    ratings = "; ".join(f"{who}: {RATING_WORDS.get(r, r.replace('_', ' '))}" for who, r in d.ratings.items())
    return f"{what} ({ratings})"


def provisional_comment(missing: list[str], disagreements: Sequence[Disagreement] = ()) -> str:
    """'Provisional: risk of bias, indirectness not assessed.'; with reviewers who disagree without a
    consensus: 'Provisional: the reviewers disagree on indirectness (alice: serious; bob: not serious),
    no consensus yet.'"""
    disputed = {d.item for d in disagreements if d.study is None}
    parts = []
    unassessed = [d for d in missing if d not in disputed]
    if unassessed:
        parts.append(f"{', '.join(DOMAIN_NAMES.get(d, d) for d in unassessed)} not assessed")
    if disagreements:
        listed = ", ".join(disagreement_text(d) for d in disagreements)
        parts.append(f"the reviewers disagree on {listed}, no consensus yet")
    return f"Provisional: {'; '.join(parts)}."


def stratum_name(s: StratumAssessment) -> tuple[str, str]:
    """A stratum's label and risk: ('low risk', '20 per 1,000'); 'assumed risk' when it has no label."""
    return s.label or "assumed risk", f"{per(s.absolute.comparator)} per {s.absolute.per:,}"


def capitalise(text: str) -> str:
    """``text`` with its first letter upper case (the rest as written: 'HIV-positive' stays)."""
    return text[:1].upper() + text[1:]


def target_line(t: Target) -> str:
    """'Certainty rated for: …', then each threshold the rule set supplied ('; default: …')."""
    return t.methods_line + "".join(f"; default: {d}" for d in t.defaults_used)


def methods_line(o: OutcomeAssessment) -> str | None:
    """'Pain: random effects, REML. Certainty rated for: …', with each stratum's target and the
    thresholds the rule set supplied; None when there is neither an analysis nor a target."""
    parts: list[str] = []
    if o.effect is not None:
        how = o.effect.method or ("as reported" if o.effect.source == "summary" else "")
        # numerical caveats that change what the numbers mean (issue 9): a τ² iteration that did
        # not converge, a statistic beyond the floating-point range
        caveats = [
            w
            for w in o.effect.warnings
            if "did not converge" in w
            or "floating-point" in w
            or "share one control group" in w
            or "critical risk of bias" in w
        ]
        if o.with_critical is not None:  # beside the note that says they were left out
            at = next((i for i, w in enumerate(caveats) if "critical risk of bias" in w), None)
            if at is None:
                caveats.append(o.with_critical.note)
            else:
                caveats[at] += f"; sensitivity analysis {o.with_critical.note}"
        parts.append(how + "".join(f" ({w})" for w in caveats))
    targets = [("", o.target)]
    for s in o.strata if len(o.strata) > 1 else []:
        label, risk = stratum_name(s)
        targets.append((f"{capitalise(label)} ({risk}): ", s.target))
    for prefix, t in targets:
        if t is not None:
            parts.append(prefix + target_line(t))
    if o.subgroup is None:
        parts += [subgroup_line(sa, o.measure) for sa in o.subgroup_analyses]
    parts = [part for part in parts if part]
    return f"{o.name}: " + ". ".join(parts) if parts else None


def subgroup_line(sa: SubgroupAnalysis, measure: str | None) -> str:
    """'Subgroups by dose (a priori: …): high 0.80 (0.63 to 0.97; 3 studies), …; test for subgroup
    differences Chi² = 28.9, df = 1, p < 0.001; credibility not rated (ICEMAN): one row'."""
    show = fmt_ratio if measure in RATIO else fmt
    groups = []
    for g in sa.groups:
        n = f"{g.k} stud{'y' if g.k == 1 else 'ies'}"
        if g.estimate is None or g.ci_lb is None or g.ci_ub is None:
            groups.append(f"{g.name}: not estimable ({n})")
        else:
            groups.append(f"{g.name} {show(g.estimate)} ({show(g.ci_lb)} to {show(g.ci_ub)}; {n})")
    if sa.a_priori is None:
        why = "a priori or not: not recorded"
    else:
        why = "post hoc" if not sa.a_priori else f"a priori: {sa.hypothesis}" if sa.hypothesis else "a priori"
    if sa.q is not None and sa.p is not None:
        p = "p < 0.001" if sa.p < 0.001 else f"p = {sa.p:.3f}" if sa.p < 0.01 else f"p = {sa.p:.2f}"
        test = f"test for subgroup differences Chi² = {sa.q:.2f}, df = {sa.df}, {p}, I² = {sa.i2:.0f}%"
    else:
        test = "no test for subgroup differences"
    cred = sa.credibility.replace("_", " ") if sa.credibility else "not rated"
    rows = "one row per subgroup" if sa.separate_rows else "one row"
    return f"Subgroups by {sa.modifier} ({why}): {', '.join(groups)}; {test}; credibility {cred} (ICEMAN): {rows}"


def _relative(o: OutcomeAssessment) -> str:
    if o.not_pooled:
        if o.study_range is None:
            return "not pooled"
        name = "OR" if o.measure == "PETO_OR" else o.measure if o.measure != "GENERIC" else "estimates"
        show = fmt_ratio if o.measure in RATIO else fmt
        return f"not pooled:\n{name} {show(o.study_range[0])} to {show(o.study_range[1])}"
    e = o.effect
    if e is not None and e.estimate is None and o.measure in RATIO:
        return "not estimable"
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

    def letter(notes: list[str]) -> list[str]:
        """The footnote letters of ``notes``, one lettering for the whole table."""
        for note in notes:
            if note not in letter_of:
                letter_of[note] = chr(ord("a") + len(letter_of)) if len(letter_of) < 26 else f"n{len(letter_of)}"
                sof.footnotes.append((letter_of[note], note))
        return [letter_of[note] for note in notes]

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
        left, right = _absolute(o, comparator)
        comments = []
        nrd = o.no_event_risk_difference
        if o.not_pooled:
            n = o.effect.k if o.effect is not None else None
            comments.append(
                f"Not pooled (the review's choice){f': {n} studies' if n else ''}"
                + (f". {o.narrative.rstrip('.')}." if o.narrative else ".")
                + " Without a single estimate the domains are the reviewer's to judge (GRADE: Murad 2017)."
            )
        elif nrd is not None:
            comments.append(
                f"No events in either group of any study: the {o.measure} is not estimable; risk difference "
                f"pooled instead ({nrd.method}; 0.5 added to the cells for its variance)."
            )
        elif o.effect is None or o.effect.estimate is None:
            comments.append(
                "The source reports no result." if o.form == "summary" else f"Not estimable: {o.not_estimable}."
            )
        if o.continuous and o.continuous.smd_size:
            source = o.continuous.smd_size_source or "Cohen's rule of thumb, context-free"
            comments.append(f"An SMD of this size is {o.continuous.smd_size} ({source}).")
        if o.provisional:
            comments.append(provisional_comment(o.missing_domains, o.disagreements))
        for u in o.upgrades:
            if u.needs_confirmation and not u.levels and u.proposed_levels:
                name = DOMAIN_NAMES.get(u.domain, u.domain)
                comments.append(
                    f"Rating up proposed: +{u.proposed_levels} for {name} (needs the reviewer's confirmation)."
                )
        others = [d for d in o.not_assessed if d not in o.missing_domains]
        if others and o.computed_certainty is not None:
            # not needed for a rating (R10.8), but never silently "not serious"
            comments.append(f"Not assessed: {', '.join(DOMAIN_NAMES.get(d, d) for d in others)}.")
        strata = o.strata if len(o.strata) > 1 else []
        if strata:
            comments.append("Certainty: the least certain risk group's.")
        elif o.absolute and o.absolute[0].source:
            comments.append(f"Comparator risk: {o.absolute[0].source}.")
        row = Row(
            o,
            o.name,
            " · ".join(detail),
            left,
            right,
            _relative(o),
            _participants(o),
            *certainty_cells(o.certainty, o.provisional, o.certainty_ceiling),
            letter(o.footnotes),
            " ".join(comments),
        )
        sof.rows.append(row)
        if o.statement:
            sof.statements.append((o.name, o.statement))
        for s in strata:
            label, risk = stratum_name(s)
            row.strata.append(
                Row(
                    o,
                    f"{capitalise(label)}: {risk}",
                    "",
                    *_risks(s.absolute),
                    "",
                    "",
                    *certainty_cells(s.certainty, s.provisional, s.certainty_ceiling),
                    letter(s.footnotes),
                    f"Comparator risk: {s.source}." if s.source else "",
                    stratum=s,
                )
            )
            if s.statement:
                sof.statements.append((f"{o.name} — {label} ({risk})", s.statement))
        line = methods_line(o)
        if line:
            sof.analysis_lines.append(line)
    sof.abbreviations = ["CI: confidence interval"] + [ABBREVIATIONS[m] for m in sorted(measures) if m in ABBREVIATIONS]
    return sof
