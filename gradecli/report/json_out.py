"""The assessment as JSON (``assess --format json``): the Assessment's own keys (docs/assessment-json.md).

The 1.4 keys of a review with several comparisons (``comparisons``, each outcome's ``comparison``)
are written only for a file that has ``comparisons``: a one-question file's JSON keeps its keys.
"""

from __future__ import annotations

from typing import Any

from gradecli.grade.assessment import Assessment


def payload(assessment: Assessment) -> dict[str, Any]:
    """``model_dump(mode="json")``, not ``model_dump_json``: pydantic's JSON writes NaN/inf as null
    without a word; the caller's ``json.dumps(allow_nan=False)`` turns any that got this far into a
    loud internal error instead (issue 9)."""
    if assessment.comparisons:
        return assessment.model_dump(mode="json")
    return assessment.model_dump(mode="json", exclude={"comparisons": True, "outcomes": {"__all__": {"comparison"}}})
