"""The Summary-of-Findings table as GitHub-flavoured Markdown, for pull requests, Quarto and wikis.

The cells come from :func:`gradecli.report.sof.build`, as for every other format. Text from the
evidence file is escaped: Markdown punctuation is backslash-escaped, ``|`` cannot end a cell, and
``<``/``>`` become entities so a file cannot smuggle raw HTML into a rendered page, ``@name``
cannot mention anyone and control characters are shown escaped (:func:`gradecli.escape.markdown`).
"""

from __future__ import annotations

from gradecli.escape import markdown
from gradecli.grade.assessment import Assessment
from gradecli.report.sof import DEFINITIONS, Sof, build


def escape(text: str) -> str:
    """Escape text for a Markdown paragraph or table cell; line breaks become ``<br>`` (see
    :func:`gradecli.escape.markdown`)."""
    return markdown(text)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(sof: Sof) -> list[str]:
    """The table and its notes (statements, footnotes, abbreviations, analysis lines)."""
    out: list[str] = [f"## {escape(sof.title)}", ""]
    if sof.question_lines:
        out += [f"- {escape(line)}" for line in sof.question_lines]
        out.append("")
    header = [
        "Outcome",
        f"Risk with {escape(sof.comparator_name)}",
        f"Risk with {escape(sof.intervention_name)}",
        "Relative effect (95% CI)",
        "№ of participants (studies)",
        "Certainty (GRADE)",
        "Comments",
    ]
    out.append(_row(header))
    out.append("|" + "|".join("---" for _ in header) + "|")
    for row in sof.rows:
        name = f"**{escape(row.name)}**"
        if row.detail:
            name += f"<br>{escape(row.detail)}"
        if row.no_studies:
            out.append(_row([name, "", f"*{escape(row.intervention)}*", "", "0", "—", ""]))
            continue
        for sub in [row, *row.strata]:
            if sub is not row:
                name = f"↳ {escape(sub.name)}"
            certainty = "<br>".join(x for x in (sub.certainty_symbol, escape(sub.certainty_label)) if x)
            if sub.letters:
                certainty += f"<sup>{','.join(sub.letters)}</sup>"
            cells = [sub.comparator, sub.intervention, sub.relative, sub.participants]
            out.append(_row([name, *(escape(c) for c in cells), certainty, escape(sub.comments)]))
    out.append("")
    if sof.statements:
        out += ["**What it means** (GRADE guidance 26):", ""]
        out += [f"- **{escape(name)}:** {escape(text)}" for name, text in sof.statements]
        out.append("")
    if sof.footnotes:
        out += ["**Footnotes**", ""]
        out += [f"- <sup>{letter}</sup> {escape(note)}" for letter, note in sof.footnotes]
        out.append("")
    out.append(f"*{escape(' · '.join(sof.abbreviations))}.*")
    out.append("")
    if sof.analysis_lines:
        out += ["**Analysis and methods**", ""]
        out += [f"- {escape(line)}." for line in sof.analysis_lines]
        out.append("")
    return out


def _tail(rules: str, version: str) -> list[str]:
    out = [f"Rules: {escape(rules)} (gradecli {escape(version)}).", ""]
    out += ["**GRADE certainty of the evidence:**", ""]
    out += [f"- **{name}:** {escape(text)}" for name, text in DEFINITIONS]
    return out


def render(assessment: Assessment, comparison_id: str | None = None) -> str:
    """One table, or one per comparison (``comparison_id``: that one's only) under the review's title."""
    from gradecli.report.comparisons import after_table, parts

    tables = parts(assessment, comparison_id)
    if tables[0].comparison is None:
        sof = build(assessment)
        return "\n".join([*_table(sof), *_tail(sof.rules, sof.version)]) + "\n"
    out: list[str] = [f"# {escape(assessment.title)}", ""] if len(tables) > 1 else []
    for t in tables:
        out += _table(build(t.assessment))
        for line in after_table(t):
            out += [escape(line), ""]
    return "\n".join([*out, *_tail(assessment.rules, assessment.gradecli_version)]) + "\n"
