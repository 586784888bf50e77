"""Risk of bias (ROB-WEIGHT, ROB-NONE, ROB-SUMMARY) at and around every threshold, and start levels.

Bodies of evidence are generic rows pooled with fixed-effect inverse variance, so each study's share
of the weight is w = 1/SE² over the sum — chosen here by picking SE = 1/√w. Expected ratings come
from the rulebook (R3.4, Core GRADE 4): studies at high risk dominate from 55% of the fixed-effect
weight; the low-risk studies alone, re-pooled, in another zone of the outcome's thresholds → serious,
in the same zone → not serious; "some concerns" alone never rate down; ROBINS-I critical studies
leave the judgment; a body started High with ROBINS-I goes up to three levels. The published
"share at low risk" rule (Pollock 2016: serious below 75%; very serious below 50% with 50% at high
risk) is ``method: low_share``, tested here at its own cut-offs.
"""

from __future__ import annotations

import math

import pytest
from test_grade_helpers import (
    FIXED,
    assess_one,
    dom,
    fixed_pool,
    generic_rows,
    outcome,
    rct,
    summary_outcome,
    with_rules,
)

from gradecli.grade.ruleset import RuleSet

LOW_SHARE = with_rules(ROB_WEIGHT={"method": "low_share"})
MID = {"mid": 0.2}  # generic estimates: zones below −0.2, −0.2 to 0.2, from 0.2 on


def body(
    weights: dict[str, float],
    judgments: dict[str, str | None],
    ys: dict[str, float] | None = None,
    tool: str = "rob2",
    design: str = "rct",
    **kw,
):
    """Studies with the given weights (any scale), estimates (default 0) and overall judgments
    (None: no assessment)."""
    ids = list(weights)
    rows = generic_rows([(ys or {}).get(s, 0.0) for s in ids], [1 / math.sqrt(weights[s]) for s in ids], ids=ids)
    out = outcome(type="generic", measure="GENERIC", data=rows, analysis=FIXED, **kw)
    return out, [rct(s, judgments[s], tool=tool, design=design) for s in ids]


def rob(weights, judgments, rules="default", ys=None, **kw):
    out, studies = body(weights, judgments, ys, **kw)
    return dom(assess_one(out, studies, rules), "risk_of_bias")


# --- method: low_share (Pollock 2016; the pollock-2016 rule set) ---------------------------------
# These were the default's tests; the default now follows Core GRADE 4 (R3.4), so they name the method.


@pytest.mark.parametrize(
    ("low_w", "expected", "shown"),
    [
        (749, "serious", "74.9%"),  # just below 75%
        (750, "not_serious", "75%"),  # at 75%: not below, so not serious
        (751, "not_serious", "75.1%"),  # just above
    ],
)
def test_low_share_around_75(low_w, expected, shown):
    d = rob({"A": low_w, "B": 1000 - low_w}, {"A": "low", "B": "some_concerns"}, LOW_SHARE)
    assert d.rating.value == expected
    assert d.proposal.rule == "ROB-WEIGHT"
    assert d.status == "proposed"
    assert d.proposal.facts[0].startswith(f"{shown} of the fixed-effect weight from studies at low risk")
    if expected == "serious":
        assert d.levels == 1
        assert d.footnote is not None and "74.9%" in d.footnote and "less than 75%" in d.footnote
        assert "ROB-WEIGHT" in d.footnote
    else:
        assert d.levels == 0 and d.footnote is None


def test_exactly_75_from_several_equal_studies():
    # three low-risk studies of four, equal weights: 3 × 25% = 75% exactly → not serious
    d = rob({"A": 1, "B": 1, "C": 1, "D": 1}, {"A": "low", "B": "low", "C": "low", "D": "high"}, LOW_SHARE)
    assert d.rating.value == "not_serious"


def test_weights_that_do_not_add_up_exactly_to_75_in_floating_point():
    # 4% + 29% + 42% = 75% in exact arithmetic; the weight shares add up to 0.7499999999999999 in
    # floating point. 75% is not below 75%: not serious.
    weights = {"A": 4, "B": 29, "C": 42, "D": 25}
    d = rob(weights, {"A": "low", "B": "low", "C": "low", "D": "high"}, LOW_SHARE)
    assert d.rating.value == "not_serious"
    assert d.proposal.facts[0].startswith("75% of the fixed-effect weight")


