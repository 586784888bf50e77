"""`.gradecli.yaml`: a repository's settings for `gradecli check` (looked up from the current folder
upwards to the repository root).

```yaml
include: ["evidence/**/*.yaml"]     # globs, relative to the config file (default: every .yaml/.yml/.json)
exclude: ["evidence/drafts/**"]
rules: default                      # rule set name, or a path relative to the config file (inside its folder)
fail_on: error                      # error | warning: the lowest severity that fails the run
severity: {GC102: error, GC402: off}  # per-code severity: error | warning | info | off
```

What a repository's config may change (it arrives with the pull request it gates, so it is as
untrusted as the evidence): which files are searched, the rule set, ``fail_on`` and the severity of
the *review* findings. It may not change GC000 (a file that crashed the check) or GC001 (a file
that is not valid evidence): those are always errors, and saying otherwise is an error at its line.
A run that checks no evidence file at all (everything excluded, or no evidence file found) fails
with exit 1 unless ``--allow-empty`` is given on the command line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

NAME = ".gradecli.yaml"


class CheckConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    rules: str | None = None
    fail_on: Literal["error", "warning"] = "error"
    severity: dict[str, Literal["error", "warning", "info", "off"]] = Field(default_factory=dict)


def find_config(start: Path) -> Path | None:
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / NAME
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists():
            return None
    return None


def load_config(path: Path) -> CheckConfig:
    from gradecli.check.findings import CODES, FIXED
    from gradecli.io.source import read_text
    from gradecli.io.tree import parse
    from gradecli.io.validation_errors import problems_from
    from gradecli.problems import InputError

    tree = parse(read_text(str(path)), str(path), json_syntax=False)
    try:
        config = CheckConfig.model_validate(tree.data or {})
    except ValidationError as exc:
        raise InputError(problems_from(exc, CheckConfig, tree, str(path))) from None
    if config.rules:
        from gradecli.io.paths import PathOutsideError, looks_like_path, resolve_inside

        if looks_like_path(config.rules):
            line, col = tree.mark(("rules",))
            try:
                resolved = resolve_inside(config.rules, path.parent)
            except PathOutsideError as exc:
                raise InputError.single(str(path), str(exc), line, col, "rules") from None
            if not resolved.is_file():
                raise InputError.single(str(path), f"{config.rules!r}: no such rule set file", line, col, "rules")
            config = config.model_copy(update={"rules": str(resolved)})
    unknown = [c for c in config.severity if c not in CODES]
    if unknown:
        line, col = tree.mark(("severity", unknown[0]), key=True)
        raise InputError.single(str(path), f"unknown finding code {unknown[0]!r}", line, col, "severity")
    fixed = [c for c in config.severity if c in FIXED and config.severity[c] != CODES[c][0]]
    if fixed:
        line, col = tree.mark(("severity", fixed[0]), key=True)
        raise InputError.single(
            str(path),
            f"{fixed[0]} ({CODES[fixed[0]][1]}) is always an error and cannot be changed by a repository's config",
            line,
            col,
            "severity",
        )
    return config
