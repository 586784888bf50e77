"""A priori subgroup hypotheses (effect modification; Core GRADE 3, GRADE 7, ICEMAN).

For each hypothesis an outcome records, every subgroup is pooled on its own — with the outcome's
analysis, exactly as it would be as a row of its own — and the subgroups are compared with the test
for subgroup differences (:mod:`gradecli.stats.subgroups`). gradecli shows the facts that bear on
ICEMAN's items (Schandelmaier S et al., CMAJ 2020;192:E901–E906): whether the comparison is within
or between trials, the trials in each subgroup, the interaction p, the model, whether the direction
was stated a priori and how many hypotheses were tested. It never rates credibility itself: the
reviewer does (``iceman.credibility``). A hypothesis the reviewer rates of moderate or high
credibility splits the outcome into one row per subgroup, each with its own pooling, domains and
certainty (Core GRADE 3: a credible subgroup effect gives separate Summary-of-Findings rows);
otherwise the outcome stays one row and, where inconsistency is rated down, its facts say that no
credible subgroup explains it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.grade.assessment import Proposal, SubgroupAnalysis, SubgroupEstimate, SubgroupRow
from gradecli.model.evidence import ContinuousRow, DichotomousRow, GenericRow, Judgements, Outcome, SubgroupGroup
from gradecli.model.vocab import Model

if TYPE_CHECKING:
    from gradecli.model.evidence import Evidence, SubgroupHypothesis

Row = DichotomousRow | ContinuousRow | GenericRow
CREDIBLE = ("moderate", "high")
ICEMAN_APPLIES_BELOW = 0.10
"""ICEMAN assesses a suggested effect modification: an interaction p below 0.1 (its preliminary considerations)."""

ITEMS = (
    "within_trial",
    "similar_across_trials",
    "many_trials",
    "direction_a_priori",
    "chance_unlikely",
    "few_modifiers",
    "random_effects",
    "no_arbitrary_cut_points",
)


def _label(row: Row) -> str:
    return f"{row.study} ({row.label})" if row.label else row.study


def rows_of(outcome: Outcome, group: SubgroupGroup) -> list[Row]:
    """The outcome's rows in a subgroup, in file order (a member names a study's rows or one row)."""
    names = set(group.studies)
    return [r for r in outcome.data or [] if _label(r) in names or r.study in names]


def _pool(evidence: Evidence, outcome: Outcome, rows: list[Row]) -> tuple[SubgroupEstimate, tuple[float, float] | None]:
    from gradecli.grade.context import build_context

    part = outcome.model_copy(update={"data": rows, "subgroups": []})
    ctx = build_context(evidence, part, egger=False)
    studies = list(dict.fromkeys(r.study for r in rows))
    e = ctx.effect
    p = ctx.pooled
    est = SubgroupEstimate(
        name="",
        studies=studies,
        k=ctx.k if ctx.k is not None else len(studies),
        participants=ctx.participants,
        estimate=e.estimate if e is not None else None,
        ci_lb=e.lo if e is not None else None,
        ci_ub=e.hi if e is not None else None,
        i2=ctx.i2,
        not_estimable=ctx.not_estimable,
    )
    on_scale = (p.estimate, p.se) if p is not None and p.se > 0 else None
    return est, on_scale


def analyse(evidence: Evidence, outcome: Outcome) -> list[SubgroupAnalysis]:
    """Every subgroup hypothesis of the outcome, analysed (in file order)."""
    from gradecli.grade.context import effective_analysis
    from gradecli.stats.subgroups import subgroup_differences

    if not outcome.subgroups or not outcome.data:
        return []
    analysis = effective_analysis(evidence, outcome, outcome.effective_measure)
    out: list[SubgroupAnalysis] = []
    chosen = False
    for hyp in outcome.subgroups:
        groups: list[SubgroupEstimate] = []
        scale: list[tuple[float, float]] = []
        member_of: dict[str, set[str]] = {}
        placed: set[str] = set()
        for group in hyp.groups:
            rows = rows_of(outcome, group)
            if not rows:
                continue
            est, on = _pool(evidence, outcome, rows)
            groups.append(est.model_copy(update={"name": group.name}))
            if on is not None:
                scale.append(on)
            for r in rows:
                member_of.setdefault(r.study, set()).add(group.name)
                placed.add(_label(r))
        unassigned = [_label(r) for r in outcome.data if _label(r) not in placed]
        test = None
        why_no_test = ""
        if len(scale) >= 2 and len(scale) == len(groups):
            test = subgroup_differences([y for y, _ in scale], [s for _, s in scale])
        elif len(groups) < 2:
            why_no_test = "fewer than two subgroups have studies in this body of evidence"
        else:
            why_no_test = "a subgroup gives no pooled estimate"
        counts = [len(m) for m in member_of.values()]
        comparison = (
            "within_trials"
            if counts and all(c >= 2 for c in counts)
            else "between_trials"
            if all(c == 1 for c in counts)
            else "mixed"
        )
        iceman = hyp.iceman
        answers = {item: str(getattr(iceman, item)) for item in ITEMS if iceman and getattr(iceman, item)}
        credibility = iceman.credibility if iceman else None
        split = credibility in CREDIBLE and len(groups) >= 2 and not chosen
        chosen = chosen or split
        facts = _facts(hyp, groups, test, why_no_test, comparison, analysis.model, len(outcome.subgroups))
        if credibility is None:
            facts.append("credibility not rated by the reviewer (iceman.credibility): the outcome stays one row")
        elif credibility in CREDIBLE and not split:
            facts.append(
                "rated credible, but another hypothesis already splits this outcome's rows"
                if len(groups) >= 2
                else "rated credible, but fewer than two of its subgroups have studies here: one row"
            )
        elif split:
            facts.append(f"credibility {credibility.replace('_', ' ')} (the reviewer, ICEMAN): one row per subgroup")
        else:
            facts.append(
                f"credibility {credibility.replace('_', ' ')} (the reviewer, ICEMAN): the outcome stays one row"
            )
        out.append(
            SubgroupAnalysis(
                id=hyp.id,
                modifier=hyp.modifier,
                hypothesis=hyp.hypothesis,
                a_priori=hyp.a_priori,
                groups=groups,
                q=test.q if test else None,
                df=test.df if test else None,
                p=test.p if test else None,
                i2=test.i2 if test else None,
                comparison=comparison,
                unassigned=unassigned,
                iceman=answers,
                credibility=credibility,
                credibility_reason=iceman.reason if iceman else None,
                separate_rows=split,
                facts=facts,
            )
        )
    return out


def _facts(
    hyp: SubgroupHypothesis,
    groups: list[SubgroupEstimate],
    test: object,
    why_no_test: str,
    comparison: str,
    model: Model | None,
    n_hypotheses: int,
) -> list[str]:
    from gradecli.stats.subgroups import SubgroupDifferences

    facts = []
    if isinstance(test, SubgroupDifferences):
        facts.append(
            f"test for subgroup differences: Chi² = {test.q:.2f}, df = {test.df}, {p_text(test.p)}, I² = {test.i2:.0f}%"
        )
        facts.append(
            "p < 0.10: a suggested effect modification (ICEMAN applies)"
            if test.p < ICEMAN_APPLIES_BELOW
            else "p ≥ 0.10: no suggestion of effect modification (ICEMAN does not apply)"
        )
    else:
        facts.append(f"no test for subgroup differences: {why_no_test}")
    sizes = ", ".join(f"{g.name} {g.k}" for g in groups)
    facts.append(
        {
            "within_trials": "a comparison within trials (every study reports each of its subgroups)",
            "between_trials": "a comparison between trials (each study in one subgroup): open to study-level "
            "confounding",
            "mixed": "a comparison partly within and partly between trials",
        }[comparison]
        + f"; studies per subgroup: {sizes}"
    )
    facts.append("random-effects model" if model is Model.random else "fixed-effect model")
    if hyp.a_priori is None:
        facts.append("not recorded whether the hypothesis was stated a priori (a_priori), nor its direction")
    elif not hyp.a_priori:
        facts.append("a post hoc hypothesis (a_priori: false)")
    elif hyp.hypothesis:
        facts.append(f"stated a priori with its direction: {hyp.hypothesis}")
    else:
        facts.append("stated a priori without a direction (hypothesis)")
    facts.append(f"{n_hypotheses} subgroup hypothes{'is' if n_hypotheses == 1 else 'es'} recorded for this outcome")
    return facts


def p_text(p: float) -> str:
    """'p < 0.001', 'p = 0.004', 'p = 0.04'."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def split(outcome: Outcome, analyses: list[SubgroupAnalysis]) -> list[tuple[Outcome, SubgroupRow]]:
    """One outcome per subgroup of the credible hypothesis that splits the rows; [] when none does."""
    found = next((a for a in analyses if a.separate_rows), None)
    if found is None:
        return []
    hyp = next(h for h in outcome.subgroups if h.id == found.id)
    out = []
    for g, group in enumerate(hyp.groups):
        rows = rows_of(outcome, group)
        if not rows:
            continue
        judgements = _merge(outcome.judgements, group.judgements)
        part = outcome.model_copy(
            update={
                "id": f"{outcome.id}-{hyp.id}-{g + 1}",
                "name": f"{outcome.name} — {hyp.modifier}: {group.name}",
                "data": rows,
                "subgroups": [],
                "judgements": judgements,
            }
        )
        assert found.credibility is not None
        out.append((part, SubgroupRow(hypothesis=hyp.id, modifier=hyp.modifier, group=group.name, p=found.p,
                                      credibility=found.credibility)))  # fmt: skip
    return out


