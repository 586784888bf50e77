"""A compact forest plot in the terminal (Rich, Unicode; fits 80 columns; no extra dependency).

One line per study: ``─────■──`` for the estimate and its 95% CI, ``│`` the null line, ``┆`` the
thresholds the engine judged the CI against; ``◆`` and ``━`` the pooled estimate and CI, ``╌``
the prediction interval; ``◂``/``▸`` a CI that runs off the axis. Ratio measures on a log axis.

Reads a :class:`gradecli.plots.data.ForestData` (the same data as the matplotlib figure).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table

    from gradecli.plots.data import ForestData

STUDY_STYLE = "bold cyan"
POOLED_STYLE = "bold magenta"
REF_STYLE = "yellow"


class _Axis:
    def __init__(self, lo: float, hi: float, width: int, log: bool) -> None:
        self.log, self.width = log, width
        self.lo, self.hi = (math.log(lo), math.log(hi)) if log else (lo, hi)

    def t(self, v: float) -> float:
        return math.log(v) if self.log else v

    def pos(self, v: float) -> int | None:
        """Column of a value, None when off the axis."""
        if self.log and v <= 0:
            return None
        x = self.t(v)
        if x < self.lo or x > self.hi:
            return None
        return min(self.width - 1, max(0, round((x - self.lo) / (self.hi - self.lo) * (self.width - 1))))

    def clamp(self, v: float) -> int:
        if self.log and v <= 0:
            return 0
        x = min(max(self.t(v), self.lo), self.hi)
        return min(self.width - 1, max(0, round((x - self.lo) / (self.hi - self.lo) * (self.width - 1))))


def _limits(d: ForestData) -> tuple[float, float]:
    values = [d.null]
    for r in d.rows:
        values += [v for v in (r.estimate, r.lo, r.hi) if v is not None and math.isfinite(v)]
    if d.pooled:
        values += list(d.pooled)
    values += [ref.value for ref in d.references]
    if d.log_scale:
        values = [v for v in values if v > 0]
        centre = d.pooled[0] if d.pooled else 1.0
        lo, hi = max(min(values), centre / 100), min(max(values), centre * 100)
        lo, hi = min(lo, 1.0), max(hi, 1.0)
        span = math.log(hi) - math.log(lo) or 1.0
        return math.exp(math.log(lo) - 0.04 * span), math.exp(math.log(hi) + 0.04 * span)
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    return lo - 0.04 * span, hi + 0.04 * span


def _line(
    axis: _Axis, d: ForestData, est: float | None, lo: float | None, hi: float | None, kind: str
) -> list[tuple[str, str]]:
    """The plot cell as (character, style) pairs."""
    cells: list[tuple[str, str]] = [(" ", "")] * axis.width
    for ref in d.references:
        p = axis.pos(ref.value)
        if p is not None:
            cells[p] = ("┆", REF_STYLE)
    p0 = axis.pos(d.null)
    if p0 is not None:
        cells[p0] = ("│", "dim")
    if lo is None or hi is None:
        return cells
    a, b = axis.clamp(lo), axis.clamp(hi)
    bar = {"study": "─", "pooled": "━", "prediction": "╌"}[kind]
    style = POOLED_STYLE if kind != "study" else ""
    for i in range(a, b + 1):
        cells[i] = (bar, style)
    if p0 is not None and a <= p0 <= b:
        cells[p0] = ("┼", style)
    if axis.pos(lo) is None:
        cells[a] = ("◂", style)
    if axis.pos(hi) is None:
        cells[b] = ("▸", style)
    if est is not None and kind != "prediction":
        pe = axis.pos(est)
        if pe is not None:
            cells[pe] = ("◆", POOLED_STYLE) if kind == "pooled" else ("■", STUDY_STYLE)
    return cells


def _text(cells: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    from rich.text import Text

    t = Text(no_wrap=True, overflow="crop")
    for ch, style in cells:
        t.append(ch, style=style or None)
    return t


def _ticks(axis: _Axis, d: ForestData) -> str:
    """An axis line of tick labels: the two ends and the null."""
    row = [" "] * axis.width

    def put(v: float, align: str) -> None:
        p = axis.pos(v)
        if p is None:
            return
        label = f"{v:.2g}" if d.log_scale else f"{v:.3g}"
        start = p if align == "left" else p - len(label) + 1 if align == "right" else p - len(label) // 2
        start = max(0, min(axis.width - len(label), start))
        if all(c == " " for c in row[max(0, start - 1) : start + len(label) + 1]):
            row[start : start + len(label)] = list(label)

    put(d.null, "centre")
    lo = math.exp(axis.lo) if axis.log else axis.lo
    hi = math.exp(axis.hi) if axis.log else axis.hi
    put(lo, "left")
    put(hi, "right")
    return "".join(row).rstrip()


def forest_table(d: ForestData, width: int = 80) -> Table:
    """The text forest plot of ``d`` as a Rich table, at most ``width`` columns wide."""
    from rich import box
    from rich.table import Table

    from gradecli.plots.data import format_ci, format_number

    ci_texts = [format_ci(r.estimate, r.lo, r.hi, d.ratio) for r in d.rows]
    pooled_text = format_ci(*d.pooled, d.ratio) if d.pooled else "not estimable"
    pi_text = (
        f"[{format_number(d.prediction[0], d.ratio)}, {format_number(d.prediction[1], d.ratio)}]"
        if d.prediction
        else ""
    )
    est_w = max([len(t) for t in [*ci_texts, pooled_text, pi_text]] + [len(d.measure) + 9])
    label_w = min(max([len(r.label) for r in d.rows] + [19]), 22)
    weight_w = 6
    plot_w = max(15, min(60, width - label_w - est_w - weight_w - 8))
    axis = _Axis(*_limits(d), plot_w, d.log_scale)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1), collapse_padding=True)
    table.add_column("Study", no_wrap=True, overflow="ellipsis", max_width=label_w)
    table.add_column(d.measure + (" (log)" if d.log_scale else ""), no_wrap=True, width=plot_w)
    table.add_column(f"{d.measure} [95% CI]", justify="right", no_wrap=True)
    table.add_column("Weight", justify="right", no_wrap=True, width=weight_w)
    for r, text in zip(d.rows, ci_texts, strict=True):
        weight = "" if r.weight is None else f"{100 * r.weight:.1f}%"
        table.add_row(r.label, _text(_line(axis, d, r.estimate, r.lo, r.hi, "study")), text, weight)
    table.add_section()
    total = sum(r.weight or 0 for r in d.rows)
    if d.pooled:
        est, lo, hi = d.pooled
        table.add_row(
            "Total (95% CI)",
            _text(_line(axis, d, est, lo, hi, "pooled")),
            pooled_text,
            f"{100 * total:.0f}%" if total else "",
            style="bold",
        )
    else:
        table.add_row("Total", _text(_line(axis, d, None, None, None, "pooled")), pooled_text, "")
    if d.prediction:
        table.add_row("Prediction interval", _text(_line(axis, d, None, *d.prediction, "prediction")), pi_text, "")
    table.add_row("", _ticks(axis, d), "", "", style="dim")
    return table


def forest_notes(d: ForestData) -> list[str]:
    """The lines printed under the text forest plot."""
    out = []
    left, right = d.favours
    if left and right:
        out.append(f"◂ {left} | {right} ▸")
    if d.method:
        out.append(d.method[0].upper() + d.method[1:] + (f". {d.heterogeneity}." if d.heterogeneity else "."))
    if d.reference_note:
        out.append(d.reference_note.replace("Dashed lines", "┆") + ".")
    return out
