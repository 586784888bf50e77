"""The Summary-of-Findings table in the terminal (Rich), Cochrane/GRADEpro layout."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from gradecli.escape import github_line, terminal, terminal_lines
from gradecli.grade.assessment import Assessment
from gradecli.report.sof import DEFINITIONS, Row, Sof, build

STYLES = {"HIGH": "bold green", "MODERATE": "green", "LOW": "yellow", "VERY LOW": "red"}
NARROW = 120
"""Below this many columns the seven table columns would fold words ("participa-nts"), so each
outcome is printed as a block of labelled lines instead (same cells, same order)."""


def render(assessment: Assessment, console: Console) -> None:
    sof = build(assessment)
    console.print(Text(_one(sof.title), style="bold"))
    for line in sof.question_lines:
        console.print(Text(_one(line)))
    if console.width < NARROW:
        _blocks(sof, console)
    else:
        _table(sof, console)
    _footer(sof, console)


def _one(text: str) -> str:
    """Text from the file on one line: controls shown escaped, no workflow command."""
    return github_line(terminal(text))


def _cell(text: str) -> Text:
    """A cell whose line breaks are the renderer's own (see :func:`gradecli.escape.terminal_lines`)."""
    return Text(github_line(terminal_lines(text)))


def _certainty(row: Row, newline: bool) -> Text:
    cert = Text(row.certainty_symbol + ("\n" if newline else " ") if row.certainty_symbol else "")
    cert.append(row.certainty_label, style=STYLES.get(row.certainty_label, ""))
    if row.letters:
        cert.append(" " + ",".join(row.letters))
    return cert


def _blocks(sof: Sof, console: Console) -> None:
    labels = [
        (f"Risk with {_one(sof.comparator_name)}", "comparator"),
        (f"Risk with {_one(sof.intervention_name)}", "intervention"),
        ("Relative effect (95% CI)", "relative"),
        ("№ of participants (studies)", "participants"),
    ]
    for row in sof.rows:
        console.print()
        head = Text(_one(row.name), style="bold")
        if row.detail:
            head.append(f" — {_one(row.detail)}", style="dim")
        console.print(head)
        if row.no_studies:
            console.print(Text("  " + _one(row.intervention), style="italic"))
            continue
        _block(row, labels[2:] if row.strata else labels, console, "  ")
        for sub in row.strata:
            console.print(Text(f"  ↳ {_one(sub.name)}", style="bold"))
            _block(sub, labels[:2], console, "    ")
    console.print()


def _block(row: Row, labels: list[tuple[str, str]], console: Console, indent: str) -> None:
    for label, attr in labels:
        value = _one(" ".join(getattr(row, attr).split("\n")))
        console.print(Text(f"{indent}{label}: ") + Text(value or "—"))
    console.print(Text(f"{indent}Certainty (GRADE): ") + _certainty(row, newline=False))
    if row.comments:
        console.print(Text(f"{indent}Comments: {_one(row.comments)}"))


def _table(sof: Sof, console: Console) -> None:
    table = Table(show_lines=True, expand=console.width < 140, header_style="bold", pad_edge=False)
    table.add_column("Outcome", ratio=3, overflow="fold")
    table.add_column(Text(f"Risk with {_one(sof.comparator_name)}"), ratio=2, overflow="fold")
    table.add_column(Text(f"Risk with {_one(sof.intervention_name)}"), ratio=3, overflow="fold")
    table.add_column("Relative effect (95% CI)", ratio=2, overflow="fold")
    table.add_column("№ of participants (studies)", ratio=2, overflow="fold")
    table.add_column("Certainty (GRADE)", ratio=2, overflow="fold")
    table.add_column("Comments", ratio=3, overflow="fold")
    for row in sof.rows:
        name = Text(_one(row.name), style="bold")
        if row.detail:
            name.append("\n" + github_line(terminal_lines(row.detail)), style="dim")
        if row.no_studies:
            none = Text(github_line(terminal_lines(row.intervention)), style="italic")
            table.add_row(name, "", none, "", "0", "—", "")
            continue
        for sub in [row, *row.strata]:
            if sub is not row:
                name = Text(f"↳ {_one(sub.name)}")
            cells = (sub.comparator, sub.intervention, sub.relative, sub.participants)
            table.add_row(name, *(_cell(c) for c in cells), _certainty(sub, newline=True), _cell(sub.comments))
    console.print(table)


def _footer(sof: Sof, console: Console) -> None:
    if sof.statements:
        console.print(Text("What it means (GRADE guidance 26):", style="bold"))
        for name, text in sof.statements:
            console.print(Text(f"  {_one(name)}: {_one(text)}"))
    if sof.footnotes:
        console.print()
    for letter, note in sof.footnotes:
        console.print(Text(f"{letter} {_one(note)}"))
    console.print()
    console.print(Text(_one(" · ".join(sof.abbreviations)) + "."), style="dim")
    if sof.analysis_lines:
        console.print(Text("Analysis and methods:"), style="dim")
        for line in sof.analysis_lines:
            console.print(Text(f"  {_one(line)}."), style="dim")
    console.print(
        Text(
            f"Rules: {_one(sof.rules)} (gradecli {sof.version}). GRADE certainty: "
            + " ".join(f"{name} — {text}" for name, text in DEFINITIONS)
        ),
        style="dim",
    )
