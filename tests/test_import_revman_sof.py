"""The authors' own Summary-of-findings table in a RevMan 5 file (issue 17 item 7): each row's certainty
becomes the matched outcome's recorded_certainty, its comment and footnotes (with the domains they name)
the outcome's notes, and `gradecli check` compares the authors' ratings with gradecli's (GC201)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from gradecli.cli import cli
from gradecli.io.revman_sof import domains_named, match_rows, read_sof_rows

CANDIDATES = [Path(__file__).resolve().parents[2] / "shared", Path("/work/shared")]
SHARED = next((p for p in CANDIDATES if (p / "formats" / "samples").is_dir()), None)
SORE_THROAT = SHARED / "formats/samples/revman5-rm5/CD000023-antibiotics-for-sore-throat.rm5" if SHARED else None


@pytest.mark.skipif(SHARED is None, reason="../shared/formats/samples (RevMan samples) not present")
def test_the_sore_throat_reviews_sof_table_is_imported_and_checked(tmp_path: Path) -> None:
    out = tmp_path / "ev.yaml"
    runner = CliRunner()
    r = runner.invoke(cli, ["import", "revman", str(SORE_THROAT), "-o", str(out)])
    assert r.exit_code == 0, r.output
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    recorded = {o["id"]: o.get("recorded_certainty") for o in doc["outcomes"] if o.get("recorded_certainty")}
    # the table's six rows, each matched by its "No of participants (studies)": 3621 (15), 2974 (13), ...
    assert recorded == {"analysis-1.1": "high", "analysis-1.5": "high", "analysis-4.1": "high",
                        "analysis-4.4": "high", "analysis-4.7": "high", "analysis-4.8": "low"}  # fmt: skip
    notes = {o["id"]: o.get("notes", "") for o in doc["outcomes"]}
    assert "row 'Glomerulonephritis', matched by participants and studies): certainty Low." in notes["analysis-4.8"]
    assert "Comment: Sparse data: 2 cases only." in notes["analysis-4.8"]
    assert "SOF_TABLES" not in r.output  # no longer "not imported"
    r = runner.invoke(cli, ["check", str(out)])
    gc201 = [line for line in r.output.splitlines() if "GC201" in line]
    # five of the six differ; analysis-1.1 (high) agrees since the review's combined item "Blinding
    # (performance bias and detection bias)" counts for both RoB 1 blinding domains (it counted for the
    # outcome assessors' only, so the participants' domain looked unassessed and its studies 'unclear')
    assert len(gc201) == 5 and all("recorded certainty" in line for line in gc201)
    assert not any("analysis-1.1:" in line for line in gc201)


GRADEPRO = """<COCHRANE_REVIEW><SOF_TABLES><SOF_TABLE ID="SOF-01"><TABLE>
<TR><TD COLSPAN="6"><P>Drug compared with placebo</P></TD></TR>
<TR><TH><P>Outcomes</P></TH><TH COLSPAN="2"><P>Anticipated absolute effects</P></TH>
<TH><P>№ of participants (studies)</P></TH><TH><P>Certainty of the evidence (GRADE)</P></TH>
<TH><P>Comments</P></TH></TR>
<TR><TH><P>Risk with placebo</P></TH><TH><P>Risk with drug</P></TH></TR>
<TR><TD><P>Mortality</P></TD><TD><P>100 per 1000</P></TD><TD><P>80 per 1000</P></TD><TD><P>1,200 (4 RCTs)</P></TD>
<TD><P>⊕⊕⊝⊝<BR/>LOW <SUP>a,b</SUP></P></TD><TD><P/></TD></TR>
<TR><TD><P>Pain at 6 weeks</P></TD><TD><P>-</P></TD><TD><P>-</P></TD><TD><P>300 (2 RCTs)</P></TD>
<TD><P>⊕⊝⊝⊝ VERY LOW c</P></TD><TD><P>Small trials</P></TD></TR>
<TR><TD><P>Quality of life</P></TD><TD><P>-</P></TD><TD><P>-</P></TD><TD><P>50 (1 RCT)</P></TD>
<TD><P>⊕⊕⊕⊝ MODERATE</P></TD><TD><P/></TD></TR>
<TR><TD COLSPAN="6"><P>a Downgraded one level for risk of bias: unblinded outcome assessment<BR/>
b Downgraded one level for imprecision: wide confidence interval<BR/>
c Serious inconsistency and indirectness</P></TD></TR>
</TABLE></SOF_TABLE></SOF_TABLES></COCHRANE_REVIEW>"""


def test_a_gradepro_style_table_with_symbols_superscripts_and_footnotes() -> None:
    rows, notes = read_sof_rows(ET.fromstring(GRADEPRO))
    assert notes == []
    assert [(r.outcome, r.participants, r.studies, r.certainty, r.marks) for r in rows] == [
        ("Mortality", 1200, 4, "low", ["a", "b"]),
        ("Pain at 6 weeks", 300, 2, "very_low", ["c"]),
        ("Quality of life", 50, 1, "moderate", []),
    ]
    fn = rows[0].footnotes
    assert fn["a"] == "Downgraded one level for risk of bias: unblinded outcome assessment"
    assert domains_named(fn["a"]) == ["risk_of_bias"] and domains_named(fn["b"]) == ["imprecision"]
    assert domains_named(fn["c"]) == ["inconsistency", "indirectness"]
    outcomes = [
        {"id": "a1", "name": "All-cause mortality", "data": [{"study": s, "n_t": 150, "n_c": 150} for s in "ABCD"]},
        {"id": "a2", "name": "Pain (6 weeks)", "data": [{"study": "E", "n_t": 10, "n_c": 10}]},  # counts differ
        {"id": "a3", "name": "Adverse events", "data": [{"study": "F", "n_t": 25, "n_c": 25}]},
    ]
    found, left = match_rows(rows, outcomes)
    assert [(m.row.outcome, m.outcome_id, m.how) for m in found] == [
        ("Mortality", "a1", "participants and studies"),
        ("Pain at 6 weeks", "a2", "name"),  # no counts match: the closest name, similarity ≥ 0.6
    ]
    # 50 participants in 1 study are a3's counts too, but a3 is "Adverse events": counts that small
    # coincide easily, so a dissimilar name is no match
    assert [r.outcome for r in left] == ["Quality of life"]
