"""The forest plot of one outcome as SVG markup written directly (no matplotlib).

``gradecli report`` draws one forest plot per outcome; through matplotlib each costs about 80 ms and
25 KB, so a 113-outcome review took 35 s and 9 MB. This writer draws the same
:class:`~gradecli.plots.data.ForestData` — the same layout, marks and SVG ids as
:mod:`gradecli.plots.forest` (``study-<n>``, ``study-<n>-ci``, ``pooled-diamond``, ``pooled-line``,
``prediction-interval``, ``null-line``, ``threshold-<n>``, ``rob-<n>-<col>``, each with the page's
prefix) — in about a millisecond and a few hundred bytes a study, with text kept as text (the
reader's sans-serif font; widths are estimated, so every column is sized generously and numbers are
right-aligned). Styling is shared through classes whose rules the page holds once
(:data:`CSS`), not repeated on every mark.

Every text from the evidence file goes through :func:`gradecli.escape.xml_text` (control characters
shown escaped) and is then XML-escaped; a study label longer than :data:`MAX_LABEL` characters is
shortened with an ellipsis and kept whole in the row's ``<title>`` (a tooltip). Numbers are written
with fixed decimals, so the same input gives the same bytes.
"""

from __future__ import annotations

import math
from html import escape as _escape

from gradecli.escape import xml_text
from gradecli.plots.data import JUDGMENTS, NICE, TOOL_NAMES, ForestData, axis_limits, format_ci, judgment_colour

ROW = 22.0  # px per row
CHAR = 6.7  # px per character of 12-px sans-serif text (a generous average)
PAD = 12.0
PLOT_W = 300.0
MAX_LABEL = 60

# The rules the page holds once for every forest plot (class names prefixed ``fp-``).
CSS = """
svg.forest { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 12px; }
svg.forest text { fill: #1b1f24; }
svg.forest .fp-b { font-weight: 700; }
svg.forest .fp-r { text-anchor: end; }
svg.forest .fp-c { text-anchor: middle; }
svg.forest .fp-m { fill: #4a5561; }
svg.forest .fp-s { font-size: 10.5px; }
svg.forest .fp-t { font-size: 15px; font-weight: 700; }
svg.forest .fp-th { fill: #b3541e; font-size: 10px; }
svg.forest .fp-w { fill: #fff; font-size: 9.5px; font-weight: 700; }
svg.forest .fp-k { fill: #1b1f24; font-size: 9.5px; font-weight: 700; }
svg.forest .fp-ci { stroke: #1b1f24; stroke-width: 1.2; }
svg.forest .fp-sq { fill: #0b3a63; }
svg.forest .fp-ax { stroke: #1b1f24; stroke-width: 1; }
svg.forest .fp-ref { stroke: #b3541e; stroke-width: 1.2; stroke-dasharray: 5 4; }
svg.forest .fp-sep { stroke: #c8ced4; stroke-width: 0.8; }
svg.forest .fp-pl { stroke: #0b3a63; stroke-width: 0.8; stroke-dasharray: 1.5 3; }
svg.forest .fp-pi { stroke: #0b3a63; stroke-width: 3; }
svg.forest .fp-dm { fill: #0b3a63; }
svg.forest .fp-none { fill: none; stroke: #c8ced4; stroke-width: 1; }
""".strip()


def esc(text: str) -> str:
    """Text from the file, for SVG character data or an attribute value."""
    return _escape(xml_text(text).replace("\r", "\\r"), quote=True)


def _n(x: float) -> str:
    """A coordinate: one decimal, no ``-0.0``."""
    s = f"{x:.1f}"
    return "0.0" if s == "-0.0" else s


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def ticks(lo: float, hi: float, log_scale: bool) -> list[float]:
    """Axis ticks: the 1-2-5 series on a log axis (only the powers of ten when more than seven fit),
    else the smallest step of 1, 2 or 5 × 10ⁿ giving at most seven ticks."""
    if log_scale:
        out = [t for t in NICE if lo <= t <= hi]
        if len(out) > 7:
            out = [t for t in out if math.log10(t).is_integer()]
        return [float(t) for t in out]
    span = hi - lo
    if not span > 0 or not math.isfinite(span):
        return [lo]
    raw = span / 6
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step)
    return [float(round(k * step, 12)) for k in range(first, math.floor(hi / step) + 1)]


