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


@export_group.command("fhir")
@click.argument("evidence", metavar="EVIDENCE.yaml")
@click.option("-o", "--output", help="JSON file to write (default: standard output).")
@click.option(
    "--comparison", "comparison_id", metavar="ID", help="Only this comparison's outcomes (a file with `comparisons`)."
)
@click.option("--rules", help="Rule set to assess with (default: the file's, else the repository's, else default).")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("-q", "--quiet", is_flag=True, help="No summary on standard error.")
@_input_errors
def fhir_export(
    evidence: str, output: str | None, comparison_id: str | None, rules: str | None, force: bool, quiet: bool
) -> None:
    """Assess the file and write the assessment as an HL7 FHIR R5 document Bundle (EBM-on-FHIR).

    A SummaryOfFindings Composition, one Evidence per outcome (statistics, certainty with one
    subcomponent per domain), EvidenceVariables, the reviewer's judgments and the studies' risk of
    bias as ArtifactAssessments, and a Citation. The same file gives the same bytes. See docs/fhir.md.

    \b
    Example:
      gradecli export fhir examples/bcg-vaccine-tuberculosis.yaml -o bcg-fhir.json
    """
    from gradecli.io.writer import write_output
    from gradecli.pipeline import config_rules, load_and_assess
    from gradecli.problems import InputError
    from gradecli.report.fhir import render

    _evidence, _tree, _ruleset, result = load_and_assess(evidence, cli_rules=rules, config=config_rules())
    if comparison_id is not None:
        known = [c.id for c in result.comparisons]
        if not known:
            raise InputError.single(evidence, "the file has no comparisons (one question: leave out --comparison)")
        if comparison_id not in known:
            raise InputError.single(evidence, f"no comparison {comparison_id!r} (one of: {', '.join(known)})")
        chosen = [o for o in result.outcomes if o.comparison == comparison_id]
        if not chosen:
            raise InputError.single(evidence, f"comparison {comparison_id!r} has no outcomes")
        result = result.model_copy(update={"outcomes": chosen})
    text = render(result, comparison_id)
    write_output(text, output, [evidence], force)
    if output and output != "-":
        _summary(f"{evidence}: wrote a FHIR Bundle of {len(result.outcomes)} outcomes to {output}", [], quiet)
