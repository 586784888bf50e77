"""``gradecli plot forest|rob FILE -o IMAGE``: forest plots and risk-of-bias figures as SVG or PNG.

matplotlib (``pip install 'gradecli[plots]'``) is imported only when a plot is drawn; without it
the command says how to install it and exits 2.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click

from gradecli.exits import EXIT_INPUT, exit_with_problems

if TYPE_CHECKING:
    from gradecli.grade.assessment import Assessment, OutcomeAssessment

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(in|px|cm)?\s*$")


def _fail(message: str) -> NoReturn:
    click.echo(f"gradecli plot: {message}", err=True)
    raise SystemExit(EXIT_INPUT)


def parse_size(value: str | None, dpi: float, option: str) -> float | None:
    """A size in inches from '8', '8in', '20cm' or '800px' (pixels at --dpi)."""
    if value is None:
        return None
    m = _SIZE.match(value)
    if not m or float(m.group(1)) <= 0:
        _fail(f"{option} {value!r}: give a positive size in inches (8, 8in), centimetres (20cm) or pixels (800px)")
    number, unit = float(m.group(1)), m.group(2) or "in"
    inches = number / dpi if unit == "px" else number / 2.54 if unit == "cm" else number
    if not 0.5 <= inches <= 200:
        _fail(f"{option} {value!r}: between half an inch and 200 inches, please")
    return inches


def _format(output: str) -> str:
    suffix = output.rsplit(".", 1)[-1].lower() if "." in output else ""
    if suffix not in ("svg", "png"):
        _fail(f"-o {output}: the file name must end in .svg or .png (the format comes from the suffix)")
    return suffix


_OPTIONS = [
    click.option(
        "--output",
        "-o",
        "output",
        required=True,
        metavar="IMAGE.svg|IMAGE.png",
        help="Where to write the image; the format comes from the suffix.",
    ),
    click.option(
        "--width",
        default=None,
        metavar="SIZE",
        help="Width: inches (8), cm (20cm) or pixels (800px). Default: from the content.",
    ),
    click.option("--height", default=None, metavar="SIZE", help="Height, as --width. Default: from the content."),
    click.option(
        "--max-rows",
        "max_rows",
        default=500,
        show_default=True,
        type=click.IntRange(1, 100_000),
        help="The most study rows drawn: a forest plot with more is drawn summarised (the pooled result "
        "and a note, no row per study); a traffic-light plot with more is left out (the summary bars stay).",
    ),
    click.option(
        "--dpi",
        default=100.0,
        show_default=True,
        type=click.FloatRange(10, 1200),
        help="Resolution of a PNG (pixels per inch); a PNG is width × dpi pixels wide.",
    ),
    click.option(
        "--rules",
        "rules",
        default=None,
        metavar="NAME|PATH",
        help="Rule set whose thresholds are drawn (default: the file's defaults.rules, else .gradecli.yaml's, "
        "else 'default').",
    ),
]

F = TypeVar("F", bound=Callable[..., None])


def _with_options(f: F) -> F:
    for option in reversed(_OPTIONS):
        f = option(f)
    return f


@click.group("plot", context_settings={"help_option_names": ["-h", "--help"]})
def plot() -> None:
    """Draw forest plots and risk-of-bias figures (SVG or PNG; needs gradecli[plots]).

    \b
    Examples:
      gradecli plot forest examples/bcg-vaccine-tuberculosis.yaml --outcome tuberculosis -o forest.svg
      gradecli plot rob examples/bcg-vaccine-tuberculosis.yaml -o rob.png --width 8 --dpi 200
    """


def load_drawable(file: str, output: str, rules: str | None, command: str = "plot") -> tuple[Assessment, Path | None]:
    """Check matplotlib, the output path (never an input: the evidence file, a rule set named on the
    command line or in the file, the repository's config) and the evidence file, in that order, and
    assess it under the rule set that applies (:func:`gradecli.pipeline.choose_rules`); return (the
    assessment, target path — None for ``-``, standard output). Shared by `plot` and `report`."""
    from gradecli.pipeline import load_and_assess, load_config, rule_set_inputs
    from gradecli.plots import PlotsUnavailable, require_matplotlib
    from gradecli.problems import InputError
    from gradecli.report.output import OutputError, check_target

    def fail(message: str) -> NoReturn:
        click.echo(f"gradecli {command}: {message}", err=True)
        raise SystemExit(EXIT_INPUT)

    try:
        require_matplotlib()
    except PlotsUnavailable as exc:
        fail(str(exc))
    try:
        config, config_path = load_config()
    except InputError as exc:
        exit_with_problems(exc)
    target = None
    if output != "-":
        try:
            target = check_target(output, [file, *rule_set_inputs(rules, config.rules, config_path=config_path)])
        except OutputError as exc:
            fail(str(exc))
    try:
        evidence, _, _, assessment = load_and_assess(file, cli_rules=rules, config=config.rules)
    except InputError as exc:
        exit_with_problems(exc)
    if target is not None and evidence.defaults.rules:
        try:
            check_target(output, rule_set_inputs(evidence.defaults.rules))
        except OutputError as exc:
            fail(str(exc))
    return assessment, target


def _outcome(assessment: Assessment, outcome_id: str | None, file: str) -> OutcomeAssessment:
    ids = [o.id for o in assessment.outcomes]
    if outcome_id is None:
        with_rows = [o for o in assessment.outcomes if o.form == "studies"]
        if len(with_rows) == 1:
            return with_rows[0]
        _fail(f"{file}: give --outcome ID (one of: {', '.join(ids)})")
    for o in assessment.outcomes:
        if o.id == outcome_id:
            return o
    _fail(f"{file}: no outcome {outcome_id!r} (one of: {', '.join(ids)})")


def _write(fig, target, output: str, fmt: str, dpi: float) -> None:  # type: ignore[no-untyped-def]
    from gradecli.plots.output import figure_bytes
    from gradecli.report.output import write_atomic

    data = figure_bytes(fig, fmt, dpi)
    try:
        write_atomic(target, data)
    except BrokenPipeError:
        raise  # -o /dev/stdout and the reader went away: a quiet end, as with -o -
    except OSError as exc:
        _fail(f"-o {output}: cannot write: {exc.strerror or exc}")
    click.echo(f"gradecli: wrote {fmt} to {output}", err=True)


@plot.command("forest")
@click.argument("file", metavar="FILE")
@click.option(
    "--outcome",
    "outcome_id",
    default=None,
    metavar="ID",
    help="The outcome to draw (may be left out when only one outcome has per-study data).",
)
@_with_options
def forest(
    file: str,
    outcome_id: str | None,
    output: str,
    width: str | None,
    height: str | None,
    max_rows: int,
    dpi: float,
    rules: str | None,
) -> None:
    """The forest plot of one outcome: studies, pooled diamond, prediction interval, thresholds, risk of bias."""
    fmt = _format(output)
    assessment, target = load_drawable(file, output, rules)
    outcome = _outcome(assessment, outcome_id, file)
    from gradecli.plots.data import PlotDataError, forest_data, limit_rows
    from gradecli.plots.forest import forest_figure

    try:
        data = limit_rows(forest_data(outcome, assessment.studies), max_rows)
    except PlotDataError as exc:
        _fail(str(exc))
    if data.omitted:
        click.echo(
            f"gradecli plot: {data.omitted:,} studies: drawn summarised (more than --max-rows {max_rows:,})", err=True
        )
    fig = forest_figure(data, parse_size(width, dpi, "--width"), parse_size(height, dpi, "--height"))
    _write(fig, target, output, fmt, dpi)


@plot.command("rob")
@click.argument("file", metavar="FILE")
@click.option(
    "--outcome",
    "outcome_id",
    default=None,
    metavar="ID",
    help="Only this outcome's studies, with its per-outcome judgments; bars weighted by its analysis.",
)
@click.option(
    "--kind",
    type=click.Choice(("both", "traffic-light", "summary")),
    default="both",
    show_default=True,
    help="Traffic-light plot (study × domain), summary bars, or both.",
)
@_with_options
def rob(
    file: str,
    outcome_id: str | None,
    kind: str,
    output: str,
    width: str | None,
    height: str | None,
    max_rows: int,
    dpi: float,
    rules: str | None,
) -> None:
    """Risk-of-bias traffic-light plot and summary bars (RoB 2, ROBINS-I, RoB 1), robvis colours."""
    fmt = _format(output)
    assessment, target = load_drawable(file, output, rules)
    outcome = _outcome(assessment, outcome_id, file) if outcome_id is not None else None
    from gradecli.plots.data import PlotDataError, rob_data, too_many_for_traffic_light
    from gradecli.plots.rob import rob_figure

    blocks = rob_data(assessment, outcome.id if outcome is not None else None)
    too_many = too_many_for_traffic_light(blocks, max_rows) if kind != "summary" else None
    if too_many and kind == "traffic-light":
        _fail(f"{too_many}: --max-rows N draws more, --kind summary draws the summary bars")
    if too_many:
        click.echo(f"gradecli plot: {too_many}: only the summary bars are drawn (--max-rows N draws more)", err=True)
        kind = "summary"
    try:
        fig = rob_figure(
            blocks,
            kind,
            parse_size(width, dpi, "--width"),
            parse_size(height, dpi, "--height"),
        )
    except PlotDataError as exc:
        _fail(str(exc))
    _write(fig, target, output, fmt, dpi)
