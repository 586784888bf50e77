"""Hypothesis strategies that break evidence files: the examples mutated as data and as raw bytes.

Two families, both starting from the shipped examples (``examples/*.yaml``,
``examples/living-review/*.yaml``):

* :func:`mutated_documents` changes the *data* of an example (drop keys, values of the wrong type,
  swapped numbers, huge and tiny floats, NaN/inf written as text, unicode, empty and duplicated
  lists, deep nesting, subtrees moved to the wrong place) and serialises it as YAML or JSON;
* :func:`mutated_bytes` changes the *text* of an example (byte flips, truncation, YAML syntax such
  as anchors, aliases, tags, merge keys, tabs and BOMs inserted, lines deleted, duplicated or
  re-indented).

Each strategy gives a :class:`FuzzDocument`: the bytes to write and the file suffix (which decides
whether gradecli reads it as YAML or JSON).
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from gradecli.io.tree import parse

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PATHS = sorted((ROOT / "examples").glob("*.yaml")) + sorted(
    (ROOT / "examples" / "living-review").glob("*.yaml")
)
EXAMPLE_TEXTS: dict[str, str] = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in EXAMPLE_PATHS}
EXAMPLE_DATA: dict[str, Any] = {name: parse(text, name).data for name, text in EXAMPLE_TEXTS.items()}
EXAMPLE_NAMES = sorted(EXAMPLE_TEXTS)

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class FuzzDocument:
    """A broken evidence file: its bytes, the suffix to save it with, and how it was made."""

    content: bytes
    suffix: str
    how: str

    def __repr__(self) -> str:  # hypothesis prints this for a failing example
        return f"FuzzDocument(suffix={self.suffix!r}, how={self.how!r}, content={self.content[:3000]!r})"


# ---------------------------------------------------------------------------------------------
# Values that do not belong


SPECIAL_FLOATS = [
    0.0,
    -0.0,
    1e308,
    -1e308,
    1.7976931348623157e308,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    1e-300,
    1e300,
    1e-16,
    1 - 1e-16,
    1 + 1e-15,
    0.5,
    -1.0,
    100.0,
    100.00000001,
    1e16,
    math.nan,
    math.inf,
    -math.inf,
]
SPECIAL_INTS = [0, -1, 1, 2, 999, 1000, 3000, 3001, 2**31, 2**53 + 1, 2**63, -(2**63), 10**9, 10**9 + 1, 10**30]
SPECIAL_STRINGS = [
    "NaN",
    "nan",
    ".nan",
    ".NaN",
    "inf",
    "-inf",
    ".inf",
    "-.inf",
    "+.inf",
    "Infinity",
    "-Infinity",
    "1e999",
    "-1e999",
    "1e-999",
    "0x1F",
    "0o17",
    "1_000",
    "1,5",
    "١٢",  # Arabic-Indic digits
    "",
    " ",
    "\t",
    "null",
    "~",
    "true",
    "no",
    "on",
    "yes",
    "1",
    "-0",
    "1.5",
    "2020-01-01",
    "<<",
    "*a",
    "&a",
    "!!python/object:os.system",
    "rob2",
    "rob1",
    "robins-i",
    "rct",
    "nrsi",
    "high",
    "low",
    "unclear",
    "some_concerns",
    "serious",
    "very_serious",
    "extremely_serious",
    "very_low",
    "critical",
    "dichotomous",
    "continuous",
    "generic",
    "RR",
    "OR",
    "PETO_OR",
    "SMD",
    "HR",
    "MH",
    "PETO",
    "REML",
    "fixed",
    "random",
    "any_effect",
    "default",
    "strict",
    "pollock-2016",
    "does-not-exist",
    "\u202eevil\u202c",  # right-to-left override
    "\u0301",  # a lone combining accent
    "e\u0301\u0301\u0301\u0301",
    "مرحبا بالعالم",
    "שלום",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "😀👩‍👩‍👧",
    "\u200b\u200d\ufeff",
    "\x1b[31mred\x1b[0m",
    "a\r\nb",
    "line\u2028sep",
    "\x7f\x85\x01\x02",
    "<script>alert(1)</script>",
    "| a | b |",
    "=cmd|' /C calc'!A0",
    "%s%n{0}{}",
    "::error::x",
    "]]></failure>",
    "x" * 10_000,
    "x" * 10_001,
    "word " * 20_000,
]

unicode_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)


def _nested(depth: int, leaf: Any, as_list: bool) -> Any:
    value = leaf
    for _ in range(depth):
        value = [value] if as_list else {"k": value}
    return value


hostile_values: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(SPECIAL_FLOATS),
    st.sampled_from(SPECIAL_INTS),
    st.sampled_from(SPECIAL_STRINGS),
    st.sampled_from([None, True, False, [], {}, [None], [1, 2], [2, 1], [0.5, 0.5], [1, 2, 3], {"a": 1}]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e-300, max_value=1e-300),
    st.integers(),
    unicode_text,
    st.lists(st.one_of(st.floats(), st.integers(), unicode_text), max_size=4),
    st.builds(_nested, st.integers(1, 80), st.sampled_from([1, "x", None]), st.booleans()),
)


# ---------------------------------------------------------------------------------------------
# Data-level mutations


def _nodes(data: Any, path: Path_ = ()) -> list[tuple[Path_, Any]]:
    out = [(path, data)]
    stack = [(path, data)]
    while stack:
        p, v = stack.pop()
        items = v.items() if isinstance(v, dict) else enumerate(v) if isinstance(v, list) else ()
        for k, child in items:
            q = (*p, k)
            out.append((q, child))
            stack.append((q, child))
    return out


def _get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: Path_, value: Any) -> Any:
    """Set the value at ``path``; returns the (possibly new) root."""
    if not path:
        return value
    _get(data, path[:-1])[path[-1]] = value
    return data


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


OPS = ("drop", "replace", "replace", "number", "swap", "empty", "duplicate", "rename", "nest", "move", "reorder")


@st.composite
def mutated_data(draw: st.DrawFn) -> tuple[str, Any, list[str]]:
    """An example's data after 1–4 mutations; returns (example name, data, what was done)."""
    name = draw(st.sampled_from(EXAMPLE_NAMES))
    data = copy.deepcopy(EXAMPLE_DATA[name])
    done: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        nodes = [n for n in _nodes(data) if n[0]]
        if not nodes:
            break
        # half the time aim at an outcome: that is where the numbers are
        in_outcomes = [n for n in nodes if n[0][0] == "outcomes"]
        pool = in_outcomes if in_outcomes and draw(st.booleans()) else nodes
        path, value = draw(st.sampled_from(pool))
        op = draw(st.sampled_from(OPS))
        parent = _get(data, path[:-1])
        if op == "drop":
            del parent[path[-1]]
        elif op == "replace":
            new = draw(hostile_values)
            data = _set(data, path, new)
            op += f" {new!r}"[:80]
        elif op == "number":
            numbers = [n for n in nodes if _is_number(n[1])]
            if not numbers:
                continue
            path, value = draw(st.sampled_from(numbers))
            new = draw(
                st.one_of(
                    st.sampled_from(SPECIAL_FLOATS + SPECIAL_INTS),
                    st.sampled_from(
                        [-value, value * 1e300, value * 1e-300, value + 1, value - 1, float(value), str(value)]
                    ),
                    st.sampled_from([f"{value}", "NaN", ".nan", "inf", "-.inf", "1e999"]),
                )
            )
            data = _set(data, path, new)
            op += f" {new!r}"[:80]
        elif op == "swap":
            numbers = [n for n in nodes if _is_number(n[1]) or isinstance(n[1], str)]
            if len(numbers) < 2:
                continue
            # mostly swap siblings (a CI's limits, a row's events and totals), sometimes anything
            (p1, v1) = draw(st.sampled_from(numbers))
            siblings = [n for n in numbers if n[0][:-1] == p1[:-1] and n[0] != p1]
            (p2, v2) = draw(st.sampled_from(siblings if siblings and draw(st.booleans()) else numbers))
            data = _set(data, p1, v2)
            data = _set(data, p2, v1)
            path = p1
            op += f" with {p2!r}"
        elif op == "empty":
            data = _set(data, path, [] if isinstance(value, list) else {} if isinstance(value, dict) else "")
        elif op == "duplicate":
            lists = [n for n in nodes if isinstance(n[1], list) and n[1]]
            if not lists:
                continue
            path, value = draw(st.sampled_from(lists))
            i = draw(st.integers(0, len(value) - 1))
            value.insert(draw(st.integers(0, len(value))), copy.deepcopy(value[i]))
        elif op == "rename":
            dicts = [n for n in nodes if isinstance(n[1], dict) and n[1]]
            if not dicts:
                continue
            path, value = draw(st.sampled_from(dicts))
            key = draw(st.sampled_from(sorted(map(str, value))))
            new_key = draw(
                st.sampled_from([key.upper(), key[:-1], key + "_", " " + key, "<<", "unknown", "1", ""]) | unicode_text
            )
            if new_key in value:
                continue
            value[new_key] = value.pop(key)
            op += f" {key!r} -> {new_key!r}"
        elif op == "nest":
            depth = draw(st.integers(1, 80))
            data = _set(data, path, _nested(depth, value, draw(st.booleans())))
            op += f" {depth}"
        elif op == "move":
            source_path, source = draw(st.sampled_from(nodes))
            data = _set(data, path, copy.deepcopy(source))
            op += f" from {source_path!r}"
        elif op == "reorder":
            if isinstance(value, list) and len(value) > 1:
                value.reverse()
            elif isinstance(value, dict) and len(value) > 1:
                items = list(value.items())[::-1]
                value.clear()
                value.update(items)
        done.append(f"{op} at {path!r}")
    return name, data, done


