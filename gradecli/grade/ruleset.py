"""Rule sets: which GRADE rules run, and with which settings, as data keyed by rule code.

A rule set is a YAML file in ``rules/`` (or anywhere, given by path), written as yamllint writes
its configurations::

    name: mine
    extends: default                 # a shipped rule set by name, or a path next to this file
    description: ...
    source: ...
    scale:                           # shared thresholds of the judging scale
      relative_threshold: 1.25
    rules:                           # per rule code: its settings (docs/rules.md lists them)
      IMP-SPARSE: {sparse_participants: 150}
      PUB-EGGER: {enabled: false}
    certainty: {conversion: subtract}

``extends:`` merges the parent's values rule by rule and key by key (the child wins). Each rule's
settings are a pydantic model in its own module (:mod:`gradecli.grade.rules`); unknown rule codes and
unknown settings are errors at their line, and a file in the old format (one section per domain,
``imprecision:`` …) is refused with one line saying how to write it now. Rule sets are data — never
code — and are loaded through the same validated path as evidence files.

Typed access: ``ruleset.settings(ImpOis)`` (any rule class) or ``ruleset.settings("IMP-OIS")`` give
that rule's settings; ``ruleset.enabled("PUB-EGGER")`` whether it runs; ``ruleset.disabled_by(code)``
the rule set that switched it off (named in the proposal).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, TypeVar, overload

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, Strict, ValidationError, create_model

from gradecli.grade.rules import BY_CODE, CONFIGURABLE, Rule, RuleSettings
from gradecli.grade.rules.base import SwitchableSettings
from gradecli.model.vocab import Certainty

if TYPE_CHECKING:
    from gradecli.grade.rules.imp_bands import ImpBandsSettings
    from gradecli.grade.rules.imp_cross import ImpCrossSettings
    from gradecli.grade.rules.imp_ois import ImpOisSettings
    from gradecli.grade.rules.imp_relative import ImpRelativeSettings
    from gradecli.grade.rules.imp_sparse import ImpSparseSettings
    from gradecli.grade.rules.inc_i2 import IncI2Settings
    from gradecli.grade.rules.inc_none import IncNoneSettings
    from gradecli.grade.rules.inc_straddle import IncStraddleSettings
    from gradecli.grade.rules.pub_egger import PubEggerSettings
    from gradecli.grade.rules.rob_weight import RobWeightSettings
    from gradecli.grade.rules.up_large import UpLargeSettings
    from gradecli.io.tree import Tree
    from gradecli.problems import Problem

_INSTALLED = Path(__file__).resolve().parent.parent / "rules_data"  # in a wheel (see pyproject.toml)
RULES_DIR = _INSTALLED if _INSTALLED.is_dir() else Path(__file__).resolve().parent.parent.parent / "rules"
MAX_EXTENDS_DEPTH = 8
MAX_REF_LENGTH = 1024
"""Longest rule-set name or path (``--rules``, ``extends:``): longer ones are refused as not found
before the file system is asked (which would fail with "File name too long")."""

S = TypeVar("S", bound=RuleSettings)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, allow_inf_nan=False)


class ScaleSettings(_Section):
    """The thresholds of the judging scale that an outcome without its own thresholds is judged
    against: by imprecision (IMP-CROSS, IMP-RELATIVE), inconsistency (INC-I2, INC-STRADDLE: the zones
    of the study estimates) and the plain-language statements."""

    relative_threshold: Annotated[float, Strict(), Field(gt=1)] = Field(
        1.25,
        description=(
            "Upper relative threshold (RR, OR, HR) of an appreciable effect, for an outcome with no "
            "thresholds and no assumed risk (GRADE 6's rough guide: 1.25)."
        ),
    )
    relative_threshold_low: Annotated[float, Strict(), Field(gt=0, lt=1)] | None = Field(
        0.75,
        description=(
            "Lower relative threshold (GRADE 6: 'RR under 0.75'); null: 1/relative_threshold. An outcome's "
            "own thresholds.relative r is always applied as 1/r and r."
        ),
    )
    smd_threshold: Annotated[float, Strict(), Field(gt=0)] = Field(
        0.5, description="Threshold of an SMD outcome that gives no thresholds.mid (KCE Process Book §5.5)."
    )


class LevelStep(_Section):
    max_points: Annotated[int, Strict(), Field(ge=0)] = Field(description="Up to this many levels rated down ...")
    level: Certainty = Field(description="... the certainty is this level (for evidence that starts High).")


class CertaintyRules(_Section):
    """How downgrade points become a level: ``subtract`` (GRADE: one level per point, clamped)
    or a ``table`` of point bands (some published algorithms)."""

    conversion: Literal["subtract", "table"] = Field(
        "subtract",
        description="subtract: one level per level rated down, clamped to very low–high; table: the bands of `table`.",
    )
    table: list[LevelStep] = Field(
        default_factory=list,
        description="With conversion: table, the bands (more points than every band: very low).",
    )
    nrsi_start: Literal["robins_i_high", "low"] = Field(
        "robins_i_high",
        description=(
            "Where non-randomised studies start: robins_i_high — High when every one was assessed with "
            "ROBINS-I, else Low (GRADE 18, Schünemann HJ et al., J Clin Epidemiol 2019;111:105–114); low — "
            "always Low (Core GRADE 4, Guyatt G et al., BMJ 2025;389:e083864)."
        ),
    )


def _settings_by_code() -> type[BaseModel]:
    fields: dict[str, object] = {
        r.code: (
            r.settings_model,
            Field(
                default_factory=r.settings_model,
                description=f"{r.code} ({r.domain.replace('_', ' ')}): {r.summary}.",
            ),
        )
        for r in CONFIGURABLE
    }
    model: type[BaseModel] = create_model(
        "RuleSettingsByCode",
        __config__=ConfigDict(extra="forbid", frozen=True),
        __doc__="The settings of each rule, by rule code; a rule not given keeps its defaults (or its parent's).",
        **fields,  # type: ignore[call-overload]
    )
    return model


if TYPE_CHECKING:
    RuleSettingsByCode = BaseModel
else:
    RuleSettingsByCode = _settings_by_code()


class RuleSet(_Section):
    """A GRADE rule set: the settings of every rule, the judging scale's thresholds, and how
    levels rated down become a certainty."""

    name: str = Field(description="The rule set's name, recorded in every assessment and named in proposals.")
    description: str = Field("", description="What the rule set is for, in a sentence or two.")
    source: str = Field("", description="Where its values come from (publications, a guideline panel).")
    extends: str | None = Field(
        None,
        description=(
            "The rule set this one builds on: a shipped one by name, or a path relative to this file's folder "
            "(and inside it). Merged rule by rule and key by key; this file's values win."
        ),
    )
    scale: ScaleSettings = Field(
        default_factory=ScaleSettings, description="Shared thresholds of the judging scale (see ScaleSettings)."
    )
    rules: RuleSettingsByCode = Field(
        default_factory=RuleSettingsByCode,
        description=(
            "Settings per rule code, e.g. `IMP-SPARSE: {sparse_participants: 150}` or `PUB-EGGER: {enabled: false}`."
        ),
    )
    certainty: CertaintyRules = Field(
        default_factory=CertaintyRules, description="How the levels rated down become the certainty."
    )
    _disabled_by: dict[str, str] = PrivateAttr(default_factory=dict)

    # --- typed access -------------------------------------------------------------------------------
    # settings(RuleClass) is typed for every rule; the Literal overloads type settings("CODE") too
    # (optional: a rule without one here gets the base RuleSettings type from settings("CODE")).

    @overload
    def settings(self, rule: type[Rule[S]]) -> S: ...
    @overload
    def settings(self, rule: Literal["ROB-WEIGHT"]) -> RobWeightSettings: ...
    @overload
    def settings(self, rule: Literal["INC-I2"]) -> IncI2Settings: ...
    @overload
    def settings(self, rule: Literal["INC-STRADDLE"]) -> IncStraddleSettings: ...
    @overload
    def settings(self, rule: Literal["INC-NONE"]) -> IncNoneSettings: ...
    @overload
    def settings(self, rule: Literal["IMP-CROSS"]) -> ImpCrossSettings: ...
    @overload
    def settings(self, rule: Literal["IMP-RELATIVE"]) -> ImpRelativeSettings: ...
    @overload
    def settings(self, rule: Literal["IMP-SPARSE"]) -> ImpSparseSettings: ...
    @overload
    def settings(self, rule: Literal["IMP-OIS"]) -> ImpOisSettings: ...
    @overload
    def settings(self, rule: Literal["IMP-BANDS"]) -> ImpBandsSettings: ...
    @overload
    def settings(self, rule: Literal["PUB-EGGER"]) -> PubEggerSettings: ...
    @overload
    def settings(self, rule: Literal["UP-LARGE"]) -> UpLargeSettings: ...
    @overload
    def settings(self, rule: str) -> RuleSettings: ...
    def settings(self, rule: type[Rule[RuleSettings]] | str) -> RuleSettings:
        """The settings in force for a rule (a rule class, or its code)."""
        cls = rule_class(rule)
        if not cls.configurable:
            return cls.settings_model()
        value = getattr(self.rules, cls.code)
        if not isinstance(value, cls.settings_model):  # pragma: no cover - the model is built from the registry
            raise TypeError(f"{cls.code}: settings of the wrong type")
        return value

    def enabled(self, rule: type[Rule[RuleSettings]] | str) -> bool:
        """Whether the rule runs under this rule set (rules without ``enabled`` always do)."""
        s = self.settings(rule)
        return s.enabled if isinstance(s, SwitchableSettings) else True

    def disabled_by(self, rule: type[Rule[RuleSettings]] | str) -> str:
        """The rule set whose file switched the rule off, as named in proposals: this one, or
        "PARENT (extended by THIS)"."""
        code = rule_class(rule).code
        by = self._disabled_by.get(code, self.name)
        return by if by == self.name else f"{by} (extended by {self.name})"


def rule_class(rule: type[Rule[RuleSettings]] | str) -> type[Rule[RuleSettings]]:
    """The rule class for a class or a code (``KeyError`` naming the code when there is none)."""
    if isinstance(rule, str):
        if rule not in BY_CODE:
            raise KeyError(f"no rule {rule!r}")
        return BY_CODE[rule]
    return rule


# --- the old format ---------------------------------------------------------------------------------

LEGACY_SECTIONS = ("risk_of_bias", "inconsistency", "imprecision", "publication_bias", "upgrades")
_SCALE_KEYS = ("relative_threshold", "relative_threshold_low", "smd_threshold")
_LEGACY_RULE = {
    "risk_of_bias": {"": "ROB-WEIGHT"},
    "inconsistency": {"": "INC-I2", "require_straddle": "INC-STRADDLE", "i2_not_reported": "INC-NONE"},
    "imprecision": {
        "": "IMP-OIS",
        "method": "IMP-BANDS",
        "participant_bands": "IMP-BANDS",
        "participants_not_reported": "IMP-BANDS",
        "relative_single_crossing": "IMP-RELATIVE",
        "sparse_participants": "IMP-SPARSE",
    },
    "publication_bias": {"": "PUB-EGGER"},
    "upgrades": {"": "UP-LARGE"},
}


def _flow(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _rewrite(section: str, key: str, value: object) -> str:
    """The new spelling of ``section: {key: value}`` in the old format."""
    if section == "imprecision" and key in _SCALE_KEYS:
        return f"scale: {{{key}: {_flow(value)}}}"
    table = _LEGACY_RULE[section]
    code = table.get(key, table[""])
    if key == "method":
        return f"rules: {{{code}: {{enabled: {_flow(value == 'participant_bands')}}}}}"
    if key == "require_straddle":
        return f"rules: {{{code}: {{enabled: {_flow(bool(value))}}}}}"
    if key == "sparse_participants" and value is None:
        return f"rules: {{{code}: {{enabled: false}}}}"
    return f"rules: {{{code}: {{{key}: {_flow(value)}}}}}"


def _legacy_problem(path: Path, data: dict[str, object], tree: Tree) -> Problem | None:
    from gradecli.problems import Problem

    section = next((k for k in data if k in LEGACY_SECTIONS), None)
    if section is None:
        return None
    body = data[section]
    first = next(iter(body.items()), None) if isinstance(body, dict) else None
    if first is not None and isinstance(first[0], str):
        old = f"{section}: {{{first[0]}: {_flow(first[1])}}}"
        new = _rewrite(section, first[0], first[1])
    else:
        old, new = f"{section}: {{sparse_participants: 150}}", "rules: {IMP-SPARSE: {sparse_participants: 150}}"
        if section != "imprecision":
            old, new = f"{section}: ...", f"rules: {{{_LEGACY_RULE[section]['']}: {{...}}}}"
    line, col = tree.mark((section,), key=True)
    message = (
        f"the rule-set format changed: settings are now given per rule code under `rules:` (and the scale's "
        f"thresholds under `scale:`); write `{new}` instead of `{old}` (docs/rules.md lists every rule's settings)"
    )
    return Problem(str(path), line, col, section, message)


# --- loading ---------------------------------------------------------------------------------------


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


def _os_reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.errno == 36:  # ENAMETOOLONG
        return "a part of the name is too long for the file system"
    return getattr(exc, "strerror", None) or str(exc)[:100]


def _is_file(path: Path) -> bool:
    """``path.is_file()``, False (not an error) for a name the file system refuses (too long, NUL)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _read(path: Path) -> tuple[dict[str, object], Tree]:
    from gradecli.io.source import read_text
    from gradecli.io.tree import parse
    from gradecli.problems import InputError

    tree = parse(read_text(str(path)), str(path), json_syntax=False)
    if not isinstance(tree.data, dict):
        raise InputError.single(str(path), "a rule set is a mapping with at least `name:`", 1, 1)
    return {str(k): v for k, v in tree.data.items()}, tree


