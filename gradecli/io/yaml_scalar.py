"""One value as YAML text: plain when that is unambiguous under YAML 1.2, otherwise double-quoted
(JSON escapes are valid YAML). No gradecli imports, so every writer of YAML (importers, the
reviewer's template) can use it."""

from __future__ import annotations

import json
import math
import re

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 _.,()/+'\-]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def scalar(v: object, flow: bool = False) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError("non-finite number in evidence output")
        return repr(v) if v != int(v) or abs(v) >= 1e15 else f"{v:.1f}"
    s = str(v)
    if flow and any(ch in s for ch in ",[]{}"):
        return json.dumps(s, ensure_ascii=False)
    if (
        _PLAIN.match(s)
        and s.lower() not in _RESERVED
        and not s.endswith((" ", ":"))
        and ": " not in s
        and " #" not in s
    ):
        return s
    return json.dumps(s, ensure_ascii=False)