@pytest.mark.parametrize(
    ("low", "some", "high", "expected"),
    [
        (500, 0, 500, "serious"),  # 50% low, 50% high: low share not below 50% → one level
        (499, 0, 501, "very_serious"),  # below 50% low and at least 50% high → two levels
        (499, 1, 500, "very_serious"),  # high share exactly 50% counts ("at least")
        (499, 2, 499, "serious"),  # below 50% low but high share 49.9% → one level
        (400, 600, 0, "serious"),  # mostly some concerns: one level only
    ],
)
def test_low_share_very_serious_needs_low_below_50_and_high_at_least_50(low, some, high, expected):
    weights = {k: v for k, v in {"L": low, "S": some, "H": high}.items() if v}
    judgments = {"L": "low", "S": "some_concerns", "H": "high"}
    d = rob(weights, judgments, LOW_SHARE)
    assert d.rating.value == expected
    if expected == "very_serious":
        assert d.levels == 2
        assert f"only {low / 10:g}% of the fixed-effect weight" in d.footnote
        assert f"{high / 10:g}% from studies at high risk" in d.footnote


def test_low_share_missing_judgment_counts_as_high_and_is_flagged():
    # 40% low, 60% from a study with no risk-of-bias assessment → counted as high → very serious
    d = rob({"A": 40, "B": 60}, {"A": "low", "B": None}, LOW_SHARE)
    assert d.rating.value == "very_serious"
    assert any(
        "1 study without a judgment (60% of the fixed-effect weight, counted as high)" in f for f in d.proposal.facts
    )
    assert "without a judgment counted as high" in d.footnote
    assert "60% from studies at high risk" in d.footnote


def test_pollock_counts_participants():
    out, studies = body({"A": 1, "B": 1}, {"A": "low", "B": "high"})
    for row, n in zip(out["data"], (300, 100), strict=True):
        row["participants"] = n
    d = dom(assess_one(out, studies, "pollock-2016"), "risk_of_bias")
    assert d.rating.value == "not_serious" and d.proposal.facts[0].startswith("75% of the participants")


# --- Core GRADE 4: the dominance cut (55%) --------------------------------------------------------


@pytest.mark.parametrize(("high_w", "dominated"), [(549, False), (550, True), (551, True)])
def test_dominance_at_55_without_a_low_risk_study(high_w, dominated):
    # the rest has some concerns and no study is at low risk: serious either way, but below the cut how
    # the some-concerns studies count decides, so the reviewer must confirm the level
    d = rob({"H": high_w, "S": 1000 - high_w}, {"H": "high", "S": "some_concerns"})
    assert d.rating.value == "serious" and d.levels == 1
    assert d.proposal.needs_confirmation is (not dominated)
    word = "dominating: at least 55%" if dominated else "not dominating: less than 55%"
    assert f"carry {high_w / 10:g}% of the fixed-effect weight ({word})" in d.footnote
    if dominated:
        assert "crucial limitations may warrant two levels" in d.footnote


@pytest.mark.parametrize(("serious_w", "levels"), [(549, 1), (550, 2), (551, 2)])
def test_dominance_at_55_sets_the_levels_of_a_robins_i_body(serious_w, levels):
    # cohorts started High: the serious one holds serious_w/1000 of the weight and estimate 1.0, the
    # low one 0: all studies ≈ 0.55 (from 0.2 on), the low one alone 0 (−0.2 to 0.2) → another zone
    weights, judgments = {"S": serious_w, "L": 1000 - serious_w}, {"S": "serious", "L": "low"}
    out, studies = body(weights, judgments, {"S": 1.0}, tool="robins-i", design="nrsi", thresholds=MID)
    d = dom(assess_one(out, studies), "risk_of_bias")
    assert d.levels == levels and d.proposal.needs_confirmation is (levels > 1)
    assert "consider the low-risk estimate" in d.footnote


# --- Core GRADE 4: the low-risk estimate against the zones ----------------------------------------


