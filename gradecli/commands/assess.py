"""``gradecli assess FILE``: propose GRADE ratings for every outcome, with their reasons."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

import click

from gradecli.exits import EXIT_INPUT, exit_with_problems

if TYPE_CHECKING:
    from rich.console import Console

    from gradecli.grade.assessment import Assessment, DomainAssessment

FORMATS = ("table", "json", "markdown", "html", "csv")


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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table: Summary of Findings in the terminal; json: the whole assessment; markdown, html, csv: "
    "the Summary of Findings for pull requests, web pages and R/spreadsheets.",
)
@click.option("--profile", is_flag=True, help="Show the GRADE evidence profile (one column per domain; table only).")
@click.option(
    "--output",
    "-o",
    "output",
    default=None,
    metavar="PATH",
    help="Write the report to PATH (atomically: all or nothing) instead of standard output; '-' is standard output.",
)
@click.option("--outcome", "outcome_id", default=None, metavar="ID", help="Only this outcome.")
@click.option(
    "--comparison",
    "comparison_id",
    default=None,
    metavar="ID",
    help="Only this comparison's table (a file with `comparisons`; JSON: its outcomes only).",
)
@click.option(
    "--detail",
    is_flag=True,
    help="After the table, each outcome's text forest plot (thresholds marked) and its domain ratings with "
    "their reasons (table only).",
)
def assess(
    file: str,
    rules: str | None,
    compare: str | None,
    fmt: str,
    profile: bool,
    output: str | None,
    outcome_id: str | None = None,
    detail: bool = False,
    comparison_id: str | None = None,
) -> None:
    """Propose a GRADE rating for every domain of every outcome, show the reasons, and derive
    the certainty (the reviewer's judgments in the file take precedence).

    \b
    Examples:
      gradecli assess examples/bcg-vaccine-tuberculosis.yaml
      gradecli assess review.yaml --format json | jq '.outcomes[].certainty'
      gradecli assess review.yaml --format html --output sof.html
      gradecli assess review.yaml --rules default --compare pollock-2016
      gradecli assess examples/bcg-vaccine-tuberculosis.yaml --outcome tuberculosis --detail
      gradecli assess examples/ketamine-chronic-pain.yaml --comparison iv-ketamine
    """
    from gradecli.grade.engine import assess as run
    from gradecli.io.evidence import load_evidence
    from gradecli.pipeline import RuleSets, load_config, rule_set_inputs
    from gradecli.problems import InputError
    from gradecli.report.output import OutputError, check_target, write_atomic

    if fmt in ("markdown", "html", "csv") and (profile or compare):
        option = "--profile" if profile else "--compare"
        _fail(f"{option} works with --format table or json, not {fmt}")
    if detail and fmt != "table":
        _fail(f"--detail works with --format table, not {fmt}")
    target = None
    if output not in (None, "-"):
        try:
            target = check_target(output, [file, *rule_set_inputs(rules, compare)])
        except OutputError as exc:
            _fail(str(exc))
    try:
        config, config_path = load_config()
        evidence = load_evidence(file)
        rulesets = RuleSets()
        ruleset = rulesets.for_evidence(rules, evidence, config.rules)
        other = rulesets.get(compare) if compare else None
    except InputError as exc:
        exit_with_problems(exc)
    if output not in (None, "-"):
        # the rule set the file names and the repository's config are inputs too
        inputs = rule_set_inputs(rules, compare, evidence.defaults.rules, config.rules, config_path=config_path)
        try:
            check_target(output, [file, *inputs])
        except OutputError as exc:
            _fail(str(exc))
    if outcome_id is not None:
        ids = [o.id for o in evidence.outcomes]
        if outcome_id not in ids:
            _fail(f"{file}: no outcome {outcome_id!r} (one of: {', '.join(ids)})")
        evidence = evidence.model_copy(update={"outcomes": [o for o in evidence.outcomes if o.id == outcome_id]})
    if comparison_id is not None:
        known = [c.id for c in evidence.comparisons]
        if not known:
            _fail(f"{file}: the file has no comparisons (one question: leave out --comparison)")
        if comparison_id not in known:
            _fail(f"{file}: no comparison {comparison_id!r} (one of: {', '.join(known)})")
        chosen = [
            o for o in evidence.outcomes if (c := evidence.comparison_of(o)) is not None and c.id == comparison_id
        ]
        if not chosen:
            _fail(f"{file}: comparison {comparison_id!r} has none of the outcomes asked for")
        evidence = evidence.model_copy(update={"outcomes": chosen})
    result = run(evidence, ruleset)
    other_result = run(evidence, other) if other else None
    if comparison_id is not None:
        result = _only(result, comparison_id)
        other_result = _only(other_result, comparison_id) if other_result else None
    if fmt == "table" and target is None:
        from gradecli.commands.terminal import stdout_console

        console = stdout_console()
        _table(result, other_result, profile, console)
        if detail:
            _detail(result, console)
        return
    text = _render(fmt, result, other_result, profile)
    if detail:
        import io

        from gradecli.commands.terminal import plain_console

        buffer = io.StringIO()
        _detail(result, plain_console(buffer))
        text += buffer.getvalue()
    if target is None:
        click.echo(text, nl=False)
        return
    try:
        write_atomic(target, text.encode("utf-8"))
    except BrokenPipeError:
        raise  # -o /dev/stdout and the reader went away: a quiet end, as with -o -
    except OSError as exc:
        _fail(f"--output {output}: cannot write: {exc.strerror or exc}")
    click.echo(f"gradecli: wrote {fmt} to {output}", err=True)


def _fail(message: str) -> NoReturn:
    click.echo(f"gradecli assess: {message}", err=True)
    raise SystemExit(EXIT_INPUT)


def _render(fmt: str, result: Assessment, other_result: Assessment | None, profile: bool) -> str:
    """The report as text (ending in a newline), for standard output or a file."""
    if fmt == "json":
        import json

        from gradecli.report.compare import differences
        from gradecli.report.json_out import payload as as_json

        payload = as_json(result)
        if other_result is not None:
            payload = {
                "assessment": payload,
                "compare": json.loads(json.dumps(differences(result, other_result), default=str, allow_nan=False)),
            }
        return json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=False, allow_nan=False) + "\n"
    if fmt == "markdown":
        from gradecli.report.markdown import render
    elif fmt == "html":
        from gradecli.report.html import render
    elif fmt == "csv":
        from gradecli.report.csv_out import render
    else:  # a table for a file: plain text, no colour, width from COLUMNS (else Rich's 80)
        import io

        from gradecli.commands.terminal import plain_console

        buffer = io.StringIO()
        _table(result, other_result, profile, plain_console(buffer))
        return buffer.getvalue()
    return render(result)


def _only(result: Assessment, comparison_id: str) -> Assessment:
    """The assessment of one comparison: its record only (its outcomes are the only ones assessed)."""
    return result.model_copy(update={"comparisons": [c for c in result.comparisons if c.id == comparison_id]})


def _table(result: Assessment, other_result: Assessment | None, profile: bool, console: Console) -> None:
    from rich.text import Text

    from gradecli.escape import terminal
    from gradecli.report.comparisons import after_table, parts

    if profile:
        from gradecli.report.profile_table import render
    else:
        from gradecli.report.rich_table import render
    tables = parts(result)
    for i, t in enumerate(tables):
        if i:
            console.print()
            console.rule(style="dim")
        render(t.assessment, console)
        for line in after_table(t):
            console.print(Text(terminal(line)), style="dim")
    if other_result is not None:
        from gradecli.report.compare import render_text

        console.print()
        console.print(render_text(result, other_result), highlight=False, markup=False)


def _detail(result: Assessment, console: Console) -> None:
    """Per outcome: the text forest plot and every domain's rating with its reason. Text from the
    file is printed as Rich Text (never markup), its controls shown escaped, no workflow command."""
    from rich.text import Text

    from gradecli.escape import github_line, terminal
    from gradecli.grade.assessment import DOMAIN_NAMES
    from gradecli.plots.data import PlotDataError, forest_data
    from gradecli.report.forest_text import forest_notes, forest_table
    from gradecli.report.sof import capitalise, certainty_cells, stratum_name
    from gradecli.report.text import upgrade_text

    for oa in result.outcomes:
        console.print()
        console.print(Text(github_line(f"{terminal(oa.name)} [{terminal(oa.id)}]"), style="bold"))
        if oa.form == "studies":
            try:
                data = forest_data(oa, result.studies)
            except PlotDataError:
                data = None
            if data is not None:
                console.print(forest_table(data, min(console.width, 120)))
                for note in forest_notes(data):
                    console.print(Text(note, style="dim"))
        else:
            console.print(Text("No per-study data: no forest plot.", style="dim"))
        for d in oa.domains:
            _domain_line(console, DOMAIN_NAMES.get(d.domain, d.domain), d)
            if d.domain == "imprecision" and len(oa.strata) > 1:
                for s in oa.strata:
                    label, risk = stratum_name(s)
                    _domain_line(console, f"{capitalise(label)} ({risk})", s.imprecision, indent="    ")
        for u in oa.upgrades:
            if u.levels or u.proposed_levels:
                console.print(Text(f"  {DOMAIN_NAMES.get(u.domain, u.domain)}: {upgrade_text(u)}"))
                if u.path:
                    console.print(Text("    path: " + " → ".join(u.path)))
        if oa.certainty is not None or oa.provisional:
            label = certainty_cells(oa.certainty, oa.provisional, oa.certainty_ceiling)[1]
            console.print(Text(f"  certainty: {label.lower()}", style="bold"))


def _domain_line(console: Console, name: str, d: DomainAssessment, indent: str = "  ") -> None:
    """A domain's rating, rule and reason, then the steps its rule took (``path``) and whether the
    reviewer must confirm it. Text from the file is Rich Text (never markup), escaped for a terminal."""
    from rich.text import Text

    from gradecli.escape import github_line, terminal
    from gradecli.report.text import path_text

    rating = d.rating.value.replace("_", " ") if d.rating else "not assessed"
    line = Text(f"{indent}{github_line(terminal(name))}: ", style="bold")
    line.append(rating + (f" ({d.status.replace('_', ' ')})" if d.status not in ("proposed", "not_assessed") else ""))
    if d.proposal.rule:
        line.append(f" [{github_line(terminal(d.proposal.rule))}]", style="dim")
    why = d.reviewer_reason or d.proposal.explanation
    if why:
        line.append(f" — {github_line(terminal(why))}")
    console.print(line)
    path = path_text(d)
    if path:
        console.print(Text(f"{indent}  path: {github_line(terminal(path))}", style="dim"))
