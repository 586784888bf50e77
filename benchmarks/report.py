"""Time and size of ``gradecli report`` on a large real review and on a very large generated one.

* **113 outcomes**: the shape of the real 113-outcome Cochrane review issue 17 measured (35 s, 280 MB,
  9.1 MB of HTML before): the 79 analyses of the shared sample ``CD008625StatsDataOnly.rm5`` and the
  first 34 of ``CD009865StatsDataOnly.rm5``, each imported with ``gradecli import revman`` and merged
  into one evidence file (the second review's study ids prefixed ``B-`` so that the two sets stay
  apart; its subgroup hypotheses dropped, as they name its studies).
* **20,000 studies** (``--large``): one outcome with 20,000 studies, generated as
  ``benchmarks/scale.py`` does; the report draws that forest plot summarised and leaves out the
  traffic-light plot (issue 16: size).

For each it prints the median wall-clock time of ``--repeat`` runs of the whole command in a new
process (start-up, load, assess, draw, write), the peak resident memory of one run (``ru_maxrss`` of
the child) and the size of the HTML written. Prints figures only; asserts nothing.

usage: python benchmarks/report.py [--repeat 3] [--large] [--shared PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ("CD008625StatsDataOnly.rm5", 79), ("CD009865StatsDataOnly.rm5", 34)


def _import(rm5: Path, out: Path) -> dict[str, object]:
    subprocess.run(
        [sys.executable, "-m", "gradecli", "import", "revman", str(rm5), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    return yaml.safe_load(out.read_text(encoding="utf-8"))


def _prefix(node: object, prefix: str) -> object:
    """Every ``study:`` value (data rows, overrides) prefixed."""
    if isinstance(node, dict):
        return {k: (prefix + v if k == "study" and isinstance(v, str) else _prefix(v, prefix)) for k, v in node.items()}
    if isinstance(node, list):
        return [_prefix(v, prefix) for v in node]
    return node


def merged_review(shared: Path, folder: Path) -> Path:
    docs = [_import(shared / name, folder / f"{name}.yaml") for name, _ in SAMPLES]
    a, b = docs
    outcomes = list(a["outcomes"])[: SAMPLES[0][1]]  # type: ignore[call-overload]
    for o in list(b["outcomes"])[: SAMPLES[1][1]]:  # type: ignore[call-overload]
        o = dict(o)
        o.pop("subgroups", None)
        o["id"] = "B-" + str(o["id"])
        if "comparison" in o:  # the two reviews' comparisons stay apart
            o["comparison"] = "B-" + str(o["comparison"])
        outcomes.append(_prefix(o, "B-"))
    studies = list(a["studies"]) + [{**s, "id": "B-" + str(s["id"])} for s in b["studies"]]  # type: ignore[call-overload]
    comparisons = list(a.get("comparisons", [])) + [  # type: ignore[call-overload]
        {**c, "id": "B-" + str(c["id"])}
        for c in b.get("comparisons", [])  # type: ignore[attr-defined]
    ]
    used = {o["comparison"] for o in outcomes if "comparison" in o}  # type: ignore[operator]
    doc = {**a, "studies": studies, "outcomes": outcomes}
    if comparisons:
        doc["comparisons"] = [c for c in comparisons if c["id"] in used]
    path = folder / "review-113-outcomes.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def large_review(folder: Path, k: int = 20_000) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from scale import evidence_doc

    path = folder / f"review-{k}-studies.json"
    path.write_text(json.dumps(evidence_doc(k)), encoding="utf-8")
    return path


def _run(evidence: Path, html: Path) -> tuple[float, int]:
    """(seconds, peak RSS in KiB) of one run; the peak is this child's own (``os.wait4``)."""
    t0 = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "gradecli", "report", str(evidence), "-o", str(html)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - t0
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"gradecli report {evidence} exited {child.returncode}")
    return seconds, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--large", action="store_true", help="also the 20,000-study review")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "formats" / "samples" / "revman5-rm5")
    args = parser.parse_args()
    import gradecli

    print(f"python {sys.version.split()[0]}, gradecli {gradecli.__version__}, median of {args.repeat} runs")
    with tempfile.TemporaryDirectory(prefix="gradecli-report-bench-") as tmp:
        folder = Path(tmp)
        cases = []
        if args.shared.is_dir():
            cases.append(("113 outcomes (2 RevMan samples)", merged_review(args.shared, folder)))
        else:
            print(f"(no RevMan samples at {args.shared}: the 113-outcome case is skipped)")
        if args.large:
            cases.append(("1 outcome, 20,000 studies", large_review(folder)))
        print(f"{'review':34} {'time':>8} {'peak RSS':>10} {'HTML':>10}")
        for name, evidence in cases:
            html = folder / "report.html"
            runs = [_run(evidence, html) for _ in range(args.repeat)]
            seconds = statistics.median(t for t, _ in runs)
            peak_mb = max(m for _, m in runs) / 1024
            print(f"{name:34} {seconds:7.2f}s {peak_mb:8.0f} MB {html.stat().st_size / 1e6:7.2f} MB")


if __name__ == "__main__":
    main()
