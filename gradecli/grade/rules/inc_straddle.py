"""INC-STRADDLE: studies whose 95% CIs lie wholly on the other side of the target's threshold."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, model_validator

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings, pct, studies_word
from gradecli.grade.rules.imp_cross import target_step
from gradecli.grade.rules.inc_i2 import IncI2Settings, at_or_above, gate
from gradecli.grade.scale import choose_target, direction, effect_on_scale, reaches
from gradecli.model.vocab import Rating
from gradecli.numeric import safe_exp

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gradecli.grade.context import OutcomeContext
    from gradecli.grade.scale import Scale, TargetChoice

CODE = "INC-STRADDLE"
NAMES_SHOWN = 6  # study names listed in a fact before "and N more"


class IncStraddleSettings(SwitchableSettings):
    min_studies: Annotated[int, Field(ge=1)] | None = Field(
        2,
        description=(
            "Serious when at least this many studies have 95% CIs wholly on the other side of the target's "
            "threshold; null: the number of studies alone never suffices (min_weight decides)."
        ),
    )
    min_weight: Annotated[float, Field(gt=0, le=1)] | None = Field(
        0.20,
        description=(
            "... or when such studies carry at least this share (0–1) of the fixed-effect (inverse-variance) "
            "weight. For two levels, the studies on each side need this share (with null: min_studies on each "
            "side). null: the weight is not used."
        ),
    )
    two_levels: Literal["flag", "propose"] = Field(
        "flag",
        description=(
            "When the conditions for two levels hold: 'flag' proposes serious and asks the reviewer to consider "
            "very serious (Core GRADE 3: two levels are unusual); 'propose' proposes very serious (GRADE 7 "
            "allows it). Either needs the reviewer's confirmation."
        ),
    )

    @model_validator(mode="after")
    def _one_criterion(self) -> IncStraddleSettings:
        if self.min_studies is None and self.min_weight is None:
            raise ValueError("min_studies and min_weight cannot both be null: nothing would count")
        return self


@dataclass(frozen=True)
class Placed:
    """One row's estimate and 95% CI on the judging scale, with its share of the fixed-effect weight."""

    study: str
    est: float
    lo: float
    hi: float
    weight: float


def placed(ctx: OutcomeContext, scale: Scale) -> list[Placed]:
    """The rows with an estimate that can be placed on the judging scale; weights are shares of the
    inverse-variance (fixed-effect) weight of those rows."""
    found: list[tuple[str, tuple[float, float, float], float]] = []
    for sid, ysei, eff in zip(ctx.study_ids, ctx.row_yisei, ctx.row_effects, strict=False):
        if ysei is None or eff.estimate is None or not ysei[1] > 0:
            continue
        on = effect_on_scale(scale, eff)
        if on is not None:
            found.append((sid, on, 1.0 / (ysei[1] * ysei[1])))
    total = math.fsum(w for *_, w in found)
    if not (total > 0 and math.isfinite(total)):
        return []
    return [Placed(sid, on[0], on[1], on[2], w / total) for sid, on, w in found]


def grouped(rows: Sequence[Placed]) -> tuple[list[str], float]:
    """The distinct studies (a trial's rows are one study) and their share of the weight."""
    ids = list(dict.fromkeys(p.study for p in rows))
    return ids, math.fsum(p.weight for p in rows)


def names(ids: list[str]) -> str:
    shown = ", ".join(ids[:NAMES_SHOWN])
    return shown + (f" and {len(ids) - NAMES_SHOWN} more" if len(ids) > NAMES_SHOWN else "")


def share(w: float) -> str:
    return f"{pct(w)}%"


def signed(scale: Scale, v: float) -> str:
    """A threshold in words, its sign shown on a difference scale ('−0.2 points', 'SMD −0.5'): the
    absolute and relative scales say it already ('20 fewer per 1,000', 'ratio 0.75')."""
    if scale.kind != "difference":
        return scale.show_threshold(v)
    if scale.unit == "SD":
        return f"SMD {scale.show(v)}"
    return scale.show(v) + (f" {scale.unit}" if scale.unit else "")


