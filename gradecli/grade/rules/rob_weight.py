"""ROB-WEIGHT: the weight of the studies at high risk of bias, and whether the studies at low risk
alone give an estimate in another zone of the outcome's thresholds (Core GRADE 4)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from gradecli.grade.assessment import RATING_LEVELS, Proposal, Sensitivity
from gradecli.grade.rules.base import Rule, SwitchableSettings, pct, studies_word
from gradecli.model.vocab import ROB_CATEGORY, Measure, Model, Rating

if TYPE_CHECKING:
    from gradecli.grade.context import EffectView, OutcomeContext
    from gradecli.grade.scale import Scale

Share = Annotated[float, Field(ge=0, le=1)]
Basis = Literal["fixed_effect", "random_effects", "analysis_weight", "participants"]

BY_LEVELS = (Rating.not_serious, Rating.serious, Rating.very_serious, Rating.extremely_serious)
WORDS = {0: "not serious", 1: "serious", 2: "very serious", 3: "extremely serious"}
LEVEL = {"low": 0, "some_concerns": 1, "unclear": 1, "moderate": 1, "high": 2, "serious": 2, "critical": 3}
"""Levels a study's judgment stands for in a body of non-randomised studies started High with
ROBINS-I (GRADE 18): moderate one, serious two, critical three (RoB 2 and RoB 1 alike)."""


class RobWeightSettings(SwitchableSettings):
    method: Literal["core_grade", "low_share"] = Field(
        "core_grade",
        description=(
            "core_grade: the share of the weight at high risk of bias and whether the low-risk studies alone give an "
            "estimate in another zone of the outcome's thresholds (Core GRADE 4); low_share: the share of the weight "
            "at low risk against serious_if_low_share_below (Pollock 2016, metaumbrella)."
        ),
    )
    dominance_share: Share = Field(
        0.55,
        description=(
            "core_grade: the studies at high risk of bias dominate from this share of the weight (0–1) on. Core GRADE "
            "4's figure offers '≥ 55%' (possibly dominating) and '> 65%'."
        ),
    )
    some_concerns: Literal["ask_reviewer", "count_as_high"] = Field(
        "ask_reviewer",
        description=(
            "core_grade: ask_reviewer — RoB 2 some concerns, RoB 1 unclear and ROBINS-I moderate count as neither low "
            "nor high, and a body whose only concerns they are goes to the reviewer (no automatic downgrade); "
            "count_as_high — they count as high (as pmatools can fold them)."
        ),
    )
    critical_studies: Literal["exclude", "keep"] = Field(
        "exclude",
        description=(
            "exclude: ROBINS-I critical studies leave the judgment (a sensitivity analysis only; named in the "
            "facts); keep: they count as high risk (three levels in a body started High with ROBINS-I)."
        ),
    )
    serious_if_low_share_below: Share = Field(
        0.75,
        description="low_share: serious when the share of weight from studies at low risk of bias is below this (0–1).",
    )
    very_serious_if_low_share_below: Share | None = Field(
        0.50,
        description=(
            "low_share: very serious when the low-risk share is below this (0–1) and the high-risk share reaches "
            "very_serious_needs_high_share; null: never very serious."
        ),
    )
    very_serious_needs_high_share: Share = Field(
        0.50, description="low_share: the share of weight at high risk of bias (0–1) that very serious also needs."
    )
    basis: Basis = Field(
        "fixed_effect",
        description=(
            "What the shares are of: fixed_effect — inverse-variance weights 1/SE² of the study estimates, whatever "
            "the pooled model; random_effects — 1/(SE² + τ²), τ² of the pooled analysis when it is a random-effects "
            "one, else DerSimonian–Laird; analysis_weight — the pooled analysis's own weights; participants — "
            "Pollock 2016. Without estimates (or weights) the participants are used, and without those the studies "
            "count equally; the facts say which."
        ),
    )
    missing_study_judgment: Literal["assume_high", "assume_low"] = Field(
        "assume_high",
        description="How a study without a judgment (or ROBINS-I no_information) is counted; it is named in the facts.",
    )


def study_judgment(ctx: OutcomeContext, study_id: str) -> tuple[str | None, str | None]:
    """(judgment, tool) for a study in this outcome: the per-outcome override, else the study's."""
    return ctx.study_judgment(study_id)


# --- weights ------------------------------------------------------------------------------------


