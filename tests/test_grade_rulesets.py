"""Rule sets: default vs Pollock 2016 on the same evidence, Pollock's points→level table, the
core-grade preset's start for non-randomised studies, and ``gradecli.load_rules`` with ``extends:``,
unknown keys, loops and unknown names. The shipped rule sets: default, strict, pollock-2016,
core-grade.

Pollock et al. 2016 (J Clin Epidemiol 70:106-110, Table 2): imprecision by participants (≥200: 0,
100–199: −1, <100: −2); risk of bias: <75% of participants at low risk −1; inconsistency: I² > 75%
−1 (not reported −1, single trial 0); then a table from downgrade points to a level (as shipped:
0 high, 1–2 moderate, 3–4 low, ≥5 very low — the shipped file marks it unconfirmed).
"""

from __future__ import annotations

import math

import pytest
from test_grade_helpers import FIXED, assess_one, dom, generic_rows, make_evidence, outcome, q_i2, summary_outcome

import gradecli
from conftest import ROOT
from gradecli.grade.ruleset import available
from gradecli.problems import InputError

# --- one body of evidence under both rule sets ----------------------------------------------------

C = math.sqrt(0.05)  # deviations ±C around log 0.5 with SE 0.1: Q = 4C²/0.01 = 20 on 4 df, I² = 80%
YS = [math.log(0.5) + d for d in (-C, -C, 0.0, C, C)]
SES = [0.1] * 5
IDS = ["A", "B", "C", "D", "E"]


def pollock_body(participants_each: int = 30, ys=YS):
    rows = generic_rows(ys, SES, ids=IDS, participants=[participants_each] * 5)
    out = outcome(type="generic", measure="RR", data=rows, analysis=FIXED)
    # A, B, C at low risk (60% of the participants and, with equal SEs, 60% of the weight), D, E high
    studies = [
        {"id": s, "design": "rct", "risk_of_bias": {"tool": "rob2", "overall": "low" if s in "ABC" else "high"}}
        for s in IDS
    ]
    return out, studies


def test_body_facts_by_hand():
    assert q_i2(YS, SES)[2] == pytest.approx(80.0)
    # every study estimate (0.40 to 0.63) is an important benefit: below 0.8
    assert all(math.exp(y) < 0.8 for y in YS)


INDIRECT_OK = {"indirectness": {"rating": "not_serious", "reason": "Direct evidence."}}


def test_default_vs_pollock_on_the_same_evidence():
    out, studies = pollock_body()
    out = {**out, "judgements": INDIRECT_OK}
    default = assess_one(out, studies, "default")
    pollock = assess_one(out, studies, "pollock-2016")

    # default (Core GRADE 4): 40% of the weight at high risk does not dominate and the low-risk studies
    # alone (RR 0.43) lie in the same zone as all of them (0.50) → not serious; I² 80% but all
    # estimates beyond 0.8 → not serious; the CI (≈0.46–0.55) excludes the null, but RR 0.50 is a large
    # effect (≤ 0.70), which needs the optimal information size, which needs a comparator risk: not
    # assessed, the rating provisional
    assert dom(default, "risk_of_bias").rating.value == "not_serious"
    assert dom(default, "inconsistency").rating.value == "not_serious"
    imp_default = dom(default, "imprecision")
    assert imp_default.status == "not_assessed" and imp_default.proposal.rule == "IMP-OIS"
    assert default.points == 0 and default.provisional and default.certainty is None
    assert default.certainty_ceiling.value == "high"
    # with an assumed risk of 20%: OIS 1,806, and 150 participants < 30% of it (541.8) → −2, for the
    # reviewer to confirm; 2 levels in all → low
    risk = assess_one({**out, "assumed_risk": {"value": 0.2}}, studies, "default")
    imp_risk = dom(risk, "imprecision")
    assert imp_risk.levels == 2 and imp_risk.proposal.rule == "IMP-OIS" and imp_risk.proposal.needs_confirmation
    assert risk.points == 2 and risk.certainty.value == "low"

    # Pollock: RoB 60% < 75% → serious; I² 80% > 75% → serious regardless of where estimates lie;
    # 150 participants (100–199) → serious; 3 points → low by the table
    rob, inc, imp = (dom(pollock, d) for d in ("risk_of_bias", "inconsistency", "imprecision"))
    assert rob.rating.value == "serious" and "60%" in rob.footnote
    assert inc.rating.value == "serious" and inc.proposal.rule == "INC-I2" and "I² = 80%" in inc.footnote
    assert imp.rating.value == "serious" and imp.proposal.rule == "IMP-BANDS" and "150 participants" in imp.footnote
    assert pollock.points == 3 and pollock.certainty.value == "low"


