"""Agreement between reviewers (issue 19): for each pair of reviewers, and for all of them when there
are more than two, over each scope — each domain, the five domains together, rating up, the
certainty, and the studies' overall risk of bias.

Two-rater statistics (units rated by both): observed agreement (Wilson 95% CI), Cohen's kappa,
weighted kappa with linear weights (the scales are ordinal), Gwet's AC1 — all with 95% CIs — and
Krippendorff's alpha (ordinal; point estimate). With more than two reviewers, one more record gives
Krippendorff's alpha over all of them (missing ratings allowed). The formulas and edge cases are in
:mod:`gradecli.stats.agreement` and ``docs/agreement-statistics.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from gradecli.grade.assessment import AgreementRecord, AgreementStatistic
from gradecli.grade.reviewers import Item
from gradecli.model.reviewers import DOWNGRADES, UPGRADES
from gradecli.model.vocab import ROB_CATEGORY, Certainty, Rating
from gradecli.stats import agreement as stats

RATINGS = [r.value for r in Rating]
CERTAINTIES = [c.value for c in Certainty]
LEVELS = ["0", "1", "2"]
ALPHA = "Krippendorff's alpha (ordinal)"
ROB = ["low", "some", "high"]  # a study's overall judgment, whatever its tool (ROB_CATEGORY)


def _scopes(items: Sequence[Item]) -> list[tuple[str, list[str], list[Item]]]:
    out: list[tuple[str, list[str], list[Item]]] = []
    for d in DOWNGRADES:
        out.append((d, RATINGS, [i for i in items if i.study is None and i.item == d]))
    out.append(("all domains", RATINGS, [i for i in items if i.study is None and i.item in DOWNGRADES]))
    out.append(("rating up", LEVELS, [i for i in items if i.study is None and i.item in UPGRADES]))
    out.append(("certainty", CERTAINTIES, [i for i in items if i.study is None and i.item == "certainty"]))
    out.append(("studies' risk of bias", ROB, [i for i in items if i.study is not None]))
    return [s for s in out if s[2]]


def _value(it: Item, reviewer: str, study_scale: bool) -> str | None:
    rating = next((j.rating for j in it.ratings if j.reviewer == reviewer), None)
    if rating is None or not study_scale:
        return rating
    category = ROB_CATEGORY.get(rating)
    return None if category in (None, "missing") else category


def _stat(a: stats.Agreement, name: str) -> AgreementStatistic:
    return AgreementStatistic(statistic=name, estimate=a.estimate, se=a.se, ci_lb=a.ci_lb, ci_ub=a.ci_ub, note=a.note)


def agreement(items: Sequence[Item], reviewers: Sequence[str]) -> list[AgreementRecord]:
    """The agreement records, scope by scope, pairs of reviewers in the file's order."""
    out: list[AgreementRecord] = []
    for scope, categories, units in _scopes(items):
        study_scale = categories is ROB
        for a, b in combinations(reviewers, 2):
            va = [_value(u, a, study_scale) for u in units]
            vb = [_value(u, b, study_scale) for u in units]
            rated = [(x, y) for x, y in zip(va, vb, strict=True) if x is not None or y is not None]
            both = sum(1 for x, y in rated if x is not None and y is not None)
            if not both:
                continue
            xs, ys = [x for x, _ in rated], [y for _, y in rated]
            out.append(
                AgreementRecord(
                    scope=scope,
                    reviewers=[a, b],
                    categories=categories,
                    n=both,
                    n_missing=len(rated) - both,
                    statistics=[
                        _stat(stats.observed_agreement(xs, ys), "observed agreement"),
                        _stat(stats.cohen_kappa(xs, ys, categories), "Cohen's kappa"),
                        _stat(stats.cohen_kappa(xs, ys, categories, "linear"), "weighted kappa (linear)"),
                        _stat(stats.gwet_ac1(xs, ys, categories), "Gwet's AC1"),
                        _stat(
                            stats.krippendorff_alpha([xs, ys], categories, "ordinal"), "Krippendorff's alpha (ordinal)"
                        ),
                    ],
                )
            )
        if len(reviewers) > 2:
            matrix = [[_value(u, r, study_scale) for u in units] for r in reviewers]
            complete = sum(1 for k in range(len(units)) if all(row[k] is not None for row in matrix))
            rated_any = sum(1 for k in range(len(units)) if any(row[k] is not None for row in matrix))
            alpha = stats.krippendorff_alpha(matrix, categories, "ordinal")
            out.append(
                AgreementRecord(
                    scope=scope,
                    reviewers=list(reviewers),
                    categories=categories,
                    n=complete,
                    n_missing=rated_any - complete,
                    statistics=[_stat(alpha, ALPHA)],
                )
            )
    return out
