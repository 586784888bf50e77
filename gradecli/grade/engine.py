"""The GRADE engine: for each outcome, propose a rating for every domain, apply the reviewer's
judgments, derive the certainty, and write a footnote for every change of level.

Certainty (GRADE guidelines 3, Balshem H et al., J Clin Epidemiol 2011;64:401–406; GRADE guidelines 9,
Guyatt GH et al., J Clin Epidemiol 2011;64:1311–1316): start High for randomised trials (and for non-randomised
studies assessed with ROBINS-I), Low for other non-randomised evidence; subtract the levels rated
down; add the levels rated up (proposed only when nothing was rated down, GRADE 9, and applied
once the reviewer confirms them); clamp to [very low, high]. A rating stays provisional while risk
of bias, imprecision or indirectness is not assessed.
A rule set may convert downgrade points with a table instead (published algorithms do). The
reviewer may set the final level with a reason (GRADE 11: the final rating may depart from the sum).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from gradecli import __version__
from gradecli.grade import record, subgroups
from gradecli.grade.absolute import absolute_effects, continuous_effect
from gradecli.grade.assessment import (
    DOMAIN_NAMES,
    DOMAINS,
    LEVELS,
    RATING_LEVELS,
    Assessment,
    ComparisonRecord,
    DomainAssessment,
    Effect,
    NoEventRiskDifference,
    OutcomeAssessment,
    Proposal,
    Question,
    Sensitivity,
    StratumAssessment,
    SubgroupAnalysis,
    UpgradeAssessment,
    clamp_level,
)
from gradecli.grade.context import OutcomeContext, build_context, describe_analysis
from gradecli.grade.domains import MODULES
from gradecli.grade.domains import upgrades as upgrade_rules
from gradecli.grade.rulechoice import choose_rules
from gradecli.grade.ruleset import RuleSet, load_ruleset
from gradecli.grade.scale import Scale, judging_scale
from gradecli.grade.statements import statement
from gradecli.model.evidence import DomainJudgement, Evidence, Outcome, Study
from gradecli.model.evidence import Question as QuestionIn
from gradecli.model.vocab import Certainty, Design

WORDS = {1: "one level", 2: "two levels", 3: "three levels"}


def assess(evidence: Evidence, rules: RuleSet | str | None = None) -> Assessment:
    """Assess every outcome of an evidence file under a rule set (name, path or RuleSet)."""
    ruleset = rules if isinstance(rules, RuleSet) else load_ruleset(choose_rules(rules, evidence, None).ref)
    resolution = None
    as_written = evidence  # before the consensus is applied: the proposals' record compares with it
    if evidence.reviewers or evidence.reviewer_judgements or evidence.consensus:
        from gradecli.grade import reviewers

        resolution = reviewers.resolve(evidence)
        evidence = reviewers.applied(evidence, resolution)
    if not evidence.comparisons:
        outcomes = [a for o in evidence.outcomes for a in assess_bodies(evidence, o, ruleset)]
    else:
        # each outcome is assessed under its comparison's question (its statements name that
        # comparison's intervention); the studies are the review's, shared by every comparison
        views: dict[str, Evidence] = {}
        outcomes = []
        for o in evidence.outcomes:
            comp = evidence.comparison_of(o)
            assert comp is not None  # the cross-checks refuse an outcome without one
            view = views.get(comp.id)
            if view is None:
                question_c = comp.question or evidence.review.question
                view = views[comp.id] = evidence.model_copy(
                    update={"review": evidence.review.model_copy(update={"question": question_c})}
                )
            outcomes += [a.model_copy(update={"comparison": comp.id}) for a in assess_bodies(view, o, ruleset)]
    extra: dict[str, object] = {}
    if resolution is not None:
        from gradecli.grade.review_record import with_reviews

        outcomes, extra = with_reviews(as_written, resolution, outcomes)
    return Assessment(
        **extra,
        gradecli_version=__version__,
        rules=ruleset.name,
        title=evidence.review.title,
        doi=evidence.review.doi,
        question=_question(evidence.review.question),
        outcomes=outcomes,
        studies=record.studies(evidence),
        comparisons=[
            ComparisonRecord(
                id=c.id,
                title=c.title or _title(c.question, evidence.review.title),
                question=_question(c.question),
                notes=c.notes,
            )
            for c in evidence.comparisons
        ],
    )


def _question(q: QuestionIn | None) -> Question | None:
    return Question(**q.model_dump(exclude={"intervention_number"})) if q else None


def _title(q: QuestionIn | None, review_title: str) -> str:
    """A comparison's table title from its question, as GRADE's SoF tables word it."""
    if q is None:
        return review_title
    title = f"{q.intervention} compared with {q.comparison}"
    return title + (f" for {q.population}" if q.population else "")


BODIES = {Design.rct: ("rct", "randomised trials"), Design.nrsi: ("nrsi", "non-randomised studies")}


def assess_bodies(evidence: Evidence, outcome: Outcome, rules: RuleSet) -> list[OutcomeAssessment]:
    """One assessment per body of evidence: randomised and non-randomised studies in one outcome are
    never pooled into one number (GRADE 24, Cuello-Garcia CA et al., J Clin Epidemiol
    2022;142:200–208; Cochrane Handbook ch. 24) — the outcome is split into two rows, each with its own
    start, pooling and rating, ids ``<id>-rct`` and ``<id>-nrsi``."""
    rows = outcome.data or []
    design_of = {r.study: s.design for r in rows if (s := evidence.study(r.study)) is not None}
    if len(set(design_of.values())) < 2:
        return assess_subgroups(evidence, outcome, rules)
    out = []
    for design, (code, words) in BODIES.items():
        part = [r for r in rows if design_of.get(r.study) is design]
        body = outcome.model_copy(
            update={"id": f"{outcome.id}-{code}", "name": f"{outcome.name} ({words})", "data": part}
        )
        out += [
            a.model_copy(update={"body": code, "source_id": outcome.id})
            for a in assess_subgroups(evidence, body, rules)
        ]
    return out


def assess_subgroups(evidence: Evidence, outcome: Outcome, rules: RuleSet) -> list[OutcomeAssessment]:
    """The outcome with its a priori subgroup hypotheses analysed; one row per subgroup when the
    reviewer rates one of them credible (ICEMAN moderate or high; Core GRADE 3), else one row."""
    analyses = subgroups.analyse(evidence, outcome)
    parts = subgroups.split(outcome, analyses)
    if not parts:
        return [assess_outcome(evidence, outcome, rules, analyses)]
    found = next(a for a in analyses if a.separate_rows)
    out = []
    for part, row in parts:
        a = assess_outcome(evidence, part, rules)
        note = subgroups.footnote(row, found)
        out.append(
            a.model_copy(
                update={
                    "subgroup": row,
                    "source_id": outcome.id,
                    "subgroup_analyses": analyses,
                    "footnotes": [*a.footnotes, note] if a.computed_certainty is not None else a.footnotes,
                }
            )
        )
    return out


def start_level(ctx: OutcomeContext, rules: RuleSet | None = None) -> tuple[Certainty, str]:
    ev, outcome = ctx.evidence, ctx.outcome
    if outcome.summary is not None and outcome.summary.design is not None:
        # a published result states its own design: it never borrows the file's other studies'
        d = outcome.summary.design
        if d == "rct":
            return Certainty.high, "randomised trials (as the summary states)"
        if d == "mixed":
            return Certainty.low, (
                "randomised and non-randomised studies pooled in the source (GRADE 24: they are assessed "
                "separately; rated from Low)"
            )
        if rules is not None and rules.certainty.nrsi_start == "low":
            return Certainty.low, f"non-randomised studies (the rule set {rules.name} starts them Low)"
        return Certainty.low, "non-randomised studies (a summary carries no ROBINS-I assessment to start High)"
    studies = [ev.study(s) for s in dict.fromkeys(ctx.study_ids)] if outcome.form == "studies" else list(ev.studies)
    designs = [s for s in studies if s is not None]
    if outcome.form == "summary":
        if len({s.design for s in designs}) != 1:
            return Certainty.high, "randomised trials assumed: the summary states no design (give summary.design)"
        level, why = _start_from(designs, rules)
        return level, f"{why}, taken from the file's studies: the summary states no design (give summary.design)"
    return _start_from(designs, rules)


def _start_from(designs: list[Study], rules: RuleSet | None) -> tuple[Certainty, str]:
    if not designs:
        return Certainty.high, "randomised trials assumed (no study designs given for this outcome)"
    nrsi = [s for s in designs if s.design is Design.nrsi]
    if not nrsi:
        return Certainty.high, "randomised trials"
    if rules is not None and rules.certainty.nrsi_start == "low":
        return (
            Certainty.low,
            f"non-randomised studies (the rule set {rules.name} starts them Low, as Core GRADE 4 does)",
        )
    if all(s.risk_of_bias is not None and s.risk_of_bias.tool == "robins-i" for s in nrsi):
        return Certainty.high, "non-randomised studies assessed with ROBINS-I (GRADE 18)"
    return Certainty.low, "non-randomised studies"


def _effect(ctx: OutcomeContext) -> Effect | None:
    e = ctx.effect
    if e is None:
        if ctx.outcome.form == "studies" and ctx.k:
            # not estimable, but studies reported it: the table still counts them (and their participants)
            return Effect(
                measure=ctx.measure.value,
                estimate=None,
                ci_lb=None,
                ci_ub=None,
                source="pooled",
                method="not pooled" if ctx.not_pooled else describe_analysis(ctx.analysis),
                k=ctx.k,
                participants=ctx.participants,
                warnings=list(ctx.analysis_notes),
            )
        return None
    pooled = ctx.pooled
    if pooled is None:
        return Effect(
            measure=ctx.measure.value,
            estimate=e.estimate,
            ci_lb=e.lo,
            ci_ub=e.hi,
            source="summary",
            method="as reported",
            k=ctx.k,
            participants=ctx.participants,
            i2=ctx.i2,
        )
    from gradecli.grade.context import _exp

    pi_lb, pi_ub = pooled.pi_lb, pooled.pi_ub
    if ctx.is_ratio:
        pi_lb, pi_ub = _exp(pi_lb), _exp(pi_ub)
        if pi_lb is None or pi_ub is None:  # a limit beyond the float range: no interval to show
            pi_lb = pi_ub = None
    return Effect(
        measure=ctx.measure.value,
        estimate=e.estimate,
        ci_lb=e.lo,
        ci_ub=e.hi,
        source="pooled",
        method=describe_analysis(ctx.analysis),
        k=ctx.k if ctx.k is not None else pooled.k,  # studies, not rows (a split multi-arm control)
        participants=ctx.participants,
        i2=pooled.i2 if pooled.k > 1 else None,
        tau2=pooled.tau2,
        q_p=pooled.q_p if pooled.k > 1 else None,
        pi_lb=pi_lb,
        pi_ub=pi_ub,
        egger_p=pooled.egger_p,
        weights={label: round(w, 10) for label, w in pooled.weights},
        warnings=[*pooled.warnings, *ctx.analysis_notes],
    )


def _footnote(domain: str, levels: int, why: str | None, rule: str | None, judged: bool) -> str:
    who = "reviewer's judgment" if judged else f"rule {rule}"
    text = f"{DOMAIN_NAMES[domain].capitalize()}, downgraded {WORDS.get(levels, f'{levels} levels')} ({who})"
    return f"{text}: {why}." if why else f"{text}."


def _domain(
    ctx: OutcomeContext,
    name: str,
    rules: RuleSet,
    scale: Scale | None,
    analyses: list[SubgroupAnalysis] | None = None,
) -> DomainAssessment:
    proposal: Proposal = MODULES[name].propose(ctx, rules, scale)
    if name == "inconsistency" and analyses:
        proposal = subgroups.on_inconsistency(proposal, analyses)
    return _judged(name, proposal, getattr(ctx.outcome.judgements, name))


def _judged(
    name: str, proposal: Proposal, judged: DomainJudgement | None, label: str | None = None
) -> DomainAssessment:
    """The domain's assessment: the reviewer's judgment when there is one, else the proposal."""
    where = f"At {label}: " if label else ""
    if judged is not None:
        rating = judged.rating
        status = "judged" if proposal.rating is None else ("confirmed" if rating == proposal.rating else "overridden")
        levels = RATING_LEVELS[rating]
        note = where + _footnote(name, levels, judged.reason.rstrip("."), None, True) if levels else None
        return DomainAssessment(
            domain=name,
            proposal=proposal,
            rating=rating,
            levels=levels,
            status=status,
            reviewer_reason=judged.reason,
            footnote=note,
        )
    if proposal.rating is None:
        return DomainAssessment(domain=name, proposal=proposal, rating=None, levels=0, status="not_assessed")
    levels = RATING_LEVELS[proposal.rating]
    status = "proposed" if proposal.applicable else "not_applicable"
    why = proposal.explanation
    if levels and proposal.needs_confirmation:
        why = f"{(why or '').rstrip('.')} (a proposal the reviewer must confirm)"
    note = where + _footnote(name, levels, why, proposal.rule, False) if levels else None
    return DomainAssessment(
        domain=name, proposal=proposal, rating=proposal.rating, levels=levels, status=status, footnote=note
    )


def _upgrades(
    ctx: OutcomeContext, rules: RuleSet, start: Certainty, points: int, domains: list[DomainAssessment]
) -> list[UpgradeAssessment]:
    """The three reasons to rate up, asked for a non-randomised body of evidence. UP-LARGE's rating
    up is a proposal only: it counts once the reviewer confirms it in ``judgements.large_effect``
    (levels and a reason: GRADE 9 asks for no plausible confounders); UP-JUDGED only prompts. The
    reviewer's levels always count."""
    nrsi = upgrade_rules.non_randomised(ctx, start)
    found = []
    for name in ("large_effect", "dose_response", "residual_confounding"):
        answer, rule, ran = None, None, False
        if nrsi and name == "large_effect":
            rule = "UP-LARGE"
            answer = upgrade_rules.large_effect(ctx, rules, domains)
            ran = answer is not None and rules.enabled("UP-LARGE")  # it proposed, possibly "no rating up"
            if answer is None:
                measure = ctx.measure.value
                why = f"UP-LARGE judges a ratio with its 95% CI only ({measure} here): the reviewer's judgment"
                answer = upgrade_rules.UpgradeProposal(0, (why,))
        elif nrsi:
            rule, answer = "UP-JUDGED", upgrade_rules.prompt(ctx, name)
        proposed = answer.levels if answer is not None else 0
        judged = getattr(ctx.outcome.judgements, name)
        if judged is not None:
            status = ("confirmed" if judged.levels == proposed else "overridden") if ran else "judged"
            levels, reason = judged.levels, judged.reason
        else:
            status, levels, reason = ("proposed" if ran else "not_assessed"), 0, None
        found.append((name, answer, rule, proposed, status, levels, reason))
    applied = sum(levels for *_, levels, _ in found)
    out = []
    for name, answer, rule, proposed, status, levels, reason in found:
        facts = list(answer.facts) if answer is not None else []
        path = list(answer.path) if answer is not None else []
        if proposed and status == "proposed":
            now, then = (
                _convert(rules, start, points, up).value.replace("_", " ").upper()
                for up in (applied, applied + proposed)
            )
            change = f"{now} → {then}" if then != now else f"{now} stays {now} (the highest level)"
            facts.append(
                f"{change} once the reviewer confirms no plausible confounders would explain the effect "
                f"(judgements.{name}: levels {proposed} and a reason); until then it is not rated up"
            )
        elif proposed and status == "confirmed":
            path.append("confirmed by the reviewer")
        note = None
        if levels:
            who = f"rule {rule}, confirmed by the reviewer" if status == "confirmed" else "reviewer's judgment"
            why = reason.rstrip(".") if reason else "; ".join(facts)
            note = f"{DOMAIN_NAMES[name].capitalize()}, upgraded {WORDS[levels]} ({who}): {why}."
        out.append(
            UpgradeAssessment(
                domain=name,
                proposed_levels=proposed,
                levels=levels,
                status=status,
                rule=rule,
                facts=facts,
                reviewer_reason=reason,
                footnote=note,
                needs_confirmation=proposed > 0,
                path=path,
            )
        )
    return out


