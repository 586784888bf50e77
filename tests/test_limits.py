"""Every input limit (SECURITY.md, "Limits") refuses with a clear one-line message, exit 2, and in
bounded memory — never a crash, a hang or a traceback.

Memory is measured in the child process itself (``ru_maxrss`` after the run); wall-clock time is not
asserted (``benchmarks/`` prints it), only a generous timeout against hangs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gradecli.io import tree
from gradecli.io.source import MAX_BYTES

HANG = 120  # seconds: a run that takes this long is hanging, not slow

_MEASURED = """
import resource, sys
from gradecli.cli import main
try:
    main(sys.argv[1:])
finally:
    sys.stderr.write("\\nmaxrss_kib=%d\\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run_measured(*args: str, stdin: bytes | None = None) -> tuple[int, str, int]:
    """(exit code, stderr without the measurement line, peak memory in MiB) of ``gradecli ARGS``."""
    p = subprocess.run(
        [sys.executable, "-c", _MEASURED, *args],
        input=stdin,
        capture_output=True,
        timeout=HANG,
        env={**os.environ, "NO_COLOR": "1"},
    )
    err = p.stderr.decode("utf-8", "replace")
    body, _, tail = err.rpartition("maxrss_kib=")
    assert tail, f"the child did not finish normally: rc={p.returncode}\n{err}"
    return p.returncode, body.strip(), int(tail) // 1024


def baseline_mib() -> int:
    return run_measured("--help")[2]


def one_line_error(rc: int, err: str, file: str, text: str) -> None:
    assert rc == 2, err
    assert "Traceback" not in err and "internal error" not in err, err
    first = err.splitlines()[0]
    assert first.startswith(file), err
    assert text in err, err


HEAD = "gradecli: 1\nreview: {title: t}\n"
OUTCOME = "  - {id: o, name: n, type: dichotomous, importance: critical}\n"


# --- size ----------------------------------------------------------------------------------------


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:  # 50 MB of real bytes, not a sparse file: reading it would show in memory
        chunk = b"# padding padding padding padding padding padding padding padding padding pad\n" * 13_000
        while fh.tell() < 50_000_000:
            fh.write(chunk)
    rc, err, mib = run_measured("validate", str(big))
    one_line_error(rc, err, str(big), f"the limit is {MAX_BYTES:,} bytes")
    assert mib < baseline_mib() + 20, f"peak memory {mib} MiB: the file was read"


def test_50_mb_on_standard_input_is_cut_off_at_the_limit() -> None:
    rc, err, mib = run_measured("validate", "-", stdin=b"#" * 50_000_000)
    one_line_error(rc, err, "<stdin>", f"larger than the limit of {MAX_BYTES:,} bytes")
    assert mib < baseline_mib() + 3 * MAX_BYTES // 2**20  # at most the limit (plus its decoded copy) is held


@pytest.mark.parametrize("command", [["check", "-"], ["meta", "-", "--measure", "GENERIC"], ["import", "csv", "-"]])
def test_standard_input_has_the_limit_in_every_command(command: list[str]) -> None:
    rc, err, _ = run_measured(*command, stdin=b"#" * 50_000_000)
    one_line_error(rc, err, "<stdin>", "larger than the limit")


def test_a_device_that_never_ends_is_cut_off_at_the_limit() -> None:
    rc, err, _ = run_measured("validate", "/dev/zero")
    one_line_error(rc, err, "/dev/zero", "larger than the limit")


@pytest.mark.parametrize(
    "before, after, suffix",
    [(["meta"], ["--measure", "GENERIC"], ".csv"), (["import", "csv"], [], ".csv"), (["check"], [], ".yaml")],
)
def test_every_reader_has_the_size_limit(tmp_path: Path, before: list[str], after: list[str], suffix: str) -> None:
    big = tmp_path / f"big{suffix}"
    with open(big, "wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    rc, err, _ = run_measured(*before, str(big), *after)
    if before == ["check"]:  # check reports the file as a finding and goes on; the run fails
        assert rc == 1 and "Traceback" not in err, err
    else:
        one_line_error(rc, err, str(big), "limit")


# --- YAML structure --------------------------------------------------------------------------------


def test_billion_laughs_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    lines = ["gradecli: 1", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    bomb = tmp_path / "laughs.yaml"
    bomb.write_text("\n".join(lines) + "\n")  # 10**10 strings if expanded
    rc, err, mib = run_measured("validate", str(bomb))
    one_line_error(rc, err, str(bomb), "alias bomb")
    assert mib < baseline_mib() + 50


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "loop.yaml"
    f.write_text("gradecli: 1\nreview: &r\n  title: t\n  loop: *r\n")
    rc, err, _ = run_measured("validate", str(f))
    one_line_error(rc, err, f"{f}:", "recursive alias")


@pytest.mark.parametrize(
    "name, body",
    ids=["flow", "block", "keys", "mappings"],
    argvalues=[
        ("flow", "x: " + "[" * 300_000 + "]" * 300_000 + "\n"),
        ("block", "x:\n" + "- " * 300_000 + "a\n"),
        ("keys", "x:\n  " + "? " * 300_000 + "a\n"),
        ("mappings", "".join(" " * i + "a:\n" for i in range(200))),
    ],
)
def test_deep_nesting_is_refused_at_its_line_not_a_crash(tmp_path: Path, name: str, body: str) -> None:
    # libyaml's composer recurses in C: 300,000 levels used to end the process with SIGSEGV
    f = tmp_path / f"deep-{name}.yaml"
    f.write_text("gradecli: 1\n" + body)
    rc, err, _ = run_measured("validate", str(f))
    one_line_error(rc, err, f"{f}:", f"nested more than {tree.MAX_DEPTH} levels deep")


def test_deep_json_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "deep.json"
    f.write_text('{"gradecli": 1, "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    rc, err, _ = run_measured("validate", str(f))
    one_line_error(rc, err, str(f), f"nested more than {tree.MAX_DEPTH} levels deep")


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_more_than_a_million_values_is_refused_in_bounded_memory(tmp_path: Path, suffix: str) -> None:
    f = tmp_path / f"values{suffix}"
    if suffix == ".json":
        f.write_text('{"gradecli": 1, "x": [' + "0," * 4_000_000 + "0]}")
    else:
        f.write_text("gradecli: 1\nx: [" + "0," * 4_000_000 + "0]\n")
    rc, err, mib = run_measured("validate", str(f))
    one_line_error(rc, err, f"{f}:", f"more than {tree.MAX_VALUES:,} values")
    # composing all 4 million nodes took 1.4 GB; the event pass stops at the limit
    assert mib < baseline_mib() + 150, f"peak memory {mib} MiB"


# --- the evidence model ------------------------------------------------------------------------------


def test_more_than_10000_outcomes(tmp_path: Path) -> None:
    f = tmp_path / "outcomes.yaml"
    f.write_text(HEAD + "outcomes:\n" + "".join(OUTCOME.replace("id: o", f"id: o{i}") for i in range(10_001)))
    rc, err, _ = run_measured("validate", str(f))
    one_line_error(rc, err, f"{f}:4:", "outcomes: List should have at most 10000 items")


def test_more_than_100000_studies(tmp_path: Path) -> None:
    f = tmp_path / "studies.yaml"
    studies = "".join(f"  - {{id: s{i}, design: rct}}\n" for i in range(100_001))
    f.write_text(HEAD + "studies:\n" + studies + "outcomes:\n" + OUTCOME)
    rc, err, _ = run_measured("validate", str(f))
    one_line_error(rc, err, f"{f}:4:", "studies: List should have at most 100000 items")


def test_more_than_100000_data_rows(tmp_path: Path) -> None:
    f = tmp_path / "rows.yaml"
    row = "      - {{study: s{}, yi: 0.1, sei: 0.2}}\n"  # 7 values a row: 100,001 rows stay under MAX_VALUES
    outcome = "  - id: o\n    name: n\n    type: generic\n    measure: MD\n    importance: critical\n    data:\n"
    f.write_text(HEAD + "outcomes:\n" + outcome + "".join(row.format(i) for i in range(100_001)))
    rc, err, _ = run_measured("validate", str(f))
    one_line_error(rc, err, f"{f}:", "outcomes[0].data: List should have at most 100000 items")


@pytest.mark.parametrize(
    "field, text, limit",
    ids=["title", "notes"],
    argvalues=[
        ("review.title", "gradecli: 1\nreview: {title: " + "x" * 10_001 + "}\n", "at most 10000 characters"),
        (
            "outcomes[0].notes",
            HEAD + "outcomes:\n" + OUTCOME.replace("}", ", notes: " + "x" * 100_001 + "}"),
            "at most 100000",
        ),
    ],
)
def test_string_length_limits(tmp_path: Path, field: str, text: str, limit: str) -> None:
    f = tmp_path / "long.yaml"
    f.write_text(text)
    rc, err, _ = run_measured("validate", str(f))
    assert rc == 2 and "Traceback" not in err
    assert any(field in line and limit in line for line in err.splitlines()), err


# --- rule sets ---------------------------------------------------------------------------------------


def test_extends_chain_depth_and_loops_are_refused(tmp_path: Path) -> None:
    for i in range(12):
        (tmp_path / f"r{i}.yaml").write_text(f"name: r{i}\nextends: r{i + 1}.yaml\n")
    (tmp_path / "r12.yaml").write_text("name: r12\n")
    rc, err, _ = run_measured("rules", "show", str(tmp_path / "r0.yaml"))
    one_line_error(rc, err, str(tmp_path), "levels deep")
    (tmp_path / "a.yaml").write_text("name: a\nextends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("name: b\nextends: a.yaml\n")
    rc, err, _ = run_measured("rules", "show", str(tmp_path / "a.yaml"))
    one_line_error(rc, err, str(tmp_path), "makes a loop")


# --- archives ------------------------------------------------------------------------------------------


def test_a_zip_bomb_data_package_is_refused_before_unpacking(tmp_path: Path) -> None:
    import zipfile

    from gradecli.io.datapackage import MAX_BYTES as PACKAGE_BYTES

    bomb = tmp_path / "CD000000-dataPackage.zip"
    with (
        zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf,
        zf.open("CD000000-data-rows.csv", "w", force_zip64=True) as member,
    ):
        for _ in range(PACKAGE_BYTES // 2**20 + 1):
            member.write(b"\0" * 2**20)
    assert bomb.stat().st_size < 2**20  # a megabyte that unpacks to over 200 MB
    rc, err, mib = run_measured("import", "revman-data", str(bomb))
    one_line_error(rc, err, str(bomb), "the package unpacks to")
    assert mib < baseline_mib() + 50


def _zip_of(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def test_nested_data_zips_share_one_unpacking_limit(tmp_path: Path) -> None:
    """Each inner zip under the limit, together over it: refused on the bytes actually unpacked (it
    used to check each zip on its own, so a 4.5 KB package unpacked 450 MiB and was accepted)."""
    from gradecli.io.datapackage import MAX_BYTES as PACKAGE_BYTES

    third = PACKAGE_BYTES // 3 + 2**20
    inner = {f"data{i}.zip": _zip_of({f"part{i}-data-rows.csv": b"\0" * third}) for i in range(3)}
    package = tmp_path / "CD000001-dataPackage.zip"
    package.write_bytes(_zip_of(inner))
    assert package.stat().st_size < 2**20
    rc, err, mib = run_measured("import", "revman-data", str(package))
    one_line_error(rc, err, str(package), "the package unpacks to")
    assert mib < baseline_mib() + 2.2 * PACKAGE_BYTES / 2**20, "refused before a third data zip is unpacked"


def test_a_member_that_lies_about_its_size_is_refused_without_unpacking_past_the_limit(tmp_path: Path) -> None:
    """A member whose directory entry claims a small size and whose data inflate far beyond it is
    read only up to the budget left (zipfile stops at the stated size; a short stated size is then a
    damaged member) — never inflated whole in memory."""
    import struct

    from gradecli.io.datapackage import MAX_BYTES as PACKAGE_BYTES

    real = _zip_of({"CD000002-data-rows.csv": b"\0" * (PACKAGE_BYTES + 2**20)})
    raw = bytearray(real)
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # uncompressed size in both headers
        i = raw.find(sig)
        raw[i + offset : i + offset + 4] = struct.pack("<I", 1000)
    package = tmp_path / "CD000002-dataPackage.zip"
    package.write_bytes(bytes(raw))
    rc, err, mib = run_measured("import", "revman-data", str(package))
    one_line_error(rc, err, str(package), "damaged zip member")
    assert mib < baseline_mib() + 50
