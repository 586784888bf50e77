"""UP-LARGE: a large risk ratio from more than one rigorous study, proposed for the reviewer to confirm."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from gradecli.formatting import fixed
from gradecli.grade.assessment import DOMAIN_NAMES
from gradecli.grade.rules.base import Rule, SwitchableSettings, Upgrade, pct, studies_word
from gradecli.model.vocab import Measure

if TYPE_CHECKING:
    from gradecli.grade.assessment import DomainAssessment
    from gradecli.grade.context import OutcomeContext

ODDS_RATIOS = (Measure.OR, Measure.PETO_OR)
WORDS = {1: "one level", 2: "two levels"}
GATED = ("risk_of_bias", "inconsistency", "imprecision")
"""The domains that must be assessed and not rated down: "consistent results from rigorous studies
without serious risk of bias or imprecision" cannot be claimed for a domain nobody assessed."""


class UpLargeSettings(SwitchableSettings):
    large_ratio: Annotated[float, Field(gt=1)] = Field(
        2.0, description="One level up beyond this risk ratio (or below its inverse: RR > 2 or < 0.5)."
    )
    very_large_ratio: Annotated[float, Field(gt=1)] = Field(
        5.0, description="Two levels up beyond this risk ratio (or below its inverse: RR > 5 or < 0.2)."
    )
    whole_ci: bool = Field(
        True,
        description=(
            "gradecli's stricter option: the whole 95% CI must lie beyond the threshold (a limit on it is "
            "not beyond). false: the estimate must be at least the threshold (GRADE 9: 'at least a two-fold')."
        ),
    )
    min_studies: Annotated[int, Field(ge=1)] = Field(
        2,
        description=(
            "The fewest studies whose consistent results can be rated up (gradecli's reading of GRADE 9's "
            "'studies': more than one; a single study gets no proposal)."
        ),
    )
    only_without_downgrades: bool = Field(
        True,
        description=(
            "Propose only when no domain was rated down (GRADE 9). Risk of bias, inconsistency and "
            "imprecision must be assessed and not rated down either way."
        ),
    )


@dataclass(frozen=True)
class UpgradeProposal(Upgrade):
    """A rating-up rule's answer: ``levels`` proposed (0 when a condition fails), ``size`` the levels
    the effect's size alone gives (UP-LARGE), and the steps taken (``path``)."""

    size: int = 0
    path: tuple[str, ...] = ()


def odds_to_risk_ratio(odds_ratio: float, acr: float) -> float:
    """RR = OR / (1 − ACR + ACR·OR) at the assumed comparator risk ACR: the formula of the absolute
    effects (GRADEpro; Cochrane Handbook §14.1.5), the risk with the intervention over ACR."""
    return odds_ratio / (1 - acr + acr * odds_ratio)


def _shown(x: float, against: float) -> str:
    """``x`` to 2 decimals, or more when 2 would put it on the threshold or the other side of it: a
    limit of 0.4996 is never shown as "0.50" beside "below 0.5"."""
    text = fixed(x)
    for decimals in (2, 3, 4, 5, 6):
        text = fixed(x, decimals)
        try:
            shown = float(text)
        except ValueError:  # a power of ten (a ratio from a million on): far from any threshold
            return text
        if (shown < against) == (x < against) and (shown == against) == (x == against):
            return text
    return f"{x:.12g}"


def _interval(name: str, est: float | None, lo: float, hi: float, marks: tuple[float, ...]) -> str:
    near = min(marks, key=lambda m: min(abs(lo - m), abs(hi - m)))
    point = f"{_shown(est, near)} " if est is not None else ""
    return f"{name} {point}(95% CI {_shown(lo, near)} to {_shown(hi, near)})"


