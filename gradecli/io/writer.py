"""Write an evidence file (a plain dict) as readable YAML, and write files safely.

The output is checked by parsing it back with the evidence loader before anything is written, so
an importer can never leave an invalid file behind. Strings are written plain when that is
unambiguous under YAML 1.2, otherwise double-quoted (JSON escapes are valid YAML); per-study data
rows are written one per line in flow style.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

from gradecli.io.yaml_scalar import scalar
from gradecli.problems import InputError, printable


class ReviewDoc(TypedDict, total=False):
    """The ``review:`` mapping of an imported evidence document (keys in the order written)."""

    title: str
    doi: str
    notes: str


class _Comparisons(TypedDict, total=False):
    comparisons: list[dict[str, object]]  # written after the review when the file has several


class EvidenceDoc(_Comparisons):
    """An evidence document as an importer builds it (plain data for :func:`dump_evidence`); each
    study and outcome is a mapping of the evidence file's keys in the order they are written."""

    gradecli: int
    review: ReviewDoc
    studies: list[dict[str, object]]
    outcomes: list[dict[str, object]]


def _flow(v: object) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{scalar(k, True)}: {_flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_flow(x) for x in v) + "]"
    return scalar(v, flow=True)


def _block(v: object, indent: int, out: list[str], flow_keys: frozenset[str], key: str | None = None) -> None:
    pad = " " * indent
    if isinstance(v, dict):
        for k, x in v.items():
            nested_list = isinstance(x, list) and any(isinstance(i, (dict, list)) for i in x)
            if (isinstance(x, dict) and x and k not in flow_keys) or nested_list:
                out.append(f"{pad}{scalar(k)}:")
                _block(x, indent + 2, out, flow_keys, k)
            else:
                out.append(f"{pad}{scalar(k)}: {_flow(x)}")
        return
    if isinstance(v, list):
        for item in v:
            if isinstance(item, dict) and key not in flow_keys:
                sub: list[str] = []
                _block(item, indent + 2, sub, flow_keys)
                if sub:
                    sub[0] = pad + "- " + sub[0][indent + 2 :]
                out.extend(sub)
            else:
                out.append(f"{pad}- {_flow(item)}")
        return
    out.append(pad + scalar(v))


def dump_evidence(doc: Mapping[str, object], header: list[str]) -> str:
    """YAML text of an evidence document with a header comment (one ``#`` line per entry). An entry
    may quote a file name or a title from the imported file: its line breaks and other controls are
    written escaped, so it stays inside its comment line and cannot add keys to the document."""
    lines = ["# " + printable(h) if h else "#" for h in header]
    out: list[str] = []
    _block(doc, 0, out, frozenset({"data", "question", "analysis", "domains", "summary", "ci"}))
    return "\n".join(lines + out) + "\n"


def check_evidence_text(text: str, name: str, source: str | None = None) -> None:
    """Parse the text back with the loader. An invalid result comes from what the input file
    (``source``; ``name`` when not given) holds, e.g. a study name longer than an evidence file
    allows: an :class:`InputError` naming the input file and the field."""
    from gradecli.io.evidence import parse_evidence

    try:
        parse_evidence(text, name)
    except InputError as exc:
        p = exc.problems[0]
        what = f"{p.path}: {p.message}" if p.path else p.message
        raise InputError.single(
            source or name, f"cannot be imported: the importer produced an invalid evidence file: {what}"
        ) from None


def write_output(text: str, output: str | None, inputs: list[str], force: bool) -> None:
    """Write ``text`` to ``output`` (stdout when None or ``-``); refuse to overwrite an existing file
    without ``force`` and never write over an input file."""
    if output is None or output == "-":
        import click

        click.echo(text, nl=False)
        return
    from gradecli.report.output import OutputError, check_target, write_atomic

    try:
        target = check_target(output, [src for src in inputs if src])
    except OutputError as exc:
        raise InputError.single(output, str(exc).split(": ", 1)[-1]) from None
    if target.is_file() and not force:  # a FIFO or a device (e.g. /dev/stdout) is written to as it is
        raise InputError.single(output, "already exists; use --force to overwrite it")
    write_atomic(target, text.encode("utf-8"))
