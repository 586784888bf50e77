"""`gradecli check` and `gradecli diff` on a file with several comparisons (issue 18): GC401 and
GC402 are judged per comparison (each comparison is its own Summary-of-Findings table) and name it,
so does every finding about an outcome; the diff is grouped by comparison and shows an outcome
that moved between comparisons. A file without comparisons keeps today's output byte for byte."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import yaml

from conftest import run_cli

JUDGED = {
    "risk_of_bias": {"rating": "not_serious", "reason": "All trials at low risk of bias."},
    "indirectness": {"rating": "not_serious", "reason": "Matches the question."},
}


def _outcome(oid: str, comparison: str | None, importance: str = "critical", estimate: float = 0.9) -> dict[str, Any]:
    o: dict[str, Any] = {
        "id": oid,
        "name": f"Outcome {oid}",
        "importance": importance,
        "type": "dichotomous",
        "measure": "RR",
        "summary": {"estimate": estimate, "ci": [0.85, 0.95], "participants": 5000, "studies": 5, "design": "rct"},
        "judgements": JUDGED,
    }
    if comparison is not None:
        o["comparison"] = comparison
    return o


def _doc(outcomes: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "gradecli": 1,
        "review": {"title": "Ketamine for chronic pain"},
        "comparisons": [
            {
                "id": "oral-ketamine",
                "title": "Oral ketamine compared with placebo",
                "question": {"population": "adults with chronic pain", "intervention": "Oral ketamine",
                             "comparison": "placebo"},
            },
            {
                "id": "iv-ketamine",
                "question": {"intervention": "Intravenous ketamine", "comparison": "placebo"},
            },
        ],
        "outcomes": outcomes,
    }  # fmt: skip


def _write(tmp_path: Path, name: str, doc: dict[str, Any] | str) -> Path:
    (tmp_path / ".git").mkdir(exist_ok=True)  # stop the .gradecli.yaml search here
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def _findings(tmp_path: Path, name: str) -> list[dict[str, Any]]:
    result = run_cli("check", name, "--format", "json", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


# ---------------------------------------------------------------------------------------------
# check


def test_gc401_per_comparison(tmp_path: Path) -> None:
    # 8 critical outcomes in one comparison, 2 in the other (10 critical in the file): only the
    # first comparison's table overflows, by its eighth critical outcome
    outcomes = [_outcome(f"a{i}", "oral-ketamine") for i in range(1, 9)]
    outcomes += [_outcome(f"b{i}", "iv-ketamine") for i in range(1, 3)]
    _write(tmp_path, "f.yaml", _doc(outcomes))
    found = _findings(tmp_path, "f.yaml")
    gc401 = [f for f in found if f["code"] == "GC401"]
    assert len(gc401) == 1, found
    assert gc401[0]["outcome"] == "a8"
    assert gc401[0]["message"].startswith("comparison 'oral-ketamine': a8: ")
    assert "critical outcome number 8" in gc401[0]["message"]
    assert not [f for f in found if f["code"] == "GC402"]


def test_seven_critical_in_each_comparison_fit(tmp_path: Path) -> None:
    # 14 critical outcomes in the file, seven a table: no GC401 (the file-wide count would give 7)
    outcomes = [_outcome(f"a{i}", "oral-ketamine") for i in range(1, 8)]
    outcomes += [_outcome(f"b{i}", "iv-ketamine") for i in range(1, 8)]
    _write(tmp_path, "f.yaml", _doc(outcomes))
    assert not [f for f in _findings(tmp_path, "f.yaml") if f["code"] == "GC401"]


def test_important_outcomes_first_in_the_file_do_not_push_a_critical_one_out(tmp_path: Path) -> None:
    # a comparison's table is ordered by importance: a critical outcome in the file's eighth place
    # is in the table's first row
    outcomes = [_outcome(f"a{i}", "oral-ketamine", "important") for i in range(1, 8)]
    outcomes += [_outcome("a8", "oral-ketamine"), _outcome("b1", "iv-ketamine")]
    _write(tmp_path, "f.yaml", _doc(outcomes))
    assert not [f for f in _findings(tmp_path, "f.yaml") if f["code"] in ("GC401", "GC402")]


def test_gc402_names_the_comparison_without_a_critical_outcome(tmp_path: Path) -> None:
    outcomes = [_outcome("a1", "oral-ketamine"), _outcome("a2", "oral-ketamine", "important")]
    outcomes += [_outcome("b1", "iv-ketamine", "important"), _outcome("b2", "iv-ketamine", "limited")]
    path = _write(tmp_path, "f.yaml", _doc(outcomes))
    gc402 = [f for f in _findings(tmp_path, "f.yaml") if f["code"] == "GC402"]
    assert [f["message"] for f in gc402] == ["comparison 'iv-ketamine': no outcome is marked critical"]
    # at the comparison's place in the file
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "id: iv-ketamine" in t)
    assert gc402[0]["line"] == line
    text = run_cli("check", "f.yaml", cwd=tmp_path).stdout
    assert "GC402 comparison 'iv-ketamine': no outcome is marked critical" in text


def test_an_outcome_finding_names_its_comparison(tmp_path: Path) -> None:
    b1 = _outcome("b1", "iv-ketamine")
    b1["judgements"] = {"risk_of_bias": JUDGED["risk_of_bias"]}  # indirectness not assessed: GC102
    _write(tmp_path, "f.yaml", _doc([_outcome("a1", "oral-ketamine"), b1]))
    gc102 = [f for f in _findings(tmp_path, "f.yaml") if f["code"] == "GC102"]
    assert len(gc102) == 1
    assert gc102[0]["message"].startswith("comparison 'iv-ketamine': b1: indirectness not assessed")


def test_one_comparison_names_it_in_gc402_only(tmp_path: Path) -> None:
    doc = _doc([_outcome("a1", None, "important")])
    doc["comparisons"] = doc["comparisons"][:1]
    b = _outcome("a2", None)
    b["judgements"] = {"risk_of_bias": JUDGED["risk_of_bias"]}
    b["importance"] = "important"
    doc["outcomes"].append(b)
    _write(tmp_path, "f.yaml", doc)
    found = _findings(tmp_path, "f.yaml")
    assert [f["message"] for f in found if f["code"] == "GC402"] == [
        "comparison 'oral-ketamine': no outcome is marked critical"
    ]
    # one comparison: the outcome findings read as before
    assert next(f["message"] for f in found if f["code"] == "GC102").startswith("a2: indirectness not assessed")


NO_COMPARISONS = textwrap.dedent(
    """\
    gradecli: 1
    review: {title: T, question: {population: P, intervention: X, comparison: C}}
    outcomes:
    """
)


def _plain(oid: str, importance: str, estimate: float = 0.9) -> str:
    return (
        f"  - id: {oid}\n    name: Outcome {oid}\n    importance: {importance}\n"
        "    type: dichotomous\n    measure: RR\n"
        f"    summary: {{estimate: {estimate}, ci: [0.85, 0.95], participants: 5000, studies: 5, design: rct}}\n"
        "    judgements:\n"
        "      risk_of_bias: {rating: not_serious, reason: All trials at low risk of bias.}\n"
        "      indirectness: {rating: not_serious, reason: Matches the question.}\n"
    )


def test_a_file_without_comparisons_checks_as_before(tmp_path: Path) -> None:
    # the output of the code before comparisons existed, byte for byte
    _write(tmp_path, "g401.yaml", NO_COMPARISONS + "".join(_plain(f"o{i}", "critical") for i in range(8)))
    result = run_cli("check", "g401.yaml", cwd=tmp_path)
    assert result.stdout == (
        "g401.yaml:67:5: warning GC401 o7: critical outcome in row 8; a Summary-of-Findings table shows at most "
        "7 outcomes — move it up\n"
    )
    _write(tmp_path, "g402.yaml", NO_COMPARISONS + _plain("o1", "important"))
    result = run_cli("check", "g402.yaml", cwd=tmp_path)
    assert result.stdout == "g402.yaml:4:3: warning GC402 no outcome is marked critical\n"


# ---------------------------------------------------------------------------------------------
# diff


def _versions(tmp_path: Path) -> tuple[Path, Path]:
    old = [
        _outcome("a1", "oral-ketamine"),
        _outcome("a2", "oral-ketamine", "important"),
        _outcome("b1", "iv-ketamine"),
        _outcome("b2", "iv-ketamine", "important"),
    ]
    new = [
        _outcome("a1", "oral-ketamine", estimate=0.88),  # the effect changed
        _outcome("a2", "oral-ketamine", "important"),  # unchanged
        _outcome("b2", "oral-ketamine", "important"),  # moved, nothing else changed
        _outcome("b1", "iv-ketamine"),  # unchanged
        _outcome("b3", "iv-ketamine", "important"),  # added
    ]
    return _write(tmp_path, "old.yaml", _doc(old)), _write(tmp_path, "new.yaml", _doc(new))


def test_diff_text_grouped_by_comparison(tmp_path: Path) -> None:
    _versions(tmp_path)
    result = run_cli("diff", "old.yaml", "new.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Comparison oral-ketamine: Oral ketamine compared with placebo"
    assert lines[1] == "  Outcome a1 (a1): changed"
    assert lines[2].startswith("    effect: RR 0.9 (0.85 to 0.95), k=5 → RR 0.88")
    assert "  Outcome b2 (b2): changed" in lines
    assert lines[lines.index("  Outcome b2 (b2): changed") + 1] == "    moved: comparison iv-ketamine → oral-ketamine"
    heading = lines.index("Comparison iv-ketamine: Intravenous ketamine compared with placebo")
    assert heading > lines.index("  Outcome b2 (b2): changed")
    assert lines[heading - 1] == ""  # a blank line between comparisons
    assert lines[heading + 1] == "  Outcome b3 (b3): added"
    assert not any("(a2)" in line or "(b1)" in line for line in lines)  # unchanged outcomes are not listed


def test_diff_markdown_grouped_by_comparison(tmp_path: Path) -> None:
    _versions(tmp_path)
    md = run_cli("diff", "old.yaml", "new.yaml", "--format", "markdown", cwd=tmp_path).stdout
    assert md.startswith("### gradecli diff: `old.yaml` → `new.yaml`\n\n#### Comparison oral-ketamine: ")
    first, second = md.split("#### Comparison iv-ketamine")
    assert first.count("| Outcome | Studies | Effect | Domains | Certainty |") == 1
    assert "| Outcome a1 |" in first and "| Outcome b2 (moved from comparison iv-ketamine) |" in first
    assert second.count("| Outcome | Studies | Effect | Domains | Certainty |") == 1
    assert "| Outcome b3 (added) |" in second


def test_diff_json_has_the_comparison_of_each_change(tmp_path: Path) -> None:
    _versions(tmp_path)
    out = json.loads(run_cli("diff", "old.yaml", "new.yaml", "--format", "json", cwd=tmp_path).stdout)
    assert list(out) == ["old", "new", "comparisons", "outcomes"]
    assert out["comparisons"] == [
        {"id": "oral-ketamine", "title": "Oral ketamine compared with placebo"},
        {"id": "iv-ketamine", "title": "Intravenous ketamine compared with placebo"},
    ]
    by = {e["outcome"]: e for e in out["outcomes"]}
    assert [e["outcome"] for e in out["outcomes"]] == ["a1", "a2", "b2", "b1", "b3"]  # grouped, file order within
    assert list(by["a1"])[:3] == ["outcome", "name", "comparison"]
    assert {k: by[k]["comparison"] for k in by} == {
        "a1": "oral-ketamine",
        "a2": "oral-ketamine",
        "b2": "oral-ketamine",
        "b1": "iv-ketamine",
        "b3": "iv-ketamine",
    }
    assert by["b2"]["old_comparison"] == "iv-ketamine" and by["b2"]["status"] == "changed"
    assert "old_comparison" not in by["a1"]
    assert by["a2"]["status"] == "unchanged" and by["b3"]["status"] == "added"


def test_diff_removed_outcome_keeps_its_old_comparison(tmp_path: Path) -> None:
    _write(tmp_path, "old.yaml", _doc([_outcome("a1", "oral-ketamine"), _outcome("b1", "iv-ketamine")]))
    _write(tmp_path, "new.yaml", _doc([_outcome("a1", "oral-ketamine"), _outcome("b2", "iv-ketamine")]))
    out = json.loads(run_cli("diff", "old.yaml", "new.yaml", "--format", "json", cwd=tmp_path).stdout)
    by = {e["outcome"]: e for e in out["outcomes"]}
    assert by["b1"]["status"] == "removed" and by["b1"]["comparison"] == "iv-ketamine"
    text = run_cli("diff", "old.yaml", "new.yaml", cwd=tmp_path).stdout
    assert [line for line in text.splitlines() if not line.startswith("    ")] == [
        "Comparison iv-ketamine: Intravenous ketamine compared with placebo",
        "  Outcome b2 (b2): added",
        "  Outcome b1 (b1): removed",
    ]


def test_diff_without_comparisons_as_before(tmp_path: Path) -> None:
    # the output of the code before comparisons existed, byte for byte
    _write(tmp_path, "old.yaml", NO_COMPARISONS + _plain("o1", "critical") + _plain("o2", "important"))
    _write(tmp_path, "new.yaml", NO_COMPARISONS + _plain("o1", "critical", 0.88) + _plain("o2", "important"))
    text = run_cli("diff", "old.yaml", "new.yaml", cwd=tmp_path).stdout
    assert text == "Outcome o1 (o1): changed\n  effect: RR 0.9 (0.85 to 0.95), k=5 → RR 0.88 (0.85 to 0.95), k=5\n"
    md = run_cli("diff", "old.yaml", "new.yaml", "--format", "markdown", cwd=tmp_path).stdout
    assert md == (
        "### gradecli diff: `old.yaml` → `new.yaml`\n\n"
        "| Outcome | Studies | Effect | Domains | Certainty |\n|---|---|---|---|---|\n"
        "| Outcome o1 | — | RR 0.9 (0.85 to 0.95), k=5 → RR 0.88 (0.85 to 0.95), k=5 | — | high |\n"
    )
    out = json.loads(run_cli("diff", "old.yaml", "new.yaml", "--format", "json", cwd=tmp_path).stdout)
    assert list(out) == ["old", "new", "outcomes"]
    assert list(out["outcomes"][0]) == [
        "outcome",
        "name",
        "status",
        "studies_added",
        "studies_removed",
        "effect",
        "domains",
        "certainty",
    ]
