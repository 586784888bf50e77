"""One module per GRADE domain. Each module's docstring is its documentation; ``RULES`` maps each
stable rule code to a one-line summary; ``propose(ctx, rules, scale)`` returns a Proposal."""

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
    """code -> (domain, summary)."""
    out: dict[str, tuple[str, str]] = {}
    for domain, module in MODULES.items():
        for code, summary in module.RULES.items():
            out[code] = (domain, summary)
    return out
