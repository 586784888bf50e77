"""Where a report goes: standard output, or a file written atomically.

A report written with ``--output PATH`` appears all at once or not at all: the text goes to a
temporary file in the same directory, is flushed to disk, and replaces PATH with ``os.replace``
(atomic on POSIX and Windows when both names are on one file system). An interrupted run never
leaves a half-written table behind, and a reader never sees one.

A target that exists and is not a regular file — a FIFO, ``/dev/stdout``, ``/dev/null``, a terminal —
is written to directly (there is nothing to replace atomically, and replacing it would turn a pipe or
a device into a file). Any failure to write (a full disk, a read-only folder, a name too long) is an
:class:`OutputError` with one line for the user (exit 2), and the old file, if any, is left as it was.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


class OutputError(Exception):
    """The report cannot be written to the requested path; the message is one line for the user."""


def shown(name: object, limit: int = 80) -> str:
    """A path for a one-line message: control characters escaped, and cut short in the middle when it
    is very long (a name of 300 characters would drown the reason)."""
    text = str(name)
    if not text.isprintable():
        text = text.encode("unicode_escape", "backslashreplace").decode("ascii")
    if len(text) > limit:
        keep = (limit - 3) // 2
        text = f"{text[:keep]}...{text[-keep:]}"
    return text


def check_target(output: str, inputs: list[str]) -> Path:
    """Return the path to write for ``--output PATH``, or raise :class:`OutputError` when writing there
    would destroy an input file or cannot work (a directory, a missing parent directory, a name the
    file system refuses: too long, a component that is a file, no permission to look)."""
    try:
        return _check_target(output, inputs)
    except OSError as exc:  # e.g. ENAMETOOLONG from a stat on a name longer than 255 bytes
        raise OutputError(f"cannot write {shown(output)}: {_why(exc)}") from None
    except ValueError as exc:  # an embedded NUL byte
        raise OutputError(f"cannot write {shown(output)}: {exc}") from None


def _check_target(output: str, inputs: list[str]) -> Path:
    import stat

    target = Path(output)
    if target.is_dir():
        raise OutputError(f"--output {shown(output)}: is a directory; give a file name")
    try:
        special = not stat.S_ISREG(os.stat(target).st_mode)
    except OSError:
        special = False
    if special:  # /dev/stdout, /dev/null, a FIFO: written in place, as named (never an input file)
        return target
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
            raise OutputError(f"--output {shown(output)}: is an input file ({shown(name)}); refusing to overwrite it")
    if not resolved.parent.is_dir():
        raise OutputError(f"--output {shown(output)}: directory {shown(resolved.parent)} does not exist")
    return resolved


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 minus the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _why(exc: OSError) -> str:
    return exc.strerror or " ".join(str(exc).split())[:200]


def _write_special(path: Path, data: bytes) -> None:
    """A FIFO or a device: written in place (``fsync`` is meaningless there and may fail)."""
    try:
        with open(path, "wb") as handle:
            handle.write(data)
            handle.flush()
    except BrokenPipeError:
        raise  # the reader went away: the command line ends quietly
    except OSError as exc:
        raise OutputError(f"cannot write {shown(path)}: {_why(exc)}") from None


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a temporary file in the same directory, then ``os.replace``.
    Raises :class:`OutputError` when it cannot be written (the old file is kept)."""
    import stat
    import tempfile

    try:
        existing = os.stat(path)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise OutputError(f"cannot write {shown(path)}: {_why(exc)}") from None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        _write_special(path, data)
        return
    mode = _mode_for(path)
    try:
        # a short temporary name: the target's own name may be as long as the file system allows
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gradecli-", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {shown(path)}: {_why(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"cannot write {shown(path)}: {_why(exc)}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
