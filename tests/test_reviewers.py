"""Two reviewers (issue 19): the worked example through validate, agree (every format), assess (every
format), check, diff and report; the resolution rules; the template; the agreement figures against an
independent implementation; bad input reported at its own file and line."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_cli

EXAMPLE = ROOT / "examples" / "two-reviewers"
REVIEW = EXAMPLE / "review.yaml"


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    """A copy of the example's folder, to change."""
    target = tmp_path / "two-reviewers"
    shutil.copytree(EXAMPLE, target)
    return target


def assess_json(path: Path) -> dict:
    result = run_cli("assess", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def by_id(data: dict) -> dict[str, dict]:
    return {o["id"]: o for o in data["outcomes"]}


def test_the_example_validates_and_its_judgement_files_are_not_evidence_files() -> None:
    result = run_cli("validate", str(REVIEW))
    assert result.returncode == 0, result.stdout + result.stderr
    checked = run_cli("check", str(EXAMPLE))
    assert "2 skipped (not evidence files)" in checked.stderr


def test_assess_uses_the_consensus_and_keeps_every_reviewer_judgement() -> None:
    data = assess_json(REVIEW)
    assert data["schema_version"] == "1.5"
    assert [r["id"] for r in data["reviewers"]] == ["alice", "bob"]
    outcomes = by_id(data)
    pain = outcomes["pain-short"]
    inconsistency = next(d for d in pain["domains"] if d["domain"] == "inconsistency")
    # alice: serious, bob: not serious, the consensus: serious — the consensus is used, by both
    assert inconsistency["rating"] == "serious" and inconsistency["judged_by"] == ["alice", "bob"]
    assert inconsistency["reviewer_reason"].startswith("The trials' effects run from none")
    assert pain["certainty"] == "very_low" and not pain["provisional"] and pain["disagreements"] == []
    record = next(r for r in data["reviews"] if r["outcome"] == "pain-short" and r["item"] == "inconsistency")
    assert record["status"] == "resolved" and record["used"] == "serious"
    assert {j["reviewer"]: j["rating"] for j in record["ratings"]} == {"alice": "serious", "bob": "not_serious"}
    assert all(j["reason"] for j in record["ratings"])  # each reviewer's reason is kept
    # the agreed study consensus replaces the file's overall judgment
    pickering = next(s for s in data["studies"] if s["id"] == "Pickering 2020")
    assert pickering["risk_of_bias"]["overall"] == "high"


def test_an_unresolved_disagreement_leaves_the_outcome_provisional_and_says_who_disagrees() -> None:
    data = assess_json(REVIEW)
    memantine = by_id(data)["responders-memantine"]
    assert memantine["provisional"] and memantine["certainty"] is None and memantine["certainty_ceiling"]
    assert memantine["statement"] is None
    assert memantine["disagreements"] == [
        {"item": "indirectness", "study": None, "ratings": {"alice": "serious", "bob": "not_serious"}}
    ]
    expected = "the reviewers disagree on indirectness (alice: serious; bob: not serious), no consensus yet"
    table = run_cli("assess", str(REVIEW), env={"COLUMNS": "80"}).stdout  # the stacked layout
    assert expected in " ".join(table.split())
    assert "indirectness not assessed" not in " ".join(table.split())  # disputed, not "not assessed"
    for fmt in ("markdown", "html"):
        out = run_cli("assess", str(REVIEW), "--format", fmt).stdout
        assert expected in out, fmt
    rows = list(csv.DictReader(io.StringIO(run_cli("assess", str(REVIEW), "--format", "csv").stdout)))
    row = next(r for r in rows if r["outcome_id"] == "responders-memantine")
    assert row["provisional"] == "true" and row["certainty"] == ""


def test_agree_in_every_format() -> None:
    text = run_cli("agree", str(REVIEW))
    assert text.returncode == 0, text.stderr
    assert "indirectness: UNRESOLVED" in text.stdout
    assert "alice (2026-11-12): serious — Phantom limb pain only" in text.stdout
    assert "consensus (alice, bob, 2026-11-20): serious" in text.stdout
    assert "16 judged items: 13 agreed, 2 resolved by consensus, 1 unresolved" in text.stdout
    markdown = run_cli("agree", str(REVIEW), "--format", "markdown").stdout
    assert "| Item | Proposal | alice | bob | Consensus | Status |" in markdown
    assert "**UNRESOLVED**" in markdown and "#### Agreement (95% CI)" in markdown
    data = json.loads(run_cli("agree", str(REVIEW), "--format", "json").stdout)
    assert data["unresolved"] == 1 and len(data["reviews"]) == 16
    assert {a["scope"] for a in data["agreement"]} >= {"all domains", "certainty", "studies' risk of bias"}


def test_fail_on_unresolved_until_a_consensus_is_recorded(copy: Path) -> None:
    assert run_cli("agree", str(copy / "review.yaml"), "--fail-on-unresolved").returncode == 1
    with (copy / "review.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "  - {outcome: responders-memantine, item: indirectness, rating: serious, agreed_by: [alice, bob],"
            ' reason: "Phantom limb pain is a narrow part of the population."}\n'
        )
    assert run_cli("agree", str(copy / "review.yaml"), "--fail-on-unresolved").returncode == 0
    memantine = by_id(assess_json(copy / "review.yaml"))["responders-memantine"]
    assert not memantine["provisional"] and memantine["certainty"] == "very_low"


def test_agreement_equals_an_independent_implementation() -> None:
    sklearn = pytest.importorskip("sklearn.metrics")
    data = assess_json(REVIEW)
    order = ["not_serious", "serious", "very_serious", "extremely_serious"]
    domains = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")
    pairs = [
        ({j["reviewer"]: j["rating"] for j in r["ratings"]})
        for r in data["reviews"]
        if r["item"] in domains and r["outcome"]
    ]
    alice = [p["alice"] for p in pairs if len(p) == 2]
    bob = [p["bob"] for p in pairs if len(p) == 2]
    record = next(a for a in data["agreement"] if a["scope"] == "all domains")
    stats = {s["statistic"]: s for s in record["statistics"]}
    assert record["n"] == len(alice) == 11
    kappa = sklearn.cohen_kappa_score(alice, bob, labels=order)
    weighted = sklearn.cohen_kappa_score(alice, bob, labels=order, weights="linear")
    assert abs(stats["Cohen's kappa"]["estimate"] - kappa) < 1e-9
    assert abs(stats["weighted kappa (linear)"]["estimate"] - weighted) < 1e-9
    agree = sum(a == b for a, b in zip(alice, bob, strict=True)) / len(alice)
    assert abs(stats["observed agreement"]["estimate"] - agree) < 1e-9
    # one category only (both rated risk of bias serious everywhere): kappa undefined, said so
    rob = next(a for a in data["agreement"] if a["scope"] == "risk_of_bias")
    rob_kappa = next(s for s in rob["statistics"] if s["statistic"] == "Cohen's kappa")
    assert rob_kappa["estimate"] is None and "chance agreement is 1" in rob_kappa["note"]


def test_check_reports_unresolved_disagreements_and_a_consensus_without_reason(copy: Path) -> None:
    review = copy / "review.yaml"
    result = run_cli("check", str(copy))
    lines = result.stdout.splitlines()
    gc501 = [line for line in lines if "GC501" in line]
    assert len(gc501) == 1 and "alice: serious; bob: not serious" in gc501[0]
    outcome_line = next(i for i, t in enumerate(review.read_text().splitlines(), 1) if "id: responders-memantine" in t)
    assert gc501[0].startswith(f"{review}:{outcome_line}:")
    assert not any("GC102" in line and "responders-memantine" in line for line in lines)
    text = review.read_text(encoding="utf-8")
    # the study consensus loses its reason (a folded block of two lines)
    text, removed = re.subn(r"    reason: >-\n      A crossover[^\n]*\n[^\n]*\n", "", text)
    assert removed == 1
    review.write_text(text, encoding="utf-8")
    result = run_cli("check", str(copy))
    gc502 = [line for line in result.stdout.splitlines() if "GC502" in line]
    consensus_line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("  - study: Pickering 2020"))
    assert len(gc502) == 1 and gc502[0].startswith(f"{review}:{consensus_line}:") and "Pickering 2020" in gc502[0]
    assert result.returncode == 1  # GC502 is an error


def test_diff_shows_who_changed_which_judgement(copy: Path, tmp_path: Path) -> None:
    old = tmp_path / "old"
    shutil.copytree(copy, old)
    bob = copy / "judgements" / "bob.yaml"
    text = bob.read_text(encoding="utf-8")
    before = 'indirectness: {rating: not_serious, reason: "Phantom limb pain is a chronic non-cancer pain condition'
    assert before in text
    bob.write_text(
        text.replace(before, 'indirectness: {rating: serious, reason: "A narrow population'), encoding="utf-8"
    )
    result = run_cli("diff", str(old / "review.yaml"), str(copy / "review.yaml"))
    assert result.returncode == 0, result.stderr
    assert "indirectness: not assessed → serious by alice, bob" in result.stdout
    assert "responders-memantine: indirectness: bob: not serious → serious" in result.stdout
    data = json.loads(run_cli("diff", str(old / "review.yaml"), str(copy / "review.yaml"), "--format", "json").stdout)
    assert data["judgements"] == [
        {
            "outcome": "responders-memantine",
            "study": None,
            "item": "indirectness",
            "who": "bob",
            "old": "not_serious",
            "new": "serious",
        }
    ]
    memantine = next(e for e in data["outcomes"] if e["outcome"] == "responders-memantine")
    change = memantine["domains"][0]
    assert change["by"] == ["alice", "bob"]


def test_report_shows_the_disagreement(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "report.html"
    result = run_cli("report", str(REVIEW), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "the reviewers disagree on indirectness" in out.read_text(encoding="utf-8")


def test_template_lists_every_item_with_empty_ratings_and_hides_the_proposals(copy: Path) -> None:
    result = run_cli("agree", str(copy / "review.yaml"), "--template", "bob")
    assert result.returncode == 0, result.stderr
    doc = yaml.safe_load(result.stdout)
    assert doc["gradecli-judgements"] == 1 and doc["reviewer"] == "bob"
    assert set(doc["outcomes"]) == {"pain-short", "adverse-events", "responders-memantine"}
    for items in doc["outcomes"].values():
        assert set(items) == {
            "risk_of_bias",
            "inconsistency",
            "indirectness",
            "imprecision",
            "publication_bias",
            "certainty",
        }
        assert all(v == {"rating": None, "reason": None} for v in items.values())
    assert set(doc["studies"]) == {"Maier 2003", "Sigtermans 2009", "Pickering 2020"}
    assert "proposed:" not in result.stdout
    shown = run_cli("agree", str(copy / "review.yaml"), "--template", "bob", "--with-proposals").stdout
    assert "# proposed: very_serious (rule" in shown
    # the empty template is a valid judgments file: used in place of Bob's, nothing is judged by him
    target = copy / "judgements" / "bob-new.yaml"
    written = run_cli("agree", str(copy / "review.yaml"), "--template", "bob", "-o", str(target))
    assert written.returncode == 0 and target.read_text(encoding="utf-8") == result.stdout
    again = run_cli("agree", str(copy / "review.yaml"), "--template", "bob", "-o", str(target))
    assert again.returncode == 2 and "never replaces" in again.stderr
    review = copy / "review.yaml"
    review.write_text(review.read_text().replace("judgements/bob.yaml", "judgements/bob-new.yaml"), encoding="utf-8")
    data = assess_json(review)
    assert all(j["reviewer"] == "alice" for r in data["reviews"] for j in r["ratings"])
    unknown = run_cli("agree", str(review), "--template", "carol")
    assert unknown.returncode == 2 and "'carol' is not one of the file's reviewers (alice, bob)" in unknown.stderr


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "judgements/bob.yaml",
            'rating: very_serious, reason: "One small',
            'rating: huge, reason: "One small',
            r"judgements/bob\.yaml:\d+:\d+: outcomes\.responders-memantine\.imprecision\.rating",
        ),
        (
            "judgements/bob.yaml",
            "reviewer: bob",
            "reviewer: carol",
            r"judgements/bob\.yaml:\d+:\d+: reviewer: reviewer 'carol' is not one of the file's reviewers",
        ),
        (
            "judgements/bob.yaml",
            "  responders-memantine:",
            "  responders-memantin:",
            r"judgements/bob\.yaml:\d+:\d+: outcomes\.responders-memantin: no outcome 'responders-memantin'",
        ),
        (
            "judgements/bob.yaml",
            'reason: "Consistent direction."}',
            "reason: null}",
            r"judgements/bob\.yaml:\d+:\d+: outcomes\.adverse-events\.inconsistency: .*needs a reason",
        ),
        (
            "review.yaml",
            "  - judgements/bob.yaml",
            "  - ../bob.yaml",
            r"review\.yaml:\d+:\d+: reviewer_files\[1\]: '\.\./bob\.yaml' leads out of the file's folder",
        ),
        (
            "review.yaml",
            "  - judgements/bob.yaml",
            "  - judgements/nobody.yaml",
            r"review\.yaml:\d+:\d+: reviewer_files\[1\]: 'judgements/nobody\.yaml': no such file",
        ),
        (
            "review.yaml",
            "agreed_by: [alice, bob]\n    reason: >-\n      A crossover",
            "agreed_by: [alice, dave]\n    reason: >-\n      A crossover",
            r"review\.yaml:\d+:\d+: consensus\[1\]\.agreed_by\[1\]: reviewer 'dave' is not one of",
        ),
        (
            "review.yaml",
            "  - study: Pickering 2020\n    rating: high",
            "  - study: Pickering 2020\n    rating: serious",
            r"review\.yaml:\d+:\d+: consensus\[1\]\.rating: 'serious' is not a judgment of rob2",
        ),
        (
            "judgements/bob.yaml",
            "gradecli-judgements: 1",
            "gradecli-judgements: 0x1",
            r"judgements/bob\.yaml:\d+:\d+: gradecli-judgements: the format version is the plain number 1",
        ),
    ],
)
def test_bad_input_is_one_line_at_its_own_file_and_line(
    copy: Path, file: str, old: str, new: str, expected: str
) -> None:
    path = copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_cli("validate", str(copy / "review.yaml"))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(expected, result.stdout + result.stderr), result.stdout + result.stderr


