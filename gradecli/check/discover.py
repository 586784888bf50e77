"""Which files `gradecli check` reads: files as given, folders searched recursively for
``*.yaml``, ``*.yml`` and ``*.json`` (hidden folders, virtual environments and node_modules are
skipped), filtered by the config's include/exclude globs.

Inside a folder, a symbolic link that leads out of the folder is not followed: a pull request that
adds ``evidence/x.yaml -> ~/.ssh/config`` must not make a CI job read (and quote, in its error
messages) a file outside the repository. Only regular files are read from a folder: a FIFO named
``x.yaml`` (which would block the run for ever), a device or a socket is passed over with a note, and
so are a symbolic link loop, a broken link and a folder that cannot be read (the last is an error).
Files named on the command line are read as given."""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from gradecli.check.config import CheckConfig
from gradecli.io.paths import is_inside

SUFFIXES = (".yaml", ".yml", ".json")
SKIP_DIRS = {"node_modules", "__pycache__", "venv", ".venv"}


def _matches(rel: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel, p.removeprefix("**/")) for p in patterns)


@dataclass
class Passed:
    """What a folder search passed over, with the reason: ``errors`` fail the run (exit 2)."""

    notes: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def _why_not_regular(path: str) -> str | None:
    """None for a regular file (after links), else why it is not read."""
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop"
        if exc.errno == errno.ENOENT:
            return "a broken symbolic link"
        return f"cannot read: {exc.strerror or exc}"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (a FIFO, socket or device)"
    return None


def discover(
    paths: tuple[str, ...], config: CheckConfig, base: Path, passed: Passed | None = None
) -> tuple[list[str], list[str], list[str]]:
    """(files to check, paths that do not exist, links in a folder that lead out of it); what else a
    folder search passed over goes into ``passed``."""
    files: list[str] = []
    missing: list[str] = []
    outside: list[str] = []
    skipped = passed if passed is not None else Passed()

    def unreadable(exc: OSError) -> None:
        skipped.errors.append((str(exc.filename), f"cannot read the folder: {exc.strerror or exc}"))

    for given in paths:
        if given == "-":
            files.append("-")
            continue
        p = Path(given)
        if p.is_file():
            files.append(given)
        elif p.is_dir():
            found: list[str] = []
            for root, dirs, names in os.walk(p, onerror=unreadable):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
                for name in sorted(names):
                    if name.endswith(SUFFIXES) and not name.startswith("."):
                        f = os.path.join(root, name)
                        why = _why_not_regular(f)
                        if why is not None:
                            skipped.notes.append((f, why))
                            continue
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
