"""Several comparisons in one evidence file (issue 18): validation, one Summary-of-Findings table per
comparison in every format, rows by importance with at most seven, `--comparison`, the JSON keys,
statements in each comparison's words, and the report. A file without `comparisons` keeps its
output byte for byte: tests/test_report_snapshots.py compares every format of every shipped
example with the snapshots committed before comparisons existed (only the JSON's schema_version
moved, 1.3 → 1.4)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import run_cli

IMPORTANCE = [
    "important",
    "critical",
    "critical",
    "important",
    "limited",
    "critical",
    "important",
    "critical",
    "important",
]


def _doc() -> dict[str, Any]:
    outcomes: list[dict[str, Any]] = [
        {
            "id": f"o{i}",
            "name": f"Outcome {i}",
            "importance": imp,
            "type": "dichotomous",
            "measure": "RR",
            "comparison": "oral",
            "summary": {"estimate": 0.5, "ci": [0.3, 0.7], "participants": 4000 + i, "studies": 3, "design": "rct"},
            "assumed_risk": {"value": 0.2, "source": "illustrative"},
            "judgements": {
                "risk_of_bias": {"rating": "serious", "reason": "illustrative"},
                "indirectness": {"rating": "not_serious", "reason": "illustrative"},
            },
        }
        for i, imp in enumerate(IMPORTANCE)
    ]
    outcomes += [
        {
            "id": "pain",
            "name": "Pain",
            "importance": "critical",
            "type": "continuous",
            "measure": "MD",
            "benefit": "lower",
            "thresholds": {"mid": 1, "source": "illustrative"},
            "comparison": "topical",
            "summary": {"estimate": -5, "ci": [-9, -3], "participants": 2000, "studies": 4, "design": "rct"},
            "judgements": {
                "risk_of_bias": {"rating": "serious", "reason": "illustrative"},
                "indirectness": {"rating": "not_serious", "reason": "illustrative"},
            },
        },
        {"id": "mood", "name": "Depressive symptoms", "importance": "critical", "type": "continuous",
         "comparison": "topical", "data": []},
    ]  # fmt: skip
    return {
        "gradecli": 1,
        "review": {"title": "NMDA receptor antagonists for chronic pain"},
        "comparisons": [
            {
                "id": "oral",
                "question": {"population": "adults with chronic pain", "intervention": "Oral ketamine",
                             "comparison": "placebo"},
            },
            {"id": "topical", "title": "Topical ketamine versus placebo", "notes": "Creams only <b>[x]</b>.",
             "question": {"intervention": "Topical ketamine", "comparison": "placebo"}},
        ],
        "outcomes": outcomes,
    }  # fmt: skip


@pytest.fixture
def review(tmp_path: Path) -> Path:
    path = tmp_path / "review.yaml"
    path.write_text(yaml.safe_dump(_doc(), sort_keys=False), encoding="utf-8")
    return path


def _write(tmp_path: Path, doc: dict[str, Any]) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


# --- validation --------------------------------------------------------------------------------


def test_a_two_comparison_file_is_valid(review: Path) -> None:
    r = run_cli("validate", str(review))
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda d: d["outcomes"][0].update(comparison="orla"), "no comparison 'orla' (did you mean 'oral'?)"),
        (lambda d: d["outcomes"][0].pop("comparison"), "names no comparison; the file has 2"),
        (lambda d: d["comparisons"][1].update(id="oral"), "duplicate comparison id 'oral'"),
        (lambda d: d.pop("comparisons"), "the file has no `comparisons`"),
    ],
    ids=["unknown", "missing", "duplicate", "no-comparisons"],
)
def test_bad_comparisons_are_file_line_col_errors(tmp_path: Path, change: Any, says: str) -> None:
    doc = _doc()
    change(doc)
    path = _write(tmp_path, doc)
    r = run_cli("validate", str(path))
    assert r.returncode == 2
    assert re.search(rf"^{re.escape(str(path))}:\d+:\d+: .*{re.escape(says)}", r.stderr, re.M), r.stderr


def test_one_comparison_needs_no_outcome_to_name_it(tmp_path: Path) -> None:
    doc = _doc()
    doc["comparisons"] = doc["comparisons"][:1]
    doc["outcomes"] = [o for o in doc["outcomes"] if o["comparison"] == "oral"]
    for o in doc["outcomes"]:
        del o["comparison"]
    r = run_cli("assess", str(_write(tmp_path, doc)), "--format", "json")
    assert r.returncode == 0, r.stderr
    assert {o["comparison"] for o in json.loads(r.stdout)["outcomes"]} == {"oral"}


# --- one table per comparison ----------------------------------------------------------------


def test_markdown_has_one_table_per_comparison_in_file_order_rows_by_importance(review: Path) -> None:
    r = run_cli("assess", str(review), "--format", "markdown")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("# NMDA receptor antagonists for chronic pain\n")
    titles = re.findall(r"^## (.*)$", out, re.M)
    assert titles == [
        "Oral ketamine compared with placebo for adults with chronic pain",
        "Topical ketamine versus placebo",
    ]
    first, second = out.split("## ")[1:3]
    assert "- Population: adults with chronic pain" in first and "Intervention: Oral ketamine" in first
    assert "Intervention: Topical ketamine" in second and "Population" not in second
    rows = re.findall(r"^\| \*\*(Outcome \d)\*\*", first, re.M)
    # critical first (1, 2, 5, 7), then important (0, 3, 6): seven rows; 8 (the eighth) and 4 (limited) after
    assert rows == ["Outcome 1", "Outcome 2", "Outcome 5", "Outcome 7", "Outcome 0", "Outcome 3", "Outcome 6"]
    assert "not in the table (a Summary-of-Findings table holds at most 7 critical or important outcomes): " in first
    assert "Outcome 8 (important; " in first and "Outcome 4 (limited; " in first
    assert re.findall(r"^\| \*\*(.*?)\*\*", second, re.M) == ["Pain", "Depressive symptoms"]
    assert "Notes on this comparison: Creams only &lt;b&gt;\\[x\\]&lt;/b&gt;." in second  # the file's notes, escaped
    assert out.count("**GRADE certainty of the evidence:**") == 1  # the definitions once, at the end
    # footnotes are lettered per table
    assert "<sup>a</sup>" in first and "<sup>a</sup>" in second


def test_statements_name_each_comparisons_intervention(review: Path) -> None:
    data = json.loads(run_cli("assess", str(review), "--format", "json").stdout)
    by_id = {o["id"]: o for o in data["outcomes"]}
    assert "oral ketamine" in by_id["o1"]["statement"].lower()
    assert "topical ketamine" in by_id["pain"]["statement"].lower()


def test_json_has_the_comparisons_and_each_outcomes_comparison(review: Path) -> None:
    data = json.loads(run_cli("assess", str(review), "--format", "json").stdout)
    assert data["schema_version"] == "1.5"
    assert [c["id"] for c in data["comparisons"]] == ["oral", "topical"]
    assert data["comparisons"][0]["title"] == "Oral ketamine compared with placebo for adults with chronic pain"
    assert data["comparisons"][1]["question"]["population"] is None
    assert [o["comparison"] for o in data["outcomes"]] == ["oral"] * 9 + ["topical"] * 2  # the file's order, all


def test_a_file_without_comparisons_writes_no_comparison_keys() -> None:
    data = json.loads(run_cli("assess", "examples/bcg-vaccine-tuberculosis.yaml", "--format", "json").stdout)
    assert "comparisons" not in data and all("comparison" not in o for o in data["outcomes"])


def test_csv_has_a_comparison_column_and_every_outcome(review: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run_cli("assess", str(review), "--format", "csv").stdout)))
    assert [(r["comparison"], r["outcome_id"]) for r in rows][:9] == [
        ("oral", f"o{i}") for i in (1, 2, 5, 7, 0, 3, 6, 8, 4)
    ]
    assert [(r["comparison"], r["outcome_id"]) for r in rows][9:] == [("topical", "pain"), ("topical", "mood")]
    plain = run_cli("assess", "examples/bcg-vaccine-tuberculosis.yaml", "--format", "csv").stdout
    assert not plain.startswith("comparison,")


def test_html_has_a_table_per_comparison_a_table_of_contents_and_unique_ids(review: Path) -> None:
    page = run_cli("assess", str(review), "--format", "html").stdout
    assert page.count('<table class="sof">') == 2
    assert '<nav class="toc" aria-label="Comparisons">' in page
    assert '<a href="#comparison-oral">' in page and '<section class="comparison" id="comparison-topical">' in page
    ids = re.findall(r'id="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "footnote anchors are per comparison"
    for target in re.findall(r'href="#([^"]+)"', page):
        assert target in ids, target


def test_the_terminal_table_and_the_profile_show_each_comparison(review: Path) -> None:
    out = run_cli("assess", str(review), env={"COLUMNS": "160"}).stdout
    assert out.index("Oral ketamine compared with placebo") < out.index("Topical ketamine versus placebo")
    assert "Also assessed for this comparison, not in the table" in out
    profile = run_cli("assess", str(review), "--profile", env={"COLUMNS": "200"}).stdout
    assert "Topical ketamine versus placebo" in profile and "Depressive symptoms" in profile


def test_comparison_option_selects_one_table(review: Path, tmp_path: Path) -> None:
    r = run_cli("assess", str(review), "--comparison", "topical", "--format", "markdown")
    assert r.returncode == 0, r.stderr
    assert "Oral ketamine" not in r.stdout and "## Topical ketamine versus placebo" in r.stdout
    assert not r.stdout.startswith("# ")
    data = json.loads(run_cli("assess", str(review), "--comparison", "topical", "--format", "json").stdout)
    assert [c["id"] for c in data["comparisons"]] == ["topical"]
    assert [o["id"] for o in data["outcomes"]] == ["pain", "mood"]
    r = run_cli("assess", str(review), "--comparison", "nope")
    assert r.returncode == 2 and "no comparison 'nope' (one of: oral, topical)" in r.stderr
    r = run_cli("assess", "examples/bcg-vaccine-tuberculosis.yaml", "--comparison", "x")
    assert r.returncode == 2 and "the file has no comparisons" in r.stderr


def test_the_report_groups_by_comparison(review: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "r.html"
    r = run_cli("report", str(review), "-o", str(out))
    assert r.returncode == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    assert page.count('<table class="sof">') == 2 and '<nav class="toc"' in page
    assert page.count('<table class="profile">') == 2
    assert '<h3 class="comparison">Topical ketamine versus placebo</h3>' in page
    assert page.count('class="outcome-detail"') == 11  # every outcome's reasons, in or out of its table
