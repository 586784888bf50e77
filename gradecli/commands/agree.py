"""``gradecli agree FILE``: the reviewers' judgments side by side, their agreement, and what is
still unresolved; ``--template REVIEWER`` writes an empty file of judgments for a reviewer."""

from __future__ import annotations

from typing import NoReturn

import click

from gradecli.exits import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, exit_with_problems


def _fail(message: str) -> NoReturn:
    click.echo(f"gradecli agree: {message}", err=True)
    raise SystemExit(EXIT_INPUT)


@click.command()
@click.argument("file", metavar="FILE")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@click.option("--rules", default=None, metavar="NAME|PATH", help="Rule set for the proposals (as for assess).")
@click.option("--fail-on-unresolved", is_flag=True, help="Exit 1 when a disagreement has no consensus.")
@click.option(
    "--template",
    "reviewer",
    default=None,
    metavar="REVIEWER",
    help="Instead: write an empty file of judgments for REVIEWER (every outcome and study, proposals hidden).",
)
@click.option("--with-proposals", is_flag=True, help="With --template: show gradecli's proposals as comments.")
@click.option("--date", default=None, metavar="YYYY-MM-DD", help="With --template: the date to write in it.")
@click.option(
    "--output",
    "-o",
    default=None,
    metavar="PATH",
    help="Write to PATH (atomically) instead of standard output; a template never replaces an existing file.",
)
def agree(
    file: str,
    fmt: str,
    rules: str | None,
    fail_on_unresolved: bool,
    reviewer: str | None,
    with_proposals: bool,
    date: str | None,
    output: str | None,
) -> None:
    """Show each reviewer's judgment of every domain, rating up and certainty of every outcome (and
    every study's risk of bias) side by side, with gradecli's proposal, the consensus if any and
    whether it is resolved; then the agreement between reviewers (observed agreement, Cohen's kappa,
    weighted kappa, Gwet's AC1 with 95% CIs; Krippendorff's alpha). See docs/reviewers.md.

    \b
    Examples:
      gradecli agree examples/two-reviewers/review.yaml
      gradecli agree review.yaml --format markdown --fail-on-unresolved
      gradecli agree review.yaml --template bob -o judgements/bob.yaml
    """
    import json
    from pathlib import Path

    from gradecli.pipeline import RuleSets, config_rules, load_and_assess
    from gradecli.problems import InputError
    from gradecli.report.output import OutputError, check_target, write_atomic

    if reviewer is None and (with_proposals or date is not None):
        raise click.UsageError("--with-proposals and --date go with --template REVIEWER")
    if date is not None:
        import datetime

        try:
            datetime.date.fromisoformat(date)
        except ValueError:
            _fail(f"--date {date!r}: not a date (YYYY-MM-DD)")
    target = None
    if output not in (None, "-"):
        try:
            target = check_target(output, [file])
        except OutputError as exc:
            _fail(str(exc))
        if reviewer is not None and Path(output).exists():
            _fail(f"--output {output}: the file exists; a template never replaces a reviewer's judgments")
    try:
        evidence, _, _, assessment = load_and_assess(file, cli_rules=rules, config=config_rules(), rulesets=RuleSets())
    except InputError as exc:
        exit_with_problems(exc)
    if reviewer is not None:
        from gradecli.report.judgements_template import template

        known = [r.id for r in evidence.reviewers]
        if reviewer not in known:
            names = ", ".join(known) if known else "none yet"
            _fail(f"{file}: {reviewer!r} is not one of the file's reviewers ({names}); add it under `reviewers:`")
        text = template(assessment, reviewer, with_proposals, date)
    else:
        from gradecli.report import agreement as render

        if fmt == "json":
            text = json.dumps(render.payload(assessment), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        elif fmt == "markdown":
            text = render.markdown(assessment)
        else:
            text = render.text(assessment)
    if target is None:
        click.echo(text, nl=False)
    else:
        try:
            write_atomic(target, text.encode("utf-8"))
        except BrokenPipeError:
            raise
        except OSError as exc:
            _fail(f"--output {output}: cannot write: {exc.strerror or exc}")
        click.echo(f"gradecli: wrote {'template' if reviewer else fmt} to {output}", err=True)
    if reviewer is None and fail_on_unresolved:
        from gradecli.report.agreement import unresolved

        raise SystemExit(EXIT_FINDINGS if unresolved(assessment) else EXIT_OK)
