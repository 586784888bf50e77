"""PUB-FUNDING: most or all studies small and industry-funded (the studies' `funding`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings
from gradecli.model.evidence import ContinuousRow, DichotomousRow, GenericRow
from gradecli.model.vocab import Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext

_INDUSTRY_WORDS = r"industry|industrial|commercial(?:ly)?|pharma\w*|manufacturers?|compan(?:y|ies)|for-profit"
INDUSTRY = re.compile(rf"\b(?:{_INDUSTRY_WORDS}|mixed)\b", re.IGNORECASE)
NEGATED = re.compile(
    rf"\b(?:non|no|not|without|independent\s+of|free\s+(?:of|from))[\s-]+(?:\w+[\s-]+){{0,2}}(?:{_INDUSTRY_WORDS})\b",
    re.IGNORECASE,
)
NOT_RECORDED = re.compile(
    r"\s*(?:not\s+(?:reported|stated|known)|unknown|unclear|n/?a|none\s+stated)\s*", re.IGNORECASE
)
MIN_SIGNAL_STUDIES = 2
""""A number of" small studies (GRADE 5): one small industry-funded study is no pattern."""


def industry_funded(funding: str | None) -> bool | None:
    """Whether a study's free-text ``funding`` records industry (commercial) funding, wholly or in
    part: one of the words industry, industrial, commercial, pharma…, manufacturer, company,
    for-profit or mixed, not negated ("non-industry", "no industry funding", "independent of
    industry"). None when the funding is not recorded ("not reported" counts as not recorded)."""
    if funding is None or NOT_RECORDED.fullmatch(funding):
        return None
    return bool(INDUSTRY.search(NEGATED.sub(" ", funding)))


class PubFundingSettings(SwitchableSettings):
    small_per_arm: Annotated[int, Field(ge=1)] = Field(
        100,
        description=(
            "A study is small with fewer than this many participants in an arm (its smaller arm); when only its "
            "total is known, with fewer than twice this many in all."
        ),
    )
    most_share: Annotated[float, Field(ge=0, lt=1)] = Field(
        0.5,
        description=(
            "'Most or all': the suspicion is raised when more than this share of the outcome's studies are "
            "small and industry-funded (and at least two are)."
        ),
    )


def _row_small(row: DichotomousRow | ContinuousRow | GenericRow, per_arm: int) -> bool | None:
    if isinstance(row, GenericRow):
        if row.n_t is not None and row.n_c is not None:
            return min(row.n_t, row.n_c) < per_arm
        if row.participants is not None:
            return row.participants < 2 * per_arm
        return None
    return min(row.n_t, row.n_c) < per_arm


def small_studies(ctx: OutcomeContext, per_arm: int) -> dict[str, bool | None]:
    """Per study of the outcome (first-seen order): small (every row of it with a known size is
    small), large, or None when no row gives its size."""
    seen: dict[str, list[bool]] = {}
    for row in ctx.outcome.data or []:
        small = _row_small(row, per_arm)
        seen.setdefault(row.study, [])
        if small is not None:
            seen[row.study].append(small)
    return {sid: (all(known) if known else None) for sid, known in seen.items()}


def _names(ids: list[str], most: int = 4) -> str:
    shown = ", ".join(ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")


class PubFunding(Rule[PubFundingSettings]):
    """Whatever the number of studies, and with no test needed: when most or all of the outcome's
    studies are small and industry-funded — more than `most_share` of them, and at least two —
    publication bias is **suspected**: serious (−1), for the reviewer to confirm
    (`needs_confirmation`). A study is small with fewer than `small_per_arm` participants in its
    smaller arm (with only a total known: fewer than twice that in all); it is industry-funded when
    its `funding` (free text) names industry, commercial or pharmaceutical funding, a manufacturer,
    a company, for-profit or mixed funding, not negated ("non-industry", "no industry funding").
    Studies whose funding or size is not recorded count in the total but not as small and
    industry-funded, and the facts say how many there are. Otherwise no signal: the small-study
    test (PUB-EGGER) or the reviewer decides. Switched off, the studies' funding is not read.

    Sources: GRADE guidelines 5, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1277–1282,
    doi:10.1016/j.jclinepi.2011.01.011 (suspect publication bias when the evidence consists of a
    number of small studies, most of them commercially funded); Core GRADE 4, Guyatt G et al., BMJ
    2025;389:e083864, doi:10.1136/bmj-2024-083864 (the flowchart's first question: "most or all
    studies small and industry sponsored" → rate down); Nüesch E et al., BMJ 2010;341:c3515,
    doi:10.1136/bmj.c3515 (large trials: at least 100 patients per arm).

    gradecli's choices: "small" as fewer than 100 per arm (Nüesch 2010's large-trial cut-off) or
    200 in all; "most" as more than half of the studies, and at least two ("a number of"); mixed
    funding counts as industry funding; the words read from the free text; one level at most,
    always for the reviewer to confirm.

    PASS: 12 trials, 2 of them small and industry-funded → no signal.

    FAIL: 6 small industry-funded trials, no test (fewer than 10) → suspected: serious (−1), for the
    reviewer to confirm.
    """

    code = "PUB-FUNDING"
    domain = "publication_bias"
    summary = "most or all studies small and industry-funded: suspected, whatever the number of studies"
    settings_model = PubFundingSettings

    @staticmethod
    def judge(ctx: OutcomeContext, s: PubFundingSettings) -> Proposal | None:
        """None for an outcome without per-study rows (a summary names no studies)."""
        if ctx.outcome.form != "studies" or not ctx.outcome.data:
            return None
        sizes = small_studies(ctx, s.small_per_arm)
        funded: dict[str, bool | None] = {}
        for sid in sizes:
            study = ctx.study(sid)
            funded[sid] = industry_funded(study.funding if study is not None else None)
        n = len(sizes)
        of_n = f"{n} stud{'y' if n == 1 else 'ies'}"
        unknown_funding = sum(1 for sid in sizes if funded[sid] is None)
        threshold = (
            f"more than {s.most_share:.0%} of the studies (and at least {MIN_SIGNAL_STUDIES}) small and industry-funded"
        )
        if unknown_funding == n:
            fact = f"funding not recorded for {'the study' if n == 1 else f'any of the {n} studies'}"
            return Proposal(
                rating=Rating.not_serious,
                rule="PUB-FUNDING",
                threshold=threshold,
                facts=[fact],
                explanation=f"no funding signal ({fact})",
                path=[f"most or all studies small and industry-funded? not known — {fact}"],
            )
        industry = [sid for sid in sizes if funded[sid]]
        both = [sid for sid in industry if sizes[sid]]
        facts = [
            f"{len(both)} of {of_n} small (fewer than {s.small_per_arm} participants in an arm) and industry-funded"
        ]
        if unknown_funding:
            facts.append(f"funding not recorded for {unknown_funding} of {n}")
        unsized = sum(1 for sid in industry if sizes[sid] is None)
        if unsized:
            facts.append(f"size not recorded for {unsized} industry-funded stud{'y' if unsized == 1 else 'ies'}")
        if len(both) >= MIN_SIGNAL_STUDIES and len(both) / n > s.most_share + 1e-12:
            why = f"most or all studies are small and industry-funded ({len(both)} of {n}: {_names(both)})"
            return Proposal(
                rating=Rating.serious,
                rule="PUB-FUNDING",
                threshold=threshold,
                facts=facts,
                explanation=f"suspected — {why}",
                path=[f"most or all studies small and industry-funded? yes — {len(both)} of {n}"],
                needs_confirmation=True,
            )
        return Proposal(
            rating=Rating.not_serious,
            rule="PUB-FUNDING",
            threshold=threshold,
            facts=facts,
            explanation=f"no funding signal ({len(both)} of {n} studies small and industry-funded)",
            path=[
                f"most or all studies small and industry-funded? no — {len(both)} of {n}"
                + (f" (funding not recorded for {unknown_funding})" if unknown_funding else "")
            ],
        )


RULE = PubFunding
