"""robvis summary tables (R package robvis): read, merge into an evidence file, write.

Layout (positional, as robvis reads it): column 1 the study, then one column per domain, then
``Overall``, then an optional numeric ``Weight``. Judgments are full words, case- and
space-insensitive, per tool: RoB 2 Low / Some concerns / High; ROBINS-I Low / Moderate / Serious /
Critical / No information; RoB 1 Low / Unclear / High. Single letters are refused as ambiguous
("s" is Serious under ROBINS-I but Some concerns under RoB 2).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from gradecli.model.vocab import JUDGMENT_WORDS, TOOL_JUDGMENTS
from gradecli.problems import InputError, Problem


def _csv_error(exc: Exception) -> str:
    """The csv module's complaint, in words: its field size limit is 131,072 characters."""
    if "field larger than field limit" in str(exc):
        return f"a field is longer than {csv.field_size_limit():,} characters, the most gradecli reads"
    return f"cannot read the CSV: {exc}"


DOMAINS = {
    "rob2": ("randomisation", "deviations", "missing_data", "measurement", "reported_result"),
    "robins-i": (
        "confounding",
        "selection",
        "classification",
        "deviations",
        "missing_data",
        "measurement",
        "reported_result",
    ),
    "rob1": (
        "sequence_generation",
        "allocation_concealment",
        "blinding_participants",
        "blinding_outcome",
        "incomplete_data",
        "selective_reporting",
        "other",
    ),
}
ROB1_HEADERS = (
    "Random.sequence.generation",
    "Allocation.concealment",
    "Blinding.of.participants.and.personnel",
    "Blinding.of.outcome.assessment",
    "Incomplete.outcome.data",
    "Selective.reporting",
    "Other.sources.of.bias",
)


MAX_STUDY = 10_000
"""Longest study id an evidence file holds (characters)."""


@dataclass
class RobRow:
    study: str
    domains: dict[str, str]
    overall: str
    weight: str | None
    line: int


@dataclass
class RobTable:
    file: str
    tool: str
    rows: list[RobRow]
    has_weight: bool


def _judgment(cell: str, tool: str) -> str | None:
    key = "_".join(cell.strip().lower().replace("-", " ").split())
    if key in ("", "na", "not_applicable"):
        return None
    if key == "low_risk":
        key = "low"
    if key == "high_risk":
        key = "high"
    if key in TOOL_JUDGMENTS[tool]:
        return key
    raise ValueError(cell)


def read_robvis(path: str, tool: str) -> RobTable:
    from gradecli.io.source import read_text

    text = read_text(path)
    # newline="": a line may end in LF, CRLF or CR alone (old Mac files); each row keeps the line it
    # started on, so problems point at the right line even after blank lines or quoted line breaks
    reader = csv.reader(io.StringIO(text, newline=""))
    numbered: list[tuple[int, list[str]]] = []
    try:
        start = 1
        for r in reader:
            numbered.append((start, r))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError.single(path, _csv_error(exc), reader.line_num or 1, 1) from None
    while numbered and not any(c.strip() for c in numbered[-1][1]):
        numbered.pop()
    while numbered and not any(c.strip() for c in numbered[0][1]):
        numbered.pop(0)  # blank lines before the header
    if not numbered:
        raise InputError.single(path, "empty file: expected a header Study,D1,...,Overall")
    hline = numbered[0][0]
    rows = [r for _, r in numbered]
    header = [h.strip() for h in rows[0]]
    has_weight = header[-1].lower() == "weight"
    n_dom = len(header) - 2 - has_weight
    if len(header) < 3 or header[1 + n_dom].lower() != "overall":
        raise InputError.single(
            path, "header must be Study, one column per domain, Overall[, Weight] (robvis layout)", hline, 1
        )
    want = len(DOMAINS[tool])
    if n_dom != want:
        raise InputError.single(path, f"{tool} has {want} domains, but the header has {n_dom} domain columns", hline, 1)
    problems: list[Problem] = []
    out: list[RobRow] = []
    seen: set[str] = set()
    for i, r in numbered[1:]:
        if not any(c.strip() for c in r):
            continue
        if len(r) != len(header):
            problems.append(Problem(path, i, 1, "", f"{len(r)} columns, but the header has {len(header)}"))
            continue
        study = r[0].strip()
        if not study:
            problems.append(Problem(path, i, 1, "Study", "empty study label"))
            continue
        if len(study) > MAX_STUDY:
            problems.append(
                Problem(path, i, 1, "Study", f"study label of {len(study):,} characters; the limit is {MAX_STUDY:,}")
            )
            continue
        if study in seen:
            problems.append(Problem(path, i, 1, "Study", f"study {study!r} appears twice"))
        seen.add(study)
        doms: dict[str, str] = {}
        overall = None
        for j, cell in enumerate(r[1 : 2 + n_dom], start=1):
            col = header[j]
            try:
                v = _judgment(cell, tool)
            except ValueError:
                allowed = ", ".join(JUDGMENT_WORDS[w] for w in TOOL_JUDGMENTS[tool])
                problems.append(Problem(path, i, j + 1, col, f"{cell.strip()!r} is not a {tool} judgment ({allowed})"))
                continue
            if j == 1 + n_dom:
                overall = v
            elif v is not None:
                doms[DOMAINS[tool][j - 1]] = v
        if overall is None and not any(p.line == i for p in problems):
            problems.append(Problem(path, i, 2 + n_dom, "Overall", "an overall judgment is required"))
            continue
        out.append(RobRow(study, doms, overall or "", r[-1].strip() if has_weight else None, i))
    if problems:
        raise InputError(problems)
    return RobTable(path, tool, out, has_weight)


