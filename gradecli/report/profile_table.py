"""A Rich table of the assessment: one row per outcome, one column per GRADE domain (the
evidence profile), with the footnotes beneath. An outcome with several baseline-risk strata
shows one imprecision and one certainty line per stratum; beneath the table, each domain's
proposal path (the steps its rule took)."""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Console
from rich.table import Table
from rich.text import Text

from gradecli.escape import github_line, terminal, terminal_lines
from gradecli.grade.assessment import DOMAIN_NAMES, DOMAINS, Assessment, DomainAssessment, OutcomeAssessment
from gradecli.model.vocab import Certainty
from gradecli.report.sof import capitalise, certainty_cells, provisional_comment, stratum_name
from gradecli.report.text import domain_cell, effect_text, path_text

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


class _Notes:
    """The footnotes beneath the profile, lettered in the order they are cited."""

    def __init__(self) -> None:
        self.letters: Iterator[str] = iter("abcdefghijklmnopqrstuvwxyz")
        self.lines: list[str] = []

    def cite(self, text: str, note: str | None, form: str) -> str:
        """``text`` with the letter of ``note`` (``form`` e.g. ' ({})'), or unchanged without a note."""
        if not note:
            return text
        letter = next(self.letters, "*")
        self.lines.append(f"{letter} {_one(note)}")
        return text + form.format(letter)


def _certainty(c: Certainty | None, provisional: bool, ceiling: Certainty | None) -> str:
    """'⊕⊕◯◯ LOW', 'Not yet rated (at most Moderate)', or '—'."""
    if c is None and not provisional:
        return "—"
    return " ".join(x for x in certainty_cells(c, provisional, ceiling) if x)


def _by_stratum(o: OutcomeAssessment) -> bool:
    return len(o.strata) > 1


def _domain(o: OutcomeAssessment, d: DomainAssessment, notes: _Notes, form: str, sep: str) -> str:
    """A domain's cell; imprecision of a stratified outcome: one line per stratum, joined by ``sep``."""
    if d.domain == "imprecision" and _by_stratum(o):
        lines = []
        for s in o.strata:
            cell = notes.cite(_one(domain_cell(s.imprecision)), s.imprecision.footnote, form)
            lines.append(f"{_one(capitalise(stratum_name(s)[0]))}: {cell}")
        return sep.join(lines)
    return notes.cite(_one(domain_cell(d)), d.footnote, form)


def _overall(o: OutcomeAssessment, notes: _Notes, form: str, sep: str) -> str:
    """The certainty (per stratum when there are several), with the upgrades' footnotes."""
    if _by_stratum(o):
        cert = sep.join(
            f"{_one(capitalise(stratum_name(s)[0]))}: {_certainty(s.certainty, s.provisional, s.certainty_ceiling)}"
            for s in o.strata
        )
    else:
        cert = _certainty(o.certainty, o.provisional, o.certainty_ceiling)
    for u in o.upgrades:
        cert = notes.cite(cert, u.footnote, form)
    return cert


def render(assessment: Assessment, console: Console) -> None:
    """A table on wide terminals; one block per outcome on narrow ones (and in pipes)."""
    if console.width >= WIDE:
        render_table(assessment, console)
    else:
        render_blocks(assessment, console)


def render_blocks(assessment: Assessment, console: Console) -> None:
    console.print(_one(assessment.title), style="bold", highlight=False, markup=False)
    notes = _Notes()
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
            cell = _domain(o, d, notes, " ({})", "; ")
            console.print(f"  {SHORT[d.domain] + ':':<14}{cell}", highlight=False, markup=False)
            for label, path in _paths(o, d):
                step = f"{capitalise(label)}: {path}" if label else path
                console.print(f"  {'':<14}{step}", style="dim", highlight=False, markup=False)
        cert = _overall(o, notes, " ({})", "; ")
        if o.provisional:
            cert += f" — {provisional_comment(o.missing_domains, o.disagreements)}"
        console.print(f"  Certainty: {cert}", highlight=False, markup=False)
    _footer(assessment, console, notes.lines)


def _paths(o: OutcomeAssessment, d: DomainAssessment) -> list[tuple[str, str]]:
    """The path of a domain's proposal, as (stratum label, path): each stratum's for a stratified
    outcome's imprecision, else one with an empty label; paths the rule did not record are left out."""
    if d.domain == "imprecision" and _by_stratum(o):
        paths = [(_one(stratum_name(s)[0]), path_text(s.imprecision)) for s in o.strata]
    else:
        paths = [("", path_text(d))]
    return [(label, _one(path)) for label, path in paths if path]


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
    notes = _Notes()
    for o in assessment.outcomes:
        if o.form == "none":
            table.add_row(_cell(o.name), _cell(effect_text(o)), "0", *[""] * len(DOMAINS), "—")
            continue
        e = o.effect
        n = f"{e.participants:,}" if e and e.participants is not None else "not reported"
        k = f"({e.k})" if e and e.k is not None else ""
        cells = [Text(_domain(o, d, notes, " {}", "\n")) for d in o.domains]
        cert = _overall(o, notes, " {}", "\n")
        table.add_row(_cell(o.name), _cell(effect_text(o)), f"{n} {k}".strip(), *cells, Text(cert))
    console.print(table)
    if any(o.provisional for o in assessment.outcomes):
        notes.lines.append(
            "Not yet rated: risk of bias, imprecision or indirectness was not assessed; record the reviewer's "
            "judgment under `judgements:`."
        )
    _footer(assessment, console, notes.lines)
    _path_section(assessment, console)


def _path_section(assessment: Assessment, console: Console) -> None:
    """Beneath the table: per outcome, the steps each domain's rule took."""
    heading = "How each proposal was reached:"
    for o in assessment.outcomes:
        steps = [
            f"{DOMAIN_NAMES.get(d.domain, d.domain)}{f' ({label})' if label else ''}: {path}"
            for d in o.domains
            for label, path in _paths(o, d)
        ]
        if not steps:
            continue
        if heading:
            console.print()
            console.print(heading, style="bold", highlight=False, markup=False)
            heading = ""
        console.print(f"  {_one(o.name)}", style="bold", highlight=False, markup=False)
        for step in steps:
            console.print(f"    {step}", highlight=False, markup=False)
