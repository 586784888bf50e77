"""The Summary-of-Findings table as CSV, one row per outcome, for R, Stata and spreadsheets.

Numbers are raw values from the :class:`~gradecli.grade.assessment.Assessment` (full precision, a
dot as decimal separator, no thousands separators); a missing value is an empty cell. Outcomes
without studies are included, with empty cells. Ratings are the JSON vocabulary (``very_low``,
``serious``, ``not_assessed`` ...). The rows follow :func:`gradecli.report.sof.build`, whose footnote
letters the ``footnotes`` column uses.

Spreadsheet formula injection (text from the evidence file is untrusted): every TEXT column —
``outcome_id``, ``outcome``, ``importance``, ``measure``, ``certainty``, the domain columns,
``footnotes`` and ``statement`` — goes through :func:`gradecli.escape.csv_cell`, which puts a ``'``
before a cell that starts with ``= + - @``, a tab or a carriage return (OWASP) and shows control
characters other than newline and tab escaped (so a bare CR cannot split a row; a newline inside a
cell is quoted by the csv module). The NUMERIC columns (``estimate`` ... ``comparator_mean``, see
:data:`NUMERIC`) are written by gradecli itself with :func:`repr` and are never prefixed: -0.5
stays a number.
"""

from __future__ import annotations

import csv
import io
import math

from gradecli.escape import csv_cell
from gradecli.grade.assessment import DOMAINS, Assessment
from gradecli.report.sof import build

COLUMNS = [
    "outcome_id",
    "outcome",
    "importance",
    "measure",
    "estimate",
    "ci_lb",
    "ci_ub",
    "participants",
    "studies",
    "comparator_risk",
    "intervention_risk",
    "intervention_risk_lb",
    "intervention_risk_ub",
    "risk_difference",
    "risk_difference_lb",
    "risk_difference_ub",
    "per",
    "comparator_mean",
    "certainty",
    *DOMAINS,
    "footnotes",
    "statement",
]

NUMERIC = frozenset(
    {
        "estimate", "ci_lb", "ci_ub", "participants", "studies", "comparator_risk", "intervention_risk",
        "intervention_risk_lb", "intervention_risk_ub", "risk_difference", "risk_difference_lb",
        "risk_difference_ub", "per", "comparator_mean",
    }
)  # fmt: skip
"""Columns gradecli fills with numbers (never prefixed); every other column is text (escaped)."""


def _num(x: float | int | None) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return ""
    return repr(x)


def render(assessment: Assessment) -> str:
    sof = build(assessment)
    notes = dict(sof.footnotes)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in sof.rows:
        o = row.outcome
        record = dict.fromkeys(COLUMNS, "")
        record.update(outcome_id=o.id, outcome=o.name, importance=o.importance, measure=o.measure or "")
        if not row.no_studies:
            e = o.effect
            if e is not None:
                record.update(
                    estimate=_num(e.estimate),
                    ci_lb=_num(e.ci_lb),
                    ci_ub=_num(e.ci_ub),
                    participants=_num(e.participants),
                    studies=_num(e.k),
                )
            if o.absolute:
                a = o.absolute[0]
                record.update(
                    comparator_risk=_num(a.comparator),
                    intervention_risk=_num(a.intervention),
                    intervention_risk_lb=_num(a.intervention_lb),
                    intervention_risk_ub=_num(a.intervention_ub),
                    risk_difference=_num(a.difference),
                    risk_difference_lb=_num(a.difference_lb),
                    risk_difference_ub=_num(a.difference_ub),
                    per=_num(a.per),
                )
            if o.continuous is not None:
                record["comparator_mean"] = _num(o.continuous.comparator_mean)
            record["certainty"] = o.certainty.value if o.certainty else ""
            for d in o.domains:
                if d.domain in record:
                    usable = d.rating is not None and d.status != "not_assessed"
                    record[d.domain] = d.rating.value if d.rating is not None and usable else d.status
            record["footnotes"] = " | ".join(f"{letter}: {notes[letter]}" for letter in row.letters)
            record["statement"] = o.statement or ""
        writer.writerow({k: v if k in NUMERIC else csv_cell(v) for k, v in record.items()})
    return buffer.getvalue()
