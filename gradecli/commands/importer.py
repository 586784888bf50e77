"""``gradecli import ...``: turn a RevMan 5 review, a robvis table or a study CSV into an evidence file."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import click

from gradecli.exits import EXIT_INPUT

if TYPE_CHECKING:
    from gradecli.io.revman import ImportResult

_P = ParamSpec("_P")
_R = TypeVar("_R")
_T = TypeVar("_T")


def _input_errors(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Print an InputError as FILE:LINE: message lines on stderr and exit 2 (never a traceback)."""

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        from gradecli.problems import InputError

        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                click.echo(problem.format(), err=True)
            raise SystemExit(EXIT_INPUT) from None

    return wrapper


_F = TypeVar("_F", bound=Callable[..., object])


def _writes_evidence(fn: _F) -> _F:
    """The options of every importer that writes an evidence file: -o/--output, --force, -q/--quiet."""
    fn = click.option("-q", "--quiet", is_flag=True, help="No summary on standard error.")(fn)
    fn = click.option("--force", is_flag=True, help="Overwrite an existing output file.")(fn)
    return click.option("-o", "--output", help="Evidence file to write (default: standard output).")(fn)


def _clean(value: _T) -> _T:
    """``value`` (strings, lists and dicts of them) with every string safe to write as UTF-8: a
    non-UTF-8 file name quoted in a note or the header is shown with ``\\xff`` escapes."""
    from gradecli.io.source import safe_name

    if isinstance(value, str):
        return safe_name(value)  # type: ignore[return-value]
    if isinstance(value, list):
        return [_clean(v) for v in value]  # type: ignore[return-value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}  # type: ignore[return-value]
    return value


def _summary(what: str, notes: list[str], quiet: bool) -> None:
    if quiet:
        return
    what, notes = _clean(what), _clean(notes)
    click.echo(what, err=True)
    if notes:
        click.echo(f"{len(notes)} thing{'s' if len(notes) != 1 else ''} not imported or needing attention:", err=True)
        for n in notes:
            click.echo(f"  - {n}", err=True)


def _write_review(res: ImportResult, source: str, output: str | None, force: bool, quiet: bool) -> None:
    """Write an imported review (an ``ImportResult``) as an evidence file, checked before writing."""
    from gradecli.io.writer import check_evidence_text, dump_evidence, write_output

    text = dump_evidence(_clean(res.doc), _clean(res.header))
    check_evidence_text(text, output or "<output>", source)
    write_output(text, output, [source], force)
    where = f" into {output}" if output and output != "-" else ""
    _summary(f"{source}: imported {res.outcomes} outcomes and {res.studies} studies{where}", res.notes, quiet)


@click.group(name="import")
def import_group() -> None:
    """Import a RevMan 5 review, a robvis risk-of-bias table or a study CSV.

    \b
    Examples:
      gradecli import revman CD000023.rm5 -o evidence.yaml
      gradecli import robvis rob2.csv --tool rob2 --into evidence.yaml -o evidence-rob.yaml
      gradecli import csv studies.csv -o evidence.yaml
    """


@import_group.command("revman")
@click.argument("review", metavar="REVIEW.rm5")
@_writes_evidence
@click.option(
    "--rob-group",
    "rob_groups",
    multiple=True,
    metavar='"GROUP=ID,ID"',
    help="Which outcomes a RevMan risk-of-bias outcome group judges (ids as imported, analysis-C.O; "
    "fnmatch patterns such as analysis-1.* allowed); repeatable. Those outcomes get per-study overrides "
    "where the group's judgments change the overall.",
)
@_input_errors
def revman(review: str, output: str | None, force: bool, quiet: bool, rob_groups: tuple[str, ...]) -> None:
    """Import a RevMan 5 review (.rm5) as one evidence file.

    Every RevMan comparison becomes one of the file's comparisons (id comparison-C, titled with its
    name; a name "X versus Y" gives the intervention and the comparison, never a population), and
    every analysis an outcome of its comparison with id analysis-C.O (comparison C, outcome O), with
    its study rows, RevMan's effect measure and analysis method, and the RoB 1 judgments with their
    support. RevMan items judged per outcome group ("Objective outcomes", ...) give the study's
    judgment from the "All outcomes" group; --rob-group says which outcomes another group judges.
    What could not be imported is listed on standard error. See docs/import.md.

    \b
    Example:
      gradecli import revman CD000023.rm5 -o ev.yaml \\
        --rob-group "Objective outcomes=analysis-1.1,analysis-1.3" \\
        --rob-group "Subjective outcomes=analysis-1.2"
    """
    from gradecli.io.revman import read_rm5, to_evidence

    _write_review(to_evidence(read_rm5(review), rob_groups), review, output, force, quiet)


