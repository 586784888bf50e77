"""``gradecli report FILE -o report.html``: one self-contained HTML page with the Summary-of-Findings
table, the evidence profile, each outcome's forest plot and reasons, and the risk-of-bias figures.

Needs matplotlib (``pip install 'gradecli[plots]'``) for the figures; without it the command says
how to install it and exits 2. Never writes over the input (``--output`` is checked first).
"""

from __future__ import annotations

from typing import NoReturn

import click

from gradecli.exits import EXIT_INPUT


def _fail(message: str) -> NoReturn:
    click.echo(f"gradecli report: {message}", err=True)
    raise SystemExit(EXIT_INPUT)


@click.command("report", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("file", metavar="FILE")
@click.option("--output", "-o", "output", required=True, metavar="REPORT.html", help="Where to write the page.")
@click.option(
    "--rules",
    "rules",
    default=None,
    metavar="NAME|PATH",
    help="Rule set (default: the file's defaults.rules, else .gradecli.yaml's, else 'default').",
)
def report(file: str, output: str, rules: str | None) -> None:
    """Write one self-contained HTML report (inline SVG, loads nothing; prints to PDF from a browser).

    \b
    Example:
      gradecli report examples/bcg-vaccine-tuberculosis.yaml -o report.html
    """
    from gradecli.commands.plot import load_drawable
    from gradecli.report.output import write_atomic

    assessment, target = load_drawable(file, output, rules, command="report")
    from gradecli.plots.page import render

    html = render(assessment)
    if target is None:  # `-o -`: standard output
        click.echo(html, nl=False)
        return
    try:
        write_atomic(target, html.encode("utf-8"))
    except BrokenPipeError:
        raise  # -o /dev/stdout and the reader went away: a quiet end, as with -o -
    except OSError as exc:
        _fail(f"--output {output}: cannot write: {exc.strerror or exc}")
    click.echo(f"gradecli: wrote the report to {output}", err=True)
