"""Risk of bias as RevMan holds it (issue 17, item 6): RoB 1 items judged per outcome group
(``LEVEL="GROUP"``) give the study's judgment from the "All outcomes" group (else the only group,
else the worst, with a note); ``--rob-group "GROUP=ID,ID"`` maps a group to outcomes, which then get
``risk_of_bias_overrides`` where the group's judgments change the study's overall; the support text
of each judgment goes to ``risk_of_bias.support``; a data row's FOOTNOTE to the row's ``notes``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from gradecli.cli import cli

CANDIDATES = [Path(__file__).resolve().parents[2] / "shared", Path("/work/shared")]
SHARED = next((p for p in CANDIDATES if (p / "formats" / "samples").is_dir()), None)

KEY_ITEMS = [
    (1, "Random sequence generation (selection bias)"),
    (2, "Allocation concealment (selection bias)"),
    (3, "Blinding of participants and personnel (performance bias)"),
    (5, "Incomplete outcome data (attrition bias)"),
    (6, "Selective reporting (reporting bias)"),
    (7, "Other bias"),
]
STUDIES = ("Alpha-2001", "Beta-2005")


def _entry(study: str, result: str, text: str, group: str | None = None) -> str:
    gid = f' GROUP_ID="{group}"' if group else ""
    return (
        f'<QUALITY_ITEM_DATA_ENTRY RESULT="{result}" STUDY_ID="STD-{study}"{gid}>'
        f"<DESCRIPTION><P>{text}</P></DESCRIPTION></QUALITY_ITEM_DATA_ENTRY>"
    )


def _rm5(tmp_path: Path, groups: dict[str, dict[str, tuple[str, str]]], extra: str = "", footnote: str = "") -> Path:
    """A review with one comparison of three dichotomous analyses (1.1–1.3) and two studies, low risk
    on every study-level item, and "Blinding of outcome assessment" judged per outcome group:
    ``groups`` is group name → study → (RESULT, support text)."""
    items = []
    for no, name in KEY_ITEMS:
        entries = "".join(_entry(s, "YES", f"{name.split(' (')[0]}: adequate.") for s in STUDIES)
        items.append(
            f'<QUALITY_ITEM CORE_ITEM="YES" ID="QI-{no:03d}" LEVEL="STUDY" NO="{no}"><NAME>{name}</NAME>'
            f"<DESCRIPTION/><QUALITY_ITEM_DATA>{entries}</QUALITY_ITEM_DATA></QUALITY_ITEM>"
        )
    gdefs, gentries = [], []
    for i, (gname, by_study) in enumerate(groups.items()):
        gid = f"QIG-04.{i + 1:02d}"
        gdefs.append(f'<QUALITY_ITEM_DATA_ENTRY_GROUP ID="{gid}"><NAME>{gname}</NAME></QUALITY_ITEM_DATA_ENTRY_GROUP>')
        gentries += [_entry(s, res, text, gid) for s, (res, text) in by_study.items()]
    items.append(
        '<QUALITY_ITEM CORE_ITEM="YES" ID="QI-004" LEVEL="GROUP" NO="4">'
        "<NAME>Blinding of outcome assessment (detection bias)</NAME><DESCRIPTION/>"
        f"{''.join(gdefs)}<QUALITY_ITEM_DATA>{''.join(gentries)}</QUALITY_ITEM_DATA></QUALITY_ITEM>"
    )
    outcomes = []
    for no, name in ((1, "Mortality"), (2, "Pain (self-reported)"), (3, "Admission to hospital")):
        rows = "".join(
            f'<DICH_DATA STUDY_ID="STD-{s}" EVENTS_1="{4 + j + no}" TOTAL_1="50" EVENTS_2="{9 + j}" TOTAL_2="50" '
            f'ORDER="{j + 1}">{footnote if j == 0 else ""}</DICH_DATA>'
            for j, s in enumerate(STUDIES)
        )
        outcomes.append(
            f'<DICH_OUTCOME ID="CMP-001.{no:02d}" NO="{no}" EFFECT_MEASURE="RR" METHOD="MH" RANDOM="NO" '
            f'TOTALS="YES"><NAME>{name}</NAME><GROUP_LABEL_1>Drug</GROUP_LABEL_1>'
            f"<GROUP_LABEL_2>Placebo</GROUP_LABEL_2>{rows}</DICH_OUTCOME>"
        )
    studies = "".join(f'<STUDY ID="STD-{s}" NAME="{s.replace("-", " ")}" YEAR="{s[-4:]}"/>' for s in STUDIES)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<COCHRANE_REVIEW TYPE="INTERVENTION">'
        "<COVER_SHEET><TITLE>Drug versus placebo</TITLE></COVER_SHEET>"
        f"<STUDIES_AND_REFERENCES><STUDIES><INCLUDED_STUDIES>{studies}</INCLUDED_STUDIES></STUDIES>"
        f"</STUDIES_AND_REFERENCES><QUALITY_ITEMS>{''.join(items)}{extra}</QUALITY_ITEMS>"
        f'<ANALYSES_AND_DATA><COMPARISON ID="CMP-001" NO="1"><NAME>Drug versus placebo</NAME>'
        f"{''.join(outcomes)}</COMPARISON></ANALYSES_AND_DATA></COCHRANE_REVIEW>"
    )
    path = tmp_path / "review.rm5"
    path.write_text(xml, encoding="utf-8")
    return path


ALL_AND_SUBJECTIVE = {
    "All outcomes": {"Alpha-2001": ("YES", "Assessors blinded."), "Beta-2005": ("YES", "Assessors blinded.")},
    "Subjective outcomes": {"Alpha-2001": ("NO", "Self-reported by unblinded participants.")},
}
OBJECTIVE_AND_SUBJECTIVE = {
    "Objective outcomes": {"Alpha-2001": ("YES", "Death is objective."), "Beta-2005": ("YES", "Objective.")},
    "Subjective outcomes": {
        "Alpha-2001": ("NO", "Unblinded participants<BR/>rated their pain."),
        "Beta-2005": ("YES", "Double blind."),
    },
}


def _import(path: Path, tmp_path: Path, *args: str) -> tuple[dict, str, Path]:
    out = tmp_path / "ev.yaml"
    r = CliRunner().invoke(cli, ["import", "revman", str(path), "-o", str(out), "--force", *args])
    assert r.exit_code == 0, r.output
    assert CliRunner().invoke(cli, ["validate", str(out)]).exit_code == 0
    return yaml.safe_load(out.read_text(encoding="utf-8")), r.output, out


def _study(doc: dict, sid: str) -> dict:
    return next(s for s in doc["studies"] if s["id"] == sid)


def _outcome(doc: dict, oid: str) -> dict:
    return next(o for o in doc["outcomes"] if o["id"] == oid)


def test_all_outcomes_group_is_the_study_judgment_and_the_note_shows_the_option(tmp_path: Path) -> None:
    doc, output, _ = _import(_rm5(tmp_path, ALL_AND_SUBJECTIVE), tmp_path)
    alpha = _study(doc, "Alpha 2001")["risk_of_bias"]
    assert alpha["domains"]["blinding_outcome"] == "low" and alpha["overall"] == "low"  # not the worst
    assert alpha["support"]["blinding_outcome"] == (
        "All outcomes (low): Assessors blinded. | Subjective outcomes (high): Self-reported by unblinded participants."
    )
    assert alpha["support"]["sequence_generation"] == "Random sequence generation: adequate."
    beta = _study(doc, "Beta 2005")["risk_of_bias"]
    assert beta["support"]["blinding_outcome"] == "Assessors blinded."  # one group: no prefix
    assert not any("risk_of_bias_overrides" in o for o in doc["outcomes"])
    assert "notes" not in _study(doc, "Alpha 2001")  # the per-group judgments are not repeated in the notes
    assert "'All outcomes', 'Subjective outcomes'" in output and '--rob-group "Subjective outcomes=' in output


def test_rob_group_gives_an_override_where_the_overall_differs(tmp_path: Path) -> None:
    path = _rm5(tmp_path, ALL_AND_SUBJECTIVE)
    doc, output, out = _import(path, tmp_path, "--rob-group", "Subjective outcomes=analysis-1.2")
    assert [o["id"] for o in doc["outcomes"] if "risk_of_bias_overrides" in o] == ["analysis-1.2"]
    (ov,) = _outcome(doc, "analysis-1.2")["risk_of_bias_overrides"]  # Beta's judgment is the same: no override
    assert ov["study"] == "Alpha 2001" and ov["overall"] == "high"
    assert ov["reason"] == (
        "RevMan judges Blinding of outcome assessment (detection bias) per outcome group; group 'Subjective "
        "outcomes' applies to this outcome (mapped with --rob-group): blinding_outcome: high. Overall derived by "
        "gradecli: the reviewer must confirm it."
    )
    assert _study(doc, "Alpha 2001")["risk_of_bias"]["overall"] == "low"  # stated once per study
    assert "rob-group" not in output.split("needing attention")[-1]  # no hint: every other group is mapped
    r = CliRunner().invoke(cli, ["assess", str(out), "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = {o["id"]: {x["study"]: x["risk_of_bias"] for x in o["rows"]} for o in json.loads(r.output)["outcomes"]}
    assert rows["analysis-1.2"] == {"Alpha 2001": "high", "Beta 2005": "low"}
    assert rows["analysis-1.1"] == rows["analysis-1.3"] == {"Alpha 2001": "low", "Beta 2005": "low"}


def test_several_groups_without_all_outcomes(tmp_path: Path) -> None:
    path = _rm5(tmp_path, OBJECTIVE_AND_SUBJECTIVE)
    doc, output, _ = _import(path, tmp_path)
    alpha = _study(doc, "Alpha 2001")["risk_of_bias"]
    assert alpha["domains"]["blinding_outcome"] == "high" and alpha["overall"] == "high"  # the worst, as before
    assert (
        "Subjective outcomes (high): Unblinded participants; rated their pain." in alpha["support"]["blinding_outcome"]
    )
    assert "no 'All outcomes' group" in output
    assert "'Objective outcomes', 'Subjective outcomes'" in output and "--rob-group" in output
    doc, _, _ = _import(
        path,
        tmp_path,
        "--rob-group",
        "objective OUTCOMES=analysis-1.[13]",
        "--rob-group",
        "Subjective outcomes=analysis-1.2",
    )
    for oid in ("analysis-1.1", "analysis-1.3"):
        (ov,) = _outcome(doc, oid)["risk_of_bias_overrides"]
        assert (ov["study"], ov["overall"]) == ("Alpha 2001", "low")
        assert "group 'Objective outcomes' applies" in ov["reason"] and "blinding_outcome: low" in ov["reason"]
    assert "risk_of_bias_overrides" not in _outcome(doc, "analysis-1.2")  # the same as the study's: high
    doc, output, _ = _import(path, tmp_path, "--rob-group", "Objective outcomes=analysis-1.*")
    assert all(len(o["risk_of_bias_overrides"]) == 1 for o in doc["outcomes"])
    assert "not mapped with --rob-group: 'Subjective outcomes'" in output


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("Blinded outcomes=analysis-1.1", "no risk-of-bias outcome group 'Blinded outcomes'"),
        ("Subjective outcomes=analysis-9.*", "'analysis-9.*' matches no imported outcome"),
        ("Subjective outcomes", "expected GROUP=OUTCOME"),
        ("Subjective outcomes=", "expected GROUP=OUTCOME"),
    ],
)
def test_a_bad_rob_group_is_one_line_and_exit_2(tmp_path: Path, value: str, says: str) -> None:
    path = _rm5(tmp_path, ALL_AND_SUBJECTIVE)
    r = CliRunner().invoke(cli, ["import", "revman", str(path), "--rob-group", value])
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}: ") and says in lines[0], r.output
    assert "Traceback" not in r.output


def test_an_outcome_in_two_groups_is_refused(tmp_path: Path) -> None:
    path = _rm5(tmp_path, OBJECTIVE_AND_SUBJECTIVE)
    args = ["--rob-group", "Objective outcomes=analysis-1.*", "--rob-group", "Subjective outcomes=analysis-1.2"]
    r = CliRunner().invoke(cli, ["import", "revman", str(path), *args])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1
    assert "analysis-1.2 is mapped to two groups" in r.output


def test_footnotes_long_support_and_unmapped_items(tmp_path: Path) -> None:
    long = "x" * 100_050
    groups = {"All outcomes": {"Alpha-2001": ("YES", long), "Beta-2005": ("YES", "Blind.")}}
    extra = (
        '<QUALITY_ITEM ID="QI-008" LEVEL="STUDY" NO="8"><NAME>Baseline imbalance</NAME><QUALITY_ITEM_DATA>'
        + _entry("Alpha-2001", "UNKNOWN", "Not reported.")
        + "</QUALITY_ITEM_DATA></QUALITY_ITEM>"
    )
    footnote = "<FOOTNOTE>Arms: drug <I>10 mg</I> versus placebo</FOOTNOTE>"
    doc, output, _ = _import(_rm5(tmp_path, groups, extra, footnote), tmp_path)
    alpha = _study(doc, "Alpha 2001")
    text = alpha["risk_of_bias"]["support"]["blinding_outcome"]
    assert len(text) == 100_000 and text.endswith("…")
    assert "support for blinding_outcome: 100,050 characters, cut" in output
    assert alpha["notes"] == "RevMan risk-of-bias entries: Baseline imbalance: unclear (Not reported.)."
    rows = _outcome(doc, "analysis-1.1")["data"]
    assert rows[0]["notes"] == "Arms: drug 10 mg versus placebo" and "notes" not in rows[1]


def test_a_file_without_support_or_notes_is_unchanged_in_form(tmp_path: Path) -> None:
    """The new fields are optional: a v1 file without them validates and its studies assess as before."""
    from gradecli.model.evidence import Evidence

    ev = Evidence.model_validate(
        {
            "gradecli": 1,
            "review": {"title": "t"},
            "studies": [{"id": "A", "design": "rct", "risk_of_bias": {"tool": "rob1", "overall": "low"}}],
            "outcomes": [
                {"id": "o", "name": "o", "importance": "critical", "type": "dichotomous",
                 "data": [{"study": "A", "events_t": 1, "n_t": 10, "events_c": 2, "n_c": 10}]}
            ],
        }
    )  # fmt: skip
    rob = ev.studies[0].risk_of_bias
    assert rob is not None and rob.support == {}
    assert ev.outcomes[0].data is not None and ev.outcomes[0].data[0].notes is None


def test_a_bad_support_key_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "ev.yaml"
    path.write_text(
        "gradecli: 1\nreview: {title: t}\nstudies:\n  - id: A\n    design: rct\n    risk_of_bias:\n"
        "      tool: rob1\n      overall: low\n      support:\n        blinding: quote\n"
        "outcomes:\n  - {id: o, name: o, importance: critical, type: dichotomous, data: []}\n",
        encoding="utf-8",
    )
    r = CliRunner().invoke(cli, ["validate", str(path)])
    assert r.exit_code == 2 and f"{path}:10:" in r.output, r.output


@pytest.mark.skipif(SHARED is None, reason="../shared/formats/samples (RevMan samples) not present")
def test_support_text_from_cd008521(tmp_path: Path) -> None:
    assert SHARED is not None
    path = SHARED / "formats/samples/revman5-rm5/CD008521StatsDataOnly.rm5"
    doc, _, _ = _import(path, tmp_path)
    anh = next(s for s in doc["studies"] if s["id"].endswith("Anh 2011-PHL"))  # NAME has a no-break space
    support = anh["risk_of_bias"]["support"]
    assert support["sequence_generation"] == (
        'Computer-generated; Quote: "Block randomization scheme (2:2:1 ratio) with standard SAS program was used".'
    )
    assert support["incomplete_data"] == "Attrition balanced across groups with reasons for dropout/exclusion reported"
    assert "notes" not in anh  # "All outcomes" judgments are the study's: nothing left for the notes
    notes = [r.get("notes") for o in doc["outcomes"] for r in o["data"]]
    assert "2 or 3 doses" in notes  # a row's FOOTNOTE


@pytest.mark.parametrize(
    ("name", "domains"),
    [
        ("Blinding (performance bias and detection bias)", {"blinding_participants", "blinding_outcome"}),
        ("Blinding?", {"blinding_participants", "blinding_outcome"}),
        ("Blinding of participants and personnel (performance bias)", {"blinding_participants"}),
        ("Blinding of outcome assessment (detection bias)", {"blinding_outcome"}),
    ],
)
def test_a_combined_blinding_item_judges_both_blinding_domains(name: str, domains: set[str]) -> None:
    """RevMan's combined item (and the 2008 tool's single "Blinding?") covers participants, personnel
    and outcome assessors: both RoB 1 blinding domains, so a study low on every item is low overall
    (it was 'unclear': the participants' domain looked unassessed)."""
    from gradecli.io.revman import _rob1_domains

    assert set(_rob1_domains(name)) == domains


def test_a_study_low_on_every_item_with_a_combined_blinding_item_is_low(tmp_path: Path) -> None:
    combined = (
        '<QUALITY_ITEM CORE_ITEM="YES" ID="QI-008" LEVEL="STUDY" NO="8">'
        "<NAME>Blinding (performance bias and detection bias)</NAME><DESCRIPTION/><QUALITY_ITEM_DATA>"
        + "".join(_entry(s, "YES", "Double blind.") for s in STUDIES)
        + "</QUALITY_ITEM_DATA></QUALITY_ITEM>"
    )
    groups = {"All outcomes": {s: ("YES", "Assessors blinded.") for s in STUDIES}}
    doc, _, _ = _import(_rm5(tmp_path, groups, extra=combined), tmp_path)
    rob = _study(doc, "Alpha 2001")["risk_of_bias"]
    assert rob["domains"]["blinding_participants"] == "low" and rob["overall"] == "low"
    assert "Double blind." in rob["support"]["blinding_participants"]
