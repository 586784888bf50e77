"""Cross-checks of an evidence file: rules that relate one value to another.

The pydantic models check each value on its own (types, vocabularies, required fields, unknown
keys); these checks run on a structurally valid file and return every problem found, each with the
path of the value to blame, so the loader can point at its line. Each check says what is wrong in
the reviewer's terms ("14 events but only 12 participants"), never in the programmer's.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterator

from gradecli.model.evidence import (
    Analysis,
    ContinuousRow,
    DichotomousRow,
    Evidence,
    GenericRow,
    Outcome,
    Study,
    SummaryResult,
)
from gradecli.model.vocab import (
    FIXED_METHODS,
    MEASURES_BY_TYPE,
    RANDOM_METHODS,
    TOOL_JUDGMENTS,
    TOOL_NAMES,
    Design,
    Measure,
    Method,
    Model,
    OutcomeType,
    Rating,
)

Loc = tuple[str | int, ...]
Found = Iterator[tuple[Loc, str] | tuple[Loc, str, str]]


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


class _StudyHints:
    """:func:`did_you_mean` against the file's study ids, worked out once per unknown id (an unknown
    id is often named by several rows and outcomes) and without copying the ids for each row."""

    def __init__(self, studies: dict[str, Study]) -> None:
        self.ids = list(studies)
        self.known: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        hint = self.known.get(word)
        if hint is None:
            hint = self.known[word] = did_you_mean(word, self.ids)
        return hint


INVALID = "GC001"
"""Finding code of a problem that makes a file invalid (more specific codes: GC101, GC301–GC303)."""


def check_evidence(ev: Evidence) -> list[tuple[Loc, str, str]]:
    """Every cross-check problem of the file as (location, message, finding code), in file order."""
    found = [
        *_check_studies(ev),
        *_check_analysis(ev.defaults.analysis, ("defaults", "analysis"), None),
        *_check_outcomes(ev),
    ]
    return [(f[0], f[1], f[2] if len(f) > 2 else INVALID) for f in found]


def _check_studies(ev: Evidence) -> Found:
    first: dict[str, int] = {}
    for i, study in enumerate(ev.studies):
        if study.id in first:
            yield ("studies", i, "id"), f"duplicate study id {study.id!r} (first at studies[{first[study.id]}])"
        else:
            first[study.id] = i
        rob = study.risk_of_bias
        if rob is None:
            continue
        if study.design is Design.rct and rob.tool == "robins-i":
            yield (
                ("studies", i, "risk_of_bias", "tool"),
                "ROBINS-I assesses non-randomised studies; this study's design is rct (use rob2 or rob1)",
            )
        if study.design is Design.nrsi and rob.tool == "rob2":
            yield (
                ("studies", i, "risk_of_bias", "tool"),
                "RoB 2 assesses randomised trials; this study's design is nrsi (use robins-i)",
            )


def _check_comparisons(ev: Evidence) -> Found:
    first: dict[str, int] = {}
    for i, c in enumerate(ev.comparisons):
        if c.id in first:
            yield ("comparisons", i, "id"), f"duplicate comparison id {c.id!r} (first at comparisons[{first[c.id]}])"
        else:
            first[c.id] = i
    ids = list(first)
    for o, outcome in enumerate(ev.outcomes):
        loc: Loc = ("outcomes", o, "comparison")
        if outcome.comparison is None:
            if len(ids) > 1:
                yield (
                    ("outcomes", o, "id"),
                    f"outcome {outcome.id!r} names no comparison; the file has {len(ids)} "
                    f"(comparison: one of {', '.join(repr(i) for i in ids)})",
                )
        elif not ids:
            yield loc, f"comparison {outcome.comparison!r}: the file has no `comparisons` (add them at the top level)"
        elif outcome.comparison not in first:
            yield loc, f"no comparison {outcome.comparison!r}" + did_you_mean(outcome.comparison, ids)


def _check_outcomes(ev: Evidence) -> Found:
    yield from _check_comparisons(ev)
    first: dict[str, int] = {}
    study_ids = {s.id: s for s in ev.studies}
    hints = _StudyHints(study_ids)
    for o, outcome in enumerate(ev.outcomes):
        base: Loc = ("outcomes", o)
        if outcome.id in first:
            yield (*base, "id"), f"duplicate outcome id {outcome.id!r} (first at outcomes[{first[outcome.id]}])"
        else:
            first[outcome.id] = o
        yield from _check_outcome(outcome, base, study_ids, hints)


def _check_outcome(outcome: Outcome, base: Loc, studies: dict[str, Study], hints: _StudyHints) -> Found:
    measure = outcome.effective_measure
    if outcome.measure is not None and measure not in MEASURES_BY_TYPE[outcome.type]:
        allowed = ", ".join(sorted(m.value for m in MEASURES_BY_TYPE[outcome.type]))
        yield (*base, "measure"), f"{measure.value} is not a measure for {outcome.type.value} outcomes ({allowed})"
    if outcome.data is None and outcome.summary is None:
        yield (
            base,
            (
                "give `data` (per-study rows, or `data: []` when no study reported this outcome) "
                "or `summary` (a published pooled result)"
            ),
        )
    if outcome.data is not None and outcome.summary is not None:
        yield (*base, "summary"), "give either `data` or `summary`, not both"
    if outcome.assumed_risk and outcome.type is OutcomeType.continuous:
        yield (*base, "assumed_risk"), "an assumed risk is for dichotomous or time-to-event outcomes"
    if (
        outcome.assumed_risk
        and outcome.type is OutcomeType.generic
        and measure not in (Measure.HR, Measure.RR, Measure.OR, Measure.RD)
    ):
        yield (*base, "assumed_risk"), f"an assumed risk needs a risk measure (RR, OR, RD, HR), not {measure.value}"
    yield from _check_thresholds(outcome, base)
    yield from _check_analysis(outcome.analysis, (*base, "analysis"), measure)
    for r, row in enumerate(outcome.data or []):
        yield from _check_row(row, (*base, "data", r), outcome, measure, studies, hints)
    yield from _check_duplicate_rows(outcome, base)
    if outcome.summary is not None:
        yield from _check_summary(outcome.summary, (*base, "summary"), measure)
    yield from _check_rob_overrides(outcome, base, studies, hints)
    yield from _check_judgements(outcome, base)
    yield from _check_subgroups(outcome, base)


def _check_subgroups(outcome: Outcome, base: Loc) -> Found:
    """Each a priori subgroup hypothesis names rows of this outcome, each row in one group at most."""
    if not outcome.subgroups:
        return
    if not outcome.data:
        yield (*base, "subgroups"), "subgroups need per-study rows (`data`) to analyse"
        return
    labels = [f"{r.study} ({r.label})" if r.label else r.study for r in outcome.data]
    by_study: dict[str, list[int]] = {}
    for i, r in enumerate(outcome.data):
        by_study.setdefault(r.study, []).append(i)
    by_label = {label: i for i, label in enumerate(labels)}
    seen_ids: set[str] = set()
    for h, hyp in enumerate(outcome.subgroups):
        loc: Loc = (*base, "subgroups", h)
        if hyp.id in seen_ids:
            yield (*loc, "id"), f"duplicate subgroup hypothesis id {hyp.id!r}"
        seen_ids.add(hyp.id)
        owner: dict[int, str] = {}
        names: set[str] = set()
        for g, group in enumerate(hyp.groups):
            if group.name in names:
                yield (*loc, "groups", g, "name"), f"duplicate subgroup name {group.name!r}"
            names.add(group.name)
            for m, member in enumerate(group.studies):
                rows = [by_label[member]] if member in by_label else by_study.get(member, [])
                where = (*loc, "groups", g, "studies", m)
                if not rows:
                    hint = did_you_mean(member, list(dict.fromkeys([*by_study, *labels])))
                    yield where, f"{member!r} is not a row of this outcome{hint}"
                for i in rows:
                    if i in owner and owner[i] != group.name:
                        yield where, f"{labels[i]!r} is already in subgroup {owner[i]!r}: a row belongs to one subgroup"
                    owner[i] = group.name


def _check_thresholds(outcome: Outcome, base: Loc) -> Found:
    t = outcome.thresholds
    if t is None:
        return
    # each side's MID must lie below `moderate` and `large` (the sided MIDs too)
    mids = [
        (n, v) for n, v in (("mid", t.mid), ("mid_benefit", t.mid_benefit), ("mid_harm", t.mid_harm)) if v is not None
    ]
    widest = max(mids, key=lambda m: m[1]) if mids else ("mid", None)
    order = [widest, ("moderate", t.moderate), ("large", t.large)]
    given = [(n, v) for n, v in order if v is not None]
    for (n1, v1), (n2, v2) in itertools.pairwise(given):
        if v2 <= v1:
            yield (*base, "thresholds", n2), f"{n2} ({v2:g}) must be larger than {n1} ({v1:g})"


def _check_analysis(analysis: Analysis | None, loc: Loc, measure: Measure | None) -> Found:
    if analysis is None or analysis.method is None:
        return
    method = analysis.method
    if analysis.model is Model.fixed and method not in FIXED_METHODS:
        yield (*loc, "method"), f"{method.value} is a random-effects method; a fixed model takes IV, MH or PETO"
    if analysis.model is Model.random and method not in RANDOM_METHODS:
        yield (*loc, "method"), f"{method.value} is a fixed-effect method; a random model takes DL, REML or PM"
    if measure is not None and method is Method.MH and measure not in (Measure.RR, Measure.OR, Measure.RD):
        yield (*loc, "method"), f"Mantel–Haenszel pools RR, OR or RD, not {measure.value}"
    if measure is not None and method is Method.PETO and measure not in (Measure.PETO_OR, Measure.OR):
        yield (*loc, "method"), f"the Peto method pools odds ratios (PETO_OR), not {measure.value}"
    if analysis.q_around == "MH" and (
        analysis.model is Model.fixed
        or method is not Method.DL
        or (measure is not None and measure not in (Measure.RR, Measure.OR, Measure.RD))
    ):
        yield (*loc, "q_around"), "q_around: MH is for DerSimonian–Laird random effects (method DL) on RR, OR or RD"


def _check_row(
    row: object, loc: Loc, outcome: Outcome, measure: Measure, studies: dict[str, Study], hints: _StudyHints
) -> Found:
    study = getattr(row, "study", "")
    if study not in studies:
        hint = hints(study)
        yield (*loc, "study"), f"study {study!r} is not listed under `studies`{hint}"
    if isinstance(row, DichotomousRow):
        if outcome.type is not OutcomeType.dichotomous:
            yield loc, f"a dichotomous row (events/participants) in a {outcome.type.value} outcome"
        for arm in ("t", "c"):
            n, e = getattr(row, f"n_{arm}"), getattr(row, f"events_{arm}")
            if n < 1:
                yield (*loc, f"n_{arm}"), f"{n} participants: an arm needs at least 1"
            elif e > n:
                yield (*loc, f"events_{arm}"), f"{e} events but only {n} participants"
    elif isinstance(row, ContinuousRow):
        if outcome.type is not OutcomeType.continuous:
            yield loc, f"a continuous row (means and SDs) in a {outcome.type.value} outcome"
        for arm in ("t", "c"):
            n, sd = getattr(row, f"n_{arm}"), getattr(row, f"sd_{arm}")
            if n < 1:
                yield (*loc, f"n_{arm}"), f"{n} participants: an arm needs at least 1"
            if sd <= 0:
                yield (*loc, f"sd_{arm}"), f"standard deviation {sd:g} must be greater than 0"
    elif isinstance(row, GenericRow):
        yield from _check_generic(row, loc, measure)


def _check_generic(row: GenericRow, loc: Loc, measure: Measure) -> Found:
    has_yi = row.yi is not None or row.sei is not None
    has_est = row.estimate is not None or row.ci is not None or row.se is not None
    if has_yi and has_est:
        yield loc, "give either yi/sei (analysis scale) or estimate with ci or se, not both"
        return
    if has_yi:
        if row.yi is None:
            yield (*loc, "yi"), "sei needs yi, the estimate on the analysis scale"
        if row.sei is None:
            yield (*loc, "sei"), "yi needs sei, its standard error"
    elif row.estimate is None:
        yield (*loc, "estimate"), "a generic row needs yi/sei, or an estimate with its ci or se"
    elif row.ci is None and row.se is None:
        yield (*loc, "estimate"), "an estimate needs its 95% `ci: [lower, upper]` or its `se`"
    elif row.ci is not None and row.se is not None:
        yield (*loc, "se"), "give either ci or se, not both"
    elif row.se is not None and measure.is_ratio:
        yield (
            (*loc, "se"),
            (f"for {measure.value} give the log estimate and its SE as yi/sei, or the estimate with its ci"),
        )
    if row.ci is not None and row.estimate is not None:
        yield from _check_interval(row.estimate, row.ci, loc, measure)
    for arm in ("n_t", "n_c", "participants"):
        n = getattr(row, arm)
        if n is not None and n < 1:
            yield (*loc, arm), f"{n} participants: give at least 1, or leave it out"


def _check_interval(estimate: float, ci: tuple[float, float], loc: Loc, measure: Measure) -> Found:
    lo, hi = ci
    if measure.is_ratio:
        bad = [(v, k) for v, k in ((estimate, "estimate"), (lo, "ci")) if v <= 0]
        if bad or hi <= 0:
            yield (*loc, bad[0][1] if bad else "ci"), f"{measure.value} must be greater than 0"
            return
    if lo > hi:
        yield (*loc, "ci"), f"lower limit {lo:g} is above upper limit {hi:g}"
        return
    if lo == hi:
        yield (*loc, "ci"), f"the interval has no width ({lo:g} to {hi:g})"
    if not lo <= estimate <= hi:
        yield (*loc, "estimate"), f"estimate {estimate:g} lies outside its CI ({lo:g} to {hi:g})", "GC301"


def _check_duplicate_rows(outcome: Outcome, base: Loc) -> Found:
    seen: dict[tuple[str, str | None], int] = {}
    for r, row in enumerate(outcome.data or []):
        key = (row.study, row.label)
        if key in seen:
            yield (
                (*base, "data", r, "study"),
                (f"study {row.study!r} already has a row (data[{seen[key]}]); give each row a distinct `label`"),
            )
        else:
            seen[key] = r


def _check_summary(s: SummaryResult, loc: Loc, measure: Measure) -> Found:
    if s.estimate is not None and s.ci is not None:
        yield from _check_interval(s.estimate, s.ci, loc, measure)
    elif s.estimate is not None:
        yield (*loc, "ci"), "the estimate needs its 95% `ci: [lower, upper]`"
    elif s.ci is not None:
        yield (*loc, "estimate"), "the ci needs its point `estimate`"
    elif not s.studies:
        yield loc, "give the pooled `estimate` and `ci`, or at least the number of `studies` that reported it"
    if s.studies == 0:
        yield (*loc, "studies"), "0 studies: write `data: []` for an outcome that no study reported"
    if s.studies and s.participants == 0:
        yield (*loc, "participants"), f"{s.studies} studies but 0 participants", "GC302"
    elif s.studies and s.participants is not None and s.participants < s.studies:
        yield (*loc, "participants"), f"{s.participants} participants in {s.studies} studies", "GC303"
    if s.participants_t is not None and s.participants_c is not None and s.participants is not None:
        total = s.participants_t + s.participants_c
        if total != s.participants:
            yield (*loc, "participants"), (f"{s.participants} participants, but the arms add up to {total}")
    for arm in ("t", "c"):
        e, n = getattr(s, f"events_{arm}"), getattr(s, f"participants_{arm}")
        if e is not None and n is not None and e > n:
            yield (*loc, f"events_{arm}"), f"{e} events but only {n} participants"


def _check_rob_overrides(outcome: Outcome, base: Loc, studies: dict[str, Study], hints: _StudyHints) -> Found:
    in_outcome = {row.study for row in outcome.data or []}
    seen: set[str] = set()
    for i, ov in enumerate(outcome.risk_of_bias_overrides):
        loc = (*base, "risk_of_bias_overrides", i)
        if ov.study in seen:
            yield (*loc, "study"), f"study {ov.study!r} is overridden twice in this outcome"
        seen.add(ov.study)
        study = studies.get(ov.study)
        if study is None:
            hint = hints(ov.study)
            yield (*loc, "study"), f"study {ov.study!r} is not listed under `studies`{hint}"
            continue
        if outcome.data is not None and ov.study not in in_outcome:
            yield (*loc, "study"), f"study {ov.study!r} has no data row in this outcome"
        tool = ov.tool or (study.risk_of_bias.tool if study.risk_of_bias else None)
        if tool is None:
            yield (*loc, "tool"), "the study has no risk-of-bias assessment: name the `tool` (rob2, rob1 or robins-i)"
            continue
        if study.risk_of_bias is not None and ov.tool is not None and ov.tool != study.risk_of_bias.tool:
            yield (*loc, "tool"), f"the study was assessed with {study.risk_of_bias.tool}, not {ov.tool}"
        vocab = TOOL_JUDGMENTS[tool]
        if ov.overall not in vocab:
            yield (
                (*loc, "overall"),
                (
                    f"{ov.overall!r} is not a {TOOL_NAMES[tool]} judgment ({', '.join(vocab)})"
                    f"{did_you_mean(ov.overall, vocab)}"
                ),
            )


def _check_judgements(outcome: Outcome, base: Loc) -> Found:
    j = outcome.judgements
    # three levels: imprecision (GRADE 34/35) and risk of bias of non-randomised studies started
    # High with ROBINS-I (GRADE 18)
    for name in ("inconsistency", "indirectness", "publication_bias"):
        dj = getattr(j, name)
        if dj is not None and dj.rating is Rating.extremely_serious:
            yield (
                (*base, "judgements", name, "rating"),
                (
                    "extremely_serious (three levels) is for imprecision and for the risk of bias of "
                    "non-randomised studies assessed with ROBINS-I; use very_serious"
                ),
            )
    for name in ("dose_response", "residual_confounding"):
        up = getattr(j, name)
        if up is not None and up.levels > 1:
            yield (*base, "judgements", name, "levels"), f"{name.replace('_', '–')} rates up at most 1 level"
    if outcome.form == "none":
        for name in ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias"):
            if getattr(j, name) is not None:
                yield (*base, "judgements", name), "no study reported this outcome: there is nothing to judge"
