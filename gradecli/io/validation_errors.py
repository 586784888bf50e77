"""Turn pydantic validation errors into reviewer-readable problems at the right line.

pydantic reports a location such as ``("outcomes", 0, "data", 2, "dichotomous", "evnts_t")``; this
module drops the union tags, finds the line in the parsed file, rewrites the terse messages
("Extra inputs are not permitted") into ones that help ("unknown key 'evnts_t' (did you mean
'events_t'?)"), and suggests the nearest valid word for typos in vocabularies.
"""

from __future__ import annotations

import difflib
import re
import typing

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from gradecli.io.tree import NonDecimalInt, Tree
from gradecli.model.checks import did_you_mean
from gradecli.problems import Problem, format_path

UNION_TAGS = frozenset({"dichotomous", "continuous", "generic", "rob2", "rob1", "robins-i"})


def _models_in(annotation: object) -> list[type[BaseModel]]:
    """Every pydantic model class mentioned in a type annotation (through lists, unions, ...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        out.extend(_models_in(arg))
    return out


def _models_at(root: type[BaseModel], loc: tuple[int | str, ...]) -> list[type[BaseModel]]:
    """The model class(es) whose field ``loc`` names; more than one when a union is unresolved."""
    models = [root]
    for part in loc:
        if isinstance(part, int):
            continue
        if part in UNION_TAGS:
            tagged = [m for m in models if _tag_of(m) == part]
            models = tagged or models
            continue
        nxt: list[type[BaseModel]] = []
        for m in models:
            field = m.model_fields.get(str(part))
            if field is not None:
                nxt.extend(_models_in(field.annotation))
        if not nxt:
            return []
        models = nxt
    return models


def _tag_of(model: type[BaseModel]) -> str | None:
    field = model.model_fields.get("tool")
    if field is not None:
        args = typing.get_args(field.annotation)
        return str(args[0]) if args else None
    return {"DichotomousRow": "dichotomous", "ContinuousRow": "continuous", "GenericRow": "generic"}.get(model.__name__)


def _clean_loc(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    return tuple(p for p in loc if p not in UNION_TAGS and p != "[key]")


_EXPECTED = re.compile(r"'([^']*)'")


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(err: ErrorDetails, root: type[BaseModel], loc: tuple[int | str, ...]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    field = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "missing":
        if field == "reason":
            return "a written `reason` is required: every reviewer judgment must say why"
        return f"required field `{field}` is missing"
    if kind == "extra_forbidden":
        parent = _models_at(root, err["loc"][:-1])
        allowed = sorted({name for m in parent for name in m.model_fields})
        return f"unknown key {_show(field)}{did_you_mean(field, allowed)}" + (
            f"; allowed: {', '.join(allowed)}" if allowed and not did_you_mean(field, allowed) else ""
        )
    if kind in ("enum", "literal_error"):
        expected = _EXPECTED.findall(str(ctx.get("expected", "")))
        if err["loc"] and err["loc"][-1] == "[key]":
            return f"unknown name {_show(value)}; expected one of: {', '.join(expected)}" + did_you_mean(
                str(value), expected
            )
        if field == "gradecli":
            return f"format version {_show(value)} is not supported; this gradecli reads format 1"
        return f"{_show(value)} is not one of: {', '.join(expected)}" + (
            did_you_mean(str(value), expected) or _other_vocabulary(value, expected)
        )
    if kind == "union_tag_invalid":
        expected = _EXPECTED.findall(str(ctx.get("expected_tags", "")))
        return f"unknown tool {_show(ctx.get('tag'))}; expected one of: {', '.join(expected)}" + did_you_mean(
            str(ctx.get("tag")), expected
        )
    if kind == "union_tag_not_found":
        return f"`{ctx.get('discriminator', 'tool').strip(chr(39))}` is required (rob2, rob1 or robins-i)"
    if kind == "row_form":
        return err["msg"]
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of keys and values, got {_describe(value)}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, got {_describe(value)}"
    if kind == "too_short" and field == "outcomes":
        return "an evidence file needs at least one outcome"
    if kind == "string_too_short":
        if field == "reason":
            return "the `reason` is empty: every reviewer judgment must say why"
        return "must not be empty"
    if kind == "format_version":
        return f"the format version is the plain number 1 (`{field}: 1`), got {_describe(value)}"
    if kind == "not_a_number" or (kind in _NUMBER_TYPES and isinstance(value, bool | str | NonDecimalInt)):
        return _not_a_number(value, str(ctx.get("word") or _TYPE_WORDS[kind]))
    if kind in _TYPE_WORDS:
        return f"expected {_TYPE_WORDS[kind]}, got {_describe(value)}"
    msg = str(err["msg"]).removeprefix("Value error, ")
    if kind.startswith(("greater", "less")):
        msg += f" (got {_show(value)})"
    return msg


_TYPE_WORDS = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "finite_number": "a finite number",
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
}


_NUMBER_TYPES = frozenset({"int_parsing", "int_type", "float_parsing", "float_type"})
_NUMBER_LIKE = re.compile(
    r"^\s*[-+]?(?:0[xXoObB][0-9a-fA-F_]*|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9_]+)?|\.[0-9_]+)\s*$"
)


def non_decimal_message(value: NonDecimalInt, word: str = "a number") -> str:
    """Hex or octal where a number belongs: refused, not read as its value."""
    kind = "hex" if value.text.startswith("0x") else "octal"
    return (
        f"expected {word}, got the {kind} number {_show(value)}: only plain decimal numbers such as 12 or 0.25 "
        "are read as numbers (no hex 0x…, octal 0o… or _ separators)"
    )


def _not_a_number(value: object, word: str) -> str:
    """A number field given true/false or text: never read as a number (``true`` is not 1, ``'4'``
    not 4, ``1_0`` not 10, ``0x1f`` not 31)."""
    if isinstance(value, bool):
        return f"expected {word}, got {str(value).lower()} (true/false is not a number)"
    if isinstance(value, NonDecimalInt):
        return non_decimal_message(value, word)
    if isinstance(value, str) and _NUMBER_LIKE.match(value[:200]):
        return (
            f"expected {word}, got the text {_show(value)}: only plain decimal numbers such as 12 or 0.25, "
            "not in quotes, are numbers (no hex 0x…, octal 0o… or _ separators)"
        )
    return f"expected {word}, got {_describe(value)}"


def _other_vocabulary(value: object, expected: list[str]) -> str:
    """'unclear' given to RoB 2: say which tool's word it is."""
    from gradecli.model.vocab import TOOL_JUDGMENTS, TOOL_NAMES

    if set(expected) not in ({*v} for v in TOOL_JUDGMENTS.values()):
        return ""
    for tool, vocab in TOOL_JUDGMENTS.items():
        if value in vocab and set(vocab) != set(expected):
            return f" ({value!r} is a {TOOL_NAMES[tool]} judgment)"
    return ""


