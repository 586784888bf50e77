"""The assessment as JSON (``assess --format json``): the Assessment's own keys (docs/assessment-json.md).

The 1.4 keys of a review with several comparisons (``comparisons``, each outcome's ``comparison``)
are written only for a file that has ``comparisons``: a one-question file's JSON keeps its keys; the
1.5 keys of reviewers (``reviewers``, ``reviews``, ``agreement``, each outcome's ``disagreements``,
each domain's and upgrade's ``judged_by``) only for a file with reviewers.
"""

from __future__ import annotations

from typing import Any

from gradecli.grade.assessment import Assessment


def payload(assessment: Assessment) -> dict[str, Any]:
    """``model_dump(mode="json")``, not ``model_dump_json``: pydantic's JSON writes NaN/inf as null
    without a word; the caller's ``json.dumps(allow_nan=False)`` turns any that got this far into a
    loud internal error instead (issue 9)."""
    top: set[str] = set()
    per_outcome: dict[str, object] = {}
    if not assessment.comparisons:
        top.add("comparisons")
        per_outcome["comparison"] = True
    if not (assessment.reviewers or assessment.reviews):
        top |= {"reviewers", "reviews", "agreement"}
        per_outcome["disagreements"] = True
        per_outcome["domains"] = {"__all__": {"judged_by"}}
        per_outcome["upgrades"] = {"__all__": {"judged_by"}}
        per_outcome["strata"] = {"__all__": {"imprecision": {"judged_by"}}}
    exclude: dict[str, object] = dict.fromkeys(top, True)
    if per_outcome:
        exclude["outcomes"] = {"__all__": per_outcome}
    return assessment.model_dump(mode="json", exclude=exclude)  # type: ignore[arg-type]