@pytest.mark.parametrize(
    ("n_each", "expected"),
    [(19, "very_serious"), (20, "serious"), (39, "serious"), (40, "not_serious")],
)
def test_pollock_participant_bands(n_each, expected):
    # 5 studies: 95 / 100 / 195 / 200 participants
    out, studies = pollock_body(n_each)
    d = dom(assess_one(out, studies, "pollock-2016"), "imprecision")
    assert d.rating.value == expected
    assert f"{5 * n_each:,} participants" in d.proposal.facts[0]


def test_pollock_i2_75_is_not_serious_and_single_trial_is_not_serious():
    ys = [-1.0, 0.0, 1.0]  # SE 0.5: I² = 75% exactly
    assert q_i2(ys, [0.5] * 3)[2] == pytest.approx(75.0)
    out = outcome(type="generic", measure="GENERIC", data=generic_rows(ys, [0.5] * 3), analysis=FIXED)
    assert dom(assess_one(out, None, "pollock-2016"), "inconsistency").rating.value == "not_serious"
    single = summary_outcome(0.8, (0.7, 0.9), participants=400, studies=1)
    assert dom(assess_one(single, None, "pollock-2016"), "inconsistency").proposal.rule == "INC-SINGLE"
    unreported = summary_outcome(0.8, (0.7, 0.9), participants=400, studies=3)
    assert dom(assess_one(unreported, None, "pollock-2016"), "inconsistency").rating.value == "serious"


JUDGED = [
    ("risk_of_bias", "serious", 1),
    ("indirectness", "very_serious", 2),
    ("imprecision", "very_serious", 2),
    ("publication_bias", "serious", 1),
]


def judgements_for(points: int) -> dict:
    out, left = {}, points
    for name, rating, levels in JUDGED:
        if left >= levels:
            out[name] = {"rating": rating, "reason": "set for the test"}
            left -= levels
    assert left == 0
    # every domain that would otherwise be "not assessed" is judged, so the rating is not provisional
    for name in ("risk_of_bias", "indirectness"):
        out.setdefault(name, {"rating": "not_serious", "reason": "set for the test"})
    return out


@pytest.mark.parametrize(
    ("points", "pollock", "default"),
    [
        (0, "high", "high"),
        (1, "moderate", "moderate"),
        (2, "moderate", "low"),
        (3, "low", "very_low"),
        (4, "low", "very_low"),
        (5, "very_low", "very_low"),
        (6, "very_low", "very_low"),
    ],
)
def test_points_to_level(points, pollock, default):
    # inconsistency: one study → 0 under both; everything else set by the reviewer
    out = summary_outcome(0.8, (0.7, 0.9), participants=400, studies=1, judgements=judgements_for(points))
    p = assess_one(out, None, "pollock-2016")
    d = assess_one(out, None, "default")
    assert p.points == d.points == points
    assert (p.certainty.value, d.certainty.value) == (pollock, default)


# --- load_rules and extends -------------------------------------------------------------------------


SHIPPED = ("default", "strict", "pollock-2016", "core-grade")


def test_shipped_rule_sets_load_by_name():
    assert set(SHIPPED) <= set(available())
    for name in SHIPPED:
        assert gradecli.load_rules(name).name == name
    for name in SHIPPED[1:]:
        assert gradecli.load_rules(name).extends == "default"


