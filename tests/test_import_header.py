"""An imported file's name is quoted in the header comment of the evidence file the importer writes;
a name holding line breaks used to end the comment and add keys (e.g. ``defaults: {rules: …}``) that
the written file then validated with (issue 16, category 5)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

CSV = "study,events_t,n_t,events_c,n_c\nA,1,10,2,10\n"


@pytest.mark.skipif(sys.platform == "win32", reason="a newline in a file name needs a POSIX file system")
def test_a_file_name_cannot_add_keys_to_the_imported_file(tmp_path: Path) -> None:
    name = "x\ndefaults:\n  rules: evil\ny.csv"
    (tmp_path / name).write_text(CSV, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "gradecli", "import", "csv", name], cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    header = [line for line in out.stdout.splitlines() if not line.startswith(("#", " ", "gradecli", "review"))]
    doc = yaml.safe_load(out.stdout)
    assert "defaults" not in doc, out.stdout[:400]
    assert all(line.startswith("#") for line in out.stdout.splitlines()[:4])
    assert "x\\ndefaults:\\n  rules: evil" in out.stdout.splitlines()[0]
    assert not any(line.startswith("defaults:") for line in header)