def _tau2(ctx: OutcomeContext) -> tuple[float, str]:
    """τ² for random-effects weights: the pooled analysis's, else DerSimonian–Laird from the rows."""
    p = ctx.pooled
    if p is not None and ctx.analysis.model is Model.random and p.tau2 is not None:
        return p.tau2, f"τ² {p.tau2:.3g} of the pooled analysis"
    pairs = [ysei for ysei in ctx.row_yisei if ysei is not None]
    if len(pairs) < 2:
        return 0.0, "τ² 0 (one estimate)"
    w = [1 / (se * se) for _, se in pairs]
    sw = math.fsum(w)
    mean = math.fsum(wi * y for wi, (y, _) in zip(w, pairs, strict=True)) / sw
    q = math.fsum(wi * (y - mean) ** 2 for wi, (y, _) in zip(w, pairs, strict=True))
    c = sw - math.fsum(wi * wi for wi in w) / sw
    t = (q - (len(pairs) - 1)) / c if c > 0 else 0.0
    if not math.isfinite(t):
        return 0.0, "τ² not computable: 0 used"
    return max(0.0, t), f"τ² {max(0.0, t):.3g} (DerSimonian–Laird)"


def study_weights(ctx: OutcomeContext, basis: Basis) -> tuple[dict[str, float], str]:
    """Each study's share of the weight (0–1; the shares add up to 1) and what they are shares of."""
    from gradecli.grade.context import row_participants

    studies = list(dict.fromkeys(ctx.study_ids))
    raw = dict.fromkeys(studies, 0.0)
    label = ""
    if basis == "analysis_weight" and ctx.weights:
        raw = {s: ctx.weights.get(s, 0.0) for s in studies}
        label = "analysis weight"
    elif basis in ("fixed_effect", "random_effects") and any(y is not None for y in ctx.row_yisei):
        tau2 = _tau2(ctx)[0] if basis == "random_effects" else 0.0
        for sid, ysei in zip(ctx.study_ids, ctx.row_yisei, strict=True):
            if ysei is not None:
                raw[sid] += 1 / (ysei[1] * ysei[1] + tau2)
        label = "fixed-effect weight" if basis == "fixed_effect" else "random-effects weight"
    total = math.fsum(raw.values())
    if not (label and math.isfinite(total) and total > 0):
        raw = dict.fromkeys(studies, 0.0)
        for row in ctx.outcome.data or []:
            raw[row.study] = raw.get(row.study, 0.0) + (row_participants(row) or 0)
        label = "participants"
        total = math.fsum(raw.values())
    if not total > 0:
        raw, total = dict.fromkeys(studies, 1.0), float(len(studies) or 1)
        label = "studies, counted equally (no estimates or participants to weigh them by)"
    return {s: raw[s] / total for s in studies}, label


def shares(ctx: OutcomeContext, by_participants: bool = False) -> tuple[dict[str, float], dict[str, str], str]:
    """Weight share per category, category per study, and what the shares are of (the analysis
    weights, or the participants when ``by_participants`` or when there is no pooled analysis)."""
    weight, basis = study_weights(ctx, "participants" if by_participants else "analysis_weight")
    out = {"low": 0.0, "some": 0.0, "high": 0.0, "missing": 0.0}
    cats: dict[str, str] = {}
    for s, w in weight.items():
        judgment, _ = ctx.study_judgment(s)
        cat = ROB_CATEGORY.get(judgment or "", "missing")
        cats[s] = cat
        out[cat] += w
    return out, cats, basis


@dataclass(frozen=True)
class Body:
    """The studies of an outcome as the judgment sees them."""

    weight: dict[str, float]  # share of the weight in the judgment (critical studies left out), adds up to 1
    cats: dict[str, str]  # every study: low / some / high / missing / critical (left out)
    judgments: dict[str, str | None]
    basis: str
    excluded: dict[str, float]  # critical studies left out, with their share of the whole weight
    left_out: tuple[str, ...] = ()  # critical studies already left out of the pooled analysis

    def share(self, *cats: str) -> float:
        # shares are sums of floating-point weights: round so that 3 × 25% is exactly 75%, not 74.99999…%
        return round(math.fsum(w for s, w in self.weight.items() if self.cats[s] in cats), 9)

    def count(self, cat: str) -> int:
        return sum(1 for c in self.cats.values() if c == cat)


def body(ctx: OutcomeContext, s: RobWeightSettings) -> Body:
    weight, basis = study_weights(ctx, s.basis)
    cats: dict[str, str] = {}
    judgments: dict[str, str | None] = {}
    for sid in weight:
        judgment, _ = ctx.study_judgment(sid)
        judgments[sid] = judgment
        if judgment == "critical" and s.critical_studies == "exclude":
            cats[sid] = "critical"
        else:
            cats[sid] = ROB_CATEGORY.get(judgment or "", "missing")
    excluded = {sid: weight[sid] for sid, c in cats.items() if c == "critical"}
    kept = {sid: w for sid, w in weight.items() if cats[sid] != "critical"}
    total = math.fsum(kept.values())
    primary = {sid: (w / total if total > 0 else 1 / len(kept)) for sid, w in kept.items()}
    return Body(primary, cats, judgments, basis, excluded, tuple(ctx.excluded_critical))


