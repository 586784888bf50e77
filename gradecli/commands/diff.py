"""``gradecli diff OLD NEW`` and ``gradecli diff --git REV FILE``: what changed in a living review."""

from __future__ import annotations

import click

from gradecli.exits import EXIT_FINDINGS, EXIT_OK, exit_with_problems


def _git_show(rev: str, path: str) -> str:
    import subprocess
    from pathlib import Path

    from gradecli.problems import InputError

    p = Path(path)
    try:
        out = subprocess.run(
            ["git", "show", f"{rev}:./{p.name}"],
            cwd=p.parent if str(p.parent) else ".",
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError.single(path, f"cannot run git: {exc}") from None
    if out.returncode != 0:
        msg = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError.single(path, f"git show {rev}: {msg[-1] if msg else 'failed'}")
    from gradecli.io.source import MAX_BYTES, decode

    if len(out.stdout) > MAX_BYTES:  # the committed version has the same limit as a file on disk
        raise InputError.single(f"{rev}:{path}", f"file is {len(out.stdout):,} bytes; the limit is {MAX_BYTES:,} bytes")
    return decode(out.stdout, f"{rev}:{path}")


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="OLD NEW | FILE")
@click.option("--git", "rev", default=None, metavar="REV", help="Compare FILE with its version at git revision REV.")
@click.option("--rules", "rules", default=None, metavar="NAME|PATH", help="Rule set for both versions.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@click.option("--fail-on-change", is_flag=True, help="Exit 1 when any outcome's certainty changed.")
def diff(files: tuple[str, ...], rev: str | None, rules: str | None, fmt: str, fail_on_change: bool) -> None:
    """Show what changed between two versions of an evidence file, outcome by outcome: studies
    added or removed, the effect and its CI, each domain's rating, and the certainty; grouped by
    comparison when the files have comparisons (an outcome that moved between them is shown so);
    with reviewers, whose judgment each new rating is and every reviewer's changed judgment.

    \b
    Examples:
      gradecli diff examples/living-review/v1.yaml examples/living-review/v2.yaml
      gradecli diff --git HEAD~1 evidence/review.yaml --format markdown
    """
    import json

    from gradecli import diff as differ
    from gradecli.pipeline import RuleSets, config_rules, load_and_assess
    from gradecli.problems import InputError

    if rev is not None and len(files) != 1:
        raise click.UsageError("with --git REV give one FILE")
    if rev is not None and (rev.startswith("-") or not rev.strip()):
        raise click.UsageError(f"--git {rev!r}: not a revision (a revision never starts with '-')")
    if rev is None and len(files) != 2:
        raise click.UsageError("give OLD and NEW, or --git REV FILE")
    # each version is assessed under the rule set that applies to it (pipeline.choose_rules), so the
    # diff shows what `gradecli assess` shows for each; --rules sets one for both
    rulesets = RuleSets()
    try:
        config = config_rules()
        if rev is not None:
            old_name, new_name = f"{rev}:{files[0]}", files[0]
            old_text: str | None = _git_show(rev, files[0])
        else:
            old_name, new_name = files
            old_text = None
        read = None
        if rev is not None:  # the reviewers' files at the same revision as the evidence file
            from pathlib import Path

            folder = Path(files[0]).parent

            def read(ref: str) -> str:
                return _git_show(rev, str(folder / ref))

        *_, old = load_and_assess(old_name, old_text, cli_rules=rules, config=config, rulesets=rulesets, read=read)
        *_, new = load_and_assess(new_name, cli_rules=rules, config=config, rulesets=rulesets)
    except InputError as exc:
        exit_with_problems(exc)
    entries = differ.diff(old, new)
    titles = differ.comparison_titles(old, new)
    with_reviewers = bool(old.reviewers or new.reviewers)
    judged = differ.judgement_changes(old, new) if with_reviewers else []
    if fmt == "json":
        out: dict[str, object] = {"old": old_name, "new": new_name}
        if titles:  # files with comparisons: their titles, in the order the outcomes are grouped
            out["comparisons"] = [{"id": cid, "title": title} for cid, title in titles.items()]
        out["outcomes"] = entries
        if with_reviewers:  # who changed which judgment
            out["judgements"] = judged
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(differ.markdown(entries, old_name, new_name, titles), nl=False)
        if judged:
            click.echo("\n" + differ.judgements_markdown(judged), nl=False)
    else:
        click.echo(differ.text(entries, titles), nl=False)
        if judged:
            click.echo("\n" + differ.judgements_text(judged), nl=False)
    changed = any(e["certainty"]["changed"] for e in entries)
    raise SystemExit(EXIT_FINDINGS if fail_on_change and changed else EXIT_OK)
