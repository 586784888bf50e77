"""Fuzzing: broken evidence files never crash `validate`, `assess`, `check` or `diff`.

The shipped examples are mutated as data (dropped keys, wrong types, swapped numbers, huge and tiny
floats, NaN/inf written as text, unicode, deep nesting, ...) and as raw bytes (flips, truncation,
anchors, aliases, tags, merge keys, tabs, BOMs, ...) — see ``tests/fuzz_strategies.py`` — and every
document goes through the commands in-process. Each run must end with its documented exit code
(validate and assess 0 or 2; check 0, 1 or 2; diff 0 or 2) and a message: never a traceback,
never ``internal error`` (exit 3). A refused file is named in the first line of the message, and
``assess --format json`` prints strict JSON (no NaN or Infinity); `check` prints one finding per line,
JSON lines and JUnit XML that parse.

Budget: under CI (``CI`` set) the examples are derandomized (the same ones every run, no example
database) and the module takes well under a minute. More examples for a long local run::

    GRADECLI_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py

``GRADECLI_FUZZ_EXAMPLES`` sets the number of examples of each test (default 120; the whole-document
test takes half). Outside CI hypothesis draws new examples each run and keeps failing ones in
``.hypothesis/`` to replay them first. A crash found here becomes a file in ``tests/bad_inputs/``
(an invalid file `validate` must refuse) or ``tests/fuzz_regressions/`` (a valid file that crashed
assess or check).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz_cli import (
    check_assess,
    check_check,
    check_validate,
    fuzz_env,
    fuzz_settings,
    through_every_command,
    written,
)
from fuzz_strategies import (
    EXAMPLE_PATHS,
    FuzzDocument,
    generated_documents,
    hostile_values,
    mutated_bytes,
    mutated_documents,
    perturbed_documents,
    to_json,
    to_yaml,
)
from hypothesis import given
from hypothesis import strategies as st

pytestmark = pytest.mark.usefixtures(fuzz_env.__name__)


# ---------------------------------------------------------------------------------------------
# The tests


@fuzz_settings()
@given(doc=mutated_documents(syntax="yaml"), data=st.data())
def test_mutated_yaml_documents(doc: FuzzDocument, data: st.DataObject) -> None:
    through_every_command(doc, data)


@fuzz_settings()
@given(doc=mutated_documents(syntax="json"), data=st.data())
def test_mutated_json_documents(doc: FuzzDocument, data: st.DataObject) -> None:
    through_every_command(doc, data)


@fuzz_settings()
@given(doc=mutated_bytes(), data=st.data())
def test_mutated_bytes(doc: FuzzDocument, data: st.DataObject) -> None:
    through_every_command(doc, data)


@fuzz_settings()
@given(doc=perturbed_documents(), data=st.data())
def test_extreme_but_valid_numbers(doc: FuzzDocument, data: st.DataObject) -> None:
    through_every_command(doc, data)


@fuzz_settings()
@given(doc=generated_documents(), data=st.data())
def test_generated_documents(doc: FuzzDocument, data: st.DataObject) -> None:
    through_every_command(doc, data)


@fuzz_settings(share=0.5)
@given(value=hostile_values, syntax=st.sampled_from(["yaml", "json"]), data=st.data())
def test_any_value_as_the_whole_document(value: object, syntax: str, data: st.DataObject) -> None:
    text = to_yaml(value) if syntax == "yaml" else to_json(value)
    doc = FuzzDocument(text.encode("utf-8"), f".{syntax}", "whole document")
    through_every_command(doc, data)


@pytest.mark.parametrize("example", EXAMPLE_PATHS, ids=[p.name for p in EXAMPLE_PATHS])
def test_examples_pass_the_same_assertions(example: Path) -> None:
    """The harness itself: the unmutated examples are valid and assess cleanly in every format."""
    doc = FuzzDocument(example.read_bytes(), ".yaml", "unmutated")
    with written(doc) as path:
        assert check_validate(path).code == 0
        for fmt in ("table", "json", "markdown", "html", "csv"):
            assert check_assess(path, ["--format", fmt], True).code == 0
        for fmt in ("text", "json", "github", "junit"):
            check_check(path, fmt)


def test_the_harness_catches_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug planted in the engine is reported (exit 3 and its traceback), not passed over."""
    import gradecli.grade.engine

    def planted(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("planted bug")

    monkeypatch.setattr(gradecli.grade.engine, "assess", planted)
    with pytest.raises(pytest.fail.Exception, match=r"(?s)exit 3.*Traceback.*ZeroDivisionError: planted bug"):
        check_assess(str(EXAMPLE_PATHS[0]), ["--format", "json"], True)