def _describe(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return _show(value)
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "infinity" if value > 0 else "-infinity"
    return f"{type(value).__name__} {_show(value)}"


def problems_from(exc: ValidationError, root: type[BaseModel], tree: Tree, name: str) -> list[Problem]:
    out: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    errors = exc.errors(include_url=False)
    # a typo ("evnts_t") also makes the real key missing: report the typo only
    typo_fixes: set[tuple[int | str, ...]] = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            parent = _models_at(root, tuple(err["loc"][:-1]))
            allowed = sorted({n for m in parent for n in m.model_fields})
            fix = difflib.get_close_matches(str(err["loc"][-1]), allowed, n=1, cutoff=0.6)
            if fix:
                typo_fixes.add((*err["loc"][:-1], fix[0]))
    for err in errors:
        if err["type"] == "missing" and tuple(err["loc"]) in typo_fixes:
            continue
        raw_loc = tuple(err["loc"])
        loc = _clean_loc(raw_loc)
        message = _message(err, root, raw_loc)
        path = format_path(loc)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        is_key = err["type"] == "extra_forbidden" or (raw_loc and raw_loc[-1] == "[key]")
        line, col = tree.mark(loc, key=bool(is_key))
        code = "GC101" if loc and loc[-1] == "reason" and err["type"] in ("missing", "string_too_short") else "GC001"
        out.append(Problem(name, line, col, path, message, code))
    return out
