"""Number formatting shared by every renderer, so the table, Markdown, HTML and CSV agree.

Never prints ``nan`` or ``inf``: a missing or non-finite value is "—". Magnitudes of a million and
more are written as powers of ten (``1.5×10⁶``, ``1.0×10³⁰⁰``) instead of hundreds of digits; the
engine also uses :func:`fixed` for the numbers in its explanations and footnotes.
"""

from __future__ import annotations

import math

BIG = 1e6
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten(x: float, digits: int = 2) -> str:
    """``x`` as m×10ⁿ with ``digits`` significant digits and a true minus sign."""
    mantissa, exponent = f"{x:.{max(digits, 1) - 1}e}".split("e")
    return f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPT)}".replace("-", "−")


def fixed(x: float, decimals: int = 2) -> str:
    """``x`` with ``decimals`` decimals, or as a power of ten from a million on (an ASCII minus, as
    ``format(x, '.2f')``, which this replaces in explanations)."""
    if not math.isfinite(x):
        return "—"
    if abs(x) >= BIG:
        return power_of_ten(x, decimals + 1).replace("−", "-")
    return f"{x:.{decimals}f}"


def fmt(x: float | None, digits: int = 2) -> str:
    """Round for display: ratios to 2 decimals, other values to 3 significant digits (max 2 decimals)."""
    if x is None or not math.isfinite(x):
        return "—"
    if x == 0:
        return "0"
    if abs(x) >= BIG:
        return power_of_ten(x, 3)
    mag = math.floor(math.log10(abs(x)))
    decimals = max(0, min(digits, 2 - mag))
    text = f"{x:.{decimals}f}"
    return text.replace("-", "−")


def fmt_ratio(x: float | None) -> str:
    if x is None or not math.isfinite(x):
        return "—"
    if x >= BIG:
        return power_of_ten(x, 2)
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