# --- the analysis restricted to the low-risk studies ---------------------------------------------


def repool(ctx: OutcomeContext, keep: list[str]) -> OutcomeContext:
    """The outcome pooled again (its own analysis) from the rows of these studies only; pooled once
    per set of studies and outcome context (ROB-WEIGHT and the engine's sensitivity analysis read
    the same re-analysis)."""
    from gradecli.grade.context import build_context

    ids = frozenset(keep)
    sub = ctx.repooled.get(ids)
    if sub is None:
        rows = [r for r in ctx.outcome.data or [] if r.study in ids]
        # the same outcome and file, so the same effective analysis as the outcome's own
        sub = build_context(
            ctx.evidence, ctx.outcome.model_copy(update={"data": rows}), egger=False, analysis=ctx.analysis
        )
        ctx.repooled[ids] = sub
    return sub


def zone_of(scale: Scale, v: float) -> int:
    """The zone of a value among the scale's boundaries, a value at a threshold belonging to the zone
    beyond it (as :func:`gradecli.grade.scale.size` counts a value at the MID as reaching it); on a
    scale without boundaries (no MID and no rule-set fallback: a mean difference, say) the null is
    the one boundary (Core GRADE 2)."""
    from gradecli.grade.scale import reaches

    if not scale.boundaries:
        return (v > 0) - (v < 0)
    return sum(1 for b in scale.boundaries if (reaches(v, b) if b > 0 else v > b))


def zone_changes(scale: Scale | None, full: EffectView | None, part: EffectView | None) -> bool | None:
    """Whether the point estimates lie in different zones of the thresholds; None when either
    cannot be placed on the judging scale."""
    from gradecli.grade.scale import effect_on_scale

    if scale is None or full is None or part is None:
        return None
    a, b = effect_on_scale(scale, full), effect_on_scale(scale, part)
    if a is None or b is None:
        return None
    return zone_of(scale, a[0]) != zone_of(scale, b[0])


def low_risk_analysis(ctx: OutcomeContext, scale: Scale | None) -> Sensitivity | None:
    """Re-pool with only the studies judged at low risk of bias (Core GRADE 4) and say whether the
    point estimate falls in another zone of the outcome's thresholds than the pooled one. None for a
    summary-level outcome, without a pooled estimate, or when no study (or every study) is at low risk.
    Worked out once per outcome context and scale (ROB-WEIGHT and the assessment's ``sensitivity``)."""
    if ctx.low_risk is not None and ctx.low_risk[0] is scale:
        return ctx.low_risk[1]
    found = _low_risk_analysis(ctx, scale)
    ctx.low_risk = (scale, found)
    return found


def _low_risk_analysis(ctx: OutcomeContext, scale: Scale | None) -> Sensitivity | None:
    if ctx.outcome.form != "studies" or ctx.effect is None:
        return None
    cats = {s: ROB_CATEGORY.get(ctx.study_judgment(s)[0] or "", "missing") for s in dict.fromkeys(ctx.study_ids)}
    low = [s for s, c in cats.items() if c == "low"]
    if not low or len(low) == len(cats):
        return None
    sub = repool(ctx, low)
    e = sub.effect
    if e is None or e.estimate is None or e.lo is None or e.hi is None:
        return sensitivity(scale, ctx, sub, low, f"the low-risk studies give no estimate ({sub.not_estimable})")
    text = f"{len(low)} low-risk stud{'y' if len(low) == 1 else 'ies'}: {e.estimate:.3g} ({e.lo:.3g} to {e.hi:.3g})"
    return sensitivity(scale, ctx, sub, low, text)


def sensitivity(
    scale: Scale | None, ctx: OutcomeContext, sub: OutcomeContext, studies: list[str], text: str
) -> Sensitivity:
    """The analysis ``sub`` (of ``studies``) set against the outcome's: its estimate and whether it lies
    in another zone of the thresholds, with ``text`` as its note."""
    e = sub.effect
    if e is None or e.estimate is None or e.lo is None or e.hi is None:
        return Sensitivity(studies=studies, estimate=None, ci_lb=None, ci_ub=None, conclusion_changes=None, note=text)
    changes = zone_changes(scale, ctx.effect, e)
    if changes is not None:
        text += "; the estimate falls in " + ("a different" if changes else "the same") + " zone of the thresholds"
    return Sensitivity(
        studies=studies, estimate=e.estimate, ci_lb=e.lo, ci_ub=e.hi, conclusion_changes=changes, note=text
    )


