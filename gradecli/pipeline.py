"""The one path from a file to an Assessment, shared by every command: which rule set applies,
loading it once, and assessing.

Which rule set applies (the same answer for ``assess``, ``check``, ``report``, ``plot`` and ``diff``):

1. ``--rules`` on the command line;
2. the evidence file's ``defaults.rules`` (a shipped name, or a path relative to the file);
3. ``rules:`` in the repository's ``.gradecli.yaml`` (looked up from the working folder upwards to
   the repository root; a path there is relative to the config file);
4. ``default``.

Data flows one way: file → :mod:`gradecli.io` → :mod:`gradecli.model` → :mod:`gradecli.stats` →
:mod:`gradecli.grade` → the :class:`~gradecli.grade.assessment.Assessment` → renderers, which read
the Assessment only.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gradecli.grade.rulechoice import RuleChoice, choose_rules

if TYPE_CHECKING:
    from gradecli.check.config import CheckConfig
    from gradecli.check.run import FileResult
    from gradecli.grade.assessment import Assessment
    from gradecli.grade.ruleset import RuleSet
    from gradecli.io.tree import Tree
    from gradecli.model.evidence import Evidence

__all__ = [
    "RuleChoice",
    "RuleSets",
    "check_file",
    "choose_rules",
    "config_rules",
    "load_and_assess",
    "load_config",
    "rule_set_inputs",
]


def rule_set_inputs(*refs: str | None, config_path: Path | None = None) -> list[str]:
    """The files among rule-set references (names of shipped rule sets are not files) and the
    repository's config: inputs too, so that no ``--output`` may write over them."""
    from gradecli.io.paths import looks_like_path

    found: list[str] = []
    for ref in refs:
        if ref and looks_like_path(ref):
            found.append(ref)
            found.extend(_extended(Path(ref)))
    return found + ([str(config_path)] if config_path is not None else [])


def _extended(path: Path) -> list[str]:
    """The rule-set files that ``path`` reaches through ``extends:`` (parents, grandparents …): inputs
    as much as the file named on the command line. Best effort and never an error — a file that cannot
    be read or parsed, a shipped name, a path that leads out of the folder, a loop all end the chain
    (loading the rule set reports them properly); at most ``MAX_EXTENDS_DEPTH`` + 1 levels."""
    from gradecli.grade.ruleset import MAX_EXTENDS_DEPTH
    from gradecli.io.paths import looks_like_path, resolve_inside
    from gradecli.io.source import read_text
    from gradecli.io.tree import parse

    found: list[str] = []
    seen: set[str] = set()
    for _ in range(MAX_EXTENDS_DEPTH + 1):
        try:
            key = os.path.realpath(path)
            if key in seen or not path.is_file():
                break
            seen.add(key)
            data = parse(read_text(str(path)), str(path), json_syntax=False).data
        except Exception:  # unreadable, too big, not YAML: loading the rule set says why
            break
        parent = data.get("extends") if isinstance(data, dict) else None
        if not isinstance(parent, str) or not parent or not looks_like_path(parent):
            break  # no parent, or a shipped rule set by name
        try:
            path = resolve_inside(parent, path.parent)
        except (ValueError, OSError):
            break
        found.append(str(path))
    return found


def load_config(start: Path | None = None) -> tuple[CheckConfig, Path | None]:
    """The repository's ``.gradecli.yaml`` (found from ``start``, default the working folder) and its
    path; an empty configuration when there is none. Raises InputError for a broken one."""
    from gradecli.check.config import CheckConfig, find_config
    from gradecli.check.config import load_config as read_config

    found = find_config(start or Path.cwd())
    return (read_config(found) if found else CheckConfig()), found


def config_rules(start: Path | None = None) -> str | None:
    """``rules:`` of the repository's ``.gradecli.yaml``, resolved against its folder (None without)."""
    return load_config(start)[0].rules


