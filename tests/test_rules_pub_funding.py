"""PUB-FUNDING (gradecli/grade/rules/pub_funding.py): the PASS and FAIL examples of its documentation,
the cut-offs (small: fewer than 100 per arm or 200 in all; most: more than half, and at least two),
and how the free-text ``funding`` is read."""

from __future__ import annotations

import pytest
from test_grade_helpers import assess_one, dom, outcome, rule_context, with_rules

from gradecli.grade.rules.pub_funding import PubFunding, industry_funded


def trials(sizes, funding, generic_totals=False):
    """Two-arm trials of ``sizes`` participants per arm with the given funding (None: not recorded)."""
    rows, studies = [], []
    for i, (n, f) in enumerate(zip(sizes, funding, strict=True)):
        sid = f"T{i + 1}"
        if generic_totals:
            rows.append({"study": sid, "yi": -0.2, "sei": 0.3 + 0.01 * i, "participants": n})
        else:
            rows.append({"study": sid, "events_t": max(1, n // 5), "n_t": n, "events_c": max(2, n // 4), "n_c": n})
        study = {"id": sid, "design": "rct"}
        if f is not None:
            study["funding"] = f
        studies.append(study)
    kind = {"type": "generic", "measure": "OR"} if generic_totals else {"type": "dichotomous", "measure": "RR"}
    return outcome(data=rows, **kind), studies


def judge(out, studies, rules="default"):
    ctx, _, ruleset = rule_context(out, studies, rules)
    return PubFunding.judge(ctx, ruleset.settings(PubFunding))


def test_pass_12_trials_2_small_and_industry_funded():
    out, studies = trials([40, 60] + [300] * 10, ["industry"] * 12)
    proposal = judge(out, studies)
    assert proposal.rating.value == "not_serious" and proposal.rule == "PUB-FUNDING"
    assert proposal.facts == ["2 of 12 studies small (fewer than 100 participants in an arm) and industry-funded"]
    assert proposal.path == ["most or all studies small and industry-funded? no — 2 of 12"]


def test_fail_6_small_industry_funded_trials_without_a_test():
    out, studies = trials([30, 40, 45, 60, 80, 95], ["industry"] * 6)
    proposal = judge(out, studies)
    assert proposal.rating.value == "serious" and proposal.needs_confirmation
    assert proposal.explanation == (
        "suspected — most or all studies are small and industry-funded (6 of 6: T1, T2, T3, T4 and 2 more)"
    )
    d = dom(assess_one(out, studies), "publication_bias")
    assert d.rating.value == "serious" and d.levels == 1 and d.proposal.rule == "PUB-FUNDING"


@pytest.mark.parametrize(("industry", "suspected"), [(3, False), (4, True)])
def test_most_is_more_than_half(industry, suspected):
    out, studies = trials([50] * 6, ["industry"] * industry + ["public"] * (6 - industry))
    assert (judge(out, studies).rating.value == "serious") is suspected


@pytest.mark.parametrize(("per_arm", "small"), [(99, True), (100, False)])
def test_small_is_fewer_than_100_per_arm(per_arm, small):
    out, studies = trials([per_arm] * 4, ["industry"] * 4)
    assert (judge(out, studies).rating.value == "serious") is small


@pytest.mark.parametrize(("total", "small"), [(199, True), (200, False)])
def test_with_only_a_total_small_is_fewer_than_200(total, small):
    out, studies = trials([total] * 4, ["industry"] * 4, generic_totals=True)
    assert (judge(out, studies).rating.value == "serious") is small


def test_one_small_industry_trial_is_no_pattern():
    out, studies = trials([30], ["industry"])
    assert judge(out, studies).rating.value == "not_serious"  # "a number of" small studies: at least two
    out, studies = trials([30, 30], ["industry"] * 2)
    assert judge(out, studies).rating.value == "serious"


def test_unknown_funding_and_sizes_are_counted_and_said():
    out, studies = trials([50] * 4, [None] * 4)
    proposal = judge(out, studies)
    assert proposal.rating.value == "not_serious" and proposal.facts == [
        "funding not recorded for any of the 4 studies"
    ]
    out, studies = trials([50] * 4, ["industry", "industry", None, "not reported"])
    proposal = judge(out, studies)
    assert proposal.rating.value == "not_serious"  # unrecorded funding counts in the total: 2 of 4
    assert "funding not recorded for 2 of 4" in proposal.facts
    out, studies = trials([50] * 4, ["industry", "industry", "industry", None])
    assert judge(out, studies).rating.value == "serious"  # 3 of 4


def test_a_rule_set_changes_the_cut_offs_or_switches_it_off():
    out, studies = trials([150] * 4, ["industry"] * 4)
    assert judge(out, studies).rating.value == "not_serious"
    assert judge(out, studies, with_rules(PUB_FUNDING={"small_per_arm": 200})).rating.value == "serious"
    out, studies = trials([50] * 4, ["industry"] * 4)
    off = with_rules(PUB_FUNDING={"enabled": False})
    d = dom(assess_one(out, studies, off), "publication_bias")
    assert d.rating is None and d.proposal.rule == "PUB-FEW"  # no signal read: the (too few) test decides
    assert dom(assess_one(out, studies, "pollock-2016"), "publication_bias").rating is None


@pytest.mark.parametrize(
    ("text", "industry"),
    [
        ("industry", True),
        ("Industry-sponsored", True),
        ("pharmaceutical company", True),
        ("mixed", True),
        ("public and commercial", True),
        ("public", False),
        ("non-industry", False),
        ("no industry funding", False),
        ("not funded by industry", False),
        ("independent of industry", False),
        ("national research council", False),
        ("not reported", None),
        (None, None),
    ],
)
def test_reading_the_funding_text(text, industry):
    assert industry_funded(text) is industry


def test_a_summary_names_no_studies():
    from test_grade_helpers import summary_outcome

    ctx, _, ruleset = rule_context(
        summary_outcome(0.8, (0.7, 0.9)), [{"id": "A", "design": "rct", "funding": "industry"}]
    )
    assert PubFunding.judge(ctx, ruleset.settings(PubFunding)) is None
