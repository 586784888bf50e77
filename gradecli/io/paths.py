"""Paths written inside files (an evidence file's ``defaults.rules``, a rule set's ``extends:``, a
``.gradecli.yaml``'s ``rules:``) may only name a file in the folder of the file that names them, or
below it.

A path given on the command line is the user's choice and is taken as written. A path written in a
file comes from whoever wrote the file — in CI, from a pull request — so it is resolved against that
file's folder, symbolic links included, and refused when it is absolute or leads out of the folder.
gradecli therefore never reads a file elsewhere because a file said so.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath, PureWindowsPath


class PathOutsideError(ValueError):
    """The path leads out of the folder it must stay in; the message is one line for the user."""


def looks_like_path(ref: str) -> bool:
    """A rule-set reference is a path (not a shipped name) when it has a folder or a YAML suffix."""
    return ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref


def check_relative(ref: str) -> str | None:
    """Why ``ref`` can never stay inside its folder (absolute, a drive, ``..``), or None."""
    if PurePosixPath(ref).is_absolute() or PureWindowsPath(ref).is_absolute() or PureWindowsPath(ref).drive:
        return f"{ref!r} is an absolute path; a path written in a file must be relative to that file's folder"
    parts = ref.replace("\\", "/").split("/")
    if ".." in parts:
        return f"{ref!r} leads out of the file's folder (`..`); keep the file beside this one or below it"
    return None


def is_inside(path: str | Path, folder: str | Path) -> bool:
    """True when ``path``, its symbolic links resolved, is ``folder`` (resolved too) or lies below it."""
    root = os.path.realpath(folder)
    return os.path.commonpath([root, os.path.realpath(path)]) == root


def resolve_inside(ref: str, folder: Path) -> Path:
    """``folder / ref`` with symbolic links resolved; :class:`PathOutsideError` if it is not inside
    ``folder`` (itself resolved)."""
    problem = check_relative(ref)
    if problem:
        raise PathOutsideError(problem)
    if not is_inside(folder / ref, folder):
        raise PathOutsideError(f"{ref!r} leads out of the file's folder (through a symbolic link)")
    return Path(os.path.realpath(folder / ref))
