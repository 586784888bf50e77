"""`gradecli export fhir` / `gradecli import fhir` (issue 20): a FHIR R5 document Bundle (EBM-on-FHIR)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT, run_cli
from gradecli.grade.assessment import Assessment
from gradecli.io.fhir_import import to_evidence
from gradecli.io.writer import check_evidence_text, dump_evidence
from gradecli.pipeline import load_and_assess
from gradecli.report import fhir_codes as C
from gradecli.report.fhir import render

pytest.importorskip("fhir.resources", minversion="8")

ALL_EXAMPLES = [*EXAMPLES, ROOT / "examples" / "two-reviewers" / "review.yaml"]
IDS = [str(p.relative_to(ROOT / "examples")) for p in ALL_EXAMPLES]

# Expected values copied from the IG and the code systems (not from gradecli's data file), so a
# wrong entry in gradecli/report/fhir_codes.py fails here.
# HL7/ebm input/examples/ArtifactAssessment-certainty-of-evidence-rating-of-day-mortal-example.json
# (the certainty rating of the remdesivir 14-day mortality meta-analysis, Evidence/55):
IG_CERTAINTY_TYPE = "http://hl7.org/fhir/certainty-type"
IG_CERTAINTY_RATING = "http://hl7.org/fhir/certainty-rating"
IG_EXAMPLE_CODINGS = {
    ("type", "Overall", "Overall certainty"),
    ("type", "PublicationBias", "Publication bias"),
    ("type", "Inconsistency", "Inconsistency"),
    ("type", "Imprecision", "Imprecision"),
    ("type", "Indirectness", "Indirectness"),
    ("type", "RiskOfBias", "Risk of bias"),
    ("rating", "low", "Low quality"),
    ("rating", "no-concern", "no serious concern"),
    ("rating", "serious-concern", "serious concern"),
}
# FHIR R5 CodeSystem certainty-rating (hl7.fhir.r5.core 5.0.0): every code it defines.
R5_CERTAINTY_RATING_CODES = {
    "high", "moderate", "low", "very-low", "no-concern", "serious-concern", "very-serious-concern",
    "extremely-serious-concern", "present", "absent", "no-change", "downcode1", "downcode2", "downcode3",
    "upcode1", "upcode2",
}  # fmt: skip
# HL7/UTG CodeSystem-statistic-type.xml and CodeSystem-attribute-estimate-type.xml:
UTG_STATISTIC_TYPE = "http://terminology.hl7.org/CodeSystem/statistic-type"
UTG_STATISTIC_CODES = {"RR": "C93152", "OR": "C16932", "MD": "0000457", "SMD": "0000100", "RD": "0000424"}
UTG_ATTRIBUTE_ESTIMATE = "http://terminology.hl7.org/CodeSystem/attribute-estimate-type"
UTG_CI, UTG_I2, UTG_TAU2 = "C53324", "0000420", "0000421"
# HL7/ebm input/fsh/composition/p-summary-of-findings.fsh
IG_SOF_PROFILE = "http://hl7.org/fhir/uv/ebm/StructureDefinition/summary-of-findings"
IG_SECTION_SYSTEM = "http://hl7.org/fhir/evidence-report-section"

_CACHE: dict[str, tuple[Assessment, str]] = {}


def exported(path: Path) -> tuple[Assessment, dict[str, Any]]:
    key = str(path)
    if key not in _CACHE:
        a = load_and_assess(key)[3]
        _CACHE[key] = (a, render(a))
    a, text = _CACHE[key]
    return a, json.loads(text)


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def codings(element: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["system"], c["code"]) for c in element.get("coding", [])]


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=IDS)
def test_every_example_exports_and_every_resource_parses_with_the_r5_models(path: Path) -> None:
    from fhir.resources import __fhir_version__
    from fhir.resources.bundle import Bundle

    assert __fhir_version__.startswith("5.")  # R5 models
    a, bundle = exported(path)
    Bundle.model_validate(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        kind = resource["resourceType"]
        model = getattr(importlib.import_module(f"fhir.resources.{kind.lower()}"), kind)
        model.model_validate(resource)
        assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"
    assert len(resources(bundle, "Evidence")) == len(a.outcomes)


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=IDS)
def test_the_document_follows_the_summary_of_findings_profile(path: Path) -> None:
    a, bundle = exported(path)
    assert bundle["type"] == "document"
    assert bundle["identifier"]["system"] == "urn:ietf:rfc:3986"
    composition = bundle["entry"][0]["resource"]
    assert composition["resourceType"] == "Composition"
    assert composition["meta"]["profile"] == [IG_SOF_PROFILE]
    assert {"text": "Summary of Findings"} in composition["category"]
    headers, *entries = composition["section"]
    assert codings(headers["code"]) == [(IG_SECTION_SYSTEM, "Column-Headers")]
    assert (IG_SECTION_SYSTEM, "EvidenceVariable-outcome") in [codings(s["code"])[0] for s in headers["section"]]
    assert len(entries) == len(a.outcomes)
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(urls) == len(set(urls))
    for section in entries:
        assert section["code"]["text"] == "Summary of findings entry for a single outcome"
        assert section["focus"]["reference"] in urls
        for sub in section["section"]:
            for ref in sub.get("entry", []):
                assert ref["reference"] in urls
    for ev in resources(bundle, "Evidence"):
        for vd in ev["variableDefinition"]:
            assert vd["observed"]["reference"] in urls
    for aa in resources(bundle, "ArtifactAssessment"):
        ref = aa["artifactReference"]
        assert ref.get("reference") in urls or ref["type"] == "ResearchStudy"


def test_statistics_carry_the_estimate_ci_sample_size_heterogeneity_and_model() -> None:
    a, bundle = exported(ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml")
    (ev,) = resources(bundle, "Evidence")
    e = a.outcomes[0].effect
    assert e is not None
    (st,) = ev["statistic"]
    assert codings(st["statisticType"]) == [(UTG_STATISTIC_TYPE, UTG_STATISTIC_CODES["RR"])]
    assert st["quantity"]["value"] == e.estimate
    assert st["sampleSize"] == {"numberOfStudies": e.k, "numberOfParticipants": e.participants}
    by_code = {codings(x["type"])[0][1]: x for x in st["attributeEstimate"]}
    assert {codings(x["type"])[0][0] for x in st["attributeEstimate"]} == {UTG_ATTRIBUTE_ESTIMATE}
    assert by_code[UTG_CI]["level"] == 0.95
    assert by_code[UTG_CI]["range"] == {"low": {"value": e.ci_lb}, "high": {"value": e.ci_ub}}
    assert by_code[UTG_I2]["quantity"]["value"] == e.i2
    assert by_code[UTG_TAU2]["quantity"]["value"] == e.tau2
    models = {c for m in st["modelCharacteristic"] for c in codings(m["code"])}
    assert (C.STATISTIC_MODEL_CODE, "effectsRandom") in models
    assert (C.STATISTIC_MODEL_CODE, "restrictedLikelihood") in models  # REML


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=IDS)
def test_certainty_codes_are_the_igs(path: Path) -> None:
    _a, bundle = exported(path)
    seen: set[tuple[str, str, str]] = set()

    def walk(c: dict[str, Any]) -> None:
        for coding in c["type"]["coding"]:
            assert coding["system"] == IG_CERTAINTY_TYPE == C.CERTAINTY_TYPE
            seen.add(("type", coding["code"], coding["display"]))
        for coding in c.get("rating", {}).get("coding", []):
            assert coding["system"] == IG_CERTAINTY_RATING == C.CERTAINTY_RATING
            assert coding["code"] in R5_CERTAINTY_RATING_CODES
            seen.add(("rating", coding["code"], coding["display"]))
        for sub in c.get("subcomponent", []):
            walk(sub)

    for ev in resources(bundle, "Evidence"):
        for c in ev.get("certainty", []):
            assert codings(c["type"]) == [(IG_CERTAINTY_TYPE, "Overall")]
            walk(c)
    ig_displays = {(k, code): d for k, code, d in IG_EXAMPLE_CODINGS}
    for kind, code, display in seen:  # a code the IG's example uses has the example's display
        assert ig_displays.get((kind, code), display) == display


def test_each_domain_is_a_subcomponent_with_its_rating_levels_and_reason() -> None:
    a, bundle = exported(ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml")
    (ev,) = resources(bundle, "Evidence")
    (overall,) = ev["certainty"]
    o = a.outcomes[0]
    assert codings(overall["rating"]) == [(IG_CERTAINTY_RATING, "very-low")]
    subs = {codings(s["type"])[0][1]: s for s in overall["subcomponent"]}
    assert set(subs) >= {"RiskOfBias", "Inconsistency", "Indirectness", "Imprecision", "PublicationBias"}
    assert set(subs) >= {"LargeEffect", "DoseResponseGradient", "PlausibleConfounding"}
    rob = subs["RiskOfBias"]
    assert codings(rob["rating"]) == [(IG_CERTAINTY_RATING, "serious-concern"), (IG_CERTAINTY_RATING, "downcode1")]
    domain = next(d for d in o.domains if d.domain == "risk_of_bias")
    assert rob["note"][0]["text"] == (domain.reviewer_reason or domain.proposal.explanation)
    # not assessed: stated, never "no-concern"
    pub = subs["PublicationBias"]
    assert "rating" not in pub
    assert pub["note"][0]["text"].startswith("Not assessed")


def test_a_provisional_outcome_has_no_overall_rating_and_says_why() -> None:
    _a, bundle = exported(ROOT / "examples" / "ketamine-trials.yaml")
    ev = resources(bundle, "Evidence")[0]
    (overall,) = ev["certainty"]
    assert "rating" not in overall
    assert overall["note"][0]["text"].startswith("Provisional")
    subs = {codings(s["type"])[0][1]: s for s in overall["subcomponent"]}
    assert "rating" not in subs["RiskOfBias"]
    assert subs["RiskOfBias"]["note"][0]["text"].startswith("Not assessed")


def test_reviewer_overrides_are_artifact_assessments_about_the_evidence() -> None:
    a, bundle = exported(ROOT / "examples" / "two-reviewers" / "review.yaml")
    evidence_urls = {e["resource"]["id"]: e["fullUrl"] for e in bundle["entry"]}
    judged = [(o, d) for o in a.outcomes for d in o.domains if d.status in ("overridden", "judged", "confirmed")]
    assessments = [
        aa
        for aa in resources(bundle, "ArtifactAssessment")
        if aa["meta"]["profile"] == [C.CERTAINTY_OF_EVIDENCE_PROFILE]
    ]
    certainty_overrides = [o for o in a.outcomes if o.certainty_reason is not None]
    assert len(assessments) == len(judged) + len(certainty_overrides)
    inconsistency = next(
        aa for aa in assessments if "Inconsistency of Pain intensity" in aa["title"] and "overridden" in aa["title"]
    )
    (content,) = inconsistency["content"]
    _o, d = next((o, d) for o, d in judged if o.id == "pain-short" and d.domain == "inconsistency")
    assert content["summary"] == d.reviewer_reason
    assert codings(content["classifier"][0]) == [(IG_CERTAINTY_RATING, "serious-concern")]
    (proposal,) = content["component"]
    assert codings(proposal["classifier"][0]) == [(IG_CERTAINTY_RATING, "no-concern")]  # the rule proposal
    assert d.proposal.rule is not None and d.proposal.rule in proposal["summary"]
    assert content["author"]["display"].startswith("Alice")
    assert inconsistency["artifactReference"]["reference"] in evidence_urls.values()
    assert inconsistency["date"] == "2026-11-20"


def test_studies_risk_of_bias_and_the_citation() -> None:
    a, bundle = exported(ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml")
    rob = [aa for aa in resources(bundle, "ArtifactAssessment") if aa["meta"]["profile"] == [C.RISK_OF_BIAS_PROFILE]]
    assert len(rob) == len([s for s in a.studies if s.risk_of_bias is not None]) > 0
    first = next(s for s in a.studies if s.risk_of_bias is not None)
    assert rob[0]["artifactReference"]["identifier"]["value"] == first.id
    assert rob[0]["content"][0]["classifier"] == [{"text": first.risk_of_bias.overall}]  # type: ignore[union-attr]
    a, bundle = exported(ROOT / "examples" / "ketamine-chronic-pain.yaml")
    (citation,) = resources(bundle, "Citation")
    assert citation["citedArtifact"]["identifier"] == [{"system": "https://doi.org", "value": a.doi}]
    composition = bundle["entry"][0]["resource"]
    assert composition["relatesTo"][0]["resourceReference"]["type"] == "Citation"


def test_no_clock_time_a_date_only_from_the_file() -> None:
    _a, bundle = exported(ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml")
    composition = bundle["entry"][0]["resource"]
    assert "date" not in composition and "timestamp" not in bundle  # the file has no date
    absent = {"extension": [{"url": C.DATA_ABSENT_REASON, "valueCode": "unknown"}]}
    assert composition["_date"] == absent and bundle["_timestamp"] == absent
    _a, bundle = exported(ROOT / "examples" / "two-reviewers" / "review.yaml")
    assert bundle["timestamp"] == "2026-11-20T00:00:00Z"  # the latest review date in the file


def test_two_runs_are_byte_identical(tmp_path: Path) -> None:
    example = "examples/two-reviewers/review.yaml"
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for out in (first, second):
        res = run_cli("export", "fhir", example, "-o", str(out))
        assert res.returncode == 0, res.stderr
    assert first.read_bytes() == second.read_bytes()
    stdout = run_cli("export", "fhir", example)
    assert stdout.returncode == 0
    assert stdout.stdout.encode("utf-8") == first.read_bytes()
    again = run_cli("export", "fhir", example, "-o", str(first))
    assert again.returncode == 2 and "--force" in again.stderr


def test_comparison_option_keeps_one_comparison() -> None:
    res = run_cli("export", "fhir", "examples/ketamine-chronic-pain.yaml", "--comparison", "iv-ketamine")
    assert res.returncode == 0, res.stderr
    bundle = json.loads(res.stdout)
    a = load_and_assess(str(ROOT / "examples" / "ketamine-chronic-pain.yaml"))[3]
    wanted = {o.id for o in a.outcomes if o.comparison == "iv-ketamine"}
    got = {ev["identifier"][0]["value"] for ev in resources(bundle, "Evidence")}
    assert got == wanted
    assert bundle["entry"][0]["resource"]["title"].startswith("Intravenous ketamine")
    bad = run_cli("export", "fhir", "examples/ketamine-chronic-pain.yaml", "--comparison", "nope")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def _reason(d: Any) -> str | None:
    return d.reviewer_reason or getattr(getattr(d, "proposal", None), "explanation", None)


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=IDS)
def test_round_trip_keeps_ratings_reasons_certainty_and_numbers(path: Path, tmp_path: Path) -> None:
    a, bundle = exported(path)
    imported = to_evidence(bundle, "bundle.json")
    text = dump_evidence(imported.doc, imported.header)
    check_evidence_text(text, "imported.yaml")
    target = tmp_path / "imported.yaml"
    target.write_text(text, encoding="utf-8")
    b = load_and_assess(str(target))[3]
    again = {o.id: o for o in b.outcomes}
    # left out only: a summary the source gives no result for (the assessment holds no counts for it)
    left_out = {o.id for o in a.outcomes} - set(again)
    assert all(o.form == "summary" and o.effect is None for o in a.outcomes if o.id in left_out)
    assert len([n for n in imported.notes if "not imported" in n]) == len(left_out)
    for o in a.outcomes:
        if o.id in left_out:
            continue
        n = again[o.id]
        assert (n.certainty, n.provisional) == (o.certainty, o.provisional), o.id
        for d, e in zip(o.domains, n.domains, strict=True):
            assert (d.domain, d.rating) == (e.domain, e.rating), o.id
            if d.rating is not None:
                assert _reason(d) == _reason(e), (o.id, d.domain)
        for u, v in zip(o.upgrades, n.upgrades, strict=True):
            assert (u.domain, u.levels) == (v.domain, v.levels), o.id
        if o.certainty_reason is not None:
            assert n.certainty_reason == o.certainty_reason
        if o.effect is not None:
            assert n.effect is not None
            for key in ("estimate", "ci_lb", "ci_ub", "k", "participants"):
                assert getattr(n.effect, key) == getattr(o.effect, key), (o.id, key)


def test_cli_round_trip(tmp_path: Path) -> None:
    bundle, evidence = tmp_path / "b.json", tmp_path / "e.yaml"
    assert run_cli("export", "fhir", "examples/two-reviewers/review.yaml", "-o", str(bundle)).returncode == 0
    res = run_cli("import", "fhir", str(bundle), "-o", str(evidence))
    assert res.returncode == 0, res.stderr
    assert "imported 3 outcomes" in res.stderr
    assert run_cli("validate", str(evidence)).returncode == 0


def _bad(tmp_path: Path, content: str) -> tuple[str, list[str]]:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    res = run_cli("import", "fhir", str(path))
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr and res.stdout == ""
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0]
    return lines[0], lines


def _good_bundle() -> dict[str, Any]:
    return exported(ROOT / "examples" / "stroke-units-length-of-stay.yaml")[1]


def _evidence_index(bundle: dict[str, Any]) -> int:
    return next(i for i, e in enumerate(bundle["entry"]) if e["resource"]["resourceType"] == "Evidence")


def test_bad_bundles_exit_2_with_one_line_naming_the_file_and_the_json_path(tmp_path: Path) -> None:
    line, _ = _bad(tmp_path, "{not json")
    assert "not JSON" in line
    line, _ = _bad(tmp_path, json.dumps({"resourceType": "Patient"}))
    assert "resourceType" in line and "Bundle" in line
    line, _ = _bad(tmp_path, json.dumps({"resourceType": "Bundle", "type": "collection", "entry": []}))
    assert "document" in line
    line, _ = _bad(tmp_path, "[1, 2]")
    assert "Bundle" in line

    bundle = json.loads(json.dumps(_good_bundle()))
    i = _evidence_index(bundle)
    del bundle["entry"][i]["resource"]["title"]
    line, _ = _bad(tmp_path, json.dumps(bundle))
    assert f"entry[{i}].resource.title" in line

    bundle = json.loads(json.dumps(_good_bundle()))
    bundle["entry"][i]["resource"]["statistic"][0]["quantity"]["value"] = "big"
    line, _ = _bad(tmp_path, json.dumps(bundle))
    assert f"entry[{i}].resource.statistic[0].quantity.value" in line

    bundle = json.loads(json.dumps(_good_bundle()))
    ci = next(x for x in bundle["entry"][i]["resource"]["statistic"][0]["attributeEstimate"] if "range" in x)
    del ci["range"]["high"]
    line, _ = _bad(tmp_path, json.dumps(bundle))
    assert "range.high" in line

    bundle = json.loads(json.dumps(_good_bundle()))
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] != "Evidence"]
    line, _ = _bad(tmp_path, json.dumps(bundle))
    assert "no Evidence" in line


def test_import_keeps_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gradecli.io import fhir_import
    from gradecli.problems import InputError

    path = tmp_path / "big.json"
    path.write_text(json.dumps(_good_bundle()), encoding="utf-8")

    def small(p: str) -> str:
        from gradecli.io.source import read_text

        return read_text(p, max_bytes=100)

    monkeypatch.setattr(fhir_import, "read_text", small)
    with pytest.raises(InputError, match="limit"):
        fhir_import.read_bundle(str(path))
