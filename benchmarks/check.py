"""Throughput of `gradecli check`: generate N evidence files × 10 outcomes × 10 studies and time the
whole command (prints figures; asserts nothing).

usage: python benchmarks/check.py [--files 1000] [--jobs 1 2] [--repeat N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

JUDGMENTS = ["low", "low", "some_concerns", "high"]


def evidence_file(seed: int, outcomes: int = 10, studies: int = 10) -> str:
    rng = random.Random(seed)
    lines = [
        "gradecli: 1",
        f"review: {{title: Generated review {seed}, question: {{population: Adults, intervention: Drug, "
        "comparison: Placebo}}",
        "defaults: {analysis: {model: random, method: REML}}",
        "studies:",
    ]
    for s in range(studies):
        lines.append(f"  - {{id: S{s}, design: rct, risk_of_bias: {{tool: rob2, overall: {rng.choice(JUDGMENTS)}}}}}")
    lines.append("outcomes:")
    for o in range(outcomes):
        dich = o % 2 == 0
        lines += [
            f"  - id: outcome-{o}",
            f"    name: Outcome {o}",
            f"    importance: {'critical' if o < 3 else 'important'}",
            f"    type: {'dichotomous' if dich else 'continuous'}",
            f"    measure: {'RR' if dich else 'MD'}",
            "    benefit: lower",
            "    thresholds: {mid: " + ("20, per: 1000}" if dich else "5}"),
            "    judgements:",
            "      indirectness: {rating: not_serious, reason: Direct evidence.}",
            "    data:",
        ]
        for s in range(studies):
            n_t, n_c = rng.randint(20, 400), rng.randint(20, 400)
            if dich:
                p = rng.uniform(0.05, 0.4)
                e_t, e_c = rng.randint(0, int(n_t * p * 0.8) + 1), rng.randint(0, int(n_c * p) + 1)
                lines.append(f"      - {{study: S{s}, events_t: {e_t}, n_t: {n_t}, events_c: {e_c}, n_c: {n_c}}}")
            else:
                m_c = rng.uniform(40, 60)
                lines.append(
                    f"      - {{study: S{s}, mean_t: {m_c - rng.uniform(-2, 8):.1f}, sd_t: "
                    f"{rng.uniform(8, 20):.1f}, n_t: {n_t}, mean_c: {m_c:.1f}, sd_c: {rng.uniform(8, 20):.1f}, "
                    f"n_c: {n_c}}}"
                )
    return "\n".join(lines) + "\n"


GOAL = 2000  # issue 21: outcomes/s with --jobs 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="runs per --jobs value (the median is shown)")
    parser.add_argument("--keep", type=Path, default=None, help="write the files here and keep them")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="gradecli-check-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".git").mkdir(exist_ok=True)  # no .gradecli.yaml above this folder is used
    for i in range(args.files):
        (folder / f"review-{i:05d}.yaml").write_text(evidence_file(i), encoding="utf-8")
    size = sum(p.stat().st_size for p in folder.glob("*.yaml"))
    outcomes = args.files * 10
    print(f"{args.files:,} files × 10 outcomes × 10 studies ({size / 1e6:.1f} MB) in {folder}")
    medians: dict[int, float] = {}
    for jobs in args.jobs:
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-m", "gradecli", "check", str(folder), "--jobs", str(jobs)],
                capture_output=True,
                text=True,
            )
            seconds = time.perf_counter() - t0
            times.append(seconds)
            summary = out.stderr.strip().splitlines()[-1] if out.stderr.strip() else ""
            print(
                f"  --jobs {jobs}: {seconds:6.2f} s whole process, {outcomes / seconds:8.0f} outcomes/s, "
                f"{args.files / seconds:6.1f} files/s (exit {out.returncode})"
            )
            print(f"      {summary}")
        medians[jobs] = statistics.median(times)
    first = args.jobs[0]
    print(f"median of {args.repeat} run(s) | goal: ≥ {GOAL:,} outcomes/s with --jobs 2")
    print(f"  {'jobs':>4}  {'seconds':>8}  {'outcomes/s':>10}  {'× goal':>6}  {'speed-up':>8}")
    for jobs, seconds in medians.items():
        rate = outcomes / seconds
        print(f"  {jobs:>4}  {seconds:8.2f}  {rate:10.0f}  {rate / GOAL:6.2f}  {medians[first] / seconds:7.2f}×")


if __name__ == "__main__":
    main()
