"""INC-STRADDLE (gradecli/grade/rules/inc_straddle.py): the PASS and FAIL examples of its documentation,
its settings (min_studies, min_weight, two_levels) and where it does not apply.

Rewritten for Core GRADE 3 / the rulebook's R4.5: a study is on the other side of the threshold only
when its whole 95% CI is (the old tests counted point estimates in different zones, which R4.5
forbids), and two levels are flagged for the reviewer, never proposed automatically.
"""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError
from test_grade_helpers import (
    FIXED,
    assess_one,
    dom,
    generic_rows,
    outcome,
    q_i2,
    rule_context,
    summary_outcome,
    with_rules,
)

from gradecli.grade.rules.inc_i2 import IncI2
from gradecli.grade.rules.inc_straddle import IncStraddle, IncStraddleSettings

Z = 1.959963984540054
DL = {"model": "random", "method": "DL"}

# PASS (the rulebook's W7(b)): seven trials RR 0.45–0.85 (SE 0.135) and one small trial RR 1.38 whose
# 95% CI 0.39–4.88 gives SE (ln 4.88 − ln 0.39)/(2·1.96) = 0.645 and spans the null
SMALL_SE = (math.log(4.88) - math.log(0.39)) / (2 * Z)
PASS_YS = [math.log(v) for v in (0.45, 0.6, 0.7, 0.75, 0.8, 0.85, 0.85, 1.38)]
PASS_SES = [0.135] * 7 + [SMALL_SE]
# FAIL (W8): two trials RR 0.34 (SE 0.39: CI upper limit 0.34·e^(1.96·0.39) = 0.730 < 0.75), two RR 3.3
# (SE 0.485: lower limit 3.3·e^(−1.96·0.485) = 1.275 > 1.25), two spanning the null; weights ∝ 1/SE²:
# 6.57, 6.57, 4.25, 4.25, 2.87, 2.87 → 48.0%, 31.0%, 21.0%
FAIL_YS = [math.log(v) for v in (0.34, 0.34, 3.3, 3.3, 0.6, 0.8)]
FAIL_SES = [0.39, 0.39, 0.485, 0.485, 0.59, 0.59]


def rows(ys, ses, analysis=DL, **kw):
    return outcome(type="generic", measure="RR", data=generic_rows(ys, ses), analysis=analysis, **kw)


def judge(out, rules="default"):
    ctx, scale, ruleset = rule_context(out, None, rules)
    return IncStraddle.judge(ctx, ruleset.settings(IncI2), ruleset.settings(IncStraddle), scale)


def test_pass_a_ci_spanning_the_null_is_not_counted():
    assert round(q_i2(PASS_YS, PASS_SES)[2]) == 62
    assert math.exp(PASS_YS[-1] - Z * SMALL_SE) < 1 < math.exp(PASS_YS[-1] + Z * SMALL_SE)
    proposal = judge(rows(PASS_YS, PASS_SES))
    assert proposal is not None and proposal.rule == "INC-STRADDLE" and proposal.rating.value == "not_serious"
    assert "no study's 95% CI lies wholly on the other side of the null (an increase)" in proposal.facts
    assert any(f.startswith("1 more study with the point estimate on the other side") for f in proposal.facts)
    assert dom(assess_one(rows(PASS_YS, PASS_SES)), "inconsistency").proposal == proposal


def test_fail_cis_wholly_on_both_sides_are_serious_with_two_levels_flagged():
    assert round(q_i2(FAIL_YS, FAIL_SES)[2]) == 81
    proposal = judge(rows(FAIL_YS, FAIL_SES))
    assert proposal is not None and proposal.rating.value == "serious" and proposal.needs_confirmation
    assert proposal.facts[1] == (
        "2 studies (S3, S4; 31.0% of the fixed-effect weight): "
        "95% CI wholly on the other side of the null (an increase)"
    )
    assert "consider two levels" in (proposal.explanation or "")
    assert any("consider −2" in step for step in proposal.path) and proposal.path[-1] == "inconsistency: serious"
    d = dom(assess_one(rows(FAIL_YS, FAIL_SES)), "inconsistency")
    assert d.levels == 1 and "confirm" in (d.footnote or "")


def test_two_levels_propose_gives_very_serious_needing_confirmation():
    mine = with_rules(INC_STRADDLE={"two_levels": "propose"})
    d = dom(assess_one(rows(FAIL_YS, FAIL_SES), None, mine), "inconsistency")
    assert d.rating.value == "very_serious" and d.levels == 2 and d.proposal.needs_confirmation
    assert d.proposal.path[-2].endswith("→ −2")


def test_min_studies_and_min_weight_settings():
    # the W8 body: the other side holds 2 studies with 31% of the weight
    for settings, expected in [
        ({"min_studies": 3, "min_weight": 0.30}, "serious"),  # 31% ≥ 30%
        ({"min_studies": 3, "min_weight": 0.32}, "not_serious"),  # neither
        ({"min_studies": 2, "min_weight": None}, "serious"),  # two studies
        ({"min_studies": None, "min_weight": 0.40}, "not_serious"),
    ]:
        d = dom(assess_one(rows(FAIL_YS, FAIL_SES), None, with_rules(INC_STRADDLE=settings)), "inconsistency")
        assert d.rating.value == expected, settings
    with pytest.raises(ValidationError, match="cannot both be null"):
        IncStraddleSettings(min_studies=None, min_weight=None)


def test_a_spanning_ci_is_not_counted_at_any_weight():
    lax = with_rules(INC_STRADDLE={"min_studies": 1, "min_weight": 0.001})
    assert dom(assess_one(rows(PASS_YS, PASS_SES), None, lax), "inconsistency").rating.value == "not_serious"


def test_cannot_tell_without_per_study_estimates():
    proposal = judge(summary_outcome(0.7, (0.6, 0.8), summary_extra={"i2": 80}))
    assert proposal is not None and proposal.rating is None and "no per-study estimates" in proposal.facts[-1]
    assert proposal.path[-1].endswith("→ not assessed")


def test_does_not_apply_below_the_gate():
    assert judge(summary_outcome(0.7, (0.6, 0.8), summary_extra={"i2": 20})) is None


def test_switched_off_inc_i2_decides_alone():
    off = with_rules(INC_STRADDLE={"enabled": False})
    d = dom(assess_one(rows(PASS_YS, PASS_SES, FIXED), None, off), "inconsistency")
    assert d.proposal.rule == "INC-I2" and d.rating.value == "serious"
