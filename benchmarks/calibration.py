"""Calibration of gradecli's imprecision proposal against published Cochrane Summary-of-Findings rows.

Not a test: it prints figures. For each published row with a relative effect (RR, OR, HR) it builds a
summary-level outcome — ``summary: {estimate, ci, participants, studies}``, no assumed risk, no
thresholds, no risk-of-bias or indirectness data — runs gradecli's own engine on it under a rule set,
and cross-tabulates the review authors' certainty against the share of rows gradecli proposes to rate
down for imprecision. A rule that tracks the authors' judgements rates few High rows down and many
Very low rows down (the authors' Very low rows are not all imprecise, so the gap cannot be 100).

Rows are built with the pydantic models and checked with the evidence file's own cross-checks
(``gradecli.model.checks``); rows the format would refuse are skipped and counted by reason.

    python benchmarks/calibration.py                       # default, core-grade, pollock-2016, strict
    python benchmarks/calibration.py --rules default --csv /path/to/sof_rows.csv

A sanity figure, never a target (rulebook R6.5): the published ratings are not ground truth — the
authors judged absolute effects at their own baseline risks against their own targets, which these
rows do not give — and no default is tuned towards them.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

DEFAULT_CSV = "/work/shared/data/cochrane-sof/sof_rows.csv"
LEVELS = ("high", "moderate", "low", "very low")
RATINGS = ("not_serious", "serious", "very_serious", "extremely_serious")
BATCH = 500


def _number(text: str) -> float | None:
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _count(text: str) -> int | None:
    """A count column ('2481.0'): None when empty; raises ValueError when not a whole number >= 0."""
    v = _number(text) if text.strip() else None
    if v is None:
        if text.strip():
            raise ValueError("count is not a number")
        return None
    if v < 0 or v != int(v):
        raise ValueError("count is not a whole number >= 0")
    return int(v)


def read_rows(path: Path) -> tuple[list[dict], Counter]:
    """Rows with a relative effect that pass the basic shape checks, and the skipped ones by reason."""
    kept: list[dict] = []
    skipped: Counter = Counter()
    with path.open(newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            et = (row.get("effect_type") or "").strip().upper()
            if et not in ("RR", "OR", "HR"):
                skipped["no relative effect (effect_type not RR/OR/HR)"] += 1
                continue
            certainty = (row.get("certainty_cleaned") or "").strip().lower()
            if certainty not in LEVELS:
                skipped["no authors' certainty"] += 1
                continue
            est, lo, hi = (_number(row.get(k) or "") for k in ("point_estimate", "lower_ci", "upper_ci"))
            if est is None or lo is None or hi is None:
                skipped["estimate or CI missing"] += 1
                continue
            if est <= 0 or lo <= 0 or hi <= 0:
                skipped["ratio or CI limit <= 0"] += 1
                continue
            if not lo < hi:
                skipped["CI lower limit not below upper limit"] += 1
                continue
            try:
                n = _count(row.get("nr_participants_cleaned") or "")
                k = _count(row.get("nr_studies_cleaned") or "")
            except ValueError:
                skipped["participants or studies not a whole number"] += 1
                continue
            kept.append(
                {
                    "i": i,
                    "id": row.get("cochrane_id", ""),
                    "type": et,
                    "est": est,
                    "lo": lo,
                    "hi": hi,
                    "n": n,
                    "k": k,
                    "certainty": certainty,
                }
            )
    return kept, skipped


def _outcome(r: dict) -> dict:
    dichotomous = r["type"] in ("RR", "OR")
    return {
        "id": f"row{r['i']}",
        "name": f"row {r['i']}",
        "importance": "critical",
        "type": "dichotomous" if dichotomous else "generic",
        "measure": r["type"],
        "summary": {"estimate": r["est"], "ci": [r["lo"], r["hi"]], "participants": r["n"], "studies": r["k"]},
    }


def build_batches(rows: list[dict], skipped: Counter) -> list[tuple[object, list[dict]]]:
    """Evidence objects of up to BATCH outcomes; rows the format refuses are dropped and counted."""
    from pydantic import ValidationError

    from gradecli.model.checks import check_evidence
    from gradecli.model.evidence import Evidence

    out = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        doc = {"gradecli": 1, "review": {"title": "Cochrane SoF rows"}, "outcomes": [_outcome(r) for r in chunk]}
        try:
            ev = Evidence.model_validate(doc)
        except ValidationError as exc:  # pragma: no cover - shape checks above should prevent this
            bad = {e["loc"][1] for e in exc.errors() if len(e["loc"]) > 1 and e["loc"][0] == "outcomes"}
            skipped["refused by the evidence model"] += len(bad)
            chunk = [r for j, r in enumerate(chunk) if j not in bad]
            doc["outcomes"] = [_outcome(r) for r in chunk]
            ev = Evidence.model_validate(doc)
        problems = check_evidence(ev)
        if problems:
            bad_at: dict[int, str] = {}
            for loc, msg, _code in problems:
                bad_at.setdefault(int(loc[1]), _reason(msg))
            for reason in bad_at.values():
                skipped[f"refused by the format: {reason}"] += 1
            chunk = [r for j, r in enumerate(chunk) if j not in bad_at]
            if not chunk:
                continue
            doc["outcomes"] = [_outcome(r) for r in chunk]
            ev = Evidence.model_validate(doc)
            assert not check_evidence(ev)
        out.append((ev, chunk))
    return out


def _reason(msg: str) -> str:
    """Group cross-check messages by kind (drop the numbers)."""
    if "outside its CI" in msg:
        return "estimate outside its CI"
    if "but 0 participants" in msg:
        return "studies but 0 participants"
    if "participants in" in msg:
        return "fewer participants than studies"
    if msg.startswith("0 studies"):
        return "0 studies"
    return msg


def run(batches: list[tuple[object, list[dict]]], rules_name: str) -> tuple[dict, float]:
    """rating per row index, and the seconds the engine took."""
    from gradecli.grade.engine import assess
    from gradecli.grade.ruleset import load_ruleset

    rules = load_ruleset(rules_name)
    result: dict[int, tuple[str | None, str | None]] = {}
    t0 = time.perf_counter()
    for ev, chunk in batches:
        assessment = assess(ev, rules)
        for r, oa in zip(chunk, assessment.outcomes, strict=True):
            d = next(d for d in oa.domains if d.domain == "imprecision")
            result[r["i"]] = (d.rating.value if d.rating else None, d.proposal.rule)
    return result, time.perf_counter() - t0


def quick_rule(r: dict, lower: float = 0.8, upper: float = 1.25) -> bool:
    """The default rule written independently of the engine: rate down when the relative CI spans
    both ``lower`` and ``upper``, or there are fewer than 100 participants."""
    spans = r["lo"] < lower and r["hi"] > upper
    sparse = r["n"] is not None and r["n"] < 100
    return spans or sparse


def table(rows: list[dict], result: dict) -> tuple[list[str], dict]:
    by_level: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        rating, _ = result[r["i"]]
        by_level[r["certainty"]][rating or "not_assessed"] += 1
    lines = [
        f"{'authors':<10} {'rows':>7} {'down':>7} {'serious':>8} {'v.serious':>9} {'extreme':>8} {'not ass.':>8}",
    ]
    shares: dict[str, float] = {}
    total: Counter = Counter()
    for level in LEVELS:
        c = by_level[level]
        n = sum(c.values())
        total.update(c)
        down = c["serious"] + c["very_serious"] + c["extremely_serious"]
        shares[level] = 100 * down / n if n else float("nan")
        lines.append(_line(level, c, n, down))
    n = sum(total.values())
    down = total["serious"] + total["very_serious"] + total["extremely_serious"]
    lines.append(_line("all", total, n, down))
    return lines, shares


def _line(label: str, c: Counter, n: int, down: int) -> str:
    def pct(x: int) -> str:
        return f"{100 * x / n:6.1f}%" if n else "     -"

    return (
        f"{label:<10} {n:>7,} {pct(down):>7} {pct(c['serious']):>8} {pct(c['very_serious']):>9} "
        f"{pct(c['extremely_serious']):>8} {pct(c['not_assessed']):>8}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--csv", default=DEFAULT_CSV, help=f"the Cochrane SoF rows (default {DEFAULT_CSV})")
    ap.add_argument(
        "--rules", action="append", help="rule set(s) to run (default: default, core-grade, pollock-2016, strict)"
    )
    args = ap.parse_args(argv)
    path = Path(args.csv)
    if not path.is_file():
        print(f"calibration: no such file: {path} (give the Cochrane SoF rows with --csv)", file=sys.stderr)
        return 2
    rule_sets = args.rules or ["default", "core-grade", "pollock-2016", "strict"]

    t0 = time.perf_counter()
    rows, skipped = read_rows(path)
    total_csv = len(rows) + sum(skipped.values())
    batches = build_batches(rows, skipped)
    rows = [r for _, chunk in batches for r in chunk]
    build_s = time.perf_counter() - t0
    print(f"{path}: {total_csv:,} rows; {len(rows):,} assessed; {sum(skipped.values()):,} skipped")
    for reason, n in skipped.most_common():
        print(f"  skipped {n:>6,}  {reason}")
    print(f"reading and building the outcomes: {build_s:.1f} s")

    for name in rule_sets:
        result, secs = run(batches, name)
        lines, shares = table(rows, result)
        print()
        print(f"== rule set {name}: share of rows rated down for imprecision, by the authors' certainty")
        print("\n".join(lines))
        gap = shares["very low"] - shares["high"]
        print(f"gap very low − high: {gap:.1f} points;  {len(rows) / secs:,.0f} rows/s ({secs:.1f} s)")
        rules_fired = Counter(rule for _, rule in result.values())
        print("rules that decided: " + ", ".join(f"{k} {v:,}" for k, v in rules_fired.most_common()))
        if name == "default":
            _compare_quick_rule(rows, result)
    return 0


def _compare_quick_rule(rows: list[dict], result: dict) -> None:
    by_level: dict[str, Counter] = defaultdict(Counter)
    disagree: Counter = Counter()
    examples: dict[str, dict] = {}
    for r in rows:
        quick = quick_rule(r)
        engine = result[r["i"]][0] not in (None, "not_serious")
        by_level[r["certainty"]]["down" if quick else "kept"] += 1
        if quick != engine:
            key = f"quick {'down' if quick else 'kept'}, engine {result[r['i']][0]} ({result[r['i']][1]})"
            disagree[key] += 1
            examples.setdefault(key, r)
    shares = {lv: 100 * c["down"] / max(1, sum(c.values())) for lv, c in by_level.items()}
    print(
        "independent quick rule (relative CI spans both 0.8 and 1.25, or < 100 participants): "
        + ", ".join(f"{lv} {shares[lv]:.1f}%" for lv in LEVELS)
    )
    # GRADE 6 wrote the rough guide as RRR 25% / RRI 25%: RR 0.75 and 1.25 (not symmetric on the log
    # scale). The engine uses 1/1.25 = 0.80 for the lower threshold; show what 0.75 would give.
    asym: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        asym[r["certainty"]][quick_rule(r, lower=0.75)] += 1
    a = {lv: 100 * asym[lv][True] / max(1, sum(asym[lv].values())) for lv in LEVELS}
    print(
        "the same with RR 0.75 (GRADE 6's RRR 25%) as the lower threshold: "
        + ", ".join(f"{lv} {a[lv]:.1f}%" for lv in LEVELS)
        + f"; gap {a['very low'] - a['high']:.1f} points"
    )
    if not disagree:
        print("the engine agrees with the quick rule on every row")
    for key, n in disagree.most_common():
        ex = examples[key]
        print(
            f"  disagree {n:>5,}: {key}; e.g. {ex['id']} {ex['type']} {ex['est']:g} "
            f"({ex['lo']:g} to {ex['hi']:g}), n={ex['n']}, k={ex['k']}"
        )


if __name__ == "__main__":
    sys.exit(main())
