"""Start-up time of the command line, against bare Python (prints medians; asserts nothing).

usage: python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ketamine-chronic-pain.yaml"


def median_ms(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


GOAL = 1.5  # issue 21: assess --format json at most 1.5 × the bare library imports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    py = sys.executable
    libs_label = "python -c 'import click, pydantic, rich.console'"
    assess_label = f"gradecli assess examples/{EXAMPLE.name} --format json"
    rows = [
        ("python -c pass", [py, "-c", "pass"]),
        (libs_label, [py, "-c", "import click, pydantic, rich.console"]),
        ("gradecli --version", [py, "-m", "gradecli", "--version"]),
        ("gradecli --help", [py, "-m", "gradecli", "--help"]),
        ("gradecli schema", [py, "-m", "gradecli", "schema"]),
        (f"gradecli validate examples/{EXAMPLE.name}", [py, "-m", "gradecli", "validate", str(EXAMPLE)]),
        (assess_label, [py, "-m", "gradecli", "assess", str(EXAMPLE), "--format", "json"]),
        (f"gradecli assess examples/{EXAMPLE.name} (table)", [py, "-m", "gradecli", "assess", str(EXAMPLE)]),
    ]
    print(f"median wall time over {runs} runs (Python {sys.version.split()[0]})")
    results: dict[str, float] = {}
    for label, cmd in rows:
        results[label] = median_ms(cmd, runs)
    bare = results["python -c pass"]
    libs = results[libs_label]
    print(f"  {'median':>9}  {'over bare':>9}  {'× libs':>6}  command")
    for label, ms in results.items():
        print(f"  {ms:6.1f} ms  {ms - bare:+6.1f} ms  {ms / libs:6.2f}  {label}")
    ratio = results[assess_label] / libs
    print(
        f"assess --format json / import click, pydantic, rich.console = {ratio:.2f} "
        f"(goal ≤ {GOAL}: {'met' if ratio <= GOAL else 'not met'})"
    )


if __name__ == "__main__":
    main()