@pytest.mark.parametrize(
    ("low_y", "expected"),
    [
        (0.199, "serious"),  # just inside the MID: another zone than all studies' 0.6
        (0.2, "not_serious"),  # at the MID: an estimate there reaches it (as imprecision counts it)
        (0.201, "not_serious"),  # beyond: the same zone
    ],
)
def test_low_risk_estimate_around_the_mid(low_y, expected):
    # 40% of the weight at low risk (estimate low_y), 60% at high risk (estimate 1.0): all studies give
    # 0.4·low_y + 0.6 ≈ 0.68, from the MID 0.2 on; the low-risk study alone low_y, CI low_y ± 1.96/√40
    d = rob({"L": 40, "H": 60}, {"L": "low", "H": "high"}, ys={"L": low_y, "H": 1.0}, thresholds=MID)
    assert d.rating.value == expected
    fact = next(f for f in d.proposal.facts if "alone gives" in f)
    assert fact.startswith(
        f"the 1 study at low risk of bias alone gives {low_y:.3g} ({low_y - 1.96 / math.sqrt(40):.3g}"
    )


@pytest.mark.parametrize(("low_y", "expected"), [(-0.001, "serious"), (0.001, "not_serious")])
def test_without_an_mid_a_mean_difference_is_judged_against_the_null(low_y, expected):
    # no MID and no rule-set fallback for a generic difference: the null is the one threshold
    d = rob({"L": 40, "H": 60}, {"L": "low", "H": "high"}, ys={"L": low_y, "H": 1.0})
    assert d.rating.value == expected
    assert ("below the null" if low_y < 0 else "above the null") in " ".join(d.proposal.facts)


def test_not_dominating_and_another_zone_is_serious_with_core_grade_4s_alternative():
    d = rob({"L": 60, "H": 40}, {"L": "low", "H": "high"}, ys={"L": 0.0, "H": 2.0}, thresholds=MID)
    assert d.rating.value == "serious" and "(not dominating: less than 55%)" in d.footnote
    assert "Core GRADE 4 would take it as the best estimate instead of rating down" in d.footnote


def test_all_low_is_not_serious():
    d = rob({"A": 1, "B": 3}, {"A": "low", "B": "low"})
    assert d.rating.value == "not_serious" and d.proposal.path[-2:] == [
        "no study at high risk of bias",
        "risk of bias: not serious",
    ]


# --- some concerns --------------------------------------------------------------------------------


@pytest.mark.parametrize(("some_y", "expected"), [(0.5, "not_serious"), (2.0, None)])
def test_some_concerns_alone_never_rate_down(some_y, expected):
    # 80% low (estimate 0), 20% some concerns: all studies 0.2·some_y — 0.1 (the low-risk zone) or 0.4
    d = rob({"L": 80, "S": 20}, {"L": "low", "S": "some_concerns"}, ys={"S": some_y}, thresholds=MID)
    assert (d.rating.value if d.rating else None) == expected
    if expected is None:
        assert d.status == "not_assessed" and "a judgment is needed" in d.proposal.explanation
        assert "no automatic downgrade for some concerns" in d.proposal.explanation


def test_some_concerns_beside_high_risk_studies_count_as_neither():
    d = rob({"L": 30, "S": 30, "H": 40}, {"L": "low", "S": "some_concerns", "H": "high"})
    assert any(
        "1 study with some concerns (30% of the fixed-effect weight) count as neither" in f for f in d.proposal.facts
    )
    assert "studies at high risk of bias carry 40% of the fixed-effect weight" in d.proposal.explanation
    counted = rob(
        {"L": 30, "S": 30, "H": 40},
        {"L": "low", "S": "some_concerns", "H": "high"},
        with_rules(ROB_WEIGHT={"some_concerns": "count_as_high"}),
    )
    assert "carry 70% of the fixed-effect weight (dominating" in counted.proposal.explanation


# --- missing judgments ----------------------------------------------------------------------------


def test_missing_judgment_counts_as_high_and_is_flagged():
    # 40% low (estimate 0), 60% with no assessment (estimate 1): counted as high, it dominates, and the
    # low-risk study alone (0) lies in another zone than all studies (0.6) → serious
    d = rob({"A": 40, "B": 60}, {"A": "low", "B": None}, ys={"B": 1.0}, thresholds=MID)
    assert d.rating.value == "serious"
    assert any(
        "1 study without a judgment (60% of the fixed-effect weight, counted as high)" in f for f in d.proposal.facts
    )
    assert "without a judgment counted as high" in d.footnote and "carry 60%" in d.footnote


