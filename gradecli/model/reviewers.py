"""Two (or more) reviewers: who they are, each one's independent judgments, and the consensus that
resolves a disagreement (Cochrane MECIR C74/C75: risk of bias and certainty judged by two people
independently, disagreements resolved).

The evidence file names the reviewers once (``reviewers:``) and may list files of judgments, one per
reviewer (``reviewer_files:``, paths relative to the evidence file and confined to its folder), or
hold the same content inline (``reviewer_judgements:``). A reviewer's judgments may leave a rating
empty (``rating: null``): not judged yet — a template (``gradecli agree --template``) is a file of
empty ratings. ``consensus:`` entries record the agreed judgment of one outcome's domain (or of one
study's overall risk of bias), who agreed, why and when; the engine uses the consensus, and a
disagreement without one leaves the outcome provisional.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from gradecli.model.base import WHOLE, NonEmpty, Reason, Strict, _format_version
from gradecli.model.vocab import Certainty, Rating

DOWNGRADES = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")
UPGRADES = ("large_effect", "dose_response", "residual_confounding")
ITEMS = (*DOWNGRADES, *UPGRADES, "certainty")
"""What a reviewer judges for an outcome: the five domains, the three reasons to rate up, the certainty."""
JUDGEMENTS_FORMAT = 1

Id = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
"""A reviewer id: letters, digits, ``.``, ``_``, ``-`` (it names a reviewer in tables and files)."""


def _iso_date(value: str) -> str:
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    return value


Date = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD"), AfterValidator(_iso_date)]


class Reviewer(Strict):
    """A person who judges the evidence independently."""

    id: Id
    name: NonEmpty | None = None
    role: NonEmpty | None = Field(None, description="e.g. 'methodologist', 'clinical expert'.")


class _Dated(Strict):
    reason: Reason | None = None
    date: Date | None = None

    @model_validator(mode="after")
    def _reason_with_rating(self) -> _Dated:
        if getattr(self, "rating", getattr(self, "levels", None)) is not None and self.reason is None:
            raise ValueError("a judgment needs a reason (`reason:`): why, in words a reader understands")
        return self


class ReviewerRating(_Dated):
    """One reviewer's rating of a downgrade domain (null: not judged yet)."""

    rating: Rating | None = None


class ReviewerUpgrade(_Dated):
    """One reviewer's levels of rating up (0–2; null: not judged yet)."""

    levels: Annotated[int, Field(ge=0, le=2), WHOLE] | None = None


class ReviewerCertainty(_Dated):
    """One reviewer's overall certainty (null: not judged yet)."""

    rating: Certainty | None = None


class ReviewerOutcome(Strict):
    """One reviewer's judgments of one outcome (any subset of the items)."""

    risk_of_bias: ReviewerRating | None = None
    inconsistency: ReviewerRating | None = None
    indirectness: ReviewerRating | None = None
    imprecision: ReviewerRating | None = None
    publication_bias: ReviewerRating | None = None
    large_effect: ReviewerUpgrade | None = None
    dose_response: ReviewerUpgrade | None = None
    residual_confounding: ReviewerUpgrade | None = None
    certainty: ReviewerCertainty | None = None


class ReviewerStudy(_Dated):
    """One reviewer's overall risk-of-bias judgment of one study, in the vocabulary of the study's tool."""

    overall: NonEmpty | None = None

    @model_validator(mode="after")
    def _reason_with_overall(self) -> ReviewerStudy:
        if self.overall is not None and self.reason is None:
            raise ValueError("a judgment needs a reason (`reason:`): why, in words a reader understands")
        return self


class ReviewerJudgements(Strict):
    """One reviewer's independent judgments: a file of its own (``gradecli-judgements: 1``) or an
    entry of the evidence file's ``reviewer_judgements``."""

    format: Annotated[Literal[1], BeforeValidator(_format_version)] | None = Field(
        None, alias="gradecli-judgements", description="Format version of a reviewer's judgments file."
    )
    reviewer: Id
    date: Date | None = Field(None, description="When the judgments were made (each may give its own).")
    outcomes: dict[NonEmpty, ReviewerOutcome] = Field(default_factory=dict, max_length=10_000)
    studies: dict[NonEmpty, ReviewerStudy] = Field(default_factory=dict, max_length=100_000)


class Consensus(Strict):
    """The agreed judgment that resolves a disagreement: of one outcome's item (``outcome`` and
    ``item``), or of one study's overall risk of bias (``study``)."""

    outcome: NonEmpty | None = None
    item: Literal[ITEMS] | None = Field(  # type: ignore[valid-type]
        None, description="The domain, reason to rate up, or `certainty` of the outcome that was resolved."
    )
    study: NonEmpty | None = None
    rating: NonEmpty | None = Field(
        None,
        description="The agreed rating: a domain rating (not_serious … extremely_serious), a certainty "
        "(high … very_low), or a study's overall risk of bias in its tool's words.",
    )
    levels: Annotated[int, Field(ge=0, le=2), WHOLE] | None = Field(None, description="A reason to rate up: levels.")
    agreed_by: list[Id] = Field(min_length=1, max_length=100)
    reason: Reason | None = Field(None, description="Why this judgment was agreed (`gradecli check` asks for one).")
    date: Date | None = None

    @model_validator(mode="after")
    def _what_it_resolves(self) -> Consensus:
        if (self.outcome is None) == (self.study is None):
            raise ValueError("a consensus resolves either one outcome's item (`outcome` and `item`) or one `study`")
        if self.outcome is not None and self.item is None:
            raise ValueError("a consensus about an outcome names the `item` it resolves (e.g. risk_of_bias)")
        if self.study is not None and self.item is not None:
            raise ValueError("a consensus about a study resolves its overall risk of bias: leave `item` out")
        upgrade = self.item in UPGRADES
        if upgrade and self.levels is None:
            raise ValueError(f"a consensus about {self.item} gives `levels` (0, 1 or 2)")
        if not upgrade and self.rating is None:
            raise ValueError("a consensus gives the agreed `rating`")
        if self.item in DOWNGRADES and self.rating not in {r.value for r in Rating}:
            raise ValueError(f"rating {self.rating!r}: a domain is rated {', '.join(r.value for r in Rating)}")
        if self.item == "certainty" and self.rating not in {c.value for c in Certainty}:
            raise ValueError(f"rating {self.rating!r}: the certainty is {', '.join(c.value for c in Certainty)}")
        return self