def test_strict_extends_default():
    strict, default = gradecli.load_rules("strict"), gradecli.load_rules("default")
    assert strict.extends == "default"
    assert strict.settings("IMP-OIS").always and not default.settings("IMP-OIS").always
    assert strict.enabled("IMP-SPARSE") and not default.enabled("IMP-SPARSE")
    assert strict.settings("IMP-SPARSE").sparse_participants == 200
    assert strict.settings("INC-I2").i2_serious == 40
    # untouched keys of a touched rule come from the parent
    assert strict.settings("IMP-OIS").ois_rrr == default.settings("IMP-OIS").ois_rrr
    assert strict.settings("INC-I2").i2_very_serious == default.settings("INC-I2").i2_very_serious
    assert strict.settings("ROB-WEIGHT") == default.settings("ROB-WEIGHT")
    assert strict.scale == default.scale


def test_user_preset_extending_default(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "name: mine\nextends: default\nrules:\n  IMP-SPARSE: {enabled: true, sparse_participants: 150}\n",
        encoding="utf-8",
    )
    mine = gradecli.load_rules(str(path))
    default = gradecli.load_rules("default")
    assert mine.name == "mine" and mine.extends == "default"
    assert mine.settings("IMP-SPARSE").sparse_participants == 150 and mine.enabled("IMP-SPARSE")
    assert mine.scale.relative_threshold == default.scale.relative_threshold
    assert mine.settings("ROB-WEIGHT") == default.settings("ROB-WEIGHT")
    assert mine.settings("INC-I2") == default.settings("INC-I2")
    out = summary_outcome(0.9, (0.85, 0.95), participants=120, studies=2)
    assert dom(assess_one(out, None, mine), "imprecision").rating.value == "serious"
    assert dom(assess_one(out, None, "default"), "imprecision").rating.value == "not_serious"
    # by path through gradecli.assess as well
    assert gradecli.assess(make_evidence(out), rules=str(path)).rules == "mine"


def test_preset_extending_a_preset_by_relative_path(tmp_path):
    (tmp_path / "base.yaml").write_text("name: base\nextends: strict\nrules: {IMP-OIS: {ois_rrr: 0.3}}\n")
    (tmp_path / "child.yaml").write_text("name: child\nextends: base.yaml\nrules:\n  INC-I2: {i2_serious: 60}\n")
    child = gradecli.load_rules(str(tmp_path / "child.yaml"))
    assert child.settings("INC-I2").i2_serious == 60  # child
    assert child.settings("IMP-OIS").ois_rrr == 0.3  # base
    assert child.settings("IMP-OIS").ois_alpha == 0.05  # default, key by key within the rule
    assert child.settings("IMP-SPARSE").sparse_participants == 200  # strict
    assert child.settings("INC-I2").q_p_serious == 0.10  # default


def test_scale_and_certainty_merge_key_by_key(tmp_path):
    (tmp_path / "mine.yaml").write_text("name: mine\nextends: default\nscale: {smd_threshold: 0.3}\n")
    mine = gradecli.load_rules(str(tmp_path / "mine.yaml"))
    assert mine.scale.smd_threshold == 0.3 and mine.scale.relative_threshold == 1.25