def test_missing_judgment_assume_low_under_a_custom_rule_set():
    rules = RuleSet.model_validate(
        {"name": "lenient", "rules": {"ROB-WEIGHT": {"missing_study_judgment": "assume_low"}}}
    )
    d = rob({"A": 40, "B": 60}, {"A": "low", "B": None}, rules=rules, ys={"B": 1.0}, thresholds=MID)
    assert d.rating.value == "not_serious"
    assert any("counted as low" in f for f in d.proposal.facts)


def test_no_judgments_at_all_is_not_assessed():
    d = rob({"A": 1, "B": 1}, {"A": None, "B": None})
    assert d.rating is None
    assert d.status == "not_assessed"
    assert d.proposal.rule == "ROB-NONE" and d.proposal.path
    assert d.levels == 0 and d.footnote is None


def test_summary_level_outcome_is_not_assessed():
    oa = assess_one(summary_outcome(0.7, (0.6, 0.8)), [rct("A", "high")])
    d = dom(oa, "risk_of_bias")
    assert d.rating is None and d.status == "not_assessed"
    assert d.proposal.rule == "ROB-SUMMARY" and d.proposal.path
    assert oa.sensitivity is None


# --- the weight basis -----------------------------------------------------------------------------


def heterogeneous(analysis):
    # A low risk (SE 0.1, 100 participants), B and C high (SE 0.3, 900 participants each), estimates far
    # apart so that τ² > 0; the same estimates for A and the others' mean: nothing else changes
    ys, ses = [0.0, 1.0, -1.0], [0.1, 0.3, 0.3]
    rows = generic_rows(ys, ses, ids=["A", "B", "C"], participants=[100, 900, 900])
    out = outcome(type="generic", measure="GENERIC", data=rows, analysis=analysis)
    return out, [rct("A", "low"), rct("B", "high"), rct("C", "high")]


@pytest.mark.parametrize("basis", ["fixed_effect", "random_effects", "analysis_weight", "participants"])
def test_the_weight_basis(basis):
    out, studies = heterogeneous({"model": "random", "method": "REML"})
    rules = with_rules(ROB_WEIGHT={"basis": basis})
    oa = assess_one(out, studies, rules)
    tau2 = oa.pooled.tau2
    assert tau2 > 0
    w = {
        "fixed_effect": [1 / 0.1**2, 1 / 0.3**2, 1 / 0.3**2],  # 100, 11.1, 11.1: A holds 81.8%
        "random_effects": [1 / (0.1**2 + tau2), 1 / (0.3**2 + tau2), 1 / (0.3**2 + tau2)],
        "analysis_weight": [1 / (0.1**2 + tau2), 1 / (0.3**2 + tau2), 1 / (0.3**2 + tau2)],  # the REML fit's
        "participants": [100, 900, 900],
    }[basis]
    low = w[0] / sum(w)
    label = {
        "fixed_effect": "fixed-effect weight",
        "random_effects": "random-effects weight",
        "analysis_weight": "analysis weight",
        "participants": "participants",
    }[basis]
    fact = dom(oa, "risk_of_bias").proposal.facts[0]
    assert fact.startswith(f"{100 * low:.1f}% of the {label} from studies at low risk") or fact.startswith(
        f"{round(100 * low)}% of the {label}"
    )


def test_random_effects_weights_under_a_fixed_effect_analysis_use_dersimonian_laird():
    out, studies = heterogeneous(FIXED)
    oa = assess_one(out, studies, with_rules(ROB_WEIGHT={"basis": "random_effects"}))
    # DL by hand: w 100, 11.11, 11.11; mean 0; Q = 11.11 + 11.11 = 22.22; C = 122.22 − (100² + 2·11.11²)/122.22
    w = [100.0, 1 / 0.09, 1 / 0.09]
    q = w[1] + w[2]
    c = sum(w) - sum(x * x for x in w) / sum(w)
    tau2 = (q - 2) / c
    rw = [1 / (0.01 + tau2), 1 / (0.09 + tau2), 1 / (0.09 + tau2)]
    shown = dom(oa, "risk_of_bias").proposal.facts[0].split("%")[0]
    assert float(shown) == pytest.approx(100 * rw[0] / sum(rw), abs=0.05)


# --- per-outcome overrides and the RoB 1 vocabulary -----------------------------------------------