# --- words --------------------------------------------------------------------------------------


def _name(measure: Measure) -> str:
    return "" if measure is Measure.GENERIC else ("Peto OR" if measure is Measure.PETO_OR else measure.value)


def estimate_text(measure: Measure, est: float, lo: float, hi: float) -> str:
    """'RR 0.91 (0.735 to 1.13)'; a generic estimate without its measure's name."""
    name = _name(measure)
    return f"{name} {est:.3g} ({lo:.3g} to {hi:.3g})" if name else f"{est:.3g} ({lo:.3g} to {hi:.3g})"


def _boundary(scale: Scale, measure: Measure, x: float) -> str:
    if scale.kind == "relative":
        return f"{_name(measure) or 'ratio'} {scale.show(x)}"
    if scale.kind == "absolute":
        return scale.show(x)
    return scale.show(x) + (f" {scale.unit}" if scale.unit else "")


def zone_words(scale: Scale, measure: Measure, effect: EffectView) -> str:
    """Where a point estimate lies among the thresholds: 'below RR 0.75', 'between … and …'."""
    from gradecli.grade.scale import effect_on_scale

    on = effect_on_scale(scale, effect)
    b = scale.boundaries
    if on is None:
        return "on no threshold scale"
    if not b:
        return "above the null" if on[0] > 0 else "below the null" if on[0] < 0 else "at the null"
    i = zone_of(scale, on[0])
    if i == 0:  # "beyond 20 fewer per 1,000", not "below" (an absolute scale names its side in words)
        return f"{'beyond' if scale.kind == 'absolute' else 'below'} {_boundary(scale, measure, b[0])}"
    if i == len(b):
        return f"{'beyond' if scale.kind == 'absolute' else 'above'} {_boundary(scale, measure, b[-1])}"
    return f"between {_boundary(scale, measure, b[i - 1])} and {_boundary(scale, measure, b[i])}"


def _count_words(b: Body, high_start: bool) -> str:
    names = (
        (("low", "low"), ("some", "moderate"), ("high", "serious"), ("missing", "without a judgment"))
        if high_start
        else (("low", "low"), ("some", "some concerns"), ("high", "high"), ("missing", "without a judgment"))
    )
    parts = [f"{b.count(cat)} {word}" for cat, word in names if b.count(cat)]
    if high_start:
        crit = sum(1 for sid, c in b.cats.items() if c == "high" and b.judgments[sid] == "critical")
        if crit:
            parts.append(f"{crit} of them critical (kept)")
    if b.excluded:
        parts.append(f"{len(b.excluded)} critical (left out)")
    return ", ".join(parts)


# --- the rule -----------------------------------------------------------------------------------


