"""Properties of every report format (`gradecli assess --format markdown|html|csv|table|json`) and of
`--output`: well-formed, self-contained, escaped, parseable, and written atomically."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import pty
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from test_report_snapshots import EXAMPLES, assess_bytes, output

from conftest import ROOT, run_cli
from gradecli.report.csv_out import COLUMNS
from gradecli.report.output import OutputError, check_target, write_atomic

RATINGS = {"not_serious", "serious", "very_serious", "extremely_serious", "not_assessed", "not_applicable"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HOSTILE = '<script>alert("x")</script> | *bold* & [link](https://evil.example/x.png) <img src=x onerror=alert(1)>'


class Checker(HTMLParser):
    """Records problems with nesting, and every attribute and tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"end tag for void element </{tag}>")
        elif not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> Checker:
    checker = Checker()
    checker.feed(text)
    checker.close()
    assert not checker.problems, checker.problems
    assert not checker.stack, f"never closed: {checker.stack}"
    return checker


def outcome_ids(example: str) -> list[str]:
    return [o["id"] for o in json.loads(output(example, "json"))["outcomes"]]


def row_ids(example: str) -> list[str]:
    """The table's rows: one per outcome, then one per baseline-risk stratum when there are several."""
    out = []
    for o in json.loads(output(example, "json"))["outcomes"]:
        out += [o["id"]] * (1 + (len(o["strata"]) if len(o["strata"]) > 1 else 0))
    return out


def table_count(example: str) -> int:
    """One Summary-of-Findings table per comparison; one table when the file has none."""
    return len(json.loads(output(example, "json")).get("comparisons", [])) or 1


def comparison_of(example: str) -> dict[str, str]:
    return {o["id"]: o["comparison"] for o in json.loads(output(example, "json"))["outcomes"] if "comparison" in o}


