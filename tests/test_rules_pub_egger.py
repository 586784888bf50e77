"""PUB-EGGER (gradecli/grade/rules/pub_egger.py): the PASS and FAIL examples of its documentation,
the direction of the asymmetry against the pooled effect (benefit, harm or exposure alike), the p
cut-off, and which test runs for which measure.

Funnels are dialled in as in test_grade_judgements: with a fixed-effect model and yᵢ = a + b·xᵢ
exactly (xᵢ = SEᵢ for Egger's test, 1/Nᵢ for Peters'), the tested slope is b and its z-test p
depends only on b and the xᵢ and weights, so any p can be set by hand.
"""

from __future__ import annotations

import math

import pydantic
import pytest
from scipy import stats
from test_grade_helpers import FIXED, assess_one, dom, egger_fixed, generic_rows, outcome, rule_context, with_rules

from gradecli.grade.rules.pub_egger import PubEgger, PubEggerSettings

SES = [0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65]


def slope_for(p: float, ses: list[float]) -> float:
    """b > 0 with yᵢ = b·SEᵢ giving Egger's two-sided p (fixed effect, z)."""
    _, p1 = egger_fixed(list(ses), ses)  # b = 1
    return stats.norm.isf(p / 2) / stats.norm.isf(p1 / 2)


def funnel(p: float, k: int = 12, sign: int = -1, benefit: str | None = "lower", measure: str = "GENERIC"):
    """k studies with yᵢ = ±b·SEᵢ: the pooled estimate has the slope's sign, so the smaller studies
    lie further from the null in the pooled direction — asymmetry that exaggerates the pooled effect."""
    ses = SES[:k]
    b = sign * slope_for(p, ses)
    extra = {"benefit": benefit} if benefit else {}
    return outcome(
        type="generic", measure=measure, data=generic_rows([b * s for s in ses], ses), analysis=FIXED, **extra
    )


def towards_null(p: float, k: int = 12, benefit: str | None = "lower"):
    """Pooled estimate below 0 but the smaller studies closer to (and beyond) the null: yᵢ = −c + b·SEᵢ."""
    ses = SES[:k]
    b = slope_for(p, ses)
    return outcome(
        type="generic",
        measure="GENERIC",
        data=generic_rows([-1.0 + b * s for s in ses], ses),
        analysis=FIXED,
        **({"benefit": benefit} if benefit else {}),
    )


def judge(out, rules="default"):
    ctx, _, ruleset = rule_context(out, None, rules)
    return PubEgger.judge(ctx, ruleset.settings(PubEgger))


def test_pass_12_studies_p_040():
    proposal = judge(funnel(0.40))
    assert proposal is not None and proposal.rule == "PUB-EGGER" and proposal.rating.value == "not_serious"
    assert proposal.explanation.startswith("undetected — no small-study asymmetry at p < 0.1")
    assert proposal.facts[0] == "Egger's test p = 0.4 (12 studies)" and not proposal.needs_confirmation
    d = dom(assess_one(funnel(0.40)), "publication_bias")
    assert d.rating.value == "not_serious" and d.proposal.rule == "PUB-EGGER"
    assert d.proposal.path[-1] == "publication bias: undetected → not serious"


def test_fail_14_cohorts_harmful_exposure_peters_p_003():
    """The FAIL example: smaller studies show larger odds ratios for a harmful exposure."""
    # rewritten: the old FAIL example (12 studies, more benefit in small ones) assumed bias favours benefit
    ns = [60, 80, 100, 130, 160, 200, 260, 330, 420, 550, 700, 900, 1200, 1600]
    x = [1 / n for n in ns]
    ses = [2.0 / math.sqrt(n) for n in ns]
    w = [1 / s**2 for s in ses]
    xbar = sum(wi * xi for wi, xi in zip(w, x, strict=True)) / sum(w)
    sxx = sum(wi * (xi - xbar) ** 2 for wi, xi in zip(w, x, strict=True))
    b = stats.norm.isf(0.03 / 2) / math.sqrt(sxx)  # z = b·√Sxx: p = 0.03, by hand
    a = math.log(1.45) - b * xbar  # pooled log OR = a + b·x̄ = log 1.45
    rows = generic_rows([a + b * xi for xi in x], ses, participants=ns)
    out = outcome(type="generic", measure="OR", data=rows, analysis=FIXED, benefit="lower")
    proposal = judge(out)
    assert proposal is not None and proposal.rating.value == "serious" and proposal.needs_confirmation
    assert proposal.facts[:2] == ["Peters' test p = 0.03 (14 studies)", "smaller studies show more harm"]
    assert proposal.explanation == (
        "suspected — asymmetry, p = 0.03 (Peters' test, 14 studies): smaller studies show more harm, "
        "exaggerating the pooled effect"
    )
    ctx, _, _ = rule_context(out)
    assert ctx.effect.estimate == pytest.approx(1.45, rel=1e-12)


