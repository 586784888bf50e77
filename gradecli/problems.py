"""Problems found in an input file, and the exception that carries them.

Every loader (evidence files, rule sets, CSV data) reports what is wrong as :class:`Problem`
objects that know the file, line and column, and the dotted field path. The CLI prints them one
per line as ``FILE:LINE:COL: field.path: message`` and exits with code 2.
"""

from __future__ import annotations

from dataclasses import dataclass

from gradecli.escape import terminal


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file. ``line`` and ``col`` are 1-based; 0 means unknown."""

    file: str
    line: int
    col: int
    path: str
    message: str
    code: str = "GC001"  # finding code for `gradecli check` (GC001: the file is invalid)

    def format(self) -> str:
        """``FILE:LINE:COL: field.path: message`` on one line, whatever the file held: a character
        that is not printable (a newline in a key, U+2028, a control character) is shown escaped."""
        where = self.file
        if self.line:
            where += f":{self.line}:{self.col or 1}"
        prefix = f"{self.path}: " if self.path else ""
        return printable(f"{where}: {prefix}{self.message}")


class InputError(Exception):
    """Raised when an input file cannot be used; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line == 0, p.line, p.col, p.path, p.message))
        super().__init__("\n".join(p.format() for p in self.problems))

    @classmethod
    def single(cls, file: str, message: str, line: int = 0, col: int = 0, path: str = "") -> InputError:
        return cls([Problem(file, line, col, path, message)])


printable = terminal
"""``text`` with every unprintable character escaped as Python would (``\\n``, ``\\u2028``): the one
implementation is :func:`gradecli.escape.terminal`."""


MAX_KEY_SHOWN = 60


def format_path(loc: tuple[object, ...]) -> str:
    """``("outcomes", 0, "data", 2, "events_t")`` → ``outcomes[0].data[2].events_t``. A key from the
    file is shown escaped (see :func:`printable`) and cut at ``MAX_KEY_SHOWN`` characters."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            key = printable(str(part))
            if len(key) > MAX_KEY_SHOWN:
                key = key[:MAX_KEY_SHOWN] + "…"
            out += ("." if out else "") + key
    return out
