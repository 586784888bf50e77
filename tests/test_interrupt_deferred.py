"""A signal that lands inside library code while ``check`` works still ends the run cleanly (exit 130 or
143, one line), never as an internal error (GC000, exit 3) or as a death by SIGINT.

``tests/test_interrupt.py`` sends real signals to a busy run, and failed now and then on a loaded
machine: the signal landed in the first file, while modules were imported and the models' validators
built, where two kinds of library code do not let a KeyboardInterrupt through:

* pydantic-core builds a validator in Rust and turns an exception raised in the Python it calls (an
  enum's ``value``) into a ``SchemaError``: the file was a GC000 finding and the run exited 3;
* dataclasses build their methods with ``exec`` of a string: a KeyboardInterrupt that leaves such an
  ``exec`` makes the interpreter kill itself with SIGINT at exit, although gradecli caught it and
  asked for exit 130 (the parent saw ``-2``).

Here a real signal is raised by the process itself at such a place in the first file, every time: one
that converts what is raised into another exception, and one inside ``exec`` of a string. The run is
``python -m`` (as the interpreter's exit-by-SIGINT applies to it) of a small module that plants the
place and calls :func:`gradecli.cli.main`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BCG = ROOT / "examples" / "bcg-vaccine-tuberculosis.yaml"

RUNNER = """
import signal
import sys

import gradecli.pipeline as pipeline
from gradecli.cli import main

sig = getattr(signal, sys.argv[1])
where = sys.argv[2]
real = pipeline._check_file
landed = []


def busy():
    total = 0
    for i in range(1000):  # Python code: a handler that raises does so here
        total += i
    return total


def first_file_lands_a_signal(*args, **kwargs):
    if not landed:
        landed.append(True)
        if where == "converted":  # as pydantic-core does while it builds a validator
            try:
                signal.raise_signal(sig)
                busy()
            except BaseException as exc:
                raise RuntimeError(f"Error building validator: {exc!r}") from None
        else:  # as dataclasses do when they build their methods
            exec("signal.raise_signal(sig)\\nbusy()", {"signal": signal, "sig": sig, "busy": busy})
    return real(*args, **kwargs)


pipeline._check_file = first_file_lands_a_signal
main(sys.argv[3:])
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("where", ["converted", "exec"])
@pytest.mark.parametrize(
    "sig, code, message",
    [("SIGINT", 130, "gradecli: interrupted"), ("SIGTERM", 143, "gradecli: terminated")],
    ids=["ctrl-c", "sigterm"],
)
def test_a_signal_inside_library_code_still_stops_check_cleanly(
    tmp_path: Path, sig: str, code: int, message: str, where: str
) -> None:
    (tmp_path / "lands_a_signal.py").write_text(RUNNER)
    folder = tmp_path / "evidence"
    folder.mkdir()
    for i in range(3):
        shutil.copy(BCG, folder / f"review-{i}.yaml")
    out = tmp_path / "report.xml"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))}
    env.pop("GRADECLI_DEBUG", None)
    check_args = ["check", str(folder), "--jobs", "1", "--format", "junit", "--output", str(out)]
    proc = subprocess.run(
        [sys.executable, "-m", "lands_a_signal", sig, where, *check_args],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    err = proc.stderr.decode()
    assert proc.returncode == code, err
    assert err.strip().splitlines()[-1] == message, err
    assert "Traceback" not in err and "GC000" not in err and proc.stdout == b""
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evidence", "lands_a_signal.py"]
