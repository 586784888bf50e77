"""The RevMan importers write the review's comparisons (issue 18): one ``comparisons:`` entry per
RevMan COMPARISON (id comparison-<NO>, its NAME as title, intervention and comparison read from a
name "X versus Y", never a population), every outcome naming its comparison; the file validates
and assesses with the same comparisons."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml

from conftest import run_cli
from gradecli.io.revman import split_versus

CANDIDATES = [Path(__file__).resolve().parents[2] / "shared", Path("/work/shared")]
SHARED = next((p for p in CANDIDATES if (p / "formats" / "samples").is_dir()), None)
NO_SHARED = "../shared/formats/samples (the RevMan samples) not present"
RM5 = sorted((SHARED / "formats/samples/revman5-rm5").glob("*.rm5")) if SHARED else []
PACKAGE = SHARED / "formats/samples/revman-web-datapackage/Fleiss1993" if SHARED else Path()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Antimicrobial versus placebo/no treatment", ("Antimicrobial", "placebo/no treatment")),
        ("Azithromycin VERSUS ciprofloxacin", ("Azithromycin", "ciprofloxacin")),
        ("Antibiotic vs placebo", ("Antibiotic", "placebo")),
        ("A vs. B", ("A", "B")),
        ("Oral ketamine compared with placebo", ("Oral ketamine", "placebo")),
        ("Ketamine Compared To morphine", ("Ketamine", "morphine")),
        ("  Aspirin   versus   no aspirin  ", ("Aspirin", "no aspirin")),
        ("Drug A versus drug B versus drug C", ("Drug A", "drug B versus drug C")),  # the first separator
        ("Examples from Fleiss (1993)", None),  # no separator: no question
        ("Antibiotics for sore throat", None),
        ("Canvs study", None),  # 'vs' inside a word is no separator
        ("versus placebo", None),  # nothing before it
        ("Antibiotic versus", None),  # nothing after it
        # a name that says more than the two treatments gives no question (nothing is guessed)
        ("Sensitivity analysis: Antimicrobial versus placebo/no treatment by allocation concealment", None),
        ("Antimicrobial versus placebo/no treatment subgrouped by severity of dehydration", None),
        ("Ketamine versus placebo, children only", None),
        ("Ketamine versus placebo (excluding high risk of bias)", None),
        ("Intravenous ketamine versus placebo", ("Intravenous ketamine", "placebo")),
    ],
)
def test_split_versus(name: str, expected: tuple[str, str] | None) -> None:
    assert split_versus(name) == expected


def _revman_comparisons(path: Path) -> list[tuple[str, str]]:
    """(NO, NAME) of every COMPARISON element, read independently of the importer."""
    root = ElementTree.parse(path).getroot()
    return [
        (c.get("NO", ""), " ".join("".join(c.find("NAME").itertext()).split()))  # type: ignore[union-attr]
        for c in root.iter("COMPARISON")
    ]


def _import(tmp_path: Path, *args: str) -> tuple[Path, dict]:
    out = tmp_path / "out.yaml"
    result = run_cli("import", *args, "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    return out, yaml.safe_load(out.read_text(encoding="utf-8"))


def _validates_and_assesses(out: Path, doc: dict) -> None:
    ids = [c["id"] for c in doc["comparisons"]]
    assert len(set(ids)) == len(ids)
    assert all(o["comparison"] in ids for o in doc["outcomes"])
    assert "question" not in doc["review"]  # never invented
    assert all("population" not in c.get("question", {}) for c in doc["comparisons"])
    valid = run_cli("validate", str(out))
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assessed = run_cli("assess", str(out), "--format", "json")
    assert assessed.returncode == 0, assessed.stderr
    a = json.loads(assessed.stdout)
    assert [c["id"] for c in a["comparisons"]] == ids
    assert a["outcomes"] and all(o["comparison"] in ids for o in a["outcomes"])
    by_id = {o["id"]: o["comparison"] for o in doc["outcomes"]}
    assert all(o["comparison"] == by_id[o.get("source_id") or o["id"]] for o in a["outcomes"])


@pytest.mark.skipif(SHARED is None, reason=NO_SHARED)
@pytest.mark.parametrize("rm5", RM5, ids=[p.stem for p in RM5])
def test_every_revman_comparison_is_imported(tmp_path: Path, rm5: Path) -> None:
    out, doc = _import(tmp_path, "revman", str(rm5))
    revman = _revman_comparisons(rm5)
    assert revman
    assert [(c["id"], c["title"]) for c in doc["comparisons"]] == [(f"comparison-{no}", n) for no, n in revman]
    for c, (_, name) in zip(doc["comparisons"], revman, strict=True):
        pair = split_versus(name)
        if pair is None:
            assert "question" not in c
        else:
            assert c["question"] == {"intervention": pair[0], "comparison": pair[1]}
    for o in doc["outcomes"]:  # analysis-C.O names comparison C
        assert o["comparison"] == "comparison-" + o["id"].removeprefix("analysis-").split(".")[0]
    header = out.read_text(encoding="utf-8").split("\ngradecli: 1\n")[0]
    assert f"{len(revman)} comparison" in header and "comparisons[].question" in header
    _validates_and_assesses(out, doc)


@pytest.mark.skipif(SHARED is None, reason=NO_SHARED)
def test_cd008625_comparison_names() -> None:
    rm5 = SHARED / "formats/samples/revman5-rm5/CD008625StatsDataOnly.rm5"  # type: ignore[operator]
    result = run_cli("import", "revman", str(rm5), "-q")
    doc = yaml.safe_load(result.stdout)
    first = doc["comparisons"][0]
    assert first == {
        "id": "comparison-1",
        "title": "Antimicrobial versus placebo/no treatment",
        "question": {"intervention": "Antimicrobial", "comparison": "placebo/no treatment"},
    }
    assert any(c["title"].startswith("Antimicrobial vs. placebo") for c in doc["comparisons"])
    assert len(doc["comparisons"]) > 10


@pytest.mark.skipif(SHARED is None, reason=NO_SHARED)
def test_data_package_comparisons(tmp_path: Path) -> None:
    out, doc = _import(tmp_path, "revman-data", str(PACKAGE))
    overall = next(PACKAGE.glob("*-overall-estimates-and-settings.csv"))
    with overall.open(encoding="utf-8-sig", newline="") as f:
        groups = {r["Analysis group"]: r.get("Analysis group name") for r in csv.DictReader(f)}
    assert [(c["id"], c["title"]) for c in doc["comparisons"]] == [
        (f"comparison-{g}", name or f"Comparison {g}") for g, name in groups.items()
    ]
    header = out.read_text(encoding="utf-8").split("\ngradecli: 1\n")[0]
    assert "RevMan data package" in header and "comparison" in header
    _validates_and_assesses(out, doc)


@pytest.mark.skipif(SHARED is None, reason=NO_SHARED)
def test_a_comparison_without_analyses_is_kept_and_listed(tmp_path: Path) -> None:
    raw = (SHARED / "formats/samples/revman5-rm5/Fleiss1993.rm5").read_bytes()  # type: ignore[operator]
    at = raw.index(b"</COMPARISON>") + len(b"</COMPARISON>")
    empty = b'<COMPARISON ID="CMP-002" NO="2"><NAME>Aspirin vs. nothing</NAME></COMPARISON>'
    rm5 = tmp_path / "two.rm5"
    rm5.write_bytes(raw[:at] + empty + raw[at:])
    out = tmp_path / "out.yaml"
    result = run_cli("import", "revman", str(rm5), "-o", str(out))
    assert result.returncode == 0, result.stderr
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert doc["comparisons"][1] == {
        "id": "comparison-2",
        "title": "Aspirin vs. nothing",
        "question": {"intervention": "Aspirin", "comparison": "nothing"},
    }
    assert "comparison-2 (Aspirin vs. nothing): no analysis imported" in result.stderr
    _validates_and_assesses(out, doc)
