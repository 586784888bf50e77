"""Forest plots and risk-of-bias figures.

:mod:`gradecli.plots.data` says what a plot shows and needs nothing beyond gradecli itself (the text
forest plot in the terminal uses it too); :mod:`gradecli.plots.forest`, :mod:`gradecli.plots.rob`
and :mod:`gradecli.plots.output` draw with matplotlib, the optional extra ``gradecli[plots]``.
Only the commands that draw import them.
"""

from __future__ import annotations

INSTALL_HINT = "plots need matplotlib: pip install 'gradecli[plots]'"


class PlotsUnavailable(Exception):
    """matplotlib is not installed (the message is one line for the user)."""


def require_matplotlib() -> None:
    """Raise :class:`PlotsUnavailable` unless matplotlib can be imported."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise PlotsUnavailable(INSTALL_HINT) from None
