"""ROB-WEIGHT: the share of the analysis weight from studies at low risk of bias."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from gradecli.grade.assessment import Proposal
from gradecli.grade.rules.base import Rule, SwitchableSettings, pct
from gradecli.model.vocab import ROB_CATEGORY, Rating

if TYPE_CHECKING:
    from gradecli.grade.context import OutcomeContext

Share = Annotated[float, Field(ge=0, le=1)]


class RobWeightSettings(SwitchableSettings):
    serious_if_low_share_below: Share = Field(
        0.75,
        description="Serious when the share of weight from studies at low risk of bias is below this (0–1).",
    )
    very_serious_if_low_share_below: Share | None = Field(
        0.50,
        description=(
            "Very serious when the low-risk share is below this (0–1) and the high-risk share reaches "
            "very_serious_needs_high_share; null: never very serious."
        ),
    )
    very_serious_needs_high_share: Share = Field(
        0.50, description="The share of weight at high risk of bias (0–1) that very serious also needs."
    )
    basis: Literal["analysis_weight", "participants"] = Field(
        "analysis_weight",
        description=(
            "What the shares are of: the pooled analysis's weights (the participants when there is no pooled "
            "analysis), or the participants always (Pollock 2016)."
        ),
    )
    missing_study_judgment: Literal["assume_high", "assume_low"] = Field(
        "assume_high",
        description="How a study without a judgment (or ROBINS-I no_information) is counted; it is named in the facts.",
    )


def study_judgment(ctx: OutcomeContext, study_id: str) -> tuple[str | None, str | None]:
    """(judgment, tool) for a study in this outcome: the per-outcome override, else the study's."""
    for ov in ctx.outcome.risk_of_bias_overrides:
        if ov.study == study_id:
            study = ctx.study(study_id)
            tool = ov.tool or (study.risk_of_bias.tool if study and study.risk_of_bias else None)
            return ov.overall, tool
    study = ctx.study(study_id)
    if study is None or study.risk_of_bias is None:
        return None, None
    return study.risk_of_bias.overall.value, study.risk_of_bias.tool


def shares(ctx: OutcomeContext, by_participants: bool = False) -> tuple[dict[str, float], dict[str, str], str]:
    """Weight share per category, category per study, and what the shares are of (the analysis
    weights, or the participants when ``by_participants`` or when there is no pooled analysis)."""
    from gradecli.grade.context import row_participants

    studies = list(dict.fromkeys(ctx.study_ids))
    if ctx.weights and not by_participants:
        weight = {s: ctx.weights.get(s, 0.0) for s in studies}
        basis = "analysis weight"
    else:
        sizes: dict[str, float] = {}
        for row in ctx.outcome.data or []:
            sizes[row.study] = sizes.get(row.study, 0) + (row_participants(row) or 0)
        total = sum(sizes.values()) or 1
        weight = {s: sizes.get(s, 0) / total for s in studies}
        basis = "participants"
    out = {"low": 0.0, "some": 0.0, "high": 0.0, "missing": 0.0}
    cats: dict[str, str] = {}
    for s in studies:
        judgment, _ = study_judgment(ctx, s)
        cat = ROB_CATEGORY.get(judgment or "", "missing")
        cats[s] = cat
        out[cat] += weight[s]
    return out, cats, basis


