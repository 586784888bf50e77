"""The ``gradecli`` command line: click commands that wire the library together, nothing else.

Start-up matters (``gradecli check`` may run in a pre-commit hook on every commit), so each command
lives in its own module under :mod:`gradecli.commands` and is imported only when it is invoked;
``gradecli --version`` imports nothing but click.

Exit codes: 0 success; 1 findings at failing severity (``check``) ; 2 usage error or invalid /
unreadable input; 3 internal error (a bug: please report it); 130 interrupted (Ctrl-C, SIGINT);
143 terminated (SIGTERM, e.g. a cancelled CI job). An interrupted or terminated run unwinds like an
exception, so every output it was writing is removed (:func:`gradecli.report.output.write_atomic`)
and nothing is left half-written.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import sys

import click

from gradecli._version import __version__
from gradecli.collector import paused_gc
from gradecli.exits import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    exit_with_problems,
)
from gradecli.report.output import OutputError

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_TERMINATED",
    "cli",
    "exit_with_problems",
    "main",
]


class Terminated(BaseException):
    """Raised on SIGTERM so that a terminated run unwinds (and removes what it was writing) as an
    interrupted one does. A BaseException, like KeyboardInterrupt, so no ``except Exception`` swallows it."""


def _on_signal(signum: int, frame: object) -> None:
    """The first Ctrl-C or SIGTERM unwinds the run (outputs being written are removed, workers are
    stopped); any further one while it unwinds is ignored, so a second signal can neither leave a
    traceback nor interrupt the clean-up half-way (which left worker pools running, a hang)."""
    import signal

    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, signal.SIG_IGN)
    if signum == signal.SIGTERM:
        raise Terminated
    raise KeyboardInterrupt


# command name -> (module, attribute, one-line help shown by `gradecli --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "validate": ("gradecli.commands.validate", "validate", "Check evidence files against format v1."),
    "schema": ("gradecli.commands.schema", "schema", "Print the JSON Schema of the evidence file format."),
    "meta": ("gradecli.commands.meta", "meta", "Pool a CSV of study data (meta-analysis)."),
    "assess": ("gradecli.commands.assess", "assess", "Propose GRADE ratings with their reasons."),
    "rules": ("gradecli.commands.rules", "rules", "List the GRADE rules and rule sets; show one."),
    "check": ("gradecli.commands.check", "check", "Validate and assess files and folders for CI."),
    "diff": ("gradecli.commands.diff", "diff", "Show what changed between two versions of an evidence file."),
    "agree": (
        "gradecli.commands.agree",
        "agree",
        "The reviewers' judgments side by side, and their agreement.",
    ),
    "import": ("gradecli.commands.importer", "import_group", "Import RevMan 5, robvis, CSV or RevMan data packages."),
    "export": ("gradecli.commands.exporter", "export_group", "Export risk-of-bias tables for robvis."),
    "plot": ("gradecli.commands.plot", "plot", "Draw forest and risk-of-bias plots (needs gradecli[plots])."),
    "report": ("gradecli.commands.report", "report", "Write one self-contained HTML report with plots."),
}


_MANY_FILES = frozenset({"check", "validate", "plot"})
"""Commands that read many files (or draw many figures): the collector runs between them."""


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module = importlib.import_module(entry[0])
        command: click.Command = getattr(module, entry[1])
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="gradecli", message="%(prog)s %(version)s")
def cli() -> None:
    """Assess the certainty of evidence with GRADE.

    \b
    Examples:
      gradecli validate examples/*.yaml
      gradecli assess examples/bcg-vaccine-tuberculosis.yaml
      gradecli meta data.csv --measure RR --model random --method REML
      gradecli schema > evidence.schema.json
    """


def _tolerant_streams() -> None:
    """Standard output and error that cannot encode a character (``PYTHONIOENCODING=ascii``, a C
    locale) write it as a backslash escape instead of failing: text from files is never a crash."""
    import io

    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="backslashreplace")


_STREAM_ERRORS = frozenset({errno.ENOSPC, errno.EIO, errno.EBADF, errno.EFBIG, errno.EDQUOT, errno.EPIPE})


def _quiet_stdout() -> None:
    """Standard output failed: point it at /dev/null so the interpreter's final flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _internal_error(exc: BaseException) -> int:
    detail = " ".join(str(exc).split())  # one line, however the exception words itself
    click.echo(
        f"gradecli: internal error: {type(exc).__name__}: {detail[:300]} "
        "(a bug; set GRADECLI_DEBUG=1 for the traceback and please report it)",
        err=True,
    )
    return EXIT_INTERNAL


def _reader_went_away() -> bool:
    """Whether click has met a closed pipe on standard output (it swaps in its PacifyFlushWrapper)."""
    return type(sys.stdout).__name__.endswith("PacifyFlushWrapper")  # _PacifyFlushWrapper in click 8.2+


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn every failure into a one-line message and an exit code."""
    # pydantic looks up third-party plugins through package metadata on first use (≈25 ms of
    # start-up); a command-line run needs none of them.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    import signal

    with contextlib.suppress(ValueError):  # not in the main thread (e.g. called from a library's thread)
        signal.signal(signal.SIGTERM, _on_signal)
        signal.signal(signal.SIGINT, _on_signal)
    _tolerant_streams()
    args = sys.argv[1:] if argv is None else argv
    # one input, one run: the cyclic garbage collector stays paused throughout (gradecli.collector);
    # the commands that go through many files pause it for each file instead
    pause = paused_gc() if not args or args[0] not in _MANY_FILES else contextlib.nullcontext()
    try:
        with pause:
            rc = cli.main(args=args, prog_name="gradecli", standalone_mode=False)
        sys.stdout.flush()  # a full disk or a closed pipe behind standard output shows here, not at exit
    except click.exceptions.Exit as exc:
        rc = exc.exit_code
    except SystemExit as exc:
        rc = exc.code if isinstance(exc.code, int) else EXIT_INPUT
        if _reader_went_away():
            rc = EXIT_OK  # click turns a closed pipe (`| head`) into exit 1: end quietly instead
    except click.ClickException as exc:
        exc.show()
        rc = EXIT_INPUT  # usage errors share exit code 2 with bad input, as click does
    except click.exceptions.Abort:
        click.echo("gradecli: interrupted", err=True)
        rc = EXIT_INTERRUPTED
    except Terminated:
        click.echo("gradecli: terminated", err=True)
        rc = EXIT_TERMINATED
    except KeyboardInterrupt:
        click.echo("gradecli: interrupted", err=True)
        rc = EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (e.g. `| head`); nothing more to say
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        rc = EXIT_OK
    except OutputError as exc:  # an --output that cannot be written: the old file is kept
        click.echo(f"gradecli: {exc}", err=True)
        rc = EXIT_INPUT
    except OSError as exc:
        if exc.filename is not None or exc.errno not in _STREAM_ERRORS:
            if os.environ.get("GRADECLI_DEBUG"):
                raise
            rc = _internal_error(exc)
        else:  # standard output cannot take the report (`> /dev/full`, a closed terminal)
            _quiet_stdout()
            click.echo(f"gradecli: cannot write to standard output: {exc.strerror or exc}", err=True)
            rc = EXIT_INPUT
    except Exception as exc:  # a bug: one line, never a traceback unless asked for
        if os.environ.get("GRADECLI_DEBUG"):
            raise
        rc = _internal_error(exc)
    sys.exit(rc if isinstance(rc, int) else EXIT_OK)
