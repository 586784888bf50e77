"""``gradecli import csv``: one-row-per-study data (the ``gradecli meta`` CSV forms) → evidence file.

An optional ``outcome`` column splits the rows into outcomes; each outcome's rows are checked by
:func:`gradecli.io.study_csv.read_study_csv` (errors point at the line of the original file).
"""

from __future__ import annotations

import csv
import io
import os

from gradecli.io.study_csv import read_study_csv
from gradecli.io.writer import EvidenceDoc
from gradecli.problems import InputError, Problem
from gradecli.stats.analysis import BinaryData, ContinuousData


def _csv_error(exc: Exception) -> str:
    """The csv module's complaint, in words: its field size limit is 131,072 characters."""
    if "field larger than field limit" in str(exc):
        return f"a field is longer than {csv.field_size_limit():,} characters, the most gradecli reads"
    return f"cannot read the CSV: {exc}"


TYPES = {
    "BinaryData": ("dichotomous", "RR"),
    "ContinuousData": ("continuous", "MD"),
    "GenericData": ("generic", "GENERIC"),
}


MAX_NAME = 10_000
"""Longest study label or outcome name an evidence file holds (characters)."""


def _cells(path: str, line: str, lineno: int) -> list[str]:
    """The fields of one CSV line; a CSV the csv module cannot read (a field over its size limit)
    is an :class:`InputError` at that line."""
    try:
        return next(csv.reader([line]), [])
    except csv.Error as exc:
        raise InputError.single(path, _csv_error(exc), lineno, 1) from None


def _groups(path: str) -> list[tuple[str | None, str, list[int]]]:
    """(outcome, CSV text of that outcome's rows, original line numbers of the text's lines)."""
    from gradecli.io.source import read_text

    text = read_text(path)
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise InputError.single(path, "empty file: expected a header such as study,events_t,n_t,events_c,n_c")
    header = _cells(path, lines[first], first + 1)
    names = [h.strip().lower() for h in header]
    if "outcome" not in names:
        return [(None, text, list(range(1, len(lines) + 1)))]
    col = names.index("outcome")
    groups: dict[str, tuple[list[str], list[int]]] = {}
    for i in range(first + 1, len(lines)):
        if not lines[i].strip():
            continue
        cells = _cells(path, lines[i], i + 1)
        key = cells[col].strip() if col < len(cells) else ""
        if not key:
            raise InputError.single(path, "empty outcome", i + 1, 1)
        if len(key) > MAX_NAME:
            raise InputError.single(
                path, f"outcome name of {len(key):,} characters; the limit is {MAX_NAME:,}", i + 1, 1, "outcome"
            )
        g = groups.setdefault(key, ([lines[first]], [first + 1]))
        g[0].append(lines[i])
        g[1].append(i + 1)
    return [(k, "\n".join(v[0]) + "\n", v[1]) for k, v in groups.items()]


def _label_line(text: str, label: str, linenos: list[int]) -> int:
    """The original line number of the row holding ``label`` (0 when not found)."""
    for i, line in enumerate(text.splitlines()):
        if label in line:
            return linenos[i] if i < len(linenos) else i + 1
    return 0


def csv_to_evidence(path: str, measure: str | None, title: str | None) -> tuple[EvidenceDoc, list[str], list[str]]:
    outcomes: list[dict[str, object]] = []
    studies: dict[str, None] = {}
    problems: list[Problem] = []
    for outcome, text, linenos in _groups(path):
        try:
            data = read_study_csv(path, text)
        except InputError as exc:
            for p in exc.problems:
                line = linenos[p.line - 1] if 0 < p.line <= len(linenos) else p.line
                problems.append(Problem(path, line, p.col, p.path, p.message))
            continue
        kind, default = TYPES[type(data).__name__]
        m = (measure or default).upper()
        rows: list[dict[str, object]] = []
        for i, label in enumerate(data.labels):
            if len(label) > MAX_NAME:
                problems.append(
                    Problem(
                        path,
                        _label_line(text, label, linenos),
                        1,
                        "study",
                        f"study label of {len(label):,} characters; the limit is {MAX_NAME:,}",
                    )
                )
                continue
            studies.setdefault(label)
            if isinstance(data, BinaryData):
                rows.append(
                    {
                        "study": label,
                        "events_t": int(data.events_t[i]),
                        "n_t": int(data.n_t[i]),
                        "events_c": int(data.events_c[i]),
                        "n_c": int(data.n_c[i]),
                    }
                )
            elif isinstance(data, ContinuousData):
                rows.append(
                    {
                        "study": label,
                        "mean_t": float(data.mean_t[i]),
                        "sd_t": float(data.sd_t[i]),
                        "n_t": int(data.n_t[i]),
                        "mean_c": float(data.mean_c[i]),
                        "sd_c": float(data.sd_c[i]),
                        "n_c": int(data.n_c[i]),
                    }
                )
            else:
                rows.append({"study": label, "yi": float(data.yi[i]), "sei": float(data.sei[i])})
        oid = outcome or "outcome-1"
        outcomes.append(
            {
                "id": oid,
                "name": outcome or os.path.splitext(os.path.basename(path))[0],
                "importance": "important",
                "type": kind,
                "measure": m,
                "data": rows,
            }
        )
    if problems:
        raise InputError(problems)
    from gradecli.io.source import safe_name

    path = safe_name(path)
    doc: EvidenceDoc = {
        "gradecli": 1,
        "review": {
            "title": title or os.path.splitext(os.path.basename(path))[0],
            "notes": f"Imported from {os.path.basename(path)}.",
        },
        "studies": [{"id": s, "design": "rct"} for s in studies],
        "outcomes": outcomes,
    }
    header = [
        f"Imported by gradecli from {os.path.basename(path)} ({len(outcomes)} outcomes, {len(studies)} studies).",
        "Needs the reviewer: the question, study designs (all set to rct) and risk of bias, outcome importance",
        "(all 'important'), thresholds, the analysis choice and judgements. See docs/import.md.",
        "",
    ]
    return doc, header, []


__all__ = ["csv_to_evidence", "io"]
