"""IMP-EVENTS: a CI that crosses a threshold on very few events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings
from gradecli.model.vocab import Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext


class ImpEventsSettings(SwitchableSettings):
    min_events: Annotated[int, Field(ge=1)] = Field(
        10, description="A CI that crosses a threshold on fewer events than this (both arms) is extremely serious."
    )


class ImpEvents(Rule[ImpEventsSettings]):
    """Very few events: when IMP-CROSS (or IMP-RELATIVE) found the CI crossing a threshold and the
    outcome has fewer than `min_events` events in all (both arms), imprecision is extremely serious
    (three levels) — a handful of events cannot tell a large benefit from a large harm. The
    reviewer confirms (levels beyond one are judgments). Dichotomous outcomes only (events are
    counted from the 2×2 rows, or a summary's `events_t` and `events_c`).

    Sources: GRADE guidance 35, Schünemann HJ et al., J Clin Epidemiol 2022;150:225–242,
    doi:10.1016/j.jclinepi.2022.07.015 (rating down three levels for very serious imprecision, e.g.
    very few events and a CI spanning large benefit and large harm); GRADE guidance 34, Zeng L et al.,
    J Clin Epidemiol 2022;150:216–224, doi:10.1016/j.jclinepi.2022.07.014.

    gradecli's choices: the cut-off of 10 events.

    PASS: 59 events, CI crossing both MIDs → very serious (IMP-CROSS; this rule does not apply).

    FAIL: 4 events (3/29 vs 1/29), RR 3.00 (0.33–27.2) → extremely serious (IMP-EVENTS).
    """

    code = "IMP-EVENTS"
    domain = "imprecision"
    summary = "a crossing CI on very few events"
    settings_model = ImpEventsSettings

    @staticmethod
    def judge(ctx: OutcomeContext, s: ImpEventsSettings, crossing: bool) -> Proposal | None:
        """Three levels when ``crossing`` and fewer than ``min_events`` events; None otherwise."""
        events = ctx.events
        if not crossing or events is None or events >= s.min_events:
            return None
        return Proposal(
            rating=Rating.extremely_serious,
            rule="IMP-EVENTS",
            threshold=f"fewer than {s.min_events} events",
            explanation=(
                f"the 95% CI crosses a threshold on only {events:,} event{'s' if events != 1 else ''} "
                f"(fewer than {s.min_events})"
            ),
            path=[f"{events:,} events < {s.min_events} with a crossing CI → −3"],
            needs_confirmation=True,
        )


RULE = ImpEvents
