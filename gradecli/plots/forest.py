"""The forest plot of one outcome (matplotlib).

Layout, as RevMan and R's meta draw it: the study label and its data on the left; the estimates
(squares sized by weight, 95% CI whiskers), the pooled diamond, the prediction interval, the null
line and the thresholds the engine judged the CI against in the middle; estimate [95% CI], weight
and a risk-of-bias dot per domain on the right. Ratio measures are drawn on a log axis.

Every mark has an SVG id (``gid``): ``study-<n>`` (1-based row), ``study-<n>-ci``,
``pooled-diamond``, ``prediction-interval``, ``null-line``, ``threshold-<n>``, ``rob-<n>-<col>``
(optionally prefixed, so that several plots can share one HTML page).
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING

from gradecli.escape import terminal
from gradecli.plots.data import (
    JUDGMENTS,
    NICE,
    TOOL_NAMES,
    ForestData,
    axis_limits,
    format_ci,
    judgment_colour,
)
from gradecli.plots.output import new_figure, style

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ROW = 0.27  # inches per row
CHAR = 0.068  # inches per character of 9-pt DejaVu Sans (average)
INK = "#1b1f24"
MUTED = "#4a5561"
STUDY = "#0b3a63"
DIAMOND = "#0b3a63"
THRESHOLD = "#b3541e"


def _fmt_weight(w: float | None) -> str:
    return "" if w is None else f"{100 * w:.1f}%"


def forest_figure(
    d: ForestData,
    width: float | None = None,
    height: float | None = None,
    id_prefix: str = "",
) -> Figure:
    """Draw ``d``; ``width``/``height`` in inches (default: from the content). Text from the file
    is drawn as text (see :func:`label`)."""
    d = dataclasses.replace(
        d,
        outcome_name=label(d.outcome_name),
        rows=[dataclasses.replace(r, label=label(r.label)) for r in d.rows],
        favours=(label(d.favours[0]), label(d.favours[1])),
        references=[dataclasses.replace(ref, label=label(ref.label)) for ref in d.references],
        method=label(d.method),
        heterogeneity=label(d.heterogeneity),
        reference_note=label(d.reference_note),
    )
    with style():
        return _draw(d, width, height, id_prefix)


def label(text: str) -> str:
    """Text from the evidence file for matplotlib: controls shown escaped (no character that SVG's
    XML cannot hold) and ``$`` escaped, so ``$\\frac{1}{2}$`` is drawn as written, not as mathtext
    (matplotlib draws ``\\$`` as ``$``; the same effect as ``parse_math=False`` on every text)."""
    return terminal(text).replace("$", "\\$")


def _draw(d: ForestData, width: float | None, height: float | None, p: str) -> Figure:
    from matplotlib.patches import Polygon
    from matplotlib.ticker import FixedLocator, NullLocator
    from matplotlib.transforms import blended_transform_factory

    n = len(d.rows)
    label_w = max([len(r.label) for r in d.rows] + [5]) * CHAR + 0.15
    col_w = [
        max(len(name) * 1.12, *(len(r.columns[i]) for r in d.rows)) * CHAR + 0.3
        for i, name in enumerate(d.column_names)
    ]
    ci_w = max([len(format_ci(r.estimate, r.lo, r.hi, d.ratio)) for r in d.rows] + [16]) * CHAR + 0.2
    weight_w = 0.65
    rob_w = 0.22 * len(d.rob_columns) + (0.15 if d.rob_columns else 0)
    text_w = label_w + sum(col_w) + ci_w + weight_w + rob_w + 0.4
    plot_w = 3.2
    natural_w = text_w + plot_w
    if width is None:
        width = natural_w
    plot_w = max(1.2, width - text_w)
    scale = width / (text_w + plot_w)  # if the text does not fit, it all shrinks together
    notes = [x for x in (d.method and d.method[0].upper() + d.method[1:], d.heterogeneity, d.reference_note) if x]
    if d.omitted:
        notes.insert(0, d.omitted_note)
    rob_note = bool(d.rob_columns)
    top_in, bottom_in = 0.55, 0.95 + 0.17 * (len(notes) + (2 if rob_note else 0))
    rows_h = ROW * (n + 4.2)
    if height is None:
        height = top_in + rows_h + bottom_in
    fig = new_figure(width, height)

    def fx(inches: float) -> float:
        return inches * scale / width

    x0 = fx(0.15)
    plot_left = x0 + fx(label_w + sum(col_w))
    plot_right = plot_left + fx(plot_w)
    frac_top = 1 - top_in / height
    frac_bottom = bottom_in / height
    if frac_top - frac_bottom < 0.2:  # a height too small for the content: keep the rows readable
        frac_bottom, frac_top = 0.25, 0.9
    ax = fig.add_axes((plot_left, frac_bottom, plot_right - plot_left, frac_top - frac_bottom))
    y_pooled, y_pi = n + 0.6, n + 1.6
    ax.set_ylim(n + 2.3, -1.6)
    lo_lim, hi_lim = axis_limits(d)
    if d.log_scale:
        ax.set_xscale("log")
    ax.set_xlim(lo_lim, hi_lim)
    text = blended_transform_factory(fig.transFigure, ax.transData)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.yaxis.set_major_locator(NullLocator())
    ax.tick_params(axis="x", labelsize=8, colors=INK)
    if d.log_scale:
        ticks = [t for t in NICE if lo_lim <= t <= hi_lim]
        if len(ticks) > 7:
            ticks = [t for t in ticks if str(t).lstrip("0.").startswith(("1",)) or t == 1]
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:g}")
    ax.set_xlabel(d.measure_name + (" (log scale)" if d.log_scale else ""), fontsize=8.5, color=INK)

    # header
    header_y = -1.0
    fig.text(x0, 1 - 0.18 / height, d.outcome_name, fontsize=11, fontweight="bold", color=INK, va="top")
    ax.text(x0, header_y, "Study", transform=text, fontweight="bold", va="center")
    x = x0 + fx(label_w)
    col_x = []
    for name, w in zip(d.column_names, col_w, strict=True):
        col_x.append(x + fx(w - 0.1))
        ax.text(x + fx(w - 0.1), header_y, name, transform=text, fontweight="bold", ha="right", va="center")
        x += fx(w)
    ci_x = plot_right + fx(ci_w + 0.1)
    weight_x = ci_x + fx(weight_w)
    ax.text(ci_x, header_y, f"{d.measure} [95% CI]", transform=text, fontweight="bold", ha="right", va="center")
    ax.text(weight_x, header_y, "Weight", transform=text, fontweight="bold", ha="right", va="center")
    rob_x = [weight_x + fx(0.25 + 0.22 * i) for i in range(len(d.rob_columns))]
    for name, rx in zip(d.rob_columns, rob_x, strict=True):
        ax.text(
            rx,
            header_y,
            "O" if name == "Overall" else name,
            transform=text,
            fontweight="bold",
            ha="center",
            va="center",
            fontsize=8,
        )

    # the null line and the thresholds
    ax.axvline(d.null, color=INK, linewidth=0.9, gid=f"{p}null-line", zorder=1)
    for i, ref in enumerate(d.references, start=1):
        if lo_lim < ref.value < hi_lim:
            ax.axvline(
                ref.value, color=THRESHOLD, linewidth=0.9, linestyle=(0, (4, 3)), gid=f"{p}threshold-{i}", zorder=1
            )
            below_null = ref.value < d.null
            ax.text(
                ref.value,
                -1.45,
                (ref.label + " ") if below_null else (" " + ref.label),
                fontsize=7,
                color=THRESHOLD,
                ha="right" if below_null else "left",
                va="bottom",
            )

    # studies
    weights = [r.weight for r in d.rows if r.weight]
    wmax = max(weights) if weights else 1.0
    for i, r in enumerate(d.rows, start=1):
        y = i - 1
        ax.text(x0, y, r.label, transform=text, va="center", color=INK)
        for cx, value in zip(col_x, r.columns, strict=False):
            ax.text(cx, y, value, transform=text, va="center", ha="right", color=INK)
        ax.text(ci_x, y, format_ci(r.estimate, r.lo, r.hi, d.ratio), transform=text, va="center", ha="right")
        ax.text(weight_x, y, _fmt_weight(r.weight), transform=text, va="center", ha="right", color=MUTED)
        for k, (j, rx) in enumerate(zip(r.rob, rob_x, strict=True), start=1):
            colour = judgment_colour(j)
            if colour is None:
                ax.plot(
                    [rx],
                    [y],
                    transform=text,
                    marker="o",
                    markersize=9,
                    markerfacecolor="none",
                    markeredgecolor="#c8ced4",
                    markeredgewidth=0.8,
                    gid=f"{p}rob-{i}-{k}",
                    clip_on=False,
                )
                continue
            assert j is not None  # judgment_colour() gives a colour only for a known judgment
            ax.plot(
                [rx],
                [y],
                transform=text,
                marker="o",
                markersize=10,
                color=colour,
                markeredgecolor="none",
                gid=f"{p}rob-{i}-{k}",
                clip_on=False,
            )
            symbol = JUDGMENTS[j][1] if j else ""
            ax.text(
                rx,
                y,
                symbol,
                transform=text,
                ha="center",
                va="center",
                fontsize=7,
                fontweight="bold",
                color="white" if JUDGMENTS[j][0] in ("high", "critical", "low") else INK,
            )
        if r.estimate is None or r.lo is None or r.hi is None:
            continue
        lo, hi = max(r.lo, lo_lim), min(r.hi, hi_lim)
        ax.plot([lo, hi], [y, y], color=INK, linewidth=0.9, gid=f"{p}study-{i}-ci", solid_capstyle="butt")
        if r.lo < lo_lim:
            ax.plot([lo_lim], [y], marker="<", markersize=4, color=INK)
        if r.hi > hi_lim:
            ax.plot([hi_lim], [y], marker=">", markersize=4, color=INK)
        size = 4 + 9 * math.sqrt((r.weight or 0) / wmax) if weights else 6
        if lo_lim <= r.estimate <= hi_lim:
            ax.plot(
                [r.estimate],
                [y],
                marker="s",
                markersize=size,
                color=STUDY,
                markeredgecolor="none",
                gid=f"{p}study-{i}",
                linestyle="none",
            )

    # pooled result and prediction interval
    ax.axhline(n - 0.35, color="#c8ced4", linewidth=0.6)
    if d.pooled:
        est, lo, hi = d.pooled
        diamond = Polygon(
            [(lo, y_pooled), (est, y_pooled - 0.32), (hi, y_pooled), (est, y_pooled + 0.32)],
            closed=True,
            facecolor=DIAMOND,
            edgecolor=DIAMOND,
            gid=f"{p}pooled-diamond",
            zorder=3,
        )
        ax.add_patch(diamond)
        ax.axvline(est, color=DIAMOND, linewidth=0.6, linestyle=(0, (1, 2)), zorder=1, gid=f"{p}pooled-line")
        total = sum(r.weight or 0 for r in d.rows)
        ax.text(x0, y_pooled, "Total (95% CI)", transform=text, va="center", fontweight="bold")
        ax.text(
            ci_x, y_pooled, format_ci(est, lo, hi, d.ratio), transform=text, va="center", ha="right", fontweight="bold"
        )
        ax.text(
            weight_x,
            y_pooled,
            _fmt_weight(total) if total else "",
            transform=text,
            va="center",
            ha="right",
            fontweight="bold",
            color=MUTED,
        )
    elif d.not_estimable:
        ax.text(x0, y_pooled, f"Total: not estimable ({d.not_estimable})", transform=text, va="center")
    if d.prediction:
        plo, phi = d.prediction
        ax.plot(
            [max(plo, lo_lim), min(phi, hi_lim)],
            [y_pi, y_pi],
            color=DIAMOND,
            linewidth=2.2,
            solid_capstyle="butt",
            gid=f"{p}prediction-interval",
        )
        ax.text(x0, y_pi, "Prediction interval", transform=text, va="center", color=MUTED)
        ax.text(
            ci_x,
            y_pi,
            f"[{format_ci(plo, plo, phi, d.ratio).split('[')[1]}",
            transform=text,
            va="center",
            ha="right",
            color=MUTED,
        )

    # favours labels and notes
    left, right = d.favours
    null_fig = (ax.transData.transform((d.null, 0))[0]) / fig.bbox.width
    below = -0.55 / height
    if left and right:
        fig.text(null_fig - 0.01, frac_bottom + below, left, ha="right", va="top", fontsize=7.5, color=MUTED)
        fig.text(null_fig + 0.01, frac_bottom + below, right, ha="left", va="top", fontsize=7.5, color=MUTED)
    y_note = frac_bottom + below - 0.3 / height
    for line in notes:
        fig.text(x0, y_note, line, fontsize=7.5, color=MUTED, va="top")
        y_note -= 0.17 / height
    if rob_note:
        tool = TOOL_NAMES.get(d.rob_tool or "", "mixed tools")
        doms = "; ".join(
            f"{s}: {long}" for s, long in zip(d.rob_columns, d.rob_column_names, strict=True) if s != "Overall"
        )
        fig.text(
            x0,
            y_note,
            f"Risk of bias ({tool}): " + (doms + "; " if doms else "") + "O: overall.",
            fontsize=7.5,
            color=MUTED,
            va="top",
        )
        y_note -= 0.17 / height
        _legend(fig, x0, y_note, d)
    return fig


def _legend(fig: Figure, x: float, y: float, d: ForestData) -> None:
    seen: list[str] = []
    for r in d.rows:
        for j in r.rob:
            if j is not None and j not in seen:
                seen.append(j)
    order = list(JUDGMENTS)
    seen.sort(key=order.index)
    step = 1.35 / fig.get_figwidth()
    for i, j in enumerate(seen):
        fig.text(x + i * step, y, "●", color=judgment_colour(j), fontsize=9, va="top")
        fig.text(x + i * step + 0.16 / fig.get_figwidth(), y, JUDGMENTS[j][2], color=MUTED, fontsize=7.5, va="top")
