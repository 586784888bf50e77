"""Plain-language statements (GRADE guidance 26: Santesso N et al., J Clin Epidemiol 2020;119:126–135,
doi:10.1016/j.jclinepi.2019.10.014; Core GRADE 6, Guyatt G et al., BMJ 2025;389:e083866,
doi:10.1136/bmj-2024-083866, Box 1).

A statement combines the certainty with the size of the effect, read from the same zones and the
same target imprecision used (:func:`gradecli.grade.scale.size`, :func:`choose_target`):

* certainty: high — no qualifier; moderate — "probably"; low — "may"; very low — "The evidence is
  very uncertain about the effect of X on Y", whatever the size;
* target "little or no important effect" (the estimate inside the MIDs): "X (probably / may)
  result(s) in little to no difference in Y";
* target "an important effect": by the estimate's zone — small (between the MID and `moderate`):
  "X slightly reduces Y"; moderate: "X reduces Y"; large (beyond `large`): "X results in a large
  reduction in Y"; with only an MID: "X results in an important reduction in Y" (Core GRADE 6);
* target "a non-null effect" (no MID): the direction only, "X reduces Y" (Core GRADE 6 Box 1).

Direction words describe the change in the outcome (Core GRADE 6 Box 1): "reduces pain",
"increases adverse events"; a continuous outcome whose higher values are better "improves".
Binary outcomes may name what they count (`statement_noun`: "the number of people with pain
relief"). Verbs agree with plural interventions ("NMDA receptor antagonists probably increase").
No statement is made for a provisional rating (the engine passes no certainty).
"""

from __future__ import annotations

import re

from gradecli.grade.context import OutcomeContext
from gradecli.grade.scale import Scale, choose_target, effect_on_scale, size
from gradecli.model.vocab import Benefit, Certainty, OutcomeType

HEDGE = {Certainty.high: "", Certainty.moderate: "probably ", Certainty.low: "may "}
_HEAD = re.compile(r"\s+(?:for|of|in|with|at|on|versus|vs\.?|compared|plus|given|by|to|from|during|after)\s+", re.I)


_SINGULAR_S = frozenset({"aerobics", "gymnastics", "pilates", "economics", "genetics", "athletics", "news", "diabetes"})


def _name(text: str) -> str:
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def plural(intervention: str, stated: str | None = None) -> bool:
    """Whether an intervention's name takes a plural verb: as stated, else guessed from its head
    noun ("NMDA receptor antagonists", "stroke units", "A and B" are plural)."""
    if stated is not None:
        return stated == "plural"
    head = _HEAD.split(re.sub(r"\s*[(\[][^)\]]*[)\]]", "", intervention).strip())[
        0
    ]  # "(ketamine, memantine)" is an aside
    if re.search(r"\s(?:and|&)\s", head):
        return True
    last = (head.split() or [""])[-1].lower().strip(".,;:()")
    if last in _SINGULAR_S:
        return False
    return len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is", "ous"))


def statement(ctx: OutcomeContext, scale: Scale | None, certainty: Certainty | None) -> str | None:
    if certainty is None or ctx.effect is None or ctx.effect.estimate is None:
        return None
    q = ctx.evidence.review.question
    x = q.intervention if q else "The intervention"
    many = plural(x, q.intervention_number if q else None)
    o = ctx.outcome
    y = o.statement_noun if o.statement_noun and o.type is not OutcomeType.continuous else _name(o.name)
    if certainty is Certainty.very_low:
        return f"The evidence is very uncertain about the effect of {_name(x)} on {y}."
    point = effect_on_scale(scale, ctx.effect) if scale is not None else None
    if point is None or scale is None:
        return None
    v = point[0]
    hedge = HEDGE[certainty]

    def verb(base: str) -> str:
        return base if hedge == "may " or many else _third_person(base)

    choice = choose_target(scale, v)
    zone = size(scale, v)
    if choice.kind == "little_or_no_effect" or v == 0:
        return _cap(f"{x} {hedge}{verb('result')} in little to no difference in {y}.")
    improves = o.type is OutcomeType.continuous and o.benefit is Benefit.higher
    if v > 0:
        change, noun = ("improve", "improvement") if improves else ("increase", "increase")
    else:
        change, noun = "reduce", "reduction"
    if choice.kind == "non_null_effect" or zone is None:
        return _cap(f"{x} {hedge}{verb(change)} {y}.")
    if zone == "small":
        return _cap(f"{x} {hedge}slightly {verb(change)} {y}.")
    if zone == "moderate":
        return _cap(f"{x} {hedge}{verb(change)} {y}.")
    article = "a large" if zone == "large" else "an important"
    return _cap(f"{x} {hedge}{verb('result')} in {article} {noun} in {y}.")


def _third_person(base: str) -> str:
    return base + ("es" if base.endswith(("s", "sh", "ch", "x")) else "s")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
