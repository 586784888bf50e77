"""The text forest plot (meta, assess --detail) and the CLI without matplotlib."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_cli

BCG = ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml"
NO_MPL = "import sys; sys.modules['matplotlib'] = None; from gradecli.cli import main; main(sys.argv[1:])"


def run_without_matplotlib(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", NO_MPL, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "COLUMNS": "80", "HOME": str(cwd)},
    )


def test_assess_detail_draws_a_text_forest_plot_in_80_columns() -> None:
    r = run_cli("assess", str(BCG), "--outcome", "tuberculosis", "--detail", env={"COLUMNS": "80"})
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    plot = [line for line in lines if "■" in line]
    assert len(plot) == 13  # one line per study
    assert sum("◆" in line for line in lines) == 1  # the pooled estimate
    assert any("╌" in line for line in lines)  # the prediction interval
    assert any("┆" in line for line in lines)  # the thresholds
    flowing = " ".join(r.stdout.split())
    assert "imprecision: serious [IMP-CROSS]" in flowing  # the least certain of the two strata
    assert "High-incidence settings (50 per 1,000): not serious [IMP-CROSS]" in flowing
    assert "certainty: very low" in r.stdout


def test_assess_outcome_filters_and_checks_the_id(tmp_path: Path) -> None:
    r = run_cli("assess", str(BCG), "--outcome", "nope")
    assert r.returncode == 2 and "no outcome 'nope'" in r.stderr
    r = run_cli("assess", str(BCG), "--detail", "--format", "json")
    assert r.returncode == 2 and "--detail works with --format table" in r.stderr
    out = tmp_path / "detail.txt"
    r = run_cli("assess", str(BCG), "--detail", "-o", str(out), env={"COLUMNS": "80"})
    assert r.returncode == 0, r.stderr
    assert sum("■" in line for line in out.read_text().splitlines()) == 13


def test_meta_table_has_a_text_forest_plot(tmp_path: Path) -> None:
    csv = tmp_path / "d.csv"
    csv.write_text("study,events_t,n_t,events_c,n_c\nA,4,123,11,139\nB,6,306,29,303\nC,3,231,11,220\n")
    r = run_cli("meta", str(csv), "--measure", "RR", env={"COLUMNS": "80"})
    assert r.returncode == 0, r.stderr
    assert sum("■" in line for line in r.stdout.splitlines()) == 3
    assert sum("◆" in line for line in r.stdout.splitlines()) == 1
    assert max(len(line) for line in r.stdout.splitlines()) <= 80


def test_without_matplotlib_plot_explains_how_to_install_it(tmp_path: Path) -> None:
    for args in (
        ("plot", "forest", str(BCG), "-o", str(tmp_path / "f.svg")),
        ("plot", "rob", str(BCG), "-o", str(tmp_path / "r.png")),
        ("report", str(BCG), "-o", str(tmp_path / "r.html")),
    ):
        r = run_without_matplotlib(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert r.stderr.strip().splitlines() == [
            f"gradecli {args[0]}: plots need matplotlib: pip install 'gradecli[plots]'"
        ]
    assert not list(tmp_path.iterdir())


def test_without_matplotlib_every_other_command_works(tmp_path: Path) -> None:
    assert run_without_matplotlib("--version").returncode == 0
    assert run_without_matplotlib("validate", str(BCG)).returncode == 0
    r = run_without_matplotlib("assess", str(BCG), "--outcome", "tuberculosis", "--detail")
    assert r.returncode == 0, r.stderr
    assert "◆" in r.stdout
    for fmt in ("json", "markdown", "html", "csv"):
        assert run_without_matplotlib("assess", str(BCG), "--format", fmt).returncode == 0, fmt
    csv = tmp_path / "d.csv"
    csv.write_text("study,yi,sei\nA,0.1,0.2\nB,0.3,0.1\n")
    r = run_without_matplotlib("meta", str(csv), "--measure", "MD")
    assert r.returncode == 0, r.stderr
    r = run_without_matplotlib("plot", "--help")
    assert r.returncode == 0 and "gradecli[plots]" in r.stdout


def test_version_and_meta_do_not_import_matplotlib(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from gradecli.cli import main\n"
        "try:\n    main(sys.argv[1:])\n"
        "except SystemExit:\n    pass\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib was imported'\n"
    )
    csv = tmp_path / "d.csv"
    csv.write_text("study,yi,sei\nA,0.1,0.2\nB,0.3,0.1\n")
    for args in (["--version"], ["assess", str(BCG), "--detail"], ["meta", str(csv), "--measure", "MD"]):
        r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert r.returncode == 0, (args, r.stderr)
