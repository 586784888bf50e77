"""`gradecli import revman-data`: the RevMan Web / Cochrane data package (v1), from a folder, a zip
and a review zip holding the data zip; pooled results agree with the ones the package stores."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

CANDIDATES = [ROOT.parent / "shared", Path("/work/shared")]
SHARED = next((p for p in CANDIDATES if (p / "formats" / "samples").is_dir()), None)
pytestmark = pytest.mark.skipif(SHARED is None, reason="../shared/formats/samples (RevMan samples) not present")
PACKAGE = SHARED / "formats/samples/revman-web-datapackage/Fleiss1993" if SHARED else Path()


def _import(tmp_path: Path, source: Path) -> dict:
    out = tmp_path / f"{source.stem}-evidence.yaml"
    result = run_cli("import", "revman-data", str(source), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert run_cli("validate", str(out)).returncode == 0
    assessed = run_cli("assess", str(out), "--format", "json")
    assert assessed.returncode == 0, assessed.stderr
    return json.loads(assessed.stdout)


def test_folder_import_reproduces_the_stored_pooled_result(tmp_path: Path) -> None:
    data = _import(tmp_path, PACKAGE)
    rows = {o["id"]: o for o in data["outcomes"]}
    mh = rows["analysis-1.1"]["effect"]
    # overall-estimates-and-settings.csv: MH OR 0.896866 (0.840514 to 0.956995), 6 decimals
    assert mh["method"] == "fixed effect, Mantel–Haenszel; RevMan 5 conventions" and mh["k"] == 7
    for got, stored in zip((mh["estimate"], mh["ci_lb"], mh["ci_ub"]), (0.896866, 0.840514, 0.956995), strict=True):
        assert abs(got - stored) <= 5e-7
    assert rows["analysis-1.2"]["measure"] == "SMD"  # stored result "not computed" (0, 0, 0) in the package


def test_zip_and_nested_zip(tmp_path: Path) -> None:
    inner = tmp_path / "921923100913455418-data.zip"
    with zipfile.ZipFile(inner, "w") as zf:
        for f in sorted(PACKAGE.glob("*.csv")):
            folder = "study-data" if "study" in f.name or "risk" in f.name else "analysis-data"
            zf.write(f, f"921923100913455418-{folder}/{f.name}")
    outer = tmp_path / "Fleiss1993.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        zf.write(inner, "Fleiss1993/921923100913455418-files/921923100913455418-data.zip")
        zf.writestr("Fleiss1993/readme.pdf", b"%PDF-1.4 not read")
    for source in (inner, outer):
        rows = {o["id"]: o for o in _import(tmp_path, source)["outcomes"]}
        assert abs(rows["analysis-1.1"]["effect"]["estimate"] - 0.896866) <= 5e-7


def test_refusals(tmp_path: Path) -> None:
    dta = tmp_path / "dta"
    dta.mkdir()
    (dta / "X-parameters.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = run_cli("import", "revman-data", str(dta))
    assert result.returncode == 2 and "diagnostic test accuracy" in result.stderr
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    result = run_cli("import", "revman-data", str(bad))
    assert result.returncode == 2 and "not a zip file" in result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("import", "revman-data", str(empty))
    assert result.returncode == 2 and "overall-estimates-and-settings.csv" in result.stderr
    assert "Traceback" not in result.stderr