def merge_into_evidence(tab: RobTable, evidence_path: str) -> tuple[str, list[str]]:
    """Evidence text with each table row's judgments set on the study of the same id (new studies
    added for labels that match none), and notes for the summary."""
    from gradecli.io.evidence import load_evidence
    from gradecli.io.writer import check_evidence_text, dump_evidence

    ev = load_evidence(evidence_path)
    doc = ev.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    doc["gradecli"] = 1
    studies = doc.setdefault("studies", [])
    by_id = {s["id"]: s for s in studies}
    by_norm = {" ".join(s["id"].lower().split()): s for s in studies}
    notes: list[str] = ["comments in the evidence file are not kept (the file is rewritten)"]
    design = "nrsi" if tab.tool == "robins-i" else "rct"
    for row in tab.rows:
        st = by_id.get(row.study) or by_norm.get(" ".join(row.study.lower().split()))
        if st is None:
            st = {"id": row.study, "design": design}
            studies.append(st)
            by_id[row.study] = st
            notes.append(f"study {row.study!r} was not in {evidence_path}: added (design {design})")
        elif st.get("design") != design and tab.tool != "rob1":
            notes.append(f"study {st['id']!r}: design {st.get('design')} changed to {design} for {tab.tool}")
            st["design"] = design
        if "risk_of_bias" in st:
            notes.append(f"study {st['id']!r}: existing {st['risk_of_bias'].get('tool')} judgments replaced")
        st["risk_of_bias"] = {"tool": tab.tool, "overall": row.overall, "domains": row.domains}
    if tab.has_weight:
        notes.append("the Weight column has no place in an evidence file and was not imported")
    from gradecli.io.source import safe_name

    header = [f"Risk of bias ({tab.tool}) merged by gradecli from the robvis table {safe_name(tab.file)}.", ""]
    notes = [safe_name(n) for n in notes]
    text = dump_evidence(doc, header)
    check_evidence_text(text, evidence_path, tab.file)
    return text, notes


def export_robvis(evidence_path: str, tool: str) -> tuple[str, list[str]]:
    """The robvis table (CSV text, LF line ends) of the studies assessed with ``tool``. Every cell is
    text and goes through :func:`gradecli.escape.csv_cell` (a study id such as ``=HYPERLINK(…)`` gets
    a leading ``'``; control characters are shown escaped)."""
    from gradecli.escape import csv_cell
    from gradecli.io.evidence import load_evidence

    ev = load_evidence(evidence_path)
    doms = DOMAINS[tool]
    heads = ROB1_HEADERS if tool == "rob1" else tuple(f"D{i + 1}" for i in range(len(doms)))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(("Study", *heads, "Overall"))
    notes: list[str] = []
    n = 0
    for s in ev.studies:
        rob = s.risk_of_bias
        if rob is None:
            notes.append(f"study {s.id!r}: no risk-of-bias assessment (left out)")
            continue
        if rob.tool != tool:
            notes.append(f"study {s.id!r}: assessed with {rob.tool}, not {tool} (left out)")
            continue
        d = {str(k): str(v) for k, v in rob.domains.items()}
        row = (s.id, *(JUDGMENT_WORDS[d[x]] if x in d else "" for x in doms), JUDGMENT_WORDS[str(rob.overall)])
        w.writerow(tuple(csv_cell(cell) for cell in row))  # every cell is text (formula injection)
        n += 1
    if n == 0:
        raise InputError.single(evidence_path, f"no study is assessed with {tool}: nothing to export")
    return buf.getvalue(), notes
