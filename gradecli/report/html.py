"""The Summary-of-Findings table as one self-contained HTML page (Cochrane / GRADEpro layout).

Guarantees (tested): the page needs nothing but itself — inline CSS, no scripts, no fonts, images
or style sheets from elsewhere, and a Content-Security-Policy that forbids loading any; every piece
of text from the evidence file goes through :func:`html.escape` (evidence files are untrusted
input); the markup is accessible (``lang``, ``<caption>``, ``<th scope>``, certainty symbols
hidden from screen readers in favour of the level in words) and prints on A4 landscape.
The cells come from :func:`gradecli.report.sof.build`, as for every other format.
"""

from __future__ import annotations

import re
from html import escape as _html_escape

from gradecli.escape import xml_text
from gradecli.grade.assessment import Assessment
from gradecli.report.sof import DEFINITIONS, Row, Sof, build

LEVEL_CLASS = {"HIGH": "high", "MODERATE": "moderate", "LOW": "low", "VERY LOW": "very-low"}
MARK_CLASS = {"⊕": "on", "◯": "off"}  # ◯ is drawn larger than ⊕ in most fonts; .off evens them out
_LABEL = re.compile(r"(^|· )(Population|Setting|Intervention|Comparison):")


def escape(text: str, quote: bool = True) -> str:
    """:func:`html.escape` (quotes too: safe in an attribute) of text from the evidence file, after
    the characters HTML and XML cannot hold are shown escaped (:func:`gradecli.escape.xml_text`).
    A carriage return is shown escaped too (``\\r``): HTML would fold it into a line break, and a raw
    one in the page splits the lines of anything that reads the file line by line."""
    return _html_escape(xml_text(text).replace("\r", "\\r"), quote=quote)


CSS = """
:root { --ink: #1b1f24; --muted: #4a5561; --rule: #9aa7b4; --head: #e4ebf2; --band: #0b3a63; }
* { box-sizing: border-box; }
html { color: var(--ink); background: #fff; }
body { margin: 24px auto; max-width: 1240px; padding: 0 20px;
  font: 14px/1.4 "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
table.sof { width: 100%; border-collapse: collapse; border: 1px solid var(--band); }
table.sof caption { text-align: left; caption-side: top; }
.band { display: block; background: var(--band); color: #fff; padding: 8px 12px; font-weight: 600;
  font-size: 16px; border: 1px solid var(--band); }
.band .kicker { display: block; font-size: 12px; font-weight: 400; letter-spacing: .04em;
  text-transform: uppercase; color: #d6e4f0; }
.question { display: block; border: 1px solid var(--band); border-bottom: 0; padding: 6px 12px; }
.question span { display: block; }
table.sof th, table.sof td { border: 1px solid var(--rule); padding: 6px 8px; vertical-align: top;
  text-align: left; }
table.sof thead th { background: var(--head); font-weight: 600; vertical-align: bottom; }
table.sof thead th.group { text-align: center; vertical-align: middle; }
table.sof tbody th { font-weight: 400; }
.outcome { display: block; font-weight: 600; }
tr.stratum th { padding-left: 18px; }
.detail { display: block; color: var(--muted); font-size: 12.5px; }
.num { white-space: nowrap; }
td.none { font-style: italic; color: var(--muted); }
.symbols { display: block; font: 17px/1.2 "DejaVu Sans", "Segoe UI Symbol", "Apple Symbols", sans-serif;
  letter-spacing: 1px; white-space: nowrap; }
.symbols .off { font-size: 0.8em; vertical-align: 0.06em; }
.level { font-weight: 700; }
.level.high { color: #1b5e20; } .level.moderate { color: #2e6b1f; }
.level.low { color: #7a4f00; } .level.very-low { color: #a31515; } .level.none { color: var(--muted); }
sup { font-size: 11px; line-height: 0; }
sup a { color: inherit; text-decoration: none; }
.notes { margin-top: 14px; font-size: 13px; }
.notes h2 { font-size: 13px; margin: 12px 0 4px; }
.notes ul, .notes ol { margin: 0; padding: 0; list-style: none; }
.notes li { margin: 2px 0; padding-left: 1.4em; text-indent: -1.4em; }
.fn { display: inline-block; width: 1.4em; text-indent: 0; font-weight: 700; }
.notes dl { margin: 0; }
.notes dt { font-weight: 700; float: left; margin-right: .4em; }
.notes dd { margin: 0 0 2px; }
.notes p { margin: 6px 0; }
.meta { color: var(--muted); }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { margin: 0; max-width: none; padding: 0; font-size: 9pt; }
  .band, table.sof thead th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  table.sof tr { break-inside: avoid; }
  .notes { font-size: 8pt; }
  .symbols { font-size: 12pt; }
}
""".strip()