def _convert(rules: RuleSet, start: Certainty, points: int, up: int) -> Certainty:
    c = rules.certainty
    if c.conversion == "table" and c.table:
        for step in sorted(c.table, key=lambda s: s.max_points):
            if points <= step.max_points:
                level = step.level
                break
        else:
            level = Certainty.very_low
        offset = LEVELS.index(Certainty.high) - LEVELS.index(start)
        return clamp_level(level, offset - up)
    return clamp_level(start, points - up)


def _sensitivity(ctx: OutcomeContext, scale: Scale | None) -> Sensitivity | None:
    """Re-pool with only the studies at low risk of bias (Core GRADE 4): the analysis ROB-WEIGHT
    sets against the pooled estimate (:func:`gradecli.grade.rules.rob_weight.low_risk_analysis`)."""
    from gradecli.grade.domains.risk_of_bias import low_risk_analysis

    return low_risk_analysis(ctx, scale)


def _with_critical(ctx: OutcomeContext, scale: Scale | None, full: Outcome) -> Sensitivity | None:
    """The analysis the primary one is not: with the studies at critical risk of bias (ROBINS-I)."""
    from gradecli.grade.rules.rob_weight import estimate_text, sensitivity
    from gradecli.model.evidence import Analysis

    if not ctx.excluded_critical:
        return None
    analysis = (full.analysis or Analysis()).model_copy(update={"critical_risk_of_bias": "include"})
    wide = build_context(ctx.evidence, full.model_copy(update={"analysis": analysis}), egger=False)
    ids = list(dict.fromkeys(r.study for r in full.data or []))
    e = wide.effect
    n = len(ctx.excluded_critical)
    who = f"with the {n} stud{'y' if n == 1 else 'ies'} at critical risk of bias"
    if e is None or e.estimate is None or e.lo is None or e.hi is None:
        return sensitivity(scale, ctx, wide, ids, f"{who}: no estimate ({wide.not_estimable})")
    return sensitivity(scale, ctx, wide, ids, f"{who}: {estimate_text(ctx.measure, e.estimate, e.lo, e.hi)}")


