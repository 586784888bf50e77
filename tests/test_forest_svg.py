"""The report's forest plots, written as SVG directly (gradecli.plots.forest_svg), and the row limits
of every plot (issue 16: size; issue 17: report speed).

Geometry is checked against the plot's own axis: the tick labels say which value sits where, so the
position of every square, whisker end and diamond vertex can be predicted from the numbers in the
Assessment without reusing the writer's code.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from gradecli.grade.engine import assess
from gradecli.io.evidence import load_evidence
from gradecli.plots.data import MAX_FOREST_ROWS, forest_data, limit_rows, rob_data, too_many_for_traffic_light
from gradecli.plots.forest_svg import forest_svg, ticks

BCG = ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml"
STROKE = ROOT / "examples" / "stroke-units-length-of-stay.yaml"


def _assessment(path: Path):  # type: ignore[no-untyped-def]
    return assess(load_evidence(str(path)))


def _forest(path: Path, outcome: int = 0):  # type: ignore[no-untyped-def]
    a = _assessment(path)
    return forest_data(a.outcomes[outcome], a.studies)


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(
        svg.replace('<svg class="forest"', '<svg xmlns="http://www.w3.org/2000/svg" class="forest"', 1)
    )


NS = "{http://www.w3.org/2000/svg}"


def _by_id(root: ET.Element) -> dict[str, ET.Element]:
    return {el.get("id", ""): el for el in root.iter() if el.get("id")}


def _axis(root: ET.Element, log_scale: bool) -> tuple[float, float]:
    """(slope, intercept) of x = slope * t + intercept, t = log10(value) or value, from two tick labels."""
    points = []
    for el in root.iter(f"{NS}text"):
        if el.get("class") == "fp-c fp-s" and el.text and re.fullmatch(r"−?[\d.]+", el.text):
            v = float(el.text.replace("−", "-"))
            if log_scale and v <= 0:
                continue
            points.append((math.log10(v) if log_scale else v, float(el.get("x", "nan"))))
    assert len(points) >= 2, "the axis has at least two labelled ticks"
    (t1, x1), (t2, x2) = points[0], points[-1]
    slope = (x2 - x1) / (t2 - t1)
    return slope, x1 - slope * t1


def test_every_square_whisker_and_the_diamond_sit_where_the_axis_says() -> None:
    d = _forest(BCG)
    root = _tree(forest_svg(d))
    ids = _by_id(root)
    slope, icpt = _axis(root, log_scale=True)

    def x(v: float) -> float:
        return slope * math.log10(v) + icpt

    assert len([i for i in ids if re.fullmatch(r"study-\d+", i)]) == len(d.rows) == 13
    for i, r in enumerate(d.rows, start=1):
        sq = ids[f"study-{i}"]
        centre = float(sq.get("x", "nan")) + float(sq.get("width", "nan")) / 2
        assert centre == pytest.approx(x(r.estimate), abs=0.15), r.label
        ci = ids[f"study-{i}-ci"]
        assert float(ci.get("x1", "nan")) == pytest.approx(x(r.lo), abs=0.15)
        assert float(ci.get("x2", "nan")) == pytest.approx(x(r.hi), abs=0.15)
    # squares: area grows with weight
    sides = [(r.weight, float(ids[f"study-{i}"].get("width", "0"))) for i, r in enumerate(d.rows, start=1)]
    sides.sort()
    assert [s for _, s in sides] == sorted(s for _, s in sides)
    # the diamond spans the pooled CI, its tip at the pooled estimate; the null line at RR 1
    est, lo, hi = d.pooled
    path = ids["pooled-diamond"].get("d", "")
    xs = [float(v) for v in re.findall(r"[ML]([\d.]+) ", path)]
    assert xs[0] == pytest.approx(x(lo), abs=0.15) and xs[2] == pytest.approx(x(hi), abs=0.15)
    assert xs[1] == pytest.approx(x(est), abs=0.15)
    assert float(ids["null-line"].get("x1", "nan")) == pytest.approx(x(1.0), abs=0.15)
    assert "prediction-interval" in ids
    thresholds = [i for i in ids if i.startswith("threshold-")]
    assert thresholds and all(
        float(ids[t].get("x1", "nan")) == pytest.approx(x(d.references[int(t.split("-")[1]) - 1].value), abs=0.15)
        for t in thresholds
    )


def test_a_linear_axis_and_the_numbers_written_beside_each_row() -> None:
    d = _forest(STROKE)
    assert not d.log_scale
    svg = forest_svg(d)
    root = _tree(svg)
    slope, icpt = _axis(root, log_scale=False)
    ids = _by_id(root)
    for i, r in enumerate(d.rows, start=1):
        sq = ids[f"study-{i}"]
        centre = float(sq.get("x", "nan")) + float(sq.get("width", "nan")) / 2
        assert centre == pytest.approx(slope * r.estimate + icpt, abs=0.15)
        assert f"{r.estimate:.2f} [{r.lo:.2f}, {r.hi:.2f}]" in svg  # estimate [95% CI] as text
        assert f"{100 * r.weight:.1f}%" in svg


def test_ticks_are_round_numbers_inside_the_range() -> None:
    assert ticks(-3.2, 7.9, False) == [-2.0, 0.0, 2.0, 4.0, 6.0]
    assert ticks(0.07, 3.1, True) == [0.1, 0.2, 0.5, 1.0, 2.0]
    assert ticks(0.0011, 900, True) == [0.01, 0.1, 1.0, 10.0, 100.0]  # only powers of ten when > 7 fit


def test_text_from_the_file_is_escaped_and_long_labels_are_shortened_with_the_whole_in_a_tooltip() -> None:
    d = _forest(BCG)
    hostile = '<script>alert(1)</script> & "x" \x1b[31m' + "long " * 30
    d.rows[0] = type(d.rows[0])(**{**d.rows[0].__dict__, "label": hostile})
    d.outcome_name = "</svg><img src=x>"
    svg = forest_svg(d, id_prefix='p"><x ')
    root = _tree(svg)  # well-formed XML
    assert "<script>" not in svg and "<img" not in svg and "\x1b" not in svg
    assert "&lt;script&gt;" in svg and "\\x1b[31m" in svg
    row = _by_id(root)["p&quot;&gt;&lt;x row-1".replace("&quot;", '"').replace("&gt;", ">").replace("&lt;", "<")]
    title = row.find(f"{NS}title")
    assert title is not None and title.text is not None and title.text.startswith("<script>")
    drawn = next(t.text for t in row.iter(f"{NS}text"))
    assert drawn is not None and drawn.endswith("…") and len(drawn) == 60


def test_the_same_input_gives_the_same_bytes() -> None:
    assert forest_svg(_forest(BCG), "a-") == forest_svg(_forest(BCG), "a-")


def _many_studies(k: int) -> str:
    lines = [
        "gradecli: 1",
        "review: {title: Many, question: {population: adults, intervention: X, comparison: Y}}",
        "studies:",
    ]
    lines += [
        f"  - {{id: S{i}, design: rct, risk_of_bias: {{tool: rob2, overall: {('low', 'high')[i % 2]}, reason: r}}}}"
        for i in range(k)
    ]
    lines += [
        "outcomes:",
        "  - id: death",
        "    name: Death",
        "    importance: critical",
        "    type: dichotomous",
        "    measure: RR",
        "    data:",
    ]
    lines += [
        f"      - {{study: S{i}, events_t: {5 + i % 7}, n_t: 100, events_c: {8 + i % 5}, n_c: 100}}" for i in range(k)
    ]
    return "\n".join(lines) + "\n"


def test_a_forest_plot_with_more_rows_than_the_limit_is_drawn_summarised() -> None:
    d = forest_data(*(lambda a: (a.outcomes[0], a.studies))(_assessment(BCG)))
    assert limit_rows(d, 13) is d
    s = limit_rows(d, 12)
    assert s.rows == [] and s.omitted == 13 and s.pooled == d.pooled
    svg = forest_svg(s)
    ids = _by_id(_tree(svg))
    assert not [i for i in ids if i.startswith("study-")]
    assert "pooled-diamond" in ids and "prediction-interval" in ids
    assert "13 study rows are not drawn: a forest plot draws at most 12" in svg


def test_the_report_summarises_a_forest_plot_over_500_rows_and_leaves_out_the_traffic_light(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    k = MAX_FOREST_ROWS + 1
    src = tmp_path / "many.yaml"
    src.write_text(_many_studies(k), encoding="utf-8")
    out = tmp_path / "many.html"
    r = run_cli("report", str(src), "-o", str(out))
    assert r.returncode == 0, r.stderr
    html = out.read_text(encoding="utf-8")
    assert f"{k} study rows are not drawn: a forest plot draws at most 500" in html
    assert not re.search(r'id="death-study-\d+"', html)
    assert 'id="death-pooled-diamond"' in html
    assert not re.search(r'id="all-rob-rob2-\d+-\d+"', html), "no traffic-light dots"
    assert "the traffic-light plot is left out: 501 studies assessed with RoB 2" in html
    a = _assessment(src)
    assert too_many_for_traffic_light(rob_data(a)) is not None


def test_plot_forest_and_rob_take_max_rows(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    svg = tmp_path / "f.svg"
    r = run_cli("plot", "forest", str(BCG), "-o", str(svg), "--max-rows", "5")
    assert r.returncode == 0, r.stderr
    assert "13 studies: drawn summarised (more than --max-rows 5)" in r.stderr
    text = svg.read_text(encoding="utf-8")
    assert "13 study rows are not drawn" in text and 'id="pooled-diamond"' in text
    assert not re.search(r'id="study-\d+"', text)
    r = run_cli("plot", "rob", str(BCG), "-o", str(tmp_path / "t.svg"), "--kind", "traffic-light", "--max-rows", "5")
    assert r.returncode == 2 and not (tmp_path / "t.svg").exists()
    assert r.stderr.strip().count("\n") == 0 and "a traffic-light plot draws at most 5 rows" in r.stderr
    r = run_cli("plot", "rob", str(BCG), "-o", str(tmp_path / "b.svg"), "--max-rows", "5")
    assert r.returncode == 0 and "only the summary bars are drawn" in r.stderr
    both = (tmp_path / "b.svg").read_text(encoding="utf-8")
    assert not re.search(r'id="rob-rob1-\d+-\d+"', both) and re.search(r'id="robbar-rob1-', both)
    r = run_cli("plot", "forest", str(BCG), "-o", str(tmp_path / "z.svg"), "--max-rows", "0")
    assert r.returncode == 2 and "--max-rows" in r.stderr
