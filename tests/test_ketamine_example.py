"""The worked example reproduces the certainty the Cochrane review reported (Ferraro et al. 2025),
and the assessment JSON matches its published schema."""

from __future__ import annotations

import json

import jsonschema

from conftest import ROOT, run_cli
from gradecli.commands.schema import assessment_schema


def _assessment() -> dict:
    result = run_cli("assess", "examples/ketamine-chronic-pain.yaml", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_ratings_match_the_review() -> None:
    rows = {o["id"]: o for o in _assessment()["outcomes"]}
    assert rows["pain-immediate"]["certainty"] == "very_low"
    assert rows["pain-short"]["certainty"] == "low"
    assert rows["adverse-events"]["certainty"] == "low"
    for outcome_id in ("pain-long", "depression", "opioid-use"):
        assert rows[outcome_id]["form"] == "none"
        assert rows[outcome_id]["certainty"] is None
    for outcome_id in ("pain-immediate", "pain-short", "adverse-events"):
        assert rows[outcome_id]["certainty"] == rows[outcome_id]["recorded_certainty"]


def test_reviewer_judgments_are_marked_and_proposals_kept() -> None:
    rows = {o["id"]: o for o in _assessment()["outcomes"]}
    imprecision = {d["domain"]: d for d in rows["pain-immediate"]["domains"]}["imprecision"]
    assert imprecision["status"] == "overridden"
    assert imprecision["proposal"]["rating"] == "serious"  # gradecli's own proposal survives
    assert imprecision["rating"] == "very_serious"
    assert imprecision["reviewer_reason"].startswith("Not from the review; entered for this example")
    # adverse events: RR 3.26 (1.05 to 10.09) against the outcome's MID of RR 1.25 — the CI crosses it,
    # so gradecli itself proposes serious (Core GRADE 2) and the file needs no override
    adverse = {d["domain"]: d for d in rows["adverse-events"]["domains"]}["imprecision"]
    assert adverse["status"] == "proposed" and adverse["rating"] == "serious"
    assert adverse["proposal"]["rule"] == "IMP-CROSS"
    assert rows["adverse-events"]["target"]["kind"] == "important_effect"
    indirectness = {d["domain"]: d for d in rows["pain-short"]["domains"]}["indirectness"]
    assert indirectness["status"] == "judged"
    assert "inconsistency" in rows["pain-short"]["not_assessed"]


def test_statements() -> None:
    rows = {o["id"]: o for o in _assessment()["outcomes"]}
    assert (
        rows["adverse-events"]["statement"]
        == "Intravenous ketamine may result in an important increase in adverse events."
    )
    assert rows["pain-immediate"]["statement"].startswith("The evidence is very uncertain")


def test_assessment_json_validates_against_published_schema() -> None:
    schema = assessment_schema()
    committed = json.loads((ROOT / "schema" / "assessment-v1.schema.json").read_text(encoding="utf-8"))
    assert committed == schema, "run: gradecli schema --output assessment > schema/assessment-v1.schema.json"
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        out = run_cli("assess", str(example.relative_to(ROOT)), "--format", "json")
        assert out.returncode == 0, out.stderr
        jsonschema.Draft202012Validator(schema).validate(json.loads(out.stdout))