def _tick_label(v: float, log_scale: bool) -> str:
    if log_scale:
        return f"{v:g}"
    s = f"{v:.10g}"
    if "e" not in s and "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s.replace("-", "−")


def _weight(w: float | None) -> str:
    return "" if w is None else f"{100 * w:.1f}%"


def forest_svg(d: ForestData, id_prefix: str = "", standalone: bool = False) -> str:
    """The plot as one ``<svg>`` element (inline HTML; ``standalone`` adds the SVG namespace and the
    style rules, for a file of its own)."""
    p = esc(id_prefix)
    n = len(d.rows)
    labels = [_short(xml_text(r.label)) for r in d.rows]
    label_w = max([len(s) for s in labels] + [len("Prediction interval"), 12]) * CHAR + 14
    col_w = [
        max([len(name) * 1.1] + [len(r.columns[i]) for r in d.rows if i < len(r.columns)]) * CHAR + 16
        for i, name in enumerate(d.column_names)
    ]
    ci_texts = [format_ci(r.estimate, r.lo, r.hi, d.ratio) for r in d.rows]
    ci_w = max([len(s) for s in ci_texts] + [len(f"{d.measure} [95% CI]") + 2, 18]) * CHAR + 12
    weight_w = 58.0
    rob_w = 21.0 * len(d.rob_columns) + (12 if d.rob_columns else 0)
    plot_left = PAD + label_w + sum(col_w)
    plot_right = plot_left + PLOT_W
    ci_right = plot_right + ci_w
    weight_right = ci_right + weight_w
    rob_x = [weight_right + 20 + 21 * i for i in range(len(d.rob_columns))]
    notes = [x for x in (d.method and d.method[0].upper() + d.method[1:], d.heterogeneity, d.reference_note) if x]
    if d.omitted:
        notes.insert(0, d.omitted_note)
    rob_note = bool(d.rob_columns) and n > 0
    # notes are 10.5-px text: wide enough for the longest (up to 1,400 px; a longer one runs on)
    width = max(weight_right + rob_w + PAD, min(max([len(x) for x in notes] + [0]) * CHAR * 0.9 + 2 * PAD, 1400.0))

    top = 62.0  # the title, the threshold labels and the column heads
    y_row = [top + ROW * (i + 0.5) for i in range(n)]
    y_sep = top + ROW * n + 4
    y_pooled = y_sep + ROW * 0.8
    y_pi = y_pooled + ROW
    y_axis = y_pi + ROW * 0.7
    y_notes = y_axis + 62
    height = y_notes + 16 * (len(notes) + (2 if rob_note else 0)) + PAD

    lo_lim, hi_lim = axis_limits(d)
    t_lo, t_hi = (math.log10(lo_lim), math.log10(hi_lim)) if d.log_scale else (lo_lim, hi_lim)

    def xv(v: float) -> float:
        t = math.log10(v) if d.log_scale else v
        return plot_left + (t - t_lo) / (t_hi - t_lo) * PLOT_W

    def clamp(v: float) -> float:
        return min(max(v, lo_lim), hi_lim)

    def text(x: float, y: float, s: str, cls: str = "", extra: str = "") -> str:
        c = f' class="{cls}"' if cls else ""
        return f'<text x="{_n(x)}" y="{_n(y + 4)}"{c}{extra}>{s}</text>'

    out: list[str] = []
    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    out.append(
        f'<svg{ns} class="forest" width="{_n(width)}" height="{_n(height)}" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'role="img" aria-label="Forest plot: {esc(d.outcome_name)}">'
    )
    if standalone:
        out.append(f"<style>{CSS}</style>")
    out.append(f"<title>Forest plot: {esc(d.outcome_name)}</title>")
    title = xml_text(d.outcome_name)
    fits = max(int((width - 2 * PAD) / (CHAR * 1.3)), 20)
    out.append(text(PAD, 16, esc(title if len(title) <= fits else title[: fits - 1] + "…"), "fp-t"))

    # column heads
    y_head = top - 12
    out.append(text(PAD, y_head, "Study", "fp-b"))
    x = PAD + label_w
    col_right = []
    for name, w in zip(d.column_names, col_w, strict=True):
        col_right.append(x + w - 8)
        out.append(text(x + w - 8, y_head, esc(name), "fp-b fp-r"))
        x += w
    out.append(text(ci_right, y_head, esc(f"{d.measure} [95% CI]"), "fp-b fp-r"))
    out.append(text(weight_right, y_head, "Weight", "fp-b fp-r"))
    for name, rx in zip(d.rob_columns, rob_x, strict=True):
        out.append(text(rx, y_head, esc("O" if name == "Overall" else name), "fp-b fp-c fp-s"))

    # the null line and the thresholds
    y0, y1 = top - 2, y_axis
    xn = _n(xv(d.null))
    out.append(f'<line id="{p}null-line" class="fp-ax" x1="{xn}" y1="{_n(y0)}" x2="{xn}" y2="{_n(y1)}"/>')
    for i, ref in enumerate(d.references, start=1):
        if lo_lim < ref.value < hi_lim:
            rx = xv(ref.value)
            out.append(
                f'<line id="{p}threshold-{i}" class="fp-ref" x1="{_n(rx)}" y1="{_n(y0)}" x2="{_n(rx)}" y2="{_n(y1)}"/>'
            )
            below = ref.value < d.null
            anchor = " fp-r" if below else ""
            out.append(text(rx + (-3 if below else 3), top - 30, esc(ref.label), "fp-th" + anchor))

    # studies
    weights = [r.weight for r in d.rows if r.weight]
    wmax = max(weights) if weights else 1.0
    for i, (r, lab, ci_text, y) in enumerate(zip(d.rows, labels, ci_texts, y_row, strict=True), start=1):
        tip = f"<title>{esc(r.label)}</title>" if lab != xml_text(r.label) else ""
        out.append(f'<g id="{p}row-{i}">{tip}')
        out.append(text(PAD, y, esc(lab)))
        for cx, value in zip(col_right, r.columns, strict=False):
            out.append(text(cx, y, esc(value), "fp-r"))
        out.append(text(ci_right, y, esc(ci_text), "fp-r"))
        out.append(text(weight_right, y, _weight(r.weight), "fp-r fp-m"))
        for k, (j, rx) in enumerate(zip(r.rob, rob_x, strict=True), start=1):
            colour = judgment_colour(j)
            if colour is None or j is None:
                out.append(f'<circle id="{p}rob-{i}-{k}" class="fp-none" cx="{_n(rx)}" cy="{_n(y)}" r="6.5"/>')
                continue
            out.append(f'<circle id="{p}rob-{i}-{k}" cx="{_n(rx)}" cy="{_n(y)}" r="7.5" fill="{colour}"/>')
            light = JUDGMENTS[j][0] in ("high", "critical", "low")
            out.append(text(rx, y - 0.5, esc(JUDGMENTS[j][1]), "fp-c " + ("fp-w" if light else "fp-k")))
        if (
            r.estimate is not None
            and r.lo is not None
            and r.hi is not None
            and all(math.isfinite(v) and (v > 0 or not d.log_scale) for v in (r.estimate, r.lo, r.hi))
        ):
            a, b = xv(clamp(r.lo)), xv(clamp(r.hi))
            out.append(
                f'<line id="{p}study-{i}-ci" class="fp-ci" x1="{_n(a)}" y1="{_n(y)}" x2="{_n(b)}" y2="{_n(y)}"/>'
            )
            if r.lo < lo_lim:
                out.append(f'<path class="fp-sq" d="M{_n(a)} {_n(y)}l5 -3.5v7z"/>')
            if r.hi > hi_lim:
                out.append(f'<path class="fp-sq" d="M{_n(b)} {_n(y)}l-5 -3.5v7z"/>')
            if lo_lim <= r.estimate <= hi_lim:
                side = 5 + 11 * math.sqrt((r.weight or 0) / wmax) if weights else 7.0
                sx = xv(r.estimate)
                out.append(
                    f'<rect id="{p}study-{i}" class="fp-sq" x="{_n(sx - side / 2)}" y="{_n(y - side / 2)}" '
                    f'width="{_n(side)}" height="{_n(side)}"/>'
                )
        out.append("</g>")

    # pooled result and prediction interval
    out.append(f'<line class="fp-sep" x1="{_n(PAD)}" y1="{_n(y_sep)}" x2="{_n(width - PAD)}" y2="{_n(y_sep)}"/>')
    if d.pooled and all(math.isfinite(v) and (v > 0 or not d.log_scale) for v in d.pooled):
        est, lo, hi = d.pooled
        xe, xl, xh = xv(clamp(est)), xv(clamp(lo)), xv(clamp(hi))
        out.append(
            f'<path id="{p}pooled-diamond" class="fp-dm" d="M{_n(xl)} {_n(y_pooled)}L{_n(xe)} {_n(y_pooled - 7)}'
            f'L{_n(xh)} {_n(y_pooled)}L{_n(xe)} {_n(y_pooled + 7)}Z"/>'
        )
        out.append(f'<line id="{p}pooled-line" class="fp-pl" x1="{_n(xe)}" y1="{_n(y0)}" x2="{_n(xe)}" y2="{_n(y1)}"/>')
        total = sum(r.weight or 0 for r in d.rows)
        out.append(text(PAD, y_pooled, "Total (95% CI)", "fp-b"))
        out.append(text(ci_right, y_pooled, esc(format_ci(est, lo, hi, d.ratio)), "fp-b fp-r"))
        if total:
            out.append(text(weight_right, y_pooled, _weight(total), "fp-b fp-r fp-m"))
    elif d.not_estimable:
        out.append(text(PAD, y_pooled, esc(f"Total: not estimable ({d.not_estimable})")))
    if d.prediction and all(math.isfinite(v) and (v > 0 or not d.log_scale) for v in d.prediction):
        plo, phi = d.prediction
        out.append(
            f'<line id="{p}prediction-interval" class="fp-pi" x1="{_n(xv(clamp(plo)))}" y1="{_n(y_pi)}" '
            f'x2="{_n(xv(clamp(phi)))}" y2="{_n(y_pi)}"/>'
        )
        out.append(text(PAD, y_pi, "Prediction interval", "fp-m"))
        out.append(text(ci_right, y_pi, esc("[" + format_ci(plo, plo, phi, d.ratio).split("[")[1]), "fp-r fp-m"))

    # the axis, its ticks and the favours labels
    out.append(f'<line class="fp-ax" x1="{_n(plot_left)}" y1="{_n(y_axis)}" x2="{_n(plot_right)}" y2="{_n(y_axis)}"/>')
    for t in ticks(lo_lim, hi_lim, d.log_scale):
        tx = xv(t)
        out.append(f'<line class="fp-ax" x1="{_n(tx)}" y1="{_n(y_axis)}" x2="{_n(tx)}" y2="{_n(y_axis + 4)}"/>')
        out.append(text(tx, y_axis + 14, _tick_label(t, d.log_scale), "fp-c fp-s"))
    axis_name = d.measure_name + (" (log scale)" if d.log_scale else "")
    out.append(text((plot_left + plot_right) / 2, y_axis + 30, esc(axis_name), "fp-c fp-s"))
    left, right = d.favours
    if left and right:
        x_null = xv(d.null)
        out.append(text(x_null - 6, y_axis + 46, esc(left), "fp-r fp-s fp-m"))
        out.append(text(x_null + 6, y_axis + 46, esc(right), "fp-s fp-m"))

    # notes and the risk-of-bias legend
    y = y_notes
    for line in notes:
        out.append(text(PAD, y, esc(line), "fp-s fp-m"))
        y += 16
    if rob_note:
        tool = TOOL_NAMES.get(d.rob_tool or "", "mixed tools")
        doms = "; ".join(
            f"{s}: {long}" for s, long in zip(d.rob_columns, d.rob_column_names, strict=True) if s != "Overall"
        )
        out.append(
            text(PAD, y, esc(f"Risk of bias ({tool}): " + (doms + "; " if doms else "") + "O: overall."), "fp-s fp-m")
        )
        y += 16
        seen: list[str] = []
        for r in d.rows:
            for j in r.rob:
                if j is not None and j in JUDGMENTS and j not in seen:
                    seen.append(j)
        order = list(JUDGMENTS)
        seen.sort(key=order.index)
        x = PAD + 6
        for j in seen:
            out.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="5" fill="{judgment_colour(j)}"/>')
            out.append(text(x + 9, y, esc(JUDGMENTS[j][2]), "fp-s fp-m"))
            x += 22 + len(JUDGMENTS[j][2]) * CHAR * 0.9
    out.append("</svg>")
    return "".join(out)
