"""A priori subgroup hypotheses (Core GRADE 3; GRADE 7; ICEMAN): each subgroup pooled, the test for
subgroup differences checked against metafor, and a credible effect modification (the reviewer's
ICEMAN rating) giving one Summary-of-Findings row per subgroup."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from scipy import stats
from test_grade_helpers import assess_one, dom, generic_rows, make_evidence, outcome

import gradecli
from gradecli.model.checks import check_evidence
from gradecli.model.evidence import Evidence
from gradecli.stats.subgroups import subgroup_differences

REF = json.loads((Path(__file__).parent / "fixtures" / "metafor" / "subgroups" / "subgroups.json").read_text())
ANALYSIS = {"REML": {"model": "random", "method": "REML"}, "DL": {"model": "random", "method": "DL"},
            "FE": {"model": "fixed", "method": "IV"}}  # fmt: skip


def bcg(by: str, method: str, iceman: dict[str, Any] | None = None) -> dict[str, Any]:
    rows = [
        {"study": r["study"], "events_t": r["tpos"], "n_t": r["tpos"] + r["tneg"],
         "events_c": r["cpos"], "n_c": r["cpos"] + r["cneg"]}
        for r in REF["data"]
    ]  # fmt: skip
    names = list(dict.fromkeys(r[by] for r in REF["data"]))
    groups = [{"name": g, "studies": [r["study"] for r in REF["data"] if r[by] == g]} for g in names]
    hyp: dict[str, Any] = {"id": by, "modifier": by, "groups": groups}
    if iceman:
        hyp["iceman"] = iceman
    return outcome(id="tb", name="Tuberculosis", measure="RR", data=rows, analysis=ANALYSIS[method], subgroups=[hyp])


@pytest.mark.parametrize("case", REF["cases"], ids=[c["id"] for c in REF["cases"]])
def test_subgroup_estimates_and_the_test_agree_with_metafor(case: dict[str, Any]) -> None:
    oa = assess_one(bcg(case["by"], case["method"]))
    (sa,) = oa.subgroup_analyses
    assert [g.name for g in sa.groups] == [g["name"] for g in case["groups"]]
    for ours, ref in zip(sa.groups, case["groups"], strict=True):
        assert ours.studies == ref["studies"] and ours.k == ref["k"]
        assert math.log(ours.estimate) == pytest.approx(ref["estimate"], abs=1e-6)
    assert sa.q == pytest.approx(case["q"], abs=1e-6) and sa.df == case["df"]
    assert sa.p == pytest.approx(case["p"], abs=1e-6) and sa.i2 == pytest.approx(case["i2"], abs=1e-6)
    assert sa.comparison == "between_trials" and not sa.separate_rows
    assert oa.subgroup is None and oa.id == "tb"  # not rated credible: one row


def test_the_test_alone_agrees_with_metafor_and_scipy() -> None:
    case = REF["cases"][0]
    est = [g["estimate"] for g in case["groups"]]
    se = [g["se"] for g in case["groups"]]
    t = subgroup_differences(est, se)
    assert t.q == pytest.approx(case["q"], rel=1e-12) and t.df == 2
    assert t.p == pytest.approx(stats.chi2.sf(case["q"], 2), rel=1e-12)
    with pytest.raises(ValueError, match="two or more"):
        subgroup_differences([0.1], [0.2])
    with pytest.raises(ValueError, match="positive standard errors"):
        subgroup_differences([0.1, 0.2], [0.2, 0.0])


CREDIBLE = {
    "within_trial": "definitely_no",
    "direction_a_priori": "probably_yes",
    "chance_unlikely": "probably_yes",
    "credibility": "moderate",
    "reason": "A priori, with its direction, and a low interaction p.",
}


def dose_outcome(iceman: dict[str, Any] | None = CREDIBLE, **extra: Any) -> dict[str, Any]:
    # high dose: three studies near 0.8 (SMD-like generic effects), low dose: three near 0
    rows = generic_rows([0.8, 0.7, 0.9, 0.0, 0.1, -0.1], [0.15] * 6, ids=["H1", "H2", "H3", "L1", "L2", "L3"])
    hyp: dict[str, Any] = {
        "id": "dose",
        "modifier": "dose",
        "hypothesis": "a larger effect at higher doses",
        "groups": [{"name": "high dose", "studies": ["H1", "H2", "H3"]},
                   {"name": "low dose", "studies": ["L1", "L2", "L3"]}],
    }  # fmt: skip
    if iceman is not None:
        hyp["iceman"] = iceman
    extra.setdefault("thresholds", {"mid": 0.3})
    return outcome(type="generic", measure="GENERIC", data=rows, subgroups=[hyp], **extra)


def assess_all(o: dict[str, Any], studies: list[dict[str, Any]] | None = None):
    studies = studies or [{"id": r["study"], "design": "rct"} for r in o["data"]]
    return gradecli.assess(make_evidence(o, studies)).outcomes


def test_a_credible_subgroup_effect_gives_one_row_per_subgroup() -> None:
    rows = assess_all(dose_outcome())
    assert [r.id for r in rows] == ["o1-dose-1", "o1-dose-2"]
    assert [r.name for r in rows] == ["Outcome — dose: high dose", "Outcome — dose: low dose"]
    high, low = rows
    assert high.effect.k == 3 and low.effect.k == 3
    # each row is pooled from its own studies: random effects, identical SEs → the mean
    assert high.effect.estimate == pytest.approx(0.8, abs=1e-9) and low.effect.estimate == pytest.approx(0.0, abs=1e-9)
    for r in rows:
        assert r.source_id == "o1" and r.subgroup is not None and r.subgroup.credibility == "moderate"
        assert r.subgroup_analyses[0].separate_rows and r.subgroup_analyses[0].p < 0.001
        assert any(f.startswith("Subgroup (dose: ") and "credibility moderate (ICEMAN" in f for f in r.footnotes)
        # inside each subgroup the studies agree: no inconsistency
        assert dom(r, "inconsistency").rating.value == "not_serious"


def test_without_a_credibility_rating_the_outcome_stays_one_row_and_inconsistency_says_so() -> None:
    (row,) = assess_all(dose_outcome(iceman=None))
    assert row.id == "o1" and row.subgroup is None
    sa = row.subgroup_analyses[0]
    assert not sa.separate_rows and sa.credibility is None
    assert "credibility not rated by the reviewer (iceman.credibility): the outcome stays one row" in sa.facts
    assert any(f.startswith("p < 0.10: a suggested effect modification") for f in sa.facts)
    assert "stated a priori with its direction: a larger effect at higher doses" in sa.facts
    inc = dom(row, "inconsistency")
    assert inc.levels >= 1  # I² is high: the two groups disagree
    assert any(f.startswith("no credible a priori subgroup explains it: dose (interaction p < 0.001; credibility "
                            "not rated)") for f in inc.proposal.facts)  # fmt: skip
    assert "no credible a priori subgroup explains it (ICEMAN)" in inc.proposal.explanation


@pytest.mark.parametrize("credibility", ["very_low", "low"])
def test_low_credibility_keeps_one_row(credibility: str) -> None:
    (row,) = assess_all(dose_outcome(iceman={"credibility": credibility, "reason": "Between-trial, post hoc."}))
    assert row.subgroup is None and row.subgroup_analyses[0].credibility == credibility
    assert f"credibility {credibility.replace('_', ' ')} (the reviewer, ICEMAN): the outcome stays one row" in (
        row.subgroup_analyses[0].facts
    )


def test_a_subgroup_row_takes_its_own_judgements_over_the_outcomes() -> None:
    o = dose_outcome(judgements={"indirectness": {"rating": "not_serious", "reason": "Direct."},
                                 "risk_of_bias": {"rating": "serious", "reason": "Unblinded."}})  # fmt: skip
    o["subgroups"][0]["groups"][1]["judgements"] = {"risk_of_bias": {"rating": "not_serious", "reason": "Blinded."}}
    high, low = assess_all(o)
    assert (
        dom(high, "risk_of_bias").rating.value == "serious" and dom(low, "risk_of_bias").rating.value == "not_serious"
    )
    assert dom(low, "indirectness").rating.value == "not_serious"  # the outcome's, kept


def test_within_trial_subgroups_are_recognised() -> None:
    # each trial reports men and women separately: a comparison within trials (ICEMAN item 1)
    rows = []
    for sid, (m, w) in {"A": (0.5, 0.1), "B": (0.6, 0.0), "C": (0.4, 0.2)}.items():
        rows += [
            {"study": sid, "label": "men", "yi": m, "sei": 0.2},
            {"study": sid, "label": "women", "yi": w, "sei": 0.2},
        ]
    men, women = ["A (men)", "B (men)", "C (men)"], ["A (women)", "B (women)", "C (women)"]
    hyp = {
        "id": "sex",
        "modifier": "sex",
        "groups": [{"name": "men", "studies": men}, {"name": "women", "studies": women}],
    }
    o = outcome(type="generic", measure="GENERIC", data=rows, subgroups=[hyp])
    (row,) = assess_all(o, [{"id": s, "design": "rct"} for s in "ABC"])
    sa = row.subgroup_analyses[0]
    assert sa.comparison == "within_trials" and [g.k for g in sa.groups] == [3, 3]
    assert any(f.startswith("a comparison within trials") for f in sa.facts)


def test_unassigned_rows_are_named_and_left_out_of_the_test() -> None:
    o = dose_outcome(iceman=None)
    o["subgroups"][0]["groups"][1]["studies"] = ["L1", "L2"]
    (row,) = assess_all(o)
    assert row.subgroup_analyses[0].unassigned == ["L3"]


def test_mixed_designs_are_split_first_then_by_subgroup() -> None:
    o = dose_outcome()
    studies = [{"id": s, "design": "nrsi" if s == "L3" else "rct"} for s in ("H1", "H2", "H3", "L1", "L2", "L3")]
    rows = assess_all(o, studies)
    assert [r.id for r in rows] == ["o1-rct-dose-1", "o1-rct-dose-2", "o1-nrsi"]
    assert all(r.source_id == "o1" for r in rows)
    assert rows[2].subgroup is None  # one subgroup has no study in the non-randomised body: one row


def _problems(o: dict[str, Any]) -> list[str]:
    studies = [{"id": r["study"], "design": "rct"} for r in o.get("data") or []]
    ev = Evidence.model_validate({"gradecli": 1, "review": {"title": "t"}, "studies": studies, "outcomes": [o]})
    return [f"{'.'.join(map(str, loc))}: {msg}" for loc, msg, _ in check_evidence(ev)]


def test_subgroup_members_must_be_rows_of_the_outcome() -> None:
    o = dose_outcome()
    o["subgroups"][0]["groups"][0]["studies"] = ["H1", "H11"]
    assert _problems(o) == ["outcomes.0.subgroups.0.groups.0.studies.1: 'H11' is not a row of this outcome "
                            "(did you mean 'H1'?)"]  # fmt: skip


def test_a_row_belongs_to_one_subgroup() -> None:
    o = dose_outcome()
    o["subgroups"][0]["groups"][1]["studies"].append("H2")
    assert _problems(o) == ["outcomes.0.subgroups.0.groups.1.studies.3: 'H2' is already in subgroup 'high dose': "
                            "a row belongs to one subgroup"]  # fmt: skip


def test_subgroups_need_rows_and_a_reasoned_credibility() -> None:
    o = outcome(summary={"estimate": 0.8, "ci": [0.6, 1.0], "participants": 100, "studies": 2},
                subgroups=[{"id": "x", "modifier": "x", "groups": [{"name": "a", "studies": ["A"]},
                                                                   {"name": "b", "studies": ["B"]}]}])  # fmt: skip
    assert _problems(o) == ["outcomes.0.subgroups: subgroups need per-study rows (`data`) to analyse"]
    with pytest.raises(ValueError, match="an ICEMAN credibility rating needs a `reason`"):
        dose_outcome(iceman={"credibility": "high"}) and make_evidence(dose_outcome(iceman={"credibility": "high"}))


def test_cli_points_at_the_line_of_a_bad_member(tmp_path: Path) -> None:
    from conftest import run_cli

    text = """gradecli: 1
review: {title: t}
studies:
  - {id: A, design: rct}
  - {id: B, design: rct}
outcomes:
  - id: o
    name: O
    importance: critical
    type: generic
    measure: GENERIC
    data:
      - {study: A, yi: 0.1, sei: 0.2}
      - {study: B, yi: 0.3, sei: 0.2}
    subgroups:
      - id: dose
        modifier: dose
        groups:
          - {name: high, studies: [A]}
          - {name: low, studies: [Q]}
"""
    path = tmp_path / "e.yaml"
    path.write_text(text)
    r = run_cli("assess", str(path))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"{path}:20:" in r.stderr and "'Q' is not a row of this outcome" in r.stderr
