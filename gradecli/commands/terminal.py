"""The Rich console the commands print to standard output with.

Rich ends the process with exit 1 when the reader of a pipe goes away (``gradecli assess F | head``);
this console raises :class:`BrokenPipeError` instead, which :func:`gradecli.cli.main` turns into a
quiet exit 0, as common command-line tools do.

Two hostile surroundings are tamed here as well:

* a standard output that cannot encode the table's characters (``LC_ALL=C PYTHONUTF8=0``: Python
  opens it as ASCII with ``errors='surrogateescape'``, which fails on ``·`` or ``⊕``) is switched to
  ``errors='backslashreplace'``: the table is written with escapes, never a crash;
* an absurd width (``COLUMNS=1``) would wrap the table one character a line: below
  :data:`MIN_WIDTH` columns the console uses :data:`FALLBACK_WIDTH` instead.
"""

from __future__ import annotations

import contextlib
import io
import sys
from typing import IO

from rich.console import Console

MIN_WIDTH = 40
"""Narrower than this (``COLUMNS=1``, a broken terminal size) is not a real terminal width."""
FALLBACK_WIDTH = 80
_TOLERANT = frozenset({"backslashreplace", "replace", "xmlcharrefreplace", "namereplace", "ignore"})


class StdoutConsole(Console):
    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError("the reader of standard output went away")


def tolerant_stream(stream: IO[str] | None) -> None:
    """Make a text stream write what its encoding cannot represent as backslash escapes, instead of
    raising :class:`UnicodeEncodeError` (``strict``, and ``surrogateescape`` as in the C locale)."""
    if not isinstance(stream, io.TextIOWrapper):
        return
    if (stream.errors or "strict") in _TOLERANT:
        return
    try:
        "\u00b7\u2295\u2014\u2192".encode(stream.encoding or "ascii")
        return  # the encoding takes any character the tables use (UTF-8 and the like)
    except (UnicodeError, LookupError):
        pass
    with contextlib.suppress(ValueError, OSError, AttributeError):
        stream.reconfigure(errors="backslashreplace")


def sane_width(console: Console) -> Console:
    """Give ``console`` :data:`FALLBACK_WIDTH` columns when its width is absurdly small."""
    if console.width < MIN_WIDTH:
        console.width = FALLBACK_WIDTH
    return console


def stdout_console() -> Console:
    tolerant_stream(sys.stdout)
    tolerant_stream(sys.stderr)
    return sane_width(StdoutConsole(highlight=False))


def plain_console(file: IO[str]) -> Console:
    """A console writing plain text (no colour) to ``file``, e.g. a buffer for ``--output``."""
    return sane_width(Console(file=file, highlight=False, color_system=None))