EXTREME_FLOATS = [5e-324, 1e-300, 1e-12, 1e12, 1e300, 1.7976931348623157e308, 0.0, -0.0]
EXTREME_COUNTS = [0, 1, 2, 10**9, 10**9 - 1]


@st.composite
def perturbed_numbers(draw: st.DrawFn) -> tuple[str, Any, list[str]]:
    """An example whose numbers (1–8 of them) are pushed to extremes that mostly stay valid, so the
    file reaches the statistics and the report: zero and full event counts, one participant or a
    billion, SDs and SEs of 5e-324, CIs from 1e-300 to 1e300, means of 1e308, ..."""
    name = draw(st.sampled_from(EXAMPLE_NAMES))
    data = copy.deepcopy(EXAMPLE_DATA[name])
    numbers = [n for n in _nodes(data) if _is_number(n[1]) and n[0][0] == "outcomes"]
    done: list[str] = []
    for _ in range(draw(st.integers(1, 8))):
        path, value = draw(st.sampled_from(numbers))
        if isinstance(value, int):
            new: Any = draw(st.sampled_from([*EXTREME_COUNTS, value * 1000, value + 1, value - 1]))
        else:
            factor = draw(st.sampled_from([1e-300, 1e-12, 1e12, 1e300, -1.0, 1 + 1e-15, 1 - 1e-15]))
            new = draw(st.sampled_from([*EXTREME_FLOATS, value * factor]))
        # same-signed neighbours move together now and then (both CI limits, both arms)
        if draw(st.integers(0, 3)) == 0:
            for p, v in numbers:
                if p[:-1] == path[:-1] and type(v) is type(value):
                    data = _set(data, p, new)
        data = _set(data, path, new)
        numbers = [n for n in _nodes(data) if _is_number(n[1]) and n[0][0] == "outcomes"]
        done.append(f"{new!r} at {path!r}")
    return name, data, done