def test_a_file_without_reviewers_has_no_reviewer_keys() -> None:
    data = assess_json(ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml")
    assert not {"reviewers", "reviews", "agreement"} & set(data)
    assert all("disagreements" not in o and all("judged_by" not in d for d in o["domains"]) for o in data["outcomes"])


def test_names_and_reasons_from_files_are_escaped_in_agree(copy: Path) -> None:
    alice = copy / "judgements" / "alice.yaml"
    hostile = "\\e[31m<b>@team</b> [x](http://e.example) ::error::"
    text = alice.read_text(encoding="utf-8").replace(
        '"Both trials show more events with ketamine."', json.dumps("Few " + hostile.replace("\\e", "\x1b"))
    )
    alice.write_text(text, encoding="utf-8")
    out = run_cli("agree", str(copy / "review.yaml")).stdout
    assert "\x1b" not in out and "\\x1b[31m" in out
    md = run_cli("agree", str(copy / "review.yaml"), "--format", "markdown").stdout
    assert "<b>" not in md and "@team" not in md and not re.search(r"(?<!\\)\]\(", md)  # no live link


def test_diff_git_reads_the_reviewer_files_at_the_revision(copy: Path) -> None:
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@example.org"
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "v1"]):
        subprocess.run(["git", *args], cwd=copy, check=True, capture_output=True, env={**os.environ, **env})
    bob = copy / "judgements" / "bob.yaml"
    bob.write_text(
        bob.read_text().replace(
            'certainty: {rating: low, reason: "Risk of bias', 'certainty: {rating: moderate, reason: "Risk of bias'
        )
    )
    result = run_cli("diff", "--git", "HEAD", str(copy / "review.yaml"))
    assert result.returncode == 0, result.stderr
    assert "adverse-events: certainty: bob: low → moderate" in result.stdout


