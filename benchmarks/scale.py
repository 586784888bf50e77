"""Scaling in the number of studies: one dichotomous outcome (RR, the default random effects REML)
with k studies, each with an id, design rct and a RoB 2 overall judgment, and one data row each.

For each k it times (median of ``--repeat`` runs, wall clock):

* ``load``: ``gradecli.load(path)``: read, parse, validate and cross-check the file;
* ``assess``: ``gradecli.assess(evidence)`` on the loaded evidence: pool, grade, build the result;
* ``process``: the whole command ``gradecli assess FILE --format json --output OUT`` in a new
  process (``sys.executable -m gradecli``): start-up, load, assess and writing the JSON.

The files are generated in a temporary folder from a fixed seed (the same files on every run), as
YAML in flow style (the most compact form gradecli reads). A file larger than the input limit
(``gradecli.io.source.MAX_BYTES``, 8 MiB; there is no setting to raise it) is written as compact
JSON instead; if that is still too large, the command line refuses it (the table says so) and
``load`` is timed through ``gradecli.io.evidence.load_evidence_tree(path, text)`` with the text read
by this script: the same parsing, validation and cross-checks, only the size check skipped.

A document also holds at most ``gradecli.io.tree.MAX_VALUES`` (1,000,000) values and each study
takes 12 here (6 in ``studies``, 6 in its data row), so 100,000 studies are refused with "more than
1,000,000 values". ``--lift-value-limit`` raises that limit in this process only (for ``load`` and
``assess``; every check still runs) so that the in-process times can be measured at that size.

Prints figures only; asserts nothing.

usage: python benchmarks/scale.py [--sizes 1000,10000,100000] [--repeat 3] [--lift-value-limit] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from gradecli.model.evidence import Evidence

T = TypeVar("T")

JUDGMENTS = ("low", "low", "some_concerns", "high")


def evidence_doc(k: int, seed: int = 20240601) -> dict[str, object]:
    """The evidence document with ``k`` studies (deterministic for a given ``seed``)."""
    rng = random.Random(seed)
    studies: list[dict[str, object]] = []
    rows: list[dict[str, object]] = []
    for i in range(1, k + 1):
        sid = f"S{i}"
        studies.append({"id": sid, "design": "rct", "risk_of_bias": {"tool": "rob2", "overall": rng.choice(JUDGMENTS)}})
        n_t, n_c = rng.randint(20, 400), rng.randint(20, 400)
        p_c = rng.uniform(0.05, 0.4)
        e_c = rng.randint(0, int(n_c * p_c) + 1)
        e_t = rng.randint(0, int(n_t * p_c * 0.8) + 1)
        rows.append({"study": sid, "events_t": e_t, "n_t": n_t, "events_c": e_c, "n_c": n_c})
    return {
        "gradecli": 1,
        "review": {
            "title": f"Generated review with {k} studies",
            "question": {"population": "Adults", "intervention": "Drug", "comparison": "Placebo"},
        },
        "studies": studies,
        "outcomes": [
            {
                "id": "death",
                "name": "Death",
                "importance": "critical",
                "type": "dichotomous",
                "measure": "RR",
                "benefit": "lower",
                "thresholds": {"mid": 20, "per": 1000},
                "judgements": {"indirectness": {"rating": "not_serious", "reason": "Direct evidence."}},
                "data": rows,
            }
        ],
    }


def _flow(value: object) -> str:
    """YAML flow style of plain data (ids, words and numbers only: nothing needs quoting here)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    return str(value)


def yaml_text(doc: dict[str, object]) -> str:
    studies = doc["studies"]
    outcomes = doc["outcomes"]
    assert isinstance(studies, list) and isinstance(outcomes, list)
    outcome = outcomes[0]
    lines = ["gradecli: 1", f"review: {_flow(doc['review'])}", "studies:"]
    lines += [f"  - {_flow(s)}" for s in studies]
    lines.append("outcomes:")
    lines.append("  - " + "\n    ".join(f"{k}: {_flow(v)}" for k, v in outcome.items() if k != "data"))
    lines.append("    data:")
    lines += [f"      - {_flow(r)}" for r in outcome["data"]]
    return "\n".join(lines) + "\n"


