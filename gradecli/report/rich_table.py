"""The Summary-of-Findings table in the terminal (Rich), Cochrane/GRADEpro layout."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from gradecli.grade.assessment import Assessment
from gradecli.report.sof import DEFINITIONS, Row, Sof, build

STYLES = {"HIGH": "bold green", "MODERATE": "green", "LOW": "yellow", "VERY LOW": "red"}
NARROW = 120
"""Below this many columns the seven table columns would fold words ("participa-nts"), so each
outcome is printed as a block of labelled lines instead (same cells, same order)."""


def render(assessment: Assessment, console: Console) -> None:
    sof = build(assessment)
    console.print(Text(sof.title, style="bold"))
    for line in sof.question_lines:
        console.print(Text(line))
    if console.width < NARROW:
        _blocks(sof, console)
    else:
        _table(sof, console)
    _footer(sof, console)


def _certainty(row: Row, newline: bool) -> Text:
    cert = Text(row.certainty_symbol + ("\n" if newline else " "))
    cert.append(row.certainty_label, style=STYLES.get(row.certainty_label, ""))
    if row.letters:
        cert.append(" " + ",".join(row.letters))
    return cert


def _blocks(sof: Sof, console: Console) -> None:
    labels = [
        (f"Risk with {sof.comparator_name}", "comparator"),
        (f"Risk with {sof.intervention_name}", "intervention"),
        ("Relative effect (95% CI)", "relative"),
        ("№ of participants (studies)", "participants"),
    ]
    for row in sof.rows:
        console.print()
        head = Text(row.name, style="bold")
        if row.detail:
            head.append(f" — {row.detail}", style="dim")
        console.print(head)
        if row.no_studies:
            console.print(Text("  " + row.intervention, style="italic"))
            continue
        for label, attr in labels:
            value = " ".join(getattr(row, attr).split("\n"))
            console.print(Text(f"  {label}: ") + Text(value or "—"))
        console.print(Text("  Certainty (GRADE): ") + _certainty(row, newline=False))
        if row.comments:
            console.print(Text(f"  Comments: {row.comments}"))
    console.print()


def _table(sof: Sof, console: Console) -> None:
    table = Table(show_lines=True, expand=console.width < 140, header_style="bold", pad_edge=False)
    table.add_column("Outcome", ratio=3, overflow="fold")
    table.add_column(f"Risk with {sof.comparator_name}", ratio=2, overflow="fold")
    table.add_column(f"Risk with {sof.intervention_name}", ratio=3, overflow="fold")
    table.add_column("Relative effect (95% CI)", ratio=2, overflow="fold")
    table.add_column("№ of participants (studies)", ratio=2, overflow="fold")
    table.add_column("Certainty (GRADE)", ratio=2, overflow="fold")
    table.add_column("Comments", ratio=3, overflow="fold")
    for row in sof.rows:
        name = Text(row.name, style="bold")
        if row.detail:
            name.append("\n" + row.detail, style="dim")
        if row.no_studies:
            table.add_row(name, "", Text(row.intervention, style="italic"), "", "0", "—", "")
            continue
        cert = _certainty(row, newline=True)
        table.add_row(name, row.comparator, row.intervention, row.relative, row.participants, cert, row.comments)
    console.print(table)


def _footer(sof: Sof, console: Console) -> None:
    if sof.statements:
        console.print(Text("What it means (GRADE guidance 26):", style="bold"))
        for name, text in sof.statements:
            console.print(Text(f"  {name}: {text}"))
    if sof.footnotes:
        console.print()
    for letter, note in sof.footnotes:
        console.print(Text(f"{letter} {note}"))
    console.print()
    console.print(Text(" · ".join(sof.abbreviations) + "."), style="dim")
    if sof.analysis_lines:
        console.print(Text("Analysis: " + "; ".join(sof.analysis_lines) + "."), style="dim")
    console.print(
        Text(
            f"Rules: {sof.rules} (gradecli {sof.version}). GRADE certainty: "
            + " ".join(f"{name} — {text}" for name, text in DEFINITIONS)
        ),
        style="dim",
    )
