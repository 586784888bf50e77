"""When the cyclic garbage collector runs (gradecli/collector.py): paused while one input is read
and assessed, running again afterwards and between the files of `check`."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import gradecli.check.run as check_run
import gradecli.grade.engine as engine
from gradecli.cli import main
from gradecli.collector import paused_gc
from gradecli.pipeline import load_and_assess

EXAMPLE = str(Path(__file__).resolve().parent.parent / "examples" / "bcg-vaccine-tuberculosis.yaml")


@pytest.fixture(autouse=True)
def collecting():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_paused_for_the_block_and_restored_after():
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block decides
    assert gc.isenabled()


def test_restored_after_an_exception():
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_paused_collector_is_left_paused():
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()


def _spy(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[bool]:
    """Whether the collector runs, at each call of ``module.name``."""
    seen: list[bool] = []
    real = getattr(module, name)

    def spying(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spying)
    return seen


def _spy_on_assess(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    return _spy(monkeypatch, engine, "assess")


def test_load_and_assess_runs_paused(monkeypatch):
    seen = _spy_on_assess(monkeypatch)
    load_and_assess(EXAMPLE)
    assert seen == [False] and gc.isenabled()


def test_a_one_input_command_runs_paused(monkeypatch, capsys):
    seen = _spy_on_assess(monkeypatch)
    with pytest.raises(SystemExit) as done:
        main(["assess", EXAMPLE, "--format", "json"])
    assert done.value.code == 0 and seen == [False]
    assert gc.isenabled()
    assert '"schema_version"' in capsys.readouterr().out


def test_check_lets_the_collector_run_between_files(monkeypatch, tmp_path, capsys):
    # each file is assessed with the collector paused; what check does with the assessment after
    # (its findings), and the next file's start, run with it collecting
    for i in range(3):
        (tmp_path / f"review-{i}.yaml").write_text(Path(EXAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / ".git").mkdir()
    seen = _spy_on_assess(monkeypatch)
    after = _spy(monkeypatch, check_run, "assessment_findings")
    with pytest.raises(SystemExit):
        main(["check", str(tmp_path), "--jobs", "1"])
    assert seen == [False, False, False]
    assert after == [True, True, True]
