"""``gradecli meta``: pool a CSV of study data (meta-analysis) and print the result."""

from __future__ import annotations

import json
import math
import sys
from typing import TYPE_CHECKING, overload

import click

from gradecli.formatting import fixed
from gradecli.problems import InputError

if TYPE_CHECKING:
    from rich.console import Console

    from gradecli.plots.data import ForestRow
    from gradecli.stats.result import PooledResult

LOG_RATIO_MAX = 709.0  # exp beyond this is not a finite positive float (as gradecli.grade.context)

MEASURES = ("RR", "OR", "RD", "PETO_OR", "MD", "SMD", "HR", "GENERIC")
METHODS = ("IV", "MH", "PETO", "DL", "REML", "PM")


@click.command("meta", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("data", metavar="DATA.csv", type=str)
@click.option(
    "--measure",
    required=True,
    type=click.Choice(MEASURES, case_sensitive=False),
    help="Effect measure. Ratio measures (RR, OR, PETO_OR, HR) are pooled on the log scale.",
)
@click.option(
    "--model",
    type=click.Choice(("fixed", "random"), case_sensitive=False),
    default=None,
    help="fixed or random effects. Default: random, or fixed when --method is IV, MH or PETO.",
)
@click.option(
    "--method",
    type=click.Choice(METHODS, case_sensitive=False),
    default=None,
    help="fixed: IV | MH | PETO; random: DL | REML | PM. Default: REML (random), IV (fixed).",
)
@click.option("--hksj", is_flag=True, help="Hartung-Knapp-Sidik-Jonkman CI and test (random effects; t on k-1 df).")
@click.option(
    "--prediction",
    type=click.Choice(("metafor", "higgins")),
    default="metafor",
    show_default=True,
    help="Prediction interval: metafor predict() (normal, or t(k-1) with --hksj) or "
    "Higgins-Thompson-Spiegelhalter t(k-2) (needs k >= 3).",
)
@click.option(
    "--convention",
    type=click.Choice(("metafor", "revman5")),
    default="metafor",
    show_default=True,
    help="revman5: RevMan 5's continuity correction (also inside the Mantel-Haenszel sums), its approximate SMD "
    "correction and, for --method DL on 2x2 data, Cochran's Q around the Mantel-Haenszel estimate (--q-around MH).",
)
@click.option(
    "--q-around",
    type=click.Choice(("IV", "MH"), case_sensitive=False),
    default="IV",
    show_default=True,
    help="DerSimonian-Laird on 2x2 data: compute Q (and tau2) around the IV or the Mantel-Haenszel estimate "
    "(RevMan 5's random-effects MH analysis).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "json")),
    default="table",
    show_default=True,
    help="table: a readable table (colour only on a terminal); json: one object.",
)
def meta(
    data: str,
    measure: str,
    model: str | None,
    method: str | None,
    hksj: bool,
    prediction: str,
    convention: str,
    q_around: str,
    fmt: str,
) -> None:
    """Pool the studies in DATA.csv ("-" reads stdin).

    \b
    CSV forms, recognised by the header (extra columns are ignored):
      study,events_t,n_t,events_c,n_c              RR, OR, RD, PETO_OR
      study,mean_t,sd_t,n_t,mean_c,sd_c,n_c        MD, SMD (Hedges' g)
      study,yi,sei                                 any measure, yi on the analysis scale
    \b
    With only --measure/--model/--method the numbers are metafor's for the same call
    (escalc add=1/2 to="only0" drop00=TRUE; rma / rma.mh / rma.peto; predict; regtest with
    model="rma", predictor="sei", given only when there are >= 10 study estimates).
    \b
    Examples:
      gradecli meta trials.csv --measure RR --model random --method REML --hksj
      gradecli meta trials.csv --measure OR --model fixed --method MH --format json
      gradecli meta trials.csv --measure RR --model random --method DL --convention revman5 --q-around MH
    Exit codes: 0 ok; 2 bad input or usage (one FILE:LINE:COL: column: message line each).
    """
    from gradecli.io.study_csv import read_study_csv
    from gradecli.problems import Problem
    from gradecli.stats.analysis import PoolingSpec, meta_analysis
    from gradecli.stats.effects import METAFOR_CC, REVMAN_CC, StudyValueError
    from gradecli.stats.pooling import NotEstimableError

    method_u = method.upper() if method else None
    model_l = model.lower() if model else None
    if model_l is None:
        model_l = "fixed" if method_u in ("IV", "MH", "PETO") else "random"
    if method_u is None:
        method_u = "REML" if model_l == "random" else ("PETO" if measure.upper() == "PETO_OR" else "IV")
    try:
        revman = convention == "revman5"
        analysis = PoolingSpec(
            measure,
            model_l,
            method_u,
            hksj=hksj,
            prediction=prediction,
            cc=REVMAN_CC if revman else METAFOR_CC,
            dl_q_around=q_around.upper(),
            smd_correction="revman5" if revman else "exact",
        )
    except ValueError as exc:
        click.echo(f"gradecli meta: usage error: {exc}", err=True)  # one line, exit 2
        raise click.exceptions.Exit(2) from None
    try:
        studies = read_study_csv(data)
    except InputError as exc:
        for p in exc.problems:
            click.echo(p.format(), err=True)
        raise click.exceptions.Exit(2) from None
    name = "<stdin>" if data == "-" else data
    try:
        result = meta_analysis(studies, analysis)
    except NotEstimableError as exc:
        click.echo(f"{name}: {exc}", err=True)
        raise click.exceptions.Exit(2) from None
    except StudyValueError as exc:
        # a study's numbers out of range (SD 1e-300, yi 1e308, ...): FILE:LINE:COL: column: message
        line, col = _locate(data, exc.study, exc.field)
        click.echo(Problem(name, line, col, exc.field or "", str(exc)).format(), err=True)
        raise click.exceptions.Exit(2) from None
    except ValueError as exc:
        click.echo(f"{name}: {exc}", err=True)
        raise click.exceptions.Exit(2) from None
    if fmt == "json":
        sys.stdout.write(json.dumps(result.to_json_dict(), ensure_ascii=False, allow_nan=False) + "\n")
        return
    extra = ("; Q around the Mantel-Haenszel estimate" if q_around.upper() == "MH" else "") + (
        "; RevMan 5 conventions" if convention == "revman5" else ""
    )
    _print_table(result, name, extra)


def _locate(path: str, study: str, column: str | None) -> tuple[int, int]:
    """(line, column) of a study's row — and of ``column`` in it — in the CSV; (0, 0) for stdin."""
    if path == "-":
        return 0, 0
    from gradecli.io.study_csv import _split

    try:
        with open(path, encoding="utf-8-sig") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return 0, 0
    header: list[str] | None = None
    for number, text in enumerate(lines, start=1):
        fields = _split(text) if text.strip() else None
        if fields is None:
            continue
        if header is None:
            header = [f.strip().lower() for f, _ in fields]
            continue
        if "study" in header and len(fields) == len(header) and fields[header.index("study")][0].strip() == study:
            col = fields[header.index(column)][1] if column in header else 1
            return number, col
    return 0, 0


def _fmt(x: float | None, digits: int = 2) -> str:
    if x is None or not math.isfinite(x):
        return "-"
    return fixed(x, digits)


def _print_table(result: PooledResult, name: str, extra: str = "") -> None:
    from rich.table import Table

    ratio = result.is_ratio

    def show(x: float | None) -> str:
        """Never 'inf' or 'nan'; powers of ten from a million on (gradecli.formatting)."""
        if x is None or not math.isfinite(x):
            return "-"
        if ratio:
            if abs(x) > LOG_RATIO_MAX:
                return "above 1e307" if x > 0 else "below 1e-307"
            return fixed(math.exp(x))
        return fixed(x)

    from gradecli.commands.terminal import stdout_console

    console = stdout_console()
    scale = f"{result.measure}" + (" (ratio scale)" if ratio else "")
    model = f"{result.model} effects, {result.method}" + (", HKSJ" if result.hksj else "") + extra
    table = Table(title=f"{name}: {scale}, {model}", title_justify="left")
    table.add_column("Study")
    table.add_column(result.measure, justify="right")
    table.add_column("95% CI", justify="right")
    table.add_column("Weight %", justify="right")
    # study rows come from the weights (IV/random: studies with an estimate; MH/Peto: all tables)
    eff = result.effects
    study: dict[str, tuple[float, float]] = {}
    if eff is not None:
        for label, yi, vi in zip(eff.labels, eff.yi, eff.vi, strict=True):
            study[label] = (yi, math.sqrt(vi))
    for label, w in result.weights:
        if label in study:
            yi, se = study[label]
            table.add_row(
                label,
                show(yi),
                f"{show(yi - 1.959963984540054 * se)} to {show(yi + 1.959963984540054 * se)}",
                _fmt(w, 1),
            )
        else:
            table.add_row(label, "-", "-", _fmt(w, 1))
    table.add_section()
    table.add_row(
        "[bold]Pooled[/bold]",
        f"[bold]{show(result.estimate)}[/bold]",
        f"{show(result.ci_lb)} to {show(result.ci_ub)}",
        "100.0",
    )
    console.print(table)
    _print_forest(result, console)
    p = "-" if result.pval is None else f"{result.pval:.3g}"
    stat = _fmt(result.stat)
    console.print(
        f"Test: {result.test} = {stat}, p = {p}" + (f" (df {result.df})" if result.df else "") + f"; k = {result.k}"
    )
    het = f"Heterogeneity: Q = {_fmt(result.q)} (df {result.q_df}), p = {result.q_p:.3g}; I² = {result.i2:.1f}%"
    if result.tau2 is not None:
        het += f"; tau² = {result.tau2:.4g}"
    console.print(het)
    if result.pi_lb is not None:
        console.print(f"95% prediction interval ({result.prediction}): {show(result.pi_lb)} to {show(result.pi_ub)}")
    if result.egger_p is not None:
        console.print(f"Egger's test: p = {result.egger_p:.3g}")
    for d in result.dropped:
        console.print(f"dropped: {d.study}: {d.reason}")
    for warning in result.warnings:
        console.print(f"warning: {warning}")


def _print_forest(result: PooledResult, console: Console) -> None:
    """The text forest plot under the table (gradecli.report.forest_text)."""
    from gradecli.plots.data import MEASURE_NAMES, ForestData, ForestRow
    from gradecli.report.forest_text import forest_table

    ratio = result.is_ratio

    def nat(x: float | None) -> float | None:
        """The natural scale; None for a ratio beyond the float range (not drawn)."""
        if x is None:
            return None
        if ratio:
            return math.exp(x) if abs(x) <= LOG_RATIO_MAX else None
        return x

    eff = result.effects
    study: dict[str, tuple[float, float]] = {}
    if eff is not None:
        for label, yi, vi in zip(eff.labels, eff.yi, eff.vi, strict=True):
            study[label] = (yi, math.sqrt(vi))
    rows: list[ForestRow] = []
    for label, w in result.weights:
        yi_se = study.get(label)
        if yi_se is None:
            rows.append(ForestRow(label, label, None, None, None, w / 100.0, (), ()))
            continue
        yi, se = yi_se
        z = 1.959963984540054 * se
        est, lo, hi = nat(yi), nat(yi - z), nat(yi + z)
        if est is None or lo is None or hi is None:
            est = lo = hi = None
        rows.append(ForestRow(label, label, est, lo, hi, w / 100.0, (), ()))
    if not rows:
        return
    data = ForestData(
        outcome_id="",
        outcome_name="",
        measure=result.measure,
        measure_name=MEASURE_NAMES.get(result.measure, result.measure),
        log_scale=ratio,
        null=1.0 if ratio else 0.0,
        rows=rows,
        pooled=_all_or_none(nat(result.estimate), nat(result.ci_lb), nat(result.ci_ub)),
        prediction=_all_or_none(nat(result.pi_lb), nat(result.pi_ub)) if result.k > 2 else None,
        favours=("", ""),
    )
    console.print(forest_table(data, min(console.width, 100)))


@overload
def _all_or_none(a: float | None, b: float | None, /) -> tuple[float, float] | None: ...
@overload
def _all_or_none(a: float | None, b: float | None, c: float | None, /) -> tuple[float, float, float] | None: ...
def _all_or_none(*values: float | None) -> tuple[float, ...] | None:
    return None if any(v is None for v in values) else tuple(v for v in values if v is not None)