def cells(line: str) -> list[str]:
    assert line.startswith("| ") and line.endswith(" |"), line
    return re.split(r"(?<!\\)\|", line[1:-1])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An evidence file whose every free text tries to inject markup, cells and links."""
    data = yaml.safe_load((ROOT / "examples" / "passive-smoking-lung-cancer.yaml").read_text(encoding="utf-8"))
    data["review"]["title"] = "Title " + HOSTILE
    data["review"]["question"]["population"] = "People " + HOSTILE
    outcome = data["outcomes"][0]
    outcome["name"] = "Lung cancer " + HOSTILE
    outcome["judgements"]["indirectness"] = {"rating": "serious", "reason": "Because " + HOSTILE}
    path = tmp_path_factory.mktemp("hostile") / "hostile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("example", EXAMPLES)
def test_html_is_well_formed_self_contained_and_accessible(example: str) -> None:
    page = output(example, "html").decode()
    checker = parse_html(page)
    assert page.startswith("<!DOCTYPE html>\n")
    names = [tag for tag, _ in checker.tags]
    assert ("html", {"lang": "en"}) in checker.tags
    for tag in ("title", "style"):
        assert names.count(tag) == 1, tag
    for tag in ("caption", "thead", "tbody"):  # one table per comparison
        assert names.count(tag) == table_count(example), tag
    assert "script" not in names and "link" not in names and "img" not in names and "iframe" not in names
    for tag, attrs in checker.tags:
        for name in ("src", "href", "srcset", "action", "data"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), f"<{tag} {name}={value!r}>"
    assert not re.search(r"(https?:)?//[a-z]", page.split("<body>")[0].split("</style>")[0])  # no url() in CSS
    assert "@import" not in page and "url(" not in page
    assert "default-src 'none'" in page
    row_headers = [a for t, a in checker.tags if t == "th" and a.get("scope") == "row"]
    assert len(row_headers) == len(row_ids(example))
    assert sum(1 for t, a in checker.tags if t == "th" and a.get("scope") == "col") >= 6
    symbols = [a for t, a in checker.tags if t == "span" and a.get("class") == "symbols"]
    assert all(a.get("aria-hidden") == "true" for a in symbols)
    text = "".join(checker.text)
    for level in ("High certainty", "Moderate certainty", "Low certainty", "Very low certainty"):
        assert level in text
    ids = {a["id"] for _, a in checker.tags if "id" in a}
    links = {a["href"][1:] for t, a in checker.tags if t == "a"}
    assert links <= ids, "footnote links without a target"


def test_html_footnotes_are_an_ordered_list_with_letter_ids() -> None:
    page = output("ketamine-chronic-pain", "html").decode()
    checker = parse_html(page)
    items = [a.get("id") for t, a in checker.tags if t == "li" and a.get("id", "").startswith("fn-")]
    # several comparisons: each table's footnotes carry its comparison's id, so anchors never clash
    assert items == ["fn-iv-ketamine-a", "fn-iv-ketamine-b", "fn-iv-ketamine-c", "fn-iv-ketamine-d"]
    single = parse_html(output("bcg-vaccine-tuberculosis", "html").decode())
    assert next(a.get("id") for t, a in single.tags if t == "li" and a.get("id", "").startswith("fn-")) == "fn-a"
    assert "<ol>" in page and ">LOW<" in page
    assert re.sub(r"<[^>]+>", "", page).count("⊕⊕◯◯LOW") == 2  # symbols, then the level in words


def test_every_format_escapes_text_from_the_evidence_file(hostile: Path) -> None:
    page = assess_bytes(str(hostile), "--format", "html").decode()
    checker = parse_html(page)
    assert "<script" not in page and "<img" not in page
    assert not any(t in ("script", "img") for t, _ in checker.tags)
    assert page.count("&lt;script&gt;") >= 4  # title (twice), population, outcome name, footnote
    assert "Because " + HOSTILE in "".join(checker.text)  # shown as text, unchanged
    markdown = assess_bytes(str(hostile), "--format", "markdown").decode()
    assert "<script" not in markdown and "<img" not in markdown
    assert "\\[link\\](https://" in markdown and not re.search(r"(?<!\\)\]\(", markdown)  # no live link syntax
    lines = markdown.splitlines()
    table = [line for line in lines if line.startswith("| ")]
    assert len(table) == 2 and all(len(cells(line)) == 7 for line in table)
    rows = list(csv.DictReader(io.StringIO(assess_bytes(str(hostile), "--format", "csv").decode())))
    assert rows[0]["outcome"] == "Lung cancer " + HOSTILE  # CSV keeps text verbatim (csv quoting)
    assert HOSTILE in rows[0]["footnotes"]


@pytest.mark.parametrize("example", EXAMPLES)
def test_csv_parses_with_one_row_per_outcome_and_raw_numbers(example: str) -> None:
    text = output(example, "csv").decode()
    assert "\r" not in text and text.endswith("\n")
    reader = csv.DictReader(io.StringIO(text))
    owner = comparison_of(example)
    assert reader.fieldnames == (["comparison", *COLUMNS] if owner else COLUMNS)
    rows = list(reader)
    assert [r["outcome_id"] for r in rows] == row_ids(example)
    if owner:  # each row names its outcome's comparison
        assert all(r["comparison"] == owner[r["outcome_id"]] for r in rows)
    data = {o["id"]: o for o in json.loads(output(example, "json"))["outcomes"]}
    for row in rows:
        o = data[row["outcome_id"]]
        if row["stratum"]:  # a stratum's row: its own absolute effect, certainty and statement
            s = next(x for x in o["strata"] if x["label"] == row["stratum"])
            assert float(row["comparator_risk"]) == s["absolute"]["comparator"]
            assert row["certainty"] == (s["certainty"] or "") and row["statement"] == (s["statement"] or "")
            assert row["imprecision"] == (s["imprecision"]["rating"] or "not_assessed")
            continue
        if o["form"] == "none":
            assert row["estimate"] == row["certainty"] == row["participants"] == ""
            continue
        if o["effect"] and o["effect"]["estimate"] is not None:
            assert float(row["estimate"]) == o["effect"]["estimate"]  # full precision, no formatting
            assert float(row["ci_lb"]) <= float(row["estimate"]) <= float(row["ci_ub"])
        assert row["certainty"] == (o["certainty"] or "")
        for d in o["domains"]:
            assert row[d["domain"]] in RATINGS
        for name in ("participants", "studies", "per"):
            assert row[name] == "" or row[name].isdigit()


def test_csv_absolute_effects_for_a_dichotomous_outcome() -> None:
    # BCG has two assumed-risk strata: the outcome's row holds the relative effect, each stratum's
    # row its own absolute effect (risk with the intervention = assumed risk × RR)
    outcome, *strata = csv.DictReader(io.StringIO(output("bcg-vaccine-tuberculosis", "csv").decode()))
    assert outcome["measure"] == "RR" and outcome["studies"] == "13" and outcome["stratum"] == ""
    assert outcome["footnotes"].startswith("a: ")
    assert [r["stratum"] for r in strata] == ["low-incidence settings", "high-incidence settings"]
    for row, assumed in zip(strata, (5.0, 50.0), strict=True):
        assert row["per"] == "1000" and float(row["comparator_risk"]) == pytest.approx(assumed)
        risk = float(row["comparator_risk"]) * float(outcome["estimate"])
        assert abs(float(row["intervention_risk"]) - risk) < 1e-9
        assert float(row["risk_difference"]) < 0


@pytest.mark.parametrize("example", EXAMPLES)
def test_markdown_table_rows_have_as_many_cells_as_the_header(example: str) -> None:
    text = output(example, "markdown").decode()
    runs = itertools.groupby(text.splitlines(), key=lambda line: line.startswith("|"))
    tables = [list(block) for is_table, block in runs if is_table]  # runs of table lines
    assert len(tables) == table_count(example)
    rows = []
    for header, rule, *body in tables:
        assert re.fullmatch(r"\|(---\|){7}", rule)
        for line in (header, *body):
            assert len(cells(line)) == 7, line
        rows += body
    assert len(rows) == len(row_ids(example))
    assert "\n\n" in text and not text.endswith("\n\n") and "\x1b" not in text


def _run_with_colour_allowed(*args: str, tty: bool = False, no_color: bool = False) -> bytes:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "GRADECLI_DEBUG")}
    env.update(TERM="xterm-256color", COLUMNS="200")
    if no_color:
        env["NO_COLOR"] = "1"
    command = [sys.executable, "-m", "gradecli", "assess", *args]
    if not tty:
        return subprocess.run(command, capture_output=True, cwd=ROOT, env=env, timeout=120, check=True).stdout
    main, child = pty.openpty()
    with subprocess.Popen(command, stdout=child, stderr=subprocess.DEVNULL, cwd=ROOT, env=env) as proc:
        os.close(child)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait(timeout=120)
    os.close(main)
    return b"".join(chunks)


def test_no_ansi_codes_in_a_pipe_even_when_colour_is_allowed() -> None:
    for fmt in ("json", "markdown", "csv", "html", "table"):
        stdout = _run_with_colour_allowed("examples/ketamine-chronic-pain.yaml", "--format", fmt)
        assert b"\x1b[" not in stdout, fmt


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_colour_on_a_terminal_unless_no_color() -> None:
    coloured = _run_with_colour_allowed("examples/ketamine-chronic-pain.yaml", tty=True)
    assert b"\x1b[" in coloured
    plain = _run_with_colour_allowed("examples/ketamine-chronic-pain.yaml", tty=True, no_color=True)
    params = {int(p) for sgr in re.findall(rb"\x1b\[([0-9;]*)m", plain) for p in sgr.split(b";") if p}
    assert b"Pain intensity" in plain and not params & {*range(30, 49), *range(90, 108)}  # bold/dim, no colour
    csv_on_tty = _run_with_colour_allowed("examples/ketamine-chronic-pain.yaml", "--format", "csv", tty=True)
    assert b"\x1b[" not in csv_on_tty


def test_output_writes_the_same_bytes_atomically_with_one_line_on_stderr(tmp_path: Path) -> None:
    for fmt, ext in (("html", "html"), ("markdown", "md"), ("csv", "csv"), ("json", "json")):
        target = tmp_path / f"sof.{ext}"
        result = run_cli("assess", "examples/ketamine-chronic-pain.yaml", "--format", fmt, "--output", str(target))
        assert result.returncode == 0, result.stderr
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1 and str(target) in result.stderr
        assert target.read_bytes() == output("ketamine-chronic-pain", fmt)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sof.csv", "sof.html", "sof.json", "sof.md"]


def test_output_table_is_plain_text(tmp_path: Path) -> None:
    target = tmp_path / "sof.txt"
    result = run_cli("assess", "examples/bcg-vaccine-tuberculosis.yaml", "-o", str(target), env={"COLUMNS": "120"})
    assert result.returncode == 0 and result.stdout == ""
    text = target.read_text(encoding="utf-8")
    assert "\x1b[" not in text and "Tuberculosis" in text and "┏" in text


def test_output_dash_is_standard_output() -> None:
    result = run_cli("assess", "examples/bcg-vaccine-tuberculosis.yaml", "--format", "csv", "--output", "-")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.encode() == output("bcg-vaccine-tuberculosis", "csv")


def test_output_refuses_the_input_file_and_directories(tmp_path: Path) -> None:
    evidence = tmp_path / "review.yaml"
    original = (ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml").read_bytes()
    evidence.write_bytes(original)
    link = tmp_path / "link.yaml"
    link.symlink_to(evidence)
    for given in (str(evidence), "review.yaml", "./sub/../review.yaml", str(link)):
        (tmp_path / "sub").mkdir(exist_ok=True)
        result = run_cli("assess", "review.yaml", "--format", "html", "--output", given, cwd=tmp_path)
        assert result.returncode == 2, given
        assert result.stderr.count("\n") == 1 and "input file" in result.stderr, result.stderr
        assert evidence.read_bytes() == original
    directory = run_cli("assess", str(evidence), "--output", str(tmp_path))
    assert directory.returncode == 2 and "is a directory" in directory.stderr and directory.stderr.count("\n") == 1
    missing = run_cli("assess", str(evidence), "--output", str(tmp_path / "nope" / "x.md"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.yaml", "review.yaml", "sub"]


def test_output_replaces_an_existing_file_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "sof.md"
    target.write_text("old\n")
    target.chmod(0o640)
    result = run_cli("assess", "examples/bcg-vaccine-tuberculosis.yaml", "--format", "markdown", "-o", str(target))
    assert result.returncode == 0
    assert target.read_bytes() == output("bcg-vaccine-tuberculosis", "markdown")
    assert target.stat().st_mode & 0o777 == 0o640


def test_write_atomic_leaves_the_old_file_when_replacing_fails(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "sof.html"
    target.write_bytes(b"old")

    def broken(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OutputError, match=r"cannot write .*sof\.html: No space left on device"):
        write_atomic(target, b"new")  # one line for the user (exit 2), not an OSError (exit 3)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["sof.html"]  # no temporary file left behind


def test_check_target_allows_new_files_and_stdin_input(tmp_path: Path) -> None:
    assert check_target(str(tmp_path / "new.csv"), ["-"]) == (tmp_path / "new.csv").resolve()
    with pytest.raises(OutputError, match="is a directory"):
        check_target(str(tmp_path), ["-"])


def test_profile_and_compare_are_for_table_and_json_only() -> None:
    for option in (["--profile"], ["--compare", "pollock-2016"]):
        result = run_cli("assess", "examples/bcg-vaccine-tuberculosis.yaml", "--format", "html", *option)
        assert result.returncode == 2 and result.stderr.count("\n") == 1 and option[0] in result.stderr
    profile = run_cli("assess", "examples/bcg-vaccine-tuberculosis.yaml", "--profile", env={"COLUMNS": "200"})
    assert profile.returncode == 0 and "Risk of bias" in profile.stdout


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_html_text_colours_have_enough_contrast() -> None:
    from gradecli.report.html import CSS

    pairs = [  # (text, background) as used in the style sheet
        ("#1b1f24", "#ffffff"),  # body text
        ("#1b1f24", "#e4ebf2"),  # column headers
        ("#4a5561", "#ffffff"),  # details, notes
        ("#ffffff", "#0b3a63"),  # title band
        ("#d6e4f0", "#0b3a63"),  # "Summary of findings" above the title
        ("#1b5e20", "#ffffff"),  # HIGH
        ("#2e6b1f", "#ffffff"),  # MODERATE
        ("#7a4f00", "#ffffff"),  # LOW
        ("#a31515", "#ffffff"),  # VERY LOW
    ]
    for text, background in pairs:
        for colour in (text, background):
            assert colour in CSS or colour == "#ffffff", colour
        high, low = sorted((_luminance(text), _luminance(background)), reverse=True)
        assert (high + 0.05) / (low + 0.05) >= 4.5, (text, background)  # WCAG 2 AA, normal text
