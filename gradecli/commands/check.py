"""``gradecli check PATH...``: validate and assess evidence files for CI and pre-commit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from gradecli.exits import EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, exit_with_problems

if TYPE_CHECKING:
    from types import FrameType

    from gradecli.check.run import FileResult
    from gradecli.pipeline import RuleSets

# a worker's settings: (--rules, the config's rules, severities, the rule sets it has loaded)
_WORKER: tuple[str | None, str | None, dict[str, str], RuleSets] | None = None


def _init_worker(cli_rules: str | None, config_rules: str | None, severities: dict[str, str]) -> None:
    global _WORKER
    import signal

    from gradecli.pipeline import RuleSets

    # Ctrl-C (and a SIGTERM sent to the process group) reaches every process: the parent alone handles
    # it (it cancels the pool, the workers exit with it, and it exits 130 or 143); a worker would
    # otherwise print its own traceback or die and break the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)

    _WORKER = (cli_rules, config_rules, severities, RuleSets())


class _DeferredSignals:
    """While ``check`` loads its rule sets and checks files, Ctrl-C and SIGTERM are recorded where they
    land and acted on at the next safe point (:meth:`checkpoint`: between two files, and when the block
    ends), by the handler that was in place before (the command line's: the run unwinds, exit 130 or
    143).

    Raised where it landed, the interrupt would meet library code that does not let it through: in
    the first file, the models' validators are built (pydantic-core turns a KeyboardInterrupt raised
    while building one into a SchemaError, and the file became an internal error, GC000, exit 3) and
    modules are imported (a KeyboardInterrupt that leaves the ``exec`` with which dataclasses build
    their methods makes the interpreter kill itself with SIGINT at exit, whatever exit code it was
    given). A second signal before the safe point changes nothing: the first one decides.

    The cost: an interrupt waits for the file being checked (milliseconds; the first file, which
    imports and builds the validators, a fraction of a second). Blocking reads (standard input) and
    the file-system search run outside the block, where Ctrl-C acts at once. Signals that are ignored,
    and any signal outside the main thread, are left alone."""

    def __init__(self) -> None:
        self.pending: int | None = None
        self.previous: dict[int, Any] = {}  # signal -> the handler to restore and to deliver it to

    def __enter__(self) -> _DeferredSignals:
        import signal

        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                old = signal.getsignal(signum)
                if old is None or old == signal.SIG_IGN:  # ignored (e.g. nohup), or not set from Python
                    continue
                signal.signal(signum, self._record)
            except ValueError:  # not the main thread: signals are not handled here
                continue
            self.previous[signum] = old
        return self

    def _record(self, signum: int, frame: FrameType | None) -> None:
        if self.pending is None:
            self.pending = signum

    def checkpoint(self) -> None:
        """A safe point: act on a signal received since the block began (the handler raises)."""
        if self.pending is not None:
            self._release()

    def _release(self) -> None:
        import signal

        previous, self.previous = self.previous, {}
        for signum, old in previous.items():
            if signal.getsignal(signum) == self._record:  # leave a handler set meanwhile as it is
                signal.signal(signum, old)
        pending, self.pending = self.pending, None  # read last: a signal while restoring is recorded too
        if pending is None:
            return
        handler = previous[pending]
        if callable(handler):
            handler(pending, None)  # the command line's handler: raises KeyboardInterrupt or Terminated
        elif handler == signal.SIG_DFL:
            signal.raise_signal(pending)  # the default action (SIGTERM: the process ends)

    def __exit__(self, *exc: object) -> None:
        self._release()  # a pending interrupt wins over the way the block ended


def _check_one(path: str) -> FileResult:  # in a worker process
    from gradecli.pipeline import check_file

    assert _WORKER is not None
    cli_rules, config_rules, severities, rulesets = _WORKER
    return check_file(path, None, severities, cli_rules=cli_rules, config=config_rules, rulesets=rulesets)


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--rules", "rules", default=None, metavar="NAME|PATH", help="Rule set (default: config, else default).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "junit"]),
    default="text",
    show_default=True,
    help="text: FILE:LINE:COL lines; json: one object per line; github: workflow annotations; junit: JUnit XML.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--notes", is_flag=True, help="Also report notes (info findings, e.g. a domain not assessable).")
@click.option("--output", "output", default=None, metavar="PATH", help="Write the report to PATH instead of stdout.")
@click.option(
    "--jobs",
    "jobs",
    type=int,
    default=0,
    show_default=True,
    help="Worker processes (0: one per CPU for large runs, 1: no parallelism).",
)
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Pass when no evidence file was checked (by default that fails: a gate that checks nothing is no gate).",
)
def check(
    paths: tuple[str, ...],
    rules: str | None,
    fmt: str,
    strict: bool,
    notes: bool,
    output: str | None,
    jobs: int,
    allow_empty: bool,
) -> None:
    """Validate and assess evidence files and folders (- for stdin); report what needs attention.

    Folders are searched for *.yaml, *.yml and *.json; files that are not evidence files (no
    `gradecli:` key) are skipped. A `.gradecli.yaml` in the current folder or above (up to the
    repository root) sets include/exclude globs, the rule set, fail_on and per-code severities.

    \b
    Exit codes: 0 clean; 1 findings at failing severity (errors; with --strict, warnings too), or no
    evidence file checked (unless --allow-empty); 2 usage error or unreadable input; 3 a file crashed
    the check (a bug: it is reported as finding GC000 and every other file is still checked).

    \b
    Examples:
      gradecli check evidence/
      gradecli check evidence/ --format github
      gradecli check evidence/ --format junit --output report.xml
    """
    import time

    started = time.perf_counter()
    # Ctrl-C and SIGTERM act at safe points while modules are imported, rule sets loaded and files
    # checked (_DeferredSignals says why), at once while the folders are searched and stdin is read
    with _DeferredSignals():
        import os
        import sys
        from pathlib import Path

        from gradecli.check import formats
        from gradecli.check.discover import Passed, discover
        from gradecli.escape import terminal
        from gradecli.io.source import read_text
        from gradecli.pipeline import RuleSets, check_file, load_config, rule_set_inputs
        from gradecli.problems import InputError
        from gradecli.report.output import OutputError, check_target, write_atomic

        rulesets = RuleSets()
        try:
            config, config_path = load_config(Path.cwd())
            base = config_path.parent if config_path else Path.cwd()
            # a rule set named on the command line or in the config is checked before any file is read
            for ref in (rules, config.rules):
                if ref:
                    rulesets.get(ref)
        except InputError as exc:
            exit_with_problems(exc)

    passed = Passed()
    files, missing, outside = discover(paths, config, base, passed)
    for link in outside:
        click.echo(
            f"gradecli: {terminal(link)}: skipped: a symbolic link that leads out of the folder being checked", err=True
        )
    for where, why in passed.notes:
        click.echo(f"gradecli: {terminal(where)}: skipped: {why}", err=True)
    for where, why in passed.errors:
        click.echo(f"gradecli: {terminal(where)}: {why}", err=True)
    for m in missing:
        click.echo(f"gradecli: {terminal(m)}: no such file or folder", err=True)
    if missing or passed.errors:
        raise SystemExit(EXIT_INPUT)
    target = None
    if output and output != "-":  # `--output -` is standard output
        try:
            target = check_target(output, [*files, *rule_set_inputs(rules, config.rules, config_path=config_path)])
        except OutputError as exc:
            click.echo(f"gradecli: {exc}", err=True)
            raise SystemExit(EXIT_INPUT) from None
    severities: dict[str, str] = dict(config.severity)
    results: list[FileResult] = []
    stdin_text = None
    if "-" in files:
        try:
            stdin_text = read_text("-")
        except InputError as exc:
            exit_with_problems(exc)
    on_disk = [f for f in files if f != "-"]
    workers = jobs if jobs > 0 else (os.cpu_count() or 1) if len(on_disk) >= 200 else 1
    with _DeferredSignals() as signals:
        progress = None
        if sys.stderr.isatty() and len(files) > 20:
            from rich.console import Console
            from rich.progress import Progress

            progress = Progress(console=Console(stderr=True), transient=True)
            task = progress.add_task("checking", total=len(files))
            progress.start()
        try:
            if workers > 1:
                from concurrent.futures import ProcessPoolExecutor
                from functools import partial

                start_worker = partial(_init_worker, rules, config.rules, severities)
                # each worker starts once (imports, rule sets) and is then sent paths, a few at a time:
                # small chunks keep the workers busy to the end (a file takes milliseconds, a chunk's
                # round trip far less)
                chunk = max(1, min(16, len(on_disk) // (workers * 64)))
                pool = ProcessPoolExecutor(max_workers=workers, initializer=start_worker)
                try:
                    for result in pool.map(_check_one, on_disk, chunksize=chunk):
                        signals.checkpoint()
                        results.append(result)
                        if progress:
                            progress.advance(task)
                finally:  # on Ctrl-C: drop the queued files, wait only for the chunks being checked
                    pool.shutdown(wait=True, cancel_futures=True)
            else:
                for f in on_disk:
                    signals.checkpoint()
                    results.append(
                        check_file(f, None, severities, cli_rules=rules, config=config.rules, rulesets=rulesets)
                    )
                    if progress:
                        progress.advance(task)
            if stdin_text is not None:
                signals.checkpoint()
                results.append(
                    check_file("-", stdin_text, severities, cli_rules=rules, config=config.rules, rulesets=rulesets)
                )
        finally:
            if progress:
                progress.stop()
    failing = {"error", "warning"} if strict or config.fail_on == "warning" else {"error"}
    all_findings = sorted(
        (f for r in results for f in r.findings), key=lambda f: (f.file, f.line, f.col, f.code, f.message)
    )
    findings = [f for f in all_findings if notes or f.severity != "info"]
    if not notes:
        for r in results:
            r.findings = [f for f in r.findings if f.severity != "info"]
    if fmt == "text":
        report = formats.text(findings)
    elif fmt == "json":
        report = formats.json_lines(findings)
    elif fmt == "github":
        report = formats.github(findings)
    else:
        report = formats.junit(results, failing)
    if target is not None:
        write_atomic(target, report.encode("utf-8"))
    else:
        click.echo(report, nl=False)
    unreadable = [r for r in results if r.status == "unreadable"]
    counts = {s: sum(1 for f in all_findings if f.severity == s) for s in ("error", "warning", "info")}
    outcomes = sum(r.outcomes for r in results)
    checked = sum(1 for r in results if r.status in ("valid", "invalid", "crashed"))
    skipped = sum(1 for r in results if r.status == "skipped")
    invalid = sum(1 for r in results if r.status == "invalid")
    seconds = time.perf_counter() - started
    click.echo(
        f"gradecli check: {checked} file{'s' * (checked != 1)} ({invalid} invalid, {outcomes} outcomes), "
        f"{skipped} skipped (not evidence files); {counts['error']} errors, {counts['warning']} warnings, "
        f"{counts['info']} notes{'' if notes else ' (shown with --notes)'} in {seconds:.2f} s",
        err=True,
    )
    if any(r.status == "crashed" for r in results):
        raise SystemExit(EXIT_INTERNAL)
    if unreadable:
        raise SystemExit(EXIT_INPUT)
    if checked == 0 and not allow_empty:
        click.echo(
            "gradecli check: no evidence file was checked (every file was excluded, skipped or none was found); "
            "pass --allow-empty if that is expected",
            err=True,
        )
        raise SystemExit(EXIT_FINDINGS)
    raise SystemExit(EXIT_FINDINGS if any(f.severity in failing for f in findings) else EXIT_OK)
