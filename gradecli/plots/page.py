"""``gradecli report``: one self-contained HTML page — the Summary-of-Findings table (from
:mod:`gradecli.report.html`), the GRADE evidence profile, each outcome's forest plot with the
reasons for its ratings, and the risk-of-bias figures.

The page keeps the guarantees of the HTML table (docs/report-formats.md): no scripts, nothing
loaded from anywhere (the figures are inline SVG; a Content-Security-Policy of ``default-src
'none'`` forbids loading anything), every text from the evidence file escaped, A4 printing.
The SVG namespaces and RDF metadata matplotlib writes are dropped (HTML needs neither), so the
page holds no ``http(s)://`` address at all unless the evidence file itself gives one.
"""

from __future__ import annotations

import re

from gradecli.grade.assessment import DOMAIN_NAMES, Assessment
from gradecli.plots.data import PlotDataError, forest_data, limit_rows, rob_data, too_many_for_traffic_light
from gradecli.plots.forest_svg import CSS as FOREST_CSS
from gradecli.plots.forest_svg import forest_svg
from gradecli.plots.output import figure_bytes, svg_fragment
from gradecli.plots.rob import rob_figure
from gradecli.report.html import escape  # html.escape after gradecli.escape.xml_text
from gradecli.report.html import render as render_sof
from gradecli.report.sof import capitalise, certainty_cells, provisional_comment, stratum_name
from gradecli.report.text import domain_cell, effect_text, path_text, upgrade_text

EXTRA_CSS = """
section.part { margin-top: 28px; }
section.part > h2 { font-size: 17px; border-bottom: 2px solid var(--band); padding-bottom: 4px; margin: 0 0 10px; }
section.outcome-detail { margin-top: 22px; break-inside: avoid-page; }
section.outcome-detail h3 { font-size: 15px; margin: 0 0 6px; }
figure.plot { margin: 8px 0; overflow-x: auto; }
figure.plot svg { max-width: 100%; height: auto; display: block; }
figure.plot figcaption { font-size: 12.5px; color: var(--muted); }
table.profile { width: 100%; border-collapse: collapse; font-size: 13px; }
table.profile th, table.profile td { border: 1px solid var(--rule); padding: 5px 7px; text-align: left;
  vertical-align: top; }
table.profile thead th { background: var(--head); font-weight: 600; }
ul.reasons { margin: 6px 0; padding-left: 1.2em; font-size: 13px; }
ul.reasons li { margin: 2px 0; }
.rule { color: var(--muted); font-size: 12px; }
@media print {
  section.part { break-before: page; }
  section.outcome-detail, figure.plot { break-inside: avoid; }
  figure.plot { overflow: visible; }
}
""".strip()

_SVG_CLEAN = (
    (re.compile(r"<metadata>.*?</metadata>\s*", re.S), ""),
    (re.compile(r'\s+xmlns(:\w+)?="[^"]*"'), ""),
    (re.compile(r"xlink:href="), "href="),
)


def inline_svg(svg: bytes) -> str:
    """matplotlib's SVG as inline HTML markup: no XML prolog, namespaces or RDF metadata."""
    text = svg_fragment(svg)
    for pattern, repl in _SVG_CLEAN:
        text = pattern.sub(repl, text)
    return text.strip()


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "outcome"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug


