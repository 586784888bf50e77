"""The shipped examples are valid, validate against the published JSON Schema, and load the same
from YAML and from JSON."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import EXAMPLES, ROOT, run_cli
from gradecli.commands.schema import evidence_schema
from gradecli.io.evidence import load_evidence, parse_evidence
from gradecli.io.tree import parse

IDS = [p.name for p in EXAMPLES]


def test_there_is_an_example_of_every_data_form() -> None:
    forms: set[str] = set()
    for path in EXAMPLES:
        for outcome in load_evidence(str(path)).outcomes:
            if outcome.form == "studies":
                forms.update(type(row).__name__ for row in outcome.data or [])
            else:
                forms.add(outcome.form)
    assert {"DichotomousRow", "ContinuousRow", "GenericRow", "summary", "none"} <= forms


def test_validate_all_examples_exit_0() -> None:
    result = run_cli("validate", *[str(p.relative_to(ROOT)) for p in EXAMPLES])
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(": valid (") == len(EXAMPLES)


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_example_matches_json_schema(path: Path) -> None:
    data = parse(path.read_text(encoding="utf-8"), path.name).data
    jsonschema.Draft202012Validator(evidence_schema()).validate(data)


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_example_cites_its_source(path: Path) -> None:
    head = path.read_text(encoding="utf-8").split("gradecli: 1")[0]
    assert "Reproduced" in head and ("Illustrative" in head or "NOT in the sources" in head)


@pytest.mark.parametrize("path", EXAMPLES, ids=IDS)
def test_yaml_and_json_give_the_same_evidence(path: Path, tmp_path: Path) -> None:
    data = parse(path.read_text(encoding="utf-8"), path.name).data
    as_json = tmp_path / (path.stem + ".json")
    as_json.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    assert load_evidence(str(as_json)) == load_evidence(str(path))


def test_schema_command_matches_committed_schema_file() -> None:
    result = run_cli("schema")
    assert result.returncode == 0
    committed = (ROOT / "schema" / "evidence-v1.schema.json").read_text(encoding="utf-8")
    assert result.stdout == committed, "run: gradecli schema > schema/evidence-v1.schema.json"


def test_schema_rejects_what_the_loader_rejects_structurally() -> None:
    validator = jsonschema.Draft202012Validator(evidence_schema())
    bad = {
        "gradecli": 1,
        "review": {"title": "X"},
        "outcomes": [{"id": "x", "name": "X", "importance": "vital", "type": "dichotomous", "data": []}],
    }
    assert list(validator.iter_errors(bad))
    with pytest.raises(Exception, match="not one of"):
        parse_evidence(json.dumps(bad), "x.json")
