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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    py = sys.executable
    rows = [
        ("python -c pass", [py, "-c", "pass"]),
        ("python -c 'import click, pydantic, rich.console'", [py, "-c", "import click, pydantic, rich.console"]),
        ("gradecli --version", [py, "-m", "gradecli", "--version"]),
        (f"gradecli validate examples/{EXAMPLE.name}", [py, "-m", "gradecli", "validate", str(EXAMPLE)]),
        (f"gradecli assess examples/{EXAMPLE.name} --format json",
         [py, "-m", "gradecli", "assess", str(EXAMPLE), "--format", "json"]),
        (f"gradecli assess examples/{EXAMPLE.name} (table)", [py, "-m", "gradecli", "assess", str(EXAMPLE)]),
    ]
    base = None
    print(f"median wall time over {runs} runs (Python {sys.version.split()[0]})")
    results = {}
    for label, cmd in rows:
        ms = median_ms(cmd, runs)
        base = base or ms
        results[label] = ms
        print(f"  {ms:8.1f} ms  (+{ms - base:6.1f} ms over bare python)  {label}")
    libs = results["python -c 'import click, pydantic, rich.console'"]
    assess_json = results[f"gradecli assess examples/{EXAMPLE.name} --format json"]
    print(f"assess --format json / import click, pydantic, rich.console = {assess_json / libs:.2f} "
          "(issue 5 budget: 1.5)")


if __name__ == "__main__":
    main()
