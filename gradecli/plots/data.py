"""What a forest plot or risk-of-bias figure shows, computed without matplotlib.

The text forest plot (``gradecli meta``, ``gradecli assess --detail``) and the matplotlib figures
read the same :class:`ForestData` and :class:`RobData`, so the terminal and the images agree.
Everything comes from the engine: :func:`gradecli.grade.context.build_context` for the study rows,
the weights and the pooled result, and :func:`gradecli.grade.scale.judging_scale` for the thresholds
the imprecision rule judged the CI against (drawn back on the measure's own scale).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from gradecli.grade.context import RATIO, OutcomeContext, build_context, describe_analysis
from gradecli.grade.ruleset import RuleSet
from gradecli.grade.scale import Scale, judging_scale
from gradecli.model.evidence import ContinuousRow, DichotomousRow, Evidence, Outcome, Study
from gradecli.model.vocab import Measure

# Risk-of-bias judgments of the three tools, mapped to the colour conventions robvis users know.
# key: (category for colour, symbol drawn in the dot, words)
JUDGMENTS: dict[str, tuple[str, str, str]] = {
    "low": ("low", "+", "Low"),
    "some_concerns": ("some", "−", "Some concerns"),
    "unclear": ("some", "?", "Unclear"),
    "moderate": ("some", "−", "Moderate"),
    "high": ("high", "×", "High"),
    "serious": ("high", "×", "Serious"),
    "critical": ("critical", "!", "Critical"),
    "no_information": ("none", "?", "No information"),
}
COLOURS = {
    "low": "#02C100",  # robvis green
    "some": "#E2DF07",  # robvis yellow
    "high": "#E0440E",  # orange-red
    "critical": "#820000",  # dark red
    "none": "#AAAAAA",  # grey: no information
}
TOOL_NAMES = {"rob2": "RoB 2", "rob1": "RoB 1", "robins-i": "ROBINS-I"}
TOOL_ORDER = {
    "rob2": ("low", "some_concerns", "high"),
    "rob1": ("low", "unclear", "high"),
    "robins-i": ("low", "moderate", "serious", "critical", "no_information"),
}
DOMAIN_LABELS: dict[str, dict[str, tuple[str, str]]] = {  # tool -> domain -> (short, long)
    "rob2": {
        "randomisation": ("D1", "Bias arising from the randomisation process"),
        "deviations": ("D2", "Bias due to deviations from intended interventions"),
        "missing_data": ("D3", "Bias due to missing outcome data"),
        "measurement": ("D4", "Bias in measurement of the outcome"),
        "reported_result": ("D5", "Bias in selection of the reported result"),
    },
    "rob1": {
        "sequence_generation": ("D1", "Random sequence generation"),
        "allocation_concealment": ("D2", "Allocation concealment"),
        "blinding_participants": ("D3", "Blinding of participants and personnel"),
        "blinding_outcome": ("D4", "Blinding of outcome assessment"),
        "incomplete_data": ("D5", "Incomplete outcome data"),
        "selective_reporting": ("D6", "Selective reporting"),
        "other": ("D7", "Other sources of bias"),
    },
    "robins-i": {
        "confounding": ("D1", "Bias due to confounding"),
        "selection": ("D2", "Bias in selection of participants"),
        "classification": ("D3", "Bias in classification of interventions"),
        "deviations": ("D4", "Bias due to deviations from intended interventions"),
        "missing_data": ("D5", "Bias due to missing data"),
        "measurement": ("D6", "Bias in measurement of outcomes"),
        "reported_result": ("D7", "Bias in selection of the reported result"),
    },
}
MEASURE_NAMES = {
    "RR": "Risk ratio",
    "OR": "Odds ratio",
    "PETO_OR": "Peto odds ratio",
    "HR": "Hazard ratio",
    "RD": "Risk difference",
    "MD": "Mean difference",
    "SMD": "Std. mean difference",
    "GENERIC": "Estimate",
}


def judgment_colour(judgment: str | None) -> str | None:
    if judgment is None or judgment not in JUDGMENTS:
        return None
    return COLOURS[JUDGMENTS[judgment][0]]


@dataclass(frozen=True)
class ForestRow:
    label: str
    study: str
    estimate: float | None  # natural scale
    lo: float | None
    hi: float | None
    weight: float | None  # share of the analysis weight, 0-1 (the row's study)
    columns: tuple[str, ...]  # data columns as text, e.g. ("4/123", "11/139")
    rob: tuple[str | None, ...]  # one judgment per ForestData.rob_columns


@dataclass(frozen=True)
class Reference:
    """A vertical reference line: a threshold the engine judged against."""

    value: float  # natural scale of the measure
    label: str


@dataclass
class ForestData:
    outcome_id: str
    outcome_name: str
    measure: str
    measure_name: str
    log_scale: bool
    null: float
    rows: list[ForestRow]
    column_names: tuple[str, ...] = ()
    rob_tool: str | None = None
    rob_columns: tuple[str, ...] = ()  # domain short names, then "Overall"
    rob_column_names: tuple[str, ...] = ()
    pooled: tuple[float, float, float] | None = None  # estimate, lo, hi on the natural scale
    prediction: tuple[float, float] | None = None
    method: str = ""
    heterogeneity: str = ""
    references: list[Reference] = field(default_factory=list)
    reference_note: str = ""
    favours: tuple[str, str] = ("", "")  # words under the left and right of the axis
    not_estimable: str | None = None

    @property
    def ratio(self) -> bool:
        return self.log_scale


class PlotDataError(Exception):
    """Nothing to plot (one line for the user)."""


def _overall_judgment(study: Study | None, outcome: Outcome) -> tuple[str | None, str | None]:
    """(tool, overall judgment) for a study in an outcome; a per-outcome override wins."""
    tool = study.risk_of_bias.tool if study and study.risk_of_bias else None
    overall = study.risk_of_bias.overall.value if study and study.risk_of_bias else None
    for o in outcome.risk_of_bias_overrides or []:
        if study is not None and o.study == study.id:
            overall = o.overall
            tool = tool or o.tool
    return tool, overall


def _columns(rows: list, measure: Measure) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    if rows and all(isinstance(r, DichotomousRow) for r in rows):
        return ("Events/Total (I)", "Events/Total (C)"), [
            (f"{r.events_t}/{r.n_t}", f"{r.events_c}/{r.n_c}") for r in rows
        ]
    if rows and all(isinstance(r, ContinuousRow) for r in rows):
        return ("Mean (SD), N (I)", "Mean (SD), N (C)"), [
            (f"{r.mean_t:.3g} ({r.sd_t:.3g}), {r.n_t}", f"{r.mean_c:.3g} ({r.sd_c:.3g}), {r.n_c}") for r in rows
        ]
    return (), [() for _ in rows]


def _inverse(scale: Scale, measure: Measure, b: float) -> float | None:
    """A boundary on the judging scale back on the measure's natural scale (None when it has none)."""
    try:
        if scale.kind == "relative":
            return math.exp(b)
        if scale.kind == "absolute":
            acr = scale.acr
            assert acr is not None
            risk = acr + b / scale.per
            if not 0 < risk < 1:
                return None
            if measure is Measure.RR:
                return risk / acr
            if measure in (Measure.OR, Measure.PETO_OR):
                return (risk / (1 - risk)) / (acr / (1 - acr))
            if measure is Measure.HR:
                return math.log(1 - risk) / math.log(1 - acr)
            if measure is Measure.RD:
                return b / scale.per
            return None
        return b / (scale.per if measure is Measure.RD else 1)
    except (ValueError, ZeroDivisionError):
        return None