def _merge(outcome: Judgements, own: Judgements | None) -> Judgements:
    if own is None:
        return outcome
    given = {k: getattr(own, k) for k in own.model_fields_set if getattr(own, k) is not None}
    return outcome.model_copy(update=given)


def footnote(row: SubgroupRow, analysis: SubgroupAnalysis) -> str:
    test = f"test for subgroup differences {p_text(row.p)}" if row.p is not None else "no test for subgroup differences"
    why = f": {analysis.credibility_reason.rstrip('.')}" if analysis.credibility_reason else ""
    return (
        f"Subgroup ({row.modifier}: {row.group}) of a credible effect modification — {test}; credibility "
        f"{row.credibility.replace('_', ' ')} (ICEMAN, the reviewer's judgment){why}."
    )


def on_inconsistency(proposal: Proposal, analyses: list[SubgroupAnalysis]) -> Proposal:
    """Where inconsistency is rated down and the outcome stays one row, say that no recorded subgroup
    hypothesis is credible enough to explain it (R4.5: rate down only when unexplained)."""
    if not analyses or proposal.rating is None or proposal.rating.value == "not_serious":
        return proposal
    parts = []
    for a in analyses:
        p = f"interaction {p_text(a.p)}" if a.p is not None else "no test"
        cred = a.credibility.replace("_", " ") if a.credibility else "not rated"
        parts.append(f"{a.modifier} ({p}; credibility {cred})")
    text = "no credible a priori subgroup explains it: " + "; ".join(parts)
    why = proposal.explanation
    if why:
        why = f"{why.rstrip('.')}; no credible a priori subgroup explains it (ICEMAN)"
    return proposal.model_copy(
        update={"facts": [*proposal.facts, text], "path": [*proposal.path, text], "explanation": why}
    )
