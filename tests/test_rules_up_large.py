"""UP-LARGE (gradecli/grade/rules/up_large.py): the PASS and FAIL examples of its documentation, the
thresholds on the risk-ratio scale (an odds ratio converted at the comparator risk first), and the
conditions under which a rating up is proposed at all.

Every expected value is worked by hand: RR = OR / (1 − ACR + ACR·OR)."""

from __future__ import annotations

import math

import pytest
from test_grade_helpers import assess_one, generic_rows, outcome, rule_context, summary_outcome, up, with_rules

from gradecli.grade.rules.up_large import UpLarge, odds_to_risk_ratio

COHORTS = [{"id": f"N{i}", "design": "nrsi"} for i in (1, 2, 3)]
NOT_SERIOUS = {"rating": "not_serious", "reason": "Well-conducted cohorts, consistent results."}
JUDGED = {"risk_of_bias": NOT_SERIOUS, "inconsistency": NOT_SERIOUS}


def body(est, ci, k=3, measure="RR", risk=0.2, judgements=None, participants=5000):
    # a large effect needs the optimal information size (GRADE 34): a comparator risk of 20% and
    # 5,000 participants meet it (OIS 1,806 for RRR 25%), so imprecision is not serious
    extra = {"assumed_risk": {"value": risk}} if risk is not None else {}
    j = JUDGED if judgements is None else judgements
    return summary_outcome(est, ci, participants=participants, studies=k, measure=measure, judgements=j, **extra)


def judged(outcome, studies=COHORTS, rules="default"):
    """UP-LARGE's own answer, and the assessment's record of it."""
    ctx, _, ruleset = rule_context(outcome, studies, rules)
    oa = assess_one(outcome, studies, rules)
    return UpLarge.judge(ctx, ruleset.settings(UpLarge), oa.domains), up(oa, "large_effect"), oa


@pytest.mark.parametrize(
    ("est", "ci", "k", "measure", "risk", "levels"),
    [
        (0.45, (0.30, 0.70), 3, "RR", 0.2, 0),  # PASS (no rating up): the CI reaches above 0.5
        (0.28, (0.18, 0.44), 1, "RR", 0.2, 0),  # PASS: a single cohort, no proposal
        (0.30, (0.20, 0.45), 3, "RR", 0.2, 1),  # FAIL (proposed): below 0.5
        (0.10, (0.05, 0.18), 3, "RR", 0.2, 2),  # below 0.2
        (0.20, (0.14, 0.29), 3, "OR", 0.3, 1),  # OR → RR 0.26 (0.19 to 0.37): below 0.5, not 0.2
    ],
)
def test_documented_examples(est, ci, k, measure, risk, levels):
    found, u, oa = judged(body(est, ci, k, measure, risk), COHORTS[:k])
    assert found is not None and found.levels == levels
    assert u.rule == "UP-LARGE" and u.proposed_levels == levels and u.facts[: len(found.facts)] == list(found.facts)
    assert u.path == list(found.path)
    assert u.levels == 0 and oa.computed_certainty.value == "low"  # a proposal never rates up by itself
    assert u.needs_confirmation is (levels > 0)


def test_only_ratios():
    out = summary_outcome(-5.0, (-8.0, -2.0), type="continuous", measure="MD", judgements=JUDGED)
    ctx, _, rules = rule_context(out, COHORTS)
    assert UpLarge.judge(ctx, rules.settings(UpLarge)) is None
    u = up(assess_one(out, COHORTS), "large_effect")
    assert u.status == "not_assessed" and u.proposed_levels == 0
    assert "ratio with its 95% CI only (MD here)" in u.facts[0]


def test_switched_off_by_pollock():
    u = up(assess_one(body(0.10, (0.05, 0.18)), COHORTS, "pollock-2016"), "large_effect")
    assert u.proposed_levels == 0 and "UP-LARGE is switched off by the rule set pollock-2016" in u.facts[0]
    assert u.status == "not_assessed"


# -- the thresholds on the risk-ratio scale ---------------------------------------------------------

# (OR limit, comparator risk) pairs whose RR is exactly the threshold in floating point, by hand:
# 3.0 / (1 − 0.25 + 0.25·3.0) = 3 / 1.5 = 2; 0.375 / (1 − 0.4 + 0.4·0.375) = 0.375 / 0.75 = 0.5;
# 9.0 / (1 − 0.1 + 0.1·9.0) = 9 / 1.8 = 5.


def test_the_conversions_used_below_are_exact():
    assert odds_to_risk_ratio(3.0, 0.25) == 2.0
    assert odds_to_risk_ratio(0.375, 0.4) == 0.5
    assert odds_to_risk_ratio(9.0, 0.1) == 5.0


