"""Forest plots and risk-of-bias figures: SVG structure (one marker per study, the diamond, the
thresholds), PNG sizes, deterministic bytes, errors, and the shipped images in docs/."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

pytest.importorskip("matplotlib")

from gradecli.grade.engine import assess
from gradecli.io.evidence import load_evidence
from gradecli.plots.data import forest_data, rob_data, summary_shares
from gradecli.plots.forest import forest_figure
from gradecli.plots.output import figure_bytes
from gradecli.plots.rob import rob_figure

BCG = ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml"
STROKE = ROOT / "examples" / "stroke-units-length-of-stay.yaml"
SMOKING = ROOT / "examples" / "passive-smoking-lung-cancer.yaml"
MIXED = """
gradecli: 1
review:
  title: Mixed designs
  question: {population: adults, intervention: X, comparison: Y}
studies:
  - id: T1
    design: rct
    risk_of_bias: {tool: rob2, overall: low, domains: {randomisation: low, deviations: low}, reason: ok}
  - id: T2
    design: rct
    risk_of_bias: {tool: rob2, overall: some_concerns, domains: {randomisation: some_concerns}, reason: ok}
  - {id: T3, design: rct, risk_of_bias: {tool: rob2, overall: high, domains: {measurement: high}, reason: ok}}
  - id: N1
    design: nrsi
    risk_of_bias:
      {tool: robins-i, overall: critical, domains: {confounding: critical, selection: no_information}, reason: ok}
  - id: N2
    design: nrsi
    risk_of_bias: {tool: robins-i, overall: moderate, domains: {confounding: moderate, selection: low}, reason: ok}
outcomes:
  - id: rct-only
    name: Mortality (trials)
    importance: critical
    type: dichotomous
    measure: OR
    data:
      - {study: T1, events_t: 10, n_t: 100, events_c: 15, n_c: 100}
      - {study: T2, events_t: 8, n_t: 80, events_c: 12, n_c: 82}
      - {study: T3, events_t: 20, n_t: 150, events_c: 22, n_c: 149}
    risk_of_bias_overrides:
      - {study: T1, overall: high, reason: Self-reported outcome.}
  - id: all
    name: Mortality (all)
    importance: critical
    type: generic
    measure: HR
    data:
      - {study: T1, estimate: 0.8, ci: [0.6, 1.1]}
      - {study: N1, estimate: 0.7, ci: [0.5, 0.98]}
      - {study: N2, estimate: 0.9, ci: [0.7, 1.2]}
"""
SUMMARY_ONLY = """
gradecli: 1
review:
  title: A summary-level review
  question: {population: adults, intervention: X, comparison: Y}
studies: []
outcomes:
  - id: pain
    name: Pain
    importance: critical
    type: continuous
    summary: {estimate: -1.2, ci: [-2.0, -0.4], participants: 120, studies: 3}
