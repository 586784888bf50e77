"""Run gradecli in-process on a broken file and assert that the run ended as documented.

Shared by ``tests/test_fuzz.py`` (hypothesis) and ``tests/test_fuzz_regressions.py`` (the crashes
it found). A run "ends as documented" when its exit code is one the command may give, it prints no
traceback and no ``internal error`` (exit 3), a refused file is named in the message, and machine
formats are well-formed (strict JSON without NaN/Infinity, XML that parses, one finding per line).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fuzz_strategies import EXAMPLE_PATHS, FuzzDocument
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from gradecli.cli import main

IN_CI = bool(os.environ.get("CI"))
EXAMPLES = int(os.environ.get("GRADECLI_FUZZ_EXAMPLES", "120"))


def fuzz_settings(share: float = 1.0) -> settings:
    """``share`` of ``GRADECLI_FUZZ_EXAMPLES`` examples; derandomized and without a database in CI."""
    return settings(
        max_examples=max(1, round(EXAMPLES * share)),
        deadline=None,
        derandomize=IN_CI,
        database=None if IN_CI else settings.default.database,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        print_blob=True,
    )


# ---------------------------------------------------------------------------------------------
# Running the command line in-process


@dataclass(repr=False)
class Run:
    argv: list[str]
    code: int
    out: str
    err: str

    def __repr__(self) -> str:  # shown by a failing assert
        head = f"gradecli {' '.join(self.argv)} -> exit {self.code}"
        return f"{head}\n--- stdout\n{self.out[:3000]}\n--- stderr\n{self.err[:3000]}"


def _call(argv: list[str]) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code: object = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code
    return Run(argv, code if isinstance(code, int) else -1, out.getvalue(), err.getvalue())


def _traceback(argv: list[str]) -> str:
    """The traceback of a crash, for the failure message (GRADECLI_DEBUG=1 re-raises it)."""
    import traceback

    old = os.environ.get("GRADECLI_DEBUG")
    os.environ["GRADECLI_DEBUG"] = "1"
    try:
        _call(argv)
    except Exception:
        return traceback.format_exc()
    finally:
        if old is None:
            del os.environ["GRADECLI_DEBUG"]
        else:
            os.environ["GRADECLI_DEBUG"] = old
    return "(no traceback when re-run with GRADECLI_DEBUG=1)"


def run(*argv: str, allowed: tuple[int, ...]) -> Run:
    """Run ``gradecli ARGV`` in-process and assert the run ended as documented."""
    result = _call(list(argv))
    both = result.out + result.err
    if result.code == 3 or "internal error" in both or "Traceback" in both:
        pytest.fail(f"crash:\n{result}\n{_traceback(list(argv))}")
    assert result.code in allowed, result
    return result


@contextlib.contextmanager
def written(doc: FuzzDocument) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="gradecli-fuzz-") as folder:
        path = Path(folder) / f"evidence{doc.suffix}"
        path.write_bytes(doc.content)
        yield str(path)


@pytest.fixture
def fuzz_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRADECLI_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")


def _strict_json(text: str) -> object:
    def refuse(token: str) -> object:
        raise AssertionError(f"non-finite number {token} in JSON output")

    return json.loads(text, parse_constant=refuse)


# ---------------------------------------------------------------------------------------------
# The assertions, per command


def check_validate(path: str) -> Run:
    result = run("validate", path, allowed=(0, 2))
    if result.code == 0:
        assert result.out.startswith(f"{path}: valid"), result
        assert result.err == "", result
    else:
        lines = result.err.splitlines()
        assert lines, result
        for line in lines:
            assert line.startswith(f"{path}:"), result
            assert line[len(path) + 1 :].strip(), result
        assert result.out == "", result
    return result


ASSESS_OPTIONS = st.sampled_from(
    [
        ["--format", "table"],
        ["--format", "table", "--detail"],
        ["--format", "table", "--profile"],
        ["--format", "json"],
        ["--format", "json", "--compare", "pollock-2016"],
        ["--format", "markdown"],
        ["--format", "html"],
        ["--format", "csv"],
        ["--format", "table", "--compare", "strict"],
        ["--rules", "strict", "--format", "json"],
    ]
)


def check_assess(path: str, options: list[str], valid: bool) -> Run:
    result = run("assess", path, *options, allowed=(0, 2))
    if result.code == 2:
        assert result.err.strip(), result
        assert path in result.err.splitlines()[0], result
    else:
        assert valid, f"validate refused the file but assess accepted it\n{result}"
        assert result.out.strip(), result
        if "json" in options:
            payload = _strict_json(result.out)
            assert isinstance(payload, dict), result
    return result


CHECK_FORMATS = st.sampled_from(["text", "json", "github", "junit"])


def check_check(path: str, fmt: str) -> Run:
    result = run("check", path, "--format", fmt, "--notes", allowed=(0, 1, 2))
    assert result.err.strip(), result  # the summary line, at least
    if fmt == "text":
        for line in result.out.splitlines():  # one finding per line, each naming the file
            assert line.startswith(f"{path}:"), result
    elif fmt == "json":
        for line in result.out.split("\n")[:-1]:  # JSON lines: U+2028 may stand raw inside a string
            _strict_json(line)
    elif fmt == "junit":
        ET.fromstring(result.out)  # well-formed XML, whatever the messages hold
    return result


def check_diff(old: str, new: str) -> Run:
    return run("diff", old, new, "--format", "json", allowed=(0, 2))


def through_every_command(doc: FuzzDocument, data: st.DataObject) -> None:
    with written(doc) as path:
        valid = check_validate(path).code == 0
        check_assess(path, data.draw(ASSESS_OPTIONS, label="assess options"), valid)
        check_check(path, data.draw(CHECK_FORMATS, label="check format"))
        if valid:
            old = str(data.draw(st.sampled_from(EXAMPLE_PATHS), label="diff against"))
            check_diff(old, path)
