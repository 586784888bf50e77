"""UP-JUDGED: dose–response and residual confounding are the reviewer's judgment, prompted with the file's facts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli.formatting import fixed
from gradecli.grade.rules.base import Rule, RuleSettings
from gradecli.grade.rules.up_large import UpgradeProposal
from gradecli.model.vocab import Design

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext
    from gradecli.model.evidence import Study

TOOLS = {"robins-i": "ROBINS-I", "rob2": "RoB 2", "rob1": "RoB 1"}
SHOWN = 5
"""Studies named in a prompt; more are counted ("… and 32 more")."""


class UpJudged(Rule[RuleSettings]):
    """The other two reasons to rate up non-randomised evidence — a dose–response gradient, and
    plausible residual confounding that would reduce a demonstrated effect (or suggest a spurious
    one when none was observed) — have no formula in gradecli: they are never proposed, only
    recorded by the reviewer (`judgements.dose_response`, `judgements.residual_confounding`, with
    `levels` and a reason). For a non-randomised body of evidence the assessment prompts for them
    with the facts the file holds: the studies and their designs, that no dose data are recorded
    (the evidence format has none), the effect and its direction, and the studies' risk-of-bias
    judgments. A prompt never rates up. It has no settings.

    Sources: GRADE guidelines 9, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1311–1316,
    doi:10.1016/j.jclinepi.2011.06.004; Core GRADE 4, Guyatt G et al., BMJ 2025;389:e083864,
    doi:10.1136/bmj-2024-083864 (keeps the large effect and dose–response; the residual-confounding
    reason is GRADE 9's).

    gradecli's choices: no proposal; a prompt for non-randomised evidence only.

    PASS: `judgements.dose_response: {levels: 1, reason: ...}` → up one level (the reviewer's).

    FAIL (nothing proposed): no judgment → 0 levels, "not assessed", with the prompt's facts.
    """

    code = "UP-JUDGED"
    domain = "upgrades"
    summary = "dose–response and residual confounding are the reviewer's judgment, prompted with the file's facts"
    settings_model = RuleSettings
    configurable = False

    @staticmethod
    def judge(ctx: OutcomeContext, name: str, studies: list[Study]) -> UpgradeProposal:
        """The prompt for ``dose_response`` or ``residual_confounding`` (0 levels, facts and path)."""
        facts = [_designs(studies)]
        if name == "dose_response":
            facts.append(
                "no dose data are recorded in the file (the evidence format has none): "
                "gradecli cannot look for a gradient"
            )
            facts.append(
                "if the studies show a dose–response gradient, record judgements.dose_response (levels 1 and a reason)"
            )
            path = (
                "non-randomised studies",
                "dose–response: no dose data in the file → the reviewer's judgment",
                "nothing proposed",
            )
        else:
            facts.append(_effect(ctx))
            rob = _risk_of_bias(ctx, studies)
            if rob:
                facts.append(rob)
            facts.append(
                "if all plausible residual confounding would reduce this effect (or would suggest an effect when "
                "none was seen), record judgements.residual_confounding (levels 1 and a reason)"
            )
            path = (
                "non-randomised studies",
                "direction of residual confounding → the reviewer's judgment",
                "nothing proposed",
            )
        return UpgradeProposal(0, tuple(facts), 0, path)


def _names(ids: list[str]) -> str:
    shown = ", ".join(ids[:SHOWN])
    return shown + (f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else "")


def _designs(studies: list[Study]) -> str:
    if not studies:
        return "no study designs are given for this outcome"
    nrsi = [s.id for s in studies if s.design is Design.nrsi]
    rct = [s.id for s in studies if s.design is Design.rct]
    parts = []
    if nrsi:
        parts.append(f"{len(nrsi)} non-randomised ({_names(nrsi)}; the file does not say cohort or case-control)")
    if rct:
        parts.append(f"{len(rct)} randomised ({_names(rct)})")
    return "studies: " + "; ".join(parts)


def _effect(ctx: OutcomeContext) -> str:
    e = ctx.effect
    if e is None or e.estimate is None or e.lo is None or e.hi is None:
        return "no effect estimate to weigh residual confounding against"
    null = 1.0 if ctx.is_ratio else 0.0
    text = f"the effect: {ctx.measure.value} {fixed(e.estimate)} (95% CI {fixed(e.lo)} to {fixed(e.hi)})"
    if e.lo <= null <= e.hi:
        return f"{text}, a CI that includes no effect"
    return f"{text}, {'an increase' if e.lo > null else 'a reduction'}"


def _risk_of_bias(ctx: OutcomeContext, studies: list[Study]) -> str | None:
    """The studies' overall risk-of-bias judgments, grouped ("ROBINS-I moderate: A, B; none: C")."""
    groups: dict[str, list[str]] = {}
    for s in studies:
        overall, tool = ctx.study_judgment(s.id)
        key = f"{TOOLS.get(tool or '', tool or '')} {overall}".strip() if overall else "not assessed"
        groups.setdefault(key, []).append(s.id)
    if not groups or list(groups) == ["not assessed"]:
        return "no study-level risk-of-bias judgments (e.g. ROBINS-I confounding) are recorded" if groups else None
    return "risk of bias: " + "; ".join(f"{k} — {_names(v)}" for k, v in groups.items())


RULE = UpJudged
