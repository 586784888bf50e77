"""A Rich table of the assessment: one row per outcome, one column per GRADE domain (the
evidence profile), with the footnotes beneath."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from gradecli.escape import github_line, terminal, terminal_lines
from gradecli.grade.assessment import DOMAINS, Assessment
from gradecli.report.text import certainty_text, domain_cell, effect_text

SHORT = {
    "risk_of_bias": "Risk of bias",
    "inconsistency": "Inconsist.",
    "indirectness": "Indirect.",
    "imprecision": "Imprecision",
    "publication_bias": "Pub. bias",
}


WIDE = 130


def _one(text: str) -> str:
    """Text from the file on one line: controls shown escaped, no workflow command."""
    return github_line(terminal(text))


def _cell(text: str) -> Text:
    """A table cell as Text (never markup), its own line breaks kept."""
    return Text(github_line(terminal_lines(text)))


def render(assessment: Assessment, console: Console) -> None:
    """A table on wide terminals; one block per outcome on narrow ones (and in pipes)."""
    if console.width >= WIDE:
        render_table(assessment, console)
    else:
        render_blocks(assessment, console)


def render_blocks(assessment: Assessment, console: Console) -> None:
    console.print(_one(assessment.title), style="bold", highlight=False, markup=False)
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    notes: list[str] = []
    for o in assessment.outcomes:
        console.print()
        console.print(f"{_one(o.name)} [{o.importance}]", style="bold", highlight=False, markup=False)
        console.print(f"  Effect: {_one(effect_text(o))}", highlight=False, markup=False)
        if o.form == "none":
            continue
        e = o.effect
        if e is not None:
            n = f"{e.participants:,}" if e.participants is not None else "not reported"
            k = f"{e.k}" if e.k is not None else "not reported"
            console.print(
                f"  Participants: {n} · studies: {k}" + (f" · {_one(e.method)}" if e.method else ""),
                highlight=False,
                markup=False,
            )
        for d in o.domains:
            cell = _one(domain_cell(d))
            if d.footnote:
                letter = next(letters, "*")
                notes.append(f"{letter} {_one(d.footnote)}")
                cell += f" ({letter})"
            console.print(f"  {SHORT[d.domain] + ':':<14}{cell}", highlight=False, markup=False)
        cert = certainty_text(o.certainty)
        for u in o.upgrades:
            if u.footnote:
                letter = next(letters, "*")
                notes.append(f"{letter} {_one(u.footnote)}")
                cert += f" ({letter})"
        if o.not_assessed:
            cert += " — provisional: " + ", ".join(d.replace("_", " ") for d in o.not_assessed) + " not assessed"
        console.print(f"  Certainty: {cert}", highlight=False, markup=False)
    _footer(assessment, console, notes)


def _footer(assessment: Assessment, console: Console, notes: list[str]) -> None:
    if notes:
        console.print()
    for note in notes:
        console.print(note, highlight=False, markup=False)
    console.print(
        f"Rules: {_one(assessment.rules)} (gradecli {assessment.gradecli_version}).", highlight=False, markup=False
    )


def render_table(assessment: Assessment, console: Console) -> None:
    table = Table(title=Text(_one(assessment.title)), title_justify="left", show_lines=True, expand=False)
    table.add_column("Outcome", overflow="fold", min_width=14)
    table.add_column("Effect (95% CI)", overflow="fold")
    table.add_column("№ (studies)", overflow="fold")
    for name in DOMAINS:
        table.add_column(SHORT[name], overflow="fold")
    table.add_column("Certainty", overflow="fold")
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    notes: list[str] = []
    for o in assessment.outcomes:
        if o.form == "none":
            table.add_row(_cell(o.name), _cell(effect_text(o)), "0", *[""] * len(DOMAINS), "—")
            continue
        e = o.effect
        n = f"{e.participants:,}" if e and e.participants is not None else "not reported"
        k = f"({e.k})" if e and e.k is not None else ""
        cells: list[Text] = []
        for d in o.domains:
            cell = _one(domain_cell(d))
            if d.footnote:
                letter = next(letters, "*")
                notes.append(f"{letter} {_one(d.footnote)}")
                cell += f" {letter}"
            cells.append(Text(cell))
        cert = certainty_text(o.certainty)
        for u in o.upgrades:
            if u.footnote:
                letter = next(letters, "*")
                notes.append(f"{letter} {_one(u.footnote)}")
                cert += f" {letter}"
        if o.not_assessed:
            cert += " (provisional)"
        table.add_row(_cell(o.name), _cell(effect_text(o)), f"{n} {k}".strip(), *cells, Text(cert))
    console.print(table)
    if any(o.not_assessed for o in assessment.outcomes):
        notes.append(
            "(provisional): some domains were not assessed; record the reviewer's judgment under `judgements:`."
        )
    _footer(assessment, console, notes)