"""



def _forest(ev, i: int = 0):  # the forest plot data of outcome i, read from the assessment
    a = assess(ev)
    return forest_data(a.outcomes[i], a.studies)


def _rob(ev, outcome=None):  # risk-of-bias blocks, read from the assessment
    return rob_data(assess(ev), outcome.id if outcome is not None else None)

def _ids(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return [el.get("id") for el in root.iter() if el.get("id")]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("example", [BCG, STROKE, SMOKING], ids=lambda p: p.stem)
def test_forest_svg_has_one_marker_per_study_and_the_diamond(example: Path) -> None:
    ev = load_evidence(str(example))
    outcome = ev.outcomes[0]
    svg = figure_bytes(forest_figure(_forest(ev)), "svg")
    ids = _ids(svg)
    studies = [i for i in ids if re.fullmatch(r"study-\d+", i)]
    assert len(studies) == len(outcome.data)
    assert sorted(int(i.split("-")[1]) for i in studies) == list(range(1, len(outcome.data) + 1))
    assert ids.count("pooled-diamond") == 1
    assert "null-line" in ids
    assert "prediction-interval" in ids  # k >= 3 and random effects in all three examples
    assert any(i.startswith("threshold-") for i in ids), "the thresholds the engine used are drawn"


def test_forest_draws_the_thresholds_the_engine_judged_against() -> None:
    ev = load_evidence(str(BCG))
    d = _forest(ev, 0)
    assert d.log_scale and d.null == 1.0
    # MID 3 per 1000 at the median control risk: RR = (acr ± 0.003) / acr
    acr = 0.0158  # ~16 per 1000
    assert [round(r.value, 2) for r in d.references] == [round(1 - 0.003 / acr, 2), round(1 + 0.003 / acr, 2)]
    assert d.prediction is not None and d.prediction[0] < d.pooled[1] < d.pooled[2] < d.prediction[1]
    assert d.rob_columns == ("D1", "Overall")
    assert d.rows[4].rob == ("high", "high") and d.rows[0].rob == ("low", "unclear")
    assert abs(sum(r.weight for r in d.rows) - 1) < 1e-9


def test_forest_log_axis_for_ratios_linear_for_differences() -> None:
    import matplotlib

    for example, log in ((BCG, True), (STROKE, False)):
        ev = load_evidence(str(example))
        fig = forest_figure(_forest(ev, 0))
        plot_axes = fig.axes[0]
        assert (plot_axes.get_xscale() == "log") is log
        del fig
    assert matplotlib.get_backend()  # no pyplot figure was created (nothing to close)


def test_relative_thresholds_when_no_absolute_ones() -> None:
    ev = load_evidence(str(SMOKING))
    d = _forest(ev, 0)
    assert [round(r.value, 2) for r in d.references] == [0.8, 1.25]


def test_rob_traffic_light_and_summary() -> None:
    ev = load_evidence(str(BCG))
    blocks = _rob(ev)
    assert [b.tool for b in blocks] == ["rob1"]
    shares = summary_shares(blocks[0])
    assert shares[-1] == pytest.approx({"unclear": 7 / 13, "high": 6 / 13})
    svg = figure_bytes(rob_figure(blocks), "svg")
    ids = _ids(svg)
    dots = [i for i in ids if re.fullmatch(r"rob-rob1-\d+-\d+", i)]
    assert len(dots) == 13 * 2  # 13 studies x (D1 + overall)
    bars = [i for i in ids if i.startswith("robbar-rob1-")]
    assert len(bars) == 2 + 2  # D1: low, high; overall: unclear, high
    weighted = _rob(ev, ev.outcomes[0])[0]
    assert weighted.weighted and abs(sum(weighted.weights) - 1) < 1e-9


def test_rob_colours_follow_robvis() -> None:
    from gradecli.plots.data import judgment_colour

    assert judgment_colour("low") == "#02C100"
    assert judgment_colour("some_concerns") == judgment_colour("unclear") == judgment_colour("moderate")
    assert judgment_colour("high") == judgment_colour("serious")
    assert judgment_colour("critical") not in (judgment_colour("high"), None)
    assert judgment_colour("no_information") == "#AAAAAA"


def test_plot_cli_svg_is_deterministic_and_png_has_the_asked_size(tmp_path: Path) -> None:
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    for target in (a, b):
        r = run_cli("plot", "forest", str(BCG), "--outcome", "tuberculosis", "-o", str(target))
        assert r.returncode == 0, r.stderr
    assert a.read_bytes() == b.read_bytes()  # two processes (different hash seeds), same bytes
    text = a.read_text()
    assert "<dc:date>" not in text and "Matplotlib v" not in text
    png = tmp_path / "f.png"
    r = run_cli("plot", "forest", str(BCG), "-o", str(png), "--width", "900px", "--height", "640px", "--dpi", "150")
    assert r.returncode == 0, r.stderr
    assert _png_size(png.read_bytes()) == (900, 640)
    png2 = tmp_path / "r.png"
    r = run_cli("plot", "rob", str(BCG), "-o", str(png2), "--width", "6", "--height", "8", "--dpi", "50")
    assert r.returncode == 0, r.stderr
    assert _png_size(png2.read_bytes()) == (300, 400)
    r = run_cli("plot", "rob", str(BCG), "-o", str(tmp_path / "t.svg"), "--kind", "traffic-light")
    assert r.returncode == 0, r.stderr
    ET.fromstring((tmp_path / "t.svg").read_bytes())


def test_plot_cli_errors(tmp_path: Path) -> None:
    r = run_cli("plot", "forest", str(BCG), "-o", str(tmp_path / "x.pdf"))
    assert r.returncode == 2 and ".svg or .png" in r.stderr
    r = run_cli("plot", "forest", str(BCG), "--outcome", "nope", "-o", str(tmp_path / "x.svg"))
    assert r.returncode == 2 and "no outcome 'nope'" in r.stderr
    r = run_cli("plot", "rob", str(SMOKING), "-o", str(tmp_path / "x.svg"))
    assert r.returncode == 2 and "no study has a risk-of-bias assessment" in r.stderr
    summary = tmp_path / "summary.yaml"
    summary.write_text(SUMMARY_ONLY)
    r = run_cli("plot", "forest", str(summary), "--outcome", "pain", "-o", str(tmp_path / "x.svg"))
    assert r.returncode == 2 and "not per-study rows" in r.stderr, r.stderr
    summary.unlink()
    r = run_cli("plot", "forest", str(BCG), "-o", str(tmp_path / "x.svg"), "--width", "-3")
    assert r.returncode == 2 and "--width" in r.stderr
    assert not list(tmp_path.iterdir())
    odd = tmp_path / "evidence.svg"  # an evidence file with an image suffix is still never overwritten
    odd.write_bytes(BCG.read_bytes())
    r = run_cli("plot", "forest", str(odd), "-o", str(odd))
    assert r.returncode == 2 and "refusing to overwrite" in r.stderr
    assert odd.read_bytes() == BCG.read_bytes()


@pytest.mark.parametrize("name", ["forest-bcg.svg", "rob-bcg.svg"])
def test_shipped_images_are_current(name: str, tmp_path: Path) -> None:
    """docs/forest-bcg.svg and docs/rob-bcg.svg show what the commands in docs/plots.md draw today (the same
    marks; bytes may differ between matplotlib versions)."""
    kind = "forest" if name.startswith("forest") else "rob"
    extra = ["--outcome", "tuberculosis"] if kind == "forest" else ["--kind", "traffic-light"]
    out = tmp_path / name
    r = run_cli("plot", kind, str(BCG), *extra, "-o", str(out))
    assert r.returncode == 0, r.stderr
    shipped = (ROOT / "docs" / name).read_bytes()
    ours = re.compile(r"(study|pooled|prediction|null|threshold|rob|robbar)-")
    assert [i for i in _ids(shipped) if ours.match(i)] == [i for i in _ids(out.read_bytes()) if ours.match(i)], (
        f"docs/{name} is stale: run gradecli plot {kind} {BCG.relative_to(ROOT)} {' '.join(extra)} -o docs/{name}"
    )
    assert b"<dc:date>" not in shipped


def test_rob2_robins_i_overrides_and_mixed_tools(tmp_path: Path) -> None:
    path = tmp_path / "mixed.yaml"
    path.write_text(MIXED)
    ev = load_evidence(str(path))
    trials = _forest(ev, 0)
    assert trials.rob_tool == "rob2" and trials.rob_columns == ("D1", "D2", "D4", "Overall")
    assert trials.rows[0].rob == ("low", "low", None, "high")  # the per-outcome override wins overall
    # the outcome "all" mixes a randomised trial with non-randomised studies: two bodies of evidence
    # (GRADE 24), each with its own plot and its own tool's columns
    a = assess(ev)
    assert [o.id for o in a.outcomes] == ["rct-only", "all-rct", "all-nrsi"]
    nrsi = _forest(ev, 2)
    assert nrsi.rob_tool == "robins-i" and [r.rob[-1] for r in nrsi.rows] == ["critical", "moderate"]
    # tools that differ within one body (RoB 2 and RoB 1 trials) give one column, the overall judgment
    older = MIXED.replace(
        "{tool: rob2, overall: high, domains: {measurement: high}, reason: ok}",
        "{tool: rob1, overall: high, reason: ok}",
    )
    path.write_text(older)
    mixed = _forest(load_evidence(str(path)), 0)
    assert mixed.rob_tool == "mixed" and mixed.rob_columns == ("Overall",)
    assert [r.rob for r in mixed.rows] == [("high",), ("some_concerns",), ("high",)]
    path.write_text(MIXED)
    blocks = _rob(ev)
    assert [(b.tool, b.domain_short) for b in blocks] == [("rob2", ["D1", "D2", "D4"]), ("robins-i", ["D1", "D2"])]
    assert summary_shares(blocks[1])[1] == pytest.approx({"no_information": 0.5, "low": 0.5})
    weighted = _rob(ev, ev.outcomes[0])
    assert [b.tool for b in weighted] == ["rob2"] and weighted[0].weighted
    assert weighted[0].judgments[0][-1] == "high"
    ids = _ids(figure_bytes(rob_figure(blocks), "svg"))
    assert len([i for i in ids if re.fullmatch(r"rob-rob2-\d+-\d+", i)]) == 3 * 4
    assert len([i for i in ids if re.fullmatch(r"rob-robins-i-\d+-\d+", i)]) == 2 * 3
    ids = _ids(figure_bytes(forest_figure(trials), "svg"))
    assert len([i for i in ids if re.fullmatch(r"rob-\d+-\d+", i)]) == 3 * 4
    assert len([i for i in ids if re.fullmatch(r"study-\d+", i)]) == 3


def test_no_information_in_rob2_is_drawn_grey_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "ni.yaml"
    path.write_text(MIXED.replace("{randomisation: some_concerns}", "{randomisation: no_information}"))
    blocks = _rob(load_evidence(str(path)))
    assert blocks[0].tool == "rob2" and blocks[0].levels[-1] == "no_information"
    assert summary_shares(blocks[0])[0] == pytest.approx({"low": 1 / 3, "no_information": 1 / 3, "not_assessed": 1 / 3})
    ids = _ids(figure_bytes(rob_figure(blocks, kind="summary"), "svg"))
    assert "robbar-rob2-1-no_information" in ids
