"""gradecli: assess the certainty of evidence with GRADE.

The command line is a thin layer over this package: ``gradecli.load(path)`` reads an evidence
file into validated models (see :mod:`gradecli.model`); ``gradecli.assess(evidence, rules=...)``
proposes GRADE ratings and returns an :class:`~gradecli.grade.assessment.Assessment`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gradecli._version import __version__

if TYPE_CHECKING:
    from gradecli.grade.assessment import Assessment
    from gradecli.grade.ruleset import RuleSet
    from gradecli.model.evidence import Evidence

__all__ = ["__version__", "assess", "load", "load_rules"]


def load(path: str) -> Evidence:
    """Load and validate an evidence file (YAML or JSON). Raises :class:`gradecli.problems.InputError`."""
    from gradecli.io.evidence import load_evidence

    return load_evidence(path)


def assess(evidence: Evidence | str, rules: RuleSet | str | None = None) -> Assessment:
    """Assess an evidence file (a loaded :class:`Evidence` or a path) under a rule set: a name
    in ``rules/``, a path, or a loaded :class:`RuleSet`. Default: the file's ``defaults.rules``,
    else ``default``."""
    from gradecli.grade.engine import assess as _assess

    if isinstance(evidence, str):
        evidence = load(evidence)
    return _assess(evidence, rules)


def load_rules(ref: str = "default") -> RuleSet:
    """Load a rule set by name (``rules/NAME.yaml``) or path, following ``extends:``."""
    from gradecli.grade.ruleset import load_ruleset

    return load_ruleset(ref)