def _study_range(ctx: OutcomeContext) -> tuple[float, float] | None:
    if not ctx.not_pooled:
        return None
    values = [e.estimate for e in ctx.row_effects if e.estimate is not None]
    return (min(values), max(values)) if values else None


def _no_event_rd(ctx: OutcomeContext) -> NoEventRiskDifference | None:
    rd = ctx.no_event_rd
    if rd is None or rd.estimate is None or rd.lo is None or rd.hi is None or ctx.no_event_rd_method is None:
        return None
    return NoEventRiskDifference(
        estimate=rd.estimate,
        ci_lb=rd.lo,
        ci_ub=rd.hi,
        method=ctx.no_event_rd_method,
        comparator_risk=ctx.no_event_comparator_risk,
    )


PROVISIONAL_DOMAINS = ("risk_of_bias", "imprecision", "indirectness")
"""While one of these is not assessed the rating is provisional (GRADE: certainty is judged over
all domains; inconsistency and publication bias say "not applicable" or are footnoted instead)."""


@dataclass(frozen=True)
class _Rating:
    """The certainty that a set of domain assessments gives."""

    domains: list[DomainAssessment]
    points: int
    upgrades: list[UpgradeAssessment]
    computed: Certainty | None
    final: Certainty | None
    reason: str | None
    provisional: bool
    missing: list[str]
    override_note: str | None


