"""Fuzzing the sinks (issue 16): names drawn from hostile alphabets — terminal escapes, Rich markup,
HTML and Markdown, GitHub workflow commands, spreadsheet formulas, mathtext, line breaks, bidi
controls — as the review title, study ids and the outcome's id and name, through every renderer
in-process (terminal table, Markdown, HTML, CSV, JSON, the report's forest plot, GitHub annotations).
Each example checks each sink's own rule, as tests/test_sinks.py does for one fixed file.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from fuzz_cli import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

FRAGMENTS = [
    "\x1b[31m",
    "\x1b]8;;http://evil\x07",
    "\x1b",
    "\x9b2J",
    "\x07",
    "\x08",
    "\x7f",
    "\u202e",
    "\u2028",
    "[bold]",
    "[/]",
    "[link=http://evil]",
    "<img src=x onerror=alert(1)>",
    "<details>",
    "</svg>",
    "![a](http://evil/x.png)",
    "[click](http://evil)",
    "@octocat",
    "&amp;",
    "&#x3c;",
    "\n::error file=x::boom",
    "\n::add-mask::s",
    "\r\n  ::warning::w",
    "\r",
    "##[error]",
    "%0A",
    "=HYPERLINK(1)",
    "+1",
    "-1",
    "@SUM(A1)",
    "\t",
    "$\\frac{1}{2}$",
    "$x$",
    "|",
    "`",
    "*",
    "_",
    "~",
    "#",
    '"',
    "'",
    ",",
    ";",
    " ",
    "é",
    "漢",
    "\U0001f600",
]

hostile_name = (
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(min_size=1, max_size=3)), min_size=1, max_size=6)
    .map("".join)
    .filter(lambda s: s.strip() != "" and "\x00" not in s and not any("\ud800" <= c <= "\udfff" for c in s))
)

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but tab and newline, DEL, C1
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
COMMAND_LINE = re.compile(r"^\s*::|##\[", re.MULTILINE)
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _evidence(title: str, studies: list[str], outcome_id: str, outcome_name: str) -> dict[str, Any]:
    rob = {"tool": "rob2", "overall": "high", "domains": {"randomisation": "high"}, "reason": title}
    rows = [(studies[0], 4, 123, 11, 139), (studies[1], 6, 306, 29, 303), (studies[2], 30, 231, 11, 220)]
    return {
        "gradecli": 1,
        "review": {"title": title, "question": {"population": title, "intervention": title, "comparison": title}},
        "studies": [{"id": s, "design": "rct", "risk_of_bias": rob} for s in studies],
        "outcomes": [
            {
                "id": outcome_id,
                "name": outcome_name,
                "importance": "critical",
                "type": "dichotomous",
                "measure": "RR",
                "data": [
                    {"study": s, "events_t": et, "n_t": nt, "events_c": ec, "n_c": nc} for s, et, nt, ec, nc in rows
                ],
            }
        ],
    }


@fuzz_settings(0.15)
@given(
    title=hostile_name,
    studies=st.lists(hostile_name, min_size=3, max_size=3, unique_by=lambda s: s.strip()),
    outcome_id=hostile_name,
    outcome_name=hostile_name,
)
def test_hostile_names_through_every_renderer(
    tmp_path_factory: Any, title: str, studies: list[str], outcome_id: str, outcome_name: str
) -> None:
    from rich.console import Console

    from gradecli.grade.engine import assess
    from gradecli.io.evidence import load_evidence_tree
    from gradecli.plots.data import forest_data
    from gradecli.plots.forest_svg import forest_svg
    from gradecli.problems import InputError
    from gradecli.report import csv_out, html, markdown, rich_table

    text = json.dumps(_evidence(title, studies, outcome_id, outcome_name))
    try:
        evidence = load_evidence_tree("ev.json", text)[0]
    except InputError:
        return  # e.g. ids the cross-checks refuse (two studies that differ only in spaces): not a sink case
    a = assess(evidence)

    buffer = io.StringIO()
    rich_table.render(a, Console(file=buffer, width=100, force_terminal=False, color_system=None))
    terminal = buffer.getvalue()
    assert "\x1b" not in terminal and not CONTROL.findall(terminal), CONTROL.findall(terminal)

    md = markdown.render(a)
    assert "<img" not in md and "<details" not in md and "</svg" not in md
    assert "](http" not in md.replace("\\](http", "")  # no live link or image
    assert not re.search(r"@(?=[0-9A-Za-z])", md), "no @mention"
    assert not COMMAND_LINE.findall(md)

    page = html.render(a)
    assert not XML_INVALID.findall(page) and "\r" not in page
    assert "<img" not in page and "<details" not in page

    table = csv_out.render(a)
    rows = list(csv.reader(io.StringIO(table, newline="")))
    widths = {len(r) for r in rows}
    assert len(widths) == 1, "every row has the header's columns: no cell split a row"
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA):  # only a number may start so (-29.96 is a value, not a formula)
                assert re.fullmatch(r"[-+]?\d+(\.\d+)?(e[-+]?\d+)?", cell), cell[:40]

    svg = forest_svg(forest_data(a.outcomes[0], a.studies), id_prefix="p-")
    root = ET.fromstring(svg)  # well-formed: nothing from the names became markup
    assert not [
        el for el in root.iter() if el.tag not in {"svg", "title", "text", "line", "rect", "path", "circle", "g"}
    ]
    assert not XML_INVALID.findall(svg) and "\r" not in svg

    from gradecli.escape import github_line, github_message, github_property

    for value in (title, *studies, outcome_id, outcome_name):
        assert not COMMAND_LINE.findall(github_line(value))
        assert "\n" not in github_message(value) and "\r" not in github_message(value)
        assert not {":", ",", "\n"} & set(github_property(value))
