"""Rule sets: the thresholds and choices the GRADE domain rules use, as data.

A rule set is a YAML file in ``rules/`` (or anywhere, given by path). It may ``extends:`` another
rule set by name, as yamllint presets do: the child's values replace the parent's, section by
section and key by key. Rule sets are declarative thresholds and choices — never code — and are
loaded through the same validated path as evidence files, so a typo is an error at its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gradecli.model.vocab import Certainty, Rating

_INSTALLED = Path(__file__).resolve().parent.parent / "rules_data"  # in a wheel (see pyproject.toml)
RULES_DIR = _INSTALLED if _INSTALLED.is_dir() else Path(__file__).resolve().parent.parent.parent / "rules"
MAX_EXTENDS_DEPTH = 8

Share = Annotated[float, Field(ge=0, le=1)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class RiskOfBiasRules(_Section):
    """ROB-WEIGHT: roll study judgments up by their share of the analysis weight."""

    serious_if_low_share_below: Share = 0.75
    very_serious_if_low_share_below: Share | None = 0.50
    very_serious_needs_high_share: Share = 0.50
    missing_study_judgment: Literal["assume_high", "assume_low"] = "assume_high"


class InconsistencyRules(_Section):
    """INC-*: heterogeneity statistics and where the study estimates lie against the threshold."""

    i2_serious: Annotated[float, Field(ge=0, le=100)] = 50.0
    i2_strictly_above: bool = False
    q_p_serious: Annotated[float, Field(gt=0, lt=1)] | None = 0.10
    i2_very_serious: Annotated[float, Field(ge=0, le=100)] | None = 75.0
    require_straddle: bool = True
    i2_not_reported: Literal["not_assessed", "serious"] = "not_assessed"


class ParticipantBand(_Section):
    min: Annotated[int, Field(ge=0)]
    rating: Rating


class ImprecisionRules(_Section):
    """IMP-*: the CI against the outcome's thresholds, sparse data and the optimal information size."""

    method: Literal["thresholds", "participant_bands"] = "thresholds"
    relative_threshold: Annotated[float, Field(gt=1)] = 1.25
    relative_threshold_low: Annotated[float, Field(gt=0, lt=1)] | None = 0.75
    relative_single_crossing: Literal["not_serious", "serious"] = "not_serious"
    smd_threshold: Annotated[float, Field(gt=0)] = 0.5
    sparse_participants: Annotated[int, Field(ge=0)] | None = 100
    ois_rrr: Annotated[float, Field(gt=0, lt=1)] = 0.25
    ois_smd: Annotated[float, Field(gt=0)] = 0.2
    ois_alpha: Annotated[float, Field(gt=0, lt=1)] = 0.05
    ois_power: Annotated[float, Field(gt=0, lt=1)] = 0.80
    participant_bands: list[ParticipantBand] = Field(default_factory=list)
    participants_not_reported: Literal["not_assessed", "serious", "very_serious"] = "not_assessed"


class PublicationBiasRules(_Section):
    """PUB-EGGER: a small-study test when there are enough studies; never −2 automatically."""

    min_studies: Annotated[int, Field(ge=3)] = 10
    egger_p: Annotated[float, Field(gt=0, lt=1)] = 0.10
    require_small_study_benefit: bool = True


class UpgradeRules(_Section):
    """UP-LARGE: a large effect whose whole CI lies beyond the ratio thresholds."""

    large_ratio: Annotated[float, Field(gt=1)] = 2.0
    very_large_ratio: Annotated[float, Field(gt=1)] = 5.0
    only_without_downgrades: bool = True


class LevelStep(_Section):
    max_points: Annotated[int, Field(ge=0)]
    level: Certainty


class CertaintyRules(_Section):
    """How downgrade points become a level: ``subtract`` (GRADE: one level per point, clamped)
    or a ``table`` of point bands (some published algorithms)."""

    conversion: Literal["subtract", "table"] = "subtract"
    table: list[LevelStep] = Field(default_factory=list)


