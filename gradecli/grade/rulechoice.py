"""Which rule set applies — the one function every command and the library call
(:func:`gradecli.pipeline.choose_rules` re-exports it):

1. ``--rules`` on the command line (or the ``rules=`` argument of :func:`gradecli.assess`);
2. the evidence file's ``defaults.rules`` (a shipped name, or a path relative to the file);
3. ``rules:`` in the repository's ``.gradecli.yaml`` (the command line looks it up; the library
   call does not);
4. ``default``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from gradecli.model.evidence import Evidence

Source = Literal["command line", "evidence file", ".gradecli.yaml", "default"]

__all__ = ["RuleChoice", "Source", "choose_rules"]


@dataclass(frozen=True)
class RuleChoice:
    """The rule set that applies (a shipped name or a path) and where that choice came from."""

    ref: str
    source: Source


def choose_rules(cli: str | None, evidence: Evidence | None, config: str | None) -> RuleChoice:
    """The precedence above: command line > evidence file > ``.gradecli.yaml`` > default."""
    if cli:
        return RuleChoice(cli, "command line")
    if evidence is not None and evidence.defaults.rules:
        return RuleChoice(evidence.defaults.rules, "evidence file")
    if config:
        return RuleChoice(config, ".gradecli.yaml")
    return RuleChoice("default", "default")
