"""gradecli import robvis / export robvis round trip, and gradecli import csv."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gradecli.cli import cli

FIX = Path(__file__).parent / "fixtures" / "import"
BASE = (
    "gradecli: 1\nreview: {title: t}\noutcomes:\n"
    "  - {id: o, name: o, importance: critical, type: dichotomous, data: []}\n"
)


@pytest.mark.parametrize("tool", ["robins-i", "rob2", "rob1"])
def test_robvis_round_trip_exact(tmp_path, tool):
    src = FIX / f"robvis_{tool.replace('-', '_')}.csv"
    base = tmp_path / "base.yaml"
    base.write_text(BASE)
    merged = tmp_path / "merged.yaml"
    back = tmp_path / "back.csv"
    runner = CliRunner()
    r = runner.invoke(cli, ["import", "robvis", str(src), "--tool", tool, "--into", str(base), "-o", str(merged)])
    assert r.exit_code == 0, r.output
    assert runner.invoke(cli, ["validate", str(merged)]).exit_code == 0
    r = runner.invoke(cli, ["export", "robvis", str(merged), "--tool", tool, "-o", str(back)])
    assert r.exit_code == 0, r.output
    assert back.read_bytes() == src.read_bytes()


def test_robvis_bad_judgment(tmp_path):
    t = tmp_path / "t.csv"
    t.write_text("Study,D1,D2,D3,D4,D5,Overall\nA,Low,Low,s,Low,Low,High\n")
    base = tmp_path / "base.yaml"
    base.write_text(BASE)
    r = CliRunner().invoke(cli, ["import", "robvis", str(t), "--tool", "rob2", "--into", str(base)])
    assert r.exit_code == 2 and f"{t}:2:4: D3:" in r.output


def test_import_csv_outcome_column(tmp_path):
    c = tmp_path / "c.csv"
    c.write_text(
        "study,outcome,events_t,n_t,events_c,n_c\r\nA,death,1,10,2,10\r\nB,death,3,10,2,10\r\nA,mi,1,10,2,10\r\n"
    )
    out = tmp_path / "e.yaml"
    runner = CliRunner()
    r = runner.invoke(cli, ["import", "csv", str(c), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert runner.invoke(cli, ["validate", str(out)]).exit_code == 0
    assert runner.invoke(cli, ["assess", str(out)]).exit_code == 0
    c.write_text("study,outcome,events_t,n_t,events_c,n_c\nA,death,1,10,x,10\n")
    r = runner.invoke(cli, ["import", "csv", str(c), "-o", str(tmp_path / "f.yaml")])
    assert r.exit_code == 2 and f"{c}:2:" in r.output
