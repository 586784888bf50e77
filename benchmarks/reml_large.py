"""REML on a very large study CSV, whole process (reading the CSV included): `gradecli meta` against
PyMARE (prints medians; asserts nothing).

usage: python benchmarks/reml_large.py [--studies 100000] [--runs 5] [--pymare-python PATH]

PyMARE is not a dependency of gradecli: give ``--pymare-python`` a Python that has it (for example
``python -m venv /tmp/pymare && /tmp/pymare/bin/pip install pymare==0.0.13 pandas``); without it only
gradecli is timed. Both read the same CSV (study, yi, sei) and fit the random-effects model by REML;
the script checks that their tau² agree to 1e-6 relative before it prints a ratio.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 0.4  # issue 21: gradecli's whole-process time at most 0.4 × PyMARE's

PYMARE = """
import sys
import pandas as pd
from pymare import Dataset, estimators
d = pd.read_csv(sys.argv[1])
ds = Dataset(y=d.yi.values, v=d.sei.values ** 2)
est = estimators.VarianceBasedLikelihoodEstimator(method="REML").fit_dataset(ds)
print(repr(float(est.summary().tau2.ravel()[0])))
"""


def write_csv(path: Path, k: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["study", "yi", "sei"])
        for i in range(k):
            s = rng.uniform(0.05, 0.6)
            w.writerow([f"s{i}", repr(rng.gauss(-0.3, math.sqrt(s * s + 0.04))), repr(s)])


def run(cmd: list[str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed: {r.stderr[-400:]}")
    return seconds, r.stdout


def timed(commands: list[list[str]], runs: int) -> list[tuple[float, str]]:
    """Median wall time of each command, the commands run in turn (a load on the machine then
    slows them alike), with the last output of each."""
    times: list[list[float]] = [[] for _ in commands]
    outs = [""] * len(commands)
    for _ in range(runs):
        for i, cmd in enumerate(commands):
            seconds, outs[i] = run(cmd)
            times[i].append(seconds)
    return [(statistics.median(t), out) for t, out in zip(times, outs, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--studies", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pymare-python", default=None, help="a Python with pymare and pandas installed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gradecli-reml-") as tmp:
        path = Path(tmp) / "studies.csv"
        write_csv(path, args.studies)
        cmd = [sys.executable, "-m", "gradecli", "meta", str(path), "--measure", "GENERIC", "--model", "random"]
        commands = [[*cmd, "--method", "REML", "--format", "json"]]
        if args.pymare_python is not None:
            commands.append([args.pymare_python, "-c", PYMARE, str(path)])
        results = timed(commands, args.runs)
        import json

        g, out = results[0]
        tau2 = json.loads(out)["tau2"]
        size = path.stat().st_size / 1e6
        print(f"REML, k = {args.studies:,} ({size:.1f} MB CSV), whole process, median of {args.runs}:")
        print(f"  gradecli meta   {g:6.3f} s   tau2 = {tau2!r}")
        if args.pymare_python is None:
            print("  PyMARE          not timed (--pymare-python PATH)")
            return
        p, pout = results[1]
        ptau2 = float(pout.strip())
        agree = abs(ptau2 - tau2) <= 1e-6 * abs(ptau2)
        print(f"  PyMARE          {p:6.3f} s   tau2 = {ptau2!r} ({'agrees' if agree else 'DIFFERS'} to 1e-6)")
        ratio = g / p
        print(f"gradecli / PyMARE = {ratio:.2f} (goal ≤ {GOAL}: {'met' if ratio <= GOAL else 'not met'})")


if __name__ == "__main__":
    main()
