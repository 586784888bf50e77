"""The assessment as an HL7 FHIR R5 document Bundle (EBM-on-FHIR): a SummaryOfFindings Composition,
one Evidence per outcome with its certainty, EvidenceVariables for the question and the outcomes,
ArtifactAssessments for the reviewer's judgments and the studies' risk of bias, and a Citation.

Reads the Assessment only. Deterministic: every id is a UUID 5 of the review's title and the
item's place; the only date is one the file gives (the latest review date), never the clock's; the
JSON is written with sorted keys and a fixed indent. Codes and URLs: :mod:`gradecli.report.fhir_codes`.
See docs/fhir.md for the mapping.
"""

from __future__ import annotations

import json
import uuid
from html import escape
from typing import Any

from gradecli.grade.assessment import (
    DOMAIN_NAMES,
    Assessment,
    DomainAssessment,
    OutcomeAssessment,
    Question,
    StudyRecord,
    UpgradeAssessment,
)
from gradecli.report import fhir_codes as C

Json = dict[str, Any]

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:gradecli:fhir")
JUDGED = ("overridden", "judged", "confirmed")


def _uid(a: Assessment, *parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join((a.title, *parts))))


def _urn(a: Assessment, *parts: str) -> str:
    return f"urn:uuid:{_uid(a, *parts)}"


def _coding(system: str, code: tuple[str, str]) -> Json:
    return {"system": system, "code": code[0], "display": code[1]}


def _cc(system: str, code: tuple[str, str], text: str | None = None) -> Json:
    out: Json = {"coding": [_coding(system, code)]}
    if text:
        out["text"] = text
    return out


def _narrative(text: str) -> Json:
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{escape(text)}</div>'}


def _ref(url: str, display: str | None = None, kind: str | None = None) -> Json:
    out: Json = {"reference": url}
    if kind:
        out["type"] = kind
    if display:
        out["display"] = display
    return out


def _num(x: float) -> float | int:
    """A finite number as JSON writes it (integers stay integers)."""
    return int(x) if isinstance(x, int) else float(x)


def _fmt(x: float | None) -> str:
    return "not estimable" if x is None else f"{x:.4g}"


def _absent() -> Json:
    return {"extension": [{"url": C.DATA_ABSENT_REASON, "valueCode": "unknown"}]}


def document_date(a: Assessment) -> str | None:
    """The latest date the file gives (reviewers' and consensus dates), else None: gradecli never
    writes the time it ran, so the same file always gives the same bytes."""
    dates = [r.date for rec in a.reviews for r in rec.ratings if r.date]
    dates += [rec.consensus.date for rec in a.reviews if rec.consensus is not None and rec.consensus.date]
    return max(dates) if dates else None


