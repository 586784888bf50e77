"""Loading evidence files: YAML 1.2 scalars, marks, safety limits, all problems at once."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from gradecli.io import source, tree
from gradecli.io.evidence import load_evidence, parse_evidence
from gradecli.problems import InputError

MINIMAL = textwrap.dedent(
    """\
    gradecli: 1
    review: {title: T}
    studies:
      - {id: NO, design: rct}
      - {id: 2011, design: nrsi, risk_of_bias: {tool: robins-i, overall: serious}}
    outcomes:
      - id: o
        name: O
        importance: critical
        type: dichotomous
        data:
          - {study: NO, events_t: 1, n_t: 10, events_c: 2, n_c: 10}
          - {study: "2011", events_t: 1, n_t: 10, events_c: 2, n_c: 10}
    """
)


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_evidence(text, "f.yaml")
    return [p.format() for p in info.value.problems]


def test_yaml_12_core_schema() -> None:
    data = tree.parse("a: [no, yes, on, NO, true, False, 1e3, 0x10, 0o10, 010, ~, 2024-01-01, .inf]", "x").data
    assert data["a"] == ["no", "yes", "on", "NO", True, False, 1000.0, 16, 8, 10, None, "2024-01-01", float("inf")]


def test_study_ids_that_look_like_other_types_stay_text() -> None:
    ev = parse_evidence(MINIMAL, "f.yaml")
    assert [s.id for s in ev.studies] == ["NO", "2011"]


def test_marks_point_at_values_and_keys() -> None:
    t = tree.parse("a:\n  b: [1, 2]\n  c: x\n", "x")
    assert t.values[("a", "b", 1)] == (2, 10)
    assert t.keys[("a", "c")] == (3, 3)
    assert t.mark(("a", "zzz", 4)) == t.values[("a",)]


def test_merge_keys() -> None:
    t = tree.parse("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n", "x")
    assert t.data["d"] == {"x": 1, "y": 3}


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    text = MINIMAL.replace("events_t: 1, n_t: 10, events_c: 2", "events_t: 11, n_t: 10, events_c: 12")
    found = problems(text)
    assert len(found) == 4
    assert found[0] == "f.yaml:12:31: outcomes[0].data[0].events_t: 11 events but only 10 participants"
    assert any(":12:54: outcomes[0].data[0].events_c: 12 events but only 10 participants" in p for p in found)


def test_structural_problems_are_all_reported() -> None:
    text = MINIMAL.replace("importance: critical", "importance: vital").replace("title: T", "titel: T")
    found = problems(text)
    assert any("review.titel: unknown key 'titel' (did you mean 'title'?)" in p for p in found)
    assert any("outcomes[0].importance: 'vital' is not one of: critical, important, limited" in p for p in found)
    assert not any("`title` is missing" in p for p in found)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "{id: NO, design: rct}",
            "{id: NO, design: rct, risk_of_bias: {tool: robins-i, overall: low}}",
            "ROBINS-I assesses non-randomised studies",
        ),
        ("{tool: robins-i, overall: serious}", "{tool: rob2, overall: high}", "RoB 2 assesses randomised trials"),
        (
            "type: dichotomous",
            "type: dichotomous\n    analysis: {model: random, method: MH}",
            "MH is a fixed-effect method",
        ),
        (
            "type: dichotomous",
            "type: dichotomous\n    measure: RR\n    analysis: {method: PETO}",
            "the Peto method pools odds ratios",
        ),
        (
            "type: dichotomous",
            "type: dichotomous\n    thresholds: {mid: 20, moderate: 10}",
            "moderate (10) must be larger than mid (20)",
        ),
        (
            "type: dichotomous",
            "type: dichotomous\n    risk_of_bias_overrides:\n      - {study: NO, overall: high, reason: x}",
            "name the `tool`",
        ),
        (
            "type: dichotomous",
            "type: dichotomous\n    risk_of_bias_overrides:\n"
            "      - {study: '2011', overall: some_concerns, reason: x}",
            "is not a ROBINS-I judgment",
        ),
        (
            "type: dichotomous",
            "type: dichotomous\n    judgements:\n      inconsistency: {rating: extremely_serious, reason: x}",
            "is for imprecision and for the risk of bias of non-randomised studies",
        ),
        (
            "type: dichotomous",
            "type: dichotomous\n    judgements:\n      dose_response: {levels: 2, reason: x}",
            "rates up at most 1 level",
        ),
        ("type: dichotomous", "type: dichotomous\n    assumed_risk: {value: 1.5}", "less than 1"),
        (
            "- {study: NO, events_t: 1, n_t: 10, events_c: 2, n_c: 10}",
            "- {study: NO, events_t: 1, n_t: 10, events_c: 2, n_c: 10}\n"
            "      - {study: NO, events_t: 1, n_t: 10, events_c: 2, n_c: 10}",
            "give each row a distinct `label`",
        ),
    ],
)
def test_cross_checks(old: str, new: str, message: str) -> None:
    assert old in MINIMAL
    found = problems(MINIMAL.replace(old, new, 1))
    assert any(message in p for p in found), found


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:
        fh.truncate(source.MAX_BYTES + 1)
    with pytest.raises(InputError, match="the limit is 8,388,608 bytes"):
        load_evidence(str(big))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_evidence(str(tmp_path / "nope.yaml"))
    with pytest.raises(InputError, match="is a directory"):
        load_evidence(str(tmp_path))


def test_bom_and_crlf_are_accepted() -> None:
    text = "\ufeff" + MINIMAL.replace("\n", "\r\n")
    assert parse_evidence(text, "f.yaml").outcomes[0].id == "o"


def test_json_marks() -> None:
    text = (
        '{"gradecli": 1,\n "review": {"title": "T"},\n "outcomes": [{"id": "o", "name": "O",\n'
        '  "importance": "critical", "type": "dichotomous", "data": [], "extra": 1}]}'
    )
    with pytest.raises(InputError) as info:
        parse_evidence(text, "f.json", json_syntax=True)
    assert info.value.problems[0].format().startswith("f.json:4:64: outcomes[0].extra: unknown key")
