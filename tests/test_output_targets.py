"""Output targets (issue 16, category 2): every write is checked, a failure is exit 2 with one line
and leaves the old file as it was; a FIFO or a device named with ``-o`` is written to, not replaced
by a regular file; ``-o -`` is standard output; rule sets and the repository's config are inputs
that no ``--output`` may overwrite; a name as long as the file system allows works."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BCG = ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml"
linux_only = pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")


def run(cwd: Path, *args: str, stdout: int | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "gradecli", *args],
        cwd=cwd,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        timeout=120,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "review.yaml").write_text(BCG.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


@linux_only
@pytest.mark.parametrize(
    "args",
    [
        ("assess", "review.yaml", "--format", "json", "-o", "/dev/full"),
        ("check", "review.yaml", "--format", "junit", "--output", "/dev/full"),
        ("export", "robvis", "review.yaml", "--tool", "rob1", "-o", "/dev/full"),
    ],
    ids=lambda a: a[0],
)
def test_a_full_device_is_a_clear_error(repo: Path, args: tuple[str, ...]) -> None:
    out = run(repo, *args)
    err = out.stderr.decode()
    assert out.returncode == 2, err
    assert "No space left on device" in err and "internal error" not in err


@linux_only
def test_standard_output_on_a_full_device(repo: Path) -> None:
    with open("/dev/full", "wb") as full:
        out = run(repo, "assess", "review.yaml", stdout=full.fileno())
    err = out.stderr.decode()
    assert out.returncode == 2 and "cannot write to standard output" in err and "internal error" not in err


@linux_only
def test_dev_null_stays_a_device(repo: Path) -> None:
    out = run(repo, "assess", "review.yaml", "--format", "json", "-o", "/dev/null")
    assert out.returncode == 0, out.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_fifo_is_written_to_not_replaced(repo: Path) -> None:
    fifo = repo / "pipe.json"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    out = run(repo, "assess", "review.yaml", "--format", "json", "-o", str(fifo))
    reader.join(timeout=60)
    assert out.returncode == 0, out.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a FIFO
    assert got and got[0].startswith(b"{")


def test_dash_is_standard_output(repo: Path) -> None:
    checked = run(repo, "check", "review.yaml", "--format", "junit", "--output", "-")
    assert checked.returncode == 0 and checked.stdout.startswith(b"<?xml")
    pytest.importorskip("matplotlib")
    reported = run(repo, "report", "review.yaml", "-o", "-")
    assert reported.returncode == 0 and reported.stdout.startswith(b"<!DOCTYPE html>")
    assert not (repo / "-").exists()


@pytest.mark.parametrize("where", ["--rules", "defaults.rules", ".gradecli.yaml"])
def test_a_rule_set_is_an_input(repo: Path, where: str) -> None:
    mine = repo / "mine.yaml"
    mine.write_text("name: mine\nextends: default\n", encoding="utf-8")
    before = mine.read_bytes()
    extra: tuple[str, ...] = ()
    if where == "--rules":
        extra = ("--rules", "mine.yaml")
    elif where == "defaults.rules":
        review = repo / "review.yaml"
        review.write_text(review.read_text().replace("defaults:\n", "defaults:\n  rules: mine.yaml\n", 1))
    else:
        (repo / ".gradecli.yaml").write_text("rules: mine.yaml\n", encoding="utf-8")
    out = run(repo, "assess", "review.yaml", *extra, "--format", "json", "-o", "mine.yaml")
    assert out.returncode == 2 and b"refusing to overwrite" in out.stderr
    assert mine.read_bytes() == before


def test_the_config_is_an_input_to_check(repo: Path) -> None:
    config = repo / ".gradecli.yaml"
    config.write_text("fail_on: error\n", encoding="utf-8")
    out = run(repo, "check", "review.yaml", "--format", "junit", "--output", ".gradecli.yaml")
    assert out.returncode == 2 and b"refusing to overwrite" in out.stderr
    assert config.read_text() == "fail_on: error\n"


def test_a_long_output_name(repo: Path) -> None:
    name = "a" * 250 + ".json"  # 255 bytes: the longest name most file systems take
    out = run(repo, "assess", "review.yaml", "--format", "json", "-o", name)
    assert out.returncode == 0, out.stderr
    assert (repo / name).read_bytes().startswith(b"{")
    assert [p.name for p in repo.iterdir() if p.name.startswith(".gradecli-")] == []
