"""Read an input file's text safely: size limit, UTF-8 with a clear message, ``-`` for stdin."""

from __future__ import annotations

import os
import sys

from gradecli.problems import InputError

MAX_BYTES = 8 * 1024 * 1024
"""Largest input file gradecli reads (8 MiB). A 100-outcome × 100-study evidence file is < 1 MiB."""


def read_text(path: str, *, max_bytes: int = MAX_BYTES) -> str:
    """Return the file's text (UTF-8, BOM removed). ``-`` reads standard input."""
    return decode(read_bytes(path, max_bytes=max_bytes), "<stdin>" if path == "-" else path)


def read_bytes(path: str, *, max_bytes: int = MAX_BYTES) -> bytes:
    """Return the file's bytes, refusing more than ``max_bytes`` (checked before reading a file;
    standard input, ``-``, is read up to the limit and no further)."""
    name = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(max_bytes + 1)
        else:
            size = os.stat(path).st_size
            if size > max_bytes:
                raise InputError.single(name, f"file is {size:,} bytes; the limit is {max_bytes:,} bytes")
            with open(path, "rb") as fh:
                raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError.single(name, "no such file") from None
    except IsADirectoryError:
        raise InputError.single(name, "is a directory, not a file") from None
    except PermissionError:
        raise InputError.single(name, "permission denied") from None
    except OSError as exc:
        raise InputError.single(name, f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise InputError.single(name, f"input is larger than the limit of {max_bytes:,} bytes")
    return raw


def decode(raw: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM); point at the first bad byte otherwise."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError.single(name, "file is UTF-16; save it as UTF-8", line=1, col=1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise InputError.single(
            name, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", line, col
        ) from None
    if "\x00" in text:
        pos = text.index("\x00")
        line = text.count("\n", 0, pos) + 1
        raise InputError.single(name, "contains a NUL character: this is not a text file", line, 1)
    return text


def safe_name(name: str) -> str:
    """``name`` (a file name from the command line) as text that can be written as UTF-8: a byte of
    a non-UTF-8 file name (kept by Python as a lone surrogate such as ``\\udcff``) is shown as
    ``\\xff``."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
