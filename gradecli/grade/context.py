"""Everything the domain rules need about one outcome: the effect (pooled from per-study rows, or
copied from a published summary), each study's share of the weight, participants, and the scale on
which the outcome's thresholds are judged.

Numbers here are finite or None (issue 9): the pooling either gives finite statistics or a
not-estimable reason (:mod:`gradecli.stats.analysis`), and a ratio is taken as ``exp`` of a log
ratio only within ±``LOG_RATIO_MAX`` (709: ratios from ~1e-308 to ~8e307). A pooled ratio or CI
limit beyond that makes the outcome not estimable, with that reason; a study's is left out of the
per-study effects (None), as a double-zero study is.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gradecli.grade import multiarm
from gradecli.model.evidence import (
    Analysis,
    ContinuousRow,
    DichotomousRow,
    Evidence,
    GenericRow,
    Outcome,
    Study,
)
from gradecli.model.vocab import RATIO_MEASURES, Measure, Method, Model
from gradecli.numeric import LOG_RATIO_MAX, Z_975, safe_exp

if TYPE_CHECKING:
    from gradecli.grade.assessment import Sensitivity
    from gradecli.stats import BinaryData, ContinuousData, GenericData, PooledResult, StudyEffects
    from gradecli.stats import PoolingSpec as StatsAnalysis

RATIO = RATIO_MEASURES
Row = DichotomousRow | ContinuousRow | GenericRow
__all__ = ["LOG_RATIO_MAX", "RATIO", "EffectView", "OutcomeContext", "build_context", "describe_analysis"]


@dataclass(frozen=True)
class EffectView:
    """An effect on its natural scale (ratios as ratios) with its 95% CI."""

    measure: Measure
    estimate: float | None
    lo: float | None
    hi: float | None


@dataclass
class OutcomeContext:
    evidence: Evidence
    outcome: Outcome
    measure: Measure
    analysis: Analysis
    effect: EffectView | None = None
    pooled: PooledResult | None = None
    not_estimable: str | None = None
    k: int | None = None
    participants: int | None = None
    study_ids: list[str] = field(default_factory=list)  # one per row, in row order
    row_labels: list[str] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)  # study id -> share (0-1)
    row_effects: list[EffectView] = field(default_factory=list)
    row_yisei: list[tuple[float, float] | None] = field(default_factory=list)  # analysis scale, per row
    row_dropped: list[str | None] = field(default_factory=list)  # per row: why it has no estimate, or None
    egger_min_k: int = 10
    _overrides: dict[str, tuple[str, str | None]] | None = field(default=None, repr=False)
    control_risk: float | None = None
    control_risk_source: str | None = None
    i2: float | None = None
    q_p: float | None = None
    analysis_notes: list[str] = field(default_factory=list)  # e.g. how a multi-arm trial's rows were combined
    excluded_critical: list[str] = field(default_factory=list)  # studies at critical risk left out of the pooling
    left_out_rows: list[Row] = field(default_factory=list)  # their rows (shown, not pooled)
    study_order: dict[str, int] = field(default_factory=dict)  # study -> position in the file's rows, when rows left
    not_pooled: bool = False  # analysis.pool: false
    no_event_rd: EffectView | None = None  # the pooled RD when no study has an event (no ratio exists)
    no_event_rd_method: str | None = None
    no_event_comparator_risk: float | None = None
    # the outcome pooled again from a subset of its studies (the low-risk analysis, the one without
    # the critical studies), by the set of study ids kept: each is pooled once, whichever rule (and
    # the engine's sensitivity analysis) asks for it — see rules.rob_weight.repool
    repooled: dict[frozenset[str], OutcomeContext] = field(default_factory=dict, init=False, repr=False, compare=False)
    # (the judging scale, the low-risk analysis set against it): ROB-WEIGHT and the engine ask for it
    # with the same scale — see rules.rob_weight.low_risk_analysis
    low_risk: tuple[object, Sensitivity | None] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def is_ratio(self) -> bool:
        return self.measure in RATIO

    @property
    def events(self) -> int | None:
        """Events in both arms (dichotomous rows, or a summary's events_t + events_c); None when not known."""
        s = self.outcome.summary
        if s is not None:
            return s.events_t + s.events_c if s.events_t is not None and s.events_c is not None else None
        rows = [r for r in self.outcome.data or [] if isinstance(r, DichotomousRow)]
        return sum(r.events_t + r.events_c for r in rows) if rows else None

    @property
    def pooled_sd(self) -> float | None:
        """The pooled within-group SD of the continuous rows (both arms, weighted by n − 1), or None."""
        rows = [r for r in self.outcome.data or [] if isinstance(r, ContinuousRow)]
        num = sum((r.n_t - 1) * r.sd_t * r.sd_t + (r.n_c - 1) * r.sd_c * r.sd_c for r in rows)  # ** raises on overflow
        den = sum(r.n_t - 1 + r.n_c - 1 for r in rows)
        if not rows or den <= 0 or not math.isfinite(num) or num <= 0:
            return None
        return math.sqrt(num / den)

    def study(self, study_id: str) -> Study | None:
        return self.evidence.study(study_id)

    def study_judgment(self, study_id: str) -> tuple[str | None, str | None]:
        """(overall judgment, tool) of a study for this outcome: the outcome's override (the first
        one for the study), else the study's own assessment; (None, None) when there is neither."""
        if self._overrides is None:
            self._overrides = {}
            for ov in self.outcome.risk_of_bias_overrides:
                self._overrides.setdefault(ov.study, (ov.overall, ov.tool))
        study = self.study(study_id)
        own = study.risk_of_bias if study is not None else None
        found = self._overrides.get(study_id)
        if found is not None:
            return found[0], found[1] or (own.tool if own is not None else None)
        if own is None:
            return None, None
        return own.overall.value, own.tool


def effective_analysis(evidence: Evidence, outcome: Outcome, measure: Measure) -> Analysis:
    """Outcome's analysis, then the file's defaults, then gradecli's (metafor's) defaults.
    The Peto odds ratio implies the Peto method."""
    merged: dict[str, object] = {}
    for layer in (evidence.defaults.analysis, outcome.analysis):
        if layer is not None:
            merged.update({k: v for k, v in layer.model_dump().items() if v is not None})
    if measure is Measure.PETO_OR:
        merged["model"], merged["method"] = Model.fixed, Method.PETO
    elif (merged.get("method") is Method.MH and measure not in (Measure.RR, Measure.OR, Measure.RD)) or (
        merged.get("method") is Method.PETO and measure is not Measure.OR
    ):
        merged.pop("method")
    method = merged.get("method")
    if "model" not in merged:
        merged["model"] = Model.fixed if method in (Method.IV, Method.MH, Method.PETO) else Model.random
    if method is None:
        merged["method"] = Method.REML if merged["model"] is Model.random else Method.IV
    merged.setdefault("hksj", False)
    merged.setdefault("prediction_interval", "metafor")
    merged.setdefault("multi_arm", "combine")
    merged.setdefault("critical_risk_of_bias", "exclude")
    merged.setdefault("pool", True)
    return Analysis.model_validate(merged)


def describe_analysis(a: Analysis) -> str:
    """e.g. 'random effects, REML' for an analysis from :func:`effective_analysis` (model and method set)."""
    assert a.model is not None and a.method is not None, "an effective analysis has its model and method"
    if a.model is Model.fixed:
        name = {Method.IV: "inverse variance", Method.MH: "Mantel–Haenszel", Method.PETO: "Peto"}[a.method]
        return f"fixed effect, {name}" + _convention(a)
    text = f"random effects, {a.method.value}"
    text += ", Hartung–Knapp" if a.hksj else ""
    text += " (Q around the Mantel–Haenszel estimate)" if a.q_around == "MH" else ""
    return text + _convention(a)


def _convention(a: Analysis) -> str:
    return "; RevMan 5 conventions" if a.convention == "revman5" else ""


def row_label(row: DichotomousRow | ContinuousRow | GenericRow) -> str:
    return f"{row.study} ({row.label})" if row.label else row.study


def build_context(
    evidence: Evidence,
    outcome: Outcome,
    *,
    egger: bool = True,
    egger_min_k: int = 10,
    analysis: Analysis | None = None,
) -> OutcomeContext:
    """Pool the outcome once and gather what the rules read. ``egger_min_k``: the fewest study
    estimates with which Egger's test is run (the publication-bias rule's ``min_studies``).
    ``analysis``: the outcome's effective analysis when the caller has it already (a re-analysis
    of some of its studies), else :func:`effective_analysis` works it out."""
    measure = outcome.effective_measure
    if analysis is None:
        analysis = effective_analysis(evidence, outcome, measure)
    notes: list[str] = []
    critical: list[str] = []
    left_out: list[Row] = []
    order: dict[str, int] = {}
    if outcome.form == "studies" and analysis.critical_risk_of_bias == "exclude":
        critical = critical_studies(evidence, outcome)
        gone = set(critical)
        kept = [r for r in outcome.data or [] if r.study not in gone]
        if critical and kept:
            left_out = [r for r in outcome.data or [] if r.study in gone]
            order = {sid: i for i, sid in enumerate(dict.fromkeys(r.study for r in outcome.data or []))}
            outcome = outcome.model_copy(update={"data": kept})
        if critical:
            notes.append(critical_note(critical))
    if outcome.form == "studies":
        # a multi-arm trial's rows that share one control: combined (or the control split), so that no
        # participant is counted twice and the trial is one unit of analysis
        outcome, arm_notes = multiarm.apply(outcome, analysis.multi_arm or "combine")
        notes += arm_notes
    ctx = OutcomeContext(evidence, outcome, measure, analysis)
    ctx.analysis_notes = notes
    ctx.excluded_critical = critical
    ctx.left_out_rows = left_out
    ctx.study_order = order
    ctx.egger_min_k = egger_min_k
    if outcome.form == "summary":
        _from_summary(ctx)
    elif critical and len(critical) == len({r.study for r in outcome.data or []}):
        # the outcome keeps its rows (it is not "reported by no study"), but none is pooled
        ctx.study_ids = [r.study for r in outcome.data or []]
        ctx.row_labels = [row_label(r) for r in outcome.data or []]
        ctx.k = 0
        ctx.not_estimable = (
            "every study is at critical risk of bias (ROBINS-I): none is left for the primary analysis "
            "(analysis.critical_risk_of_bias: include keeps them)"
        )
    elif outcome.form == "studies" and analysis.pool is False:
        _not_pooled(ctx)
    elif outcome.form == "studies":
        _from_rows(ctx, egger)
    if len(outcome.assumed_risk) == 1 or (outcome.assumed_risk and ctx.control_risk is None):
        # one assumed risk is the reviewer's; with several strata none is "the" risk, so the
        # outcome-wide judgments (inconsistency's zones) keep the studies' own median control
        # risk when there is one, and each stratum is judged at its own risk by the engine
        ctx.control_risk = outcome.assumed_risk[0].value
        label = outcome.assumed_risk[0].source or "assumed risk given in the file"
        ctx.control_risk_source = label
    return ctx


def critical_studies(evidence: Evidence, outcome: Outcome) -> list[str]:
    """The outcome's studies judged at critical risk of bias (the outcome's override for the study,
    else the study's own assessment), in row order."""
    override: dict[str, str] = {}
    for ov in outcome.risk_of_bias_overrides:
        override.setdefault(ov.study, ov.overall)
    out = []
    for sid in dict.fromkeys(r.study for r in outcome.data or []):
        study = evidence.study(sid)
        own = study.risk_of_bias.overall.value if study is not None and study.risk_of_bias is not None else None
        if override.get(sid, own) == "critical":
            out.append(sid)
    return out


def critical_note(ids: list[str]) -> str:
    n = len(ids)
    return (
        f"{n} stud{'y' if n == 1 else 'ies'} at critical risk of bias (ROBINS-I: {', '.join(ids)}) left out of the "
        f"primary analysis (analysis.critical_risk_of_bias: include keeps {'it' if n == 1 else 'them'})"
    )


def _from_summary(ctx: OutcomeContext) -> None:
    s = ctx.outcome.summary
    assert s is not None
    ctx.k = s.studies
    ctx.participants = s.participants
    if s.participants is None and s.participants_t is not None and s.participants_c is not None:
        ctx.participants = s.participants_t + s.participants_c
    ctx.i2 = s.i2
    if s.estimate is not None and s.ci is not None:
        ctx.effect = EffectView(ctx.measure, s.estimate, s.ci[0], s.ci[1])
    else:
        ctx.not_estimable = "the source reports no pooled result"
    if s.events_c is not None and s.participants_c:
        ctx.control_risk = s.events_c / s.participants_c
        ctx.control_risk_source = "control-group risk in the summary"


def row_participants(row: Row) -> int | None:
    if isinstance(row, GenericRow):
        if row.participants is not None:
            return row.participants
        if row.n_t is not None and row.n_c is not None:
            return row.n_t + row.n_c
        return None
    return row.n_t + row.n_c


def _from_rows(ctx: OutcomeContext, egger: bool = True) -> None:
    from gradecli.stats import meta_analysis

    rows = ctx.outcome.data or []
    ctx.row_labels = [row_label(r) for r in rows]
    ctx.study_ids = [r.study for r in rows]
    sizes = [row_participants(r) for r in rows]
    ctx.participants = sum(n for n in sizes if n is not None) if any(n is not None for n in sizes) else None
    ctx.k = len({r.study for r in rows})
    # one control-group risk per study (a study's rows with different control groups — subgroups —
    # pooled), so that "N studies" counts studies as the table does
    by_study: dict[str, list[int]] = {}
    for r in rows:
        if isinstance(r, DichotomousRow) and r.n_c > 0:
            counts = by_study.setdefault(r.study, [0, 0])
            counts[0] += r.events_c
            counts[1] += r.n_c
    risks = [e / n for e, n in by_study.values()]
    if risks and 0 < statistics.median(risks) < 1:
        ctx.control_risk = statistics.median(risks)
        n = len(risks)
        ctx.control_risk_source = f"median control-group risk ({n} stud{'y' if n == 1 else 'ies'})"
    spec = _stats_analysis(ctx, egger=egger)
    try:
        data = _stats_data(rows, ctx)
        pooled = meta_analysis(data, spec)
    except ValueError as exc:  # NotEstimableError, StudyValueError (a study out of range), ...
        # the reports say "Not estimable: <reason>": drop the library's own "not estimable: " prefix
        reason = str(exc)
        ctx.not_estimable = reason[len("not estimable: ") :] if reason.startswith("not estimable: ") else reason
        ctx.row_yisei = _rows_yi_sei(rows, ctx.row_labels, ctx.measure)  # each row on its own, for display
        ctx.row_effects = [row_view(ysei, ctx.measure) for ysei in ctx.row_yisei]
        ctx.row_dropped = [None if y is not None else "no estimate" for y in ctx.row_yisei]
        _no_event_risk_difference(ctx, rows, spec)
        return
    # the per-study estimates are the ones the pooling used (its measure and continuity correction)
    _rows_from_effects(ctx, pooled.effects)
    est: float | None
    lo: float | None
    hi: float | None
    est, lo, hi = pooled.estimate, pooled.ci_lb, pooled.ci_ub
    if ctx.is_ratio:
        est, lo, hi = _exp(est), _exp(lo), _exp(hi)
        if est is None or lo is None or hi is None:
            ctx.not_estimable = (
                f"the pooled {ctx.measure.value} or its 95% CI is beyond the floating-point range "
                "(a ratio above 1e307 or below 1e-307)"
            )
            return
    ctx.pooled = pooled
    # studies, not rows: a multi-arm trial whose control is split is still one study, and a study
    # without an estimate of its own (no events in either arm) still counts, as its participants do
    ctx.k = len(set(ctx.study_ids)) or pooled.k
    ctx.i2 = pooled.i2 if pooled.k > 1 else None
    ctx.q_p = pooled.q_p if pooled.k > 1 else None
    ctx.effect = EffectView(ctx.measure, est, lo, hi)
    label_to_study = dict(zip(ctx.row_labels, ctx.study_ids, strict=True))
    for label, pct in pooled.weights:
        sid = label_to_study.get(label, label)
        ctx.weights[sid] = ctx.weights.get(sid, 0.0) + pct / 100.0


_exp = safe_exp


def _not_pooled(ctx: OutcomeContext) -> None:
    """The studies as they are, without a pooled estimate (analysis.pool: false)."""
    rows = ctx.outcome.data or []
    ctx.row_labels = [row_label(r) for r in rows]
    ctx.study_ids = [r.study for r in rows]
    sizes = [row_participants(r) for r in rows]
    ctx.participants = sum(n for n in sizes if n is not None) if any(n is not None for n in sizes) else None
    ctx.k = len(set(ctx.study_ids))
    ctx.not_pooled = True
    ctx.not_estimable = "not pooled (analysis.pool: false)"
    ctx.row_yisei = _rows_yi_sei(rows, ctx.row_labels, ctx.measure)
    ctx.row_effects = [row_view(ysei, ctx.measure) for ysei in ctx.row_yisei]
    ctx.row_dropped = ["not pooled" for _ in rows]


def _no_event_risk_difference(ctx: OutcomeContext, rows: Sequence[Row], spec: StatsAnalysis) -> None:
    """When no study gives a ratio because nobody had an event (or everybody had one) in either arm,
    the risk difference still exists: pool it (the outcome's model; inverse variance for a fixed
    Mantel–Haenszel or Peto analysis, whose RD variance is then 0), with 0.5 added to the cells for
    the variances and the double-zero studies kept, as RevMan does for risk differences."""
    from dataclasses import replace

    from gradecli.stats import meta_analysis
    from gradecli.stats.effects import REVMAN_CC

    dich = [r for r in rows if isinstance(r, DichotomousRow)]
    if ctx.measure not in (Measure.RR, Measure.OR, Measure.PETO_OR) or not dich or len(dich) != len(rows):
        return
    if not all((r.events_t == 0 and r.events_c == 0) or (r.events_t == r.n_t and r.events_c == r.n_c) for r in dich):
        return
    method = "IV" if spec.method in ("MH", "PETO") else spec.method
    try:
        rd = meta_analysis(
            _table_data(rows, ctx.row_labels),  # type: ignore[arg-type]
            replace(spec, measure="RD", method=method, cc=REVMAN_CC, egger=False, dl_q_around="IV"),
        )
    except ValueError:
        return
    ctx.no_event_rd = EffectView(Measure.RD, rd.estimate, rd.ci_lb, rd.ci_ub)
    ctx.no_event_rd_method = f"{rd.model} effects, {rd.method}"
    events_c = sum(r.events_c for r in dich)
    n_c = sum(r.n_c for r in dich)
    ctx.no_event_comparator_risk = events_c / n_c if n_c else None


def _rows_from_effects(ctx: OutcomeContext, eff: StudyEffects | None) -> None:
    """Per-row estimates from the study-level effects the pooling computed (no recomputation)."""
    found: dict[str, tuple[float, float]] = {}
    why: dict[str, str] = {}
    if eff is not None:
        found = {label: (y, math.sqrt(v)) for label, y, v in zip(eff.labels, eff.yi, eff.vi, strict=True)}
        why = {d.study: d.reason for d in eff.dropped}
    ctx.row_yisei = [found.get(label) for label in ctx.row_labels]
    ctx.row_effects = [row_view(ysei, ctx.measure) for ysei in ctx.row_yisei]
    ctx.row_dropped = [
        None if ysei is not None else why.get(label, "no estimate")
        for label, ysei in zip(ctx.row_labels, ctx.row_yisei, strict=True)
    ]


def _stats_analysis(ctx: OutcomeContext, egger: bool = True) -> StatsAnalysis:
    from gradecli.stats import PoolingSpec as StatsAnalysis

    a = ctx.analysis
    measure = ctx.measure.value
    assert a.model is not None and a.method is not None, "an effective analysis has its model and method"
    if a.method is Method.PETO and ctx.measure is Measure.OR:
        measure = "PETO_OR"
    from gradecli.stats.effects import METAFOR_CC, REVMAN_CC

    revman = a.convention == "revman5"
    return StatsAnalysis(
        measure=measure,
        model=a.model.value,
        method=a.method.value,
        hksj=bool(a.hksj) and a.model is Model.random,
        prediction=str(a.prediction_interval.value if a.prediction_interval else "metafor"),
        egger=egger,
        egger_min_k=ctx.egger_min_k,
        cc=REVMAN_CC if revman else METAFOR_CC,
        dl_q_around=a.q_around or "IV",
        smd_correction="revman5" if revman else "exact",
    )


def _stats_data(rows: Sequence[Row], ctx: OutcomeContext) -> BinaryData | ContinuousData | GenericData:
    from gradecli.stats import GenericData

    table = _table_data(rows, ctx.row_labels)
    if table is not None:
        return table
    if ctx.analysis.method in (Method.MH, Method.PETO):
        raise ValueError(f"{ctx.analysis.method.value} pooling needs events and participants for every study")
    ys, ss, keep = [], [], []
    for label, row in zip(ctx.row_labels, rows, strict=True):
        ysei = row_yi_sei(row, ctx.measure)
        if ysei is not None:
            ys.append(ysei[0])
            ss.append(ysei[1])
            keep.append(label)
    if not keep:
        raise ValueError("no study gives an estimate")
    return GenericData(keep, ys, ss)


def row_yi_sei(row: Row, measure: Measure) -> tuple[float, float] | None:
    """A row's estimate and SE on the analysis scale (None when it has none, e.g. double zero)."""
    from gradecli.stats.effects import (
        METAFOR_CC,
        binary_effects,
        continuous_effects,
        peto_effects,
        yi_sei_from_ci,
    )

    label = ["row"]
    if isinstance(row, DichotomousRow):
        m = "PETO_OR" if measure is Measure.PETO_OR else measure.value
        if m == "PETO_OR":
            eff = peto_effects(label, [row.events_t], [row.n_t], [row.events_c], [row.n_c])
        else:
            eff = binary_effects(label, [row.events_t], [row.n_t], [row.events_c], [row.n_c], m, METAFOR_CC)
    elif isinstance(row, ContinuousRow):
        eff = continuous_effects(
            label,
            [row.mean_t],
            [row.sd_t],
            [row.n_t],
            [row.mean_c],
            [row.sd_c],
            [row.n_c],
            measure.value if measure in (Measure.MD, Measure.SMD) else "MD",
        )
    elif isinstance(row, GenericRow):
        if row.yi is not None and row.sei is not None:
            return row.yi, row.sei
        if row.estimate is not None and row.ci is not None:
            return yi_sei_from_ci(row.estimate, row.ci[0], row.ci[1], measure in RATIO)
        if row.estimate is not None and row.se is not None:
            return row.estimate, row.se
        return None
    else:
        return None
    if not eff.yi:
        return None
    return eff.yi[0], math.sqrt(eff.vi[0])


def _table_data(rows: Sequence[Row], labels: list[str]) -> BinaryData | ContinuousData | None:
    """The rows as 2×2 tables or as means/SDs when every row has that form, else None."""
    from gradecli.stats import BinaryData, ContinuousData

    dich = [r for r in rows if isinstance(r, DichotomousRow)]
    if rows and len(dich) == len(rows):
        return BinaryData(
            labels, [r.events_t for r in dich], [r.n_t for r in dich], [r.events_c for r in dich], [r.n_c for r in dich]
        )
    cont = [r for r in rows if isinstance(r, ContinuousRow)]
    if rows and len(cont) == len(rows):
        return ContinuousData(
            labels,
            [r.mean_t for r in cont],
            [r.sd_t for r in cont],
            [r.n_t for r in cont],
            [r.mean_c for r in cont],
            [r.sd_c for r in cont],
            [r.n_c for r in cont],
        )
    return None


def _rows_yi_sei(rows: Sequence[Row], labels: list[str], measure: Measure) -> list[tuple[float, float] | None]:
    """Every row's estimate and SE on the analysis scale, in one call where the rows share a form."""
    from gradecli.stats import BinaryData
    from gradecli.stats.effects import METAFOR_CC, binary_effects, continuous_effects

    table = _table_data(rows, labels)
    eff = None
    try:
        if isinstance(table, BinaryData) and measure in (Measure.RR, Measure.OR, Measure.RD):
            eff = binary_effects(
                labels, table.events_t, table.n_t, table.events_c, table.n_c, measure.value, METAFOR_CC
            )
        elif table is not None and not isinstance(table, BinaryData) and measure in (Measure.MD, Measure.SMD):
            eff = continuous_effects(
                labels, table.mean_t, table.sd_t, table.n_t, table.mean_c, table.sd_c, table.n_c, measure.value
            )
    except ValueError:
        eff = None
    if eff is not None:
        found = {label: (y, math.sqrt(v)) for label, y, v in zip(eff.labels, eff.yi, eff.vi, strict=True)}
        return [found.get(label) for label in labels]
    out: list[tuple[float, float] | None] = []
    for row in rows:
        try:
            ysei = row_yi_sei(row, measure)
        except ValueError:
            ysei = None
        out.append(ysei if ysei is None or _in_range(*ysei) else None)
    return out


def _in_range(y: float, se: float) -> bool:
    """Within the range the pooling accepts (gradecli.stats.effects: |y| <= 1e100, se 1e-50 to 1e50)."""
    return abs(y) <= 1e100 and 1e-50 <= se <= 1e50


def row_view(ysei: tuple[float, float] | None, measure: Measure) -> EffectView:
    if ysei is None:
        return EffectView(measure, None, None, None)
    y, se = ysei
    ey: float | None
    elo: float | None
    ehi: float | None
    ey, elo, ehi = y, y - Z_975 * se, y + Z_975 * se
    if measure in RATIO:
        ey, elo, ehi = safe_exp(ey), safe_exp(elo), safe_exp(ehi)
    if ey is None or elo is None or ehi is None or not all(math.isfinite(v) for v in (ey, elo, ehi)):
        return EffectView(measure, None, None, None)  # not representable: left out, like a double-zero study
    return EffectView(measure, ey, elo, ehi)