def _check(path: Path, data: dict[str, object], tree: Tree) -> list[Problem]:
    """Every problem of one rule-set file on its own (so that it points at that file's lines)."""
    from gradecli.io.validation_errors import problems_from
    from gradecli.problems import Problem

    legacy = _legacy_problem(path, data, tree)
    if legacy is not None:
        return [legacy]  # one line: the format changed, and how to write it now
    problems: list[Problem] = _non_decimal_numbers(path, data, tree)
    if problems:
        return problems
    given = data.get("rules")
    if isinstance(given, dict):
        kept: dict[object, object] = {}
        for code, value in given.items():
            rule = BY_CODE.get(str(code))
            if rule is not None and not rule.configurable:
                line, col = tree.mark(("rules", str(code)), key=True)
                problems.append(
                    Problem(
                        str(path),
                        line,
                        col,
                        f"rules.{code}",
                        f"{code} is a result of the {rule.domain.replace('_', ' ')} domain, not a rule with "
                        "settings: it cannot be set or switched off",
                    )
                )
            else:
                kept[code] = value
        data = {**data, "rules": kept}
    try:
        RuleSet.model_validate({"name": "x", **data})
    except ValidationError as exc:
        for p in problems_from(exc, RuleSet, tree, str(path)):
            parts = p.path.split(".")
            if len(parts) == 2 and parts[0] == "rules" and p.message.startswith("unknown key"):
                p = Problem(
                    p.file, p.line, p.col, p.path, "unknown rule code" + p.message[len("unknown key") :], p.code
                )
            problems.append(p)
    return problems


