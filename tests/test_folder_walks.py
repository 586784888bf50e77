"""Folder walks and the committed version (issue 16, category 4): `check` reads only regular files
from a folder — a FIFO named `x.yaml` used to block the run for ever, a symbolic link loop exited 3 —
and `diff --git` applies the input size limit to the committed version too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_check_cli import HEAD, SUMMARY_RR, outcome, write

from gradecli.io.source import MAX_BYTES

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symbolic links (POSIX)")


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gradecli", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


@posix_only
def test_special_files_in_a_folder_are_passed_over_with_a_note(tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    folder.mkdir()
    write(tmp_path, "evidence/ok.yaml", HEAD + outcome("o1", SUMMARY_RR))
    os.mkfifo(folder / "fifo.yaml")  # nobody writes to it: reading it would block for ever
    os.symlink("loop-b.yaml", folder / "loop-a.yaml")
    os.symlink("loop-a.yaml", folder / "loop-b.yaml")
    os.symlink("missing.yaml", folder / "broken.yaml")
    out = run(tmp_path, "check", "evidence")  # the timeout above turns a hang into a failure
    assert out.returncode == 0, out.stderr
    assert "fifo.yaml: skipped: not a regular file (a FIFO, socket or device)" in out.stderr
    assert "loop-a.yaml: skipped: a symbolic link loop" in out.stderr
    assert "broken.yaml: skipped: a broken symbolic link" in out.stderr
    assert "1 file (0 invalid, 1 outcomes)" in out.stderr
    assert "internal error" not in out.stderr


def test_diff_git_applies_the_size_limit_to_the_committed_version(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.org")
    git("config", "user.name", "t")
    review = tmp_path / "review.yaml"
    small = HEAD + outcome("o1", SUMMARY_RR)
    review.write_text(small + "#" + "x" * (MAX_BYTES + 10) + "\n", encoding="utf-8")
    git("add", "review.yaml")
    git("commit", "-q", "-m", "big")
    review.write_text(small, encoding="utf-8")
    out = run(tmp_path, "diff", "--git", "HEAD", "review.yaml")
    assert out.returncode == 2, out.stderr
    assert f"the limit is {MAX_BYTES:,} bytes" in out.stderr and "HEAD:review.yaml" in out.stderr