def test_per_outcome_override_replaces_the_study_judgment():
    # study A is low overall, but high for this outcome: 80% of the weight at high risk, and B alone
    # (0) lies in another zone than all studies (0.8 × 0.5 = 0.4) → serious
    out, studies = body({"A": 80, "B": 20}, {"A": "low", "B": "low"}, {"A": 0.5}, thresholds=MID)
    out["risk_of_bias_overrides"] = [{"study": "A", "overall": "high", "reason": "Self-reported outcome, unblinded."}]
    d = dom(assess_one(out, studies), "risk_of_bias")
    assert d.rating.value == "serious"
    assert "carry 80% of the fixed-effect weight" in d.footnote
    # the same body without the override is not serious
    out.pop("risk_of_bias_overrides")
    assert dom(assess_one(out, studies), "risk_of_bias").rating.value == "not_serious"


def test_override_with_tool_for_a_study_without_assessment():
    out, studies = body({"A": 50, "B": 50}, {"A": "low", "B": None})
    out["risk_of_bias_overrides"] = [{"study": "B", "overall": "low", "tool": "rob2", "reason": "Assessed for this."}]
    d = dom(assess_one(out, studies), "risk_of_bias")
    assert d.rating.value == "not_serious"
    assert not any("without a judgment" in f for f in d.proposal.facts)


@pytest.mark.parametrize(("rob1", "expected"), [("unclear", None), ("high", "serious"), ("low", "not_serious")])
def test_rob1_vocabulary(rob1, expected):
    # A is low with 40% of the weight (estimate 0), B carries 60% (estimate 1): all studies 0.6, A alone
    # 0 — another zone. Unclear counts as some concerns (the reviewer's judgment); high rates down
    weights = {"A": 40, "B": 60}
    rows = generic_rows([0, 1], [1 / math.sqrt(w) for w in weights.values()], ids=list(weights))
    out = outcome(type="generic", measure="GENERIC", data=rows, analysis=FIXED, thresholds=MID)
    studies = [rct("A", "low", tool="rob1"), rct("B", rob1, tool="rob1")]
    d = dom(assess_one(out, studies), "risk_of_bias")
    assert (d.rating.value if d.rating else None) == expected


# --- ROBINS-I: critical studies and the High start (R1.3, R3.4.6) --------------------------------


OTHER_DOMAINS = ("inconsistency", "indirectness", "imprecision", "publication_bias")


def cohorts(
    judgments: dict[str, str], ys: dict[str, float] | None = None, rules="default", weights=None, critical="exclude"
):
    ids = list(judgments)
    w = weights or dict.fromkeys(ids, 25)
    rows = generic_rows([(ys or {}).get(s, 0.0) for s in ids], [1 / math.sqrt(w[s]) for s in ids], ids=ids)
    others = {d: {"rating": "not_serious", "reason": "set for the test"} for d in OTHER_DOMAINS}
    analysis = {**FIXED, "critical_risk_of_bias": critical}
    out = outcome(type="generic", measure="GENERIC", data=rows, analysis=analysis, thresholds=MID, judgements=others)
    studies = [rct(s, judgments[s], tool="robins-i", design="nrsi") for s in ids]
    return assess_one(out, studies, rules)


def test_critical_studies_leave_the_primary_analysis_by_default():
    # D (critical, estimate 2) is not pooled: the three low-risk cohorts give 0 (fixed effect, equal weights)
    oa = cohorts({"A": "low", "B": "low", "C": "low", "D": "critical"}, ys={"D": 2.0})
    assert oa.effect.estimate == pytest.approx(0.0, abs=1e-12) and oa.effect.k == 3
    # D stays in the rows, with its own estimate, shown as left out of the pooled analysis
    assert [(r.label, r.included) for r in oa.rows] == [("A", True), ("B", True), ("C", True), ("D", False)]
    assert oa.rows[3].estimate == pytest.approx(2.0) and "critical risk of bias" in oa.rows[3].dropped_reason
    assert any("1 study at critical risk of bias (ROBINS-I: D) left out of the primary analysis" in w
               for w in oa.effect.warnings)  # fmt: skip
    # the analysis with D is kept as a sensitivity analysis: (0 + 0 + 0 + 2) / 4 = 0.5
    assert oa.with_critical is not None and oa.with_critical.studies == ["A", "B", "C", "D"]
    assert oa.with_critical.estimate == pytest.approx(0.5, abs=1e-12)
    d = dom(oa, "risk_of_bias")
    assert d.rating.value == "not_serious"
    crit = next(f for f in d.proposal.facts if "critical risk of bias" in f)
    assert "(ROBINS-I: D) left out of the primary analysis and of this judgment" in crit