@dataclass(frozen=True)
class Threshold:
    """The target's threshold(s) on the judging scale, and what lies on the other side of them
    from the pooled estimate. A CI limit exactly at a threshold is read as imprecision reads it
    (:func:`gradecli.grade.scale.reaches`): a limit on the null includes the null; a limit on an
    MID reaches the important zone."""

    kind: str  # non_null_effect | important_effect | little_or_no_effect
    sign: int  # the pooled estimate's side of the null (−1, 0, +1); for an important effect, its MID's side
    mid: float  # the MID's magnitude (important effect)
    up: float | None  # the MIDs' magnitudes (little or no effect)
    down: float | None
    words: str  # "the null", "the MID (ratio 0.75)", "the MIDs (…)"
    place: str  # "on the other side of the null (an increase)", "short of the MID (…)", "beyond the MIDs (…)"

    @property
    def other(self) -> str:
        return f"wholly {self.place}"

    def ci_other(self, lo: float, hi: float) -> bool:
        """The whole 95% CI lies on the other side of the threshold from the pooled estimate."""
        if self.kind == "non_null_effect":
            return (self.sign <= 0 and lo > 0) or (self.sign >= 0 and hi < 0)
        if self.kind == "important_effect":
            far = hi if self.sign > 0 else -lo  # the CI's limit on the important side
            return not reaches(far, self.mid)
        return (self.up is not None and reaches(lo, self.up)) or (self.down is not None and reaches(-hi, self.down))

    def value_other(self, x: float) -> bool:
        """A point estimate on the other side (shown, never counted)."""
        return self.ci_other(x, x)

    def reaches_other(self, lo: float, hi: float) -> bool:
        """An interval reaches into the other side (the prediction interval)."""
        if self.kind == "non_null_effect":
            return (self.sign <= 0 and hi > 0) or (self.sign >= 0 and lo < 0)
        if self.kind == "important_effect":
            near = lo if self.sign > 0 else -hi
            return not reaches(near, self.mid)
        return (self.up is not None and reaches(hi, self.up)) or (self.down is not None and reaches(-lo, self.down))


def threshold_for(scale: Scale, choice: TargetChoice, v: float) -> Threshold:
    """The threshold(s) of the rating's target — the ones imprecision judges the pooled CI against."""
    if choice.kind == "non_null_effect":
        sign = 0 if v == 0 else (1 if v > 0 else -1)
        d = direction(scale, -sign)
        word = {"increase": "an increase", "reduction": "a reduction"}.get(d, d)
        where = "either side" if sign == 0 else f"the other side of the null ({word})"
        return Threshold("non_null_effect", sign, 0.0, None, None, "the null", f"on {where}")
    if choice.kind == "important_effect":
        sign = 1 if v > 0 else -1
        m = scale.side(v).mid
        assert m is not None, "an important effect has an MID on its side"
        mid = f"the MID ({signed(scale, sign * m)})"
        return Threshold("important_effect", sign, m, None, None, mid, f"short of {mid}")
    up, down = scale.up.mid, scale.down.mid
    shown = [signed(scale, x) for x in ((-down,) if down else ()) + ((up,) if up else ())]
    words = f"the MIDs ({' and '.join(shown)})" if len(shown) > 1 else f"the MID ({shown[0]})"
    return Threshold("little_or_no_effect", 0, 0.0, up, down, words, f"beyond {words}")


def important_zones(scale: Scale) -> tuple[tuple[float, str] | None, tuple[float, str] | None]:
    """(magnitude, words) of an important reduction and of an important increase: the MIDs, or —
    with no MID — the rule set's appreciable-effect fallback; None for a side with neither."""
    out: list[tuple[float, str] | None] = []
    for sign, side, fb in ((-1, scale.down, 0), (1, scale.up, 1)):
        word = direction(scale, sign)
        if side.mid is not None:
            out.append((side.mid, f"beyond the MID {signed(scale, sign * side.mid)} (an important {word})"))
        elif scale.fallback is not None:
            m = scale.fallback[fb]
            out.append(
                (
                    m,
                    f"beyond {signed(scale, sign * m)} (an appreciable {word}: the rule set's fallback, no MID given)",
                )
            )
        else:
            out.append(None)
    return out[0], out[1]


@dataclass(frozen=True)
class Prediction:
    lo: float  # on the analysis scale (log for ratios)
    hi: float
    df: int
    note: str  # how it was obtained


