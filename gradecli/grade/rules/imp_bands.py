"""IMP-BANDS: rating imprecision by the number of participants alone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings
from gradecli.model.vocab import Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext


class ParticipantBand(BaseModel):
    """From ``min`` participants on (up to the next band), the rating ``rating``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: Annotated[int, Field(ge=0)] = Field(description="The fewest participants of the band.")
    rating: Rating = Field(description="The imprecision rating of the band.")


class ImpBandsSettings(SwitchableSettings):
    enabled: bool = Field(
        False,
        description=(
            "Rate imprecision by participant_bands alone, instead of IMP-CROSS, IMP-RELATIVE, IMP-SPARSE "
            "and IMP-OIS (off by default; the Pollock 2016 rule set switches it on)."
        ),
    )
    participant_bands: list[ParticipantBand] = Field(
        default_factory=list,
        description=(
            "The bands: an outcome gets the rating of the highest band it reaches; below every band, very serious."
        ),
    )
    participants_not_reported: Literal["not_assessed", "serious", "very_serious"] = Field(
        "not_assessed", description="What an outcome without a participant count gets."
    )


class ImpBands(Rule[ImpBandsSettings]):
    """An alternative way to rate imprecision, used by published algorithms: by the number of
    participants alone, in bands (`participant_bands`: from `min` participants on, `rating`); an
    outcome below every band is very serious, and one with no participant count gets
    `participants_not_reported`. Off by default. When a rule set switches it on, it alone decides
    imprecision and the CI rules (IMP-CROSS, IMP-RELATIVE, IMP-SPARSE, IMP-OIS) are not consulted
    (the Pollock 2016 rule set also switches those off, so that `gradecli rules show` says so).

    Sources: Pollock A, Farmer SE, Brady MC, et al. An algorithm was developed to assign GRADE
    levels of evidence to comparisons within systematic reviews. J Clin Epidemiol 2016;70:106–110,
    doi:10.1016/j.jclinepi.2015.08.013, Table 2 (≥ 200 participants: 0; 100–199: −1; 1–99: −2).

    gradecli's choices: none beyond the bands a rule set gives (GRADE itself judges the CI, not
    the count).

    PASS: Pollock's bands, 250 participants → not serious.

    FAIL: Pollock's bands, 150 participants → serious; 95 → very serious.
    """

    code = "IMP-BANDS"
    domain = "imprecision"
    summary = "rating by number of participants alone"
    settings_model = ImpBandsSettings

    @staticmethod
    def judge(ctx: OutcomeContext, s: ImpBandsSettings) -> Proposal:
        n = ctx.participants
        if n is None:
            if s.participants_not_reported == "not_assessed":
                return Proposal(
                    rating=None,
                    rule="IMP-BANDS",
                    facts=["participants not reported"],
                    explanation="the number of participants is not reported",
                )
            return Proposal(
                rating=Rating(s.participants_not_reported),
                rule="IMP-BANDS",
                facts=["participants not reported"],
                explanation="participants not reported",
            )
        bands = sorted(s.participant_bands, key=lambda b: -b.min)
        rating = next((b.rating for b in bands if n >= b.min), Rating.very_serious)
        desc = ", ".join(f"≥{b.min}: {b.rating.value.replace('_', ' ')}" for b in bands)
        return Proposal(
            rating=rating,
            rule="IMP-BANDS",
            threshold=desc,
            facts=[f"{n:,} participants"],
            explanation=f"{n:,} participants ({desc})",
        )


RULE = ImpBands
