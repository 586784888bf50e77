"""Which files `gradecli check` reads: files as given, folders searched recursively for
``*.yaml``, ``*.yml`` and ``*.json`` (hidden folders, virtual environments and node_modules are
skipped), filtered by the config's include/exclude globs.

Inside a folder, a symbolic link that leads out of the folder is not followed: a pull request that
adds ``evidence/x.yaml -> ~/.ssh/config`` must not make a CI job read (and quote, in its error
messages) a file outside the repository. Files named on the command line are read as given."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from gradecli.check.config import CheckConfig
from gradecli.io.paths import is_inside

SUFFIXES = (".yaml", ".yml", ".json")
SKIP_DIRS = {"node_modules", "__pycache__", "venv", ".venv"}


def _matches(rel: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel, p.removeprefix("**/")) for p in patterns)


def discover(paths: tuple[str, ...], config: CheckConfig, base: Path) -> tuple[list[str], list[str], list[str]]:
    """(files to check, paths that do not exist, links in a folder that lead out of it)."""
    files: list[str] = []
    missing: list[str] = []
    outside: list[str] = []
    for given in paths:
        if given == "-":
            files.append("-")
            continue
        p = Path(given)
        if p.is_file():
            files.append(given)
        elif p.is_dir():
            found: list[str] = []
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
                for name in sorted(names):
                    if name.endswith(SUFFIXES) and not name.startswith("."):
                        f = os.path.join(root, name)
                        (found if is_inside(f, p) else outside).append(f)
            for f in found:
                try:
                    rel = Path(f).resolve().relative_to(base.resolve()).as_posix()
                except ValueError:
                    rel = Path(f).as_posix()
                if config.include and not _matches(rel, config.include):
                    continue
                if config.exclude and _matches(rel, config.exclude):
                    continue
                files.append(f)
        else:
            missing.append(given)
    unique = list(dict.fromkeys(files))  # the first of repeated files, in order
    return unique, missing, outside
