"""One module per GRADE domain. Each module's docstring says how the domain combines its rules
(:mod:`gradecli.grade.rules`, one module per rule code); ``propose(ctx, rules, scale)`` returns the
domain's Proposal."""

from __future__ import annotations

from gradecli.grade.domains import (
    imprecision,
    inconsistency,
    indirectness,
    publication_bias,
    risk_of_bias,
    upgrades,
)

MODULES = {
    "risk_of_bias": risk_of_bias,
    "inconsistency": inconsistency,
    "indirectness": indirectness,
    "imprecision": imprecision,
    "publication_bias": publication_bias,
    "upgrades": upgrades,
}


def all_rules() -> dict[str, tuple[str, str]]:
    """code -> (domain, summary), in the registry's order."""
    from gradecli.grade.rules import RULES

    return {r.code: (r.domain, r.summary) for r in RULES}