def _references(scale: Scale | None, measure: Measure) -> list[Reference]:
    if scale is None:
        return []
    out = []
    for b in scale.boundaries:
        if b == 0.0:
            continue  # the null line is drawn anyway
        v = _inverse(scale, measure, b)
        if v is None or not math.isfinite(v) or (measure in RATIO and v <= 0):
            continue
        if scale.kind == "absolute":
            label = f"{abs(b):g} {'more' if b > 0 else 'fewer'} per {scale.per:,}"
        elif scale.kind == "relative":
            label = f"{v:.2f}"
        else:
            label = f"{b:+g}"
        out.append(Reference(v, label))
    return out


def _favours(outcome: Outcome, ratio: bool) -> tuple[str, str]:
    """Words under the axis: which side favours which arm (from ``benefit``)."""
    if outcome.benefit is None:
        return ("Lower with intervention", "Higher with intervention")
    if outcome.benefit.value == "lower":
        return ("Favours intervention", "Favours comparator")
    return ("Favours comparator", "Favours intervention")


def forest_data(evidence: Evidence, outcome: Outcome, rules: RuleSet | None = None) -> ForestData:
    """The forest plot of one outcome with per-study rows."""
    if outcome.form != "studies":
        what = "a published summary" if outcome.form == "summary" else "no studies"
        raise PlotDataError(f"outcome {outcome.id!r} has {what}, not per-study rows: no forest plot to draw")
    ctx: OutcomeContext = build_context(evidence, outcome)
    measure = ctx.measure
    log_scale = measure in RATIO
    rows_in = outcome.data or []
    names, cols = _columns(rows_in, measure)
    studies = [evidence.study(r.study) for r in rows_in]
    judged = [_overall_judgment(s, outcome) for s in studies]
    tools = {t for t, _ in judged if t is not None}
    tool = next(iter(tools)) if len(tools) == 1 else None
    domain_keys: list[str] = []
    if tool is not None:
        present = {d.value for s in studies if s and s.risk_of_bias for d in s.risk_of_bias.domains}
        domain_keys = [d for d in DOMAIN_LABELS[tool] if d in present]
    rob_columns = tuple(DOMAIN_LABELS[tool][d][0] for d in domain_keys) + (("Overall",) if tools else ())
    rob_names = tuple(DOMAIN_LABELS[tool][d][1] for d in domain_keys) + (("Overall",) if tools else ())
    row_weights = dict(ctx.pooled.weights) if ctx.pooled is not None else {}  # type: ignore[attr-defined]
    rows: list[ForestRow] = []
    for label, row, study, (_, overall), effect, col in zip(
        ctx.row_labels, rows_in, studies, judged, ctx.row_effects, cols, strict=True
    ):
        rob: list[str | None] = []
        for d in domain_keys:
            j = None
            if study and study.risk_of_bias:
                value = {k.value: v for k, v in study.risk_of_bias.domains.items()}.get(d)
                j = value.value if value is not None else None
            rob.append(j)
        if tools:
            rob.append(overall)
        pw = row_weights.get(label)
        weight = pw / 100.0 if pw is not None else None
        rows.append(ForestRow(label, row.study, effect.estimate, effect.lo, effect.hi, weight, col, tuple(rob)))
    data = ForestData(
        outcome_id=outcome.id,
        outcome_name=outcome.name,
        measure=measure.value,
        measure_name=MEASURE_NAMES.get(measure.value, measure.value),
        log_scale=log_scale,
        null=1.0 if log_scale else 0.0,
        rows=rows,
        column_names=names,
        rob_tool=tool if tool else ("mixed" if tools else None),
        rob_columns=rob_columns,
        rob_column_names=rob_names,
        method=describe_analysis(ctx.analysis),
        favours=_favours(outcome, log_scale),
        not_estimable=ctx.not_estimable,
    )
    pooled = ctx.pooled
    if ctx.effect is not None and ctx.effect.estimate is not None and ctx.effect.lo is not None:
        data.pooled = (ctx.effect.estimate, ctx.effect.lo, ctx.effect.hi)  # type: ignore[assignment]
    if pooled is not None:
        pi_lb, pi_ub = getattr(pooled, "pi_lb", None), getattr(pooled, "pi_ub", None)
        if pi_lb is not None and pi_ub is not None and pooled.k > 2:  # type: ignore[attr-defined]
            if log_scale:  # a log limit beyond ±709 has no finite ratio: no interval to draw
                pi = (math.exp(pi_lb), math.exp(pi_ub)) if max(abs(pi_lb), abs(pi_ub)) < 709 else None
            else:
                pi = (pi_lb, pi_ub)
            if pi is not None and all(map(math.isfinite, pi)):
                data.prediction = pi
        if pooled.k > 1:  # type: ignore[attr-defined]
            het = f"Heterogeneity: I² = {pooled.i2:.0f}%"  # type: ignore[attr-defined]
            if getattr(pooled, "tau2", None) is not None:
                het += f", τ² = {pooled.tau2:.3g}"  # type: ignore[attr-defined]
            if getattr(pooled, "q_p", None) is not None:
                het += f", p = {pooled.q_p:.2g}"  # type: ignore[attr-defined]
            data.heterogeneity = het
    if rules is None:
        from gradecli.grade.ruleset import load_ruleset

        rules = load_ruleset(evidence.defaults.rules or "default")
    scale = judging_scale(ctx, rules)
    data.references = _references(scale, measure)
    if scale is not None and data.references:
        data.reference_note = "Dashed lines: thresholds judged against (" + scale.threshold_note + ")"
        if scale.default_used:
            data.reference_note += f"; {scale.default_used}"
    return data


