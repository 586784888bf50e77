"""``gradecli rules list``, ``gradecli rules show CODE [--rules NAME_OR_PATH]`` and ``gradecli rules
docs``: the rules, their documentation and the settings a rule set gives them.

Text that comes from a rule-set file (its name, description, values) is printed through
:func:`gradecli.problems.printable` and with ``click.echo`` (never as Rich markup), so a name such as
``[bold]x[/]`` or one holding a control character is shown as written and cannot drive the terminal.
"""

from __future__ import annotations

import textwrap

import click


@click.group(invoke_without_command=True)
@click.pass_context
def rules(ctx: click.Context) -> None:
    """List the GRADE rules and rule sets, and show their documentation (`gradecli rules` alone
    is `gradecli rules list`)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_rules)


@rules.command("list")
def list_rules() -> None:
    """Every rule code with its domain and summary, then the shipped rule sets."""
    from gradecli.grade.rules import RULES
    from gradecli.grade.ruleset import available, load_ruleset
    from gradecli.problems import printable

    click.echo("Rule codes:")
    for rule in RULES:
        click.echo(f"  {rule.code:<18} {rule.domain:<17} {rule.summary}")
    click.echo("\nRule sets (rules/*.yaml; use with --rules NAME, or --rules PATH for your own):")
    for name in available():
        rs = load_ruleset(name)
        extends = f" (extends {printable(rs.extends)})" if rs.extends else ""
        click.echo(f"  {printable(name):<18}{extends} {printable(rs.description)}")
    click.echo("\n`gradecli rules show CODE` prints a rule's documentation; docs/rules.md has them all.")


@rules.command("show")
@click.argument("what", metavar="CODE|RULESET")
@click.option(
    "--rules",
    "rules_ref",
    default="default",
    show_default=True,
    metavar="NAME_OR_PATH",
    help="The rule set whose settings are shown (a shipped one by name, or a path).",
)
def show(what: str, rules_ref: str) -> None:
    """Show a rule's documentation and the settings in force (e.g. IMP-CROSS --rules strict), or a
    rule set's values as JSON (e.g. pollock-2016, or a path to a .yaml file)."""
    import json

    from gradecli.exits import EXIT_INPUT, exit_with_problems
    from gradecli.grade.rules import BY_CODE
    from gradecli.grade.ruleset import available, load_ruleset
    from gradecli.problems import InputError

    code = what.upper()
    if code in BY_CODE:
        try:
            rs = load_ruleset(rules_ref)
        except InputError as exc:
            exit_with_problems(exc)
        click.echo(_show_rule(code, rs))
        return
    if what in available() or what.endswith((".yaml", ".yml")):
        try:
            whole = load_ruleset(what)
        except InputError as exc:
            exit_with_problems(exc)
        click.echo(json.dumps(whole.model_dump(mode="json"), indent=2))
        return
    import difflib

    from gradecli.problems import printable

    near = difflib.get_close_matches(code, list(BY_CODE) + [n.upper() for n in available()], n=1)
    hint = f" (did you mean {near[0]}?)" if near else ""
    click.echo(
        f"gradecli: no rule or rule set named {printable(repr(what))}{hint}; see `gradecli rules list`", err=True
    )
    raise SystemExit(EXIT_INPUT)


@rules.command("docs")
def docs() -> None:
    """Print docs/rules.md (every rule, its documentation, settings and the shipped rule sets' values):
    `gradecli rules docs > docs/rules.md`."""
    from gradecli.grade.rules.docs import markdown

    click.echo(markdown(), nl=False)


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=100, initial_indent=indent, subsequent_indent=indent) or [indent.rstrip()]


def _show_rule(code: str, rs: object) -> str:
    from pydantic import BaseModel

    from gradecli.grade.rules import BY_CODE
    from gradecli.grade.rules.docs import value_text
    from gradecli.grade.ruleset import RuleSet, ScaleSettings
    from gradecli.problems import printable

    assert isinstance(rs, RuleSet)
    rule = BY_CODE[code]
    name = printable(rs.name)
    lines = [f"{rule.code}: {rule.summary}", f"domain: {rule.domain}"]
    if not rule.configurable:
        lines.append(f"rule set: {name} (a result of its domain: nothing to set or switch off)")
    elif rs.enabled(rule):
        lines.append(f"rule set: {name} (enabled)")
    else:
        lines.append(f"rule set: {name} (switched off by {printable(rs.disabled_by(rule))})")
    lines += ["", rule.doc()]

    def table(title: str, model: BaseModel) -> None:
        lines.extend(["", title])
        for field, info in type(model).model_fields.items():
            value = printable(value_text(getattr(model, field)))
            default = value_text(info.get_default(call_default_factory=True))
            lines.append(f"  {field}: {value}" + ("" if value == default else f"   (default: {default})"))
            lines.extend(_wrap(info.description or "", "      "))

    if rule.configurable and type(rs.settings(rule)).model_fields:
        table(f"Settings under the rule set {name} (rules: {{{rule.code}: {{...}}}}):", rs.settings(rule))
    if rule.uses_scale:
        assert isinstance(rs.scale, ScaleSettings)
        table(f"The judging scale under the rule set {name} (scale: {{...}}):", rs.scale)
    return "\n".join(lines)
