"""A Rich table of the assessment: one row per outcome, one column per GRADE domain (the
evidence profile), with the footnotes beneath."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from gradecli.grade.assessment import DOMAINS, Assessment
from gradecli.report.text import certainty_text, domain_cell, effect_text

SHORT = {
    "risk_of_bias": "Risk of bias",
    "inconsistency": "Inconsist.",
    "indirectness": "Indirect.",
    "imprecision": "Imprecision",
    "publication_bias": "Pub. bias",
}


def render(assessment: Assessment, console: Console) -> None:
    table = Table(title=assessment.title, title_justify="left", show_lines=True, expand=False)
    table.add_column("Outcome", overflow="fold", min_width=14)
    table.add_column("Effect (95% CI)", overflow="fold")
    table.add_column("№ (studies)", overflow="fold")
    for d in DOMAINS:
        table.add_column(SHORT[d], overflow="fold")
    table.add_column("Certainty", overflow="fold")
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    notes: list[str] = []
    for o in assessment.outcomes:
        if o.form == "none":
            table.add_row(o.name, effect_text(o), "0", *[""] * len(DOMAINS), "—")
            continue
        e = o.effect
        n = f"{e.participants:,}" if e and e.participants is not None else "not reported"
        k = f"({e.k})" if e and e.k is not None else ""
        cells = []
        for d in o.domains:
            cell = domain_cell(d)
            if d.footnote:
                letter = next(letters, "*")
                notes.append(f"{letter} {d.footnote}")
                cell += f" {letter}"
            cells.append(cell)
        cert = certainty_text(o.certainty)
        for u in o.upgrades:
            if u.footnote:
                letter = next(letters, "*")
                notes.append(f"{letter} {u.footnote}")
                cert += f" {letter}"
        if o.not_assessed:
            cert += " (provisional)"
        table.add_row(o.name, effect_text(o), f"{n} {k}".strip(), *cells, cert)
    console.print(table)
    for note in notes:
        console.print(note, highlight=False)
    provisional = [o.name for o in assessment.outcomes if o.not_assessed]
    if provisional:
        console.print(
            "(provisional): some domains were not assessed — see `gradecli assess --format json` "
            "for which; record the reviewer's judgment under `judgements:`.",
            highlight=False,
        )
    console.print(f"Rules: {assessment.rules} (gradecli {assessment.gradecli_version}).", highlight=False)
