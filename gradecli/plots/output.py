"""Figures to bytes: SVG or PNG, the same bytes for the same input.

Determinism: a fixed ``svg.hashsalt`` (the ids matplotlib writes for clip paths and markers), text
kept as text in DejaVu Sans (bundled with matplotlib, so no system font changes the layout), and
no date or matplotlib version in the metadata.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

FORMATS = ("svg", "png")
RC: dict[RcKeyType, object] = {
    "svg.hashsalt": "gradecli",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.unicode_minus": True,
    "path.simplify": False,
    "figure.dpi": 100.0,
    "savefig.dpi": 100.0,
}


@contextlib.contextmanager
def style() -> Iterator[None]:
    import matplotlib

    with matplotlib.rc_context(RC):
        yield


def new_figure(width: float, height: float) -> Figure:
    """A figure not registered with pyplot (no GUI backend, nothing global to close)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def figure_bytes(fig: Figure, fmt: str, dpi: float = 100.0) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown image format {fmt!r} (svg or png)")
    buffer = io.BytesIO()
    with style():
        if fmt == "svg":
            fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "gradecli"})
        else:
            fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": "gradecli"})
    return buffer.getvalue()


def svg_fragment(svg: bytes) -> str:
    """An SVG document as markup for inline use in HTML (no XML declaration or DOCTYPE)."""
    text = svg.decode("utf-8")
    start = text.find("<svg")
    return text[start:] if start >= 0 else text
