"""Hostile input to the importers (`gradecli import csv|robvis|revman|revman-data`, `gradecli meta`):
refused with exit 2 and one clear line naming the file, never exit 3, a traceback or a hang."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

SHARED = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if (p / "formats" / "samples").is_dir()), None)
needs_shared = pytest.mark.skipif(SHARED is None, reason="../shared/formats/samples not present")
PACKAGE = SHARED / "formats/samples/revman-web-datapackage/Fleiss1993" if SHARED else Path()
EVIDENCE = ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml"
LONG = "x" * 20_000
ROB1_HEAD = (
    "Study,Random.sequence.generation,Allocation.concealment,Blinding.of.participants.and.personnel,"
    "Blinding.of.outcome.assessment,Incomplete.outcome.data,Selective.reporting,Other.sources.of.bias,Overall"
)


def refused(result: subprocess.CompletedProcess[str], name: str | Path, *words: str) -> str:
    """Exit 2, one line on stderr naming the file (and holding ``words``), no traceback."""
    out = result.stdout + result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in out and "internal error" not in out
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert str(name) in lines[0], lines[0]
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


def rm5(title: str = "A review", study: str = "Smith 2001", analysis: str = "Death", events: str = "5") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<COCHRANE_REVIEW TYPE="INTERVENTION"><COVER_SHEET><TITLE>' + title + "</TITLE></COVER_SHEET>"
        "<STUDIES_AND_REFERENCES><STUDIES><INCLUDED_STUDIES>"
        '<STUDY ID="STD-Smith-2001" NAME="' + study + '" YEAR="2001"/>'
        "</INCLUDED_STUDIES></STUDIES></STUDIES_AND_REFERENCES>"
        '<ANALYSES_AND_DATA><COMPARISON ID="CMP-001" NO="1"><NAME>A vs B</NAME>'
        '<DICH_OUTCOME ID="CMP-001.01" NO="1" EFFECT_MEASURE="RR" METHOD="MH"><NAME>' + analysis + "</NAME>"
        '<DICH_DATA STUDY_ID="STD-Smith-2001" EVENTS_1="' + events + '" TOTAL_1="50" EVENTS_2="7" TOTAL_2="50"/>'
        "</DICH_OUTCOME></COMPARISON></ANALYSES_AND_DATA></COCHRANE_REVIEW>\n"
    ).encode()


# 1. names over the evidence file's 10,000-character limit


def test_csv_long_study_and_outcome_names(tmp_path: Path) -> None:
    f = tmp_path / "long.csv"
    f.write_text(f"study,events_t,n_t,events_c,n_c\n{LONG},1,10,2,10\n", encoding="utf-8")
    refused(run_cli("import", "csv", str(f)), f"{f}:2:", "study", "10,000")
    g = tmp_path / "longout.csv"
    g.write_text(f"outcome,study,events_t,n_t,events_c,n_c\n{LONG},A,1,10,2,10\n", encoding="utf-8")
    refused(run_cli("import", "csv", str(g)), f"{g}:2:", "outcome", "10,000")


def test_robvis_long_study(tmp_path: Path) -> None:
    f = tmp_path / "rob.csv"
    f.write_text(f"{ROB1_HEAD}\n{LONG},Low,Low,Low,Low,Low,Low,Low,Low\n", encoding="utf-8")
    r = run_cli("import", "robvis", str(f), "--tool", "rob1", "--into", str(EVIDENCE))
    refused(r, f"{f}:2:", "10,000")


@pytest.mark.parametrize("field", ["title", "study", "analysis"])
def test_revman_long_names(tmp_path: Path, field: str) -> None:
    f = tmp_path / "long.rm5"
    f.write_bytes(rm5(**{field: LONG}))
    refused(run_cli("import", "revman", str(f)), f, "10,000")


def test_revman_sane_file_imports(tmp_path: Path) -> None:
    f = tmp_path / "ok.rm5"
    f.write_bytes(rm5())
    r = run_cli("import", "revman", str(f), "-o", str(tmp_path / "out.yaml"))
    assert r.returncode == 0, r.stderr


# 2. counts that are not counts


@pytest.mark.parametrize("events", ["-5", "2.5", "abc"])
def test_revman_bad_counts(tmp_path: Path, events: str) -> None:
    f = tmp_path / "neg.rm5"
    f.write_bytes(rm5(events=events))
    refused(run_cli("import", "revman", str(f)), f, "EVENTS_1", "Smith")


# 3. robvis CSV: CR line ends, leading blank line, huge field


def test_robvis_cr_line_ends_and_leading_blank_line(tmp_path: Path) -> None:
    body = f"{ROB1_HEAD}\nStudy 1,Low,Low,Low,Low,Low,Low,Low,Low\nStudy 2,High,Low,Low,Low,Low,Low,Low,High\n"
    for name, text in (("cr.csv", body.replace("\n", "\r")), ("blank.csv", "\n" + body)):
        f = tmp_path / name
        f.write_bytes(text.encode())
        r = run_cli("import", "robvis", str(f), "--tool", "rob1", "--into", str(EVIDENCE), "-q")
        assert r.returncode == 0, r.stderr
        assert "Study 2" in r.stdout
    bad = tmp_path / "blankbad.csv"
    bad.write_text("\n" + body.replace("Study 2,High", "Study 2,Maybe"), encoding="utf-8")
    r = run_cli("import", "robvis", str(bad), "--tool", "rob1", "--into", str(EVIDENCE))
    refused(r, f"{bad}:4:", "Maybe")
    empty = tmp_path / "onlyblank.csv"
    empty.write_text("\n\n", encoding="utf-8")
    refused(run_cli("import", "robvis", str(empty), "--tool", "rob1", "--into", str(EVIDENCE)), empty, "empty")


def test_huge_csv_field(tmp_path: Path) -> None:
    huge = "y" * 140_000
    f = tmp_path / "rob.csv"
    f.write_text(f'{ROB1_HEAD}\n"{huge}",Low,Low,Low,Low,Low,Low,Low,Low\n', encoding="utf-8")
    r = run_cli("import", "robvis", str(f), "--tool", "rob1", "--into", str(EVIDENCE))
    refused(r, f"{f}:", "field")
    g = tmp_path / "data.csv"
    g.write_text(f'outcome,study,events_t,n_t,events_c,n_c\n"{huge}",A,1,10,2,10\n', encoding="utf-8")
    refused(run_cli("import", "csv", str(g)), f"{g}:2:", "field")
    h = tmp_path / "meta.csv"
    h.write_text(f'study,events_t,n_t,events_c,n_c\n"{huge}",1,10,2,10\nB,2,10,3,10\n', encoding="utf-8")
    r = run_cli("meta", str(h), "--measure", "rr")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr


# 4. rm5 encodings


def test_revman_bogus_encoding_and_broken_utf16(tmp_path: Path) -> None:
    f = tmp_path / "bogus.rm5"
    f.write_bytes(rm5().replace(b'encoding="UTF-8"', b'encoding="x-bogus-42"'))
    refused(run_cli("import", "revman", str(f)), f)
    g = tmp_path / "odd16.rm5"
    g.write_bytes(b"\xff\xfe" + rm5().decode().encode("utf-16-le") + b"\x00")
    refused(run_cli("import", "revman", str(g)), g, "UTF-16")


# 5. data packages: encrypted, corrupt, FIFO, unreadable


def _package_zip(path: Path, method: int = zipfile.ZIP_DEFLATED) -> None:
    with zipfile.ZipFile(path, "w", compression=method) as zf:
        for f in sorted(PACKAGE.iterdir()):
            zf.write(f, f.name)


@needs_shared
def test_datapackage_encrypted_member(tmp_path: Path) -> None:
    z = tmp_path / "enc.zip"
    _package_zip(z)
    raw = bytearray(z.read_bytes())
    i = 0
    while (i := raw.find(b"PK\x03\x04", i)) >= 0:  # local headers: flags at +6
        raw[i + 6] |= 1
        i += 4
    i = 0
    while (i := raw.find(b"PK\x01\x02", i)) >= 0:  # central directory: flags at +8
        raw[i + 8] |= 1
        i += 4
    z.write_bytes(bytes(raw))
    refused(run_cli("import", "revman-data", str(z)), z, "encrypted", "not supported")


@needs_shared
def test_datapackage_corrupt_deflate(tmp_path: Path) -> None:
    z = tmp_path / "bad.zip"
    _package_zip(z)
    raw = bytearray(z.read_bytes())
    i = raw.find(b"PK\x03\x04")
    name_len, extra_len = struct.unpack("<HH", raw[i + 26 : i + 30])
    start = i + 30 + name_len + extra_len
    raw[start : start + 40] = b"\xff" * 40
    z.write_bytes(bytes(raw))
    refused(run_cli("import", "revman-data", str(z)), z)


@needs_shared
def test_datapackage_fifo_is_not_opened(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    shutil.copytree(PACKAGE, pkg)
    os.mkfifo(pkg / "zzz-extra.csv")
    (pkg / "dir.csv").mkdir()
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GRADECLI_DEBUG", None)
    cmd = [sys.executable, "-m", "gradecli", "import", "revman-data", str(pkg), "-o", str(tmp_path / "o.yaml")]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "zzz-extra.csv: not a regular file" in r.stderr
    # the package's own member as a FIFO
    rows = next(pkg.glob("*-data-rows.csv"))
    rows.unlink()
    os.mkfifo(rows)
    r = subprocess.run([*cmd, "--force"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    refused(r, pkg, "data-rows")


@needs_shared
@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_datapackage_unreadable_member(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    shutil.copytree(PACKAGE, pkg)
    rows = next(pkg.glob("*-data-rows.csv"))
    rows.chmod(0)
    refused(run_cli("import", "revman-data", str(pkg)), rows.name, "permission denied")


# 6. non-UTF-8 file names


def test_non_utf8_file_names(tmp_path: Path) -> None:
    base = os.fsencode(tmp_path)
    csv_name = os.fsdecode(base + b"/bad\xff.csv")
    Path(csv_name).write_text("study,events_t,n_t,events_c,n_c\nA,1,10,2,10\nB,2,10,3,10\n", encoding="utf-8")
    rm5_name = os.fsdecode(base + b"/bad\xff.rm5")
    Path(rm5_name).write_bytes(rm5())
    cases: list[tuple[str, ...]] = [("import", "csv", csv_name), ("import", "revman", rm5_name)]
    if SHARED is not None:
        pkg = os.fsdecode(base + b"/pk\xff")
        shutil.copytree(PACKAGE, pkg)
        cases.append(("import", "revman-data", pkg))
    for i, args in enumerate(cases):
        out = tmp_path / f"out{i}.yaml"
        r = run_cli(*args, "-o", str(out))
        assert r.returncode == 0, r.stderr
        assert "Traceback" not in r.stderr
        assert "\\xff" in out.read_text(encoding="utf-8")
        assert run_cli("validate", str(out)).returncode == 0
        r = run_cli(*args, "-q")  # to standard output
        assert r.returncode == 0, r.stderr
    rob = os.fsdecode(base + b"/rob\xff.csv")
    Path(rob).write_text(f"{ROB1_HEAD}\nStudy 1,Low,Low,Low,Low,Low,Low,Low,Low\n", encoding="utf-8")
    r = run_cli("import", "robvis", rob, "--tool", "rob1", "--into", str(EVIDENCE))
    assert r.returncode == 0, r.stderr


# 7. loose numbers


@pytest.mark.parametrize("number", ["\u0664", "\uff14", "1_0", "\u0661.5"])
@pytest.mark.parametrize("command", ["import csv", "meta"])
def test_loose_numbers_are_refused(tmp_path: Path, number: str, command: str) -> None:
    f = tmp_path / "n.csv"
    f.write_text(f"study,events_t,n_t,events_c,n_c\nA,1,10,2,10\nB,{number},10,3,10\n", encoding="utf-8")
    extra = ["--measure", "rr"] if command == "meta" else []
    refused(run_cli(*command.split(), str(f), *extra), f"{f}:3:3:", "events_t", "not a number")
    g = tmp_path / "g.csv"
    g.write_text(f"study,yi,sei\nA,0.1,0.2\nB,0.2,{number}\n", encoding="utf-8")
    extra = ["--measure", "generic"] if command == "meta" else []
    refused(run_cli(*command.split(), str(g), *extra), f"{g}:3:", "sei", "not a number")


def test_plain_numbers_still_work(tmp_path: Path) -> None:
    f = tmp_path / "ok.csv"
    f.write_text("study,yi,sei\nA,-1.5e-1,.2\nB,+0.2, 0.3 \nC,1.,2E-1\n", encoding="utf-8")
    r = run_cli("meta", str(f), "--measure", "generic")
    assert r.returncode == 0, r.stderr
