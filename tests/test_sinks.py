"""Every value from an evidence file is escaped for the sink it reaches (evidence files are untrusted).

One evidence file with hostile names (terminal escapes, Rich markup, Markdown/HTML, GitHub Actions
workflow commands, spreadsheet formulas, mathtext) goes through every format of every command that
prints or writes it; each test asserts on the output of one sink.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import run_cli

HOSTILE = (
    "\x1b]8;;http://evil\x07link\x1b]8;;\x07 \x1b[2J \x1b bare [bold red]x[/] [link=http://evil]y[/link] "
    "<img src=x onerror=alert(1)> <details> ![a](http://evil/x.png) [click](http://evil) @octocat a|b"
    "\n::add-mask::secret\n::error file=x::boom\r\n##[error]old $\\frac{1}{2}$ 100%"
)
STUDIES = ['=HYPERLINK("http://evil") ' + HOSTILE, "@SUM(A1) " + HOSTILE, "-1+2 " + HOSTILE]
OUTCOME_ID = "+1 " + HOSTILE
OUTCOME_ID_2 = "::add-mask::id2 " + HOSTILE
HOSTILE_FILE = "x\n::error file=x::boom\n::add-mask::s %0A,: ##[x].json"

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but tab and newline, DEL, C1
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
COMMAND_LINE = re.compile(r"^\s*::|##\[", re.MULTILINE)
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def evidence(events_t: int = 4) -> dict[str, object]:
    rob = {"tool": "rob2", "overall": "high", "domains": {"randomisation": "high"}, "reason": HOSTILE}
    question = {"population": HOSTILE, "intervention": HOSTILE, "comparison": HOSTILE, "setting": HOSTILE}
    rows = [(STUDIES[0], events_t, 123, 11, 139), (STUDIES[1], 6, 306, 29, 303), (STUDIES[2], 30, 231, 11, 220)]
    return {
        "gradecli": 1,
        "review": {"title": HOSTILE, "notes": HOSTILE, "question": question},
        "studies": [{"id": s, "design": "rct", "year": 2000, "risk_of_bias": rob} for s in STUDIES],
        "outcomes": [
            {
                "id": OUTCOME_ID,
                "name": '=HYPERLINK("http://evil") ' + HOSTILE,
                "importance": "critical",
                "type": "dichotomous",
                "measure": "RR",
                "follow_up": HOSTILE,
                "data": [
                    {"study": s, "events_t": et, "n_t": nt, "events_c": ec, "n_c": nc} for s, et, nt, ec, nc in rows
                ],
                "judgements": {
                    "indirectness": {
                        "rating": "serious",
                        "reason": HOSTILE,
                        "population": "direct",
                        "intervention": "minor",
                        "comparison": "direct",
                        "outcome": "direct",
                    }
                },
            },
            {
                "id": OUTCOME_ID_2,
                "name": "::error file=x::name2 -1+2 " + HOSTILE,
                "importance": "important",
                "type": "dichotomous",
                "measure": "RR",
                "summary": {"estimate": 0.9, "ci": [0.85, 0.95], "participants": 5000, "studies": 5},
                "judgements": {"indirectness": {"rating": "not_serious", "reason": HOSTILE}},
            },
        ],
    }


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sinks")
    (path / ".git").mkdir()  # stop the .gradecli.yaml search here
    text = json.dumps(evidence(), indent=1)
    (path / "ev.json").write_text(text, encoding="utf-8")
    (path / "ev2.json").write_text(json.dumps(evidence(events_t=5), indent=1), encoding="utf-8")
    try:
        (path / "names").mkdir()
        (path / "names" / HOSTILE_FILE).write_text(text, encoding="utf-8")
    except OSError:  # a file system that refuses the name
        pass
    return path


def run(folder: Path, *args: str, columns: int = 80) -> tuple[int, str]:
    result = run_cli(*args, cwd=folder, env={"COLUMNS": str(columns)})
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout


def assert_terminal_safe(out: str) -> None:
    assert "\x1b" not in out
    found = CONTROL.findall(out)
    assert not found, found
    assert "bold red" in out and "link=http" in out  # Rich markup shown, not interpreted


def assert_no_commands(out: str) -> None:
    found = COMMAND_LINE.findall(out)
    assert not found, [line for line in out.splitlines() if COMMAND_LINE.search(line)]


# --- terminal: assess table, --profile, --detail -------------------------------------------------


@pytest.mark.parametrize("columns", [80, 200])
@pytest.mark.parametrize("extra", [(), ("--profile",), ("--detail",), ("--compare", "strict")])
def test_assess_terminal(folder: Path, extra: tuple[str, ...], columns: int) -> None:
    _, out = run(folder, "assess", "ev.json", *extra, columns=columns)
    assert_terminal_safe(out)
    assert_no_commands(out)


# --- Markdown --------------------------------------------------------------------------------------


def assert_markdown_safe(out: str) -> None:
    assert not CONTROL.findall(out)
    assert "<img" not in out and "<details" not in out
    assert not re.search(r"(?<!\\)\]\(", out), "a link or an image"
    assert "@octocat" not in out
    assert_no_commands(out)
    table = [line for line in out.splitlines() if line.startswith("|")]
    cells = {len(re.findall(r"(?<!\\)\|", line)) for line in table}
    assert len(cells) <= 1, "a | or a newline broke the table"


def test_assess_markdown(folder: Path) -> None:
    _, out = run(folder, "assess", "ev.json", "--format", "markdown")
    assert_markdown_safe(out)
    assert "HYPERLINK" in out


def test_diff_markdown(folder: Path) -> None:
    _, out = run(folder, "diff", "ev.json", "ev2.json", "--format", "markdown")
    assert "HYPERLINK" in out
    assert_markdown_safe(out)


# --- plain text read by GitHub Actions -------------------------------------------------------------


def test_diff_text(folder: Path) -> None:
    _, out = run(folder, "diff", "ev.json", "ev2.json")
    assert "HYPERLINK" in out
    assert "\x1b" not in out and not CONTROL.findall(out)
    assert_no_commands(out)


def test_diff_json(folder: Path) -> None:
    _, out = run(folder, "diff", "ev.json", "ev2.json", "--format", "json")
    assert json.loads(out)
    assert "\x1b" not in out


@pytest.mark.parametrize("target", ["ev.json", "names"])
def test_check_text(folder: Path, target: str) -> None:
    _, out = run(folder, "check", "--notes", target)
    assert out
    assert "\x1b" not in out and not CONTROL.findall(out)
    assert_no_commands(out)


@pytest.mark.parametrize("target", ["ev.json", "names"])
def test_check_github(folder: Path, target: str) -> None:
    _, out = run(folder, "check", "--notes", "--format", "github", target)
    lines = out.splitlines()
    assert lines and len(lines) == out.count("\n")
    annotation = re.compile(r"::(error|warning|notice) file=[^:,]*(,line=\d+,col=\d+)?,title=[^:,]*::[^\r\n]*")
    for line in lines:
        assert annotation.fullmatch(line), line
        message = line.split("::", 2)[2]
        assert "\x1b" not in message and "%0A::" not in message.replace("%0A%3A%3A", "")
    assert not CONTROL.findall(out)


def test_check_json(folder: Path) -> None:
    _, out = run(folder, "check", "--notes", "--format", "json", ".")
    for line in out.splitlines():
        json.loads(line)
    assert "\x1b" not in out


def test_check_junit(folder: Path) -> None:
    _, out = run(folder, "check", "--notes", "--format", "junit", ".")
    assert not XML_INVALID.findall(out)
    ET.fromstring(out.encode("utf-8"))


# --- CSV ---------------------------------------------------------------------------------------


NUMERIC = {
    "estimate", "ci_lb", "ci_ub", "participants", "studies", "comparator_risk", "intervention_risk",
    "intervention_risk_lb", "intervention_risk_ub", "risk_difference", "risk_difference_lb",
    "risk_difference_ub", "per", "comparator_mean",
}  # fmt: skip


def csv_rows(out: str) -> list[dict[str, str]]:
    assert "\r" not in out, "a bare CR splits a row"
    assert "\x1b" not in out
    return list(csv.DictReader(io.StringIO(out, newline="")))


def test_assess_csv(folder: Path) -> None:
    _, out = run(folder, "assess", "ev.json", "--format", "csv")
    rows = csv_rows(out)
    assert len(rows) == 2
    negative = False
    for row in rows:
        for column, cell in row.items():
            if column in NUMERIC:
                if cell:
                    float(cell)  # a number, never prefixed
                    negative |= cell.startswith("-")
            else:
                assert not cell.startswith(FORMULA), (column, cell[:40])
    assert negative, "the file has a negative risk difference: it stays a number"
    assert rows[0]["outcome_id"].startswith("'+1 ")


def test_export_robvis(folder: Path) -> None:
    _, out = run(folder, "export", "robvis", "ev.json", "--tool", "rob2", "-q")
    rows = list(csv.reader(io.StringIO(csv_rows(out) and out, newline="")))
    assert len(rows) == 4
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA), cell[:40]
    assert rows[1][0].startswith("'=HYPERLINK")


# --- HTML and SVG --------------------------------------------------------------------------------


def test_assess_html(folder: Path) -> None:
    _, out = run(folder, "assess", "ev.json", "--format", "html")
    assert not XML_INVALID.findall(out)
    assert "\r" not in out and "\\r\n##[error]old" in out  # a carriage return from a name is shown escaped
    assert "<img" not in out and "<details" not in out


def test_assess_json(folder: Path) -> None:
    _, out = run(folder, "assess", "ev.json", "--format", "json")
    assert json.loads(out)["title"] == HOSTILE.strip()


def test_report_page(folder: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "report.html"
    run(folder, "report", "ev.json", "-o", str(target))
    page = target.read_bytes().decode("utf-8")  # no newline translation: a raw CR would show
    assert not XML_INVALID.findall(page)
    assert "\r" not in page
    assert "<img" not in page and "<details" not in page
    for svg in re.findall(r"<svg.*?</svg>", page, flags=re.DOTALL):
        ET.fromstring(svg.encode("utf-8"))


@pytest.mark.parametrize("kind", ["forest", "rob"])
def test_plot_svg(folder: Path, tmp_path: Path, kind: str) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / f"{kind}.svg"
    args = ("--outcome", OUTCOME_ID) if kind == "forest" else ()
    code, _ = run(folder, "plot", kind, "ev.json", *args, "-o", str(target))
    assert code == 0
    svg = target.read_text(encoding="utf-8")
    assert not XML_INVALID.findall(svg)
    ET.fromstring(svg.encode("utf-8"))
    assert "frac" in svg  # the mathtext is drawn as text, not interpreted


def test_hostile_file_name_exists(folder: Path) -> None:
    if os.name == "nt":
        pytest.skip("no such file name on Windows")
    assert (folder / "names" / HOSTILE_FILE).exists()