def prediction(ctx: OutcomeContext) -> Prediction | str:
    """The 95% prediction interval with t on k − 2 df (Higgins, Thompson & Spiegelhalter 2009):
    the analysis's own when it is that one, else recomputed from τ² and the pooled SE; or why
    there is none."""
    from gradecli.stats.pooling import critical_value

    p = ctx.pooled
    if p is None:
        return "no 95% prediction interval: no pooled analysis of per-study estimates"
    if p.tau2 is None:
        return "no 95% prediction interval: a fixed-effect analysis has no τ²"
    if p.k < 3:
        return "no 95% prediction interval: t on k − 2 df needs 3 or more studies"
    df = p.k - 2
    if p.prediction == "higgins" and p.pi_lb is not None and p.pi_ub is not None:
        return Prediction(p.pi_lb, p.pi_ub, df, "")
    half = critical_value(df) * math.sqrt(p.se * p.se + p.tau2)
    lo, hi = p.estimate - half, p.estimate + half
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "no 95% prediction interval: it is beyond the floating-point range"
    own = "z" if p.pi_df is None else f"t on {p.pi_df} df"
    return Prediction(lo, hi, df, f"; recomputed from τ² and the pooled SE — the analysis's own interval uses {own}")


def prediction_on_scale(ctx: OutcomeContext, scale: Scale, pi: Prediction) -> tuple[float, float] | None:
    lo, hi = (safe_exp(pi.lo), safe_exp(pi.hi)) if ctx.is_ratio else (pi.lo, pi.hi)
    if lo is None or hi is None:
        return None
    try:
        return scale.value(ctx.measure, lo), scale.value(ctx.measure, hi)
    except (ValueError, ZeroDivisionError):
        return None


