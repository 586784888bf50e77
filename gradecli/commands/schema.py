"""``gradecli schema``: print the JSON Schema of the evidence file format."""

from __future__ import annotations

import click


def evidence_schema() -> dict[str, object]:
    from gradecli.model.evidence import Evidence

    return Evidence.model_json_schema()


def assessment_schema() -> dict[str, object]:
    from gradecli.grade.assessment import Assessment

    return Assessment.model_json_schema()


def rules_schema() -> dict[str, object]:
    from gradecli.grade.ruleset import RuleSet

    return RuleSet.model_json_schema()


def judgements_schema() -> dict[str, object]:
    from gradecli.model.reviewers import ReviewerJudgements

    schema = ReviewerJudgements.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "gradecli reviewer's judgments file, format v1"
    schema["required"] = sorted({*schema.get("required", []), "gradecli-judgements"})  # a file needs its marker
    return schema


SCHEMAS = {
    "evidence": evidence_schema,
    "assessment": assessment_schema,
    "rules": rules_schema,
    "judgements": judgements_schema,
}


@click.command()
@click.option(
    "--output",
    "kind",
    type=click.Choice(sorted(SCHEMAS)),
    default="evidence",
    show_default=True,
    help="Which document's schema to print.",
)
def schema(kind: str) -> None:
    """Print the JSON Schema (draft 2020-12) of a gradecli document: an evidence file
    (default), the JSON that `gradecli assess --format json` writes (`--output assessment`), a
    rule set (`--output rules`), or a reviewer's judgments file (`--output judgements`).

    Editors use it to complete and check evidence files as you type; with the YAML language
    server put this first line in the file:

    \b
      # yaml-language-server: $schema=<path or URL of evidence-v1.schema.json>
    """
    import json

    click.echo(json.dumps(SCHEMAS[kind](), indent=2, sort_keys=True, ensure_ascii=False))