def _text(value: str) -> str:
    """Escape text from the evidence file; line breaks become ``<br>``."""
    return "<br>".join(escape(line) for line in value.split("\n"))


def _question(line: str) -> str:
    return _LABEL.sub(lambda m: f"{m.group(1)}<b>{m.group(2)}:</b>", escape(line))


def _certainty(row: Row, fn: str = "fn-") -> str:
    """Symbols (hidden from screen readers), the level in words and the footnote links."""
    level = LEVEL_CLASS.get(row.certainty_label, "none")
    marks = "".join(f'<span class="{MARK_CLASS.get(c, "on")}">{escape(c)}</span>' for c in row.certainty_symbol)
    out = f'<span class="symbols" aria-hidden="true">{marks}</span>' if marks else ""
    out += f'<span class="level {level}">{escape(row.certainty_label)}</span>'
    if row.letters:
        links = ",".join(f'<a href="#{fn}{x}" aria-label="footnote {x}">{x}</a>' for x in row.letters)
        out += f" <sup>{links}</sup>"
    return out


COMPARISON_CSS = """
h1 { font-size: 20px; margin: 0 0 10px; }
nav.toc { margin: 0 0 18px; font-size: 14px; }
nav.toc ol { margin: 4px 0; padding-left: 1.4em; }
section.comparison { margin-bottom: 30px; }
p.others { font-size: 13px; }
@media print { section.comparison + section.comparison { break-before: page; } }
""".strip()


def _head(title: str, version: str, css: str = CSS) -> list[str]:
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f'<meta name="generator" content="gradecli {escape(version)}">',
        f"<title>Summary of findings: {escape(title)}</title>",
        f"<style>\n{css}\n</style>",
        "</head>",
        "<body>",
        "<main>",
    ]


def _table(sof: Sof, fn: str = "fn-") -> list[str]:
    out: list[str] = [
        '<table class="sof">',
        "<caption>",
        f'<span class="band"><span class="kicker">Summary of findings</span>{escape(sof.title)}</span>',
    ]
    if sof.question_lines:
        out.append('<span class="question">')
        out += [f"<span>{_question(line)}</span>" for line in sof.question_lines]
        out.append("</span>")
    out += [
        "</caption>",
        "<colgroup>",
        *(f'<col style="width:{w}%">' for w in (18, 12, 17, 11, 11, 12, 19)),
        "</colgroup>",
        "<thead>",
        "<tr>",
        '<th scope="col" rowspan="2">Outcomes</th>',
        '<th scope="colgroup" colspan="2" class="group">Anticipated absolute effects (95% CI)</th>',
        '<th scope="col" rowspan="2">Relative effect<br>(95% CI)</th>',
        '<th scope="col" rowspan="2">№ of participants<br>(studies)</th>',
        '<th scope="col" rowspan="2">Certainty of the evidence<br>(GRADE)</th>',
        '<th scope="col" rowspan="2">Comments</th>',
        "</tr>",
        "<tr>",
        f'<th scope="col">Risk with {escape(sof.comparator_name)}</th>',
        f'<th scope="col">Risk with {escape(sof.intervention_name)}</th>',
        "</tr>",
        "</thead>",
        "<tbody>",
    ]
    for row in sof.rows:
        name = f'<span class="outcome">{escape(row.name)}</span>'
        if row.detail:
            name += f'<span class="detail">{escape(row.detail)}</span>'
        out += ["<tr>", f'<th scope="row">{name}</th>']
        if row.no_studies:
            out += [
                f'<td colspan="3" class="none">{_text(row.intervention)}</td>',
                '<td class="num">0</td>',
                '<td><span class="level none">—</span></td>',
                "<td></td>",
                "</tr>",
            ]
            continue
        for sub in [row, *row.strata]:
            if sub is not row:
                name = f'<span class="stratum">↳ {escape(sub.name)}</span>'
                out += ['<tr class="stratum">', f'<th scope="row">{name}</th>']
            out += [
                f"<td>{_text(sub.comparator)}</td>",
                f"<td>{_text(sub.intervention)}</td>",
                f"<td>{_text(sub.relative)}</td>",
                f"<td>{_text(sub.participants)}</td>",
                f"<td>{_certainty(sub, fn)}</td>",
                f"<td>{_text(sub.comments)}</td>",
                "</tr>",
            ]
    out += ["</tbody>", "</table>"]
    return out


