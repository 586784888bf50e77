"""The Rich console the commands print to standard output with.

Rich ends the process with exit 1 when the reader of a pipe goes away (``gradecli assess F | head``);
this console raises :class:`BrokenPipeError` instead, which :func:`gradecli.cli.main` turns into a
quiet exit 0, as common command-line tools do."""

from __future__ import annotations

from rich.console import Console


class StdoutConsole(Console):
    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError("the reader of standard output went away")


def stdout_console() -> Console:
    return StdoutConsole(highlight=False)