class IncStraddle(Rule[IncStraddleSettings]):
    """When INC-I2's gate is open (I² at or above its threshold), decides whether the
    heterogeneity matters: it does when studies lie on the other side of the outcome's
    threshold from the pooled estimate — judged by their **95% CIs**, never by their point
    estimates alone. The threshold is the target's, the one imprecision uses (one threshold set
    per outcome): the null for a non-null effect (no MID); the MID on the pooled estimate's side
    for an important effect; both MIDs for little or no important effect. A study counts only
    when its whole 95% CI lies on the other side (a CI that spans the threshold never counts);
    **serious** when at least `min_studies` studies count, or they carry at least `min_weight` of
    the fixed-effect (inverse-variance) weight; otherwise *not serious* — large I² with all the
    studies on one side, or only overlapping CIs across the threshold, leaves the conclusion
    unchanged.

    Two levels are never automatic: when I² ≥ INC-I2's `i2_very_serious` and studies with
    substantial weight (`min_weight` each side) have 95% CIs wholly in an important reduction and
    others wholly in an important increase (beyond the MIDs; with no MID, the rule set's
    appreciable-effect fallback), the proposal stays serious and asks the reviewer to consider
    very serious (`two_levels: flag`), or is very serious (`two_levels: propose`); either needs
    the reviewer's confirmation. The 95% prediction interval, with t on k − 2 df (recomputed from
    τ² and the pooled SE when the analysis used another interval), is shown beside the judgment:
    it supports a downgrade but never makes one alone. Without per-study estimates (a
    summary-level result) a large I² is *not assessed*.

    Sources: Core GRADE 3, Guyatt G et al., BMJ 2025;389:e081905, doi:10.1136/bmj-2024-081905
    (point estimates, CI overlap and where they lie against the chosen threshold; two levels are
    unusual); GRADE guidelines 7, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1294–1302,
    doi:10.1016/j.jclinepi.2011.03.017 (rate down "particularly if some studies suggest
    substantial benefit, and others no effect or harm"; minimal CI overlap); GRADE guidance 36,
    Guyatt G et al., J Clin Epidemiol 2023;158:70–83, doi:10.1016/j.jclinepi.2023.03.003 (large,
    precise studies on one side of the threshold are consistent whatever I² says; the rating
    depends on the target); Higgins JPT, Thompson SG, Spiegelhalter DJ, J R Stat Soc A
    2009;172(1):137–159, doi:10.1111/j.1467-985X.2008.00552.x (the prediction interval, t on k − 2
    df); GRADE guidelines 6, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1283–1293,
    doi:10.1016/j.jclinepi.2011.01.012 (RR 0.75 / 1.25 as appreciable benefit or harm: the
    default fallback of the examples below).

    gradecli's choices: 2 studies or 20% of the fixed-effect weight (the rulebook's R4.5); the
    fixed-effect weight, which random effects would flatten as τ² grows; a CI limit exactly at a
    threshold read as imprecision reads it (on the null: it includes the null, not counted; on an
    MID: it reaches the important zone); a pooled estimate exactly on the null counts the studies
    on either side; 75% and each side's 20% of the weight for two levels, flagged rather than
    proposed; a large I² without per-study estimates is not assessed rather than not serious.
    Credible subgroup effects (ICEMAN) are not analysed: the reviewer judges them.

    PASS: 8 studies, I² = 62%, RR 0.71; seven RR 0.45–0.85 and one small trial RR 1.38 (0.39 to
    4.88) — its CI spans the null, so it does not count → not serious (no MID: the null is the
    threshold).

    FAIL: 6 studies, I² = 81%; two (48% of the weight) with CIs wholly below RR 0.75, two (31%)
    wholly above 1.25 → serious, "consider two levels" flagged for the reviewer.
    """

    code = CODE
    domain = "inconsistency"
    summary = "studies' 95% CIs wholly on the other side of the target's threshold"
    settings_model = IncStraddleSettings
    uses_scale = True

    @staticmethod
    def judge(ctx: OutcomeContext, i2: IncI2Settings, s: IncStraddleSettings, scale: Scale | None) -> Proposal | None:
        """None unless INC-I2's gate (settings ``i2``) is open."""
        found = gate(ctx, i2)
        if found is None or not found.open:
            return None
        assert ctx.i2 is not None
        path = [found.step]
        facts = [found.fact]
        criterion = " or ".join(
            ([f"≥ {s.min_studies} studies"] if s.min_studies is not None else [])
            + ([f"≥ {share(s.min_weight)} of the fixed-effect weight"] if s.min_weight is not None else [])
        )
        threshold = (
            f"{found.threshold}; a study counts when its 95% CI lies wholly on the other side of the threshold "
            f"({criterion})"
        )

        def undecided(why: str) -> Proposal:
            path.append(f"{why} → not assessed")
            return Proposal(
                rating=None,
                rule=CODE,
                threshold=threshold,
                facts=[*facts, why],
                explanation=(
                    f"I² = {found.i2_text}% is large, but with {why.split(':')[0]} it cannot be told whether the "
                    "variation changes the conclusion; judge inconsistency (judgements.inconsistency)"
                ),
                path=path,
            )

        cannot = "cannot tell whether any study's 95% CI lies wholly on the other side of the threshold"
        if ctx.outcome.form != "studies":
            return undecided(f"no per-study estimates: {cannot}")
        on = effect_on_scale(scale, ctx.effect) if scale is not None and ctx.effect is not None else None
        if scale is None or on is None:
            return undecided(f"no pooled estimate on a scale with a threshold: {cannot}")
        v = on[0]
        choice = choose_target(scale, v)
        path.append(target_step(scale, choice, v))
        if choice.note:
            path.append(choice.note)
        thr = threshold_for(scale, choice, v)
        rows = placed(ctx, scale)
        if not rows:
            return undecided(f"no study estimate on the judging scale: {cannot}")

        other = [p for p in rows if thr.ci_other(p.lo, p.hi)]
        ids, weight = grouped(other)
        counted = (s.min_studies is not None and len(ids) >= s.min_studies) or (
            s.min_weight is not None and bool(ids) and reaches(weight, s.min_weight)
        )
        if ids:
            found_text = f"{studies_word(len(ids))} ({names(ids)}; {share(weight)} of the fixed-effect weight)"
            facts.append(f"{found_text}: 95% CI {thr.other}")
        else:
            found_text = "no study"
            facts.append(f"no study's 95% CI lies {thr.other}")
        by_point = [p for p in rows if thr.value_other(p.est) and p.study not in ids]
        if by_point:
            pids, _ = grouped(by_point)
            facts.append(
                f"{len(pids)} more stud{'y' if len(pids) == 1 else 'ies'} with the point estimate {thr.place}, "
                "but not the whole 95% CI: "
                "not counted (a point estimate alone never places a study on the other side)"
            )

        pi = prediction(ctx)
        pi_step: str | None = None
        if isinstance(pi, str):
            facts.append(pi)
        else:
            pi_on = prediction_on_scale(ctx, scale, pi)
            if pi_on is None:
                facts.append("no 95% prediction interval on the judging scale")
            else:
                reach = thr.reaches_other(*pi_on)
                where = (
                    f"reaches the other side of {thr.words}"
                    if reach
                    else f"stays on the pooled estimate's side of {thr.words}"
                )
                text = (
                    f"95% prediction interval {scale.show_interval(*pi_on)} (t on k − 2 = {pi.df} df, Higgins 2009"
                    f"{pi.note})"
                )
                facts.append(f"{text}: {where}")
                if reach:
                    pi_step = f"the {text} {where}: " + (
                        "supports the downgrade" if counted else "a prediction interval never rates down on its own"
                    )

        if not counted:
            if ids:
                short = " and ".join(
                    ([f"fewer than {s.min_studies} studies"] if s.min_studies is not None else [])
                    + ([f"under {share(s.min_weight)} of the weight"] if s.min_weight is not None else [])
                )
                path.append(f"{found_text}: 95% CI {thr.other}; {short} → 0")
            else:
                path.append(f"no study's 95% CI lies {thr.other} → 0")
            if pi_step:
                path.append(pi_step)
            path.append("inconsistency: not serious")
            why = (
                f"I² = {found.i2_text}%, but no study's 95% CI lies {thr.other}"
                if not ids
                else f"I² = {found.i2_text}%, but only {found_text} {'has' if len(ids) == 1 else 'have'} a 95% CI "
                f"{thr.other}"
            )
            return Proposal(
                rating=Rating.not_serious,
                rule=CODE,
                threshold=threshold,
                facts=facts,
                explanation=why + ": the variation does not change the conclusion",
                path=path,
            )

        path.append(f"{found_text}: 95% CI {thr.other} → −1")
        if pi_step:
            path.append(pi_step)
        why = f"I² = {found.i2_text}% and {found_text} {'has' if len(ids) == 1 else 'have'} a 95% CI {thr.other}"
        two = two_level_step(ctx.i2, i2, s, scale, rows)
        if two is None:
            path.append("inconsistency: serious")
            return Proposal(
                rating=Rating.serious, rule=CODE, threshold=threshold, facts=facts, explanation=why, path=path
            )
        step, reason = two
        facts.append(f"consider two levels: {reason}")
        if s.two_levels == "propose":
            path.extend([f"{step} → −2", "inconsistency: very serious"])
            rating = Rating.very_serious
        else:
            path.extend(
                [f"{step}: consider −2 (unusual, Core GRADE 3; the reviewer decides)", "inconsistency: serious"]
            )
            rating = Rating.serious
        return Proposal(
            rating=rating,
            rule=CODE,
            threshold=threshold,
            facts=facts,
            explanation=f"{why}; consider two levels: {reason}",
            path=path,
            needs_confirmation=True,
        )