def test_the_example_and_its_judgement_files_match_their_json_schemas() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from gradecli.commands.schema import evidence_schema, judgements_schema
    from gradecli.io.tree import parse  # YAML 1.2 as gradecli reads it: a date stays text

    def data(path: Path) -> object:
        return parse(path.read_text(encoding="utf-8"), str(path)).data

    jsonschema.Draft202012Validator(evidence_schema()).validate(data(REVIEW))
    validator = jsonschema.Draft202012Validator(judgements_schema())
    for path in sorted((EXAMPLE / "judgements").glob("*.yaml")):
        validator.validate(data(path))
    assert not validator.is_valid({"reviewer": "bob"})  # the format line is required in a file
    assert not validator.is_valid(
        {"gradecli-judgements": 1, "reviewer": "bob", "outcomes": {"x": {"certainty": {"rating": "great"}}}}
    )
    committed = (ROOT / "schema" / "judgements-v1.schema.json").read_text(encoding="utf-8")
    assert run_cli("schema", "--output", "judgements").stdout == committed, (
        "run: gradecli schema --output judgements > schema/judgements-v1.schema.json"
    )


def test_inline_judgements_and_by_on_a_study_assessment(tmp_path: Path) -> None:
    """Judgments written in the evidence file itself: `reviewer_judgements` inline, and `by:` on a
    study's risk-of-bias assessment, which counts as that reviewer's rating. A study whose risk of bias
    the reviewers rate differently, without a consensus, makes every outcome with its rows provisional."""
    doc = yaml.safe_load((ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml").read_text(encoding="utf-8"))
    doc["reviewers"] = [{"id": "ann"}, {"id": "ben"}]
    doc["studies"][0]["risk_of_bias"]["by"] = "ann"  # Aronson 1948: unclear, by ann
    doc["reviewer_judgements"] = [
        {"reviewer": "ben", "studies": {"Aronson 1948": {"overall": "high", "reason": "Losses not reported."}}}
    ]
    path = tmp_path / "bcg.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    data = assess_json(path)
    record = next(r for r in data["reviews"] if r["study"] == "Aronson 1948")
    assert record["status"] == "unresolved"
    assert {j["reviewer"]: j["rating"] for j in record["ratings"]} == {"ann": "unclear", "ben": "high"}
    tb = by_id(data)["tuberculosis"]
    assert tb["provisional"] and tb["disagreements"][0]["study"] == "Aronson 1948"
    assert all(s["certainty"] is None and s["provisional"] for s in tb["strata"])
    doc["consensus"] = [{"study": "Aronson 1948", "rating": "high", "agreed_by": ["ann", "ben"], "reason": "Agreed."}]
    path.write_text(json.dumps(doc), encoding="utf-8")
    data = assess_json(path)
    assert not by_id(data)["tuberculosis"]["disagreements"]
    assert next(s for s in data["studies"] if s["id"] == "Aronson 1948")["risk_of_bias"]["overall"] == "high"
    doc["studies"][0]["risk_of_bias"]["by"] = "carl"
    path.write_text(json.dumps(doc), encoding="utf-8")
    bad = run_cli("validate", str(path))
    assert (
        bad.returncode == 2 and "studies[0].risk_of_bias.by: reviewer 'carl' is not one of" in bad.stdout + bad.stderr
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_as_a_reviewer_file_is_refused_not_waited_on(copy: Path) -> None:
    bob = copy / "judgements" / "bob.yaml"
    bob.unlink()
    os.mkfifo(bob)
    result = run_cli("validate", str(copy / "review.yaml"))
    assert result.returncode == 2 and "not a regular file of judgments" in result.stdout + result.stderr