@st.composite
def perturbed_documents(draw: st.DrawFn) -> FuzzDocument:
    """:func:`perturbed_numbers`, serialised as YAML or JSON."""
    name, data, done = draw(perturbed_numbers())
    syntax = draw(st.sampled_from(["yaml", "json"]))
    text = to_yaml(data) if syntax == "yaml" else to_json(data)
    return FuzzDocument(text.encode("utf-8"), f".{syntax}", f"{name}: {'; '.join(done)}")


def to_yaml(data: Any, flow: bool = False) -> str:
    return yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, default_flow_style=flow, width=100_000 if flow else 80
    )


def to_json(data: Any, ascii_only: bool = False) -> str:
    return json.dumps(data, ensure_ascii=ascii_only, indent=2, allow_nan=True)


@st.composite
def mutated_documents(draw: st.DrawFn, syntax: str | None = None) -> FuzzDocument:
    """An example mutated as data, serialised as YAML (``.yaml``) or JSON (``.json``)."""
    name, data, done = draw(mutated_data())
    syntax = syntax or draw(st.sampled_from(["yaml", "json"]))
    if syntax == "yaml":
        text = to_yaml(data, flow=draw(st.booleans()))
    else:
        text = to_json(data, ascii_only=draw(st.booleans()))
    suffix = draw(st.sampled_from([f".{syntax}", f".{syntax}", ".txt"]))
    return FuzzDocument(text.encode("utf-8", "surrogatepass"), suffix, f"{name}: {'; '.join(done)}")