@import_group.command("revman-data")
@click.argument("package", metavar="DATAPACKAGE")
@_writes_evidence
@_input_errors
def revman_data(package: str, output: str | None, force: bool, quiet: bool) -> None:
    """Import a RevMan Web / Cochrane data package (version 1: the -dataPackage.zip, a review zip
    holding it, or a folder of its CSVs) as one evidence file, like `import revman` (one comparison
    per analysis group, titled with the group's name).
    """
    from gradecli.io.datapackage import read_datapackage
    from gradecli.io.revman import to_evidence

    res = to_evidence(read_datapackage(package))
    res.header = [h.replace("the RevMan 5 review", "the RevMan data package") for h in res.header]
    res.doc["review"]["notes"] = res.doc["review"]["notes"].replace("RevMan 5 file", "RevMan data package")
    _write_review(res, package, output, force, quiet)


@import_group.command("robvis")
@click.argument("table", metavar="ROB.csv")
@click.option("--tool", required=True, type=click.Choice(["rob2", "robins-i", "rob1"]), help="The tool of the table.")
@click.option(
    "--into", "into", required=True, metavar="EVIDENCE.yaml", help="Evidence file whose studies get the judgments."
)
@_writes_evidence
@_input_errors
def robvis_cmd(table: str, tool: str, into: str, output: str | None, force: bool, quiet: bool) -> None:
    """Merge a robvis risk-of-bias table (Study, D1..Dn, Overall[, Weight]) into an evidence file."""
    from gradecli.io.robvis import merge_into_evidence, read_robvis
    from gradecli.io.writer import write_output

    tab = read_robvis(table, tool)
    text, notes = merge_into_evidence(tab, into)
    write_output(text, output, [table, into], force)
    _summary(
        f"{table}: {len(tab.rows)} studies' {tool} judgments merged into {output or 'standard output'}", notes, quiet
    )


@import_group.command("csv")
@click.argument("data", metavar="DATA.csv")
@click.option("-o", "--output", help="Evidence file to write (default: standard output).")
@click.option("--measure", help="Effect measure (default RR / MD / GENERIC by the CSV form).")
@click.option("--title", default=None, help="Review title (default: the file name).")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("-q", "--quiet", is_flag=True, help="No summary on standard error.")
@_input_errors
def csv_cmd(data: str, output: str | None, measure: str | None, title: str | None, force: bool, quiet: bool) -> None:
    """Import one-row-per-study data (the gradecli meta CSV forms, plus an optional outcome column)."""
    from gradecli.io.import_csv import csv_to_evidence
    from gradecli.io.writer import check_evidence_text, dump_evidence, write_output

    doc, header, notes = csv_to_evidence(data, measure, title)
    text = dump_evidence(_clean(doc), _clean(header))
    check_evidence_text(text, output or "<output>", data)
    write_output(text, output, [data], force)
    _summary(f"{data}: imported {len(doc['outcomes'])} outcomes, {len(doc['studies'])} studies", notes, quiet)


@import_group.command("fhir")
@click.argument("bundle", metavar="BUNDLE.json")
@_writes_evidence
@_input_errors
def fhir_cmd(bundle: str, output: str | None, force: bool, quiet: bool) -> None:
    """Import a FHIR R5 document Bundle (EBM-on-FHIR, as `gradecli export fhir` writes it).

    One summary-level outcome per Evidence (estimate, 95% CI, studies, participants), each domain's
    rating as the reviewer's judgement with its reason, and the certainty override where the Bundle
    marks the overall certainty as the reviewer's. See docs/fhir.md.

    \b
    Example:
      gradecli import fhir bundle.json -o evidence.yaml
    """
    from gradecli.io.fhir_import import read_bundle
    from gradecli.io.writer import check_evidence_text, dump_evidence, write_output

    res = read_bundle(bundle)
    text = dump_evidence(_clean(res.doc), _clean(res.header))
    check_evidence_text(text, output or "<output>", bundle)
    write_output(text, output, [bundle], force)
    where = f" into {output}" if output and output != "-" else ""
    _summary(f"{bundle}: imported {res.outcomes} outcomes{where}", res.notes, quiet)
