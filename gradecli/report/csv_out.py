"""The Summary-of-Findings table as CSV, one row per outcome, for R, Stata and spreadsheets.

An outcome with several baseline-risk strata is followed by one record per stratum: ``stratum``
holds its label (empty on the outcome's own record), with the stratum's absolute effect, its
imprecision, certainty, target and statement; the relative effect, the participants and the other
domains are on the outcome's record only. A provisional rating (a domain GRADE needs is not
assessed) has an empty ``certainty``, ``provisional`` true, the most it could be in
``certainty_ceiling`` and the missing domains in ``missing_domains`` (``;``-separated).

Numbers are raw values from the :class:`~gradecli.grade.assessment.Assessment` (full precision, a
dot as decimal separator, no thousands separators); a missing value is an empty cell. Outcomes
without studies are included, with empty cells. Ratings are the JSON vocabulary (``very_low``,
``serious``, ``not_assessed`` ...). The rows follow :func:`gradecli.report.sof.build`, whose footnote
letters the ``footnotes`` column uses.

Spreadsheet formula injection (text from the evidence file is untrusted): every TEXT column —
``outcome_id``, ``outcome``, ``stratum``, ``importance``, ``measure``, ``certainty``, the domain
columns, ``footnotes``, ``target`` and ``statement`` — goes through :func:`gradecli.escape.csv_cell`, which puts a ``'``
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
from gradecli.grade.assessment import DOMAINS, AbsoluteEffect, Assessment, DomainAssessment
from gradecli.model.vocab import Certainty
from gradecli.report.sof import build, target_line

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
    # added in gradecli's assessment schema 1.2 (new columns only ever go at the end)
    "stratum",
    "provisional",
    "certainty_ceiling",
    "missing_domains",
    "target",
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


def _risks(a: AbsoluteEffect) -> dict[str, str]:
    return {
        "comparator_risk": _num(a.comparator),
        "intervention_risk": _num(a.intervention),
        "intervention_risk_lb": _num(a.intervention_lb),
        "intervention_risk_ub": _num(a.intervention_ub),
        "risk_difference": _num(a.difference),
        "risk_difference_lb": _num(a.difference_lb),
        "risk_difference_ub": _num(a.difference_ub),
        "per": _num(a.per),
    }


def _rating(d: DomainAssessment) -> str:
    usable = d.rating is not None and d.status != "not_assessed"
    return d.rating.value if d.rating is not None and usable else d.status


def _certainty(certainty: Certainty | None, provisional: bool, ceiling: Certainty | None) -> dict[str, str]:
    return {
        "certainty": certainty.value if certainty else "",
        "provisional": "true" if provisional else "false",
        "certainty_ceiling": ceiling.value if ceiling else "",
    }


def render(assessment: Assessment, comparison_id: str | None = None) -> str:
    """One row per outcome (and per stratum). With ``comparisons``: a first column ``comparison``,
    the comparisons in file order, each with every outcome (its table's rows, then the others)."""
    from gradecli.report.comparisons import parts

    tables = parts(assessment, comparison_id)
    buffer = io.StringIO()
    if tables[0].comparison is None:
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        _rows(assessment, writer, {})
        return buffer.getvalue()
    writer = csv.DictWriter(buffer, fieldnames=["comparison", *COLUMNS], lineterminator="\n")
    writer.writeheader()
    for t in tables:
        assert t.comparison is not None
        whole = t.assessment.model_copy(update={"outcomes": [*t.assessment.outcomes, *t.others]})
        _rows(whole, writer, {"comparison": t.comparison.id})
    return buffer.getvalue()


def _rows(assessment: Assessment, writer: csv.DictWriter[str], extra: dict[str, str]) -> None:
    sof = build(assessment)
    notes = dict(sof.footnotes)

    def write(record: dict[str, str]) -> None:
        writer.writerow({k: v if k in NUMERIC else csv_cell(v) for k, v in {**extra, **record}.items()})

    for row in sof.rows:
        o = row.outcome
        record = dict.fromkeys(COLUMNS, "")
        record.update(outcome_id=o.id, outcome=o.name, importance=o.importance, measure=o.measure or "")
        if row.no_studies:
            write(record)
            continue
        e = o.effect
        if e is not None:
            record.update(
                estimate=_num(e.estimate),
                ci_lb=_num(e.ci_lb),
                ci_ub=_num(e.ci_ub),
                participants=_num(e.participants),
                studies=_num(e.k),
            )
        if o.absolute and not row.strata:
            record.update(_risks(o.absolute[0]))
        if o.continuous is not None:
            record["comparator_mean"] = _num(o.continuous.comparator_mean)
        record.update(_certainty(o.certainty, o.provisional, o.certainty_ceiling))
        record["missing_domains"] = ";".join(o.missing_domains)
        for d in o.domains:
            if d.domain in record:
                record[d.domain] = _rating(d)
        record["footnotes"] = " | ".join(f"{letter}: {notes[letter]}" for letter in row.letters)
        record["target"] = target_line(o.target) if o.target else ""
        record["statement"] = o.statement or ""
        write(record)
        for sub in row.strata:
            s = sub.stratum
            assert s is not None  # a sub-row always has its stratum
            record = dict.fromkeys(COLUMNS, "")
            record.update(outcome_id=o.id, outcome=o.name, stratum=s.label or "", importance=o.importance)
            record.update(measure=o.measure or "", imprecision=_rating(s.imprecision), **_risks(s.absolute))
            record.update(_certainty(s.certainty, s.provisional, s.certainty_ceiling))
            record["footnotes"] = " | ".join(f"{letter}: {notes[letter]}" for letter in sub.letters)
            record["target"] = target_line(s.target) if s.target else ""
            record["statement"] = s.statement or ""
            write(record)