# ---------------------------------------------------------------------------------------------
# Byte-level mutations


SNIPPETS = [
    b"&a ",
    b"*a",
    b"*undefined",
    b"&a [*a]",
    b"!!python/object:os.system ",
    b"!!python/object/apply:os.system [echo] ",
    b"!!binary ",
    b"!!set ",
    b"!!float ",
    b"!!str ",
    b"!custom ",
    b"<<: *a\n",
    b"<<: [1, 2]\n",
    b"<<: {}\n",
    b"\t",
    b"\t\t- ",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"---\n",
    b"...\n",
    b"%YAML 1.1\n",
    b"%TAG ! tag:example.com,2000:\n",
    b"? ",
    b": ",
    b"- ",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b"'",
    b'"',
    b'"\\x',
    b'"\\uD800"',
    b"|\n",
    b">-\n",
    b"#",
    b"\r",
    b"\r\n",
    b"\x85",
    b"\xe2\x80\xa8",
    b"\x0b",
    b"\x1b",
    b".nan",
    b"-.inf",
    b"NaN",
    b"Infinity",
    b"1e999",
    b"-0",
    b"0x",
    b"99999999999999999999999999999",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\x00",
    b"gradecli: 1\n",
    b"gradecli: 2\n",
    b"  " * 40 + b"- x\n",
    b"[" * 100,
    b"{a: " * 70,
    b"- " * 70,
]
BYTE_OPS = ("flip", "set", "truncate", "insert", "insert_line", "delete", "dup_line", "swap_lines", "indent", "token")
TOKENS = [
    b"nan",
    b".nan",
    b".inf",
    b"-.inf",
    b"NaN",
    b"1e999",
    b"-1e999",
    b"-0",
    b"0",
    b"1e-320",
    b"null",
    b"[]",
    b"{}",
]


