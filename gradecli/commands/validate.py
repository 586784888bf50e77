"""``gradecli validate FILE...``: check evidence files against format v1."""

from __future__ import annotations

import click

from gradecli.exits import EXIT_INPUT, EXIT_OK


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
def validate(files: tuple[str, ...], quiet: bool) -> None:
    """Check evidence files (YAML or JSON; - for stdin) against format v1.

    Prints every problem as FILE:LINE:COL: field: message on standard error.
    Exit 0 when every file is valid, 2 when any is not.

    \b
    Example:
      gradecli validate examples/*.yaml
    """
    from gradecli.io.evidence import load_evidence
    from gradecli.problems import InputError

    bad = 0
    for path in files:
        try:
            ev = load_evidence(path)
        except InputError as exc:
            bad += 1
            for problem in exc.problems:
                click.echo(problem.format(), err=True)
            continue
        if not quiet:
            n_out, n_st = len(ev.outcomes), len(ev.studies)
            click.echo(
                f"{'<stdin>' if path == '-' else path}: valid "
                f"({n_out} outcome{'s' * (n_out != 1)}, {n_st} stud{'ies' if n_st != 1 else 'y'})"
            )
    if bad and len(files) > 1:
        click.echo(f"{bad} of {len(files)} files invalid", err=True)
    raise SystemExit(EXIT_INPUT if bad else EXIT_OK)