def test_critical_studies_included_in_the_analysis_still_leave_the_judgment():
    oa = cohorts({"A": "low", "B": "low", "C": "low", "D": "critical"}, critical="include")
    assert oa.with_critical is None and oa.effect.k == 4
    d = dom(oa, "risk_of_bias")
    # without D the three low-risk cohorts hold all of the judgment's weight → not serious
    assert d.rating.value == "not_serious"
    assert d.proposal.facts[0].startswith("100% of the fixed-effect weight from studies at low risk")
    crit = next(f for f in d.proposal.facts if "critical risk of bias" in f)
    assert "1 study at critical risk of bias (ROBINS-I: D; 25% of the whole fixed-effect weight)" in crit
    assert "sensitivity analysis only" in crit and "the pooled estimate still includes them" in crit
    assert "without the critical studies: 0 (" in " ".join(d.proposal.facts)
    assert any(f.endswith("in the same zone of the thresholds as the pooled estimate") for f in d.proposal.facts)


def test_a_critical_study_that_moves_the_estimate_leaves_the_domain_to_the_reviewer():
    # D (critical, estimate 2) pulls all studies to 0.5 (from 0.2 on); without it 0 (inside the MID)
    oa = cohorts({"A": "low", "B": "low", "C": "low", "D": "critical"}, ys={"D": 2.0}, critical="include")
    d = dom(oa, "risk_of_bias")
    assert d.rating is None and d.status == "not_assessed"
    assert "leave them out of the primary analysis" in d.proposal.explanation


def test_every_study_critical_is_not_assessed():
    oa = cohorts({"A": "critical", "B": "critical"})
    d = dom(oa, "risk_of_bias")
    assert d.rating is None and "every study is at critical risk of bias" in d.proposal.explanation
    assert "analysis.critical_risk_of_bias: include" in d.proposal.explanation
    # the outcome is not "reported by no study": it is not estimable, and the studies are named
    assert oa.form == "studies" and oa.certainty is None
    assert oa.not_estimable.startswith("every study is at critical risk of bias (ROBINS-I)")
    assert oa.with_critical is not None and oa.with_critical.estimate == pytest.approx(0.0, abs=1e-12)
    # kept in the analysis, the rule still leaves them out of its judgment
    d = dom(cohorts({"A": "critical", "B": "critical"}, critical="include"), "risk_of_bias")
    assert d.rating is None and "(critical_studies: keep)" in d.proposal.explanation


def test_critical_studies_kept_dominating_are_three_levels():
    oa = cohorts(
        {"A": "critical", "B": "critical", "C": "serious"},
        rules=with_rules(ROB_WEIGHT={"critical_studies": "keep"}),
        critical="include",
    )
    d = dom(oa, "risk_of_bias")
    # 67% critical (≥ 55%) → three levels, to be confirmed; High − 3 = very low
    assert d.rating.value == "extremely_serious" and d.levels == 3 and d.proposal.needs_confirmation
    assert oa.start.value == "high" and oa.computed_certainty.value == "very_low"


@pytest.mark.parametrize(
    ("judgments", "levels"),
    [
        ({"A": "serious", "B": "serious", "C": "moderate", "D": "low"}, 1),  # 50% serious, 75% moderate+: one
        ({"A": "serious", "B": "serious", "C": "serious", "D": "low"}, 2),  # 75% serious → two
        ({"A": "moderate", "B": "moderate", "C": "moderate", "D": "low"}, 1),  # 75% moderate → one
    ],
)
def test_robins_i_levels_follow_the_dominating_judgment(judgments, levels):
    # the low cohort alone (estimate 0.5, from 0.2 on) lies in another zone than all four (0.125)
    d = dom(cohorts(judgments, ys={"D": 0.5}), "risk_of_bias")
    assert d.levels == levels and d.proposal.needs_confirmation is (levels > 1)
    # the same bodies, the low cohort agreeing (0 like the rest): the same zone → not serious
    assert dom(cohorts(judgments), "risk_of_bias").levels == 0


