"""Parse YAML or JSON into plain Python data plus the line/column of every value and key.

YAML is parsed with PyYAML's C parser (libyaml) and only *composed* into nodes, which carry their
marks; gradecli then builds the Python values itself:

* YAML 1.2 core schema: only ``true``/``false`` are booleans (``no``, ``on``, ``NO`` stay text, so a
  study id or a country code is never silently turned into a boolean); ``1e3`` is a number; dates
  stay text.
* ``0x1f`` (hex) and ``0o17`` (octal) are whole numbers, as the core schema says, but built as
  :class:`NonDecimalInt`, which remembers how it was written: gradecli's number fields refuse them
  (only plain decimal numbers are numbers there). ``1_000`` (YAML 1.1 underscores) is text. A whole
  number of more than ``MAX_INT_DIGITS`` decimal or ``MAX_NON_DECIMAL_DIGITS`` hex/octal digits is an
  error at its line, before Python converts the digits.
* No tags that build objects: any tag outside the core schema is an error.
* Duplicate keys are errors (PyYAML would silently keep the last one).
* Aliases are followed with a budget on the number of values built and on nesting depth, so an
  alias "bomb" (billion laughs) or a recursive alias is refused quickly, in bounded memory.
* ``<<`` merge keys are supported.

JSON is parsed by the standard library (exact JSON semantics, no NaN/Infinity, duplicate keys are
errors); its marks come from the YAML composer, which reads JSON too.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.resolver import BaseResolver

from gradecli.collector import paused_gc
from gradecli.problems import InputError, Problem, format_path

try:  # libyaml is ~10x faster; fall back to the pure-Python parser where it is missing
    from yaml._yaml import CParser as _Parser  # the class yaml.cyaml re-exports (PyYAML >= 6)
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


LIBYAML = _Parser.__module__.startswith("yaml.cyaml") or _Parser.__module__.startswith("yaml._yaml")
"""True when the fast C parser (libyaml) is in use."""

MAX_VALUES = 1_000_000
"""Most values one document may hold."""
MAX_ALIASED_VALUES = 100_000
"""Most values that aliases may repeat (an alias re-uses a part of the file written once)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists."""
SAFE_COMPOSE_DEPTH = 2_000
"""libyaml's composer recurses in C once per nesting level and crashes the process (a segmentation
fault, not an exception) somewhere past 20,000 levels, and it holds every node in memory. A text
that could nest deeper than this or hold more than ``MAX_VALUES`` values is first measured with the
event parser (constant memory, no recursion); a text that could not (any file under 1 MB with fewer
than 2,000 of the characters below: every evidence file we have seen) is composed directly."""
_OPENERS = "[{-?:"
"""Every mapping or list starts at one of these characters (flow brackets, a block list's ``-``, a
complex key's ``?``, a mapping's ``:``), so their count bounds the nesting depth from above."""

Path = tuple[str | int, ...]

Value = bool | int | float | str | list["Value"] | dict[str | int, "Value"] | None
"""A parsed value: plain data, as JSON or the YAML 1.2 core schema gives it (a YAML key is text or a
whole number)."""

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})
_INT_RE = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
MAX_INT_DIGITS = 4_300
"""Longest decimal whole number read (Python's own limit on converting decimal text to an integer)."""
MAX_NON_DECIMAL_DIGITS = 1_000
"""Longest hex or octal whole number read (its decimal form must stay printable)."""


class NonDecimalInt(int):
    """A whole number written in hex (``0x1f``) or octal (``0o17``). It equals its value, but it
    remembers its spelling (``repr`` and ``str`` give it back, never a huge decimal form), so that a
    number field can refuse it: only plain decimal numbers are numbers in gradecli's files."""

    text: str

    def __new__(cls, value: int, text: str) -> NonDecimalInt:
        self = super().__new__(cls, value)
        self.text = text
        return self

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


_FLOAT_RE = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_NUMBER_START = frozenset("-+.0123456789")


class _Core12Resolver(BaseResolver):
    """Implicit tags of the YAML 1.2 core schema (plus ``<<`` merge keys), resolved in one fast
    function: the parser calls it for every node, so it matters for `check` over many files."""

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                if value in _NULLS:
                    return _NULL
                first = value[0]
                if first in "tTfF" and value in _BOOLS:
                    return _BOOL
                if first in _NUMBER_START:
                    if _INT_RE.match(value):
                        return _INT
                    if _FLOAT_RE.match(value):
                        return _FLOAT
                if value == "<<":
                    return _MERGE
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


class _NodeLoader(_Parser, _Core12Resolver):
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _Core12Resolver.__init__(self)


@dataclass
class Tree:
    """Parsed data with the 1-based (line, column) of each value (``values``) and key (``keys``)."""

    data: object  # a Value; typed as object so that readers narrow it (isinstance) before use
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def mark(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The best-known position for ``path``: itself, else its nearest ancestor."""
        if key and path in self.keys:
            return self.keys[path]
        p = tuple(path)
        while p:
            if p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), (1, 1) if self.values else (0, 0))


def parse(text: str, name: str, *, json_syntax: bool | None = None) -> Tree:
    """Parse YAML or JSON text. ``json_syntax`` None guesses from the first character. The cyclic
    garbage collector is paused meanwhile (:func:`paused_gc`)."""
    if json_syntax is None:
        json_syntax = text.lstrip().startswith(("{", "["))
    with paused_gc():
        if json_syntax:
            return _parse_json(text, name)
        return _parse_yaml(text, name)


# ---------------------------------------------------------------------------------------------
# YAML


def _needs_measuring(text: str) -> bool:
    """True unless the text is too short to hold more than ``MAX_VALUES`` values (each takes at least
    one character) and has too few characters that open a level to nest past ``SAFE_COMPOSE_DEPTH``."""
    if len(text) > MAX_VALUES:
        return True
    count = 0
    for ch in _OPENERS:
        count += text.count(ch)
        if count > SAFE_COMPOSE_DEPTH:
            return True
    return False


def _measure(loader: _NodeLoader, name: str) -> None:
    """Walk the events and refuse nesting beyond ``MAX_DEPTH`` or more than ``MAX_VALUES`` values at
    the line where it happens. libyaml's parser keeps an explicit stack and nothing is kept, so this
    runs in constant memory and cannot overflow the C stack as composing can."""
    levels = {
        yaml.MappingStartEvent: 1,
        yaml.SequenceStartEvent: 1,
        yaml.MappingEndEvent: -1,
        yaml.SequenceEndEvent: -1,
    }
    depth = 0
    values = 0
    while True:
        event = loader.get_event()
        if event is None or type(event) is yaml.StreamEndEvent:
            return
        values += 1
        step = levels.get(type(event), 0)
        depth += step
        problem = ""
        if step > 0 and depth > MAX_DEPTH + 1:
            problem = f"nested more than {MAX_DEPTH} levels deep"
        elif values > MAX_VALUES:
            problem = f"more than {MAX_VALUES:,} values"
        if problem:
            mark = event.start_mark
            assert mark is not None  # libyaml marks every event
            raise InputError.single(name, problem, mark.line + 1, mark.column + 1)


def _compose(text: str, name: str) -> yaml.Node | None:
    loader = _NodeLoader(text)
    try:
        if _needs_measuring(text):
            _measure(loader, name)
            loader.dispose()
            loader = _NodeLoader(text)
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        what = exc.problem or exc.context or "invalid YAML"
        if "expected a single document" in str(exc.context or ""):
            what = "the file holds more than one YAML document (---); an evidence file is one document"
        if "maximum nesting depth" in what:  # libyaml >= 0.2.6 stops at 1,000 levels while looking ahead
            raise InputError.single(name, f"nested more than {MAX_DEPTH} levels deep", line, col) from None
        raise InputError.single(name, f"YAML syntax error: {what}", line, col) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, e.g. a control character
        pos = exc.position
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        message = f"YAML syntax error: character U+{ord(char):04X} is not allowed in YAML ({exc.reason})"
        raise InputError.single(name, message, line, col) from None
    except yaml.YAMLError as exc:
        raise InputError.single(name, f"YAML error: {' '.join(str(exc).split())}") from None
    finally:
        dispose = getattr(loader, "dispose", None)
        if dispose is not None:
            dispose()


def _parse_yaml(text: str, name: str) -> Tree:
    node = _compose(text, name)
    tree = Tree(data=None)
    if node is None:
        return tree
    builder = _Builder(name, tree)
    tree.data = builder.build(node, (), 0)
    if builder.problems:
        raise InputError(builder.problems)
    return tree


def _tag_message(tag: str) -> str:
    shown = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
    return f"YAML tag {shown!r} is not allowed (evidence files are plain data)"


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self, name: str, tree: Tree) -> None:
        self.name = name
        self.tree = tree
        self.count = 0
        self.aliased = 0
        self.in_alias = 0
        self.seen: set[int] = set()
        self.stack: set[int] = set()
        self.problems: list[Problem] = []

    def _fail(self, node: yaml.Node, path: Path, message: str) -> InputError:
        line, col = _mark(node)
        shown = format_path(path[:8]) + ("…" if len(path) > 8 else "")
        return InputError([Problem(self.name, line, col, shown, message)])

    def build(self, node: yaml.Node, path: Path, depth: int) -> Value:
        self.count += 1
        if self.count > MAX_VALUES:
            raise self._fail(node, path, f"more than {MAX_VALUES:,} values")
        if depth > MAX_DEPTH:
            raise self._fail(node, path, f"nested more than {MAX_DEPTH} levels deep")
        self.tree.values.setdefault(path, _mark(node))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if id(node) in self.stack:
            raise self._fail(node, path, "recursive alias: a value contains itself")
        repeated = id(node) in self.seen
        self.seen.add(id(node))
        if repeated or self.in_alias:
            self.aliased += len(node.value)
            if self.aliased > MAX_ALIASED_VALUES:
                raise self._fail(node, path, f"aliases repeat more than {MAX_ALIASED_VALUES:,} values (an alias bomb?)")
        self.in_alias += repeated
        self.stack.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                if node.tag != _SEQ:
                    raise self._fail(node, path, _tag_message(node.tag))
                return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
            assert isinstance(node, yaml.MappingNode)  # the composer makes scalars, sequences and mappings only
            return self._mapping(node, path, depth)
        finally:
            self.stack.discard(id(node))
            self.in_alias -= repeated

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[str | int, Value]:
        if node.tag != _MAP:
            raise self._fail(node, path, _tag_message(node.tag))
        out: dict[str | int, Value] = {}
        merged: dict[str | int, Value] = {}
        values = self.tree.values
        inner = depth + 1
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _MERGE:
                for source in self._merge_sources(value_node, path):
                    built = self.build(source, path, depth)
                    assert isinstance(built, dict)  # a MappingNode builds a dict (or raises)
                    for k, v in built.items():
                        merged.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._fail(key_node, path, "a key must be plain text, not a list or mapping")
            key = key_node.value if key_node.tag == _STR else self._scalar(key_node, path)
            if not isinstance(key, str | int) or isinstance(key, bool):
                key = key_node.value
            kpath = (*path, key)
            if key in out:
                line, _ = self.tree.keys[kpath]
                self.problems.append(
                    Problem(self.name, *_mark(key_node), format_path(kpath), f"duplicate key (first at line {line})")
                )
                continue
            self.tree.keys[kpath] = _mark(key_node)
            if type(value_node) is yaml.ScalarNode and inner <= MAX_DEPTH:
                # what build() does for a scalar, without the call (most values are scalars)
                self.count += 1
                if self.count > MAX_VALUES:
                    raise self._fail(value_node, kpath, f"more than {MAX_VALUES:,} values")
                values.setdefault(kpath, _mark(value_node))
                out[key] = value_node.value if value_node.tag == _STR else self._scalar(value_node, kpath)
            else:
                out[key] = self.build(value_node, kpath, inner)
        for k, v in merged.items():
            out.setdefault(k, v)
        return out

    def _merge_sources(self, node: yaml.Node, path: Path) -> Iterator[yaml.MappingNode]:
        if isinstance(node, yaml.MappingNode):
            yield node
        elif isinstance(node, yaml.SequenceNode) and all(isinstance(n, yaml.MappingNode) for n in node.value):
            yield from node.value
        else:
            raise self._fail(node, path, "a << merge key takes a mapping or a list of mappings")

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> bool | int | float | str | None:
        tag: str = node.tag
        value: str = node.value
        if tag == _STR:
            return value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return value.lower() == "true"
        if tag == _INT:
            if not _INT_RE.match(value):  # an explicit !!int tag on 1_000 or text
                shown = repr(value) if len(value) <= 60 else repr(value[:57] + "...")
                raise self._fail(
                    node, path, f"{shown} is not a whole number (only plain decimal numbers such as 12 are)"
                )
            if value.startswith(("0x", "0o")):
                if len(value) - 2 > MAX_NON_DECIMAL_DIGITS:
                    raise self._fail(
                        node,
                        path,
                        f"a {'hex' if value[1] == 'x' else 'octal'} number of {len(value) - 2:,} digits: only plain "
                        "decimal numbers such as 12 are read as numbers",
                    )
                return NonDecimalInt(int(value[2:], 16 if value[1] == "x" else 8), value)
            if len(value.lstrip("+-")) > MAX_INT_DIGITS:
                raise self._fail(
                    node, path, f"a whole number of {len(value.lstrip('+-')):,} digits (at most {MAX_INT_DIGITS:,})"
                )
            try:
                return int(value)
            except ValueError:  # pragma: no cover - the pattern and the length are checked above
                raise self._fail(node, path, "not a whole number") from None
        if tag == _FLOAT:
            low = value.lower()
            if low.endswith(".nan"):
                return math.nan
            if low.endswith(".inf"):
                return -math.inf if low.startswith("-") else math.inf
            try:
                return float(value)
            except ValueError:  # an explicit !!float tag on text
                shown = repr(value) if len(value) <= 60 else repr(value[:57] + "...")
                raise self._fail(node, path, f"{shown} is not a number") from None
        if tag == "tag:yaml.org,2002:timestamp":
            return value
        raise self._fail(node, path, _tag_message(tag))


# ---------------------------------------------------------------------------------------------
# JSON


class _Constant(str):
    """A NaN/Infinity token found in JSON: kept as a marker so the error can name its line."""


def _find_constant(data: object, path: Path = ()) -> Path | None:
    if isinstance(data, _Constant):
        return path
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for k, v in items:
        found = _find_constant(v, (*path, k))
        if found is not None:
            return found
    return None


def _parse_json(text: str, name: str) -> Tree:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                duplicates.append(k)
            out[k] = v
        return out

    constants: list[_Constant] = []

    def constant(token: str) -> _Constant:
        constants.append(_Constant(token))
        return constants[-1]

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise InputError.single(name, f"JSON syntax error: {exc.msg}", exc.lineno, exc.colno) from None
    except ValueError as exc:
        raise InputError.single(name, f"JSON error: {exc}") from None
    except RecursionError:
        raise InputError.single(name, f"nested more than {MAX_DEPTH} levels deep") from None
    tree = Tree(data=data)
    try:  # positions: JSON is (nearly) YAML, so the YAML composer finds every value's line
        marks = _parse_yaml(text, name)
        tree.values, tree.keys = marks.values, marks.keys
    except InputError as exc:
        dup = [p for p in exc.problems if p.message.startswith(("duplicate key", "nested more than", "more than"))]
        if dup:
            raise InputError(dup) from None
    if duplicates:
        raise InputError.single(name, f"duplicate key {duplicates[0]!r}")
    bad = _find_constant(data) if constants else None  # no NaN/Infinity token: no need to walk the data
    if bad is not None:
        line, col = tree.mark(bad)
        value = data
        for part in bad:
            value = value[part]
        message = f"{value} is not valid JSON (numbers must be finite)"
        raise InputError.single(name, message, line, col, format_path(bad))
    depth_problem = _too_deep(data)
    if depth_problem:
        raise InputError.single(name, depth_problem)
    return tree


def _too_deep(data: object) -> str | None:
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"nested more than {MAX_DEPTH} levels deep"
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return None
