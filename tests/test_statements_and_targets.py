"""Statements (GRADE 26, Core GRADE 6) from the same zones as imprecision, the recorded target and
its methods line, SMD presentation, strata judgments and provisional ratings.

Each case states its numbers; the expected words are Core GRADE 6 Box 1's / GRADE 26's forms."""

from __future__ import annotations

from typing import Any

import pytest

import gradecli
from gradecli.grade.assessment import OutcomeAssessment
from gradecli.grade.statements import plural
from gradecli.model.checks import check_evidence
from gradecli.model.evidence import Evidence

OK = {"rating": "not_serious", "reason": "Assessed: no concern."}
ASSESSED = {d: OK for d in ("risk_of_bias", "inconsistency", "indirectness", "publication_bias")}


def run(outcome: dict[str, Any], intervention: str = "Drug X", **question: Any) -> OutcomeAssessment:
    studies = [{"id": sid, "design": "rct"} for sid in dict.fromkeys(r["study"] for r in outcome.get("data") or [])]
    o = {"id": "y", "name": "Pain", "importance": "critical", "type": "continuous", "measure": "MD", **outcome}
    o["judgements"] = {**ASSESSED, **o.get("judgements", {})}
    q = {"population": "Adults", "intervention": intervention, "comparison": "Placebo", **question}
    ev = Evidence.model_validate(
        {"gradecli": 1, "review": {"title": "T", "question": q}, "studies": studies, "outcomes": [o]}
    )
    assert not check_evidence(ev)
    return gradecli.assess(ev).outcomes[0]


def md(est: float, lo: float, hi: float, n: int = 2000, **kw: Any) -> dict[str, Any]:
    return {"summary": {"estimate": est, "ci": [lo, hi], "participants": n, "studies": 5}, **kw}


# -- direction words follow the outcome ----------------------------------------------------------


def test_lower_is_better_reduction_reads_reduces_and_is_a_benefit():
    o = run(md(-12, -15, -9, benefit="lower", thresholds={"mid": 5}))
    assert o.statement == "Drug X results in an important reduction in pain."
    assert o.target.kind == "important_effect" and o.target.direction == "benefit"
    assert o.target.methods_line == "Certainty rated for: an important reduction (benefit) (MID 5)"


def test_lower_is_better_increase_is_a_harm_never_a_benefit():
    o = run(md(12, 9, 15, benefit="lower", thresholds={"mid": 5}))
    assert o.target.direction == "harm"
    assert o.statement == "Drug X results in an important increase in pain."


def test_higher_is_better_increase_improves():
    o = run(md(12, 9, 15, name="Quality of life", benefit="higher", thresholds={"mid": 5}))
    assert o.statement == "Drug X results in an important improvement in quality of life."
    o = run(md(12, 9, 15, name="Quality of life", benefit="higher", thresholds={"mid": 5, "moderate": 10, "large": 20}))
    assert o.zone == "moderate" and o.statement == "Drug X improves quality of life."


def test_sizes_slightly_and_large():
    t = {"mid": 5, "moderate": 10, "large": 20}
    assert run(md(-7, -9, -6, benefit="lower", thresholds=t)).statement == "Drug X slightly reduces pain."
    assert run(md(-25, -28, -22, benefit="lower", thresholds=t)).statement == (
        "Drug X results in a large reduction in pain."
    )


def test_certainty_qualifiers():
    base = md(-12, -15, -9, benefit="lower", thresholds={"mid": 5})
    serious = {"rating": "serious", "reason": "Open-label trials."}
    very = {"rating": "very_serious", "reason": "Open-label trials with attrition."}
    assert run({**base, "judgements": {"risk_of_bias": serious}}).statement == (
        "Drug X probably results in an important reduction in pain."
    )
    assert run({**base, "judgements": {"risk_of_bias": very}}).statement == (
        "Drug X may result in an important reduction in pain."
    )


