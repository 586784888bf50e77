"""Schema 1.2 in the renderers: provisional ratings, the methods line, baseline-risk strata as
sub-rows and the path of every proposal — in the Rich table, Markdown, HTML, CSV, the evidence
profile and ``assess --detail``. The assessments are built by hand (no engine), so these tests
pin what the renderers show for given fields, whatever the rules propose."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from rich.console import Console

from gradecli.commands.assess import _detail
from gradecli.grade.assessment import (
    AbsoluteEffect,
    Assessment,
    DomainAssessment,
    Effect,
    OutcomeAssessment,
    Proposal,
    Question,
    StratumAssessment,
    Target,
)
from gradecli.model.vocab import Certainty, Rating
from gradecli.report import csv_out, html, markdown, profile_table, rich_table

IMP_PATH = ["target: an important reduction (MID 10 fewer per 1,000)", "the 95% CI crosses the MID", "−1"]
HOSTILE = "=cmd|' /C calc'!A0 [bold]x[/bold]</td><script>alert(1)</script>| *y* \x1b[2J"


def domain(name: str, rating: Rating | None = Rating.not_serious, **proposal: Any) -> DomainAssessment:
    levels = {None: 0, Rating.not_serious: 0, Rating.serious: 1, Rating.very_serious: 2}[rating]
    return DomainAssessment(
        domain=name,
        proposal=Proposal(rating=rating, **proposal),
        rating=rating,
        levels=levels,
        status="not_assessed" if rating is None else "proposed",
    )


def domains(**given: DomainAssessment) -> list[DomainAssessment]:
    names = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")
    return [given.get(n, domain(n)) for n in names]


def target(line: str, *defaults: str) -> Target:
    return Target(
        kind="important_effect",
        direction="reduction",
        chosen_by="point_estimate",
        scale="absolute",
        unit="per 1,000",
        methods_line=line,
        defaults_used=list(defaults),
    )


def absolute(comparator: float, rr: float = 0.75, lb: float = 0.55, ub: float = 1.02) -> AbsoluteEffect:
    return AbsoluteEffect(
        comparator=comparator,
        intervention=comparator * rr,
        intervention_lb=comparator * lb,
        intervention_ub=comparator * ub,
        difference=comparator * (rr - 1),
        difference_lb=comparator * (lb - 1),
        difference_ub=comparator * (ub - 1),
    )


def stratum(label: str | None, risk: float, certainty: Certainty, imprecision: DomainAssessment) -> StratumAssessment:
    notes = [f"At {label}: imprecision note."] if imprecision.levels else []  # as the engine: the domain's footnote
    return StratumAssessment(
        label=label,
        assumed_risk=risk,
        absolute=absolute(risk * 1000),
        target=target(
            f"Certainty rated for: an important reduction (at a comparator risk of {risk * 1000:g} per 1,000)"
        ),
        imprecision=imprecision.model_copy(update={"footnote": notes[0] if notes else None}),
        certainty=certainty,
        statement=f"Drug X {'reduces' if certainty is Certainty.high else 'probably reduces'} mortality ({label}).",
        footnotes=notes,
    )


def stratified(low_label: str | None = "low risk", high_label: str | None = "high risk") -> OutcomeAssessment:
    low = stratum(low_label, 0.02, Certainty.high, domain("imprecision", path=["target: little or no effect", "0"]))
    serious = domain("imprecision", Rating.serious, rule="IMP-CROSS", path=IMP_PATH)
    high = stratum(high_label, 0.30, Certainty.moderate, serious)
    return OutcomeAssessment(
        id="mortality",
        name="Mortality",
        importance="critical",
        form="summary",
        measure="RR",
        effect=Effect(measure="RR", estimate=0.75, ci_lb=0.55, ci_ub=1.02, source="summary", k=8, participants=6000),
        domains=domains(imprecision=serious),
        certainty=Certainty.moderate,
        absolute=[low.absolute, high.absolute],
        strata=[low, high],
    )


def provisional(ceiling: Certainty | None = Certainty.moderate) -> OutcomeAssessment:
    return OutcomeAssessment(
        id="stroke",
        name="Stroke",
        importance="important",
        form="summary",
        measure="RR",
        effect=Effect(measure="RR", estimate=0.82, ci_lb=0.64, ci_ub=1.04, source="summary", k=6, participants=3100),
        domains=domains(risk_of_bias=domain("risk_of_bias", None), indirectness=domain("indirectness", None)),
        absolute=[absolute(120, 0.82, 0.64, 1.04)],
        computed_certainty=ceiling,
        certainty=None,
        provisional=True,
        missing_domains=["risk_of_bias", "indirectness"],
        certainty_ceiling=ceiling,
        not_assessed=["risk_of_bias", "indirectness"],
        footnotes=["Imprecision: crosses the null."],
    )


def rated() -> OutcomeAssessment:
    """An ordinary outcome: a certainty, a statement, a target with a default, one footnote."""
    path = ["OIS 3,000", "1,000 participants", "−2"]
    confirm = domain("imprecision", Rating.very_serious, rule="IMP-OIS", path=path, needs_confirmation=True)
    return OutcomeAssessment(
        id="pain",
        name="Pain",
        importance="critical",
        form="summary",
        measure="MD",
        effect=Effect(measure="MD", estimate=-12, ci_lb=-20, ci_ub=-4, source="pooled", method="random effects, REML"),
        domains=domains(imprecision=confirm),
        certainty=Certainty.low,
        statement="Drug X may reduce pain.",
        target=target("Certainty rated for: an important reduction (MID 10 points)", "MID 10 points (rule set)"),
        footnotes=["Pain: first note."],
    )


def assessment(*outcomes: OutcomeAssessment) -> Assessment:
    question = Question(population="Adults", intervention="Drug X", comparison="Placebo")
    return Assessment(gradecli_version="test", rules="default", title="T", question=question, outcomes=list(outcomes))


def rich(a: Assessment, width: int = 400, render: Callable[[Assessment, Console], None] = rich_table.render) -> str:
    buffer = io.StringIO()
    render(a, Console(file=buffer, width=width, color_system=None, highlight=False))
    return buffer.getvalue()


def md_rows(text: str) -> list[list[str]]:
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", line[1:-1])] for line in rows[1:]]  # without the header


def csv_records(a: Assessment) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_out.render(a), newline="")))


class Cells(HTMLParser):
    """The text of every table row, cell by cell, with each row's class."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[str, list[str]]] = []
        self.tags: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append((dict(attrs).get("class") or "", []))
        elif tag in ("td", "th") and self.rows:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1][1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_rows(a: Assessment) -> tuple[str, Cells]:
    page = html.render(a)
    parser = Cells()
    parser.feed(page)
    body = [(cls, cells) for cls, cells in parser.rows if len(cells) == 7]
    parser.rows = body
    return page, parser


# --- provisional ratings ------------------------------------------------------------------------


def test_provisional_markdown_has_no_symbols_no_statement_and_says_what_is_missing() -> None:
    text = markdown.render(assessment(rated(), provisional()))
    pain, stroke = md_rows(text)
    assert "⊕" in pain[5] and "LOW" in pain[5]
    assert "⊕" not in stroke[5] and "◯" not in stroke[5]
    assert stroke[5].startswith("Not yet rated (at most Moderate)")
    assert stroke[6] == "Provisional: risk of bias, indirectness not assessed."
    statements = text.split("**What it means**")[1].split("**Footnotes**")[0]
    assert "Pain" in statements and "Stroke" not in statements


def test_provisional_without_a_ceiling_is_just_not_yet_rated() -> None:
    row = md_rows(markdown.render(assessment(provisional(ceiling=None))))[0]
    assert row[5].startswith("Not yet rated") and "at most" not in row[5]


def test_provisional_rich_html_and_csv() -> None:
    a = assessment(provisional())
    out = rich(a)
    assert "Not yet rated (at most Moderate) a" in out and "⊕" not in out
    assert "Provisional: risk of bias, indirectness not assessed." in out
    assert "What it means" not in out
    narrow = rich(a, width=90)
    assert "Certainty (GRADE): Not yet rated (at most Moderate) a" in narrow and "⊕" not in narrow
    assert "Comments: Provisional: risk of bias, indirectness not assessed." in narrow
    page, cells = html_rows(a)
    (_, row), *_ = cells.rows
    assert row[5] == "Not yet rated (at most Moderate) a" and "⊕" not in page.split("<tbody>")[1].split("</tbody>")[0]
    assert "What it means" not in page
    (record,) = csv_records(a)
    assert record["certainty"] == "" and record["provisional"] == "true"
    assert record["certainty_ceiling"] == "moderate" and record["missing_domains"] == "risk_of_bias;indirectness"
    assert record["statement"] == "" and record["risk_of_bias"] == "not_assessed"


def test_a_rated_outcome_is_not_provisional_in_csv() -> None:
    (record,) = csv_records(assessment(rated()))
    assert (record["certainty"], record["provisional"], record["certainty_ceiling"]) == ("low", "false", "")


# --- methods line -----------------------------------------------------------------------------------


def test_methods_line_in_every_format() -> None:
    a = assessment(rated(), stratified())
    line = (
        "Pain: random effects, REML. Certainty rated for: an important reduction (MID 10 points); "
        "default: MID 10 points (rule set)"
    )
    strata = "Mortality: as reported. Low risk (20 per 1,000): Certainty rated for: an important reduction"
    text = markdown.render(a)
    assert f"- {line}." in text and strata in text
    assert rich(a).count(f"  {line}.\n") == 1
    assert f"<li>{line}.</li>" in html.render(a)
    records = csv_records(a)
    assert (
        records[0]["target"]
        == "Certainty rated for: an important reduction (MID 10 points); default: MID 10 points (rule set)"
    )
    assert records[1]["target"] == ""  # the stratified outcome: each stratum has its own target
    assert records[2]["target"].endswith("(at a comparator risk of 20 per 1,000)")


# --- baseline-risk strata -----------------------------------------------------------------------


def test_two_strata_are_two_markdown_sub_rows_with_their_own_certainty_and_statement() -> None:
    text = markdown.render(assessment(rated(), stratified()))
    rows = md_rows(text)
    assert all(len(r) == 7 for r in rows)
    _, outcome, low, high = rows
    assert (
        outcome[0] == "**Mortality**"
        and outcome[3] == "RR 0.75<br>(0.55 to 1.02)"
        and outcome[4] == "6,000 (8 studies)"
    )
    assert outcome[1] == outcome[2] == ""  # the absolute effects are on the sub-rows
    assert low[0] == "↳ Low risk: 20 per 1,000" and high[0] == "↳ High risk: 300 per 1,000"
    assert low[1] == "20 per 1,000" and low[2] == "15 per 1,000 (11 to 20)<br>5 fewer per 1,000 (9 fewer to 0 more)"
    assert high[2] == "225 per 1,000 (165 to 306)<br>75 fewer per 1,000 (135 fewer to 6 more)"
    assert low[3] == low[4] == high[3] == high[4] == ""  # relative effect and participants: once
    assert low[5] == "⊕⊕⊕⊕<br>HIGH" and high[5] == "⊕⊕⊕◯<br>MODERATE<sup>b</sup>"  # "a" is Pain's footnote
    assert "- <sup>b</sup> At high risk: imprecision note." in text
    assert "- **Mortality — low risk (20 per 1,000):** Drug X reduces mortality (low risk)." in text
    assert "- **Mortality — high risk (300 per 1,000):** Drug X probably reduces mortality (high risk)." in text
    assert "see JSON" not in text and "more risk group" not in text


def test_two_strata_in_rich_table_and_blocks() -> None:
    a = assessment(stratified())
    out = rich(a)
    lines = out.splitlines()
    low = next(i for i, line in enumerate(lines) if "↳ Low risk: 20 per 1,000" in line)
    high = next(i for i, line in enumerate(lines) if "↳ High risk: 300 per" in line)
    assert low < high
    assert "⊕⊕⊕⊕" in lines[low] and "HIGH" in lines[low + 1]
    assert "⊕⊕⊕◯" in lines[high] and "MODERATE a" in lines[high + 1]
    assert "Mortality — low risk (20 per 1,000): Drug X reduces mortality (low risk)." in out
    assert "Mortality — high risk (300 per 1,000): Drug X probably reduces mortality (high risk)." in out
    assert "see JSON" not in out
    narrow = rich(a, width=100)
    assert "  ↳ Low risk: 20 per 1,000\n    Risk with Placebo: 20 per 1,000\n" in narrow
    assert "    Certainty (GRADE): ⊕⊕⊕⊕ HIGH\n" in narrow and "    Certainty (GRADE): ⊕⊕⊕◯ MODERATE a\n" in narrow


def test_two_strata_in_html() -> None:
    page, cells = html_rows(assessment(stratified()))
    assert [cls for cls, _ in cells.rows] == ["", "stratum", "stratum"]
    outcome, low, high = (row for _, row in cells.rows)
    assert outcome[0] == "Mortality" and outcome[3] == "RR 0.75(0.55 to 1.02)" and outcome[4] == "6,000 (8 studies)"
    assert low[0] == "↳ Low risk: 20 per 1,000" and low[5] == "⊕⊕⊕⊕HIGH" and low[3] == low[4] == ""
    assert high[0] == "↳ High risk: 300 per 1,000" and high[5] == "⊕⊕⊕◯MODERATE a"
    assert (
        "<li><b>Mortality — high risk (300 per 1,000):</b> Drug X probably reduces mortality (high risk).</li>" in page
    )
    assert page.count('<th scope="row">') == 3


def test_two_strata_in_csv() -> None:
    records = csv_records(assessment(stratified()))
    assert [(r["outcome_id"], r["stratum"]) for r in records] == [
        ("mortality", ""),
        ("mortality", "low risk"),
        ("mortality", "high risk"),
    ]
    outcome, low, high = records
    assert outcome["estimate"] == "0.75" and outcome["participants"] == "6000" and outcome["comparator_risk"] == ""
    assert outcome["certainty"] == "moderate" and outcome["statement"] == ""
    assert low["estimate"] == "" and float(low["comparator_risk"]) == 20 and float(low["risk_difference"]) == -5
    assert float(high["intervention_risk"]) == 225 and high["per"] == "1000"
    assert (low["certainty"], high["certainty"]) == ("high", "moderate")
    assert (low["imprecision"], high["imprecision"]) == ("not_serious", "serious")
    assert (
        low["statement"] == "Drug X reduces mortality (low risk)."
        and high["footnotes"] == "a: At high risk: imprecision note."
    )


def test_one_stratum_is_no_sub_row() -> None:
    o = stratified().model_copy(update={"strata": stratified().strata[:1]})
    rows = md_rows(markdown.render(assessment(o)))
    assert len(rows) == 1 and rows[0][1] == "20 per 1,000"
    assert len(csv_records(assessment(o))) == 1


def test_a_stratum_without_a_label_is_named_by_its_risk() -> None:
    text = markdown.render(assessment(stratified(None, "high risk")))
    assert "| ↳ Assumed risk: 20 per 1,000 |" in text
    assert "**Mortality — assumed risk (20 per 1,000):**" in text


def test_a_provisional_stratum() -> None:
    o = stratified()
    low = o.strata[0].model_copy(
        update={"certainty": None, "provisional": True, "certainty_ceiling": Certainty.low, "statement": None}
    )
    o = o.model_copy(update={"strata": [low, o.strata[1]]})
    rows = md_rows(markdown.render(assessment(o)))
    assert rows[1][5] == "Not yet rated (at most Low)"
    records = csv_records(assessment(o))
    assert (records[1]["certainty"], records[1]["provisional"], records[1]["certainty_ceiling"]) == ("", "true", "low")


def test_evidence_profile_shows_imprecision_and_certainty_per_stratum() -> None:
    a = assessment(stratified())
    out = rich(a, render=profile_table.render_table)
    assert "Low risk: not serious" in out and "High risk: serious a" in out
    assert "Low risk: ⊕⊕⊕⊕ HIGH" in out and "High risk: ⊕⊕⊕◯" in out
    assert "a At high risk: imprecision note." in out
    blocks = rich(a, render=profile_table.render_blocks, width=129)
    assert "Imprecision:  Low risk: not serious; High risk: serious (a)" in blocks
    assert "Certainty: Low risk: ⊕⊕⊕⊕ HIGH; High risk: ⊕⊕⊕◯ MODERATE" in blocks


def test_evidence_profile_provisional() -> None:
    out = rich(assessment(provisional()), render=profile_table.render_table)
    assert "Not yet rated (at most" in out and "⊕" not in out
    blocks = rich(assessment(provisional()), render=profile_table.render_blocks, width=129)
    assert (
        "Certainty: Not yet rated (at most Moderate) — Provisional: risk of bias, indirectness not assessed." in blocks
    )


# --- the path of every proposal -------------------------------------------------------------------


def detail(a: Assessment) -> str:
    buffer = io.StringIO()
    _detail(a, Console(file=buffer, width=400, color_system=None, highlight=False))
    return buffer.getvalue()


def test_detail_prints_every_path_and_marks_proposals_to_confirm() -> None:
    out = detail(assessment(rated(), stratified(), provisional()))
    assert "path: OIS 3,000 → 1,000 participants → −2 (needs the reviewer's confirmation)" in out
    assert "path: " + " → ".join(IMP_PATH) + "\n" in out  # no confirmation needed
    assert "    High risk (300 per 1,000): serious [IMP-CROSS]\n      path: " + " → ".join(IMP_PATH) in out
    assert "    Low risk (20 per 1,000): not serious\n      path: target: little or no effect → 0" in out
    assert "certainty: not yet rated (at most moderate)" in out and "certainty: low" in out


def test_detail_does_not_ask_to_confirm_what_the_reviewer_confirmed() -> None:
    o = rated()
    d = o.domains[3].model_copy(update={"status": "confirmed"})
    out = detail(assessment(o.model_copy(update={"domains": [*o.domains[:3], d, o.domains[4]]})))
    assert "path: OIS 3,000 → 1,000 participants → −2\n" in out and "confirmation" not in out


def test_profile_shows_the_paths() -> None:
    a = assessment(rated(), stratified())
    out = rich(a, render=profile_table.render_table)
    section = out.split("How each proposal was reached:")[1]
    assert "imprecision: OIS 3,000 → 1,000 participants → −2 (needs the reviewer's confirmation)" in section
    assert "imprecision (high risk): " + " → ".join(IMP_PATH) in section
    blocks = rich(a, render=profile_table.render_blocks, width=129)
    assert "High risk: " + " → ".join(IMP_PATH) in blocks


# --- hostile text in a stratum label ----------------------------------------------------------------


@pytest.fixture
def hostile() -> Assessment:
    return assessment(stratified(HOSTILE, "high risk"))


def test_hostile_stratum_label_in_the_terminal(hostile: Assessment) -> None:
    for out in (
        rich(hostile),
        rich(hostile, width=100),
        rich(hostile, render=profile_table.render_table),
        rich(hostile, render=profile_table.render_blocks, width=129),
        detail(hostile),
    ):
        assert "\x1b" not in out
        assert "[bold]x[/bold]" in out  # Rich markup shown, not interpreted
        assert "\\x1b[2J" in out


def test_hostile_stratum_label_in_markdown(hostile: Assessment) -> None:
    text = markdown.render(hostile)
    assert "<script" not in text and "</td>" not in text and "\x1b" not in text
    assert all(len(r) == 7 for r in md_rows(text))  # the label's | does not break the row
    sub = md_rows(text)[1][0]
    assert sub.startswith("↳ =cmd\\|' /C calc'!A0 \\[bold\\]x\\[/bold\\]&lt;/td&gt;&lt;script&gt;")
    assert "\\| \\*y\\*" in sub


def test_hostile_stratum_label_in_html(hostile: Assessment) -> None:
    page, cells = html_rows(hostile)
    assert "<script" not in page and "\x1b" not in page
    assert "&lt;/td&gt;&lt;script&gt;" in page
    assert "script" not in cells.tags
    assert [len(row) for _, row in cells.rows] == [7, 7, 7]
    assert cells.rows[1][1][0].startswith("↳ =cmd|' /C calc'!A0 [bold]x[/bold]</td><script>")  # shown as text


def test_hostile_stratum_label_in_csv(hostile: Assessment) -> None:
    records = csv_records(hostile)
    assert records[1]["stratum"].startswith("'=cmd|")
    assert "\x1b" not in records[1]["stratum"] and "\\x1b" in records[1]["stratum"]
    assert records[0]["stratum"] == "" and records[2]["stratum"] == "high risk"