@st.composite
def mutated_bytes(draw: st.DrawFn) -> FuzzDocument:
    """An example's text (as YAML, or re-serialised as JSON) with 1–5 byte-level edits."""
    name = draw(st.sampled_from(EXAMPLE_NAMES))
    syntax = draw(st.sampled_from(["yaml", "yaml", "json"]))
    text = EXAMPLE_TEXTS[name] if syntax == "yaml" else to_json(EXAMPLE_DATA[name])
    raw = bytearray(text.encode("utf-8"))
    done: list[str] = []
    for _ in range(draw(st.integers(1, 5))):
        if not raw:
            break
        op = draw(st.sampled_from(BYTE_OPS))
        pos = draw(st.integers(0, len(raw) - 1))
        lines = raw.split(b"\n")
        if op == "flip":
            raw[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "set":
            raw[pos] = draw(st.integers(0, 255))
        elif op == "truncate":
            del raw[pos:]
        elif op == "insert":
            raw[pos:pos] = draw(st.sampled_from(SNIPPETS))
        elif op == "insert_line":
            i = draw(st.integers(0, len(lines)))
            lines.insert(i, draw(st.sampled_from(SNIPPETS)).rstrip(b"\n"))
            raw = bytearray(b"\n".join(lines))
        elif op == "delete":
            del raw[pos : pos + draw(st.integers(1, 200))]
        elif op == "dup_line":
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            raw = bytearray(b"\n".join(lines))
        elif op == "swap_lines":
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            raw = bytearray(b"\n".join(lines))
        elif op == "indent":
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] = draw(st.sampled_from([b"  ", b"\t", b" "])) + lines[i] if draw(st.booleans()) else lines[i][1:]
            raw = bytearray(b"\n".join(lines))
        elif op == "token":
            # replace a number (a run of digits) by a special token
            digits = [i for i in range(len(raw)) if 48 <= raw[i] <= 57 and (i == 0 or not 48 <= raw[i - 1] <= 57)]
            if not digits:
                continue
            start = draw(st.sampled_from(digits))
            end = start
            while end < len(raw) and (48 <= raw[end] <= 57 or raw[end] == 46):
                end += 1
            raw[start:end] = draw(st.sampled_from(TOKENS))
        done.append(f"{op} at {pos}")
    suffix = draw(st.sampled_from([f".{syntax}", f".{syntax}", ".yml", ".txt"]))
    return FuzzDocument(bytes(raw), suffix, f"{name} as {syntax}: {'; '.join(done)}")


# ---------------------------------------------------------------------------------------------
# Documents built from scratch: valid in form, extreme in content


COUNTS = st.one_of(st.sampled_from([1, 2, 3, 5, 10, 100, 1000, 10**6, 10**9]), st.integers(1, 500))
REALS = st.one_of(
    st.sampled_from([0.0, -0.0, 5e-324, 1e-300, 1e-12, 1.0, 1e12, 1e300, -1e300, 1.7976931348623157e308]),
    st.floats(-1e6, 1e6, allow_nan=False),
)
POSITIVE = st.one_of(
    st.sampled_from([5e-324, 1e-300, 1e-12, 1e-3, 1.0, 1e3, 1e12, 1e300, 1.7976931348623157e308]),
    st.floats(1e-6, 1e6),
)
PROPORTIONS = st.one_of(st.sampled_from([1e-300, 1e-12, 0.5, 1 - 1e-12, 1 - 1e-16]), st.floats(0.001, 0.999))
REASON = st.sampled_from(["Because.", "x" * 10_000, "مرحبا", "\u202eright to left"])
MEASURES = {
    "dichotomous": ["RR", "OR", "RD", "PETO_OR"],
    "continuous": ["MD", "SMD"],
    "generic": ["RR", "OR", "RD", "PETO_OR", "MD", "SMD", "HR", "GENERIC"],
}
RATIO = {"RR", "OR", "PETO_OR", "HR"}
ROB = {
    "rob2": (["low", "some_concerns", "high", "no_information"], ["randomisation", "deviations", "missing_data"]),
    "rob1": (["low", "unclear", "high", "no_information"], ["sequence_generation", "allocation_concealment"]),
    "robins-i": (["low", "moderate", "serious", "critical", "no_information"], ["confounding", "selection"]),
}


def _maybe(draw: st.DrawFn, strategy: st.SearchStrategy[Any]) -> Any:
    return draw(strategy) if draw(st.booleans()) else None