class RobWeight(Rule[RobWeightSettings]):
    """Core GRADE 4's risk-of-bias flowchart: classify each study's overall judgment as low or high
    risk of bias, weigh the high-risk studies, and ask whether the studies at low risk alone give an
    estimate in another zone of the outcome's thresholds (the same zones imprecision and
    inconsistency use: the MIDs and the moderate and large boundaries, or the rule set's appreciable
    effect without an MID; the null on a scale with neither; an estimate at a threshold reaches it).
    The studies at high risk *dominate* when they carry at least `dominance_share` of the weight
    (`basis`: fixed-effect inverse-variance weights by default).

    * No study at high risk and no concerns: *not serious*.
    * The low-risk studies alone give an estimate in the same zone as all studies: *not serious*,
      however much weight is at high risk (the high-risk studies do not change the answer).
    * In another zone: *serious* — "consider the low-risk estimate", which is shown with its CI (and
      kept as the outcome's `sensitivity`). When the high-risk studies do not dominate, Core GRADE 4
      would take the low-risk estimate instead of rating down: the explanation says so.
    * No study at low risk: *serious* (two levels are the reviewer's: "crucial limitations"); when
      the high-risk studies do not dominate, the others have some concerns (or no judgment) and how
      those count decides, so the proposal needs the reviewer's confirmation.
    * The low-risk studies give no estimate that can be set against the thresholds: *serious* when
      the high-risk studies dominate, not serious when they do not.
    * Bodies whose only concerns are RoB 2 `some_concerns`, RoB 1 `unclear` or ROBINS-I `moderate`
      (`some_concerns: ask_reviewer`) go through the same steps, but where they would rate down the
      domain is *not assessed*, with the reason: a judgment is needed (never an automatic downgrade).
    * Non-randomised studies started High with ROBINS-I (GRADE 18; rule sets with `nrsi_start: low`
      start them Low and judge them as above): a study at `moderate` stands for one level, `serious`
      for two, `critical` (kept) for three; the proposal is the highest level whose studies (at that
      level or worse) dominate, unless the low-risk studies alone give an estimate in the same zone.
      More than one level needs the reviewer's confirmation.
    * ROBINS-I `critical` studies ("too problematic to provide any useful evidence") leave the
      judgment (`critical_studies: exclude`): their weight is left out of the shares and the facts say
      so. The pooled estimate still includes them (leave their rows out of the outcome for the
      primary analysis); when the estimate without them lies in another zone, the domain is not
      assessed until that is done or the reviewer judges it.

    Each tool's overall judgment counts as: *low* — `low`; *some concerns* — RoB 2 `some_concerns`,
    RoB 1 `unclear`, ROBINS-I `moderate`; *high* — RoB 2 and RoB 1 `high`, ROBINS-I `serious` (and
    `critical` when kept); *missing* — no judgment, or ROBINS-I `no_information`, counted as
    `missing_study_judgment` says and named in the facts. An outcome's `risk_of_bias_overrides` entry
    wins over the study's own judgment. The analysis restricted to the low-risk studies re-pools
    their rows with the outcome's own analysis.

    `method: low_share` (the pollock-2016 rule set) keeps the published numeric rule instead: serious
    when the share of the weight at low risk is below `serious_if_low_share_below`; very serious when
    it is below `very_serious_if_low_share_below` and at least `very_serious_needs_high_share` of the
    weight is at high risk.

    Sources: Core GRADE 4, Guyatt G et al., BMJ 2025;389:e083864, doi:10.1136/bmj-2024-083864 (the
    weights of the studies at high and low risk of bias and whether their results differ; the figure's
    "≥ 55%" or "> 65%" of the weight as possibly dominating); GRADE guidelines 4, Guyatt GH et al., J
    Clin Epidemiol 2011;64(4):407–415, doi:10.1016/j.jclinepi.2010.07.017 (rate down when the studies
    that provide most of the information are at high risk of bias; consider the low-risk studies'
    estimate); GRADE guidelines 18, Schünemann HJ et al., J Clin Epidemiol 2019;111:105–114,
    doi:10.1016/j.jclinepi.2018.01.012 (ROBINS-I: start High, then rate down for risk of bias);
    Cochrane Handbook v5.1 Table 12.2.d (superseded; quoted for its wording: most information from
    studies at low or unclear risk with limitations unlikely to lower confidence — do not rate down;
    crucial limitations — two levels); Cochrane Handbook v6.5, chapter 14 (Schünemann HJ et al.),
    §14.2, chapter 8 (RoB 2's judgments) and chapter 25 (Sterne JAC et al.; ROBINS-I, a critical
    study "too problematic to provide any useful evidence"); Igelström E et al., J Clin Epidemiol
    2021, doi:10.1016/j.jclinepi.2021.08.022 (critical studies left in the synthesis as a misuse);
    Pollock A et al., J Clin Epidemiol 2016;70:106–110, doi:10.1016/j.jclinepi.2015.08.013, Table 2
    (`low_share`: fewer than 75% of the participants in trials at low risk of bias → −1; unreported
    judgments count against).

    gradecli's choices: the 55% dominance cut (pmatools' default, the lower of the figure's two);
    fixed-effect inverse-variance weights by default (random-effects weights drift towards one
    study, one vote under heterogeneity); the zones of the outcome's own thresholds as "different
    results"; one level when the low-risk estimate lies in another zone (Core GRADE 4 rates down
    one level; two are the reviewer's); "some concerns" as neither low nor high, with bodies that have
    only those left to the reviewer; the ROBINS-I levels (moderate one, serious two, critical three)
    for bodies started High (a heuristic: GRADE 18 gives no numbers); critical studies out of the
    judgment; counting a study without a judgment as high risk (as Pollock 2016 does for unreported
    judgments); for `low_share`, the 75% cut (Pollock 2016) and the very-serious rule, 50% low-risk
    share *and* 50% of the weight at high risk.

    PASS: seven trials, three at high risk carrying 58% of the fixed-effect weight; all studies give
    RR 0.62, the four low-risk ones alone RR 0.64 — both below the appreciable reduction (RR 0.75, no
    MID given) → not serious, though a "< 75% of the weight at low risk" rule would rate down. Four
    trials at low risk and one with some concerns, whose omission leaves the estimate in its zone →
    not serious.

    FAIL: the same seven trials, the four low-risk ones alone giving RR 0.91 (between RR 0.75 and
    1.25) → serious, "consider the low-risk estimate". Five trials all with some concerns → not
    assessed: the reviewer judges whether the limitations lower confidence. Five cohorts started
    High with ROBINS-I, all serious → very serious (two levels, to be confirmed).
    """

    code = "ROB-WEIGHT"
    domain = "risk_of_bias"
    summary = "weight of the studies at high risk of bias and whether the low-risk studies alone differ"
    settings_model = RobWeightSettings
    uses_scale = True

    @staticmethod
    def judge(
        ctx: OutcomeContext, s: RobWeightSettings, scale: Scale | None = None, *, high_start: bool = False
    ) -> Proposal | None:
        """The proposal; None for a summary-level outcome or when no study has a judgment.
        ``high_start``: the body is of non-randomised studies started High with ROBINS-I."""
        if ctx.outcome.form != "studies":
            return None
        b = body(ctx, s)
        if not b.weight and (b.excluded or b.left_out):
            return _all_critical(b)
        if all(c == "missing" for c in b.cats.values()):
            return None
        if s.method == "low_share":
            return _low_share(b, s)
        return _core_grade(ctx, b, s, scale, high_start)