class _Builder:
    def __init__(self, a: Assessment, comparison: str | None) -> None:
        self.a = a
        self.comparison = comparison
        self.entries: list[Json] = []

    def add(self, resource: Json, *parts: str) -> str:
        url = _urn(self.a, resource["resourceType"], *parts)
        resource["id"] = url.removeprefix("urn:uuid:")
        self.entries.append({"fullUrl": url, "resource": resource})
        return url

    # --- the question --------------------------------------------------------------------------

    def question_of(self, o: OutcomeAssessment) -> tuple[str, Question | None]:
        if o.comparison is not None:
            for c in self.a.comparisons:
                if c.id == o.comparison:
                    return c.id, c.question or self.a.question
        return "", self.a.question

    def variables(self, key: str, q: Question | None, cache: dict[str, dict[str, str]]) -> dict[str, str]:
        if key in cache:
            return cache[key]
        out: dict[str, str] = {}
        if q is not None:
            for role, text in (
                ("population", q.population),
                ("intervention", q.intervention),
                ("comparison", q.comparison),
            ):
                if text:
                    ev: Json = {"resourceType": "EvidenceVariable", "status": "active", "title": text}
                    if role == "population" and q.setting:
                        ev["description"] = f"Setting: {q.setting}"
                    out[role] = self.add(ev, "variable", key, role)
        cache[key] = out
        return out

    # --- one outcome ---------------------------------------------------------------------------

    def outcome_variable(self, o: OutcomeAssessment) -> str:
        ev: Json = {
            "resourceType": "EvidenceVariable",
            "status": "active",
            "title": o.name,
            "identifier": [{"system": f"{C.GRADECLI_SYSTEM}:outcome", "value": o.id}],
            "extension": [{"url": C.EXT_IMPORTANCE, "valueCode": o.importance}],
        }
        details = [
            f"{label}: {value}"
            for label, value in (("scale", o.scale), ("follow-up", o.follow_up), ("benefit", o.benefit))
            if value
        ]
        if details:
            ev["description"] = "; ".join(details)
        return self.add(ev, "outcome", o.id)

    def evidence(self, o: OutcomeAssessment, outcome_url: str, pico: dict[str, str]) -> Json:
        roles = (
            ("population", C.ROLE_POPULATION),
            ("intervention", C.ROLE_EXPOSURE),
            ("comparison", C.ROLE_REFERENCE_EXPOSURE),
        )
        definitions = [
            {"variableRole": _cc(C.VARIABLE_ROLE, code), "observed": _ref(pico[key], kind="EvidenceVariable")}
            for key, code in roles
            if key in pico
        ]
        definitions.append(
            {"variableRole": _cc(C.VARIABLE_ROLE, C.ROLE_MEASURED), "observed": _ref(outcome_url, o.name)}
        )
        ev: Json = {
            "resourceType": "Evidence",
            "status": "active",
            "title": o.name,
            "identifier": [{"system": f"{C.GRADECLI_SYSTEM}:outcome", "value": o.id}],
            "variableDefinition": definitions,
            "extension": [{"url": C.EXT_IMPORTANCE, "valueCode": o.importance}],
        }
        if o.measure:
            ev["extension"].append({"url": C.EXT_MEASURE, "valueCode": o.measure})
        if o.start is not None:
            design = "rct" if o.start.value == "high" else "nrsi"
            ev["extension"].append({"url": C.EXT_DESIGN, "valueCode": design})
            ev["studyDesign"] = [{"text": o.start_reason or design}]
        if o.statement:
            ev["assertion"] = o.statement
        notes = [n for n in (o.not_estimable, o.narrative) if n] + list(o.footnotes)
        if notes:
            ev["note"] = [{"text": n} for n in notes]
        if o.form == "none":
            ev["description"] = "No study reported this outcome."
        statistic = self.statistic(o)
        if statistic is not None:
            ev["statistic"] = [statistic]
            ev["synthesisType"] = {
                "text": "as reported by the source review" if o.form == "summary" else "summary data meta-analysis"
            }
        certainty = self.certainty(o)
        if certainty is not None:
            ev["certainty"] = [certainty]
        return ev

    def statistic(self, o: OutcomeAssessment) -> Json | None:
        e = o.effect
        if e is None:
            if o.form != "summary":
                return None
            # studies reported it, but the source gives no result (and the assessment no counts)
            return {"statisticType": {"text": o.measure or "GENERIC"}, "description": o.not_estimable or "no result"}
        code = C.STATISTIC_TYPES.get(e.measure)
        stype: Json = {"text": e.measure}
        if code is not None:
            stype["coding"] = [_coding(C.STATISTIC_TYPE, code)]
        st: Json = {"statisticType": stype}
        ci = f" (95% CI {_fmt(e.ci_lb)} to {_fmt(e.ci_ub)})" if e.ci_lb is not None and e.ci_ub is not None else ""
        st["description"] = f"{e.measure} {_fmt(e.estimate)}{ci}; {e.method or e.source}"
        if e.estimate is not None:
            st["quantity"] = {"value": _num(e.estimate)}
        size: Json = {}
        if e.k is not None:
            size["numberOfStudies"] = e.k
        if e.participants is not None:
            size["numberOfParticipants"] = e.participants
        if size:
            st["sampleSize"] = size
        events = [
            r.events_t + r.events_c for r in o.rows if r.included and r.events_t is not None and r.events_c is not None
        ]
        if events and len(events) == len([r for r in o.rows if r.included]):
            st["numberOfEvents"] = sum(events)
        estimates: list[Json] = []
        if e.ci_lb is not None and e.ci_ub is not None:
            estimates.append(
                {
                    "type": _cc(C.ATTRIBUTE_ESTIMATE_TYPE, C.CONFIDENCE_INTERVAL),
                    "level": 0.95,
                    "range": {"low": {"value": _num(e.ci_lb)}, "high": {"value": _num(e.ci_ub)}},
                }
            )
        if e.i2 is not None:
            estimates.append(
                {"type": _cc(C.ATTRIBUTE_ESTIMATE_TYPE, C.I_SQUARED), "quantity": {"value": _num(e.i2), "unit": "%"}}
            )
        if e.tau2 is not None:
            estimates.append(
                {"type": _cc(C.ATTRIBUTE_ESTIMATE_TYPE, C.TAU_SQUARED), "quantity": {"value": _num(e.tau2)}}
            )
        if e.q_p is not None:
            estimates.append(
                {
                    "type": _cc(C.ATTRIBUTE_ESTIMATE_TYPE, C.P_VALUE),
                    "description": "p value of Cochran's Q test for heterogeneity",
                    "quantity": {"value": _num(e.q_p)},
                }
            )
        if o.pooled is not None:
            estimates.append(
                {
                    "type": _cc(C.ATTRIBUTE_ESTIMATE_TYPE, C.COCHRAN_Q),
                    "quantity": {"value": _num(o.pooled.q)},
                    "description": f"Cochran's Q on {o.pooled.q_df} df",
                }
            )
        if estimates:
            st["attributeEstimate"] = estimates
        models = self.model(o)
        if models:
            st["modelCharacteristic"] = models
        if e.warnings:
            st["note"] = [{"text": w} for w in e.warnings]
        return st

    def model(self, o: OutcomeAssessment) -> list[Json]:
        p = o.pooled
        if p is None:
            return []
        out = [{"code": _cc(C.STATISTIC_MODEL_CODE, C.META_ANALYSIS, o.analysis)}]
        if p.model == "random":
            out.append({"code": _cc(C.STATISTIC_MODEL_CODE, C.MODEL_RANDOM)})
        elif p.model == "fixed":
            out.append({"code": _cc(C.STATISTIC_MODEL_CODE, C.MODEL_FIXED)})
        method = C.TAU2_METHODS.get(p.method) or C.POOLING_METHODS.get(p.method)
        if method is not None:
            out.append({"code": _cc(C.STATISTIC_MODEL_CODE, method)})
        if p.hksj:
            out.append({"code": _cc(C.STATISTIC_MODEL_CODE, C.HARTUNG_KNAPP)})
        return out

    # --- certainty -----------------------------------------------------------------------------

    def certainty(self, o: OutcomeAssessment) -> Json | None:
        if not o.domains and o.certainty is None:
            return None
        overall: Json = {"type": _cc(C.CERTAINTY_TYPE, C.TYPE_OVERALL), "rater": f"gradecli, rule set {self.a.rules}"}
        status = "overridden" if o.certainty_reason is not None else ("provisional" if o.provisional else "computed")
        overall["extension"] = [{"url": C.EXT_STATUS, "valueCode": status}]
        notes: list[str] = []
        if o.certainty is not None:
            overall["rating"] = _cc(C.CERTAINTY_RATING, C.CERTAINTY_LEVELS[o.certainty.value])
        if o.certainty_reason is not None:
            notes.append(o.certainty_reason)
        if o.provisional:
            ceiling = o.certainty_ceiling.value.replace("_", " ") if o.certainty_ceiling else "unknown"
            from gradecli.report.sof import provisional_comment

            said = provisional_comment(o.missing_domains, o.disagreements).removesuffix(".")
            notes.append(f"{said} (at most {ceiling}).")
        elif o.certainty is None:
            notes.append("Not rated: " + (o.not_estimable or "there is no estimate to rate."))
        if o.start is not None:
            overall["description"] = f"Starts at {o.start.value.replace('_', ' ')}: {o.start_reason or ''}".rstrip(": ")
        if notes:
            overall["note"] = [{"text": n} for n in notes]
        subs = [self.domain(d) for d in o.domains] + [self.upgrade(u) for u in o.upgrades]
        if subs:
            overall["subcomponent"] = subs
        return overall

    def domain(self, d: DomainAssessment) -> Json:
        sub: Json = {
            "type": _cc(C.CERTAINTY_TYPE, C.DOMAIN_TYPES[d.domain]),
            "extension": [{"url": C.EXT_STATUS, "valueCode": d.status}],
        }
        reason = d.reviewer_reason or d.proposal.explanation
        if d.rating is None:
            sub["note"] = [{"text": "Not assessed" + (f": {reason}" if reason else ".")}]
        else:
            rating = _cc(C.CERTAINTY_RATING, C.CONCERNS[d.rating.value])
            rating["coding"].append(_coding(C.CERTAINTY_RATING, C.DOWNCODES[d.levels]))
            sub["rating"] = rating
            if reason:
                sub["note"] = [{"text": reason}]
        sub["rater"] = (
            ", ".join(d.judged_by)
            if d.judged_by
            else ("reviewer" if d.status in JUDGED else f"gradecli rule {d.proposal.rule or ''}".rstrip())
        )
        if d.footnote:
            sub["description"] = d.footnote
        return sub

    def upgrade(self, u: UpgradeAssessment) -> Json:
        sub: Json = {
            "type": _cc(C.CERTAINTY_TYPE, C.DOMAIN_TYPES[u.domain]),
            "extension": [{"url": C.EXT_STATUS, "valueCode": u.status}],
        }
        reason = u.reviewer_reason or ("; ".join(u.facts) if u.facts else None)
        if u.status == "not_assessed":
            sub["note"] = [{"text": "Not assessed" + (f": {reason}" if reason else ".")}]
        else:
            codes = [C.UPCODES[u.levels]] if u.levels else [C.ABSENT if u.proposed_levels == 0 else C.UPCODES[0]]
            sub["rating"] = {"coding": [_coding(C.CERTAINTY_RATING, c) for c in codes]}
            if reason:
                sub["note"] = [{"text": reason}]
            if u.needs_confirmation and u.status == "proposed":
                sub.setdefault("note", []).append(
                    {"text": f"Proposed +{u.proposed_levels}: counts only once the reviewer confirms it."}
                )
        sub["rater"] = ", ".join(u.judged_by) if u.judged_by else ("reviewer" if u.status in JUDGED else "gradecli")
        if u.footnote:
            sub["description"] = u.footnote
        return sub

    # --- reviewer judgments and risk of bias ---------------------------------------------------

    def judgments(self, o: OutcomeAssessment, evidence_url: str) -> None:
        for d in o.domains:
            if d.status not in JUDGED or d.rating is None:
                continue
            proposal: Json = {"informationType": "rating", "type": {"text": "rule proposal it replaces"}}
            if d.proposal.rating is not None:
                proposal["classifier"] = [_cc(C.CERTAINTY_RATING, C.CONCERNS[d.proposal.rating.value])]
            words = [w for w in (d.proposal.rule, d.proposal.explanation) if w]
            proposal["summary"] = ": ".join(words) if words else "no rule proposal (the rule could not assess it)"
            self.assessment(
                o,
                evidence_url,
                d.domain,
                d.status,
                d.judged_by,
                d.reviewer_reason,
                _cc(C.CERTAINTY_RATING, C.CONCERNS[d.rating.value]),
                [proposal],
            )
        for u in o.upgrades:
            if u.status not in JUDGED:
                continue
            proposal = {
                "informationType": "rating",
                "type": {"text": "rule proposal it replaces"},
                "classifier": [{"coding": [_coding(C.CERTAINTY_RATING, C.UPCODES[u.proposed_levels])]}],
                "summary": ": ".join(w for w in (u.rule, "; ".join(u.facts)) if w) or "no rule proposal",
            }
            self.assessment(
                o,
                evidence_url,
                u.domain,
                u.status,
                u.judged_by,
                u.reviewer_reason,
                {"coding": [_coding(C.CERTAINTY_RATING, C.UPCODES[u.levels])]},
                [proposal],
            )
        if o.certainty_reason is not None and o.certainty is not None:
            proposal = {"informationType": "rating", "type": {"text": "certainty computed from the domains"}}
            if o.computed_certainty is not None:
                proposal["classifier"] = [_cc(C.CERTAINTY_RATING, C.CERTAINTY_LEVELS[o.computed_certainty.value])]
            proposal["summary"] = "the certainty the domains give"
            self.assessment(
                o,
                evidence_url,
                "certainty",
                "overridden",
                [],
                o.certainty_reason,
                _cc(C.CERTAINTY_RATING, C.CERTAINTY_LEVELS[o.certainty.value]),
                [proposal],
            )

    def assessment(
        self,
        o: OutcomeAssessment,
        evidence_url: str,
        item: str,
        status: str,
        by: list[str],
        reason: str | None,
        classifier: Json,
        components: list[Json],
    ) -> None:
        ctype = C.TYPE_OVERALL if item == "certainty" else C.DOMAIN_TYPES[item]
        content: Json = {
            "informationType": "rating",
            "type": _cc(C.CERTAINTY_TYPE, ctype),
            "classifier": [classifier],
            "summary": reason or "(no reason given)",
            "component": components,
            "extension": [{"url": C.EXT_STATUS, "valueCode": status}],
        }
        names = {r.id: r.name or r.id for r in self.a.reviewers}
        authors = [{"display": names.get(b, b)} for b in by] or [{"display": "reviewer"}]
        content["author"] = authors[0]
        resource: Json = {
            "resourceType": "ArtifactAssessment",
            "meta": {"profile": [C.CERTAINTY_OF_EVIDENCE_PROFILE]},
            "title": f"{DOMAIN_NAMES.get(item, item).capitalize()} of {o.name}: reviewer's judgment ({status})",
            "artifactReference": _ref(evidence_url, o.name, "Evidence"),
            "content": [content],
        }
        date = self.judgment_date(o, item)
        if date:
            resource["date"] = date
        self.add(resource, "judgment", o.id, item)

    def judgment_date(self, o: OutcomeAssessment, item: str) -> str | None:
        key = o.source_id or o.id
        for rec in self.a.reviews:
            if rec.outcome == key and rec.item == item and rec.study is None:
                dates = [r.date for r in rec.ratings if r.date]
                if rec.consensus is not None and rec.consensus.date:
                    dates.append(rec.consensus.date)
                return max(dates) if dates else None
        return None

    def risk_of_bias(self, s: StudyRecord) -> None:
        rob = s.risk_of_bias
        if rob is None:
            return
        components = [
            {"informationType": "rating", "type": {"text": domain}, "classifier": [{"text": judgment}]}
            for domain, judgment in rob.domains.items()
        ]
        content: Json = {
            "informationType": "rating",
            "type": _cc(C.CERTAINTY_TYPE, C.DOMAIN_TYPES["risk_of_bias"], f"overall risk of bias ({rob.tool})"),
            "classifier": [{"text": rob.overall}],
        }
        if components:
            content["component"] = components
        resource: Json = {
            "resourceType": "ArtifactAssessment",
            "meta": {"profile": [C.RISK_OF_BIAS_PROFILE]},
            "title": f"Risk of bias of {s.id} ({rob.tool})",
            "artifactReference": {
                "type": "ResearchStudy",
                "identifier": {"system": f"{C.GRADECLI_SYSTEM}:study", "value": s.id},
                "display": s.id,
            },
            "content": [content],
        }
        self.add(resource, "risk-of-bias", s.id)

    # --- the document --------------------------------------------------------------------------

    def citation(self) -> str:
        a = self.a
        cited: Json = {"title": [{"text": a.title}]}
        if a.doi:
            cited["identifier"] = [{"system": "https://doi.org", "value": a.doi}]
        resource: Json = {"resourceType": "Citation", "status": "active", "title": a.title, "citedArtifact": cited}
        return self.add(resource, "citation")

    def build(self) -> Json:
        a = self.a
        date = document_date(a)
        citation = self.citation()
        cache: dict[str, dict[str, str]] = {}
        sections: list[Json] = [self.column_headers()]
        for o in a.outcomes:
            key, q = self.question_of(o)
            pico = self.variables(key, q, cache)
            outcome_url = self.outcome_variable(o)
            evidence_url = _urn(a, "Evidence", o.id)
            self.add(self.evidence(o, outcome_url, pico), o.id)
            self.judgments(o, evidence_url)
            sections.append(self.outcome_section(o, outcome_url, evidence_url))
        studies: set[str] = set()
        for o in a.outcomes:
            studies.update(r.study for r in o.rows)
        for s in a.studies:
            if not studies or s.id in studies:
                self.risk_of_bias(s)
        title = a.title
        if self.comparison is not None:
            title = next((c.title for c in a.comparisons if c.id == self.comparison), title)
        authors = [{"display": r.name or r.id} for r in a.reviewers] or [{"display": f"gradecli {a.gradecli_version}"}]
        composition: Json = {
            "resourceType": "Composition",
            "meta": {"profile": [C.SUMMARY_OF_FINDINGS_PROFILE]},
            "status": "final",
            "type": {"text": "Summary of findings"},
            "category": [{"text": C.SUMMARY_OF_FINDINGS_CATEGORY}],
            "title": title,
            "author": authors,
            "relatesTo": [{"type": "cite-as", "resourceReference": _ref(citation, a.title, "Citation")}],
            "section": sections,
        }
        if self.comparison is not None:
            composition["identifier"] = [{"system": f"{C.GRADECLI_SYSTEM}:comparison", "value": self.comparison}]
        if date:
            composition["date"] = date
        else:
            composition["_date"] = _absent()
        self.add(composition, "composition", self.comparison or "")
        self.entries.insert(0, self.entries.pop())  # a document's first entry is its Composition
        bundle: Json = {
            "resourceType": "Bundle",
            "id": _uid(a, "Bundle", self.comparison or ""),
            "identifier": {"system": "urn:ietf:rfc:3986", "value": _urn(a, "Bundle", self.comparison or "")},
            "type": "document",
            "entry": self.entries,
        }
        if date:
            bundle["timestamp"] = f"{date}T00:00:00Z"
        else:
            bundle["_timestamp"] = _absent()
        return bundle

    def column_headers(self) -> Json:
        heads = (
            C.SECTION_OUTCOME,
            C.SECTION_SAMPLE_SIZE,
            C.SECTION_WITHOUT_TREATMENT,
            C.SECTION_WITH_TREATMENT,
            C.SECTION_EFFECT,
            C.SECTION_CERTAINTY,
            C.SECTION_ASSERTION,
        )
        return {
            "title": "Column headers",
            "code": _cc(C.EVIDENCE_REPORT_SECTION, C.SECTION_COLUMN_HEADERS),
            "section": [
                {"title": h[1], "code": _cc(C.EVIDENCE_REPORT_SECTION, h), "text": _narrative(h[1])} for h in heads
            ],
        }

    def outcome_section(self, o: OutcomeAssessment, outcome_url: str, evidence_url: str) -> Json:
        def sub(code: tuple[str, str], text: str, entry: str | None = None) -> Json:
            out: Json = {"title": code[1], "code": _cc(C.EVIDENCE_REPORT_SECTION, code), "text": _narrative(text)}
            if entry:
                out["entry"] = [_ref(entry)]
            return out

        parts = [sub(C.SECTION_OUTCOME, o.name, outcome_url)]
        e = o.effect
        if e is not None and (e.k is not None or e.participants is not None):
            k = f"{e.k} studies" if e.k is not None else "studies not reported"
            n = f"{e.participants} participants" if e.participants is not None else "participants not reported"
            parts.append(sub(C.SECTION_SAMPLE_SIZE, f"{k}, {n}"))
        elif o.form == "none":
            parts.append(sub(C.SECTION_SAMPLE_SIZE, "No studies"))
        if o.absolute:
            ab = o.absolute[0]
            parts.append(sub(C.SECTION_WITHOUT_TREATMENT, f"{ab.comparator:.4g} per {ab.per:,}"))
            if ab.intervention is not None:
                ci = ""
                if ab.intervention_lb is not None and ab.intervention_ub is not None:
                    ci = f" (95% CI {ab.intervention_lb:.4g} to {ab.intervention_ub:.4g})"
                parts.append(sub(C.SECTION_WITH_TREATMENT, f"{ab.intervention:.4g} per {ab.per:,}{ci}"))
        if e is not None:
            ci = f" (95% CI {_fmt(e.ci_lb)} to {_fmt(e.ci_ub)})" if e.ci_lb is not None and e.ci_ub is not None else ""
            parts.append(sub(C.SECTION_EFFECT, f"{e.measure} {_fmt(e.estimate)}{ci}", evidence_url))
        if o.certainty is not None:
            parts.append(sub(C.SECTION_CERTAINTY, o.certainty.value.replace("_", " "), evidence_url))
        elif o.provisional:
            parts.append(sub(C.SECTION_CERTAINTY, "provisional (not all domains assessed)", evidence_url))
        if o.statement:
            parts.append(sub(C.SECTION_ASSERTION, o.statement))
        return {
            "title": o.name,
            "code": {"text": C.OUTCOME_ENTRY_TEXT},
            "focus": _ref(outcome_url, o.name, "EvidenceVariable"),
            "section": parts,
        }


def to_bundle(a: Assessment, comparison: str | None = None) -> Json:
    """The FHIR document Bundle of an assessment (``comparison``: the assessment holds only that
    comparison's outcomes, and the Composition is titled with it)."""
    return _Builder(a, comparison).build()


def render(a: Assessment, comparison: str | None = None) -> str:
    """The Bundle as JSON text: sorted keys, indent 2, UTF-8 characters as they are, a final newline."""
    return json.dumps(to_bundle(a, comparison), indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"