@st.composite
def _interval(draw: st.DrawFn, ratio: bool) -> tuple[float, float, float]:
    """(estimate, lower, upper) with lower <= estimate <= upper; positive for ratios."""
    values = sorted(draw(st.lists(POSITIVE if ratio else REALS, min_size=3, max_size=3)))
    return values[1], values[0], values[2]


@st.composite
def _row(draw: st.DrawFn, study: str, kind: str, measure: str) -> dict[str, Any]:
    row: dict[str, Any] = {"study": study}
    if kind == "dichotomous":
        for arm in ("t", "c"):
            n = draw(COUNTS)
            row[f"events_{arm}"] = draw(st.sampled_from([0, n, n // 2, 1 if n > 1 else 0]))
            row[f"n_{arm}"] = n
    elif kind == "continuous":
        for arm in ("t", "c"):
            row[f"mean_{arm}"] = draw(REALS)
            row[f"sd_{arm}"] = draw(POSITIVE)
            row[f"n_{arm}"] = draw(COUNTS)
    else:
        form = draw(st.sampled_from(["yi", "ci", "se"] if measure not in RATIO else ["yi", "ci"]))
        if form == "yi":
            row["yi"], row["sei"] = draw(REALS), draw(POSITIVE)
        elif form == "ci":
            est, lo, hi = draw(_interval(measure in RATIO))
            if lo == hi:
                hi = lo * 2 + 1 if lo > 0 or measure not in RATIO else lo * 2
            row["estimate"], row["ci"] = est, [lo, hi]
        else:
            row["estimate"], row["se"] = draw(REALS), draw(POSITIVE)
        if draw(st.booleans()):
            row["participants"] = draw(COUNTS)
    return row


@st.composite
def _outcome(draw: st.DrawFn, index: int, studies: list[dict[str, Any]]) -> dict[str, Any]:
    kind = draw(st.sampled_from(["dichotomous", "continuous", "generic"]))
    measure = draw(st.sampled_from(MEASURES[kind]))
    out: dict[str, Any] = {
        "id": f"o{index}",
        "name": draw(st.sampled_from(["Death", "Pain\u0301", "x" * 500, "\u202eevil", "a|b<c>&d"])),
        "importance": draw(st.sampled_from(["critical", "important", "limited"])),
        "type": kind,
        "measure": measure,
    }
    if draw(st.booleans()):
        out["benefit"] = draw(st.sampled_from(["higher", "lower"]))
    if draw(st.booleans()):
        model = draw(st.sampled_from(["fixed", "random"]))
        fixed = ["IV", "MH", "PETO"] if measure in ("RR", "OR", "RD", "PETO_OR") else ["IV"]
        methods = fixed if model == "fixed" else ["DL", "REML", "PM"]
        if measure not in ("PETO_OR", "OR"):
            methods = [m for m in methods if m != "PETO"]
        if measure not in ("RR", "OR", "RD"):
            methods = [m for m in methods if m != "MH"]
        out["analysis"] = {
            "model": model,
            "method": draw(st.sampled_from(methods)),
            "hksj": draw(st.booleans()),
            "prediction_interval": draw(st.sampled_from(["metafor", "higgins"])),
        }
    if draw(st.booleans()):
        limits = sorted(draw(st.lists(POSITIVE, min_size=3, max_size=3, unique=True)))
        out["thresholds"] = {
            "target": draw(st.sampled_from(["trivial_zone", "any_effect"])),
            "per": draw(st.sampled_from([10, 100, 1000, 10000, 100000])),
            "mid": limits[0],
            "moderate": limits[1],
            "large": limits[2],
        }
        if draw(st.booleans()):
            out["thresholds"]["relative"] = 1 + draw(POSITIVE)
    risk_measure = kind == "dichotomous" or (kind == "generic" and measure in ("RR", "OR", "RD", "HR"))
    if risk_measure and draw(st.booleans()):
        out["assumed_risk"] = [{"value": v} for v in draw(st.lists(PROPORTIONS, min_size=1, max_size=3))]
    form = draw(st.sampled_from(["data", "data", "summary", "none"]))
    if form == "data":
        chosen = draw(
            st.lists(st.sampled_from(studies), min_size=1, max_size=len(studies), unique_by=lambda s: s["id"])
        )
        out["data"] = [draw(_row(s["id"], kind, measure)) for s in chosen]
    elif form == "none":
        out["data"] = []
    else:
        est, lo, hi = draw(_interval(measure in RATIO))
        if lo == hi:
            hi = lo * 2 + 1
        k = draw(st.one_of(st.none(), st.integers(1, 50)))
        summary: dict[str, Any] = {"estimate": est, "ci": [lo, hi], "studies": k}
        if k is not None and draw(st.booleans()):
            summary["participants"] = draw(st.integers(k, max(k, 10**9)))
        if draw(st.booleans()):
            summary["i2"] = draw(st.sampled_from([0.0, 5e-324, 50.0, 99.999, 100.0]))
        if draw(st.booleans()):
            summary["tau2"] = draw(st.sampled_from([0.0, 5e-324, 1.0, 1e300]))
        out["summary"] = summary
    if form != "none" and draw(st.booleans()):
        judgements: dict[str, Any] = {}
        for domain in draw(st.lists(st.sampled_from(["risk_of_bias", "inconsistency", "imprecision"]), unique=True)):
            ratings = ["not_serious", "serious", "very_serious"] + (
                ["extremely_serious"] if domain == "imprecision" else []
            )
            judgements[domain] = {"rating": draw(st.sampled_from(ratings)), "reason": draw(REASON)}
        for up in draw(st.lists(st.sampled_from(["large_effect", "dose_response"]), unique=True)):
            judgements[up] = {"levels": draw(st.integers(0, 2 if up == "large_effect" else 1)), "reason": "r"}
        if draw(st.booleans()):
            level = draw(st.sampled_from(["high", "moderate", "low", "very_low"]))
            judgements["certainty"] = {"rating": level, "reason": "r"}
        out["judgements"] = judgements
    if draw(st.booleans()):
        out["recorded_certainty"] = draw(st.sampled_from(["high", "moderate", "low", "very_low"]))
    return out


@st.composite
def generated_data(draw: st.DrawFn) -> dict[str, Any]:
    """A (mostly) valid evidence file built from scratch: 1–6 studies, 1–3 outcomes of every type,
    measure, data form and analysis, with counts from 0 to a billion and reals from 5e-324 to 1.8e308."""
    studies = []
    for i in range(draw(st.integers(1, 6))):
        design = draw(st.sampled_from(["rct", "nrsi"]))
        study: dict[str, Any] = {"id": f"S{i}", "design": design}
        if draw(st.booleans()):
            tool = draw(st.sampled_from(["rob2", "rob1"] if design == "rct" else ["robins-i", "rob1"]))
            vocab, domains = ROB[tool]
            study["risk_of_bias"] = {
                "tool": tool,
                "overall": draw(st.sampled_from(vocab)),
                "domains": {
                    d: draw(st.sampled_from(vocab)) for d in draw(st.lists(st.sampled_from(domains), unique=True))
                },
            }
        studies.append(study)
    outcomes = [draw(_outcome(i, studies)) for i in range(draw(st.integers(1, 3)))]
    return {"gradecli": 1, "review": {"title": "Generated"}, "studies": studies, "outcomes": outcomes}


@st.composite
def generated_documents(draw: st.DrawFn) -> FuzzDocument:
    data = draw(generated_data())
    syntax = draw(st.sampled_from(["yaml", "json"]))
    text = to_yaml(data) if syntax == "yaml" else to_json(data)
    return FuzzDocument(text.encode("utf-8"), f".{syntax}", "generated")
