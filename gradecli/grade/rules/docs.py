"""docs/rules.md, generated from the rule registry and the shipped rule sets.

``gradecli rules docs > docs/rules.md`` regenerates it; tests/test_rules_docs.py fails when the
committed file differs from :func:`markdown`.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING

from pydantic import BaseModel

from gradecli.grade.rules import RULES, Rule, RuleSettings
from gradecli.grade.rules.base import SwitchableSettings

if TYPE_CHECKING:
    from gradecli.grade.ruleset import RuleSet

DOMAIN_TITLES = {
    "risk_of_bias": "Risk of bias",
    "inconsistency": "Inconsistency",
    "indirectness": "Indirectness",
    "imprecision": "Imprecision",
    "publication_bias": "Publication bias",
    "upgrades": "Rating up",
}

HEADER = """\
<!-- Generated from the rule registry (gradecli/grade/rules/) and the shipped rule sets (rules/*.yaml):
     do not edit by hand. Regenerate with `gradecli rules docs > docs/rules.md`
     (tests/test_rules_docs.py fails when this file is stale). -->
"""


def value_text(value: object) -> str:
    """A setting's value as it is written in a rule-set file (YAML flow style)."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value, "g")
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {value_text(v)}" for k, v in value.items()) + "}"
    return str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return f"`{text}`" if text else ""


def _settings_table(
    model: type[BaseModel], values: dict[str, BaseModel], names: list[str], header: str = "setting"
) -> list[str]:
    cols = " | ".join(f"in `{n}`" for n in names)
    out = [
        f"| {header} | default | description | {cols} |",
        "|" + "---|" * (3 + len(names)),
    ]
    for field, info in model.model_fields.items():
        default = info.get_default(call_default_factory=True)
        row = [_code(field), _code(value_text(default)), _cell(info.description or "")]
        row += [_code(value_text(getattr(values[n], field))) for n in names]
        out.append("| " + " | ".join(row) + " |")
    return out


def _rule_section(rule: type[Rule[RuleSettings]], sets: dict[str, RuleSet]) -> list[str]:
    names = list(sets)
    out = [
        f'<a id="{rule.code.lower()}"></a>',
        "",
        f"### {rule.code} — {rule.summary}",
        "",
        f"Domain: {DOMAIN_TITLES[rule.domain].lower()}.",
        "",
    ]
    out += [rule.doc(), ""]
    if not rule.configurable:
        out += ["A result of its domain: nothing to set in a rule set.", ""]
        return out
    if not rule.settings_model.model_fields:  # pragma: no cover - every configurable rule has a field
        return out
    out += [f"Settings (`rules: {{{rule.code}: {{...}}}}`):", ""]
    out += _settings_table(rule.settings_model, {n: rs.settings(rule) for n, rs in sets.items()}, names)
    out.append("")
    return out


def markdown() -> str:
    """The whole of docs/rules.md."""
    from gradecli.grade.domains import MODULES
    from gradecli.grade.ruleset import CertaintyRules, ScaleSettings, available, load_ruleset

    sets = {name: load_ruleset(name) for name in available()}
    names = list(sets)
    out = [HEADER, "# The GRADE rules", ""]
    out += [
        "gradecli proposes a rating for each GRADE domain with the rules below. Each rule has a stable code,",
        "printed beside every proposal with the measured facts and the threshold; each is one module of",
        "`gradecli/grade/rules/` (its settings, its documentation, and the one function that judges), and",
        "`gradecli rules show CODE [--rules NAME_OR_PATH]` prints one of them with the settings in force.",
        "A domain (`gradecli/grade/domains/`) asks its rules in order and combines their answers, as its",
        "section says. Everything a rule proposes is a proposal: the reviewer may change any domain under",
        "`judgements:` with a written reason.",
        "",
        "## Rule sets",
        "",
        "A rule set is a YAML file: the shipped ones are in `rules/`; write your own with `extends:` and",
        "use it with `--rules path/to/mine.yaml`. Settings are given per rule code (as yamllint's",
        "configuration is); `extends:` merges rule by rule and key by key, the child winning. A rule",
        "switched off with `enabled: false` leaves its domain *not assessed*, naming the rule set.",
        "",
        "```yaml",
        "name: mine",
        "extends: default",
        "description: Default, but sparse data below 150 participants and no small-study test.",
        "source: Our guideline panel, 2025.",
        "scale: {smd_threshold: 0.4}",
        "rules:",
        "  IMP-SPARSE: {sparse_participants: 150}",
        "  PUB-EGGER: {enabled: false}",
        "```",
        "",
        "| rule set | extends | description | source |",
        "|---|---|---|---|",
    ]
    for name, rs in sets.items():
        out.append(f"| `{name}` | {_code(rs.extends or '')} | {_cell(rs.description)} | {_cell(rs.source)} |")
    out += ["", "## Rules", "", "| code | domain | summary | " + " | ".join(f"`{n}`" for n in names) + " |"]
    out.append("|" + "---|" * (3 + len(names)))
    for rule in RULES:
        switchable = issubclass(rule.settings_model, SwitchableSettings)
        state = [("on" if rs.enabled(rule) else "off") if switchable else "(always)" for rs in sets.values()]
        out.append(
            f"| [{rule.code}](#{rule.code.lower()}) | {DOMAIN_TITLES[rule.domain].lower()} | "
            f"{_cell(rule.summary)} | " + " | ".join(state) + " |"
        )
    out += [
        "",
        "on/off: whether the rule set runs the rule (`enabled`); (always): a result of its domain",
        '("not assessed", "not applicable") or a rule that cannot be switched off.',
        "",
    ]
    out += ["## The judging scale", "", inspect.cleandoc(ScaleSettings.__doc__ or ""), ""]
    out += _settings_table(ScaleSettings, {n: rs.scale for n, rs in sets.items()}, names, "`scale:`")
    out += ["", "## Certainty", "", inspect.cleandoc(CertaintyRules.__doc__ or ""), ""]
    out += _settings_table(CertaintyRules, {n: rs.certainty for n, rs in sets.items()}, names, "`certainty:`")
    out.append("")
    for domain, title in DOMAIN_TITLES.items():
        doc = inspect.cleandoc(MODULES[domain].__doc__ or "")
        body = doc.split("\n", 1)[1].strip() if "\n" in doc else ""
        out += [f"## {title}", ""]
        if body:
            out += [body, ""]
        for rule in RULES:
            if rule.domain == domain:
                out += _rule_section(rule, sets)
    return "\n".join(out).rstrip("\n") + "\n"
