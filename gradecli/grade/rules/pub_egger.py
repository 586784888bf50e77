"""PUB-EGGER: the small-study test (Egger's, Peters' or Harbord's) and whether its asymmetry
exaggerates the pooled effect."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings, studies_word
from gradecli.model.evidence import DichotomousRow
from gradecli.model.vocab import Benefit, Measure, Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext
    from gradecli.stats.small_study import SmallStudyRegression

__all__ = ["PubEgger", "PubEggerSettings", "SmallStudyFinding", "find_small_study_test"]

TEST_NAMES = {"Egger": "Egger's test", "Peters": "Peters' test", "Harbord": "Harbord's test"}
RATIO_WORDS = {
    Measure.OR: "odds ratios",
    Measure.PETO_OR: "odds ratios",
    Measure.RR: "risk ratios",
    Measure.HR: "hazard ratios",
}


class PubEggerSettings(SwitchableSettings):
    min_studies: Annotated[int, Field(ge=3)] = Field(
        10,
        description=(
            "The fewest study estimates with which the small-study test is run (the Cochrane Handbook recommends "
            "10; at least 3, so that the regression has a residual degree of freedom)."
        ),
    )
    egger_p: Annotated[float, Field(gt=0, lt=1)] = Field(
        0.10,
        description="The small-study test (Egger's, Peters' or Harbord's) flags asymmetry below this p value.",
    )
    require_exaggeration: bool = Field(
        True,
        description=(
            "Suspect publication bias only from asymmetry that exaggerates the pooled effect: smaller studies "
            "showing effects further from the null in the pooled estimate's direction (a benefit, a harm or an "
            "exposure's association). false: asymmetry in either direction."
        ),
    )
    odds_ratio_test: Literal["peters", "harbord"] = Field(
        "peters",
        description=(
            "The test for odds ratios, for which Egger's test is biased towards asymmetry: Peters' (1/N as the "
            "predictor; needs every study's number of participants) or Harbord's (needs 2×2 counts). When the "
            "data do not allow it, the other one, then Egger's test, is used and the facts say so."
        ),
    )


@dataclass(frozen=True)
class SmallStudyFinding:
    """The small-study test run for an outcome, and how its direction reads against the pooled effect."""

    test: SmallStudyRegression
    notes: list[str] = field(default_factory=list)  # why this test (e.g. Egger's for an odds ratio without N)
    exaggerates: bool | None = None  # None: no pooled direction (estimate exactly at the null) or no slope
    shows: str = ""  # "smaller studies show more harm", ...
    cut: float = 0.10  # the rule set's egger_p: p is never shown rounded across it

    @property
    def p(self) -> str:
        return p_text(self.test.pval, self.cut)

    @property
    def name(self) -> str:
        return TEST_NAMES.get(self.test.name, self.test.name)

    def p_fact(self) -> str:
        return f"{self.name} p = {self.p} ({studies_word(self.test.k)})"

    def p_short(self) -> str:
        return f"{self.name} p = {self.p}, {studies_word(self.test.k)}"


def p_text(p: float, cut: float) -> str:
    """A p value with two significant digits, or more when two would put it on the other side of
    the cut-off it is compared with (0.0999 is never shown as "0.1" beside "p < 0.1")."""
    for digits in range(2, 7):
        text = f"{p:.{digits}g}"
        if (float(text) < cut) == (p < cut):
            return text
    return text


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _shows(ctx: OutcomeContext, coef: int, pooled: int) -> str:
    """What the smaller studies show, in words: against the outcome's benefit when it is known,
    else as larger or smaller ratios (or estimates)."""
    benefit = ctx.outcome.benefit
    if benefit is not None and pooled != 0:
        good = -1 if benefit is Benefit.lower else 1
        kind = "benefit" if pooled == good else "harm"
        return f"smaller studies show {'more' if coef == pooled else 'less'} {kind}"
    what = RATIO_WORDS.get(ctx.measure, "estimates")
    return f"smaller studies show {'larger' if coef > 0 else 'smaller'} {what}"


def find_small_study_test(ctx: OutcomeContext, s: PubEggerSettings) -> SmallStudyFinding | None:
    """The outcome's small-study test: Peters' or Harbord's for odds ratios (``odds_ratio_test``),
    Egger's otherwise (the one computed with the pooled analysis). None with fewer than
    ``min_studies`` study estimates, a summary-level result, or when no test can be computed."""
    from gradecli.grade.context import row_participants
    from gradecli.stats.small_study import from_egger, harbord_test, peters_test

    pooled = ctx.pooled
    if ctx.outcome.form != "studies" or pooled is None or pooled.effects is None:
        return None
    eff = pooled.effects
    if eff.k < max(s.min_studies, 3):
        return None
    notes: list[str] = []
    test: SmallStudyRegression | None = None
    if ctx.measure in (Measure.OR, Measure.PETO_OR):
        rows = dict(zip(ctx.row_labels, ctx.outcome.data or [], strict=False))
        used = [rows.get(label) for label in eff.labels]
        order = ["peters", "harbord"] if s.odds_ratio_test == "peters" else ["harbord", "peters"]
        missing: list[str] = []
        for name in order:
            if name == "harbord":
                tables = [r for r in (ctx.outcome.data or []) if isinstance(r, DichotomousRow)]
                if tables and len(tables) == len(ctx.outcome.data or []):
                    test = harbord_test(
                        [r.events_t for r in tables],
                        [r.n_t for r in tables],
                        [r.events_c for r in tables],
                        [r.n_c for r in tables],
                        s.min_studies,
                    )
                if test is None:
                    missing.append("Harbord's needs 2×2 counts")
            else:
                sizes = [row_participants(r) if r is not None else None for r in used]
                if all(n is not None and n > 0 for n in sizes):
                    random = pooled.model == "random"
                    test = peters_test(
                        eff.yi,
                        eff.vi,
                        [float(n) for n in sizes if n is not None],
                        pooled.method if random else None,
                        bool(pooled.hksj) and random,
                        s.min_studies,
                    )
                if test is None:
                    missing.append("Peters' needs every study's number of participants (not all equal)")
            if test is not None:
                break
        if missing:
            chosen = TEST_NAMES[test.name] if test is not None else "Egger's test"
            caveat = "" if test is not None else "; for odds ratios Egger's test can be biased towards asymmetry"
            notes.append(f"{chosen} used: {' and '.join(missing)}{caveat}")
    if test is None:
        if pooled.egger is None:
            return None
        test = from_egger(pooled.egger)
        if ctx.measure is Measure.SMD:
            notes.append("for SMDs Egger's test can be biased towards asymmetry (the SE depends on the SMD)")
    if not (
        math.isfinite(test.pval) and math.isfinite(test.coef)
    ):  # pragma: no cover - the tests return finite numbers
        return None
    coef, direction = _sign(test.coef), _sign(pooled.estimate)
    exaggerates = None if coef == 0 or direction == 0 else coef == direction
    shows = _shows(ctx, coef, direction) if coef != 0 else "no slope"
    return SmallStudyFinding(test, notes, exaggerates, shows, s.egger_p)


def asymmetry_words(found: SmallStudyFinding, s: PubEggerSettings) -> tuple[bool, str]:
    """(flagged, what the test found in words) for the facts, the path and the explanation."""
    p = found.test.pval
    significant = p < s.egger_p
    if not significant:
        return False, f"no small-study asymmetry at p < {s.egger_p:g} ({found.p_short()})"
    where = f"asymmetry, p = {found.p} ({found.name}, {studies_word(found.test.k)}): {found.shows}"
    if found.exaggerates is True:
        return True, where + ", exaggerating the pooled effect"
    if found.exaggerates is None:
        return True, where + " (the pooled estimate is at the null: no direction to exaggerate)"
    if not s.require_exaggeration:
        return True, where + ", towards the null (flagged in either direction by the rule set)"
    return False, where + ", towards the null: it does not exaggerate the pooled effect"


class PubEgger(Rule[PubEggerSettings]):
    """With `min_studies` or more study estimates, a regression test for small-study effects
    (funnel-plot asymmetry), as metafor's `regtest` computes it: for odds ratios Peters' test
    (`predictor = "ninv"`: the estimates on 1/N with the analysis's model) or Harbord's
    (`odds_ratio_test`; the score Z/√V on √V, from the 2×2 counts), otherwise Egger's
    (`predictor = "sei"`, with the analysis's model). The direction is read from the same fit's
    slope against the pooled estimate: asymmetry *exaggerates* the pooled effect when the smaller
    studies show effects further from the null in the pooled estimate's direction — more benefit
    when the pooled effect is a benefit, more harm when it is a harm, larger ratios for an
    exposure with a ratio above 1 — whichever way the outcome's `benefit` points. p < `egger_p`
    with exaggerating asymmetry → **suspected**: serious (−1), for the reviewer to confirm
    (`needs_confirmation`); asymmetry towards the null → undetected, with the finding stated and
    the reviewer asked to confirm; p ≥ `egger_p` → undetected: not serious. The footnote states
    what the test found ("asymmetry, p = 0.03: smaller studies show more harm"), never "no
    asymmetry" beside a significant test. The domain asks PUB-UNINFORMATIVE first: with
    substantial heterogeneity or studies of similar size the test is uninformative and does not
    decide. Never very serious automatically: asymmetry is not proof of publication bias.
    Switched off (`enabled: false`), no test is run and, unless PUB-FUNDING or PUB-REGISTRY finds
    a signal, the domain is not assessed.

    Sources: GRADE guidelines 5, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1277–1282,
    doi:10.1016/j.jclinepi.2011.01.011; Core GRADE 4, Guyatt G et al., BMJ 2025;389:e083864,
    doi:10.1136/bmj-2024-083864; Egger M, Davey Smith G, Schneider M, Minder C, BMJ
    1997;315:629–634, doi:10.1136/bmj.315.7109.629 (Egger's test); Peters JL, Sutton AJ, Jones DR,
    Abrams KR, Rushton L, JAMA 2006;295(6):676–680, doi:10.1001/jama.295.6.676 (Peters' test);
    Harbord RM, Egger M, Sterne JAC, Stat Med 2006;25(20):3443–3457, doi:10.1002/sim.2380
    (Harbord's test); Sterne JAC et al., BMJ 2011;343:d4002, doi:10.1136/bmj.d4002, and Cochrane
    Handbook v6.5, chapter 13 (Page MJ, Higgins JPT, Sterne JAC), §13.3.5.4 (tests only with at
    least 10 studies; Egger's test is biased for odds ratios); Viechtbauer W, J Stat Softw
    2010;36(3):1–48, doi:10.18637/jss.v036.i03 (metafor's `regtest`).

    gradecli's choices: p < 0.10 (the level conventionally used for these low-powered tests);
    Peters' test as the default for odds ratios (metafor's version: inverse-variance weights of
    the analysis's model, not Peters' events × non-events / N); Egger's test for every other
    measure (for SMDs it is biased too, and the facts say so); asymmetry that exaggerates the pooled
    effect required (`require_exaggeration`); one level at most, always for the reviewer to
    confirm; and `min_studies` may be lowered to 3 (not below: with k studies the regression has
    k − 2 residual degrees of freedom) — below the Handbook's 10 the test has little power and the
    rule set that lowers it says so.

    PASS: 12 studies, Egger's test p = 0.40 → undetected (not serious).

    FAIL: 14 cohorts, a harmful exposure (OR 1.45), Peters' test p = 0.03 and the smaller studies
    show larger odds ratios → suspected: serious, for the reviewer to confirm.
    """

    code = "PUB-EGGER"
    domain = "publication_bias"
    summary = "small-study test (Egger's, Peters' or Harbord's): asymmetry that exaggerates the pooled effect"
    settings_model = PubEggerSettings

    @staticmethod
    def judge(ctx: OutcomeContext, s: PubEggerSettings, found: SmallStudyFinding | None = None) -> Proposal | None:
        """None when PUB-FEW applies: a summary, too few studies, or no test result."""
        found = found or find_small_study_test(ctx, s)
        if found is None:
            return None
        flagged, words = asymmetry_words(found, s)
        facts = [found.p_fact()]
        if found.shows != "no slope":
            facts.append(found.shows)
        facts.extend(found.notes)
        threshold = f"p < {s.egger_p:g}" + (
            " with asymmetry exaggerating the pooled effect"
            if s.require_exaggeration
            else ", asymmetry in either direction"
        )
        path = [words]
        if flagged:
            return Proposal(
                rating=Rating.serious,
                rule="PUB-EGGER",
                threshold=threshold,
                facts=facts,
                explanation=f"suspected — {words}",
                path=path,
                needs_confirmation=True,
            )
        significant = found.test.pval < s.egger_p
        return Proposal(
            rating=Rating.not_serious,
            rule="PUB-EGGER",
            threshold=threshold,
            facts=facts,
            explanation=f"undetected — {words}",
            path=path,
            needs_confirmation=significant,  # asymmetry towards the null: the reviewer looks at the funnel plot
        )


RULE = PubEgger