@pytest.mark.parametrize(
    ("sign", "benefit", "shows"),
    [
        (-1, "lower", "smaller studies show more benefit"),  # pooled benefit, smaller studies more benefit
        (1, "higher", "smaller studies show more benefit"),
        (1, "lower", "smaller studies show more harm"),  # pooled harm, smaller studies more harm
        (-1, "higher", "smaller studies show more harm"),
        (1, None, "smaller studies show larger estimates"),  # no benefit given: an association
        (-1, None, "smaller studies show smaller estimates"),
    ],
)
def test_exaggerating_asymmetry_is_suspected_in_either_direction(sign, benefit, shows):
    # rewritten: the old rule rated down only when the smaller studies showed more *benefit*; GRADE 5
    # and Core GRADE 4 suspect any asymmetry that exaggerates the pooled effect, harms included
    proposal = judge(funnel(0.01, sign=sign, benefit=benefit))
    assert proposal.rating.value == "serious" and shows in proposal.facts
    assert proposal.explanation.endswith("exaggerating the pooled effect")


def test_odds_ratio_exposure_without_benefit_speaks_of_odds_ratios():
    ses = SES
    b = slope_for(0.02, ses)
    rows = generic_rows([b * s for s in ses], ses)  # no participants: Egger's test, with the caveat
    proposal = judge(outcome(type="generic", measure="OR", data=rows, analysis=FIXED))
    assert proposal.rating.value == "serious" and "smaller studies show larger odds ratios" in proposal.facts
    assert any("Egger's test used: Peters' needs every study's number of participants" in f for f in proposal.facts)
    assert any("biased towards asymmetry" in f for f in proposal.facts)


def test_asymmetry_towards_the_null_is_stated_not_hidden():
    proposal = judge(towards_null(0.01))
    assert proposal.rating.value == "not_serious" and proposal.needs_confirmation  # the reviewer looks
    assert "smaller studies show less benefit" in proposal.facts
    assert proposal.explanation.startswith("undetected — asymmetry, p = 0.01")
    assert "does not exaggerate the pooled effect" in proposal.explanation
    assert "no small-study asymmetry" not in proposal.explanation  # never beside a significant test
    either = with_rules(PUB_EGGER={"require_exaggeration": False})
    assert judge(towards_null(0.01), either).rating.value == "serious"


@pytest.mark.parametrize(
    ("p", "expected", "shown"),
    [(0.0999, "serious", "0.0999"), (0.10, "not_serious", "0.1"), (0.1001, "not_serious", "0.1")],
)
def test_p_cut_off_is_strictly_below(p, expected, shown):
    proposal = judge(funnel(p))
    assert proposal.rating.value == expected
    assert proposal.facts[0] == f"Egger's test p = {shown} (12 studies)"  # never rounded across 0.1


def test_a_rule_set_moves_the_cut_off():
    stricter = with_rules(PUB_EGGER={"egger_p": 0.05})
    assert judge(funnel(0.07), stricter).rating.value == "not_serious"
    assert judge(funnel(0.04), stricter).rating.value == "serious"
    with pytest.raises(pydantic.ValidationError):
        PubEggerSettings(require_small_study_benefit=True)  # the old, benefit-only setting is gone


def test_min_studies_floor_is_3():
    with pytest.raises(pydantic.ValidationError):
        PubEggerSettings(min_studies=2)
    few = funnel(0.03, k=4)
    assert judge(few) is None  # PUB-FEW under the default's 10
    lowered = with_rules(PUB_EGGER={"min_studies": 3})
    proposal = judge(few, lowered)
    assert proposal is not None and proposal.rule == "PUB-EGGER" and "(4 studies)" in proposal.facts[0]


def test_switched_off_the_test_is_not_run():
    off = with_rules(PUB_EGGER={"enabled": False})
    oa = assess_one(funnel(0.03), None, off)
    d = dom(oa, "publication_bias")
    assert d.rating is None and d.proposal.rule == "PUB-EGGER" and d.proposal.threshold is None
    assert oa.effect.egger_p is None  # not computed at all


def _binary(k: int = 12):
    """k trials as 2×2 counts, smaller trials with larger odds ratios."""
    rows = []
    for i in range(k):
        n = 30 + 40 * i
        rows.append(
            {"study": f"T{i + 1}", "events_t": max(2, n // 4 - i), "n_t": n, "events_c": max(1, n // 8), "n_c": n}
        )
    return outcome(type="dichotomous", measure="OR", data=rows, analysis=FIXED)


def test_odds_ratios_get_peters_by_default_and_harbord_on_request():
    assert judge(_binary()).facts[0].startswith("Peters' test p = ")
    harbord = with_rules(PUB_EGGER={"odds_ratio_test": "harbord"})
    assert judge(_binary(), harbord).facts[0].startswith("Harbord's test p = ")
    rr = {**_binary(), "measure": "RR"}
    assert judge(rr).facts[0].startswith("Egger's test p = ")  # Peters and Harbord are for odds ratios


def test_harbord_without_counts_falls_back_to_peters():
    ses = SES
    rows = generic_rows([0.2 * s for s in ses], ses, participants=[int(4 / s**2) for s in ses])
    harbord = with_rules(PUB_EGGER={"odds_ratio_test": "harbord"})
    proposal = judge(outcome(type="generic", measure="OR", data=rows, analysis=FIXED), harbord)
    assert proposal.facts[0].startswith("Peters' test p = ")
    assert "Peters' test used: Harbord's needs 2×2 counts" in proposal.facts
