"""Escaping for every sink a value from an evidence file can reach: one pure function per sink.

Evidence files come from pull requests and are untrusted: a study id, an outcome name, a reason or
a file name may hold terminal escape sequences, Rich markup, Markdown or HTML, GitHub Actions
workflow commands, spreadsheet formulas or control characters that XML cannot hold. Each renderer
passes the text it got from a file through the function for its sink, and nothing else:

- :func:`terminal` — a terminal, a log, a matplotlib label: every character that is not printable
  (C0 and C1 controls, ESC, newline, U+2028 ...) is shown escaped as Python would (``\\x1b``), so the
  text stays on one line and cannot move the cursor, set a hyperlink or clear the screen. Rich
  markup is a separate matter: print :class:`rich.text.Text` objects or turn markup off.
- :func:`terminal_lines` — the same for a cell whose line breaks are the renderer's own.
- :func:`github_line` — a line of plain-text output that GitHub Actions reads: a line that would
  start a workflow command (``::name ...``, after leading white space) or holds a ``##[`` command of
  the old syntax is defused.
- :func:`github_message` / :func:`github_property` — the data and the properties of a workflow
  command, escaped as GitHub's runner unescapes them.
- :func:`markdown` — GitHub-flavoured Markdown (pull-request comments): punctuation that can start
  emphasis, a link, an image, a table cell or code is backslash-escaped, ``<``/``>`` become entities
  (no raw HTML), ``@name`` cannot mention anyone, controls are shown escaped.
- :func:`xml_text` — HTML, SVG and XML text: characters XML 1.0 cannot hold (and C1 controls) are
  shown escaped; the markup escaping itself stays with :func:`html.escape` / ``quoteattr``.
- :func:`csv_cell` — a text cell of a CSV file: a cell that a spreadsheet would read as a formula
  (first character ``= + - @``, tab or carriage return) gets a leading ``'`` (OWASP), and controls
  other than newline and tab are shown escaped (a bare ``\\r`` would otherwise split the row).

Ordinary text (letters, digits, spaces, ``.,;:()-–%`` ...) comes out of every function unchanged.
"""

from __future__ import annotations

import re


def terminal(text: str) -> str:
    """``text`` with every unprintable character escaped as Python would (``\\n``, ``\\x1b``, ``\\u2028``)."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def terminal_lines(text: str) -> str:
    """:func:`terminal` for each line of ``text``, keeping its ``\\n`` line breaks (a table cell the
    renderer itself split into lines)."""
    return "\n".join(terminal(line) for line in text.split("\n"))


_COMMAND = re.compile(r"^(\s*)::", re.MULTILINE)


def github_line(text: str) -> str:
    """Defuse GitHub Actions workflow commands in plain-text output: a ``\\`` before ``::`` at the
    start of any line (the runner trims leading white space before looking for ``::``), and
    ``##[`` (the old command syntax, recognised anywhere in a line) becomes ``#\\#[``."""
    if "::" not in text and "##[" not in text:
        return text
    return _COMMAND.sub(r"\1\\::", text).replace("##[", "#\\#[")


def github_message(text: str) -> str:
    """The data of a workflow command (after the second ``::``), escaped as GitHub requires."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A property value of a workflow command (``file=…,title=…``), escaped as GitHub requires."""
    return github_message(text).replace(":", "%3A").replace(",", "%2C")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_MD_MENTION = re.compile(r"@(?=[0-9A-Za-z])")


def markdown(text: str) -> str:
    """Text for a Markdown paragraph or table cell; line breaks become ``<br>``.

    ``\\ ` * _ [ ] | ~`` are backslash-escaped (no emphasis, code, link, image or cell break; ``!``
    and ``(``/``)`` are harmless once ``[``/``]`` are escaped and are left alone), ``<``/``>`` and
    an ``&`` that would start an entity become entities (no raw HTML), ``@name`` gets a zero-width
    space after the ``@`` (no mention), a ``#`` at the start gets a backslash (no heading), and
    control characters are shown escaped."""
    out = "<br>".join(_markdown_line(terminal(line.strip())) for line in text.splitlines())
    return "\\" + out if out.startswith("#") else out


def _markdown_line(text: str) -> str:
    text = _MD_ENTITY.sub("&amp;", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_MENTION.sub("@\u200b", text)


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 (and HTML) cannot hold: each control character
    other than tab, newline and carriage return, a C1 control, a lone surrogate or U+FFFE/U+FFFF is
    shown escaped (``\\x1b``). Escape the markup characters afterwards (:func:`html.escape`)."""
    return _XML_INVALID.sub(lambda m: repr(m.group())[1:-1], text)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A text cell for a CSV file: controls other than newline and tab are shown escaped, and a
    cell that starts like a formula (``= + - @``, tab, carriage return) gets a leading ``'``."""
    if not text.isprintable():
        text = "".join(c if c.isprintable() or c in "\n\t" else repr(c)[1:-1] for c in text)
    return "'" + text if text.startswith(FORMULA_START) else text