def two_level_step(
    i2_value: float, i2: IncI2Settings, s: IncStraddleSettings, scale: Scale, rows: Sequence[Placed]
) -> tuple[str, str] | None:
    """(path step, reason) when two levels are to be considered: I² ≥ i2_very_serious and studies
    with substantial weight have 95% CIs wholly in an important reduction and others wholly in an
    important increase; None otherwise."""
    if i2.i2_very_serious is None or not at_or_above(i2_value, i2.i2_very_serious):
        return None
    low, high = important_zones(scale)
    if low is None or high is None:
        return None
    groups = []
    for (magnitude, words), sign in ((low, -1), (high, 1)):
        # the whole CI beyond the important boundary: its upper limit below −m, or its lower limit above m
        ids, w = grouped([p for p in rows if reaches(-p.hi if sign < 0 else p.lo, magnitude)])
        enough = reaches(w, s.min_weight) if s.min_weight is not None else len(ids) >= (s.min_studies or 1)
        if not (ids and enough):
            return None
        groups.append(f"{words}: {names(ids)}, {share(w)} of the weight")
    reason = f"95% CIs lie wholly {groups[0]}; and wholly {groups[1]}"
    return f"I² ≥ {i2.i2_very_serious:g}% and {reason}", reason


RULE = IncStraddle
