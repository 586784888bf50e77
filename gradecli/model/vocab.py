"""Controlled vocabularies of the evidence file format (GRADE, RoB 2, RoB 1, ROBINS-I).

Each tool's judgments are kept apart rather than blurred into one set of strings: ``some_concerns``
belongs to RoB 2, ``unclear`` to RoB 1 and ``moderate``/``serious``/``critical`` to ROBINS-I.
"""

from __future__ import annotations

from enum import Enum


class StrEnum(str, Enum):
    def __str__(self) -> str:
        return str(self.value)


class Design(StrEnum):
    """Study design: ``rct`` randomised; ``nrsi`` non-randomised study of an intervention."""

    rct = "rct"
    nrsi = "nrsi"


class Importance(StrEnum):
    critical = "critical"
    important = "important"
    limited = "limited"


class OutcomeType(StrEnum):
    dichotomous = "dichotomous"
    continuous = "continuous"
    generic = "generic"


class Measure(StrEnum):
    RR = "RR"
    OR = "OR"
    RD = "RD"
    PETO_OR = "PETO_OR"
    MD = "MD"
    SMD = "SMD"
    HR = "HR"
    GENERIC = "GENERIC"

    @property
    def is_ratio(self) -> bool:
        return self in RATIO_MEASURES


RATIO_MEASURES = frozenset({Measure.RR, Measure.OR, Measure.PETO_OR, Measure.HR})

MEASURES_BY_TYPE: dict[OutcomeType, frozenset[Measure]] = {
    OutcomeType.dichotomous: frozenset({Measure.RR, Measure.OR, Measure.RD, Measure.PETO_OR}),
    OutcomeType.continuous: frozenset({Measure.MD, Measure.SMD}),
    OutcomeType.generic: frozenset(Measure),
}

DEFAULT_MEASURE: dict[OutcomeType, Measure] = {
    OutcomeType.dichotomous: Measure.RR,
    OutcomeType.continuous: Measure.MD,
    OutcomeType.generic: Measure.GENERIC,
}


class Benefit(StrEnum):
    """Which direction of the effect is good for patients."""

    higher = "higher"
    # The format's word `lower` shadows ``str.lower`` on this enum (so ``Benefit.higher.lower()`` is
    # not the string method); mypy rightly flags the clash, which the file format makes unavoidable.
    lower = "lower"  # type: ignore[assignment]


class Model(StrEnum):
    fixed = "fixed"
    random = "random"


class Method(StrEnum):
    IV = "IV"
    MH = "MH"
    PETO = "PETO"
    DL = "DL"
    REML = "REML"
    PM = "PM"


FIXED_METHODS = frozenset({Method.IV, Method.MH, Method.PETO})
RANDOM_METHODS = frozenset({Method.DL, Method.REML, Method.PM})


class PredictionInterval(StrEnum):
    """``metafor``: as ``predict()`` gives it (normal quantile; t on k−1 df under Hartung–Knapp).
    ``higgins``: Higgins–Thompson–Spiegelhalter 2009, t on k−2 df (Cochrane/RevMan)."""

    metafor = "metafor"
    higgins = "higgins"


class Certainty(StrEnum):
    high = "high"
    moderate = "moderate"
    low = "low"
    very_low = "very_low"


class Rating(StrEnum):
    """A reviewer's or the engine's judgment of one downgrade domain."""

    not_serious = "not_serious"
    serious = "serious"
    very_serious = "very_serious"
    extremely_serious = "extremely_serious"  # imprecision (GRADE 34/35); ROBINS-I risk of bias (GRADE 18)


class PicoMatch(StrEnum):
    """How directly one PICO element of the evidence matches the question (indirectness)."""

    direct = "direct"
    minor = "minor"
    major = "major"


class Rob2(StrEnum):
    """RoB 2 judgments; ``no_information`` as robvis allows it (counted as missing when grading)."""

    low = "low"
    some_concerns = "some_concerns"
    high = "high"
    no_information = "no_information"


class Rob1(StrEnum):
    """RoB 1 judgments; ``no_information`` as robvis allows it (counted as missing when grading)."""

    low = "low"
    unclear = "unclear"
    high = "high"
    no_information = "no_information"


class RobinsI(StrEnum):
    low = "low"
    moderate = "moderate"
    serious = "serious"
    critical = "critical"
    no_information = "no_information"


class Rob2Domain(StrEnum):
    randomisation = "randomisation"
    deviations = "deviations"
    missing_data = "missing_data"
    measurement = "measurement"
    reported_result = "reported_result"


class Rob1Domain(StrEnum):
    sequence_generation = "sequence_generation"
    allocation_concealment = "allocation_concealment"
    blinding_participants = "blinding_participants"
    blinding_outcome = "blinding_outcome"
    incomplete_data = "incomplete_data"
    selective_reporting = "selective_reporting"
    other = "other"


class RobinsIDomain(StrEnum):
    confounding = "confounding"
    selection = "selection"
    classification = "classification"
    deviations = "deviations"
    missing_data = "missing_data"
    measurement = "measurement"
    reported_result = "reported_result"


# ---------------------------------------------------------------------------------------------
# Risk-of-bias vocabularies: the one home of each tool's name, its judgments (in the tool's order),
# their words, and how the grading rules group them.

TOOL_NAMES: dict[str, str] = {"rob2": "RoB 2", "rob1": "RoB 1", "robins-i": "ROBINS-I"}
"""The tools' names as printed."""

TOOL_JUDGMENTS: dict[str, tuple[str, ...]] = {
    "rob2": tuple(v.value for v in Rob2),
    "rob1": tuple(v.value for v in Rob1),
    "robins-i": tuple(v.value for v in RobinsI),
}
"""Each tool's judgments, in the tool's order (``no_information`` last, as robvis allows it)."""

JUDGMENT_WORDS: dict[str, str] = {
    "low": "Low",
    "some_concerns": "Some concerns",
    "high": "High",
    "unclear": "Unclear",
    "moderate": "Moderate",
    "serious": "Serious",
    "critical": "Critical",
    "no_information": "No information",
}
"""A judgment as words (robvis tables, plots)."""

ROB_CATEGORY: dict[str, str] = {
    "low": "low",
    "some_concerns": "some",
    "unclear": "some",
    "moderate": "some",
    "high": "high",
    "serious": "high",
    "critical": "high",
    "no_information": "missing",
}
"""Each tool's overall judgment as one of low / some (concerns) / high / missing, for grading."""