def format_number(x: float | None, ratio: bool) -> str:
    from gradecli.report.numbers import BIG, power_of_ten

    if x is None or not math.isfinite(x):
        return "–"
    if abs(x) >= BIG:  # 1.0×10³⁰⁰, not three hundred digits
        return power_of_ten(x, 2)
    if ratio:
        if x >= 100:
            return f"{x:.0f}"
        return f"{x:.2f}"
    return f"{x:.2f}"


def format_ci(est: float | None, lo: float | None, hi: float | None, ratio: bool) -> str:
    if est is None:
        return "not estimable"
    return f"{format_number(est, ratio)} [{format_number(lo, ratio)}, {format_number(hi, ratio)}]"


# ---------------------------------------------------------------------------------------------
# Risk of bias


@dataclass
class RobBlock:
    """The studies assessed with one tool: traffic light and summary bars."""

    tool: str
    tool_name: str
    studies: list[str]
    domains: list[str]  # domain keys, in the tool's order (only those assessed in some study)
    domain_short: list[str]
    domain_long: list[str]
    judgments: list[list[str | None]]  # study x (domains + overall)
    weights: list[float]  # per study; summary bars are weighted by these
    weighted: bool
    levels: tuple[str, ...]


def rob_data(evidence: Evidence, outcome: Outcome | None = None) -> list[RobBlock]:
    """One block per tool. With an outcome: its studies, its overrides, weighted by its analysis."""
    if outcome is not None:
        ids = list(dict.fromkeys(r.study for r in (outcome.data or [])))
        weights: dict[str, float] = {}
        if outcome.form == "studies":
            weights = build_context(evidence, outcome, egger=False).weights
        studies = [s for s in (evidence.study(i) for i in ids) if s is not None]
    else:
        studies, weights = list(evidence.studies), {}
    blocks: dict[str, RobBlock] = {}
    for s in studies:
        tool, overall = (
            _overall_judgment(s, outcome)
            if outcome is not None
            else ((s.risk_of_bias.tool, s.risk_of_bias.overall.value) if s.risk_of_bias else (None, None))
        )
        if tool is None:
            continue
        b = blocks.get(tool)
        if b is None:
            b = blocks[tool] = RobBlock(tool, TOOL_NAMES[tool], [], [], [], [], [], [], bool(weights), TOOL_ORDER[tool])
        b.studies.append(s.id)
        doms = {k.value: v.value for k, v in s.risk_of_bias.domains.items()} if s.risk_of_bias else {}
        b.judgments.append([*(doms.get(d) for d in DOMAIN_LABELS[tool]), overall])
        b.weights.append(weights.get(s.id, 0.0) if weights else 1.0)
    out = []
    for tool in ("rob2", "robins-i", "rob1"):
        b = blocks.get(tool)
        if b is None:
            continue
        keys = list(DOMAIN_LABELS[tool])
        keep = [i for i, _ in enumerate(keys) if any(row[i] is not None for row in b.judgments)]
        b.domains = [keys[i] for i in keep]
        b.domain_short = [DOMAIN_LABELS[tool][keys[i]][0] for i in keep]
        b.domain_long = [DOMAIN_LABELS[tool][keys[i]][1] for i in keep]
        b.judgments = [[row[i] for i in keep] + [row[-1]] for row in b.judgments]
        if "no_information" not in b.levels and any(j == "no_information" for row in b.judgments for j in row):
            b.levels = (*b.levels, "no_information")  # RoB 2 and RoB 1 as robvis allow it
        if b.weighted and sum(b.weights) <= 0:
            b.weights, b.weighted = [1.0] * len(b.studies), False
        out.append(b)
    return out


def summary_shares(block: RobBlock) -> list[dict[str, float]]:
    """Per domain (then overall): judgment -> share of the (weighted) studies, 'not_assessed' for gaps."""
    total = sum(block.weights)
    out = []
    for j in range(len(block.domains) + 1):
        shares: dict[str, float] = {}
        for row, w in zip(block.judgments, block.weights, strict=True):
            key = row[j] or "not_assessed"
            shares[key] = shares.get(key, 0.0) + w / total
        out.append(shares)
    return out
