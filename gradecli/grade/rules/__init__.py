"""The GRADE rules: one module per rule code, as yamllint's rules are.

Each module holds one rule class (its code, domain, settings model, documentation and ``judge``
function; see :mod:`gradecli.grade.rules.base`) and names it ``RULE``. This registry lists the
modules, one line per rule, in the order ``gradecli rules list`` and docs/rules.md show them. The
domain modules (:mod:`gradecli.grade.domains`) ask their rules in their own order and combine the
answers.

Adding a rule touches: its new module here, one line below, one line of rule-set data in
``rules/default.yaml`` (its settings, when it has any), and its test file ``tests/test_rules_*.py``
— then ``gradecli rules docs > docs/rules.md`` and ``gradecli schema --output rules >
schema/rules.schema.json`` regenerate the documentation and the schema.
"""

from __future__ import annotations

import importlib

from gradecli.grade.rules.base import Rule, RuleSettings

REGISTRY = (
    "rob_weight",  # ROB-WEIGHT
    "rob_none",  # ROB-NONE
    "rob_summary",  # ROB-SUMMARY
    "rob_amstar",  # ROB-AMSTAR
    "inc_i2",  # INC-I2
    "inc_straddle",  # INC-STRADDLE
    "inc_single",  # INC-SINGLE
    "inc_none",  # INC-NONE
    "ind_not_assessed",  # IND-NOT-ASSESSED
    "imp_cross",  # IMP-CROSS
    "imp_relative",  # IMP-RELATIVE
    "imp_events",  # IMP-EVENTS
    "imp_sparse",  # IMP-SPARSE
    "imp_ois",  # IMP-OIS
    "imp_bands",  # IMP-BANDS
    "imp_none",  # IMP-NONE
    "pub_egger",  # PUB-EGGER
    "pub_uninformative",  # PUB-UNINFORMATIVE
    "pub_few",  # PUB-FEW
    "pub_funding",  # PUB-FUNDING
    "pub_registry",  # PUB-REGISTRY
    "up_large",  # UP-LARGE
    "up_judged",  # UP-JUDGED
)


def _load(name: str) -> type[Rule[RuleSettings]]:
    module = importlib.import_module(f"{__name__}.{name}")
    rule = getattr(module, "RULE", None)
    if not (isinstance(rule, type) and issubclass(rule, Rule)):
        raise TypeError(f"{module.__name__} names no rule class as RULE")
    return rule


RULES: tuple[type[Rule[RuleSettings]], ...] = tuple(_load(name) for name in REGISTRY)
BY_CODE: dict[str, type[Rule[RuleSettings]]] = {r.code: r for r in RULES}
CONFIGURABLE: tuple[type[Rule[RuleSettings]], ...] = tuple(r for r in RULES if r.configurable)
"""The rules a rule set can set (``rules: {CODE: {...}}``); the others are results of their domain."""

__all__ = ["BY_CODE", "CONFIGURABLE", "REGISTRY", "RULES", "Rule", "RuleSettings"]