class RuleSet(_Section):
    name: str
    description: str = ""
    source: str = ""
    extends: str | None = None
    risk_of_bias: RiskOfBiasRules = Field(default_factory=RiskOfBiasRules)
    inconsistency: InconsistencyRules = Field(default_factory=InconsistencyRules)
    imprecision: ImprecisionRules = Field(default_factory=ImprecisionRules)
    publication_bias: PublicationBiasRules = Field(default_factory=PublicationBiasRules)
    upgrades: UpgradeRules = Field(default_factory=UpgradeRules)
    certainty: CertaintyRules = Field(default_factory=CertaintyRules)


SECTIONS = ("risk_of_bias", "inconsistency", "imprecision", "publication_bias", "upgrades", "certainty")


def available() -> list[str]:
    """Names of the rule sets shipped in ``rules/``."""
    return sorted(p.stem for p in RULES_DIR.glob("*.yaml"))


def _locate(ref: str) -> Path:
    """A rule set named on the command line: a path as written (relative to the working folder), or
    the name of a shipped one."""
    from gradecli.io.paths import looks_like_path

    return Path(ref) if looks_like_path(ref) else RULES_DIR / f"{ref}.yaml"


def _locate_parent(ref: str, child: Path) -> Path:
    """The rule set that ``child`` ``extends:``: a shipped one by name, or a path relative to the
    child's folder that stays inside it (see :mod:`gradecli.io.paths`)."""
    from gradecli.io.paths import looks_like_path, resolve_inside

    return resolve_inside(ref, child.parent) if looks_like_path(ref) else RULES_DIR / f"{ref}.yaml"


def _read(path: Path) -> tuple[dict[str, Any], Any]:
    from gradecli.io.source import read_text
    from gradecli.io.tree import parse
    from gradecli.problems import InputError

    tree = parse(read_text(str(path)), str(path), json_syntax=False)
    if not isinstance(tree.data, dict):
        raise InputError.single(str(path), "a rule set is a mapping with at least `name:`", 1, 1)
    return tree.data, tree


def load_ruleset(ref: str = "default") -> RuleSet:
    """Load a rule set by name (``rules/NAME.yaml``) or path, following ``extends:`` (a path there is
    relative to the file that says it and may not lead out of that file's folder)."""
    from gradecli.io.paths import PathOutsideError
    from gradecli.io.validation_errors import problems_from
    from gradecli.problems import InputError

    chain: list[tuple[Path, dict[str, Any], Any]] = []
    seen: set[Path] = set()
    path = _locate(ref)
    if not path.exists():
        names = ", ".join(available())
        raise InputError.single(ref, f"no such rule set (shipped: {names}; or give a path to a .yaml file)")
    while True:
        resolved = path.resolve()
        if resolved in seen:
            raise InputError.single(str(path), "`extends:` makes a loop")
        seen.add(resolved)
        data, tree = _read(path)
        chain.append((path, data, tree))
        parent = data.get("extends")
        if not parent:
            break
        if len(chain) > MAX_EXTENDS_DEPTH:
            raise InputError.single(str(path), f"`extends:` is more than {MAX_EXTENDS_DEPTH} levels deep")
        line, col = tree.mark(("extends",))
        try:
            nxt = _locate_parent(str(parent), path)
        except PathOutsideError as exc:
            raise InputError.single(str(path), str(exc), line, col, "extends") from None
        if not nxt.is_file():
            raise InputError.single(str(path), f"extends {parent!r}: no such rule set", line, col, "extends")
        path = nxt
    # validate each file on its own, so errors point at the right file and line
    for p, data, tree in chain:
        try:
            RuleSet.model_validate({"name": "x", **data})
        except ValidationError as exc:
            raise InputError(problems_from(exc, RuleSet, tree, str(p))) from None
    merged: dict[str, Any] = {}
    for _, data, _ in reversed(chain):
        for key, value in data.items():
            if key in SECTIONS and isinstance(value, dict):
                merged[key] = {**merged.get(key, {}), **value}
            else:
                merged[key] = value
    merged["extends"] = chain[0][1].get("extends")
    try:
        return RuleSet.model_validate(merged)
    except ValidationError as exc:
        raise InputError(problems_from(exc, RuleSet, chain[0][2], str(chain[0][0]))) from None