class UpLarge(Rule[UpLargeSettings]):
    """A large effect can raise the certainty of non-randomised evidence: +1 for a risk ratio beyond
    `large_ratio` (RR > 2 or < 0.5), +2 beyond `very_large_ratio` (RR > 5 or < 0.2). An odds ratio is
    first converted to a risk ratio at the outcome's assumed (or control-group) risk, RR = OR / (1 −
    ACR + ACR·OR), per comparator-risk stratum; without a comparator risk it is judged as it is and the
    facts say the proposal may overstate the effect (an OR lies further from 1 than its RR). A hazard
    ratio is judged as it is. A rating up is proposed only for consistent results from more than one
    study (`min_studies`), with risk of bias, inconsistency and imprecision assessed and not rated
    down, and (`only_without_downgrades`) nothing else rated down; otherwise the facts say which
    condition failed. Every proposal needs the reviewer's confirmation: it does not change the
    certainty until the reviewer records it in `judgements.large_effect` (levels and a reason: no
    plausible confounder would explain the effect, and the evidence is direct). The engine asks it
    for non-randomised bodies of evidence only (those started High with ROBINS-I too). Switched off
    (`enabled: false`), nothing is proposed and the facts name the rule set; the reviewer may still
    rate up.

    Sources: GRADE guidelines 9, Guyatt GH et al., J Clin Epidemiol 2011;64(12):1311–1316,
    doi:10.1016/j.jclinepi.2011.06.004 (up one level when "methodologically rigorous observational
    studies show at least a two-fold reduction or increase in risk", two for five-fold; usually only
    without a reason to rate down); Morgan RL et al. 2016, as reproduced in Environ Int
    2024;184:108456, Table 5 (large RR > 2 or < 0.5 with no plausible confounders; very large > 5 or
    < 0.2 with no serious risk of bias or imprecision; an OR first converted to an RR); Core GRADE 4,
    Guyatt G et al., BMJ 2025;389:e083864, doi:10.1136/bmj-2024-083864 (pooled risk ratios of
    well-conducted non-randomised studies); GRADE 18, Schünemann HJ et al., J Clin Epidemiol 2019;111:105–114,
    doi:10.1016/j.jclinepi.2018.01.012 (ROBINS-I bodies still consider rating up).

    gradecli's choices: the whole CI (not only the estimate) must lie beyond the threshold
    (`whole_ci`, a limit on the threshold is not beyond it); more than one study (`min_studies`);
    risk of bias, inconsistency and imprecision assessed, not only "not rated down"; never applied
    without the reviewer's confirmation.

    PASS (no rating up): three cohorts, RR 0.45 (95% CI 0.30 to 0.70) → the CI reaches above 0.5:
    nothing proposed; a single cohort, RR 0.28 (0.18 to 0.44) → no proposal (one study).

    FAIL (rating up proposed, for the reviewer to confirm): three cohorts, RR 0.30 (0.20 to 0.45) →
    +1; RR 0.10 (0.05 to 0.18) → +2; OR 0.20 (0.14 to 0.29) at an assumed risk of 30% → RR 0.26 (0.19
    to 0.37) → +1.
    """

    code = "UP-LARGE"
    domain = "upgrades"
    summary = "a large risk ratio from more than one rigorous study, proposed for the reviewer to confirm"
    settings_model = UpLargeSettings

    @staticmethod
    def judge(
        ctx: OutcomeContext, s: UpLargeSettings, domains: Sequence[DomainAssessment] = ()
    ) -> UpgradeProposal | None:
        """None for a measure that is not a ratio, or without a positive CI. ``domains``: the
        rating-down domains as assessed (a domain missing from them counts as not assessed)."""
        e = ctx.effect
        if not ctx.is_ratio or e is None or e.lo is None or e.hi is None or e.lo <= 0:
            return None
        big, huge = s.large_ratio, s.very_large_ratio
        marks = (big, 1 / big, huge, 1 / huge)
        facts: list[str] = []
        path: list[str] = []
        name = ctx.measure.value
        est, lo, hi = e.estimate, e.lo, e.hi
        acr = ctx.control_risk
        if ctx.measure in ODDS_RATIOS and acr is not None:
            source = f" ({ctx.control_risk_source})" if ctx.control_risk_source else ""
            rr = [odds_to_risk_ratio(v, acr) if v is not None else None for v in (est, lo, hi)]
            est, lo, hi = rr[0], float(rr[1] or lo), float(rr[2] or hi)
            shown = _interval("RR", est, lo, hi, marks)
            facts.append(
                f"{_interval(name, e.estimate, e.lo, e.hi, marks)} converted to a risk ratio at a comparator "
                f"risk of {pct(acr)}%{source}, RR = OR / (1 − ACR + ACR·OR): {shown}"
            )
            path.append(f"{name} → RR at {pct(acr)}%: {shown}")
            name = "RR"
        elif ctx.measure in ODDS_RATIOS:
            facts.append(
                f"{_interval(name, est, lo, hi, marks)} judged as it is: no assumed or control-group risk to "
                "convert it to a risk ratio at"
            )
            path.append(f"{name} not converted (no comparator risk)")
        else:
            facts.append(_interval(name, est, lo, hi, marks))
            path.append(_interval(name, est, lo, hi, marks))
        size = _size(s, est, lo, hi)
        basis = "the whole 95% CI" if s.whole_ci else "the estimate"
        if size == 0:
            where = f"beyond {big:g} or below {1 / big:g}" if s.whole_ci else f"at least {big:g} or at most {1 / big:g}"
            facts.append(f"{basis} does not lie {where}: no large effect")
            path.append(f"{basis} not {where} → no rating up")
            return UpgradeProposal(0, tuple(facts), 0, tuple(path))
        cut = huge if size == 2 else big
        if s.whole_ci:
            side = f"above {cut:g}" if lo > 1 else f"below {1 / cut:g}"
            beyond = f"above {huge:g}" if lo > 1 else f"below {1 / huge:g}"
            also = "" if size == 2 else f" (not {beyond})"
        else:
            side = f"at least {cut:g}" if (est or 1) > 1 else f"at most {1 / cut:g}"
            also = ""
        label = "a very large effect" if size == 2 else "a large effect"
        facts.append(f"{basis} lies {side}{also}: {label}, {WORDS[size]} up by its size")
        path.append(f"{basis} {side}{also} → {label}, +{size}")
        if ctx.measure in ODDS_RATIOS and acr is None:
            facts.append(
                "the proposal may overstate the effect: an odds ratio lies further from 1 than the risk ratio "
                "it stands for (give an assumed risk to convert it)"
            )
        why = _blocked(ctx, s, domains)
        if why:
            facts.extend(f"no proposal: {w}" for w in why)
            path.append("no proposal: " + "; ".join(why))
            return UpgradeProposal(0, tuple(facts), size, tuple(path))
        gates = (
            "nothing rated down"
            if s.only_without_downgrades
            else "risk of bias, inconsistency, imprecision not rated down"
        )
        path.append(f"{studies_word(ctx.k or 0)}; {gates}")
        path.append(f"+{size} proposed: needs the reviewer's confirmation")
        return UpgradeProposal(size, tuple(facts), size, tuple(path))