def _facts(b: Body, s: RobWeightSettings, against: float | None, high_start: bool) -> list[str]:
    words = ("moderate", "serious") if high_start else ("some concerns", "high")
    facts = [
        f"{pct(b.share('low'), against)}% of the {b.basis} from studies at low risk of bias, "
        f"{pct(b.share('some'))}% {words[0]}, {pct(b.share('high'))}% {words[1]}"
    ]
    if b.count("missing"):
        n = b.count("missing")
        how = "counted as high" if s.missing_study_judgment == "assume_high" else "counted as low"
        facts.append(f"{studies_word(n)} without a judgment ({pct(b.share('missing'))}% of the {b.basis}, {how})")
    if b.excluded:
        n, w = len(b.excluded), math.fsum(b.excluded.values())
        facts.append(
            f"{studies_word(n)} at critical risk of bias (ROBINS-I: {', '.join(b.excluded)}; {pct(w)}% of the whole "
            f"{b.basis}) left out of this judgment, for a sensitivity analysis only; the pooled estimate still "
            "includes them (analysis.critical_risk_of_bias: include keeps them in it)"
        )
    if b.left_out:
        n = len(b.left_out)
        facts.append(
            f"{studies_word(n)} at critical risk of bias (ROBINS-I: {', '.join(b.left_out)}) left out of the primary "
            "analysis and of this judgment (a sensitivity analysis only)"
        )
    return facts


def _missing_note(b: Body, s: RobWeightSettings) -> str:
    n = b.count("missing")
    if not n:
        return ""
    how = "counted as high" if s.missing_study_judgment == "assume_high" else "counted as low"
    return f" ({studies_word(n)} without a judgment {how})"


def _all_critical(b: Body) -> Proposal:
    n = len(set(b.excluded) | set(b.left_out))
    return Proposal(
        rating=None,
        rule="ROB-WEIGHT",
        facts=[f"all {studies_word(n)} with a judgment are at critical risk of bias (ROBINS-I)"],
        explanation=(
            "every study is at critical risk of bias (ROBINS-I: too problematic to provide any useful evidence), so "
            "none is left for the judgment: judge the domain (judgements.risk_of_bias), or keep the critical studies "
            + (
                "in the analysis (analysis.critical_risk_of_bias: include)"
                if b.left_out
                else "(critical_studies: keep) for up to three levels"
            )
        ),
        path=[f"classify: {_count_words(b, False)}", "no study left for the judgment: needs the reviewer's judgment"],
    )


