"""Exit codes of the command line, and the one way a command reports bad input (exit 2).

0 success; 1 findings at failing severity (``check``, ``diff --fail-on-change``); 2 usage error or
invalid / unreadable input; 3 internal error (a bug); 130 interrupted (Ctrl-C); 143 terminated
(SIGTERM). The commands and :mod:`gradecli.cli` both import these from here, so neither imports
the other."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from gradecli.problems import InputError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


def exit_with_problems(exc: InputError) -> NoReturn:
    """Print every problem of an input as ``FILE:LINE:COL: field: message`` and exit 2."""
    import click

    for problem in exc.problems:
        click.echo(problem.format(), err=True)
    raise SystemExit(EXIT_INPUT)