def test_unknown_setting_is_an_error_at_its_line(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text("name: typo\nextends: default\nrules:\n  IMP-SPARSE:\n    sparse_participant: 150\n")
    with pytest.raises(InputError) as exc:
        gradecli.load_rules(str(path))
    problem = exc.value.problems[0]
    assert problem.file == str(path) and problem.line == 5
    assert f"{path}:5:" in str(exc.value)
    assert "did you mean 'sparse_participants'" in str(exc.value)
    assert len(exc.value.problems) == 1


def test_unknown_rule_code_is_an_error_at_its_line(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text("name: typo\nrules:\n  IMP-SPARSE: {sparse_participants: 150}\n  IMP-CROS: {enabled: false}\n")
    with pytest.raises(InputError) as exc:
        gradecli.load_rules(str(path))
    (problem,) = exc.value.problems
    assert problem.line == 4 and problem.path == "rules.IMP-CROS"
    assert "unknown rule code 'IMP-CROS' (did you mean 'IMP-CROSS'?)" in problem.message


def test_unknown_top_level_key_is_an_error_at_its_line(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text("name: typo\nrulez:\n  IMP-SPARSE: {sparse_participants: 150}\n")
    with pytest.raises(InputError) as exc:
        gradecli.load_rules(str(path))
    assert exc.value.problems[0].line == 2


def test_a_domain_result_cannot_be_configured(tmp_path):
    path = tmp_path / "none.yaml"
    path.write_text("name: none\nrules:\n  ROB-NONE: {enabled: false}\n")
    with pytest.raises(InputError) as exc:
        gradecli.load_rules(str(path))
    (problem,) = exc.value.problems
    assert problem.line == 3
    assert "ROB-NONE is a result of the risk of bias domain" in problem.message


@pytest.mark.parametrize(
    ("section", "key", "value", "new"),
    [
        ("imprecision", "sparse_participants", "150", "rules: {IMP-SPARSE: {sparse_participants: 150}}"),
        ("imprecision", "relative_threshold", "1.3", "scale: {relative_threshold: 1.3}"),
        ("imprecision", "method", "participant_bands", "rules: {IMP-BANDS: {enabled: true}}"),
        ("inconsistency", "require_straddle", "false", "rules: {INC-STRADDLE: {enabled: false}}"),
        ("publication_bias", "min_studies", "1000000", "rules: {PUB-EGGER: {min_studies: 1000000}}"),
        (
            "risk_of_bias",
            "missing_study_judgment",
            "assume_low",
            "rules: {ROB-WEIGHT: {missing_study_judgment: assume_low}}",
        ),
        ("upgrades", "large_ratio", "3", "rules: {UP-LARGE: {large_ratio: 3}}"),
    ],
)
def test_the_old_sectioned_format_gets_one_line_saying_how_to_write_it(tmp_path, section, key, value, new):
    path = tmp_path / "old.yaml"
    path.write_text(
        f"name: old\nextends: default\n{section}:\n  {key}: {value}\n"
        "certainty: {conversion: subtract}\nupgrade: {x: 1}\n"
    )
    with pytest.raises(InputError) as exc:
        gradecli.load_rules(str(path))
    (problem,) = exc.value.problems
    assert problem.line == 3 and problem.path == section
    assert "the rule-set format changed" in problem.message and f"write `{new}`" in problem.message
    assert "\n" not in str(exc.value)


def test_bad_value_in_a_parent_points_at_the_parent(tmp_path):
    (tmp_path / "parent.yaml").write_text("name: parent\nrules:\n  ROB-WEIGHT:\n    serious_if_low_share_below: 1.5\n")
    (tmp_path / "child.yaml").write_text("name: child\nextends: parent.yaml\n")
    with pytest.raises(InputError) as exc:
        gradecli.load_rules(str(tmp_path / "child.yaml"))
    p = exc.value.problems[0]
    assert p.file.endswith("parent.yaml") and p.line == 4


# --- switching rules off --------------------------------------------------------------------------


def test_typed_access_and_enabled():
    from gradecli.grade.rules.pub_egger import PubEgger, PubEggerSettings

    default, pollock = gradecli.load_rules("default"), gradecli.load_rules("pollock-2016")
    assert isinstance(default.settings(PubEgger), PubEggerSettings)
    assert default.settings(PubEgger) is default.settings("PUB-EGGER")
    assert default.enabled("PUB-EGGER") and not pollock.enabled(PubEgger)
    assert not pollock.enabled("UP-LARGE") and not pollock.enabled("INC-STRADDLE")
    assert pollock.enabled("IMP-BANDS") and not default.enabled("IMP-BANDS")
    assert pollock.enabled("ROB-NONE") and pollock.enabled("INC-NONE")  # results of a domain always "run"
    with pytest.raises(KeyError):
        default.settings("NO-SUCH-RULE")


def test_pollock_switches_off_egger_instead_of_an_impossible_threshold():
    out, studies = pollock_body()
    d = dom(assess_one(out, studies, "pollock-2016"), "publication_bias")
    assert d.rating is None and d.status == "not_assessed"
    assert d.proposal.rule == "PUB-EGGER" and d.proposal.threshold is None
    assert "the rule set pollock-2016 switches off PUB-EGGER" in d.proposal.explanation
    assert "1000000" not in d.proposal.model_dump_json()
    text = (ROOT / "rules" / "pollock-2016.yaml").read_text(encoding="utf-8")
    assert "1000000" not in text


def test_pollock_switches_off_large_effect():
    # a proposal needs risk of bias, inconsistency and imprecision assessed and not rated down (GRADE 9)
    ns = {"rating": "not_serious", "reason": "Assessed: no concern."}
    judged = {"risk_of_bias": ns, "inconsistency": ns, "imprecision": ns}
    out = summary_outcome(0.1, (0.05, 0.18), participants=400, studies=3, judgements=judged)
    studies = [{"id": "N1", "design": "nrsi"}]
    default = assess_one(out, studies, "default")
    pollock = assess_one(out, studies, "pollock-2016")
    up = {u.domain: u for u in default.upgrades}["large_effect"]
    assert up.proposed_levels == 2
    up = {u.domain: u for u in pollock.upgrades}["large_effect"]
    assert up.proposed_levels == 0 and up.levels == 0
    assert up.facts == [
        "UP-LARGE is switched off by the rule set pollock-2016: no rating up for a large effect is proposed"
    ]


@pytest.mark.parametrize(
    ("code", "domain", "out"),
    [
        ("ROB-WEIGHT", "risk_of_bias", None),
        ("INC-I2", "inconsistency", None),
        ("IMP-CROSS", "imprecision", None),
        ("PUB-EGGER", "publication_bias", None),
    ],
)
def test_a_switched_off_rule_leaves_its_domain_not_assessed_naming_the_rule_set(tmp_path, code, domain, out):
    (tmp_path / "base.yaml").write_text(f"name: base\nextends: default\nrules:\n  {code}: {{enabled: false}}\n")
    (tmp_path / "child.yaml").write_text("name: child\nextends: base.yaml\n")
    if out is None:
        out, studies = pollock_body()
        if code == "IMP-CROSS":
            out = {**out, "thresholds": {"mid": 0.1}, "type": "generic", "measure": "GENERIC"}
    else:
        studies = None
    for name, by in (("base", "base"), ("child", "base (extended by child)")):
        rules = gradecli.load_rules(str(tmp_path / f"{name}.yaml"))
        assert not rules.enabled(code) and rules.disabled_by(code) == by
        d = dom(assess_one(out, studies, rules), domain)
        assert d.rating is None and d.status == "not_assessed", d.proposal
        assert d.proposal.rule == code and d.proposal.threshold is None
        assert d.proposal.explanation.startswith(f"the rule set {by} switches off {code}")
        assert d.proposal.facts == [f"{code} is switched off by the rule set {by}"]
    # a child can switch it back on; then the parent is no longer named
    (tmp_path / "on.yaml").write_text(f"name: on\nextends: base.yaml\nrules:\n  {code}: {{enabled: true}}\n")
    on = gradecli.load_rules(str(tmp_path / "on.yaml"))
    assert on.enabled(code)
    assert "switches off" not in (dom(assess_one(out, studies, on), domain).proposal.explanation or "")


W2B = outcome(
    data=[{"study": "T1", "events_t": 3, "n_t": 29, "events_c": 1, "n_c": 29}],
    analysis={"model": "fixed", "method": "MH"},
)


@pytest.mark.parametrize(
    ("code", "base", "out", "on", "off"),
    [
        # fewer participants than strict's 200 (at 80% the OIS is 158, so strict's OIS check passes)
        (
            "IMP-SPARSE",
            "strict",
            summary_outcome(0.9, (0.85, 0.95), participants=170, studies=2, assumed_risk={"value": 0.8}),
            ("IMP-SPARSE", 1),
            ("IMP-CROSS", 0),
        ),
        # a large effect (RR 0.5) without a comparator risk: the OIS cannot be computed
        ("IMP-OIS", "default", summary_outcome(0.5, (0.4, 0.6), participants=150), ("IMP-OIS", None), ("IMP-CROSS", 0)),
        # a CI spanning 0.75 and 1.25 with no MID: without the fallback zone, the null crossing's −1
        (
            "IMP-RELATIVE",
            "default",
            summary_outcome(1.0, (0.6, 1.6), participants=400, studies=3),
            ("IMP-RELATIVE", 2),
            ("IMP-CROSS", 1),
        ),
        # 4 events (W2b): without IMP-EVENTS, IMP-RELATIVE's two levels
        ("IMP-EVENTS", "default", W2B, ("IMP-EVENTS", 3), ("IMP-RELATIVE", 2)),
    ],
)
def test_switching_off_a_check_skips_it(tmp_path, code, base, out, on, off):
    # these rules add to IMP-CROSS: switched off, they are skipped and the rest is judged as usual
    (tmp_path / "mine.yaml").write_text(f"name: mine\nextends: {base}\nrules: {{{code}: {{enabled: false}}}}\n")
    studies = [{"id": "T1", "design": "rct"}] if "data" in out else None
    d = dom(assess_one(out, studies, base), "imprecision")
    assert (d.proposal.rule, d.levels if d.status != "not_assessed" else None) == on
    d = dom(assess_one(out, studies, str(tmp_path / "mine.yaml")), "imprecision")
    assert (d.proposal.rule, d.levels) == off and d.rating is not None
    assert "switches off" not in (d.proposal.explanation or "")


# --- core-grade: where non-randomised studies start -------------------------------------------------

ROBINS = [
    {"id": "N1", "design": "nrsi", "risk_of_bias": {"tool": "robins-i", "overall": "moderate"}},
    {"id": "N2", "design": "nrsi", "risk_of_bias": {"tool": "robins-i", "overall": "low"}},
]


def test_core_grade_starts_non_randomised_studies_low_even_with_robins_i():
    core, default = gradecli.load_rules("core-grade"), gradecli.load_rules("default")
    assert core.certainty.nrsi_start == "low" and default.certainty.nrsi_start == "robins_i_high"
    out = summary_outcome(0.8, (0.7, 0.9), participants=400, studies=2)
    # default: every NRSI assessed with ROBINS-I starts High (GRADE 18)
    d = assess_one(out, ROBINS, "default")
    assert d.start.value == "high" and "ROBINS-I" in d.start_reason
    # core-grade: Low, whatever the tool (Core GRADE 4); the reason names the rule set
    c = assess_one(out, ROBINS, "core-grade")
    assert c.start.value == "low" and "core-grade" in c.start_reason
    # NRSI without ROBINS-I start Low under both; randomised trials High under both
    bare = [{"id": "N1", "design": "nrsi"}]
    assert assess_one(out, bare, "default").start.value == "low"
    assert assess_one(out, bare, "core-grade").start.value == "low"
    assert assess_one(out, [{"id": "R1", "design": "rct"}], "core-grade").start.value == "high"


def test_core_grade_rates_imprecision_inconsistency_and_risk_of_bias_as_the_default():
    from gradecli.grade.rules import CONFIGURABLE

    core, default = gradecli.load_rules("core-grade"), gradecli.load_rules("default")
    for rule in CONFIGURABLE:
        if rule.domain in ("imprecision", "inconsistency", "risk_of_bias"):
            assert core.settings(rule) == default.settings(rule), rule.code
    assert core.scale == default.scale
    assert core.certainty.conversion == default.certainty.conversion == "subtract"


def test_extends_loop_is_an_error(tmp_path):
    (tmp_path / "a.yaml").write_text("name: a\nextends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("name: b\nextends: a.yaml\n")
    with pytest.raises(InputError, match="loop"):
        gradecli.load_rules(str(tmp_path / "a.yaml"))


def test_extends_itself_is_an_error(tmp_path):
    (tmp_path / "self.yaml").write_text("name: self\nextends: self.yaml\n")
    with pytest.raises(InputError, match="loop"):
        gradecli.load_rules(str(tmp_path / "self.yaml"))


def test_extends_missing_parent_is_an_error_at_the_extends_line(tmp_path):
    path = tmp_path / "orphan.yaml"
    path.write_text("name: orphan\nextends: no-such-set\n")
    with pytest.raises(InputError) as exc:
        gradecli.load_rules(str(path))
    assert exc.value.problems[0].line == 2 and "no-such-set" in str(exc.value)


def test_unknown_rule_set_name_lists_the_shipped_ones():
    with pytest.raises(InputError) as exc:
        gradecli.load_rules("polock-2016")
    text = str(exc.value)
    for name in SHIPPED:
        assert name in text
