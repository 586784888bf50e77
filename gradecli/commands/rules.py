"""``gradecli rules list`` and ``gradecli rules show CODE|NAME``: the rules and their documentation."""

from __future__ import annotations

import click


@click.group()
def rules() -> None:
    """List the GRADE rules and rule sets, and show their documentation."""


@rules.command("list")
def list_rules() -> None:
    """Every rule code with its domain and summary, then the shipped rule sets."""
    from gradecli.grade.domains import all_rules
    from gradecli.grade.ruleset import available, load_ruleset

    click.echo("Rule codes:")
    for code, (domain, summary) in all_rules().items():
        click.echo(f"  {code:<18} {domain:<17} {summary}")
    click.echo("\nRule sets (rules/*.yaml; use with --rules NAME, or --rules PATH for your own):")
    for name in available():
        rs = load_ruleset(name)
        extends = f" (extends {rs.extends})" if rs.extends else ""
        click.echo(f"  {name:<18}{extends} {rs.description}")


@rules.command("show")
@click.argument("what", metavar="CODE|RULESET")
def show(what: str) -> None:
    """Show a rule's documentation (e.g. IMP-CROSS) or a rule set's values (e.g. pollock-2016)."""
    import inspect
    import json

    from gradecli.exits import EXIT_INPUT, exit_with_problems
    from gradecli.grade.domains import MODULES, all_rules
    from gradecli.grade.ruleset import available, load_ruleset
    from gradecli.problems import InputError

    codes = all_rules()
    if what.upper() in codes:
        domain, summary = codes[what.upper()]
        click.echo(f"{what.upper()} ({domain}): {summary}\n")
        click.echo(inspect.cleandoc(MODULES[domain].__doc__ or ""))
        return
    if what in available() or what.endswith((".yaml", ".yml")):
        try:
            rs = load_ruleset(what)
        except InputError as exc:
            exit_with_problems(exc)
        click.echo(json.dumps(rs.model_dump(mode="json"), indent=2))
        return
    import difflib

    near = difflib.get_close_matches(what.upper(), list(codes) + [n.upper() for n in available()], n=1)
    hint = f" (did you mean {near[0]}?)" if near else ""
    click.echo(f"gradecli: no rule or rule set named {what!r}{hint}; see `gradecli rules list`", err=True)
    raise SystemExit(EXIT_INPUT)