class RobWeight(Rule[RobWeightSettings]):
    """Rolls each study's overall risk-of-bias judgment up by its share of the analysis weight
    (the pooled analysis's weights; the participants when there is no pooled analysis), and rates
    down when too little of the weight comes from studies at low risk of bias.

    Each tool's overall judgment counts as: *low* — RoB 2, RoB 1 and ROBINS-I `low`; *some
    concerns* — RoB 2 `some_concerns`, RoB 1 `unclear`, ROBINS-I `moderate`; *high* — RoB 2 and
    RoB 1 `high`, ROBINS-I `serious` or `critical`; *missing* — no judgment, or ROBINS-I
    `no_information`, counted as `missing_study_judgment` says and named in the facts. An outcome's
    `risk_of_bias_overrides` entry wins over the study's own judgment.

    Serious when the low-risk share is below `serious_if_low_share_below`; very serious when it is
    below `very_serious_if_low_share_below` and at least `very_serious_needs_high_share` of the
    weight is at high risk. The analysis restricted to the low-risk studies is reported beside the
    proposal (a sensitivity analysis, Core GRADE 4).

    Sources: GRADE guidelines 4, Guyatt GH et al., J Clin Epidemiol 2011;64(4):407–415,
    doi:10.1016/j.jclinepi.2010.07.017 (rate down when the studies that provide most of the
    information are at high risk of bias); Core GRADE 4, Guyatt G et al., BMJ 2025;389:e083864,
    doi:10.1136/bmj-2024-083864; Cochrane Handbook v6.5, chapter 14 (Schünemann HJ, Higgins JPT,
    Vist GE, Glasziou P, Akl EA, Skoetz N, Guyatt GH), §14.2 (the GRADE domains); Cochrane Handbook
    v6.5, chapter 8 (Higgins JPT, Savović J, Page MJ, Elbers RG, Sterne JAC; RoB 2's judgments) and
    chapter 25 (Sterne JAC, Hernán MA, McAleenan A, Reeves BC, Higgins JPT; ROBINS-I's judgments);
    Pollock A et al., J Clin Epidemiol 2016;70:106–110, doi:10.1016/j.jclinepi.2015.08.013,
    Table 2 (fewer than 75% of the participants in trials at low risk of bias: −1; unreported
    judgments count against).

    gradecli's choices: weighing by the analysis weight (GRADE asks where "most of the information"
    comes from and gives no number); the 75% cut-off, taken from Pollock 2016 (an algorithm for
    overviews of reviews, not GRADE Working Group guidance); the very-serious rule, 50% low-risk
    share *and* 50% of the weight at high risk; the mapping of the three tools' judgments onto low,
    some concerns and high (ROBINS-I `moderate` as some concerns, `critical` as high); counting a
    study without a judgment, or ROBINS-I `no_information`, as high risk (as Pollock 2016 does for
    unreported judgments).

    PASS: four studies of equal weight, three at low risk and one at high risk: 75% of the weight
    is at low risk → not serious.

    FAIL: two of the four at low risk, two at high risk: 50% → serious (not very serious: 50% is not
    below 50%). One at low risk and three at high risk: 25% low, 75% high → very serious.
    """

    code = "ROB-WEIGHT"
    domain = "risk_of_bias"
    summary = "share of the analysis weight from studies at low risk of bias"
    settings_model = RobWeightSettings

    @staticmethod
    def judge(ctx: OutcomeContext, s: RobWeightSettings) -> Proposal | None:
        """The proposal; None for a summary-level outcome or when no study has a judgment."""
        if ctx.outcome.form != "studies":
            return None
        share, cats, basis = shares(ctx, by_participants=s.basis == "participants")
        if all(c == "missing" for c in cats.values()):
            return None
        missing = share["missing"]
        # shares are sums of floating-point weights: round so that 3 × 25% is exactly 75%, not 74.99999…%
        high = round(share["high"] + (missing if s.missing_study_judgment == "assume_high" else 0.0), 9)
        low = round(share["low"] + (missing if s.missing_study_judgment == "assume_low" else 0.0), 9)
        cut = s.serious_if_low_share_below
        facts = [
            f"{pct(share['low'], cut)}% of the {basis} from studies at low risk of bias, "
            f"{pct(share['some'])}% some concerns, {pct(share['high'])}% high"
        ]
        missing_note = ""
        if missing:
            n_missing = sum(1 for c in cats.values() if c == "missing")
            how = "counted as high" if s.missing_study_judgment == "assume_high" else "counted as low"
            facts.append(
                f"{n_missing} stud{'y' if n_missing == 1 else 'ies'} without a judgment "
                f"({pct(missing)}% of the {basis}, {how})"
            )
            missing_note = f" ({n_missing} stud{'y' if n_missing == 1 else 'ies'} without a judgment {how})"
        threshold = f"low-risk share below {pct(s.serious_if_low_share_below)}%"
        if (
            s.very_serious_if_low_share_below is not None
            and low < s.very_serious_if_low_share_below
            and high >= s.very_serious_needs_high_share
        ):
            rating = Rating.very_serious
            threshold = (
                f"low-risk share below {pct(s.very_serious_if_low_share_below)}% and "
                f"high-risk share at least {pct(s.very_serious_needs_high_share)}%"
            )
            why = (
                f"only {pct(low, s.very_serious_if_low_share_below)}% of the {basis} comes from studies at low "
                f"risk of bias and {pct(high, s.very_serious_needs_high_share)}% from studies at high risk"
            )
        elif low < s.serious_if_low_share_below:
            rating = Rating.serious
            why = f"{pct(low, cut)}% of the {basis} comes from studies at low risk of bias (less than {pct(cut)}%)"
        else:
            rating = Rating.not_serious
            why = f"{pct(low, cut)}% of the {basis} comes from studies at low risk of bias"
        why += missing_note
        return Proposal(rating=rating, rule="ROB-WEIGHT", threshold=threshold, facts=facts, explanation=why)


RULE = RobWeight
