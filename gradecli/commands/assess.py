"""``gradecli assess FILE``: propose GRADE ratings for every outcome, with their reasons."""

from __future__ import annotations

import click

from gradecli.cli import EXIT_INPUT


@click.command()
@click.argument("file", metavar="FILE")
@click.option(
    "--rules",
    "rules",
    default=None,
    metavar="NAME|PATH",
    help="Rule set: a name in rules/ (default, pollock-2016, strict) or a path. "
    "Default: the file's defaults.rules, else 'default'.",
)
@click.option(
    "--compare",
    "compare",
    default=None,
    metavar="NAME|PATH",
    help="Also assess under this rule set and show where the two disagree, and why.",
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--profile", is_flag=True, help="Show the GRADE evidence profile (one column per domain).")
def assess(file: str, rules: str | None, compare: str | None, fmt: str, profile: bool) -> None:
    """Propose a GRADE rating for every domain of every outcome, show the reasons, and derive
    the certainty (the reviewer's judgments in the file take precedence).

    \b
    Examples:
      gradecli assess examples/bcg-vaccine-tuberculosis.yaml
      gradecli assess review.yaml --format json | jq '.outcomes[].certainty'
      gradecli assess review.yaml --rules default --compare pollock-2016
    """
    import json

    from gradecli.grade.engine import assess as run
    from gradecli.grade.ruleset import load_ruleset
    from gradecli.io.evidence import load_evidence
    from gradecli.problems import InputError

    try:
        evidence = load_evidence(file)
        ruleset = load_ruleset(rules or evidence.defaults.rules or "default")
        other = load_ruleset(compare) if compare else None
    except InputError as exc:
        for p in exc.problems:
            click.echo(p.format(), err=True)
        raise SystemExit(EXIT_INPUT) from None
    result = run(evidence, ruleset)
    other_result = run(evidence, other) if other else None
    if fmt == "json":
        from gradecli.report.compare import differences

        payload = json.loads(result.model_dump_json())
        if other_result is not None:
            payload = {
                "assessment": payload,
                "compare": json.loads(json.dumps(differences(result, other_result), default=str)),
            }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=False))
        return
    from rich.console import Console

    console = Console(highlight=False)
    if profile:
        from gradecli.report.profile_table import render
    else:
        from gradecli.report.rich_table import render
    render(result, console)
    if other_result is not None:
        from gradecli.report.compare import render_text

        console.print()
        console.print(render_text(result, other_result), highlight=False, markup=False)