@pytest.mark.parametrize(
    ("measure", "ci", "risk", "levels"),
    [
        # risk ratios: a CI limit on the threshold is not beyond it (the whole CI must lie beyond)
        ("RR", (2.0, 3.0), 0.2, 0),
        ("RR", (2.01, 3.0), 0.2, 1),
        ("RR", (0.3, 0.5), 0.2, 0),
        ("RR", (0.3, 0.499), 0.2, 1),
        ("RR", (5.0, 8.0), 0.1, 1),
        ("RR", (5.01, 8.0), 0.1, 2),
        ("RR", (0.1, 0.2), 0.2, 1),
        ("RR", (0.1, 0.199), 0.2, 2),
        # odds ratios, judged after conversion: OR 3.0 at 25% is RR 2 exactly — not beyond 2,
        # though the OR itself lies above 2; OR 0.375 at 40% is RR 0.5; OR 9.0 at 10% is RR 5
        ("OR", (3.0, 3.5), 0.25, 0),
        ("OR", (3.1, 3.5), 0.25, 1),  # RR 3.1 / 1.525 = 2.033
        ("OR", (0.3, 0.375), 0.4, 0),
        ("OR", (0.3, 0.37), 0.4, 1),  # RR 0.37 / 0.748 = 0.495
        ("OR", (9.0, 12.0), 0.1, 1),
        ("OR", (9.5, 12.0), 0.1, 2),  # RR 9.5 / 1.85 = 5.135
    ],
)
def test_threshold_edges_on_the_risk_ratio_scale(measure, ci, risk, levels):
    est = round((ci[0] * ci[1]) ** 0.5, 4)
    found, u, _ = judged(body(est, ci, measure=measure, risk=risk))
    assert found is not None and found.size == levels and found.levels == levels and u.proposed_levels == levels


def test_a_limit_near_the_threshold_is_never_shown_on_it():
    # OR 0.3749 at 40%: RR 0.3749 / 0.74996 = 0.49989, below 0.5 — shown as 0.4999, not "0.50"
    found, _, _ = judged(body(0.33, (0.3, 0.3749), measure="OR", risk=0.4))
    assert found.levels == 1 and "0.4999)" in found.facts[0] and "to 0.50)" not in found.facts[0]


# -- W12: an odds ratio is converted before the thresholds apply ----------------------------------


def test_w12_odds_ratio_is_converted_at_the_assumed_risk():
    # 0.20 / (0.7 + 0.06) = 0.263; 0.14 / (0.7 + 0.042) = 0.189; 0.29 / (0.7 + 0.087) = 0.368
    found, u, _ = judged(body(0.20, (0.14, 0.29), measure="OR", risk=0.3))
    assert found.levels == 1
    assert "OR 0.20 (95% CI 0.14 to 0.29) converted to a risk ratio at a comparator risk of 30%" in u.facts[0]
    assert u.facts[0].endswith("RR 0.26 (95% CI 0.19 to 0.37)")
    assert u.path[0] == "OR → RR at 30%: RR 0.26 (95% CI 0.19 to 0.37)"


def test_w12_on_the_estimate_the_odds_ratio_is_very_large_but_the_risk_ratio_is_not():
    # with the estimate as basis (GRADE 9: "at least a five-fold" reduction), OR 0.20 unconverted is
    # five-fold → +2; converted at 30% it is RR 0.263 → only two-fold → +1. With the whole CI
    # (the default) the OR gives +1 as well: its upper limit 0.29 is above 0.2
    estimate = with_rules(**{"UP-LARGE": {"whole_ci": False}})
    judgements = {**JUDGED, "imprecision": NOT_SERIOUS}
    unconverted, _, _ = judged(body(0.20, (0.14, 0.29), measure="OR", risk=None, judgements=judgements), rules=estimate)
    converted, _, _ = judged(body(0.20, (0.14, 0.29), measure="OR", risk=0.3), rules=estimate)
    assert unconverted.levels == 2 and converted.levels == 1
    whole, _, _ = judged(body(0.20, (0.14, 0.29), measure="OR", risk=None, judgements=judgements))
    assert whole.levels == 1


def test_an_odds_ratio_without_a_comparator_risk_may_overstate():
    judgements = {**JUDGED, "imprecision": NOT_SERIOUS}
    found, u, _ = judged(body(0.10, (0.05, 0.18), measure="OR", risk=None, judgements=judgements))
    assert found.levels == 2
    assert "judged as it is: no assumed or control-group risk" in u.facts[0]
    assert any("may overstate the effect" in f for f in u.facts)


