"""The building blocks every model of gradecli's file formats shares: the strict base model and the
constrained scalar types (names, reasons, free text, whole numbers)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from gradecli.io.tree import NonDecimalInt


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, NaN/inf are refused, models are frozen."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        coerce_numbers_to_str=True,
        str_strip_whitespace=True,
        use_enum_values=False,
        defer_build=True,
    )


NonEmpty = Annotated[str, Field(min_length=1, max_length=10_000)]
Reason = Annotated[
    str,
    Field(
        min_length=1,
        max_length=10_000,
        description="Why: every reviewer judgment must say why, in words a reader of the table understands.",
    ),
]
Text = Annotated[str, Field(max_length=100_000)]
"""Free text (notes, reasons given with a risk-of-bias judgment, sources): at most 100,000 characters."""


def _a_number(value: object) -> object:
    """Refuse true/false and text where a number belongs, before pydantic's lax mode would take
    ``true`` as 1 or ``'4'`` (a quoted string, or ``1_0`` that YAML leaves as text) as a number, and
    refuse hex and octal (:class:`~gradecli.io.tree.NonDecimalInt`); a whole number still fits a
    float field and 4.0 a count."""
    if isinstance(value, bool | str | NonDecimalInt):
        from pydantic_core import PydanticCustomError

        raise PydanticCustomError("not_a_number", "not a number", {"word": "a number"})
    return value


def _a_whole_number(value: object) -> object:
    """:func:`_a_number` for a whole number."""
    if isinstance(value, bool | str | NonDecimalInt):
        from pydantic_core import PydanticCustomError

        raise PydanticCustomError("not_a_number", "not a whole number", {"word": "a whole number"})
    return value


def _format_version(value: object) -> object:
    """The format version is the plain whole number 1: not ``true``, ``1.0``, ``'1'`` or ``0x1``."""
    if isinstance(value, bool | NonDecimalInt) or not isinstance(value, int):
        from pydantic_core import PydanticCustomError

        raise PydanticCustomError("format_version", "not a format version", {"input": value})
    return value


WHOLE = BeforeValidator(_a_whole_number)
"""Put last in ``Annotated[int, Field(...), WHOLE]`` (after the constraints, which keeps them in the JSON
schema): a whole number written as one (not true/false, not text, not hex/octal)."""
NUMBER = BeforeValidator(_a_number)
"""Like :data:`WHOLE`, for a number."""
Int = Annotated[int, WHOLE]
Num = Annotated[float, NUMBER]
Count = Annotated[int, Field(ge=0, le=1_000_000_000), WHOLE]
Positive = Annotated[int, Field(ge=1, le=1_000_000_000), WHOLE]
