"""Number formatting shared by every renderer, so the table, Markdown, HTML and CSV agree."""

from __future__ import annotations

import math


def fmt(x: float | None, digits: int = 2) -> str:
    """Round for display: ratios to 2 decimals, other values to 3 significant digits (max 2 decimals)."""
    if x is None or not math.isfinite(x):
        return "—"
    if x == 0:
        return "0"
    mag = math.floor(math.log10(abs(x)))
    decimals = max(0, min(digits, 2 - mag))
    text = f"{x:.{decimals}f}"
    return text.replace("-", "−")


def fmt_ratio(x: float | None) -> str:
    if x is None or not math.isfinite(x):
        return "—"
    if x >= 100:
        return f"{x:.0f}"
    return f"{x:.2f}"


def per(x: float | None) -> str:
    if x is None or not math.isfinite(x):
        return "—"
    return f"{abs(round(x)):,}"


def more_fewer(x: float | None, unit: str) -> str:
    if x is None or not math.isfinite(x):
        return "—"
    r = round(x)
    if r == 0:
        return f"0 fewer {unit}".replace("0 fewer", "0 more") if x >= 0 else f"0 fewer {unit}"
    return f"{abs(r):,} {'more' if r > 0 else 'fewer'} {unit}"


def higher_lower(x: float | None, unit: str = "") -> str:
    if x is None or not math.isfinite(x):
        return "—"
    word = "higher" if x > 0 else "lower"
    return f"{fmt(abs(x))}{(' ' + unit) if unit else ''} {word}"