def _low_share(b: Body, s: RobWeightSettings) -> Proposal:
    """Pollock 2016's rule (and metaumbrella's): the share of the weight at low risk of bias."""
    as_high = s.missing_study_judgment == "assume_high"
    missing = b.share("missing")
    high = round(b.share("high") + (missing if as_high else 0.0), 9)
    low = round(b.share("low") + (0.0 if as_high else missing), 9)
    cut = s.serious_if_low_share_below
    facts = _facts(b, s, cut, False)
    threshold = f"low-risk share below {pct(cut)}%"
    very = s.very_serious_if_low_share_below
    if very is not None and low < very and high >= s.very_serious_needs_high_share:
        rating = Rating.very_serious
        need = s.very_serious_needs_high_share
        threshold = f"low-risk share below {pct(very)}% and high-risk share at least {pct(need)}%"
        why = (
            f"only {pct(low, very)}% of the {b.basis} comes from studies at low "
            f"risk of bias and {pct(high, s.very_serious_needs_high_share)}% from studies at high risk"
        )
    elif low < cut:
        rating = Rating.serious
        why = f"{pct(low, cut)}% of the {b.basis} comes from studies at low risk of bias (less than {pct(cut)}%)"
    else:
        rating = Rating.not_serious
        why = f"{pct(low, cut)}% of the {b.basis} comes from studies at low risk of bias"
    why += _missing_note(b, s)
    path = [
        f"classify: {_count_words(b, False)}",
        f"{pct(low, cut)}% of the {b.basis} at low risk of bias: {'below' if low < cut else 'at least'} {pct(cut)}%",
        f"risk of bias: {WORDS[RATING_LEVELS[rating]]}",
    ]
    return Proposal(rating=rating, rule="ROB-WEIGHT", threshold=threshold, facts=facts, explanation=why, path=path)


def _levels(b: Body, s: RobWeightSettings, high_start: bool) -> dict[str, int]:
    """The levels each study stands for (0: no concern)."""
    as_high = s.missing_study_judgment == "assume_high"
    out: dict[str, int] = {}
    for sid in b.weight:
        cat, judgment = b.cats[sid], b.judgments[sid]
        if cat == "missing":
            out[sid] = (2 if high_start else 1) if as_high else 0
        elif high_start:
            out[sid] = LEVEL.get(judgment or "", 2)
        elif cat == "high" or (cat == "some" and s.some_concerns == "count_as_high"):
            out[sid] = 1
        else:
            out[sid] = 0
    return out