def _profile(assessment: Assessment) -> list[str]:
    heads = [
        "Outcome",
        "Effect (95% CI)",
        "№ (studies)",
        *(
            DOMAIN_NAMES[d].capitalize()
            for d in ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")
        ),
        "Certainty",
        "Importance",
    ]
    out = [
        '<table class="profile">',
        '<caption class="meta">GRADE evidence profile: one column per domain '
        "(the reasons are under each outcome below).</caption>",
        "<thead><tr>",
    ]
    out += [f'<th scope="col">{escape(h)}</th>' for h in heads]
    out.append("</tr></thead><tbody>")
    for o in assessment.outcomes:
        cells = [f'<th scope="row">{escape(o.name)}</th>', f"<td>{escape(effect_text(o))}</td>"]
        if o.form == "none":
            cells += ["<td>0</td>", *["<td></td>"] * 5, "<td>—</td>"]
        else:
            e = o.effect
            n = f"{e.participants:,}" if e and e.participants is not None else "not reported"
            k = f" ({e.k})" if e and e.k is not None else ""
            cells.append(f'<td class="num">{escape(n + k)}</td>')
            cells += [f"<td>{escape(domain_cell(d))}</td>" for d in o.domains]
            symbols, label = certainty_cells(o.certainty, o.provisional, o.certainty_ceiling)
            cells.append(f"<td>{escape(f'{symbols} {label}'.strip())}</td>")
        cells.append(f"<td>{escape(o.importance)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return out


def _reasons(o) -> list[str]:  # type: ignore[no-untyped-def]
    out = ['<ul class="reasons">']
    for d in o.domains:
        rating = d.rating.value.replace("_", " ") if d.rating else "not assessed"
        why = d.reviewer_reason or d.proposal.explanation or ""
        status = "" if d.status in ("proposed", "not_assessed") else f" ({d.status.replace('_', ' ')})"
        rule = f' <span class="rule">[{escape(d.proposal.rule)}]</span>' if d.proposal.rule else ""
        path = path_text(d)
        out.append(
            f"<li><b>{escape(DOMAIN_NAMES.get(d.domain, d.domain).capitalize())}:</b> {escape(rating)}{status}"
            + (f" — {escape(why)}" if why else "")
            + f"{rule}"
            + (f'<br><span class="rule">{escape(path)}</span>' if path and not o.strata else "")
            + "</li>"
        )
    for st in o.strata:
        label, risk = stratum_name(st)
        d = st.imprecision
        rating = d.rating.value.replace("_", " ") if d.rating else "not assessed"
        symbols, cert = certainty_cells(st.certainty, st.provisional, st.certainty_ceiling)
        path = path_text(d)
        out.append(
            f"<li><b>{escape(capitalise(label))} ({escape(risk)}):</b> imprecision {escape(rating)}; "
            f"certainty {escape(f'{symbols} {cert}'.strip())}"
            + (f'<br><span class="rule">{escape(path)}</span>' if path else "")
            + "</li>"
        )
    for u in o.upgrades:
        if u.levels or u.proposed_levels:
            out.append(
                f"<li><b>{escape(DOMAIN_NAMES.get(u.domain, u.domain).capitalize())}:</b> "
                f"{escape(upgrade_text(u))}</li>"
            )
    if o.certainty is not None or o.provisional:
        symbols, label = certainty_cells(o.certainty, o.provisional, o.certainty_ceiling)
        missing = f" — {provisional_comment(o.missing_domains, o.disagreements)}" if o.provisional else ""
        out.append(f"<li><b>Certainty:</b> {escape(f'{symbols} {label}'.strip() + missing)}</li>")
    out.append("</ul>")
    if o.footnotes:
        out.append('<div class="notes"><ol>')
        out += [f"<li>{escape(note)}</li>" for note in o.footnotes]
        out.append("</ol></div>")
    return out


def render(assessment: Assessment) -> str:
    """The whole page (ends in a newline)."""
    page = render_sof(assessment)
    used: set[str] = set()
    from gradecli.report.comparisons import parts

    tables = parts(assessment)
    body: list[str] = ['<section class="part" id="profile">', "<h2>Evidence profile</h2>"]
    if tables[0].comparison is None:
        body += _profile(assessment)
    else:  # one profile per comparison, with every outcome of it (the table's rows and the others)
        for t in tables:
            whole = t.assessment.model_copy(update={"outcomes": [*t.assessment.outcomes, *t.others]})
            body += [f"<h3>{escape(t.assessment.title)}</h3>", *_profile(whole)]
    body += ["</section>", '<section class="part" id="outcomes">', "<h2>Outcomes: forest plots and reasons</h2>"]
    titles = {c.id: c.title for c in assessment.comparisons}
    current: str | None = None
    for oa in assessment.outcomes:
        if oa.comparison is not None and oa.comparison != current:
            current = oa.comparison
            body.append(f'<h3 class="comparison">{escape(titles.get(current, current))}</h3>')
        slug = _slug(oa.id, used)
        body += [f'<section class="outcome-detail" id="outcome-{slug}">', f"<h3>{escape(oa.name)}</h3>"]
        if oa.form == "studies":
            try:
                data = forest_data(oa, assessment.studies)
            except PlotDataError as exc:
                body.append(f'<p class="meta">{escape(str(exc))}</p>')
            else:
                body += [
                    f'<figure class="plot" role="group" aria-label="Forest plot: {escape(oa.name, quote=True)}">',
                    forest_svg(limit_rows(data), id_prefix=f"{slug}-"),
                    f"<figcaption>Forest plot: {escape(oa.name)}. Squares: study estimates (area by weight) with "
                    "95% CIs; diamond: pooled estimate; bar: prediction interval; dashed lines: the thresholds "
                    "the certainty was judged against.</figcaption>",
                    "</figure>",
                ]
        elif oa.form == "summary":
            body.append('<p class="meta">A published summary result: no per-study data to plot.</p>')
        else:
            body.append('<p class="meta">No study reported this outcome.</p>')
        if oa.form != "none":
            body += _reasons(oa)
        body.append("</section>")
    body.append("</section>")
    blocks = rob_data(assessment)
    body += ['<section class="part" id="risk-of-bias">', "<h2>Risk of bias</h2>"]
    if blocks:
        too_many = too_many_for_traffic_light(blocks)
        svg = figure_bytes(rob_figure(blocks, kind="summary" if too_many else "both", id_prefix="all-"), "svg")
        what = (
            f"summary, share of studies; the traffic-light plot is left out: {too_many}"
            if too_many
            else "traffic-light plot and summary, share of studies"
        )
        body += [
            '<figure class="plot" role="group" aria-label="Risk of bias figures">',
            inline_svg(svg),
            f"<figcaption>Risk of bias of every study in the file ({escape(what)}). Green: low; yellow: some "
            "concerns / unclear / moderate; orange-red: high / serious; dark red: critical; grey: no "
            "information.</figcaption>",
            "</figure>",
        ]
    else:
        body.append('<p class="meta">No study in the file has a risk-of-bias assessment.</p>')
    body.append("</section>")
    page = page.replace("</style>", EXTRA_CSS + "\n" + FOREST_CSS + "\n</style>", 1)
    page = page.replace("<title>Summary of findings:", "<title>GRADE report:", 1)
    head, sep, tail = page.rpartition("</main>")
    return head + "\n".join(body) + "\n" + sep + tail
