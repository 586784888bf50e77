"""ROB-AMSTAR: the review's own methods (AMSTAR items 1–4), as Pollock 2016 counts them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from gradecli.grade.rules.base import Rule, SwitchableSettings

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext


class RobAmstarSettings(SwitchableSettings):
    enabled: bool = Field(
        False,
        description="Add Pollock 2016's review-quality levels (off by default; on in the pollock-2016 rule set).",
    )


LEVELS_BY_ITEMS = {4: 0, 3: 1, 2: 2, 1: 2, 0: 2}


class RobAmstar(Rule[RobAmstarSettings]):
    """Pollock 2016's fourth criterion, for overviews of reviews: the methodological quality of the
    review itself, by how many of AMSTAR items 1–4 it meets (an a priori design, duplicate study
    selection and data extraction, a comprehensive literature search, grey literature) — 4 → 0, 3 →
    one level, fewer → two levels, added to the risk-of-bias proposal (the limitations of the body
    of evidence as the review reports it). The input is `review.amstar: {items_met, reason}`. When
    the file does not give it, the rule says so in the facts: the rating is then as lenient as for a
    review that meets all four items (up to two levels more lenient than Pollock's algorithm). Off by
    default (GRADE rates the evidence, not the review); the pollock-2016 rule set switches it on.

    Sources: Pollock A, Farmer SE, Brady MC, et al. An algorithm was developed to assign GRADE
    levels of evidence to comparisons within systematic reviews. J Clin Epidemiol 2016;70:106–110,
    doi:10.1016/j.jclinepi.2015.08.013, Table 2; Shea BJ et al. Development of AMSTAR. BMC Med Res
    Methodol 2007;7:10, doi:10.1186/1471-2288-7-10.

    gradecli's choices: the levels are added to the risk-of-bias domain (Pollock sums them with the
    other criteria before converting points to a level, which the rule set's table then does).

    PASS: `review.amstar: {items_met: 4}` → no level added.

    FAIL: `items_met: 3` → one level added; `items_met: 2` → two.
    """

    code = "ROB-AMSTAR"
    domain = "risk_of_bias"
    summary = "review quality by AMSTAR items 1–4 (Pollock 2016)"
    settings_model = RobAmstarSettings

    @staticmethod
    def judge(ctx: OutcomeContext) -> tuple[int, str]:
        """(levels to add, the fact that says why)."""
        a = ctx.evidence.review.amstar
        if a is None:
            return 0, (
                "AMSTAR items 1–4 not recorded (review.amstar): Pollock 2016 would add up to two levels for "
                "the review's methods; this rating is as lenient as for a review meeting all four"
            )
        levels = LEVELS_BY_ITEMS[a.items_met]
        added = "no level" if not levels else f"{levels} level" + ("s" if levels > 1 else "")
        return levels, (
            f"the review meets {a.items_met} of AMSTAR items 1–4 ({a.reason.rstrip('.')}): "
            f"{added} for review methods (Pollock 2016)"
        )


RULE = RobAmstar
