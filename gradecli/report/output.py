"""Where a report goes: standard output, or a file written atomically.

A report written with ``--output PATH`` appears all at once or not at all: the text goes to a
temporary file in the same directory, is flushed to disk, and replaces PATH with ``os.replace``
(atomic on POSIX and Windows when both names are on one file system). An interrupted run never
leaves a half-written table behind, and a reader never sees one.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


class OutputError(Exception):
    """The report cannot be written to the requested path; the message is one line for the user."""


def check_target(output: str, inputs: list[str]) -> Path:
    """Return the path to write for ``--output PATH``, or raise :class:`OutputError` when writing there
    would destroy an input file or cannot work (a directory, a missing parent directory)."""
    target = Path(output)
    if target.is_dir():
        raise OutputError(f"--output {output}: is a directory; give a file name")
    # Write through a symbolic link to the file it points at, rather than replacing the link.
    resolved = Path(os.path.realpath(target))
    for name in inputs:
        if name == "-":
            continue
        source = Path(name)
        same = Path(os.path.realpath(source)) == resolved
        if not same and resolved.exists() and source.exists():
            with contextlib.suppress(OSError):
                same = os.path.samefile(source, resolved)
        if same:
            raise OutputError(f"--output {output}: is the input file {name}; refusing to overwrite it")
    if not resolved.parent.is_dir():
        raise OutputError(f"--output {output}: directory {resolved.parent} does not exist")
    return resolved


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 minus the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a temporary file in the same directory, then ``os.replace``."""
    import tempfile

    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
