"""What a forest plot or risk-of-bias figure shows, computed without matplotlib.

The text forest plot (``gradecli meta``, ``gradecli assess --detail``) and the matplotlib figures
read the same :class:`ForestData` and :class:`RobData`, so the terminal and the images agree.
Everything comes from the Assessment: each outcome's rows as analysed (estimates, weights, the
risk-of-bias judgment used), its pooled result, and the thresholds the rules judged against (drawn
back on the measure's own scale by the engine); the studies' risk-of-bias domains.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from gradecli.grade.assessment import AnalysedRow, Assessment, OutcomeAssessment, StudyRecord
from gradecli.model.vocab import TOOL_JUDGMENTS, TOOL_NAMES
from gradecli.numeric import RATIO_CODES

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
# the levels a summary bar shows: RoB 2 and RoB 1 add no_information only when a study uses it
TOOL_ORDER = {
    tool: judgments if tool == "robins-i" else tuple(j for j in judgments if j != "no_information")
    for tool, judgments in TOOL_JUDGMENTS.items()
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
    omitted: int = 0  # study rows not drawn (see :func:`limit_rows`)
    row_limit: int = 0

    @property
    def ratio(self) -> bool:
        return self.log_scale

    @property
    def omitted_note(self) -> str:
        return (
            f"{self.omitted:,} study rows are not drawn: a forest plot draws at most {self.row_limit:,} "
            "(every study's result is in the JSON assessment); the pooled result is drawn"
        )


MAX_FOREST_ROWS = 500
"""The most study rows one forest plot draws (``gradecli plot forest --max-rows`` changes it).
Above it the plot is *summarised*: the pooled result, the prediction interval and the thresholds
without a row per study, and a note saying how many rows were left out. 500 rows are a plot about
11,000 px tall, past what anyone reads; 20,000 rows took matplotlib 2 minutes and 1.7 GB."""


def too_many_for_traffic_light(blocks: Sequence[RobBlock], max_rows: int = MAX_FOREST_ROWS) -> str | None:
    """Why a traffic-light plot of ``blocks`` is not drawn (one block with more than ``max_rows``
    studies: one row each), or None when it can be."""
    big = [b for b in blocks if len(b.studies) > max_rows]
    if not big:
        return None
    b = max(big, key=lambda x: len(x.studies))
    return (
        f"{len(b.studies):,} studies assessed with {b.tool_name}: a traffic-light plot draws at most "
        f"{max_rows:,} rows (one per study)"
    )


def limit_rows(d: ForestData, max_rows: int = MAX_FOREST_ROWS) -> ForestData:
    """``d`` itself when it has at most ``max_rows`` rows; else the summarised plot (no study rows)."""
    if len(d.rows) <= max_rows:
        return d
    from dataclasses import replace

    return replace(
        d, rows=[], column_names=(), rob_columns=(), rob_column_names=(), omitted=len(d.rows), row_limit=max_rows
    )


class PlotDataError(Exception):
    """Nothing to plot (one line for the user)."""


def _columns(rows: list[AnalysedRow]) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    if rows and all(r.events_t is not None and r.events_c is not None for r in rows):
        return ("Events/Total (I)", "Events/Total (C)"), [
            (f"{r.events_t}/{r.n_t}", f"{r.events_c}/{r.n_c}") for r in rows
        ]
    if rows and all(r.mean_t is not None and r.sd_t is not None for r in rows):
        return ("Mean (SD), N (I)", "Mean (SD), N (C)"), [
            (f"{r.mean_t:.3g} ({r.sd_t:.3g}), {r.n_t}", f"{r.mean_c:.3g} ({r.sd_c:.3g}), {r.n_c}") for r in rows
        ]
    return (), [() for _ in rows]


def _favours(benefit: str | None) -> tuple[str, str]:
    """Words under the axis: which side favours which arm (from ``benefit``)."""
    if benefit is None:
        return ("Lower with intervention", "Higher with intervention")
    if benefit == "lower":
        return ("Favours intervention", "Favours comparator")
    return ("Favours comparator", "Favours intervention")


def forest_data(outcome: OutcomeAssessment, studies: Sequence[StudyRecord]) -> ForestData:
    """The forest plot of one assessed outcome with per-study rows (read from the Assessment)."""
    if outcome.form != "studies":
        what = "a published summary" if outcome.form == "summary" else "no studies"
        raise PlotDataError(f"outcome {outcome.id!r} has {what}, not per-study rows: no forest plot to draw")
    by_id = {s.id: s for s in studies}
    measure = outcome.measure or "GENERIC"
    log_scale = measure in RATIO_CODES
    rows_in = outcome.rows
    names, cols = _columns(rows_in)
    records = [by_id.get(r.study) for r in rows_in]
    tools = {r.risk_of_bias_tool for r in rows_in if r.risk_of_bias_tool is not None}
    tool = next(iter(tools)) if len(tools) == 1 else None
    labels = DOMAIN_LABELS.get(tool, {}) if tool is not None else {}
    present = {d for s in records if s and s.risk_of_bias for d in s.risk_of_bias.domains}
    domain_keys = [d for d in labels if d in present]
    rob_columns = tuple(labels[d][0] for d in domain_keys) + (("Overall",) if tools else ())
    rob_names = tuple(labels[d][1] for d in domain_keys) + (("Overall",) if tools else ())
    rows: list[ForestRow] = []
    for row, study, col in zip(rows_in, records, cols, strict=True):
        rob: list[str | None] = []
        for d in domain_keys:
            rob.append(study.risk_of_bias.domains.get(d) if study and study.risk_of_bias else None)
        if tools:
            rob.append(row.risk_of_bias)
        rows.append(ForestRow(row.label, row.study, row.estimate, row.ci_lb, row.ci_ub, row.weight, col, tuple(rob)))
    effect = outcome.effect
    data = ForestData(
        outcome_id=outcome.id,
        outcome_name=outcome.name,
        measure=measure,
        measure_name=MEASURE_NAMES.get(measure, measure),
        log_scale=log_scale,
        null=1.0 if log_scale else 0.0,
        rows=rows,
        column_names=names,
        rob_tool=tool if tool else ("mixed" if tools else None),
        rob_columns=rob_columns,
        rob_column_names=rob_names,
        method=outcome.analysis or "",
        favours=_favours(outcome.benefit),
        not_estimable=outcome.not_estimable,
    )
    if effect is not None and effect.estimate is not None and effect.ci_lb is not None and effect.ci_ub is not None:
        data.pooled = (effect.estimate, effect.ci_lb, effect.ci_ub)
    pooled = outcome.pooled
    if pooled is not None and effect is not None:
        if effect.pi_lb is not None and effect.pi_ub is not None and pooled.k > 2:
            pi = (effect.pi_lb, effect.pi_ub)
            if all(map(math.isfinite, pi)):
                data.prediction = pi
        if pooled.k > 1:
            het = f"Heterogeneity: I² = {pooled.i2:.0f}%"
            if pooled.tau2 is not None:
                het += f", τ² = {pooled.tau2:.3g}"
            het += f", p = {pooled.q_p:.2g}"
            data.heterogeneity = het
    scale = outcome.judging_scale
    if scale is not None:
        data.references = [Reference(r.value, r.label) for r in scale.references]
        if data.references:
            data.reference_note = "Dashed lines: thresholds judged against (" + scale.note + ")"
            if scale.default_used:
                data.reference_note += f"; {scale.default_used}"
    return data


NICE = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
"""Ticks of a log axis (the 1-2-5 series), for both forest-plot renderers."""


def axis_limits(d: ForestData) -> tuple[float, float]:
    """The axis range: every estimate, CI, the pooled result, the prediction interval, the null and
    the thresholds, with 5 % padding (ratio measures: at most 1000-fold either side of the pooled)."""
    values = [d.null]
    for r in d.rows:
        values += [v for v in (r.estimate, r.lo, r.hi) if v is not None and math.isfinite(v)]
    if d.pooled:
        values += [v for v in d.pooled if math.isfinite(v)]
    if d.prediction:
        values += [v for v in d.prediction if math.isfinite(v)]
    values += [ref.value for ref in d.references if math.isfinite(ref.value)]
    if d.log_scale:
        values = [v for v in values if v > 0] or [1.0]
        centre = d.pooled[0] if d.pooled and d.pooled[0] > 0 else 1.0
        lo, hi = max(min(values), centre / 1000), min(max(values), centre * 1000)
        llo, lhi = math.log10(lo), math.log10(hi)
        pad = max(0.05 * (lhi - llo), 0.05)
        return 10 ** (llo - pad), 10 ** (lhi + pad)
    lo, hi = min(values), max(values)
    pad = max(0.05 * (hi - lo), 1e-6)
    return lo - pad, hi + pad


def format_number(x: float | None, ratio: bool) -> str:
    from gradecli.formatting import BIG, power_of_ten

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


def rob_data(assessment: Assessment, outcome_id: str | None = None) -> list[RobBlock]:
    """One block per tool. With an outcome: its studies, its overrides, weighted by its analysis."""
    by_id = {s.id: s for s in assessment.studies}
    overall_of: dict[str, tuple[str | None, str | None]] = {}
    weights: dict[str, float] = {}
    if outcome_id is not None:
        outcome = next((o for o in assessment.outcomes if o.id == outcome_id), None)
        rows = outcome.rows if outcome is not None else []
        for r in rows:
            overall_of.setdefault(r.study, (r.risk_of_bias_tool, r.risk_of_bias))
            if r.weight is not None:
                weights[r.study] = weights.get(r.study, 0.0) + r.weight
        studies = [by_id[i] for i in dict.fromkeys(r.study for r in rows) if i in by_id]
    else:
        studies = list(assessment.studies)
    blocks: dict[str, RobBlock] = {}
    for s in studies:
        if outcome_id is not None:
            tool, overall = overall_of.get(s.id, (None, None))
        else:
            tool, overall = (s.risk_of_bias.tool, s.risk_of_bias.overall) if s.risk_of_bias else (None, None)
        if tool is None:
            continue
        b = blocks.get(tool)
        if b is None:
            b = blocks[tool] = RobBlock(tool, TOOL_NAMES[tool], [], [], [], [], [], [], bool(weights), TOOL_ORDER[tool])
        b.studies.append(s.id)
        doms = s.risk_of_bias.domains if s.risk_of_bias else {}
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
