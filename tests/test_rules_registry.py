"""The rule registry (gradecli/grade/rules/__init__.py): every rule code is a unit with its
documentation, typed settings, one line of rule-set data and a test file; docs/rules.md and
schema/rules.schema.json are generated from it and must be up to date."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import ValidationError

from conftest import ROOT, run_cli
from gradecli.grade.rules import BY_CODE, CONFIGURABLE, REGISTRY, RULES
from gradecli.grade.rules.base import SwitchableSettings

CODES = [
    "ROB-WEIGHT", "ROB-NONE", "ROB-SUMMARY", "ROB-AMSTAR",
    "INC-I2", "INC-STRADDLE", "INC-SINGLE", "INC-NONE",
    "IND-NOT-ASSESSED",
    "IMP-CROSS", "IMP-RELATIVE", "IMP-EVENTS", "IMP-SPARSE", "IMP-OIS", "IMP-BANDS", "IMP-NONE",
    "PUB-EGGER", "PUB-UNINFORMATIVE", "PUB-FEW", "PUB-FUNDING", "PUB-REGISTRY",
    "UP-LARGE", "UP-JUDGED",
]  # fmt: skip
IDS = [r.code for r in RULES]
SHIPPED = ("default", "strict", "pollock-2016", "core-grade")


def test_every_code_is_registered_in_order():
    assert [r.code for r in RULES] == CODES
    assert list(BY_CODE) == CODES


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_one_module_one_test_file_per_rule(rule):
    module = rule.code.lower().replace("-", "_")
    assert rule.__module__ == f"gradecli.grade.rules.{module}" and module in REGISTRY
    assert (ROOT / "tests" / f"test_rules_{module}.py").is_file()
    assert rule.domain in {
        "risk_of_bias",
        "inconsistency",
        "indirectness",
        "imprecision",
        "publication_bias",
        "upgrades",
    }
    assert rule.summary and not rule.summary.endswith(".")


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_documentation_has_sources_choices_and_examples(rule):
    doc = rule.doc()
    for part in ("Sources: ", "gradecli's choices: ", "PASS", "FAIL"):
        assert part in doc, f"{rule.code}: no {part!r} in its docstring"
    sources = doc.split("Sources: ", 1)[1].split("gradecli's choices: ", 1)[0]
    # a GRADE paper with journal, year and pages, a DOI, or a Handbook section
    assert re.search(r"doi:10\.\d{4,}/|§\d", sources), rule.code


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_settings_are_frozen_closed_and_described(rule):
    model = rule.settings_model
    assert model.model_config.get("frozen") and model.model_config.get("extra") == "forbid"
    defaults = model()
    with pytest.raises(ValidationError):
        model.model_validate({"no_such_setting": 1})
    with pytest.raises(ValidationError):
        defaults.__setattr__("enabled", False)  # frozen (and, for domain results, no such field)
    for name, field in model.model_fields.items():
        assert field.description, f"{rule.code}.{name} has no description"
    if rule.configurable and rule.code not in ("INC-NONE",):
        assert issubclass(model, SwitchableSettings), f"{rule.code} cannot be switched off"
    if not rule.configurable:
        assert not model.model_fields


def test_every_configurable_rule_has_one_line_of_data_in_the_default_rule_set():
    text = (ROOT / "rules" / "default.yaml").read_text(encoding="utf-8")
    for rule in CONFIGURABLE:
        lines = [line for line in text.splitlines() if line.startswith(f"  {rule.code}: {{")]
        assert len(lines) == 1, rule.code
    for rule in RULES:
        if not rule.configurable:
            assert f"  {rule.code}:" not in text


@pytest.mark.parametrize("rule", CONFIGURABLE, ids=[r.code for r in CONFIGURABLE])
def test_the_default_rule_set_is_the_rules_defaults(rule):
    import gradecli

    assert gradecli.load_rules("default").settings(rule) == rule.settings_model(), rule.code


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_rule_set_loads_and_sets_every_rule(name):
    import gradecli

    rules = gradecli.load_rules(name)
    assert rules.name == name and rules.description and rules.source
    for rule in CONFIGURABLE:
        assert isinstance(rules.settings(rule), rule.settings_model), (name, rule.code)


def test_which_shipped_rule_set_runs_which_imprecision_rule():
    import gradecli

    on = {
        name: {r.code for r in CONFIGURABLE if r.domain == "imprecision" and gradecli.load_rules(name).enabled(r)}
        for name in SHIPPED
    }
    core = {"IMP-CROSS", "IMP-RELATIVE", "IMP-EVENTS", "IMP-OIS"}
    assert on["default"] == core and on["core-grade"] == core
    assert on["strict"] == core | {"IMP-SPARSE"}
    assert on["pollock-2016"] == {"IMP-BANDS"}


def test_imp_events_is_documented_and_configurable():
    rule = BY_CODE["IMP-EVENTS"]
    assert rule.domain == "imprecision" and rule.configurable
    assert rule.settings_model().min_events == 10
    text = (ROOT / "rules" / "default.yaml").read_text(encoding="utf-8")
    assert "  IMP-EVENTS: {min_events: 10}" in text.splitlines()


@pytest.mark.parametrize("code", CODES)
def test_rules_show_prints_that_rule_alone(code):
    from click.testing import CliRunner

    from gradecli.commands.rules import rules

    result = CliRunner().invoke(rules, ["show", code.lower()])
    assert result.exit_code == 0, result.output
    first_line = BY_CODE[code].doc().splitlines()[0]
    assert result.output.startswith(f"{code}: {BY_CODE[code].summary}\n") and first_line in result.output
    others = [c for c in CODES if c != code and f"\n{c}: " in result.output]
    assert not others


def test_rules_show_settings_in_force_under_a_rule_set():
    from click.testing import CliRunner

    from gradecli.commands.rules import rules

    out = CliRunner().invoke(rules, ["show", "IMP-SPARSE", "--rules", "strict"]).output
    assert "rule set: strict (enabled)" in out and "sparse_participants: 200   (default: 100)" in out
    out = CliRunner().invoke(rules, ["show", "IMP-OIS", "--rules", "strict"]).output
    assert "always: true   (default: false)" in out
    out = CliRunner().invoke(rules, ["show", "IMP-EVENTS", "--rules", "pollock-2016"]).output
    assert "rule set: pollock-2016 (switched off by pollock-2016)" in out
    out = CliRunner().invoke(rules, ["show", "PUB-EGGER", "--rules", "pollock-2016"]).output
    assert "rule set: pollock-2016 (switched off by pollock-2016)" in out and "enabled: false" in out
    assert "§13.3.5.4" in out and "k − 2" in out
    out = CliRunner().invoke(rules, ["show", "IMP-CROSS"]).output
    assert "The judging scale under the rule set default" in out and "relative_threshold_low: 0.75" in out


def test_rules_show_escapes_what_the_rule_set_file_says(tmp_path):
    odd = tmp_path / "odd.yaml"
    odd.write_text(
        'name: "[bold]x[/] \\x1b[2J"\ndescription: "[red]d[/] \\u2028"\nrules: {PUB-EGGER: {enabled: false}}\n'
    )
    result = run_cli("rules", "show", "PUB-EGGER", "--rules", str(odd))
    assert result.returncode == 0, result.stderr
    assert "rule set: [bold]x[/] \\x1b[2J (switched off by [bold]x[/] \\x1b[2J)" in result.stdout
    assert "\x1b" not in result.stdout
    bad = run_cli("rules", "show", "PUB-EGGER", "--rules", str(tmp_path / "none.yaml"))
    assert bad.returncode == 2 and "no such rule set" in bad.stderr


def test_rules_list_names_every_code():
    result = run_cli("rules", "list")
    assert result.returncode == 0
    for code in CODES:
        assert f"  {code} " in result.stdout


def test_docs_rules_md_is_up_to_date():
    from gradecli.grade.rules.docs import markdown

    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == markdown(), "docs/rules.md is stale: run `gradecli rules docs > docs/rules.md`"
    for code in CODES:
        assert f"### {code} — " in committed
    assert committed.splitlines()[0].startswith("<!-- Generated")


def test_rules_schema_is_up_to_date_and_describes_every_property():
    result = run_cli("schema", "--output", "rules")
    assert result.returncode == 0
    committed = (ROOT / "schema" / "rules.schema.json").read_text(encoding="utf-8")
    assert result.stdout == committed, "run: gradecli schema --output rules > schema/rules.schema.json"
    schema = json.loads(committed)
    missing = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for name, prop in (node.get("properties") or {}).items():
                if not (isinstance(prop, dict) and prop.get("description")):
                    missing.append(f"{where}.{name}")
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]")

    walk(schema, "$")
    assert not missing
    assert set(schema["$defs"]["RuleSettingsByCode"]["properties"]) == {r.code for r in CONFIGURABLE}
