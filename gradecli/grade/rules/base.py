"""What every rule unit is made of.

A rule is a class in its own module under :mod:`gradecli.grade.rules`, listed once in the registry
(:data:`gradecli.grade.rules.RULES`). It has

* ``code`` — the stable code printed beside every proposal (``IMP-CROSS``);
* ``domain`` — the GRADE domain whose proposal it takes part in (``imprecision``);
* ``summary`` — one line for ``gradecli rules list``;
* ``settings_model`` — a frozen pydantic model of its settings (unknown keys refused, a default and a
  ``description`` on every field). A rule that can be switched off has ``enabled`` (from
  :class:`SwitchableSettings`); a rule that is a *result* of its domain (``ROB-NONE``,
  ``IMP-NONE``: "nothing to judge") has no settings and ``configurable = False``;
* its documentation, in the class docstring: what it checks, its sources, which cut-offs are
  gradecli's own choice, and PASS and FAIL examples (the rule's test file runs them);
* one function, ``judge``, that returns the rule's proposal with its facts, or ``None`` when the
  rule does not apply to the outcome. Its arguments are what the rule reads (the outcome context,
  its settings, the judging scale); the domain module in :mod:`gradecli.grade.domains` decides in
  which order its rules are asked and how their answers combine.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from gradecli.grade.assessment import Proposal


def _loose_number(annotation: object, value: object) -> str | None:
    """Where ``value`` (plain data from a rule-set file) gives text or true/false for a number of a
    nested model (``participant_bands: [{min: '100'}]``): a message, else None. The settings' own
    fields are strict (:class:`RuleSettings`); nested models written in the rule modules are not."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _loose_number(typing.get_args(annotation)[0], value)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if isinstance(value, dict):
            for key, item in value.items():
                field = annotation.model_fields.get(str(key))
                if field is None:
                    continue
                if field.annotation in (int, float) and isinstance(item, bool | str):
                    what = "a whole number" if field.annotation is int else "a number"
                    shown = str(item).lower() if isinstance(item, bool) else repr(item)[:60]
                    return f"{key}: expected {what}, got {shown} (write a plain decimal number, not in quotes)"
                found = _loose_number(field.annotation, item)
                if found:
                    return f"{key}: {found}" if not found.startswith(f"{key}:") else found
        return None
    if origin in (list, tuple) and isinstance(value, list):
        args = typing.get_args(annotation)
        for item in value:
            found = next((m for a in args if a is not Ellipsis and (m := _loose_number(a, item))), None)
            if found:
                return found
        return None
    if origin is not None:  # a union
        return next((m for a in typing.get_args(annotation) if (m := _loose_number(a, value))), None)
    return None


class RuleSettings(BaseModel):
    """Settings of a rule that has none.

    Strict: a number must be written as one — ``true``, ``'150'`` (quoted) or ``1_50`` in a rule set
    are refused, not taken as 1, 150 or 150 (a float setting still takes a whole number)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_loose_nested_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and isinstance(value, list | dict):
            problem = _loose_number(field.annotation, value)
            if problem:
                raise ValueError(problem)
        return value


class SwitchableSettings(RuleSettings):
    """Settings of a rule that a rule set may switch off."""

    enabled: bool = Field(
        True,
        description=(
            "Whether the rule runs. Switched off, a rule that decides its domain leaves it not assessed, "
            "naming the rule set; a check that adds to other rules is skipped (the rule's documentation says which)."
        ),
    )


S = TypeVar("S", bound=RuleSettings, covariant=True)


class Rule(Generic[S]):
    """Base of the rule units; see the module documentation."""

    code: ClassVar[str]
    domain: ClassVar[str]
    summary: ClassVar[str]
    settings_model: type[S]
    configurable: ClassVar[bool] = True
    """False for a domain's result ("not assessed", "not applicable"): nothing to set in a rule set."""
    uses_scale: ClassVar[bool] = False
    """True when the rule reads the judging scale (the rule set's ``scale:`` thresholds)."""

    @classmethod
    def doc(cls) -> str:
        """The rule's documentation (its docstring, dedented)."""
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")


@dataclass(frozen=True)
class Upgrade:
    """What a rating-up rule proposes: levels up (0–2) and the measured facts."""

    levels: int
    facts: tuple[str, ...] = ()


def switched_off(code: str, summary: str, by: str, advice: str) -> Proposal:
    """The domain's proposal when the rule that would decide it is switched off by a rule set."""
    return Proposal(
        rating=None,
        rule=code,
        facts=[f"{code} is switched off by the rule set {by}"],
        explanation=f"the rule set {by} switches off {code} ({summary}); {advice}",
    )


def pct(share: float, against: float | None = None) -> str:
    """A share (0–1) as a percentage for footnotes: whole numbers stay whole ("75"), others get one
    decimal, or more (up to 3) when needed to keep the shown value on the same side of ``against``
    (the share it was compared with) as the value itself — 74.9% is never shown as "75%"."""
    v = 100 * share
    if abs(v - round(v)) < 1e-9:
        return f"{round(v):d}"
    text = f"{v:.1f}"
    for digits in (1, 2, 3):
        text = f"{v:.{digits}f}"
        if against is None or (float(text) < 100 * against) == (v < 100 * against):
            break
    return text


def studies_word(k: int) -> str:
    return f"{k} stud{'y' if k == 1 else 'ies'}"