def _size(s: UpLargeSettings, est: float | None, lo: float, hi: float) -> int:
    """Levels (0–2) the risk ratio's size gives."""
    for levels, cut in ((2, s.very_large_ratio), (1, s.large_ratio)):
        if s.whole_ci and (lo > cut or hi < 1 / cut):
            return levels
        if not s.whole_ci and est is not None and (est >= cut or est <= 1 / cut):
            return levels
    return 0


def _blocked(ctx: OutcomeContext, s: UpLargeSettings, domains: Sequence[DomainAssessment]) -> list[str]:
    """Why no rating up may be proposed (empty when it may)."""
    k = ctx.k
    if k is None:
        return ["the number of studies is not given: consistent results from more than one study cannot be shown"]
    if k < s.min_studies:
        many = "a single study" if k == 1 else studies_word(k)
        return [
            f"{many} (k = {k}): a large effect is rated up only for consistent results from at least "
            f"{studies_word(s.min_studies)} (GRADE 9: rigorous observational studies)"
        ]
    by = {d.domain: d for d in domains}
    out = []
    unknown = [DOMAIN_NAMES[n] for n in GATED if n not in by or by[n].status == "not_assessed"]
    if unknown:
        out.append(
            f"{', '.join(unknown)} not assessed: results without serious risk of bias, inconsistency or "
            "imprecision cannot be claimed"
        )
    down = [d for d in domains if d.levels > 0 and (d.domain in GATED or s.only_without_downgrades)]
    if down:
        names = ", ".join(
            f"{DOMAIN_NAMES[d.domain]} ({d.rating.value.replace('_', ' ') if d.rating else ''})" for d in down
        )
        out.append(f"rated down for {names}: GRADE 9 rates up only evidence with no reason to rate down")
    return out


RULE = UpLarge
