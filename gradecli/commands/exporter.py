"""``gradecli export robvis``: write a robvis risk-of-bias table from an evidence file."""

from __future__ import annotations

import click

from gradecli.commands.importer import _input_errors, _summary


@click.group(name="export")
def export_group() -> None:
    """Export data from an evidence file for other tools.

    \b
    Example:
      gradecli export robvis evidence.yaml --tool rob2 -o rob2.csv
    """


@export_group.command("robvis")
@click.argument("evidence", metavar="EVIDENCE.yaml")
@click.option("--tool", required=True, type=click.Choice(["rob2", "robins-i", "rob1"]), help="Which assessments.")
@click.option("-o", "--output", help="CSV file to write (default: standard output).")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("-q", "--quiet", is_flag=True, help="No summary on standard error.")
@_input_errors
def robvis_export(evidence: str, tool: str, output: str | None, force: bool, quiet: bool) -> None:
    """Write the studies' risk-of-bias judgments as a robvis table (Study, D1..Dn, Overall).

    Draw it in R with robvis::rob_traffic_light(read.csv("rob.csv"), tool = "ROB2").
    """
    from gradecli.io.robvis import export_robvis
    from gradecli.io.writer import write_output

    text, notes = export_robvis(evidence, tool)
    write_output(text, output, [evidence], force)
    if output and output != "-":
        _summary(f"{evidence}: wrote {text.count(chr(10)) - 1} studies to {output}", notes, quiet)
    elif notes and not quiet:
        _summary(f"{evidence}: robvis table written", notes, quiet)
