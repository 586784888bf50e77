"""The worked example holds the comparisons of Ferraro et al., Cochrane 2025 (CD015373.pub2), as far
as public sources tell them (/work/shared/data/ketamine/README.md, the project's data notes), and the
intravenous-ketamine comparison keeps the certainty the review reported."""

from __future__ import annotations

from conftest import ROOT
from gradecli.grade.engine import assess
from gradecli.io.evidence import load_evidence

EXAMPLE = ROOT / "examples" / "ketamine-chronic-pain.yaml"

# README lines 14-16: "39 of the trials studied ketamine (IV, oral, topical); others memantine,
# dextromethorphan, amantadine, magnesium; mostly placebo-controlled" — one comparison each, vs placebo.
COMPARISONS = (
    "iv-ketamine",
    "oral-ketamine",
    "topical-ketamine",
    "memantine",
    "dextromethorphan",
    "amantadine",
    "magnesium",
)

# The certainty the review reported, as the sources give it (README lines 26, 27 and 30, the table
# "IV ketamine vs placebo: review-level results found"). No other certainty of the review is public
# (README lines 8-11 and 23: no other comparison's results were found).
RECORDED = {
    "pain-immediate": "very_low",  # README line 26: MD −15.79 (−32.09 to 0.51), very low
    "pain-short": "low",  # README line 27: MD −5.32 (−15.51 to 4.87), low
    "adverse-events": "low",  # README line 30: RR 3.26 (1.05 to 10.09), low
}

# README lines 29, 31, 32 (and line 20: "No study reported depressive symptoms or opioid use.")
IV_NO_STUDY = ("pain-long", "depression", "opioid-use")


def _assessment():
    evidence = load_evidence(str(EXAMPLE))
    return evidence, assess(evidence)


def test_the_file_has_the_reviews_comparisons() -> None:
    evidence, _ = _assessment()
    assert tuple(c.id for c in evidence.comparisons) == COMPARISONS
    for c in evidence.comparisons:
        assert c.question is not None and c.question.comparison == "Placebo"
        assert c.notes and "README" in c.notes  # each comparison says where what it says comes from


def test_every_outcome_names_a_comparison() -> None:
    evidence, assessment = _assessment()
    assert all(o.comparison in COMPARISONS for o in evidence.outcomes)
    assert all(o.comparison in COMPARISONS for o in assessment.outcomes)
    assert {o.comparison for o in evidence.outcomes} == set(COMPARISONS)


def test_iv_ketamine_reproduces_the_reported_certainty() -> None:
    _, assessment = _assessment()
    iv = {o.id: o for o in assessment.outcomes if o.comparison == "iv-ketamine"}
    assert list(iv) == [
        "pain-immediate",
        "pain-short",
        "pain-medium",
        "pain-long",
        "adverse-events",
        "depression",
        "opioid-use",
    ]
    for outcome_id, certainty in RECORDED.items():
        assert iv[outcome_id].form == "summary"
        assert iv[outcome_id].certainty is not None and iv[outcome_id].certainty.value == certainty
    for outcome_id in IV_NO_STUDY:
        assert iv[outcome_id].form == "none"
        assert iv[outcome_id].certainty is None
    # medium term: 1 study, 19 participants, no result public (README line 28) — not a no-study row
    assert iv["pain-medium"].form == "summary" and iv["pain-medium"].certainty is None


def test_iv_ketamine_numbers_are_the_public_ones() -> None:
    evidence, _ = _assessment()
    by_id = {o.id: o for o in evidence.outcomes}
    # README lines 26, 27, 30
    assert (by_id["pain-immediate"].summary.estimate, by_id["pain-immediate"].summary.ci) == (-15.79, (-32.09, 0.51))
    assert (by_id["pain-short"].summary.estimate, by_id["pain-short"].summary.ci) == (-5.32, (-15.51, 4.87))
    assert (by_id["adverse-events"].summary.estimate, by_id["adverse-events"].summary.ci) == (3.26, (1.05, 10.09))
    # README line 28
    assert (by_id["pain-medium"].summary.studies, by_id["pain-medium"].summary.participants) == (1, 19)
    assert by_id["pain-medium"].summary.estimate is None


def test_every_recorded_certainty_is_the_sources() -> None:
    evidence, _ = _assessment()
    recorded = {o.id: o.recorded_certainty.value for o in evidence.outcomes if o.recorded_certainty is not None}
    assert recorded == RECORDED


def test_other_comparisons_invent_nothing() -> None:
    """No result of the other comparisons is public (README lines 8-11, 23): they hold only the rows
    no study reported (README line 20), no number and no recorded certainty."""
    evidence, assessment = _assessment()
    others = [o for o in assessment.outcomes if o.comparison != "iv-ketamine"]
    assert others
    assert all(o.form == "none" and o.certainty is None for o in others)
    for comparison in COMPARISONS[1:]:
        names = sorted(o.name for o in evidence.outcomes if o.comparison == comparison)
        assert names == ["Depressive symptoms", "Opioid use"]
    assert all(o.recorded_certainty is None for o in evidence.outcomes if o.comparison != "iv-ketamine")