def _rate(ctx: OutcomeContext, rules: RuleSet, start: Certainty, domains: list[DomainAssessment]) -> _Rating:
    points = sum(d.levels for d in domains)
    ups = _upgrades(ctx, rules, start, points, domains)
    computed: Certainty | None = _convert(rules, start, points, sum(u.levels for u in ups))
    if (ctx.effect is None or ctx.effect.estimate is None) and not ctx.not_pooled:
        computed = None  # nothing to rate: the table says why (not estimable / not reported)
    final, reason, note = computed, None, None
    override = ctx.outcome.judgements.certainty
    missing = [d.domain for d in domains if d.domain in PROVISIONAL_DOMAINS and d.status == "not_assessed"]
    if override is not None:
        final, reason = override.rating, override.reason
        if final != computed:
            given = computed.value.replace("_", " ") if computed is not None else "no rating: there is no estimate"
            note = (
                f"Certainty set to {final.value.replace('_', ' ')} by the reviewer "
                f"(the domains give {given}): {override.reason.rstrip('.')}."
            )
    provisional = override is None and computed is not None and bool(missing)
    if provisional:
        final = None
    return _Rating(domains, points, ups, computed, final, reason, provisional, missing if provisional else [], note)


def _strata(
    ctx: OutcomeContext, rules: RuleSet, start: Certainty, domains: list[DomainAssessment]
) -> list[tuple[StratumAssessment, _Rating]]:
    """Each assumed-risk stratum with its own imprecision, certainty and statement (Core GRADE 6)."""
    risks = ctx.outcome.assumed_risk
    if len(risks) < 2:
        return []
    absolute = absolute_effects(ctx)
    out = []
    for risk, effect in zip(risks, absolute, strict=True):
        label = risk.label or f"a comparator risk of {risk.value * effect.per:.3g} per {effect.per:,}"
        sctx = replace(ctx, control_risk=risk.value, control_risk_source=risk.source or risk.label)
        sscale = judging_scale(sctx, rules)
        proposal = MODULES["imprecision"].propose(sctx, rules, sscale)
        imp = _judged("imprecision", proposal, risk.imprecision or ctx.outcome.judgements.imprecision, label)
        rating = _rate(sctx, rules, start, [imp if d.domain == "imprecision" else d for d in domains])
        notes = [n for n in (imp.footnote, rating.override_note) if n]
        stratum = StratumAssessment(
            label=risk.label,
            assumed_risk=risk.value,
            source=risk.source,
            absolute=effect,
            target=record.target(sctx, sscale),
            zone=record.zone(sctx, sscale),
            imprecision=imp,
            points=rating.points,
            computed_certainty=rating.computed,
            certainty=rating.final,
            provisional=rating.provisional,
            certainty_ceiling=rating.computed if rating.provisional else None,
            statement=statement(sctx, sscale, rating.final),
            footnotes=notes,
        )
        out.append((stratum, rating))
    return out


