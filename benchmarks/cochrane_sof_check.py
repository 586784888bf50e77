"""`gradecli check` over the published Cochrane Summary-of-Findings rows (prints figures; asserts nothing).

Converts `shared/data/cochrane-sof/sof_rows.csv` (50,839 rows from 5,015 reviews) into summary-level
evidence files — one file per SoF table, one outcome per row, with the authors' certainty as
`recorded_certainty` — runs `gradecli check` on the folder, and counts the rows each finding flags.

usage: python benchmarks/cochrane_sof_check.py [--csv PATH] [--keep DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "cochrane-sof" / "sof_rows.csv"
LEVEL = {"high": "high", "moderate": "moderate", "low": "low", "very low": "very_low"}


def _num(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _outcome(i: int, row: dict[str, str]) -> dict[str, object]:
    kind = row["effect_type"]
    summary: dict[str, object] = {}
    est, lo, hi = _num(row["point_estimate"]), _num(row["lower_ci"]), _num(row["upper_ci"])
    if kind in ("RR", "OR", "HR") and est is not None and lo is not None and hi is not None:
        summary.update({"estimate": est, "ci": [lo, hi]})
    n, k = _num(row["nr_participants_cleaned"]), _num(row["nr_studies_cleaned"])
    if n is not None:
        summary["participants"] = int(n)
    if k is not None:
        summary["studies"] = int(k)
    out: dict[str, object] = {
        "id": f"row-{i}",
        "name": f"Row {i}" + (" (primary)" if row["primary_outcome"] == "True" else ""),
        "importance": "critical",
        "type": "generic" if kind in ("HR", "") else "dichotomous",
        "measure": kind or "GENERIC",
        "summary": summary,
    }
    if row["certainty_cleaned"] in LEVEL:
        out["recorded_certainty"] = LEVEL[row["certainty_cleaned"]]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--keep", type=Path, default=None, help="write the evidence files here and keep them")
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args()
    if not args.csv.is_file():
        print(f"{args.csv}: not found (the shared Cochrane SoF data); give --csv PATH", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    tables: dict[tuple[str, str], list[dict[str, str]]] = collections.defaultdict(list)
    with open(args.csv, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            tables[(row["cochrane_id"], row["table_nr"])].append(row)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="gradecli-cochrane-sof-"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".git").mkdir(exist_ok=True)
    rows = 0
    for (review, table), items in sorted(tables.items()):
        doc = {
            "gradecli": 1,
            "review": {"title": f"{review} table {table}", "notes": "Converted from published SoF rows."},
            "outcomes": [_outcome(i, r) for i, r in enumerate(items)],
        }
        rows += len(items)
        (folder / f"{review}-t{table}.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")
    print(f"{rows:,} rows → {len(tables):,} evidence files (one per SoF table) in {folder} "
          f"({time.perf_counter() - t0:.1f} s)")
    t1 = time.perf_counter()
    cmd = [sys.executable, "-m", "gradecli", "check", str(folder), "--format", "json", "--notes"]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t1
    findings = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    by_code: collections.Counter[str] = collections.Counter()
    files_by_code: dict[str, set[str]] = collections.defaultdict(set)
    messages: dict[str, str] = {}
    for f in findings:
        by_code[f["code"]] += 1
        files_by_code[f["code"]].add(f["file"])
        messages.setdefault(f["code"], f"{Path(f['file']).name}:{f['line']}: {f['message'][:110]}")
    print(f"gradecli check: {seconds:.1f} s whole process, {rows / seconds:,.0f} rows/s, "
          f"{len(tables) / seconds:,.0f} files/s (exit {out.returncode})")
    print("  " + (out.stderr.strip().splitlines() or [""])[-1])
    print(f"{'code':<6} {'title':<48} {'findings':>9} {'files':>7}  example")
    for code in sorted(by_code):
        title = findings[[f["code"] for f in findings].index(code)]["title"]
        print(f"{code:<6} {title:<48} {by_code[code]:>9,} {len(files_by_code[code]):>7,}  {messages[code]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
