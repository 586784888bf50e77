"""PUB-UNINFORMATIVE: a small-study test that cannot tell — substantial heterogeneity, or studies of similar size."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings, pct
from gradecli.grade.rules.pub_egger import PubEggerSettings, SmallStudyFinding, asymmetry_words, find_small_study_test
from gradecli.grade.scale import reaches

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext


class PubUninformativeSettings(SwitchableSettings):
    i2_uninformative: Annotated[float, Field(ge=0, le=100)] | None = Field(
        50.0,
        description=(
            "From this I² (percent) on, the small-study test is uninformative (heterogeneity, not study size, may "
            "explain the asymmetry); null: I² is not considered."
        ),
    )
    min_variance_ratio: Annotated[float, Field(ge=1)] | None = Field(
        4.0,
        description=(
            "The test is informative only when the largest study variance is more than this many times the "
            "smallest (at or below it the studies are of similar size); null: not considered."
        ),
    )


def variance_ratio(ctx: OutcomeContext) -> float | None:
    """Largest over smallest study-level sampling variance of the pooled analysis."""
    pooled = ctx.pooled
    if pooled is None or pooled.effects is None or not pooled.effects.vi:
        return None
    vi = pooled.effects.vi
    return max(vi) / min(vi)


def _ratio(r: float) -> str:
    return f"{r:.3g}"


def informative_step(ctx: OutcomeContext, u: PubUninformativeSettings) -> str:
    """The path step of an informative test (what was checked)."""
    parts = []
    if u.i2_uninformative is not None and ctx.i2 is not None:
        parts.append(f"I² {pct(ctx.i2 / 100, u.i2_uninformative / 100)}% (< {u.i2_uninformative:g}%)")
    r = variance_ratio(ctx)
    if u.min_variance_ratio is not None and r is not None:
        parts.append(f"largest/smallest variance {_ratio(r)} (> {u.min_variance_ratio:g})")
    return "the small-study test is informative" + (": " + ", ".join(parts) if parts else "")


class PubUninformative(Rule[PubUninformativeSettings]):
    """With enough studies for PUB-EGGER's test, the test is still *uninformative* when I² is at
    least `i2_uninformative` (substantial heterogeneity: asymmetry may come from it, and a
    non-significant test rules nothing out) or when the studies are of similar size (the largest
    sampling variance at most `min_variance_ratio` times the smallest: no small studies to compare
    with large ones). The domain is then *not assessed* — "undetected — test uninformative" — for
    the reviewer to judge from the funnel plot, funding, registries and unpublished trials
    (`judgements.publication_bias`); the test's result is still stated, and a significant one is
    named ("asymmetry, p = 0.03 …"), never hidden. A non-significant test is never by itself
    "not serious". Switched off, PUB-EGGER decides whatever the heterogeneity and the sizes.

    Sources: Ioannidis JPA, Trikalinos TA, CMAJ 2007;176(8):1091–1096, doi:10.1503/cmaj.060410
    (asymmetry tests are meaningful only with I² < 50%, 10 or more studies and a ratio of the
    largest to the smallest variance above 4); Sterne JAC et al., BMJ 2011;343:d4002,
    doi:10.1136/bmj.d4002, and Cochrane Handbook v6.5, chapter 13 (Page MJ, Higgins JPT, Sterne
    JAC), §13.3.5.4 (tests are not appropriate when the studies are of similar size, and
    heterogeneity can cause asymmetry); GRADE guidelines 5, Guyatt GH et al., J Clin Epidemiol
    2011;64(12):1277–1282, doi:10.1016/j.jclinepi.2011.01.011.

    gradecli's choices: I² of the analysis as reported (for random-effects models, from τ²), at or
    above 50% uninformative (a meaningful test needs I² < 50%); the variance ratio over the
    study-level estimates of the analysis, at or below 4 uninformative; no rating proposed (not
    assessed), so that a reviewer decides.

    PASS (does not apply): 12 studies, I² 0%, largest/smallest variance 42 → PUB-EGGER decides.

    FAIL: 12 RCTs, I² 78%, Egger's test p = 0.40 → undetected — test uninformative: not assessed,
    for the reviewer to judge.
    """

    code = "PUB-UNINFORMATIVE"
    domain = "publication_bias"
    summary = "small-study test uninformative (I² ≥ 50% or studies of similar size): for the reviewer"
    settings_model = PubUninformativeSettings

    @staticmethod
    def judge(
        ctx: OutcomeContext,
        u: PubUninformativeSettings,
        s: PubEggerSettings,
        found: SmallStudyFinding | None = None,
    ) -> Proposal | None:
        """None when the test is informative (or cannot be run: PUB-FEW applies)."""
        found = found or find_small_study_test(ctx, s)
        if found is None:
            return None
        why: list[str] = []
        limits: list[str] = []
        if u.i2_uninformative is not None:
            limits.append(f"I² < {u.i2_uninformative:g}%")
            i2 = ctx.i2
            if i2 is not None and reaches(i2, u.i2_uninformative):
                why.append(f"I² {pct(i2 / 100, u.i2_uninformative / 100)}%, at least {u.i2_uninformative:g}%")
        if u.min_variance_ratio is not None:
            limits.append(f"largest/smallest variance > {u.min_variance_ratio:g}")
            r = variance_ratio(ctx)
            if r is not None and r <= u.min_variance_ratio * (1 + 1e-12):
                why.append(
                    f"largest/smallest variance {_ratio(r)}, at most {u.min_variance_ratio:g} (studies of similar size)"
                )
        if not why:
            return None
        _, words = asymmetry_words(found, s)
        significant = found.test.pval < s.egger_p
        facts = [found.p_fact()]
        if significant and found.shows != "no slope":
            facts.append(found.shows)
        facts.extend(found.notes)
        facts.extend(f"test uninformative: {w}" for w in why)
        because = "; ".join(why)
        if significant:
            head = f"test uninformative: {because}; it finds {words}"
        else:
            head = f"undetected — test uninformative: {because} ({found.p_short()})"
        return Proposal(
            rating=None,
            rule="PUB-UNINFORMATIVE",
            threshold=" and ".join(limits) + " for an informative test",
            facts=facts,
            explanation=head + "; judge the funnel plot, funding, registries and unpublished trials",
            path=[f"the small-study test is uninformative: {because}", words],
            needs_confirmation=True,
        )


RULE = PubUninformative