def test_plural_interventions_agree():
    o = run(md(-12, -15, -9, benefit="lower"), intervention="NMDA receptor antagonists (ketamine, memantine)")
    assert o.statement == "NMDA receptor antagonists (ketamine, memantine) reduce pain."
    o = run(md(-12, -15, -9, benefit="lower"), intervention="Group therapy", intervention_number="plural")
    assert o.statement.startswith("Group therapy reduce ")


@pytest.mark.parametrize(
    ("name", "many"),
    [
        ("Stroke units", True),
        ("Ketamine and other NMDA receptor antagonists", True),
        ("Antibiotics for acute otitis media", True),
        ("Intravenous ketamine", False),
        ("BCG vaccination", False),
        ("Mindfulness", False),
        ("Aerobics", False),
    ],
)
def test_plural_guess(name: str, many: bool):
    assert plural(name) is many


def test_binary_statement_noun():
    o = run(
        {
            "name": "Pain relief",
            "type": "dichotomous",
            "measure": "RR",
            "benefit": "higher",
            "statement_noun": "the number of people with at least 50% pain relief",
            "summary": {"estimate": 1.8, "ci": [1.5, 2.1], "participants": 4000, "studies": 6},
            "assumed_risk": {"value": 0.2},
            "thresholds": {"mid": 50},
        }
    )
    assert o.statement == (
        "Drug X results in an important increase in the number of people with at least 50% pain relief."
    )


def test_null_target_names_only_the_direction():
    o = run(md(-3, -5, -1, benefit="lower"))
    assert o.target.kind == "non_null_effect" and o.target.methods_line.endswith("(threshold: the null)")
    assert o.statement == "Drug X reduces pain."


def test_a_stated_target_that_the_estimate_contradicts_follows_the_estimate_and_says_so():
    o = run(md(-2, -3, -1, benefit="lower", thresholds={"mid": 5, "target": "important_effect"}))
    assert o.target.kind == "little_or_no_effect" and o.target.chosen_by == "point_estimate"
    assert any("states the target 'important effect'" in d for d in o.target.defaults_used)


def test_any_effect_target_with_mids_rates_against_the_null():
    o = run(md(-2, -3, -1, benefit="lower", thresholds={"mid": 5, "target": "any_effect"}))
    assert o.target.kind == "non_null_effect" and o.target.chosen_by == "file"
    imp = next(d for d in o.domains if d.domain == "imprecision")
    assert imp.levels == 0
    assert o.statement == "Drug X reduces pain."


def test_thresholds_must_increase():
    def problems(t: dict[str, Any]) -> list[str]:
        out = {"id": "o", "name": "P", "importance": "critical", "type": "continuous", "benefit": "lower"}
        ev = Evidence.model_validate(
            {"gradecli": 1, "review": {"title": "T"}, "outcomes": [{**out, "thresholds": t, "data": []}]}
        )
        return [message for _, message, _ in check_evidence(ev)]

    assert any("large (5) must be larger than mid (10)" in p for p in problems({"mid": 10, "large": 5}))
    # a sided MID counts too: the harm MID of 30 lies beyond `moderate` 20
    assert any(
        "moderate (20) must be larger than mid_harm (30)" in p for p in problems({"mid_harm": 30, "moderate": 20})
    )
    assert problems({"mid_benefit": 5, "mid_harm": 10, "moderate": 20, "large": 40}) == []


def test_sided_mids_need_the_outcome_polarity():
    with pytest.raises(ValueError, match="benefit"):
        Evidence.model_validate(
            {
                "gradecli": 1,
                "review": {"title": "T"},
                "outcomes": [
                    {
                        "id": "o",
                        "name": "P",
                        "importance": "critical",
                        "type": "continuous",
                        "thresholds": {"mid_benefit": 10},
                        "data": [],
                    }
                ],
            }
        )


# -- SMD presentation ----------------------------------------------------------------------------


def smd(**kw: Any) -> dict[str, Any]:
    return {
        "measure": "SMD",
        "summary": {"estimate": -0.5, "ci": [-0.7, -0.3], "participants": 800, "studies": 6},
        **kw,
    }