def _non_decimal_numbers(path: Path, data: object, tree: Tree, at: tuple[str | int, ...] = ()) -> list[Problem]:
    """Hex or octal numbers anywhere in a rule set (``sparse_participants: 0x96``): refused at their
    line, as in evidence files — only plain decimal numbers are numbers."""
    from gradecli.io.tree import NonDecimalInt
    from gradecli.io.validation_errors import non_decimal_message
    from gradecli.problems import Problem, format_path

    if isinstance(data, NonDecimalInt):
        line, col = tree.mark(at)
        return [Problem(str(path), line, col, format_path(at), non_decimal_message(data))]
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    out: list[Problem] = []
    for key, value in items:
        out.extend(_non_decimal_numbers(path, value, tree, (*at, key)))
    return out


def load_ruleset(ref: str = "default") -> RuleSet:
    """Load a rule set by name (``rules/NAME.yaml``) or path, following ``extends:`` (a path there is
    relative to the file that says it and may not lead out of that file's folder)."""
    from gradecli.io.paths import PathOutsideError
    from gradecli.io.validation_errors import problems_from
    from gradecli.problems import InputError

    chain: list[tuple[Path, dict[str, object], Tree]] = []
    seen: set[Path] = set()
    shown = ref if len(ref) <= 80 else ref[:77] + "..."
    path = _locate(ref) if len(ref) <= MAX_REF_LENGTH else None
    if path is None or not _is_file(path):
        names = ", ".join(available())
        why = f"the name is longer than {MAX_REF_LENGTH} characters" if path is None else "no such rule set"
        raise InputError.single(shown, f"{why} (shipped: {names}; or give a path to a .yaml file)")
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
        if not isinstance(parent, str):
            raise InputError.single(
                str(path),
                f"extends: expected the name or path of a rule set, got {parent!r}"[:200],
                line,
                col,
                "extends",
            )
        shown = repr(parent) if len(parent) <= 80 else repr(parent[:77] + "...")
        if len(parent) > MAX_REF_LENGTH:
            raise InputError.single(
                str(path),
                f"extends {shown}: no such rule set (the name is longer than {MAX_REF_LENGTH} characters)",
                line,
                col,
                "extends",
            )
        try:
            nxt = _locate_parent(parent, path)
        except PathOutsideError as exc:
            raise InputError.single(str(path), str(exc), line, col, "extends") from None
        except (OSError, ValueError) as exc:  # a part of the name too long for the file system, a NUL
            raise InputError.single(
                str(path), f"extends {shown}: no such rule set ({_os_reason(exc)})", line, col, "extends"
            ) from None
        if not _is_file(nxt):
            raise InputError.single(str(path), f"extends {shown}: no such rule set", line, col, "extends")
        path = nxt
    # validate each file on its own, so errors point at the right file and line
    for p, data, tree in chain:
        problems = _check(p, data, tree)
        if problems:
            raise InputError(problems)
    merged: dict[str, object] = {}
    rules: dict[str, dict[str, object]] = {}
    switched_by: dict[str, str] = {}
    for p, data, _ in reversed(chain):
        label = str(data.get("name") or p.stem)
        for key, value in data.items():
            if key == "rules" and isinstance(value, dict):
                for code, settings in value.items():
                    if isinstance(settings, dict):
                        rules[str(code)] = {**rules.get(str(code), {}), **{str(k): v for k, v in settings.items()}}
                        if "enabled" in settings:
                            switched_by[str(code)] = label
            elif key in ("scale", "certainty") and isinstance(value, dict):
                before = merged.get(key)
                merged[key] = {**(before if isinstance(before, dict) else {}), **value}
            else:
                merged[key] = value
    merged["rules"] = rules
    merged["extends"] = chain[0][1].get("extends")
    try:
        ruleset = RuleSet.model_validate(merged)
    except ValidationError as exc:
        raise InputError(problems_from(exc, RuleSet, chain[0][2], str(chain[0][0]))) from None
    ruleset._disabled_by = {code: by for code, by in switched_by.items() if not ruleset.enabled(code)}
    return ruleset
