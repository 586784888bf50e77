"""Risk-of-bias figures (matplotlib), as robvis draws them: a traffic-light plot (one row per study,
one coloured dot per domain and overall) and summary bars (per domain, the share of studies, or of
the analysis weight, at each judgment). One block per tool (RoB 2, ROBINS-I, RoB 1).

SVG ids: ``rob-<tool>-<study n>-<col n>`` for the dots, ``robbar-<tool>-<col n>-<judgment>`` for
the bars (optionally prefixed).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from gradecli.plots.data import COLOURS, JUDGMENTS, PlotDataError, RobBlock, summary_shares
from gradecli.plots.forest import label
from gradecli.plots.output import new_figure, style

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

INK = "#1b1f24"
MUTED = "#4a5561"
CHAR = 0.068
ROW = 0.3
BAR = 0.3


def rob_figure(
    blocks: list[RobBlock],
    kind: str = "both",
    width: float | None = None,
    height: float | None = None,
    id_prefix: str = "",
) -> Figure:
    """``kind``: traffic-light, summary or both; ``width``/``height`` in inches (default: from the content)."""
    if not blocks:
        raise PlotDataError("no study has a risk-of-bias assessment: no risk-of-bias figure to draw")
    # study ids come from the file: drawn as text, never as mathtext (see gradecli.plots.forest.label)
    blocks = [dataclasses.replace(b, studies=[label(s) for s in b.studies]) for b in blocks]
    with style():
        return _draw(blocks, kind, width, height, id_prefix)


def _block_heights(b: RobBlock, kind: str) -> tuple[float, float]:
    light = ROW * (len(b.studies) + 1.6) + 0.25 * len(b.domains) + 1.2 if kind in ("traffic-light", "both") else 0
    bars = BAR * (len(b.domains) + 1) + 1.0 if kind in ("summary", "both") else 0
    return light, bars


def _draw(blocks: list[RobBlock], kind: str, width: float | None, height: float | None, p: str) -> Figure:
    chars = max(
        [len(s) for b in blocks for s in b.studies]
        + [len(x) for b in blocks for x in b.domain_long]
        + [len("Overall risk of bias")]
    )
    label_w = min(chars, 52) * CHAR + 0.3
    cols = max(len(b.domains) + 1 for b in blocks)
    natural_w = max(label_w + 0.5 * cols + 0.6, 7.0 if kind != "traffic-light" else 0)
    heights = [_block_heights(b, kind) for b in blocks]
    natural_h = sum(a + c for a, c in heights) + 0.2
    width = width or natural_w
    height = height or natural_h
    fig = new_figure(width, height)
    sy = height / natural_h  # every block shrinks or grows with the figure
    top = height
    for b, (light_h, bars_h) in zip(blocks, heights, strict=True):
        if light_h:
            _traffic_light(fig, b, top, light_h * sy, label_w, width, height, p)
            top -= light_h * sy
        if bars_h:
            _summary(fig, b, top, bars_h * sy, label_w, width, height, p)
            top -= bars_h * sy
    return fig


def _dot(ax: Axes, x: float, y: float, j: str | None, gid: str) -> None:
    if j is None or j not in JUDGMENTS:
        ax.plot(
            [x],
            [y],
            marker="o",
            markersize=15,
            markerfacecolor="none",
            markeredgecolor="#c8ced4",
            markeredgewidth=0.8,
            gid=gid,
            linestyle="none",
        )
        return
    category, symbol, _ = JUDGMENTS[j]
    ax.plot(
        [x], [y], marker="o", markersize=17, color=COLOURS[category], markeredgecolor="none", gid=gid, linestyle="none"
    )
    ax.text(
        x,
        y,
        symbol,
        ha="center",
        va="center",
        fontsize=9,
        fontweight="bold",
        color="white" if category in ("high", "critical", "low") else INK,
    )


def _traffic_light(fig: Figure, b: RobBlock, top: float, h: float, label_w: float, w: float, fh: float, p: str) -> None:
    from matplotlib.ticker import NullLocator

    n, cols = len(b.studies), len(b.domains) + 1
    legend_h = 0.25 * len(b.domains) + 0.55
    box_left = label_w / w
    box_w = min(0.5 * cols, w - label_w - 0.2) / w
    ax = fig.add_axes((box_left, (top - h + legend_h) / fh, box_w, (h - legend_h - 0.65) / fh))
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(n - 0.5, -0.5)
    ax.xaxis.set_ticks_position("top")
    ax.set_xticks(range(cols), [*b.domain_short, "Overall"], fontsize=8.5)
    ax.set_yticks(range(n), b.studies, fontsize=8.5)
    ax.tick_params(length=0, colors=INK)
    ax.yaxis.set_minor_locator(NullLocator())
    for spine in ax.spines.values():
        spine.set_color("#9aa7b4")
        spine.set_linewidth(0.6)
    for x in range(1, cols):
        ax.axvline(x - 0.5, color="#dde3e9", linewidth=0.6)
    for r in range(1, n):
        ax.axhline(r - 0.5, color="#dde3e9", linewidth=0.6)
    for i, row in enumerate(b.judgments, start=1):
        for k, j in enumerate(row, start=1):
            _dot(ax, k - 1, i - 1, j, f"{p}rob-{b.tool}-{i}-{k}")
    fig.text(
        0.1 / w,
        (top - 0.1) / fh,
        f"Risk of bias ({b.tool_name}): traffic-light plot",
        fontsize=10,
        fontweight="bold",
        va="top",
        color=INK,
    )
    y = (top - h + legend_h - 0.25) / fh
    for short, long in zip(b.domain_short, b.domain_long, strict=True):
        fig.text(0.1 / w, y, f"{short}: {long}", fontsize=7.5, color=MUTED, va="top")
        y -= 0.2 / fh
    _legend(fig, b, 0.1 / w, y, w)


def _legend(fig: Figure, b: RobBlock, x: float, y: float, w: float) -> None:
    step = 1.45 / w
    for i, j in enumerate(b.levels):
        category, symbol, words = JUDGMENTS[j]
        fig.text(x + i * step, y, "●", color=COLOURS[category], fontsize=10, va="top")
        fig.text(x + i * step + 0.18 / w, y, f"{words} ({symbol})", color=MUTED, fontsize=7.5, va="top")


def _summary(fig: Figure, b: RobBlock, top: float, h: float, label_w: float, w: float, fh: float, p: str) -> None:
    shares = summary_shares(b)
    names = [*b.domain_long, "Overall risk of bias"]
    left = label_w / w
    ax = fig.add_axes((left, (top - h + 0.55) / fh, max(0.2, (w - label_w - 0.3) / w), (h - 0.95) / fh))
    n = len(names)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.set_yticks(range(n), [x if len(x) <= 52 else x[:51] + "…" for x in names], fontsize=8)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0%", "25%", "50%", "75%", "100%"], fontsize=8)
    ax.tick_params(length=0, colors=INK)
    for spine in ax.spines.values():
        spine.set_visible(False)
    order = [*b.levels, "not_assessed"]
    for i, s in enumerate(shares, start=1):
        start = 0.0
        for j in order:
            share = s.get(j, 0.0)
            if share <= 0:
                continue
            colour = COLOURS[JUDGMENTS[j][0]] if j in JUDGMENTS else "#f1f3f5"
            ax.barh(
                i - 1,
                share,
                left=start,
                height=0.7,
                color=colour,
                edgecolor="white",
                linewidth=0.6,
                gid=f"{p}robbar-{b.tool}-{i}-{j}",
            )
            start += share
    what = "of the analysis weight" if b.weighted else "of studies"
    fig.text(
        0.1 / w,
        (top - 0.1) / fh,
        f"Risk of bias ({b.tool_name}): summary ({len(b.studies)} studies, share {what})",
        fontsize=10,
        fontweight="bold",
        va="top",
        color=INK,
    )
    y = (top - h + 0.3) / fh
    step = 1.45 / w
    present = [j for j in order if any(sh.get(j, 0.0) > 0 for sh in shares) or j in b.levels]
    for i, j in enumerate(present):
        colour = COLOURS[JUDGMENTS[j][0]] if j in JUDGMENTS else "#f1f3f5"
        words = JUDGMENTS[j][2] if j in JUDGMENTS else "Not assessed"
        fig.text(0.1 / w + i * step, y, "■", color=colour, fontsize=10, va="top")
        fig.text(0.1 / w + i * step + 0.18 / w, y, words, color=MUTED, fontsize=7.5, va="top")