def test_smd_has_no_comparator_mean_and_cohen_size_is_labelled():
    rows = [
        {"study": f"S{i}", "mean_t": 3.0 + i, "sd_t": 2.0, "n_t": 50, "mean_c": 4.0 + 10 * i, "sd_c": 2.0, "n_c": 50}
        for i in range(3)
    ]
    o = run({"measure": "SMD", "data": rows})
    assert o.continuous.comparator_mean is None  # the means are on different scales
    assert o.continuous.smd_size_source == "Cohen's rule of thumb, context-free"


def test_smd_size_comes_from_the_mid_when_given():
    o = run(smd(benefit="lower", thresholds={"mid": 0.2, "moderate": 0.6}))
    assert o.continuous.smd_size == "small" and o.continuous.smd_size_source == "the outcome's thresholds"
    assert o.zone == "small"


def test_smd_reexpressed_in_a_reference_instrument():
    ref = {"name": "BPI pain severity", "sd": 2.0, "comparator_mean": 5.5, "units": "points (0–10)"}
    o = run(smd(benefit="lower", reference_instrument=ref))
    c = o.continuous
    assert c.comparator_mean == 5.5 and c.instrument == "BPI pain severity"
    assert (c.instrument_difference, c.instrument_difference_lb, c.instrument_difference_ub) == pytest.approx(
        (-1.0, -1.4, -0.6)
    )


# -- strata --------------------------------------------------------------------------------------


def strata(**kw: Any) -> dict[str, Any]:
    return {
        "name": "Mortality",
        "type": "dichotomous",
        "measure": "RR",
        "benefit": "lower",
        "summary": {"estimate": 0.75, "ci": [0.55, 1.02], "participants": 6000, "studies": 8},
        "thresholds": {"mid": 10},
        "assumed_risk": [{"value": 0.02, "label": "low risk"}, {"value": 0.30, "label": "high risk", **kw}],
    }


def test_a_stratum_takes_its_own_reviewer_judgment():
    judged = {"rating": "not_serious", "reason": "The upper limit, 6 more per 1,000, is trivial for this population."}
    o = run(strata(imprecision=judged))
    low, high = o.strata
    assert high.imprecision.status == "overridden" and high.imprecision.reviewer_reason == judged["reason"]
    assert high.certainty.value == "high" and low.certainty.value == "high"


def test_strata_footnotes_are_their_own():
    o = run(strata())
    low, high = o.strata
    assert low.footnotes == [] and len(high.footnotes) == 1 and high.footnotes[0].startswith("At high risk: ")
    assert not any(n.startswith("Imprecision") for n in o.footnotes)  # the outcome row carries none of them


# -- provisional ---------------------------------------------------------------------------------


def test_a_certainty_override_makes_a_provisional_rating_final():
    why = "Indirectness judged at the panel meeting: not serious (recorded in the minutes)."
    o = run(md(-12, -15, -9, benefit="lower", thresholds={"mid": 5}, judgements={"indirectness": None}))
    assert o.provisional and o.missing_domains == ["indirectness"] and o.certainty is None
    o = run(
        md(
            -12,
            -15,
            -9,
            benefit="lower",
            thresholds={"mid": 5},
            judgements={"indirectness": None, "certainty": {"rating": "high", "reason": why}},
        )
    )
    assert not o.provisional and o.certainty.value == "high" and o.statement is not None


def test_diff_shows_a_provisional_rating_with_its_ceiling():
    from gradecli.diff import diff, text

    base = md(-12, -15, -9, benefit="lower", thresholds={"mid": 5})
    before = run({**base, "judgements": {"indirectness": None}})
    after = run(base)

    def assessment(o: OutcomeAssessment):
        from gradecli.grade.assessment import Assessment

        return Assessment(gradecli_version="x", rules="default", title="T", outcomes=[o])

    entries = diff(assessment(before), assessment(after))
    c = entries[0]["certainty"]
    assert c == {"old": None, "new": "high", "old_ceiling": "high", "new_ceiling": None, "changed": True}
    assert "certainty: not yet rated (at most high) → high" in text(entries)
