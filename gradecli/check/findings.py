"""Findings: what `gradecli check` reports, each with a stable code, a severity and a place.

| code | severity | finding |
|---|---|---|
| GC000 | error | checking the file failed with an internal error (a bug: the other files are still checked) |
| GC001 | error | the file is not a valid evidence file (the message says what and where) |
| GC101 | error | a reviewer judgment (override) without a written reason |
| GC102 | warning | indirectness not assessed (it has no formula: the reviewer must judge it) |
| GC103 | info | inconsistency or publication bias could not be assessed |
| GC104 | warning | risk of bias not assessed: the rating is provisional (not yet rated) |
| GC105 | warning | imprecision not assessed: the rating is provisional (not yet rated) |
| GC106 | warning | a summary-level result states no study design: its starting level is assumed |
| GC107 | warning | a proposal awaits the reviewer's confirmation (levels beyond one, or a rating up) |
| GC201 | error | the certainty the authors recorded differs from the one the file supports |
| GC202 | error | a level rated down or up without a footnote |
| GC301 | error | a summary's point estimate lies outside its own CI |
| GC302 | error | a summary with studies but 0 participants |
| GC303 | error | a summary with fewer participants than studies (swapped columns?) |
| GC304 | warning | a CI implausible for the reported sample size |
| GC401 | warning | a critical outcome beyond the 7 rows a Summary-of-Findings table shows |
| GC402 | warning | no outcome is marked critical |
| GC501 | warning | the reviewers disagree on an item and no consensus resolves it (the rating is provisional) |
| GC502 | error | a consensus recorded without a reason |

GC401 and GC402 are about a Summary-of-Findings table: in a file with ``comparisons`` they are
judged per comparison (one table each) and name it (``docs/check.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from gradecli.problems import printable

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}

CODES: dict[str, tuple[Severity, str]] = {
    "GC000": ("error", "internal error while checking the file"),
    "GC001": ("error", "invalid evidence file"),
    "GC101": ("error", "judgment without a written reason"),
    "GC102": ("warning", "indirectness not assessed"),
    "GC103": ("info", "domain not assessed"),
    "GC104": ("warning", "risk of bias not assessed: provisional rating"),
    "GC105": ("warning", "imprecision not assessed: provisional rating"),
    "GC106": ("warning", "summary states no design"),
    "GC107": ("warning", "proposal awaits the reviewer's confirmation"),
    "GC201": ("error", "recorded certainty differs from the computed one"),
    "GC202": ("error", "change of level without a footnote"),
    "GC301": ("error", "point estimate outside its CI"),
    "GC302": ("error", "studies but zero participants"),
    "GC303": ("error", "fewer participants than studies"),
    "GC304": ("warning", "CI implausible for the sample size"),
    "GC401": ("warning", "critical outcome beyond the seventh row"),
    "GC402": ("warning", "no critical outcome"),
    "GC501": ("warning", "reviewers disagree, no consensus"),
    "GC502": ("error", "consensus without a reason"),
}


FIXED: frozenset[str] = frozenset({"GC000", "GC001"})
"""Codes a repository's ``.gradecli.yaml`` cannot change: a file that cannot be read as evidence, or
that crashed the check, always fails it (a pull request could otherwise switch its own gate off)."""


@dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    col: int
    code: str
    severity: Severity
    message: str
    outcome: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": self.severity,
            "title": CODES[self.code][1],
            "outcome": self.outcome,
            "message": self.message,
        }


def make(
    file: str,
    line: int,
    col: int,
    code: str,
    message: str,
    outcome: str | None = None,
    severities: dict[str, str] | None = None,
) -> Finding | None:
    severity = CODES[code][0] if code in FIXED else (severities or {}).get(code, CODES[code][0])
    if severity == "off":
        return None
    # a message quotes ids and keys from the file: one finding stays one line (and valid XML in JUnit).
    # The cast: a configured severity was checked to be error | warning | info | off (CheckConfig).
    return Finding(file, line, col, code, cast(Severity, severity), printable(message), outcome)