def _core_grade(ctx: OutcomeContext, b: Body, s: RobWeightSettings, scale: Scale | None, high_start: bool) -> Proposal:
    cut = s.dominance_share
    facts = _facts(b, s, None, high_start)
    path = [f"classify{' (ROBINS-I, started High)' if high_start else ''}: {_count_words(b, high_start)}"]
    levels = _levels(b, s, high_start)

    def at_least(level: int) -> float:
        return round(math.fsum(w for sid, w in b.weight.items() if levels[sid] >= level), 9)

    concern = at_least(1)
    soft = concern == 0 and b.share("some") > 0
    if soft:  # the only concerns are "some concerns": the same steps, but the reviewer decides
        levels = {sid: 1 if b.cats[sid] == "some" else levels[sid] for sid in levels}
        concern = at_least(1)
        who = "studies with some concerns"
    elif high_start:
        who = "studies at moderate, serious or critical risk of bias"
    else:
        who = "studies at high risk of bias"
        if b.share("some") and s.some_concerns == "count_as_high":
            who += " (some concerns counted as high)"
        elif b.share("some"):
            facts.append(
                f"{studies_word(b.count('some'))} with some concerns ({pct(b.share('some'))}% of the {b.basis}) "
                "count as neither low nor high risk of bias: not in the low-risk analysis (some_concerns: ask_reviewer)"
            )

    # ROBINS-I critical studies are out of the judgment; does the estimate without them lie elsewhere?
    if b.excluded and ctx.effect is not None:
        e = repool(ctx, list(b.weight)).effect
        if e is not None and e.estimate is not None and e.lo is not None and e.hi is not None:
            elsewhere = zone_changes(scale, ctx.effect, e)
            text = f"without the critical studies: {estimate_text(ctx.measure, e.estimate, e.lo, e.hi)}"
            if elsewhere is not None:
                text += f", in {'another' if elsewhere else 'the same'} zone of the thresholds as the pooled estimate"
            facts.append(text)
            path.append(text)
            if elsewhere:
                why = (
                    "the pooled estimate includes studies at critical risk of bias and lies in another zone of the "
                    "thresholds without them: leave them out of the primary analysis (analysis.critical_risk_of_bias: "
                    "exclude, the default; a sensitivity analysis only), "
                    "or judge the domain"
                )
                return _judgment_needed(facts, why, path, cut)

    if concern == 0:
        why = f"{pct(b.share('low'))}% of the {b.basis} comes from studies at low risk of bias" + _missing_note(b, s)
        return _proposal(0, facts, why, [*path, "no study at high risk of bias", "risk of bias: not serious"], cut)

    dominated = concern >= cut
    top = max(level for level in (1, 2, 3) if at_least(level) >= cut) if high_start and dominated else 1
    weight = f"{who} carry {pct(concern, cut)}% of the {b.basis} " + (
        f"(dominating: at least {pct(cut)}%)" if dominated else f"(not dominating: less than {pct(cut)}%)"
    )
    facts.append(weight)
    path.append(weight)
    if high_start and dominated:
        text = (
            f"{pct(at_least(2))}% at serious or critical risk, {pct(at_least(3))}% at critical risk: "
            f"the dominating level is {top} level{'s' if top > 1 else ''} (GRADE 18, started High)"
        )
        facts.append(text)
        path.append(text)

    low_ids = [sid for sid in b.weight if b.cats[sid] == "low"]
    sens = low_risk_analysis(ctx, scale) if low_ids else None
    changes: bool | None = None
    compared = ""
    if not low_ids:
        path.append("no study at low risk of bias to compare with")
    elif sens is None or sens.estimate is None or sens.ci_lb is None or sens.ci_ub is None:
        note = sens.note if sens is not None else "no pooled estimate to set the low-risk studies' against"
        facts.append(note)
        path.append(note)
    else:
        changes = sens.conclusion_changes
        n = len(sens.studies)
        compared = (
            f"the {studies_word(n)} at low risk of bias alone give{'s' if n == 1 else ''} "
            f"{estimate_text(ctx.measure, sens.estimate, sens.ci_lb, sens.ci_ub)}"
        )
        full = ctx.effect
        if changes is not None and scale is not None and full is not None and full.estimate is not None:
            from gradecli.grade.context import EffectView

            where = zone_words(scale, ctx.measure, EffectView(ctx.measure, sens.estimate, sens.ci_lb, sens.ci_ub))
            whole = estimate_text(ctx.measure, full.estimate, full.lo or full.estimate, full.hi or full.estimate)
            if changes:
                compared += f", {where}: another zone than all studies' {whole}, {zone_words(scale, ctx.measure, full)}"
            else:
                compared += f", {where}: the same zone as all studies' {whole}"
        else:
            compared += " (no thresholds to set it against)"
        facts.append(compared)
        path.append(compared)

    down, confirm = 0, False
    if not low_ids:
        down = top
        why = f"{weight}, and no study is at low risk of bias to compare with"
        if not dominated and not soft:
            # the others have some concerns (or no judgment): how those count decides, and that is the reviewer's
            confirm = True
            others = "studies with some concerns" if b.share("some") else "studies without a judgment"
            why += f": how the {others} count (low or high) decides — the reviewer's choice"
        elif not high_start and not soft:
            why += " (crucial limitations may warrant two levels: the reviewer decides)"
    elif changes is None:
        down = top if dominated else 0
        if sens is None or sens.estimate is None:
            why = f"{weight}, and the studies at low risk of bias give no estimate to compare"
        else:
            why = f"{weight}, and the low-risk studies' estimate cannot be set against the thresholds"
    elif changes:
        down = top if dominated else 1
        why = f"{weight}, and {compared}: consider the low-risk estimate"
        if not dominated and not soft:
            why += " (Core GRADE 4 would take it as the best estimate instead of rating down: the reviewer decides)"
    else:
        why = f"{weight}, {'but' if dominated else 'and'} {compared}"
        if dominated and not soft:
            why += " (a rule on the low-risk share alone, as Pollock 2016's, would rate down)"
    why += _missing_note(b, s)
    if soft and down:
        why = (
            f"no study is at high risk of bias, but {why}: a judgment is needed — are the limitations likely to lower "
            "confidence in the estimate? (no automatic downgrade for some concerns)"
        )
        return _judgment_needed(facts, why, path, cut)
    step = f"risk of bias: {WORDS[down]}" + (" — consider the low-risk estimate" if changes and down else "")
    return _proposal(down, facts, why, [*path, step], cut, confirm=confirm)


def _threshold(cut: float) -> str:
    return (
        f"studies at high risk of bias dominate from {pct(cut)}% of the weight; the low-risk studies' estimate "
        "against the zones of the outcome's thresholds"
    )


def _proposal(down: int, facts: list[str], why: str, path: list[str], cut: float, confirm: bool = False) -> Proposal:
    return Proposal(
        rating=BY_LEVELS[down],
        rule="ROB-WEIGHT",
        threshold=_threshold(cut),
        facts=facts,
        explanation=why,
        path=path,
        needs_confirmation=down > 1 or (confirm and down > 0),
    )


def _judgment_needed(facts: list[str], why: str, path: list[str], cut: float) -> Proposal:
    return Proposal(
        rating=None,
        rule="ROB-WEIGHT",
        threshold=_threshold(cut),
        facts=facts,
        explanation=why,
        path=[*path, "risk of bias: needs the reviewer's judgment (judgements.risk_of_bias)"],
    )


RULE = RobWeight