@dataclass
class RuleSets:
    """Rule sets loaded once per reference (``check`` over many files shares them)."""

    loaded: dict[str, RuleSet] = field(default_factory=dict)

    def get(self, ref: str) -> RuleSet:
        from gradecli.grade.ruleset import load_ruleset

        found = self.loaded.get(ref)
        if found is None:
            found = self.loaded[ref] = load_ruleset(ref)
        return found

    def for_evidence(self, cli: str | None, evidence: Evidence | None, config: str | None) -> RuleSet:
        return self.get(choose_rules(cli, evidence, config).ref)


def load_and_assess(
    path: str,
    text: str | None = None,
    *,
    cli_rules: str | None = None,
    config: str | None = None,
    rulesets: RuleSets | None = None,
    read: Callable[[str], str] | None = None,
) -> tuple[Evidence, Tree, RuleSet, Assessment]:
    """Load an evidence file (``text`` when already read; ``read`` for its reviewers' files when they
    are not beside it on the disk), choose its rule set and assess it.
    Raises InputError (bad file or rule set) and NotEvidenceError (not an evidence file)."""
    from gradecli.collector import paused_gc
    from gradecli.grade.engine import assess
    from gradecli.io.evidence import load_evidence_tree

    with paused_gc():  # the collector runs between files, not while one is read and assessed
        evidence, tree = load_evidence_tree(path, text, read)
        ruleset = (rulesets or RuleSets()).for_evidence(cli_rules, evidence, config)
        return evidence, tree, ruleset, assess(evidence, ruleset)


def check_file(
    path: str,
    text: str | None,
    severities: dict[str, str],
    *,
    cli_rules: str | None = None,
    config: str | None = None,
    rulesets: RuleSets | None = None,
) -> FileResult:
    """``gradecli check`` of one file: validate it, assess it under the rule set that applies to it
    (:func:`choose_rules`, so a file's own ``defaults.rules`` is honoured as ``assess`` honours it),
    and turn what needs a reviewer's attention into findings."""
    try:
        return _check_file(path, text, severities, cli_rules=cli_rules, config=config, rulesets=rulesets)
    except Exception as exc:  # a bug: this file becomes a finding of its own; the other files are still checked
        import os

        if os.environ.get("GRADECLI_DEBUG"):
            raise
        from gradecli.check.findings import make
        from gradecli.check.run import FileResult

        detail = " ".join(str(exc).split())[:300]
        found = make(
            "<stdin>" if path == "-" else path,
            0,
            0,
            "GC000",
            f"internal error while checking this file: {type(exc).__name__}: {detail} "
            "(a bug; set GRADECLI_DEBUG=1 for the traceback and please report it)",
        )
        return FileResult(path, "crashed", [found] if found else [])


def _check_file(
    path: str,
    text: str | None,
    severities: dict[str, str],
    *,
    cli_rules: str | None,
    config: str | None,
    rulesets: RuleSets | None,
) -> FileResult:
    from gradecli.check.findings import make
    from gradecli.check.run import FileResult, assessment_findings
    from gradecli.io.evidence import NotEvidenceError
    from gradecli.problems import InputError

    try:
        evidence, tree, _, assessment = load_and_assess(
            path, text, cli_rules=cli_rules, config=config, rulesets=rulesets
        )
    except NotEvidenceError as exc:
        return FileResult(path, "skipped", reason=exc.problems[0].message)
    except InputError as exc:
        unreadable = all(p.line == 0 for p in exc.problems) and exc.problems[0].message.startswith(
            ("no such file", "permission denied", "cannot read", "is a directory")
        )
        findings = [
            make(p.file, p.line, p.col, p.code, (f"{p.path}: " if p.path else "") + p.message, severities=severities)
            for p in exc.problems
        ]
        return FileResult(path, "unreadable" if unreadable else "invalid", [f for f in findings if f])
    name = "<stdin>" if path == "-" else path
    found = [f for f in assessment_findings(name, tree, assessment, severities) if f is not None]
    return FileResult(name, "valid", found, outcomes=len(evidence.outcomes))