def write_file(folder: Path, k: int, max_bytes: int) -> Path:
    """The evidence file for ``k`` studies: YAML, or compact JSON when the YAML is over the limit."""
    doc = evidence_doc(k)
    path = folder / f"scale-{k}.yaml"
    text = yaml_text(doc)
    if len(text.encode("utf-8")) > max_bytes:
        path = folder / f"scale-{k}.json"
        text = json.dumps(doc, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    return path


def median_time(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Median wall time of ``repeat`` calls (at least one) and the last call's result."""
    times: list[float] = []
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1e3:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def measure(k: int, folder: Path, repeat: int) -> str:
    """One line of the table: the file for ``k`` studies and its three times."""
    import gradecli
    from gradecli.io.evidence import load_evidence_tree
    from gradecli.io.source import MAX_BYTES, read_text
    from gradecli.problems import InputError

    path = write_file(folder, k, MAX_BYTES)
    size = path.stat().st_size
    notes: list[str] = []
    if size > MAX_BYTES:
        notes.append(f"{size:,} bytes is over the {MAX_BYTES:,}-byte limit: load from the text")
        text = read_text(str(path), max_bytes=size)

        def load() -> Evidence:
            return load_evidence_tree(str(path), text)[0]
    else:

        def load() -> Evidence:
            return gradecli.load(str(path))

    t_load: float | None = None
    t_assess: float | None = None
    try:
        t_load, evidence = median_time(load, repeat)
    except InputError as exc:
        notes.append(f"load refused: {exc.problems[0].format()}")
    else:
        t_assess, _ = median_time(lambda: gradecli.assess(evidence), repeat)

    out = folder / f"scale-{k}.assessment.json"
    cmd = [sys.executable, "-m", "gradecli", "assess", str(path), "--format", "json", "--output", str(out)]
    times: list[float] = []
    for _ in range(max(1, repeat)):
        out.unlink(missing_ok=True)
        t0 = time.perf_counter()
        run = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if run.returncode != 0:
            last = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else ""
            notes.append(f"command refused (exit {run.returncode}, {times[-1]:.2f} s): {last}")
            break
    t_process = statistics.median(times) if not run.returncode else None
    kind = path.suffix.lstrip(".").upper()
    return (
        f"{k:>9,} {f'{size / 2**20:.1f} MiB {kind}':>15} {fmt(t_load):>9} {fmt(t_assess):>9} {fmt(t_process):>9}  "
        + "; ".join(notes)
    ).rstrip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="numbers of studies, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the median is printed)")
    parser.add_argument(
        "--lift-value-limit",
        action="store_true",
        help="raise the 1,000,000-values limit in this process (for load and assess at 100,000 studies)",
    )
    parser.add_argument("--keep", type=Path, default=None, help="write the files here and keep them")
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    import gradecli
    import gradecli.io.tree as tree

    if args.lift_value_limit:
        tree.MAX_VALUES = 100 * tree.MAX_VALUES
    folder = args.keep or Path(tempfile.mkdtemp(prefix="gradecli-scale-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, gradecli {gradecli.__version__}, median of {args.repeat} runs")
    print(f"files in {folder}")
    if args.lift_value_limit:
        print(f"(in-process value limit raised to {tree.MAX_VALUES:,}; the command keeps 1,000,000)")
    header = f"{'studies':>9} {'file':>15} {'load':>9} {'assess':>9} {'process':>9}  notes"
    print(header)
    print("-" * len(header))
    for k in sizes:
        print(measure(k, folder, args.repeat), flush=True)


if __name__ == "__main__":
    main()
