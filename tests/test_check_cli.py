"""`gradecli check`: every finding code, exit code and output format, and a mixed folder."""

from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

HEAD = textwrap.dedent(
    """\
    gradecli: 1
    review: {title: T, question: {population: P, intervention: X, comparison: C}}
    studies:
      - {id: A, design: rct, risk_of_bias: {tool: rob2, overall: low}}
    outcomes:
    """
)
INDIRECT = (
    "      indirectness: {rating: not_serious, reason: Matches the question.}\n"
    "      risk_of_bias: {rating: not_serious, reason: All trials at low risk of bias.}\n"
)


def outcome(oid: str, body: str, importance: str = "critical", judgements: str = INDIRECT, extra: str = "") -> str:
    return (
        f"  - id: {oid}\n    name: Outcome {oid}\n    importance: {importance}\n{body}{extra}"
        f"    judgements:\n{judgements}"
    )


SUMMARY_RR = (
    "    type: dichotomous\n    measure: RR\n"
    "    summary: {estimate: 0.9, ci: [0.85, 0.95], participants: 5000, studies: 5, design: rct}\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / ".git").mkdir(exist_ok=True)  # stop the .gradecli.yaml search here
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def check(tmp_path: Path, *args: str):
    return run_cli("check", *args, cwd=tmp_path)


def test_clean_file_exits_0(tmp_path: Path) -> None:
    write(tmp_path, "ok.yaml", HEAD + outcome("o1", SUMMARY_RR))
    result = check(tmp_path, "ok.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "1 file (0 invalid, 1 outcomes)" in result.stderr


@pytest.mark.parametrize(
    ("code", "text", "severity"),
    [
        (
            "GC001",
            HEAD + "  - {id: x, name: X, importance: critical, type: dichotomous, data: [], bogus: 1}\n",
            "error",
        ),
        ("GC101", HEAD + outcome("o1", SUMMARY_RR, judgements="      imprecision: {rating: serious}\n"), "error"),
        ("GC102", HEAD + outcome("o1", SUMMARY_RR, judgements="      {}\n"), "warning"),
        ("GC201", HEAD + outcome("o1", SUMMARY_RR, extra="    recorded_certainty: low\n"), "error"),
        ("GC301", HEAD + outcome("o1", SUMMARY_RR.replace("estimate: 0.9", "estimate: 1.2")), "error"),
        ("GC302", HEAD + outcome("o1", SUMMARY_RR.replace("participants: 5000", "participants: 0")), "error"),
        ("GC303", HEAD + outcome("o1", SUMMARY_RR.replace("participants: 5000", "participants: 3")), "error"),
        (
            "GC304",
            HEAD
            + outcome(
                "o1",
                SUMMARY_RR.replace("measure: RR", "measure: OR")
                .replace("ci: [0.85, 0.95]", "ci: [0.899, 0.901]")
                .replace("5000", "100"),
            ),
            "warning",
        ),
        (
            "GC401",
            HEAD + "".join(outcome(f"o{i}", SUMMARY_RR, "important" if i < 7 else "critical") for i in range(8)),
            "warning",
        ),
        ("GC402", HEAD + outcome("o1", SUMMARY_RR, importance="important"), "warning"),
    ],
)
def test_each_finding_code(tmp_path: Path, code: str, text: str, severity: str) -> None:
    write(tmp_path, "f.yaml", text)
    result = check(tmp_path, "f.yaml", "--format", "json")
    found = [json.loads(line) for line in result.stdout.splitlines()]
    mine = [f for f in found if f["code"] == code]
    assert mine, (code, result.stdout, result.stderr)
    assert mine[0]["severity"] == severity
    assert mine[0]["file"] == "f.yaml" and mine[0]["line"] > 0
    assert result.returncode == (1 if any(f["severity"] == "error" for f in found) else 0)
    strict = check(tmp_path, "f.yaml", "--strict")
    assert strict.returncode == 1


def test_gc201_says_which_domains_and_why(tmp_path: Path) -> None:
    write(tmp_path, "f.yaml", HEAD + outcome("o1", SUMMARY_RR, extra="    recorded_certainty: low\n"))
    result = check(tmp_path, "f.yaml")
    line = next(x for x in result.stdout.splitlines() if "GC201" in x)
    assert "recorded certainty low, but the file supports high" in line
    assert "the authors rated lower" in line and "inconsistency (not assessed)" in line


def test_gc104_gc105_provisional_ratings_warn_and_fail_strict(tmp_path: Path) -> None:
    # risk of bias not judged for a summary-level result; imprecision not assessable (no MID, a CI
    # wholly inside the appreciable zone around the null): the rating is provisional (GRADE: certainty
    # is judged over all domains), a warning, and --strict fails on it
    only_indirect = "      indirectness: {rating: not_serious, reason: Matches the question.}\n"
    null_zone = SUMMARY_RR.replace("ci: [0.85, 0.95]", "ci: [0.85, 1.05]")
    write(tmp_path, "f.yaml", HEAD + outcome("o1", null_zone, judgements=only_indirect))
    result = check(tmp_path, "f.yaml", "--format", "json")
    found = {f["code"]: f for f in map(json.loads, result.stdout.splitlines())}
    assert found["GC104"]["severity"] == "warning" and "provisional" in found["GC104"]["message"]
    assert found["GC105"]["severity"] == "warning" and "MID" in found["GC105"]["message"]
    assert result.returncode == 0
    assert check(tmp_path, "f.yaml", "--strict").returncode == 1


def test_gc201_recorded_above_a_provisional_ceiling(tmp_path: Path) -> None:
    only_indirect = "      indirectness: {rating: not_serious, reason: Matches the question.}\n"
    wide = SUMMARY_RR.replace("ci: [0.85, 0.95]", "ci: [0.6, 1.1]")  # crosses the null: at most moderate
    write(
        tmp_path, "f.yaml", HEAD + outcome("o1", wide, judgements=only_indirect, extra="    recorded_certainty: high\n")
    )
    result = check(tmp_path, "f.yaml")
    line = next(x for x in result.stdout.splitlines() if "GC201" in x)
    assert "at most moderate" in line and "risk of bias not assessed" in line


def test_gc107_a_proposal_awaiting_the_reviewer(tmp_path: Path) -> None:
    # no MID and a CI from RR 0.5 to 2.0: two levels for imprecision, proposed for the reviewer to confirm
    wide = SUMMARY_RR.replace("estimate: 0.9, ci: [0.85, 0.95]", "estimate: 1.0, ci: [0.5, 2.0]")
    write(tmp_path, "f.yaml", HEAD + outcome("o1", wide))
    result = check(tmp_path, "f.yaml")
    line = next(x for x in result.stdout.splitlines() if "GC107" in x)
    assert "warning" in line and "awaiting the reviewer's confirmation: imprecision" in line
    assert check(tmp_path, "f.yaml", "--strict").returncode == 1
    judged = (
        INDIRECT + "      imprecision: {rating: very_serious, reason: Confirmed - the CI spans halving and doubling.}\n"
    )
    write(tmp_path, "f.yaml", HEAD + outcome("o1", wide, judgements=judged))
    assert "GC107" not in check(tmp_path, "f.yaml").stdout


def test_gc103_notes_only_with_flag(tmp_path: Path) -> None:
    write(tmp_path, "f.yaml", HEAD + outcome("o1", SUMMARY_RR))
    assert "GC103" not in check(tmp_path, "f.yaml").stdout
    assert "GC103" in check(tmp_path, "f.yaml", "--notes").stdout


def test_gc202_downgrade_without_footnote() -> None:
    import gradecli
    from gradecli.check.run import assessment_findings
    from gradecli.io.evidence import load_evidence_tree

    evidence, tree = load_evidence_tree(str(ROOT / "examples" / "ketamine-chronic-pain.yaml"))
    assessment = gradecli.assess(evidence)
    first = assessment.outcomes[0]
    stripped = first.model_copy(update={"domains": [d.model_copy(update={"footnote": None}) for d in first.domains]})
    broken = assessment.model_copy(update={"outcomes": [stripped, *assessment.outcomes[1:]]})
    codes = [f.code for f in assessment_findings("k.yaml", tree, broken, {}) if f]
    assert codes.count("GC202") == sum(1 for d in first.domains if d.levels)
    assert "GC202" not in [f.code for f in assessment_findings("k.yaml", tree, assessment, {}) if f]


def test_mixed_folder(tmp_path: Path) -> None:
    for example in ("ketamine-chronic-pain.yaml", "bcg-vaccine-tuberculosis.yaml"):
        write(tmp_path, example, (ROOT / "examples" / example).read_text(encoding="utf-8"))
    (tmp_path / "sub").mkdir()
    write(tmp_path, "sub/bad.yaml", (ROOT / "tests" / "bad_inputs" / "sd-zero.yaml").read_text(encoding="utf-8"))
    write(tmp_path, "sub/workflow.yml", "name: CI\non: push\n")
    write(tmp_path, "package.json", '{"name": "x"}\n')
    write(tmp_path, "notes.txt", "not checked\n")
    result = check(tmp_path, ".")
    assert result.returncode == 1
    assert "sub/bad.yaml:12:45: error GC001 outcomes[0].data[0].sd_t: standard deviation 0" in result.stdout
    # ketamine: 19 outcomes over its seven comparisons; BCG: 1
    assert "3 files (1 invalid, 20 outcomes), 2 skipped (not evidence files)" in result.stderr
    assert "Traceback" not in result.stderr


def test_exit_2_for_missing_path_bad_rules_bad_config(tmp_path: Path) -> None:
    write(tmp_path, "ok.yaml", HEAD + outcome("o1", SUMMARY_RR))
    missing = check(tmp_path, "nope/")
    assert missing.returncode == 2 and "nope/: no such file or folder" in missing.stderr
    assert check(tmp_path, "ok.yaml", "--rules", "nonesuch").returncode == 2
    write(tmp_path, ".gradecli.yaml", "fail_on: sometimes\n")
    bad = check(tmp_path, "ok.yaml")
    assert bad.returncode == 2 and ".gradecli.yaml:1:10: fail_on:" in bad.stderr


def test_config_excludes_and_severity(tmp_path: Path) -> None:
    write(tmp_path, "ok.yaml", HEAD + outcome("o1", SUMMARY_RR, importance="important"))
    (tmp_path / "drafts").mkdir()
    write(tmp_path, "drafts/bad.yaml", "gradecli: 1\n")
    write(tmp_path, ".gradecli.yaml", "exclude: ['drafts/**']\nseverity: {GC402: error}\n")
    result = check(tmp_path, ".")
    assert "drafts" not in result.stdout
    assert "error GC402" in result.stdout and result.returncode == 1


def test_stdin(tmp_path: Path) -> None:
    result = run_cli(
        "check", "-", stdin=HEAD + outcome("o1", SUMMARY_RR, extra="    recorded_certainty: low\n"), cwd=tmp_path
    )
    assert result.returncode == 1 and result.stdout.startswith("<stdin>:")


def test_github_format_line_by_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        "f.yaml",
        HEAD + outcome("o1", SUMMARY_RR.replace("participants: 5000", "participants: 0"), importance="important"),
    )
    result = check(tmp_path, "f.yaml", "--format", "github")
    lines = result.stdout.splitlines()
    assert lines == [
        "::error file=f.yaml,line=11,col=62,title=GC302 studies but zero participants::"
        "outcomes[0].summary.participants: 5 studies but 0 participants",
    ]
    write(tmp_path, "g.yaml", HEAD + outcome("o1", SUMMARY_RR, importance="important"))
    lines = check(tmp_path, "g.yaml", "--format", "github").stdout.splitlines()
    assert lines == [
        "::warning file=g.yaml,line=6,col=3,title=GC402 no critical outcome::no outcome is marked critical"
    ]


def test_junit_format_parses(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", HEAD + outcome("o1", SUMMARY_RR))
    write(tmp_path, "b.yaml", (ROOT / "tests" / "bad_inputs" / "sd-zero.yaml").read_text(encoding="utf-8"))
    write(tmp_path, "c.yml", "name: not evidence\n")
    result = check(tmp_path, ".", "--format", "junit", "--output", "report.xml")
    assert result.returncode == 1
    assert result.stdout == ""
    root = ET.parse(tmp_path / "report.xml").getroot()
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "3" and suite.get("failures") == "1"
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert cases["./b.yaml"].find("failure").get("type") == "GC001"
    assert cases["./a.yaml"].find("failure") is None
    assert cases["./c.yml"].find("skipped") is not None


def test_output_never_overwrites_an_input(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", HEAD + outcome("o1", SUMMARY_RR))
    before = path.read_bytes()
    result = check(tmp_path, "a.yaml", "--output", "a.yaml")
    assert result.returncode == 2 and "refusing to overwrite" in result.stderr
    assert path.read_bytes() == before


def test_parallel_and_serial_give_the_same_report(tmp_path: Path) -> None:
    text = HEAD + outcome("o1", SUMMARY_RR, extra="    recorded_certainty: low\n")
    for i in range(6):
        write(tmp_path, f"f{i}.yaml", text)
    serial = check(tmp_path, ".", "--jobs", "1")
    parallel = check(tmp_path, ".", "--jobs", "2")
    assert serial.stdout == parallel.stdout and serial.stdout.count("GC201") == 6
