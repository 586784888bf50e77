"""Read an HL7 FHIR R5 document Bundle (EBM-on-FHIR, as ``gradecli export fhir`` writes it) back
into an evidence file: one summary-level outcome per Evidence (estimate, 95% CI, studies,
participants, I², τ², the model and the design), its domain ratings as the reviewer's
``judgements`` with their reasons, the reasons to rate up that were rated, and the certainty
override where the Bundle says the overall certainty was set by the reviewer.

Bad input is an :class:`InputError` naming the file and the JSON path (``entry[3].resource.statistic``),
never a traceback. The file is read with the usual size limit (:data:`gradecli.io.source.MAX_BYTES`).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from gradecli.io.source import read_text
from gradecli.problems import InputError
from gradecli.report import fhir_codes as C

_CONCERN = {code: rating for rating, (code, _d) in C.CONCERNS.items()}
_LEVEL = {code: level for level, (code, _d) in C.CERTAINTY_LEVELS.items()}
_DOMAIN = {code: domain for domain, (code, _d) in C.DOMAIN_TYPES.items()}
_UP = {C.UPCODES[1][0]: 1, C.UPCODES[2][0]: 2, C.UPCODES[0][0]: 0, C.ABSENT[0]: 0}
_MEASURE = {code: m for m, (code, _d) in C.STATISTIC_TYPES.items() if m != "PETO_OR"}
_UPGRADES = ("large_effect", "dose_response", "residual_confounding")
_JUDGED = ("overridden", "judged", "confirmed")
_TYPES = {"RR": "dichotomous", "OR": "dichotomous", "RD": "dichotomous", "PETO_OR": "dichotomous"}
_TYPES |= {"MD": "continuous", "SMD": "continuous"}
_MEASURES = {"RR", "OR", "RD", "PETO_OR", "MD", "SMD", "HR", "GENERIC"}


@dataclass
class FhirImport:
    doc: dict[str, object]
    header: list[str]
    notes: list[str] = field(default_factory=list)
    outcomes: int = 0


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, path: str, message: str) -> InputError:
        return InputError.single(self.name, message, path=path)

    def obj(self, value: object, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected a JSON object, found {_kind(value)}")
        return value

    def arr(self, value: object, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(path, f"expected a JSON array, found {_kind(value)}")
        return value

    def text(self, value: object, path: str, *, required: bool = False) -> str | None:
        if value is None:
            if required:
                raise self.fail(path, "missing (required)")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, f"expected a non-empty string, found {_kind(value)}")
        return value

    def number(self, value: object, path: str) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.fail(path, f"expected a finite number, found {_kind(value)}")
        return float(value)

    def count(self, value: object, path: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(path, f"expected a whole number ≥ 0, found {_kind(value)}")
        return value

    def codes(self, cc: object, path: str, system: str) -> list[str]:
        """The codes of ``system`` in a CodeableConcept."""
        if cc is None:
            return []
        concept = self.obj(cc, path)
        out = []
        for i, coding in enumerate(self.arr(concept.get("coding"), f"{path}.coding")):
            c = self.obj(coding, f"{path}.coding[{i}]")
            if c.get("system") == system and isinstance(c.get("code"), str):
                out.append(c["code"])
        return out

    def ext(self, element: dict[str, Any], url: str, path: str) -> str | None:
        for i, e in enumerate(self.arr(element.get("extension"), f"{path}.extension")):
            item = self.obj(e, f"{path}.extension[{i}]")
            if item.get("url") == url:
                return self.text(item.get("valueCode"), f"{path}.extension[{i}].valueCode", required=True)
        return None

    def first_note(self, element: dict[str, Any], path: str) -> str | None:
        notes = self.arr(element.get("note"), f"{path}.note")
        if not notes:
            return None
        return self.text(self.obj(notes[0], f"{path}.note[0]").get("text"), f"{path}.note[0].text")


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "an empty string" if not value.strip() else "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def read_bundle(path: str) -> FhirImport:
    """Read a FHIR document Bundle file into an evidence document (plain data for ``dump_evidence``)."""
    text = read_text(path)
    name = "<stdin>" if path == "-" else path
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.single(name, f"not JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise InputError.single(name, "not JSON that can be read: nested too deeply") from None
    return to_evidence(data, name)


def to_evidence(data: object, name: str) -> FhirImport:
    r = _Reader(name)
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        found = data.get("resourceType") if isinstance(data, dict) else None
        what = f"a {found} resource" if isinstance(found, str) else _kind(data)
        raise r.fail("resourceType", f"expected a FHIR Bundle, found {what}")
    if data.get("type") != "document":
        raise r.fail("type", f'expected a document Bundle (type "document"), found {data.get("type")!r}')
    entries = r.arr(data.get("entry"), "entry")
    if not entries:
        raise r.fail("entry", "the Bundle has no entries")
    by_url: dict[str, tuple[str, dict[str, Any]]] = {}
    resources: list[tuple[str, dict[str, Any]]] = []
    for i, entry in enumerate(entries):
        e = r.obj(entry, f"entry[{i}]")
        res = r.obj(e.get("resource"), f"entry[{i}].resource")
        if not isinstance(res.get("resourceType"), str):
            raise r.fail(f"entry[{i}].resource.resourceType", "missing (required)")
        where = f"entry[{i}].resource"
        resources.append((where, res))
        url = e.get("fullUrl")
        if isinstance(url, str):
            by_url[url] = (where, res)
    first = resources[0][1]["resourceType"]
    if first != "Composition":
        raise r.fail("entry[0].resource.resourceType", f"a document's first entry is its Composition, found {first}")
    composition = resources[0][1]
    evidences = [(w, res) for w, res in resources if res["resourceType"] == "Evidence"]
    if not evidences:
        raise r.fail("entry", "the Bundle has no Evidence resource (one per outcome)")
    title = r.text(composition.get("title"), "entry[0].resource.title", required=True)
    review: dict[str, object] = {"title": title}
    for where, res in resources:
        if res["resourceType"] == "Citation":
            cited = r.obj(res.get("citedArtifact") or {}, f"{where}.citedArtifact")
            for j, ident in enumerate(r.arr(cited.get("identifier"), f"{where}.citedArtifact.identifier")):
                item = r.obj(ident, f"{where}.citedArtifact.identifier[{j}]")
                if item.get("system") == "https://doi.org":
                    review["doi"] = r.text(item.get("value"), f"{where}.citedArtifact.identifier[{j}].value")
            review["title"] = r.text(res.get("title"), f"{where}.title") or title
            break
    question = _question(r, evidences[0], by_url)
    if question:
        review["question"] = question
    review["notes"] = "Imported from a FHIR R5 document Bundle (gradecli import fhir): summary-level outcomes."
    notes: list[str] = []
    read = [(where, _outcome(r, where, res, by_url, notes)) for where, res in evidences]
    outcomes = [o for _w, o in read if o is not None]
    if not outcomes:
        raise r.fail("entry", "no Evidence resource has a result or a number of studies to import")
    seen: dict[str, str] = {}
    for where, o in read:
        if o is None:
            continue
        oid = str(o["id"])
        if oid in seen:
            raise r.fail(f"{where}.identifier", f"outcome id {oid!r} is used twice (also {seen[oid]})")
        seen[oid] = where
    doc: dict[str, object] = {"gradecli": 1, "review": review, "outcomes": outcomes}
    header = [
        f"Imported by gradecli import fhir from {name}",
        "(a FHIR R5 document Bundle): one summary-level outcome per Evidence, the domain ratings as",
        "the reviewer's judgements. Per-study data, thresholds and assumed risks are not in the Bundle.",
    ]
    return FhirImport(doc, header, notes, len(outcomes))


def _question(
    r: _Reader, evidence: tuple[str, dict[str, Any]], by_url: dict[str, tuple[str, dict[str, Any]]]
) -> dict[str, object]:
    where, res = evidence
    roles = {C.ROLE_POPULATION[0]: "population", C.ROLE_EXPOSURE[0]: "intervention"}
    roles[C.ROLE_REFERENCE_EXPOSURE[0]] = "comparison"
    out: dict[str, object] = {}
    for i, vd in enumerate(r.arr(res.get("variableDefinition"), f"{where}.variableDefinition")):
        path = f"{where}.variableDefinition[{i}]"
        item = r.obj(vd, path)
        codes = r.codes(item.get("variableRole"), f"{path}.variableRole", C.VARIABLE_ROLE)
        key = next((roles[c] for c in codes if c in roles), None)
        if key is None:
            continue
        ref = r.obj(item.get("observed") or {}, f"{path}.observed").get("reference")
        target = by_url.get(ref) if isinstance(ref, str) else None
        if target is not None:
            t = r.text(target[1].get("title"), f"{target[0]}.title")
            if t:
                out[key] = t
    if "intervention" not in out or "comparison" not in out:
        return {}
    return {k: out[k] for k in ("population", "intervention", "comparison") if k in out}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "outcome"


def _outcome(
    r: _Reader,
    where: str,
    res: dict[str, Any],
    by_url: dict[str, tuple[str, dict[str, Any]]],
    notes: list[str],
) -> dict[str, object] | None:
    name = r.text(res.get("title"), f"{where}.title", required=True)
    assert name is not None
    oid = None
    for j, ident in enumerate(r.arr(res.get("identifier"), f"{where}.identifier")):
        item = r.obj(ident, f"{where}.identifier[{j}]")
        if item.get("system") == f"{C.GRADECLI_SYSTEM}:outcome":
            oid = r.text(item.get("value"), f"{where}.identifier[{j}].value", required=True)
    if oid is None:
        oid = _slug(name)
    importance = r.ext(res, C.EXT_IMPORTANCE, where) or "important"
    if importance not in ("critical", "important", "limited"):
        raise r.fail(f"{where}.extension", f"outcome importance {importance!r} is not critical, important or limited")
    statistics = r.arr(res.get("statistic"), f"{where}.statistic")
    measure = r.ext(res, C.EXT_MEASURE, where)
    st = r.obj(statistics[0], f"{where}.statistic[0]") if statistics else None
    if measure is None and st is not None:
        codes = r.codes(st.get("statisticType"), f"{where}.statistic[0].statisticType", C.STATISTIC_TYPE)
        measure = next((_MEASURE[c] for c in codes if c in _MEASURE), None)
    measure = measure or "GENERIC"
    if measure not in _MEASURES:
        raise r.fail(f"{where}.extension", f"unknown effect measure {measure!r}")
    out: dict[str, object] = {
        "id": oid,
        "name": name,
        "importance": importance,
        "type": _TYPES.get(measure, "generic"),
        "measure": measure,
    }
    if st is None:
        out["data"] = []
    else:
        summary = _summary(r, f"{where}.statistic[0]", st)
        design = r.ext(res, C.EXT_DESIGN, where)
        if design is not None:
            if design not in ("rct", "nrsi", "mixed"):
                raise r.fail(f"{where}.extension", f"unknown design {design!r}")
            summary["design"] = design
        if "estimate" not in summary and "studies" not in summary:
            # an evidence file's summary needs one or the other: the outcome cannot be imported
            notes.append(f"{oid}: not imported: its statistic gives neither an estimate nor a number of studies")
            return None
        out["summary"] = summary
    judgements = _judgements(r, where, res)
    if judgements:
        out["judgements"] = judgements
    if len(statistics) > 1:
        notes.append(f"{oid}: only the first of {len(statistics)} statistics was imported")
    return out


def _summary(r: _Reader, path: str, st: dict[str, Any]) -> dict[str, object]:
    summary: dict[str, object] = {}
    quantity = st.get("quantity")
    estimate = (
        r.number(r.obj(quantity, f"{path}.quantity").get("value"), f"{path}.quantity.value") if quantity else None
    )
    ci: list[float] | None = None
    i2 = tau2 = None
    for k, ae in enumerate(r.arr(st.get("attributeEstimate"), f"{path}.attributeEstimate")):
        p = f"{path}.attributeEstimate[{k}]"
        item = r.obj(ae, p)
        codes = r.codes(item.get("type"), f"{p}.type", C.ATTRIBUTE_ESTIMATE_TYPE)
        if C.CONFIDENCE_INTERVAL[0] in codes:
            level = r.number(item.get("level"), f"{p}.level")
            if level is not None and abs(level - 0.95) > 1e-9 and abs(level - 95) > 1e-9:
                raise r.fail(f"{p}.level", f"only 95% confidence intervals can be imported, found {level}")
            rng = r.obj(item.get("range"), f"{p}.range")
            lo = r.number(r.obj(rng.get("low"), f"{p}.range.low").get("value"), f"{p}.range.low.value")
            hi = r.number(r.obj(rng.get("high"), f"{p}.range.high").get("value"), f"{p}.range.high.value")
            if lo is None or hi is None:
                raise r.fail(f"{p}.range", "a confidence interval needs both low.value and high.value")
            ci = [lo, hi]
        elif C.I_SQUARED[0] in codes:
            i2 = r.number(r.obj(item.get("quantity"), f"{p}.quantity").get("value"), f"{p}.quantity.value")
        elif C.TAU_SQUARED[0] in codes:
            tau2 = r.number(r.obj(item.get("quantity"), f"{p}.quantity").get("value"), f"{p}.quantity.value")
    if (estimate is None) != (ci is None):
        what = "a 95% confidence interval" if estimate is not None else "an estimate (quantity.value)"
        raise r.fail(path, f"an estimate and its 95% CI go together: {what} is missing")
    if estimate is not None:
        summary["estimate"] = estimate
        summary["ci"] = ci
    size = st.get("sampleSize")
    if size is not None:
        s = r.obj(size, f"{path}.sampleSize")
        participants = r.count(s.get("numberOfParticipants"), f"{path}.sampleSize.numberOfParticipants")
        studies = r.count(s.get("numberOfStudies"), f"{path}.sampleSize.numberOfStudies")
        if participants is not None:
            summary["participants"] = participants
        if studies is not None:
            summary["studies"] = studies
    if i2 is not None:
        summary["i2"] = i2
    if tau2 is not None:
        summary["tau2"] = tau2
    for k, mc in enumerate(r.arr(st.get("modelCharacteristic"), f"{path}.modelCharacteristic")):
        p = f"{path}.modelCharacteristic[{k}]"
        codes = r.codes(r.obj(mc, p).get("code"), f"{p}.code", C.STATISTIC_MODEL_CODE)
        if C.MODEL_RANDOM[0] in codes:
            summary["model"] = "random"
        elif C.MODEL_FIXED[0] in codes:
            summary["model"] = "fixed"
    return summary


def _judgements(r: _Reader, where: str, res: dict[str, Any]) -> dict[str, object]:
    out: dict[str, object] = {}
    overall: dict[str, Any] | None = None
    opath, overall_found = "", False
    for i, c in enumerate(r.arr(res.get("certainty"), f"{where}.certainty")):
        p = f"{where}.certainty[{i}]"
        item = r.obj(c, p)
        is_overall = C.TYPE_OVERALL[0] in r.codes(item.get("type"), f"{p}.type", C.CERTAINTY_TYPE)
        if overall is None or (is_overall and not overall_found):
            overall, opath, overall_found = item, p, is_overall
    if overall is None:
        return out
    for j, sc in enumerate(r.arr(overall.get("subcomponent"), f"{opath}.subcomponent")):
        p = f"{opath}.subcomponent[{j}]"
        sub = r.obj(sc, p)
        domain = next(
            (_DOMAIN[c] for c in r.codes(sub.get("type"), f"{p}.type", C.CERTAINTY_TYPE) if c in _DOMAIN), None
        )
        if domain is None:
            continue
        rating = r.codes(sub.get("rating"), f"{p}.rating", C.CERTAINTY_RATING)
        status = r.ext(sub, C.EXT_STATUS, p)
        reason = r.first_note(sub, p) or "Imported from FHIR without a reason."
        if domain in _UPGRADES:
            levels = next((_UP[c] for c in rating if c in _UP), None)
            if levels is not None and (levels > 0 or status in _JUDGED):
                out[domain] = {"levels": levels, "reason": reason}
            continue
        concern = next((_CONCERN[c] for c in rating if c in _CONCERN), None)
        if concern is not None and status != "not_applicable":  # the rules say "not applicable" again
            out[domain] = {"rating": concern, "reason": reason}
    if r.ext(overall, C.EXT_STATUS, opath) == "overridden":
        level = next(
            (_LEVEL[c] for c in r.codes(overall.get("rating"), f"{opath}.rating", C.CERTAINTY_RATING) if c in _LEVEL),
            None,
        )
        if level is None:
            raise r.fail(f"{opath}.rating", "the reviewer's overall certainty has no certainty-rating code")
        out["certainty"] = {"rating": level, "reason": r.first_note(overall, opath) or "Imported from FHIR."}
    order = [
        "risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias", *_UPGRADES, "certainty"
    ]  # fmt: skip
    return {k: out[k] for k in order if k in out}
