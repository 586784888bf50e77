"""Output formats of `gradecli check`: thin functions over findings. They never judge.

A finding's message is already on one line with its controls escaped (:func:`gradecli.check.findings.make`);
the file name is not, and both may hold anything a pull request put there. So: ``text`` shows the
file name escaped for the terminal and defuses GitHub Actions workflow commands in every line;
``github`` escapes the properties and the message of each annotation as GitHub's runner requires;
``junit`` removes what XML 1.0 cannot hold before the XML escaping.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import quoteattr

from gradecli.check.findings import CODES, Finding, printable
from gradecli.check.run import FileResult
from gradecli.escape import github_line, github_message, github_property, xml_text


def text(findings: list[Finding]) -> str:
    return "".join(
        github_line(
            f"{printable(f.file)}:{f.line}:{f.col}: {f.severity} {f.code} {printable(f.message)}"
            if f.line
            else f"{printable(f.file)}: {f.severity} {f.code} {printable(f.message)}"
        )
        + "\n"
        for f in findings
    )


def json_lines(findings: list[Finding]) -> str:
    return "".join(json.dumps(f.as_dict(), ensure_ascii=False) + "\n" for f in findings)


def github(findings: list[Finding]) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    level = {"error": "error", "warning": "warning", "info": "notice"}
    lines = []
    for f in findings:
        props = [f"file={github_property(f.file)}"]
        if f.line:
            props += [f"line={f.line}", f"col={f.col}"]
        props.append(f"title={github_property(f.code + ' ' + CODES[f.code][1])}")
        lines.append(f"::{level[f.severity]} {','.join(props)}::{github_message(f.message)}\n")
    return "".join(lines)


def junit(results: list[FileResult], failing: set[str]) -> str:
    """JUnit XML: one test case per file; a failure per finding at failing severity. Characters
    that XML 1.0 cannot hold (control characters in a file name, say) are escaped first."""
    failures = sum(1 for r in results for f in r.findings if f.severity in failing)
    cases = []
    for r in results:
        body = []
        for f in r.findings:
            where = printable(f"{f.file}:{f.line}:{f.col}" if f.line else f.file)
            kind = "failure" if f.severity in failing else "system-out"
            if kind == "failure":
                body.append(
                    f"      <failure message={quoteattr(xml_text(f.code + ': ' + f.message))} type={quoteattr(f.code)}>"
                    f"{_xml(where + ': ' + f.message)}</failure>"
                )
            else:
                body.append(f"      <system-out>{_xml(f'{where}: {f.severity} {f.code} {f.message}')}</system-out>")
        if r.status == "skipped":
            body.append(f"      <skipped message={quoteattr(printable(r.reason or 'not an evidence file'))}/>")
        inner = "\n".join(body)
        cases.append(
            f'    <testcase classname="gradecli.check" name={quoteattr(printable(r.path))}>'
            + (f"\n{inner}\n    " if inner else "")
            + "</testcase>"
        )
    skipped = sum(1 for r in results if r.status == "skipped")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="gradecli check" tests="{len(results)}" failures="{failures}">\n'
        f'  <testsuite name="gradecli check" tests="{len(results)}" failures="{failures}" errors="0" '
        f'skipped="{skipped}">\n' + "\n".join(cases) + "\n  </testsuite>\n</testsuites>\n"
    )


def _xml(value: str) -> str:
    value = xml_text(value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