def test_a_peto_odds_ratio_is_converted_too():
    found, _, _ = judged(body(0.20, (0.14, 0.29), measure="PETO_OR", risk=0.3))
    assert "converted to a risk ratio" in found.facts[0]


def test_a_hazard_ratio_is_judged_as_it_is():
    found, _, _ = judged(
        summary_outcome(
            0.30,
            (0.20, 0.45),
            participants=5000,
            studies=3,
            measure="HR",
            judgements={**JUDGED, "imprecision": NOT_SERIOUS},
            type="generic",
        )
    )
    assert found.levels == 1 and found.facts[0] == "HR 0.30 (95% CI 0.20 to 0.45)"


# -- the conditions: more than one study, nothing rated down, the domains assessed ----------------


@pytest.mark.parametrize(("k", "levels"), [(1, 0), (2, 1)])
def test_one_study_gets_no_proposal_two_do(k, levels):
    found, u, _ = judged(body(0.28, (0.18, 0.44), k=k), COHORTS[:k])
    assert found.size == 1 and found.levels == levels
    if k == 1:
        assert any(f.startswith("no proposal: a single study (k = 1)") for f in u.facts)


def test_min_studies_is_a_setting():
    one = with_rules(**{"UP-LARGE": {"min_studies": 1}})
    found, _, _ = judged(body(0.28, (0.18, 0.44), k=1), COHORTS[:1], rules=one)
    assert found.levels == 1


def test_the_number_of_studies_must_be_known():
    out = body(0.28, (0.18, 0.44))
    del out["summary"]["studies"]
    found, _, _ = judged(out)
    assert found.levels == 0 and "the number of studies is not given" in found.facts[-1]


@pytest.mark.parametrize(
    ("judgements", "why"),
    [
        ({"inconsistency": NOT_SERIOUS}, "risk of bias not assessed"),
        ({"risk_of_bias": NOT_SERIOUS}, "inconsistency not assessed"),
        ({**JUDGED, "inconsistency": {"rating": "serious", "reason": "Estimates differ."}}, "inconsistency (serious)"),
        ({**JUDGED, "imprecision": {"rating": "serious", "reason": "Few events."}}, "imprecision (serious)"),
        ({**JUDGED, "indirectness": {"rating": "serious", "reason": "Other population."}}, "indirectness (serious)"),
    ],
)
def test_no_proposal_while_a_domain_is_unknown_or_rated_down(judgements, why):
    found, u, _ = judged(body(0.30, (0.20, 0.45), judgements=judgements))
    assert found.size == 1 and found.levels == 0 and u.proposed_levels == 0
    assert any(f.startswith("no proposal: ") and why in f for f in u.facts), u.facts


def test_only_without_downgrades_concerns_the_other_domains():
    # switched off, indirectness rated down no longer blocks; imprecision rated down still does
    rules = with_rules(**{"UP-LARGE": {"only_without_downgrades": False}})
    indirect = {**JUDGED, "indirectness": {"rating": "serious", "reason": "Other population."}}
    found, _, _ = judged(body(0.30, (0.20, 0.45), judgements=indirect), rules=rules)
    assert found.levels == 1
    imprecise = {**JUDGED, "imprecision": {"rating": "serious", "reason": "Few events."}}
    found, _, _ = judged(body(0.30, (0.20, 0.45), judgements=imprecise), rules=rules)
    assert found.levels == 0


def test_robins_i_bodies_that_start_high_are_asked_too():
    # GRADE 18: starting High with ROBINS-I, the reasons to rate up are still considered; three
    # cohorts at low risk, each log RR log(0.3) with SE 0.1 → pooled RR 0.30 (0.27 to 0.34)
    robins = [{**c, "risk_of_bias": {"tool": "robins-i", "overall": "low"}} for c in COHORTS]
    rows = generic_rows([math.log(0.3)] * 3, [0.1] * 3, ids=["N1", "N2", "N3"], participants=[2000] * 3)
    out = outcome(type="generic", measure="RR", data=rows, assumed_risk={"value": 0.2})
    oa = assess_one(out, robins)
    u = up(oa, "large_effect")
    assert oa.start.value == "high" and oa.points == 0, [(d.domain, d.levels) for d in oa.domains]
    assert u.proposed_levels == 1 and u.levels == 0
    assert u.facts[-1].startswith("HIGH stays HIGH (the highest level) once the reviewer confirms")
    core = assess_one(out, robins, "core-grade")
    assert core.start.value == "low"
    assert up(core, "large_effect").facts[-1].startswith("LOW → MODERATE once the reviewer confirms")
