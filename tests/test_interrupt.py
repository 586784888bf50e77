"""Nothing lost: outputs appear whole or not at all; Ctrl-C (SIGINT) exits 130 and SIGTERM 143, with
one line and no traceback, leaving no partial or temporary file behind.

Two kinds of test: an interruption injected at the worst moment of writing (after the temporary file
is written, before it replaces the target) through the real command, in-process; and real signals
sent to a real ``gradecli check`` while it works, serially and with worker processes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from gradecli.cli import main
from gradecli.report import output

ROOT = Path(__file__).resolve().parent.parent
BCG = ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml"
CSV = "study,events_t,n_t,events_c,n_c\nA,4,123,11,139\nB,6,306,29,303\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or p.name.startswith("."))


def commands(tmp: Path, out: Path) -> dict[str, list[str]]:
    (tmp / "studies.csv").write_text(CSV)
    return {
        "assess": ["assess", str(BCG), "--output", str(out)],
        "assess-json": ["assess", str(BCG), "--format", "json", "--output", str(out)],
        "check": ["check", str(BCG), "--output", str(out)],
        "import": ["import", "csv", str(tmp / "studies.csv"), "-o", str(out), "--force"],
        "export": ["export", "robvis", str(BCG), "--tool", "rob1", "-o", str(out), "--force"],
        "report": ["report", str(BCG), "-o", str(out)],
        "plot": ["plot", "rob", str(BCG), "-o", str(out)],
    }


@pytest.mark.parametrize("name", ["assess", "assess-json", "check", "import", "export", "report", "plot"])
@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
def test_interrupted_while_writing_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, existing: bool
) -> None:
    if name in ("report", "plot"):
        pytest.importorskip("matplotlib")
    out = tmp_path / ("result.svg" if name == "plot" else "result.out")
    if existing:
        out.write_text("the previous report\n")
    argv = commands(tmp_path, out)[name]
    real_fsync = os.fsync

    def ctrl_c(fd: int) -> None:  # the temporary file is complete on disk: the worst moment
        real_fsync(fd)
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "fsync", ctrl_c)
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 130
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1] == "gradecli: interrupted" and "Traceback" not in err
    if existing:
        assert out.read_text() == "the previous report\n"
    else:
        assert not out.exists()
    assert leftovers(tmp_path) == []


def test_a_completed_write_replaces_the_file_whole_and_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "sof.md"
    out.write_text("old\n")
    out.chmod(0o640)
    with pytest.raises(SystemExit) as exc:
        main(["assess", str(BCG), "--format", "markdown", "--output", str(out)])
    assert exc.value.code == 0
    assert out.read_text().startswith("#") and "old" not in out.read_text()
    assert out.stat().st_mode & 0o777 == 0o640
    assert leftovers(tmp_path) == []


# --- real signals ------------------------------------------------------------------------------------

linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to know the run is busy")


def evidence_folder(tmp_path: Path, files: int) -> Path:
    folder = tmp_path / "evidence"
    folder.mkdir()
    for i in range(files):
        shutil.copy(BCG, folder / f"review-{i:04d}.yaml")
    return folder


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def wait_until(condition: Callable[[], bool], proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"the run ended (rc={proc.returncode}) before it was {what}: too little work to interrupt")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the run was never {what}")
        time.sleep(0.02)


@linux_only
@pytest.mark.parametrize(
    "jobs, sig, code, message, times",
    [
        ("1", signal.SIGINT, 130, "gradecli: interrupted", 1),
        ("2", signal.SIGINT, 130, "gradecli: interrupted", 1),
        ("1", signal.SIGTERM, 143, "gradecli: terminated", 1),
        # a second signal 50 ms later, while the run unwinds: it used to hang (workers) or die half-way
        ("1", signal.SIGINT, 130, "gradecli: interrupted", 2),
        ("2", signal.SIGINT, 130, "gradecli: interrupted", 2),
        ("1", signal.SIGTERM, 143, "gradecli: terminated", 2),
        ("2", signal.SIGTERM, 143, "gradecli: terminated", 2),
    ],
    ids=[
        "ctrl-c-serial",
        "ctrl-c-workers",
        "sigterm-serial",
        "ctrl-c-twice-serial",
        "ctrl-c-twice-workers",
        "sigterm-twice-serial",
        "sigterm-twice-workers",
    ],
)
def test_a_signal_stops_check_cleanly(
    tmp_path: Path, jobs: str, sig: signal.Signals, code: int, message: str, times: int
) -> None:
    # about 2 ms of work per file here (measured: 400 files in 0.7 s): 4,000 files keep the run busy far
    # longer than the time it takes to interrupt it (it is stopped after 1 s of CPU)
    folder = evidence_folder(tmp_path, 4000)
    out = tmp_path / "report.xml"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gradecli",
            "check",
            str(folder),
            "--jobs",
            jobs,
            "--format",
            "junit",
            "--output",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a process group of its own, as a terminal's Ctrl-C would reach
    )
    if jobs == "1":
        wait_until(lambda: cpu_seconds(proc.pid) > 1.0, proc, "busy checking files")
    else:
        wait_until(lambda: len(children(proc.pid)) >= 2, proc, "running its workers")
        time.sleep(0.5)
    for i in range(times):
        if i:
            time.sleep(0.05)
        os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=60)
    err = stderr.decode()
    assert proc.returncode == code, err
    assert err.strip().splitlines()[-1] == message, err
    assert "Traceback" not in err and stdout == b""
    assert not out.exists()
    assert leftovers(tmp_path) == []
    time.sleep(0.2)
    assert children(proc.pid) == []
