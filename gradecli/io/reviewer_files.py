"""Each reviewer's judgments in a file of their own (``reviewer_files:`` of an evidence file).

A path is relative to the evidence file's folder and may not lead out of it
(:mod:`gradecli.io.paths`); each file is read with the same limits as an evidence file and reported
at its own ``FILE:LINE:COL``. The judgments are appended to the evidence's ``reviewer_judgements``
(inline entries first, then the files in the order listed), and the reviewers' cross-checks
(:mod:`gradecli.model.reviewer_checks`) run over all of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from gradecli.collector import paused_gc
from gradecli.io.tree import Tree, parse
from gradecli.model.evidence import Evidence
from gradecli.model.reviewer_checks import check_reviewers
from gradecli.model.reviewers import JUDGEMENTS_FORMAT, ReviewerJudgements
from gradecli.problems import InputError, Problem, format_path

MARKER = "gradecli-judgements"


Reader = Callable[[str], str]
"""Reads a reviewer file given as written in the evidence file (e.g. at a git revision)."""


def with_reviewer_files(evidence: Evidence, tree: Tree, path: str, read: Reader | None = None) -> Evidence:
    """``evidence`` with the judgments of its ``reviewer_files`` added, every reviewer cross-checked.
    ``read``: how to read a reviewer file (the path as written, already checked to be relative and
    inside the folder); by default from the disk beside ``path``."""
    if not (evidence.reviewers or evidence.reviewer_files or evidence.reviewer_judgements or evidence.consensus):
        return evidence
    name = "<stdin>" if path == "-" else path
    folder = Path.cwd() if path == "-" else Path(path).parent
    judgements = list(evidence.reviewer_judgements)
    sources: list[tuple[str, Tree, tuple[str | int, ...]]] = [
        (name, tree, ("reviewer_judgements", i)) for i in range(len(judgements))
    ]
    for i, ref in enumerate(evidence.reviewer_files):
        shown = ref if path == "-" else os.path.join(os.path.dirname(path), ref)
        rtree, judged = _read(ref, shown, folder, name, tree, i, read)
        judgements.append(judged)
        sources.append((shown, rtree, ()))
    found = check_reviewers(evidence, judgements)
    if found:
        problems = []
        for source, loc, message in found:
            file, t, prefix = (name, tree, ()) if source is None else sources[source]
            line, col = t.mark((*prefix, *loc))
            problems.append(Problem(file, line, col, format_path((*prefix, *loc)), message))
        raise InputError(problems)
    if not evidence.reviewer_files:
        return evidence
    return evidence.model_copy(update={"reviewer_judgements": judgements})


def _read(
    ref: str, shown: str, folder: Path, name: str, tree: Tree, i: int, read: Reader | None
) -> tuple[Tree, ReviewerJudgements]:
    from gradecli.io.paths import PathOutsideError, check_relative, resolve_inside
    from gradecli.io.source import read_text

    line, col = tree.mark(("reviewer_files", i))
    field = f"reviewer_files[{i}]"
    if read is not None:
        problem = check_relative(ref)
        if problem:
            raise InputError.single(name, problem, line, col, field)
        text = read(ref)
    else:
        try:
            resolved = resolve_inside(ref, folder)
        except PathOutsideError as exc:
            raise InputError.single(name, str(exc), line, col, field) from None
        if not resolved.is_file():
            what = "not a regular file" if resolved.exists() else "no such file"
            message = f"{ref!r}: {what} of judgments (relative to this file)"
            raise InputError.single(name, message, line, col, field)
        text = read_text(str(resolved))
    with paused_gc():
        rtree = parse(text, shown, json_syntax=True if ref.endswith(".json") else None)
        data = rtree.data
        if not isinstance(data, dict) or MARKER not in data:
            raise InputError.single(
                shown, f"not a reviewer's judgments file: it starts with `{MARKER}: {JUDGEMENTS_FORMAT}`", 1, 1
            )
        try:
            judged = ReviewerJudgements.model_validate(data)
        except ValidationError as exc:
            from gradecli.io.validation_errors import problems_from

            raise InputError(problems_from(exc, ReviewerJudgements, rtree, shown)) from None
    return rtree, judged
