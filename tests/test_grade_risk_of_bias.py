"""Risk of bias (ROB-WEIGHT, ROB-NONE, ROB-SUMMARY) at and around every threshold, and start levels.

Bodies of evidence are generic rows pooled with fixed-effect inverse variance, so each study's share
of the weight is w = 1/SE² over the sum — chosen here by picking SE = 1/√w. Expected ratings come
from the rulebook (R3.4): serious when the low-risk share is below 75%; very serious when it is below
50% and at least 50% of the weight is at high risk; missing judgments count as high and are flagged.
"""

from __future__ import annotations

import math

import pytest
from test_grade_helpers import FIXED, assess_one, dom, fixed_pool, generic_rows, outcome, rct, summary_outcome

from gradecli.grade.ruleset import RuleSet


def body(weights: dict[str, float], judgments: dict[str, str | None], **kw):
    """Studies with the given weights (any scale) and overall RoB 2 judgments (None: no assessment)."""
    ids = list(weights)
    rows = generic_rows([0.0] * len(ids), [1 / math.sqrt(weights[s]) for s in ids], ids=ids)
    out = outcome(type="generic", measure="GENERIC", data=rows, analysis=FIXED, **kw)
    studies = [rct(s, judgments[s]) for s in ids]
    return out, studies


def rob(weights, judgments, rules="default", **kw):
    out, studies = body(weights, judgments, **kw)
    return dom(assess_one(out, studies, rules), "risk_of_bias")


@pytest.mark.parametrize(
    ("low_w", "expected", "shown"),
    [
        (749, "serious", "74.9%"),  # just below 75%
        (750, "not_serious", "75%"),  # at 75%: not below, so not serious
        (751, "not_serious", "75.1%"),  # just above
    ],
)
def test_low_share_around_75(low_w, expected, shown):
    d = rob({"A": low_w, "B": 1000 - low_w}, {"A": "low", "B": "some_concerns"})
    assert d.rating.value == expected
    assert d.proposal.rule == "ROB-WEIGHT"
    assert d.status == "proposed"
    assert d.proposal.facts[0].startswith(f"{shown} of the analysis weight from studies at low risk")
    if expected == "serious":
        assert d.levels == 1
        assert d.footnote is not None and "74.9%" in d.footnote and "less than 75%" in d.footnote
        assert "ROB-WEIGHT" in d.footnote
    else:
        assert d.levels == 0 and d.footnote is None


def test_exactly_75_from_several_equal_studies():
    # three low-risk studies of four, equal weights: 3 × 25% = 75% exactly → not serious
    d = rob({"A": 1, "B": 1, "C": 1, "D": 1}, {"A": "low", "B": "low", "C": "low", "D": "high"})
    assert d.rating.value == "not_serious"


def test_weights_that_do_not_add_up_exactly_to_75_in_floating_point():
    # 4% + 29% + 42% = 75% in exact arithmetic; the pooled weight shares add up to 0.7499999999999999
    # in floating point. 75% is not below 75%: not serious.
    weights = {"A": 4, "B": 29, "C": 42, "D": 25}
    d = rob(weights, {"A": "low", "B": "low", "C": "low", "D": "high"})
    assert d.rating.value == "not_serious"
    assert d.proposal.facts[0].startswith("75% of the analysis weight")


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
def test_very_serious_needs_low_below_50_and_high_at_least_50(low, some, high, expected):
    weights = {k: v for k, v in {"L": low, "S": some, "H": high}.items() if v}
    judgments = {"L": "low", "S": "some_concerns", "H": "high"}
    d = rob(weights, judgments)
    assert d.rating.value == expected
    if expected == "very_serious":
        assert d.levels == 2
        assert f"only {low / 10:g}% of the analysis weight" in d.footnote
        assert f"{high / 10:g}% from studies at high risk" in d.footnote


def test_missing_judgment_counts_as_high_and_is_flagged():
    # 40% low, 60% from a study with no risk-of-bias assessment → counted as high → very serious
    d = rob({"A": 40, "B": 60}, {"A": "low", "B": None})
    assert d.rating.value == "very_serious"
    assert any(
        "1 study without a judgment (60% of the analysis weight, counted as high)" in f for f in d.proposal.facts
    )
    assert "without a judgment counted as high" in d.footnote
    assert "60% from studies at high risk" in d.footnote


def test_missing_judgment_assume_low_under_a_custom_rule_set():
    rules = RuleSet.model_validate(
        {"name": "lenient", "rules": {"ROB-WEIGHT": {"missing_study_judgment": "assume_low"}}}
    )
    d = rob({"A": 40, "B": 60}, {"A": "low", "B": None}, rules=rules)
    assert d.rating.value == "not_serious"
    assert any("counted as low" in f for f in d.proposal.facts)


def test_no_judgments_at_all_is_not_assessed():
    d = rob({"A": 1, "B": 1}, {"A": None, "B": None})
    assert d.rating is None
    assert d.status == "not_assessed"
    assert d.proposal.rule == "ROB-NONE"
    assert d.levels == 0 and d.footnote is None


def test_summary_level_outcome_is_not_assessed():
    oa = assess_one(summary_outcome(0.7, (0.6, 0.8)), [rct("A", "high")])
    d = dom(oa, "risk_of_bias")
    assert d.rating is None and d.status == "not_assessed"
    assert d.proposal.rule == "ROB-SUMMARY"
    assert oa.sensitivity is None


def test_per_outcome_override_replaces_the_study_judgment():
    # study A is low overall, but high for this outcome: 80% of the weight now at high risk
    out, studies = body({"A": 80, "B": 20}, {"A": "low", "B": "low"})
    out["risk_of_bias_overrides"] = [{"study": "A", "overall": "high", "reason": "Self-reported outcome, unblinded."}]
    d = dom(assess_one(out, studies), "risk_of_bias")
    assert d.rating.value == "very_serious"
    assert "only 20% of the analysis weight" in d.footnote
    # the same body without the override is not serious
    out.pop("risk_of_bias_overrides")
    assert dom(assess_one(out, studies), "risk_of_bias").rating.value == "not_serious"


def test_override_with_tool_for_a_study_without_assessment():
    out, studies = body({"A": 50, "B": 50}, {"A": "low", "B": None})
    out["risk_of_bias_overrides"] = [{"study": "B", "overall": "low", "tool": "rob2", "reason": "Assessed for this."}]
    d = dom(assess_one(out, studies), "risk_of_bias")
    assert d.rating.value == "not_serious"
    assert not any("without a judgment" in f for f in d.proposal.facts)


@pytest.mark.parametrize(
    ("rob1", "expected"),
    [("unclear", "serious"), ("high", "very_serious"), ("low", "not_serious")],
)
def test_rob1_vocabulary(rob1, expected):
    # A is low with 40% of the weight, B carries 60%: unclear counts as some concerns (serious, not
    # very serious: nothing at high risk); high gives 60% at high risk and 40% low → very serious
    weights = {"A": 40, "B": 60}
    rows = generic_rows([0, 0], [1 / math.sqrt(w) for w in weights.values()], ids=list(weights))
    out = outcome(type="generic", measure="GENERIC", data=rows, analysis=FIXED)
    studies = [rct("A", "low", tool="rob1"), rct("B", rob1, tool="rob1")]
    assert dom(assess_one(out, studies), "risk_of_bias").rating.value == expected


# --- start levels (R1.3) -------------------------------------------------------------------------


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
    assert d.rating.value == "very_serious"  # all weight at serious → high category
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
