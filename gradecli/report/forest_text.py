"""A compact forest plot in the terminal (Rich, Unicode; fits 80 columns; no extra dependency).

One line per study: ``─────■──`` for the estimate and its 95% CI, ``│`` the null line, ``┆`` the
thresholds the engine judged the CI against; ``◆`` and ``━`` the pooled estimate and CI, ``╌``
the prediction interval; ``◂``/``▸`` a CI that runs off the axis. Ratio measures on a log axis.

Reads a :class:`gradecli.plots.data.ForestData` (the same data as the matplotlib figure).
Extreme values are drawn, not crashed on (issue 9): the axis is laid out on finite limits taken
from the finite values only (on the log scale for ratios, so exp never overflows), a limit of 0,
±inf or NaN is simply off the axis, and numbers of a million and more are printed as powers of ten.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from gradecli.escape import github_line, terminal
from gradecli.formatting import BIG, power_of_ten

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

    from gradecli.plots.data import ForestData

STUDY_STYLE = "bold cyan"
POOLED_STYLE = "bold magenta"
REF_STYLE = "yellow"


class _Axis:
    """Columns for values. ``lo``/``hi`` are finite limits on the axis scale (log for ratios); any
    value maps to a column or to None — ±inf, 0 on a log axis and NaN never reach ``round``."""

    def __init__(self, lo: float, hi: float, width: int, log: bool) -> None:
        self.log, self.width = log, width
        self.lo, self.hi = lo, hi
        self.half_span = 0.5 * hi - 0.5 * lo  # hi - lo may overflow when the limits are near ±1.8e308

    def t(self, v: float) -> float:
        """The axis coordinate: log(v) for ratios (−inf for v ≤ 0); NaN only for a NaN."""
        if self.log:
            return math.log(v) if v > 0 else (math.nan if v != v else -math.inf)
        return v

    def _column(self, x: float) -> int:
        frac = (0.5 * x - 0.5 * self.lo) / self.half_span
        return min(self.width - 1, max(0, round(frac * (self.width - 1))))

    def pos(self, v: float) -> int | None:
        """Column of a value, None when off the axis."""
        x = self.t(v)
        if not self.lo <= x <= self.hi:
            return None
        return self._column(x)

    def clamp(self, v: float) -> int:
        x = self.t(v)
        if x != x:
            x = self.lo
        return self._column(min(max(x, self.lo), self.hi))

    def value(self, x: float) -> float | None:
        """The natural value at axis coordinate x (None when a ratio's is beyond the float range)."""
        if not self.log:
            return x
        return math.exp(x) if abs(x) <= 709.0 else None


def _limits(d: ForestData) -> tuple[float, float]:
    """Finite axis limits on the axis scale (log for ratios), from the finite values only."""
    values = [d.null]
    for r in d.rows:
        values += [v for v in (r.estimate, r.lo, r.hi) if v is not None]
    if d.pooled:
        values += [v for v in d.pooled if v is not None]
    values += [ref.value for ref in d.references]
    if d.log_scale:
        logs = [math.log(v) for v in values if v is not None and 0 < v < math.inf]
        centre = math.log(d.pooled[0]) if d.pooled and d.pooled[0] is not None and 0 < d.pooled[0] < math.inf else 0.0
        lo = max(min(logs, default=0.0), centre - math.log(100))
        hi = min(max(logs, default=0.0), centre + math.log(100))
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        span = (hi - lo) or 1.0
        return lo - 0.04 * span, hi + 0.04 * span
    finite = [v for v in values if v is not None and math.isfinite(v)]
    lo, hi = min(finite, default=0.0), max(finite, default=0.0)
    span = (0.5 * hi - 0.5 * lo) * 2.0 if math.isfinite(hi - lo) else math.inf
    if not span:
        span = max(abs(lo), 1.0)
    pad_lo, pad_hi = lo - 0.04 * span, hi + 0.04 * span
    return (pad_lo if math.isfinite(pad_lo) else lo), (pad_hi if math.isfinite(pad_hi) else hi)


def _number(x: float | None, ratio: bool) -> str:
    """As gradecli.plots.data.format_number (2 decimals; ratios of 100 and more without), but a power
    of ten from a million on instead of hundreds of digits, and "–" for a missing or non-finite value."""
    if x is None or not math.isfinite(x):
        return "–"
    if abs(x) >= BIG:
        return power_of_ten(x, 2 if ratio else 3)
    return f"{x:.0f}" if ratio and x >= 100 else f"{x:.2f}"


def _ci(est: float | None, lo: float | None, hi: float | None, ratio: bool) -> str:
    if est is None or not math.isfinite(est):
        return "not estimable"
    return f"{_number(est, ratio)} [{_number(lo, ratio)}, {_number(hi, ratio)}]"


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


def _text(cells: list[tuple[str, str]]) -> Text:
    from rich.text import Text

    t = Text(no_wrap=True, overflow="crop")
    for ch, style in cells:
        t.append(ch, style=style or None)
    return t


def _plain(text: str) -> Text:
    from rich.text import Text

    return Text(text)


def _ticks(axis: _Axis, d: ForestData) -> str:
    """An axis line of tick labels: the two ends and the null."""
    row = [" "] * axis.width

    def put(v: float, align: str) -> None:
        p = axis.pos(v)
        if p is None:
            return
        label = f"{v:.2g}" if d.log_scale else f"{v:.3g}"  # finite here: short and never 'inf'/'nan'
        start = p if align == "left" else p - len(label) + 1 if align == "right" else p - len(label) // 2
        start = max(0, min(axis.width - len(label), start))
        if all(c == " " for c in row[max(0, start - 1) : start + len(label) + 1]):
            row[start : start + len(label)] = list(label)

    put(d.null, "centre")
    for x, align in ((axis.lo, "left"), (axis.hi, "right")):
        v = axis.value(x)
        if v is not None and (v > 0 or not axis.log):
            put(v, align)
    return "".join(row).rstrip()


def forest_table(d: ForestData, width: int = 80) -> Table:
    """The text forest plot of ``d`` as a Rich table, at most ``width`` columns wide."""
    from rich import box
    from rich.table import Table

    ci_texts = [_ci(r.estimate, r.lo, r.hi, d.ratio) for r in d.rows]
    pooled_text = _ci(*d.pooled, d.ratio) if d.pooled else "not estimable"
    pi_text = f"[{_number(d.prediction[0], d.ratio)}, {_number(d.prediction[1], d.ratio)}]" if d.prediction else ""
    est_w = max([len(t) for t in [*ci_texts, pooled_text, pi_text]] + [len(d.measure) + 9])
    # from the file: controls escaped, no workflow command, shown as Text (never markup)
    labels = [github_line(terminal(r.label)) for r in d.rows]
    label_w = min(max([len(label) for label in labels] + [19]), 22)
    weight_w = 6
    plot_w = max(15, min(60, width - label_w - est_w - weight_w - 8))
    axis = _Axis(*_limits(d), plot_w, d.log_scale)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1), collapse_padding=True)
    table.add_column("Study", no_wrap=True, overflow="ellipsis", max_width=label_w)
    table.add_column(d.measure + (" (log)" if d.log_scale else ""), no_wrap=True, width=plot_w)
    table.add_column(f"{d.measure} [95% CI]", justify="right", no_wrap=True)
    table.add_column("Weight", justify="right", no_wrap=True, width=weight_w)
    for r, label, text in zip(d.rows, labels, ci_texts, strict=True):
        weight = "" if r.weight is None else f"{100 * r.weight:.1f}%"
        table.add_row(_plain(label), _text(_line(axis, d, r.estimate, r.lo, r.hi, "study")), text, weight)
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
        out.append(f"◂ {terminal(left)} | {terminal(right)} ▸")
    if d.method:
        method = terminal(d.method)
        out.append(method[0].upper() + method[1:] + (f". {terminal(d.heterogeneity)}." if d.heterogeneity else "."))
    if d.reference_note:
        out.append(terminal(d.reference_note.replace("Dashed lines", "┆")) + ".")
    return out