def _notes(sof: Sof, fn: str = "fn-") -> list[str]:
    """What the table's notes hold: statements, footnotes, abbreviations, the analysis lines."""
    out: list[str] = []
    if sof.statements:
        out += ["<h2>What it means (GRADE guidance 26)</h2>", "<ul>"]
        out += [f"<li><b>{escape(name)}:</b> {_text(text)}</li>" for name, text in sof.statements]
        out.append("</ul>")
    if sof.footnotes:
        out += ["<h2>Footnotes</h2>", "<ol>"]
        out += [
            f'<li id="{fn}{letter}"><span class="fn">{letter}</span>{_text(note)}</li>'
            for letter, note in sof.footnotes
        ]
        out.append("</ol>")
    out.append(f'<p class="meta">{escape(" · ".join(sof.abbreviations))}.</p>')
    if sof.analysis_lines:
        out += ["<h2>Analysis and methods</h2>", '<ul class="meta">']
        out += [f"<li>{escape(line)}.</li>" for line in sof.analysis_lines]
        out.append("</ul>")
    return out


def _definitions(rules: str, version: str) -> list[str]:
    out = ["<h2>GRADE Working Group grades of evidence</h2>", "<dl>"]
    for name, text in DEFINITIONS:
        out += [f"<dt>{name} certainty:</dt>", f"<dd>{escape(text[:1].upper() + text[1:])}</dd>"]
    out += ["</dl>", f'<p class="meta">Rules: {escape(rules)} (gradecli {escape(version)}).</p>']
    return out


def render(assessment: Assessment, comparison_id: str | None = None) -> str:
    """The page: one table, or with ``comparisons`` one table per comparison under a table of
    contents (``comparison_id``: that comparison's only)."""
    from gradecli.report.comparisons import after_table, parts

    tables = parts(assessment, comparison_id)
    if tables[0].comparison is None:
        sof = build(assessment)
        out = [*_head(sof.title, sof.version), *_table(sof), '<div class="notes">', *_notes(sof)]
        out += [*_definitions(sof.rules, sof.version), "</div>", "</main>", "</body>", "</html>"]
        return "\n".join(out) + "\n"
    out = _head(assessment.title, assessment.gradecli_version, CSS + "\n" + COMPARISON_CSS)
    if len(tables) > 1:
        out += [f"<h1>{escape(assessment.title)}</h1>", '<nav class="toc" aria-label="Comparisons">', "<ol>"]
        out += [f'<li><a href="#comparison-{t.slug}">{escape(t.assessment.title)}</a></li>' for t in tables]
        out += ["</ol>", "</nav>"]
    for t in tables:
        sof = build(t.assessment)
        fn = f"fn-{t.slug}-"
        out += [f'<section class="comparison" id="comparison-{t.slug}">', *_table(sof, fn), '<div class="notes">']
        out += _notes(sof, fn)
        out += [f'<p class="others">{escape(line)}</p>' for line in after_table(t)]
        out += ["</div>", "</section>"]
    out += ['<div class="notes">', *_definitions(assessment.rules, assessment.gradecli_version), "</div>"]
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