def nrsi_body(tool: str | None, judgment: str | None):
    # a precise non-null estimate (1.0, CI about 0.86 to 1.14): imprecision is not serious, so the
    # certainty shows the start and risk of bias alone
    out = outcome(
        type="generic", measure="GENERIC", data=generic_rows([1, 1], [0.1, 0.1], ids=["A", "B"]), analysis=FIXED
    )
    if tool is None:
        studies = [{"id": "A", "design": "nrsi"}, {"id": "B", "design": "nrsi"}]
    else:
        studies = [rct(s, judgment, tool=tool, design="nrsi") for s in ("A", "B")]
    return assess_one(out, studies)


def test_robins_i_starts_high_and_serious_studies_rate_down_two_levels():
    oa = nrsi_body("robins-i", "serious")
    assert oa.start.value == "high"
    assert "ROBINS-I" in oa.start_reason
    d = dom(oa, "risk_of_bias")
    assert d.rating.value == "very_serious"  # all weight at serious, no low-risk cohort to compare with
    assert d.proposal.needs_confirmation  # more than one level (a heuristic: GRADE 18 gives no numbers)
    assert oa.computed_certainty.value == "low"


def test_robins_i_moderate_rates_down_one_level():
    oa = nrsi_body("robins-i", "moderate")
    assert oa.start.value == "high"
    assert dom(oa, "risk_of_bias").rating.value == "serious"
    assert oa.computed_certainty.value == "moderate"


def test_non_robins_nrsi_start_low():
    oa = nrsi_body("rob1", "low")
    assert oa.start.value == "low"
    assert dom(oa, "risk_of_bias").rating.value == "not_serious"
    assert oa.computed_certainty.value == "low"


def test_nrsi_without_assessment_starts_low():
    oa = nrsi_body(None, None)
    assert oa.start.value == "low"
    assert dom(oa, "risk_of_bias").status == "not_assessed"


def test_mixed_robins_and_unassessed_nrsi_start_low():
    out = outcome(type="generic", measure="GENERIC", data=generic_rows([0, 0], [1, 1], ids=["A", "B"]), analysis=FIXED)
    studies = [rct("A", "low", tool="robins-i", design="nrsi"), {"id": "B", "design": "nrsi"}]
    assert assess_one(out, studies).start.value == "low"


def test_randomised_trials_start_high():
    out, studies = body({"A": 1, "B": 1}, {"A": "low", "B": "low"})
    oa = assess_one(out, studies)
    assert oa.start.value == "high"
    assert oa.start_reason == "randomised trials"


def test_low_risk_sensitivity_analysis_repools_only_low_risk_studies():
    ys, ses = [-0.5, -0.1, 0.4], [0.2, 0.25, 0.3]
    rows = generic_rows(ys, ses, ids=["A", "B", "C"])
    out = outcome(type="generic", measure="GENERIC", data=rows, analysis=FIXED)
    studies = [rct("A", "low"), rct("B", "low"), rct("C", "high")]
    oa = assess_one(out, studies)
    sens = oa.sensitivity
    assert sens is not None and sorted(sens.studies) == ["A", "B"]
    est, lo, hi = fixed_pool(ys[:2], ses[:2])
    assert sens.estimate == pytest.approx(est)
    assert sens.ci_lb == pytest.approx(lo)
    assert sens.ci_ub == pytest.approx(hi)
    # the rule reads the same analysis: its estimate is in the proposal's facts
    assert any(f"{est:.3g} ({lo:.3g} to {hi:.3g})" in f for f in dom(oa, "risk_of_bias").proposal.facts)


@pytest.mark.parametrize(("n_high", "expected"), [(200, "not_serious"), (1000, "serious")])
def test_no_estimate_from_the_low_risk_studies_leaves_the_dominance_cut_to_decide(n_high, expected):
    # the low-risk trial has no events in either arm (no estimate); weighed by participants, the
    # high-risk trial holds 200/700 = 29% (not dominating → not serious) or 1000/1500 = 67% (serious)
    rows = [
        {"study": "L", "events_t": 0, "n_t": 250, "events_c": 0, "n_c": 250},
        {"study": "H", "events_t": n_high // 20, "n_t": n_high // 2, "events_c": n_high // 10, "n_c": n_high // 2},
    ]
    oa = assess_one(
        outcome(data=rows), [rct("L", "low"), rct("H", "high")], with_rules(ROB_WEIGHT={"basis": "participants"})
    )
    d = dom(oa, "risk_of_bias")
    assert d.rating.value == expected
    assert any(f.startswith("the low-risk studies give no estimate") for f in d.proposal.facts)
