"""Multi-arm trials: one study entered as several rows that share one control group.

A three-arm trial (doses A and B against one placebo arm) entered as two rows counts its control
participants twice and, pooled as two independent comparisons, gives the trial too much weight — a
unit-of-analysis error (Cochrane Handbook v6.5, chapter 23 (Higgins JPT, Eldridge S, Li T), §23.3.4).
Rows of one study whose comparator data are identical are taken to share that comparator and are:

* ``combine`` (the default, the Handbook's recommended approach): the intervention arms are merged
  into one group — events and participants added for dichotomous rows; for continuous rows the
  combined mean and SD of Handbook Table 6.5.a — against the control counted once;
* ``split_control``: the shared control is split into as many groups as there are comparisons
  (participants and events divided as evenly as whole numbers allow; means and SDs kept), so each
  comparison keeps its own row and the control is still counted once in total;
* ``as_entered``: the rows are pooled as they are (the control counted in every comparison), and the
  notes say so — only to reproduce a published analysis that made this unit-of-analysis error.

Rows with different comparator data (independent subgroups of one study, say) are left as they are.
Generic rows (an estimate and its SE) carry no comparator data and cannot be checked.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Literal

from gradecli.model.evidence import ContinuousRow, DichotomousRow, GenericRow, Outcome

Mode = Literal["combine", "split_control", "as_entered"]
Row = DichotomousRow | ContinuousRow | GenericRow


def _control(row: Row) -> tuple[object, ...] | None:
    if isinstance(row, DichotomousRow):
        return ("d", row.events_c, row.n_c)
    if isinstance(row, ContinuousRow):
        return ("c", row.mean_c, row.sd_c, row.n_c)
    return None


def shared_control_groups(rows: list[Row]) -> list[list[int]]:
    """Indexes of the rows of one study that share one comparator (groups of two or more), in row order."""
    groups: dict[tuple[str, tuple[object, ...]], list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        key = _control(row)
        if key is not None:
            groups[(row.study, key)].append(i)
    return [g for g in groups.values() if len(g) > 1]


def _label(rows: list[Row]) -> str:
    return " + ".join(r.label or f"row {i + 1}" for i, r in enumerate(rows))


def _combine(rows: list[Row]) -> Row:
    first = rows[0]
    label = _label(rows)
    if isinstance(first, DichotomousRow):
        d = [r for r in rows if isinstance(r, DichotomousRow)]
        return first.model_copy(
            update={"label": label, "events_t": sum(r.events_t for r in d), "n_t": sum(r.n_t for r in d)}
        )
    c = [r for r in rows if isinstance(r, ContinuousRow)]
    n, mean, sd = c[0].n_t, c[0].mean_t, c[0].sd_t
    for r in c[1:]:
        # Cochrane Handbook Table 6.5.a: combining two groups into one
        total = n + r.n_t
        var = ((n - 1) * sd * sd + (r.n_t - 1) * r.sd_t * r.sd_t + n * r.n_t / total * (mean - r.mean_t) ** 2) / (
            total - 1
        )
        mean = (n * mean + r.n_t * r.mean_t) / total
        n, sd = total, math.sqrt(var) if var > 0 else 0.0
    return first.model_copy(update={"label": label, "mean_t": mean, "sd_t": sd, "n_t": n})


def _shares(total: int, k: int) -> list[int]:
    return [total // k + (1 if i < total % k else 0) for i in range(k)]


def _split(rows: list[Row]) -> list[Row]:
    k = len(rows)
    first = rows[0]
    if isinstance(first, DichotomousRow):
        ns, es = _shares(first.n_c, k), _shares(first.events_c, k)
        return [r.model_copy(update={"n_c": n, "events_c": min(e, n)}) for r, n, e in zip(rows, ns, es, strict=True)]
    ns = _shares(first.n_c, k) if isinstance(first, ContinuousRow) else [0] * k
    return [r.model_copy(update={"n_c": n}) for r, n in zip(rows, ns, strict=True)]


def apply(outcome: Outcome, mode: Mode) -> tuple[Outcome, list[str]]:
    """The outcome with its multi-arm rows combined (or their control split), and a note per study."""
    rows: list[Row] = list(outcome.data or [])
    groups = shared_control_groups(rows)
    if not groups:
        return outcome, []
    notes: list[str] = []
    if mode == "as_entered":
        for g in groups:
            arms = [rows[i] for i in g]
            notes.append(
                f"{arms[0].study}: {len(arms)} arms ({_label(arms)}) share one control group, pooled as entered "
                "(analysis.multi_arm: as_entered): the control participants count in each comparison — a "
                "unit-of-analysis error (Cochrane Handbook ch. 23, §23.3.4), kept to reproduce a published analysis"
            )
        return outcome, notes
    replaced: dict[int, list[Row]] = {}
    dropped: set[int] = set()
    for g in groups:
        arms = [rows[i] for i in g]
        study = arms[0].study
        if mode == "combine":
            replaced[g[0]] = [_combine(arms)]
            dropped.update(g[1:])
            notes.append(
                f"{study}: {len(arms)} arms ({_label(arms)}) share one control group; combined into one comparison "
                "with the control counted once (Cochrane Handbook ch. 23, §23.3.4)"
            )
        else:
            for i, row in zip(g, _split(arms), strict=True):
                replaced[i] = [row]
            notes.append(
                f"{study}: {len(arms)} arms ({_label(arms)}) share one control group; the control is split "
                f"between the {len(arms)} comparisons (Cochrane Handbook ch. 23, §23.3.4)"
            )
    out: list[Row] = []
    for i, row in enumerate(rows):
        if i in dropped:
            continue
        out.extend(replaced.get(i, [row]))
    return outcome.model_copy(update={"data": out}), notes
