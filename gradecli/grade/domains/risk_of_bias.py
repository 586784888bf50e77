"""Risk of bias (study limitations).

GRADE rates down when the limitations of the studies are likely to lower confidence in the
estimate (GRADE Handbook; Cochrane Handbook 5.1 Table 12.2.d; Core GRADE 4). gradecli rolls each
study's overall judgment (RoB 2, RoB 1 or ROBINS-I; a per-outcome override wins) up by its share
of the analysis weight:

* low — RoB 2 ``low``, RoB 1 ``low``, ROBINS-I ``low``;
* some concerns — RoB 2 ``some_concerns``, RoB 1 ``unclear``, ROBINS-I ``moderate``;
* high — RoB 2 ``high``, RoB 1 ``high``, ROBINS-I ``serious`` or ``critical``;
* missing — no judgment, or ROBINS-I ``no_information``: counted as the rule set says
  (default: as high, as Pollock 2016 and metaumbrella do) and named in the facts.

ROB-WEIGHT: serious when the share of weight from low-risk studies is below
``serious_if_low_share_below`` (default 75%, Pollock 2016); very serious when it is below
``very_serious_if_low_share_below`` (50%) and at least ``very_serious_needs_high_share`` (50%) of
the weight is at high risk. ROB-NONE: no study has a judgment — the domain is *not assessed*.
ROB-SUMMARY: a summary-level outcome has no per-study data — not assessed unless the reviewer
judges it. The analysis restricted to low-risk studies is reported beside the proposal
(sensitivity analysis, Core GRADE 4).
"""

from __future__ import annotations

from gradecli.grade.assessment import Proposal
from gradecli.grade.context import OutcomeContext
from gradecli.grade.ruleset import RuleSet
from gradecli.grade.scale import Scale
from gradecli.model.vocab import Rating

RULES = {
    "ROB-WEIGHT": "share of the analysis weight from studies at low risk of bias",
    "ROB-NONE": "no study in the outcome has a risk-of-bias judgment: not assessed",
    "ROB-SUMMARY": "summary-level outcome without per-study data: not assessed",
}

CATEGORY = {
    "low": "low",
    "some_concerns": "some",
    "unclear": "some",
    "moderate": "some",
    "high": "high",
    "serious": "high",
    "critical": "high",
    "no_information": "missing",
}


def pct(share: float, against: float | None = None) -> str:
    """A share (0–1) as a percentage for footnotes: whole numbers stay whole ("75"), others get one
    decimal, or more (up to 3) when needed to keep the shown value on the same side of ``against``
    (the share it was compared with) as the value itself — 74.9% is never shown as "75%"."""
    v = 100 * share
    if abs(v - round(v)) < 1e-9:
        return f"{round(v):d}"
    text = f"{v:.1f}"
    for digits in (1, 2, 3):
        text = f"{v:.{digits}f}"
        if against is None or (float(text) < 100 * against) == (v < 100 * against):
            break
    return text


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


def shares(ctx: OutcomeContext) -> tuple[dict[str, float], dict[str, str], str]:
    """Weight share per category, category per study, and what the shares are of."""
    studies = list(dict.fromkeys(ctx.study_ids))
    if ctx.weights:
        weight = {s: ctx.weights.get(s, 0.0) for s in studies}
        basis = "analysis weight"
    else:
        sizes: dict[str, float] = {}
        for row in ctx.outcome.data or []:
            n = getattr(row, "n_t", None) or 0
            n += getattr(row, "n_c", None) or 0
            sizes[row.study] = sizes.get(row.study, 0) + n
        total = sum(sizes.values()) or 1
        weight = {s: sizes.get(s, 0) / total for s in studies}
        basis = "participants"
    out = {"low": 0.0, "some": 0.0, "high": 0.0, "missing": 0.0}
    cats: dict[str, str] = {}
    for s in studies:
        judgment, _ = study_judgment(ctx, s)
        cat = CATEGORY.get(judgment or "", "missing")
        cats[s] = cat
        out[cat] += weight[s]
    return out, cats, basis


def propose(ctx: OutcomeContext, rules: RuleSet, scale: Scale | None) -> Proposal:
    r = rules.risk_of_bias
    if ctx.outcome.form != "studies":
        return Proposal(
            rating=None,
            rule="ROB-SUMMARY",
            facts=["no per-study risk-of-bias data"],
            explanation="a summary-level result has no per-study risk-of-bias data",
        )
    share, cats, basis = shares(ctx)
    if all(c == "missing" for c in cats.values()):
        return Proposal(
            rating=None,
            rule="ROB-NONE",
            facts=["no study has a risk-of-bias judgment"],
            explanation="no study in this outcome has a risk-of-bias judgment",
        )
    missing = share["missing"]
    # shares are sums of floating-point weights: round so that 3 × 25% is exactly 75%, not 74.99999…%
    high = round(share["high"] + (missing if r.missing_study_judgment == "assume_high" else 0.0), 9)
    low = round(share["low"] + (missing if r.missing_study_judgment == "assume_low" else 0.0), 9)
    cut = r.serious_if_low_share_below
    facts = [
        f"{pct(share['low'], cut)}% of the {basis} from studies at low risk of bias, "
        f"{pct(share['some'])}% some concerns, {pct(share['high'])}% high"
    ]
    missing_note = ""
    if missing:
        n_missing = sum(1 for c in cats.values() if c == "missing")
        how = "counted as high" if r.missing_study_judgment == "assume_high" else "counted as low"
        facts.append(
            f"{n_missing} stud{'y' if n_missing == 1 else 'ies'} without a judgment "
            f"({pct(missing)}% of the {basis}, {how})"
        )
        missing_note = f" ({n_missing} stud{'y' if n_missing == 1 else 'ies'} without a judgment {how})"
    threshold = f"low-risk share below {pct(r.serious_if_low_share_below)}%"
    if (
        r.very_serious_if_low_share_below is not None
        and low < r.very_serious_if_low_share_below
        and high >= r.very_serious_needs_high_share
    ):
        rating = Rating.very_serious
        threshold = (
            f"low-risk share below {pct(r.very_serious_if_low_share_below)}% and "
            f"high-risk share at least {pct(r.very_serious_needs_high_share)}%"
        )
        why = (
            f"only {pct(low, r.very_serious_if_low_share_below)}% of the {basis} comes from studies at low "
            f"risk of bias and {pct(high, r.very_serious_needs_high_share)}% from studies at high risk"
        )
    elif low < r.serious_if_low_share_below:
        rating = Rating.serious
        why = f"{pct(low, cut)}% of the {basis} comes from studies at low risk of bias (less than {pct(cut)}%)"
    else:
        rating = Rating.not_serious
        why = f"{pct(low, cut)}% of the {basis} comes from studies at low risk of bias"
    why += missing_note
    return Proposal(rating=rating, rule="ROB-WEIGHT", threshold=threshold, facts=facts, explanation=why)