def assess_outcome(
    evidence: Evidence, outcome: Outcome, rules: RuleSet, analyses: list[SubgroupAnalysis] | None = None
) -> OutcomeAssessment:
    """One row: its pooling, domains, certainty and statement. ``analyses``: its subgroup
    hypotheses, analysed, when they did not split it."""
    base = {
        "id": outcome.id,
        "name": outcome.name,
        "importance": outcome.importance.value,
        "form": outcome.form,
        "recorded_certainty": outcome.recorded_certainty,
        "measure": outcome.effective_measure.value,
        "scale": outcome.scale,
        "follow_up": outcome.follow_up,
        "benefit": outcome.benefit.value if outcome.benefit else None,
    }
    if outcome.form == "none":
        return OutcomeAssessment(**base)
    ctx = build_context(
        evidence, outcome, egger=rules.enabled("PUB-EGGER"), egger_min_k=rules.settings("PUB-EGGER").min_studies
    )
    scale = judging_scale(ctx, rules)
    start, start_reason = start_level(ctx, rules)
    domains = [_domain(ctx, name, rules, scale, analyses) for name in DOMAINS]
    strata = _strata(ctx, rules, start, domains)
    if strata:
        # the outcome's own rating is its least certain stratum's (the first of equals)
        order = [LEVELS.index(r.computed) if r.computed is not None else -1 for _, r in strata]
        worst = strata[order.index(min(order))][1]
        rating = worst
        target = None
        zone = None
        words = None
    else:
        rating = _rate(ctx, rules, start, domains)
        target = record.target(ctx, scale)
        zone = record.zone(ctx, scale)
        words = statement(ctx, scale, rating.final)
    footnotes = [d.footnote for d in rating.domains if d.footnote and not (strata and d.domain == "imprecision")]
    footnotes += [u.footnote for u in rating.upgrades if u.footnote]
    if rating.computed is None:
        footnotes = []
    if rating.override_note and not strata:
        footnotes.append(rating.override_note)
    not_assessed = [d.domain for d in rating.domains if d.status == "not_assessed"]
    return OutcomeAssessment(
        **base,
        effect=_effect(ctx),
        not_estimable=ctx.not_estimable,
        start=start,
        start_reason=start_reason,
        domains=rating.domains,
        upgrades=rating.upgrades,
        points=rating.points,
        computed_certainty=rating.computed,
        certainty=rating.final,
        certainty_reason=rating.reason,
        not_assessed=not_assessed,
        footnotes=footnotes,
        sensitivity=_sensitivity(ctx, scale),
        with_critical=_with_critical(ctx, scale, outcome),
        no_event_risk_difference=_no_event_rd(ctx),
        not_pooled=ctx.not_pooled,
        study_range=_study_range(ctx),
        narrative=outcome.narrative,
        absolute=absolute_effects(ctx),
        continuous=continuous_effect(ctx, scale),
        statement=words,
        analysis=("not pooled" if ctx.not_pooled else describe_analysis(ctx.analysis))
        if outcome.form == "studies"
        else None,
        rows=record.rows(ctx),
        pooled=record.pooled(ctx),
        small_study_test=record.small_study_test(ctx),
        judging_scale=record.judging_scale(scale, ctx.measure),
        control_risk=ctx.control_risk,
        control_risk_source=ctx.control_risk_source,
        target=target,
        zone=zone,
        strata=[s for s, _ in strata],
        provisional=rating.provisional,
        missing_domains=rating.missing,
        certainty_ceiling=rating.computed if rating.provisional else None,
        subgroup_analyses=analyses or [],
    )
