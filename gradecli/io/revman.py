"""Read a RevMan 5 review (``.rm5``, XML) into plain dataclasses.

The parser keeps what gradecli needs (studies, comparisons, outcomes with their subgroups and
study rows, RoB 1 quality items) and RevMan's own pooled results (the "golden values", kept apart
and never fed back into computations). Everything it does not use is listed in
:attr:`RevmanReview.unsupported` so the importer can say so instead of dropping it silently.

Traps handled (see ``docs/import.md``): the declared encoding (ISO-8859-1 or UTF-8), BOM, CRLF and
single-line files (a real XML parser, never line structure); entity expansion and external
entities refused (``defusedxml``); ``RESULT="YES"`` means *low* risk; ``LOG_*`` attributes are
base-10 logs (ignored); ``Z`` is an absolute value; ``TAU2`` is 0 for fixed-effect analyses;
``ESTIMABLE="NO"`` results are all 0 and mean "missing"; empty result attributes (RevMan 5.0);
``_x002d_`` escapes in study ids (joins use the raw id, display uses ``NAME``); the same study
repeated within one outcome (multi-arm trials).

Author names and e-mail addresses in ``COVER_SHEET`` are never read.
"""

from __future__ import annotations

import fnmatch
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from gradecli.io.revman_sof import SofRow
from gradecli.io.writer import EvidenceDoc, ReviewDoc
from gradecli.problems import InputError

MAX_RM5_BYTES = 64 * 1024 * 1024

OUTCOME_TAGS = {"DICH_OUTCOME": "dichotomous", "CONT_OUTCOME": "continuous", "IV_OUTCOME": "generic"}
UNSUPPORTED_OUTCOME_TAGS = ("IPD_OUTCOME", "OTHER_OUTCOME")

# RoB 1 item names (current and legacy wording) → evidence-file rob1 domains
ROB1_JUDGMENT = {"YES": "low", "NO": "high", "UNKNOWN": "unclear"}


@dataclass(frozen=True)
class Reported:
    """RevMan's own pooled result for an outcome or subgroup (display scale: ratio, not log)."""

    estimate: float
    ci_lb: float
    ci_ub: float
    tau2: float | None
    chi2: float | None
    df: float | None
    i2: float | None
    z: float | None
    studies: int | None


@dataclass
class Row:
    study_id: str  # raw STUDY_ID (join key)
    order: int
    values: dict[str, float | None]
    estimable: bool
    footnote: str | None = None  # the row's FOOTNOTE (RevMan's forest-plot footnote), flattened


@dataclass
class Group:
    """A subgroup (or the whole outcome when it has none)."""

    id: str
    name: str | None
    rows: list[Row]
    reported: Reported | None


@dataclass
class RmOutcome:
    id: str  # CMP-001.01
    comparison_no: int
    no: int
    name: str
    kind: str  # dichotomous | continuous | generic
    measure_raw: str
    method: str | None  # MH | IV | PETO (dichotomous only)
    random: bool
    log_data: bool
    totals: str  # YES | SUB | NO
    has_subgroups: bool
    ci_level: str
    label_t: str | None
    label_c: str | None
    groups: list[Group]
    reported: Reported | None
    swap_events: bool = False

    @property
    def rows(self) -> list[tuple[Group, Row]]:
        return [(g, r) for g in self.groups for r in g.rows]


@dataclass
class Comparison:
    id: str
    no: int
    name: str
    outcomes: list[RmOutcome]


@dataclass
class RobEntry:
    item_no: int
    item_name: str
    result: str  # YES | NO | UNKNOWN (or something else, reported)
    group_name: str | None
    support: str | None = None  # the entry's DESCRIPTION ("Support for judgement"), flattened


@dataclass
class Study:
    id: str
    name: str
    year: int | None


@dataclass
class RevmanReview:
    file: str
    title: str
    doi: str | None
    review_type: str
    revman_version: str | None
    studies: dict[str, Study]
    comparisons: list[Comparison]
    rob: dict[str, list[RobEntry]]  # raw study id → entries
    rob_items: list[tuple[int, str, str]]  # (NO, NAME, LEVEL)
    rob_groups: dict[int, list[str]] = field(default_factory=dict)  # item NO → its outcome groups' NAMEs
    unsupported: list[str] = field(default_factory=list)
    has_sof: bool = False
    sof_rows: list[SofRow] = field(default_factory=list)  # the authors' Summary-of-findings rows


# ---------------------------------------------------------------------------------------------


def unescape_id(raw: str) -> str:
    """``STD-ISIS_x002d_2`` → ``STD-ISIS-2`` (RevMan 5.0 escaped ids XML-style)."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), raw)


def _num(el: Element, attr: str) -> float | None:
    v = el.get(attr)
    if v is None or v.strip() == "":
        return None
    try:
        x = float(v)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _text(el: Element, tag: str) -> str | None:
    child = el.find(tag)
    if child is None:
        return None
    s = " ".join("".join(child.itertext()).split())
    return s or None


def flat_text(el: Element | None) -> str | None:
    """RevMan's HTML-ish rich text (``<P>`` paragraphs, ``<BR/>`` line breaks, inline ``<I>``, ``<B>``,
    list items) as one line of plain text: whitespace runs become one space, line breaks and list
    items ``"; "`` (a space after a sentence's own full stop), paragraphs a space."""
    if el is None:
        return None
    lines: list[str] = []
    cur: list[str] = []

    def brk() -> None:
        line = " ".join("".join(cur).split())
        if line:
            lines.append(line)
        cur.clear()

    def walk(e: Element) -> None:
        if e.text:
            cur.append(e.text)
        for c in e:
            tag = str(c.tag).upper()
            if tag in ("BR", "P", "LI", "UL", "OL", "DIV", "TR"):
                brk()
                walk(c)
                brk()
            else:
                walk(c)
            if c.tail:
                cur.append(c.tail)

    walk(el)
    brk()
    out = ""
    for line in lines:
        out += ("" if not out else " " if out.endswith((".", ";", ":", "!", "?")) else "; ") + line
    return out or None


def _reported(el: Element, ratio: bool) -> Reported | None:
    if el.get("ESTIMABLE", "YES") == "NO":
        return None
    est, lb, ub = _num(el, "EFFECT_SIZE"), _num(el, "CI_START"), _num(el, "CI_END")
    if est is None or lb is None or ub is None:
        return None
    if est == 0.0 and lb == 0.0 and ub == 0.0:
        return None
    if ratio and not (lb > 0.0 and est > 0.0 and ub > 0.0):
        return None
    studies = _num(el, "STUDIES")
    return Reported(
        est,
        lb,
        ub,
        _num(el, "TAU2"),
        _num(el, "CHI2"),
        _num(el, "DF"),
        _num(el, "I2"),
        _num(el, "Z"),
        int(studies) if studies is not None else None,
    )


RATIO_WORDS = ("ratio",)


def is_ratio_outcome(kind: str, measure_raw: str, log_data: bool) -> bool:
    if kind == "dichotomous":
        return measure_raw.upper() in ("RR", "OR", "PETO_OR")
    if kind == "continuous":
        return False
    return log_data


ROW_FIELDS = {
    "dichotomous": ("EVENTS_1", "TOTAL_1", "EVENTS_2", "TOTAL_2"),
    "continuous": ("MEAN_1", "SD_1", "TOTAL_1", "MEAN_2", "SD_2", "TOTAL_2"),
    "generic": ("ESTIMATE", "SE", "TOTAL_1", "TOTAL_2"),
}
ROW_TAGS = {"dichotomous": "DICH_DATA", "continuous": "CONT_DATA", "generic": "IV_DATA"}
SUB_TAGS = {"dichotomous": "DICH_SUBGROUP", "continuous": "CONT_SUBGROUP", "generic": "IV_SUBGROUP"}


def _rows(el: Element, kind: str) -> list[Row]:
    out = []
    for i, r in enumerate(el.findall(ROW_TAGS[kind])):
        order = _num(r, "ORDER")
        out.append(
            Row(
                study_id=r.get("STUDY_ID", ""),
                order=int(order) if order is not None else i + 1,
                values={f: _num(r, f) for f in ROW_FIELDS[kind]},
                estimable=r.get("ESTIMABLE", "YES") != "NO",
                footnote="; ".join(t for t in (flat_text(f) for f in r.findall("FOOTNOTE")) if t) or None,
            )
        )
    return out


def _parse_xml(path: str) -> Element:
    from xml.etree.ElementTree import ParseError

    import defusedxml
    import defusedxml.ElementTree as DET

    from gradecli.io.source import read_bytes

    raw = read_bytes(path, max_bytes=MAX_RM5_BYTES)
    if not raw.strip():
        raise InputError.single(path, "empty file: expected a RevMan 5 review (.rm5, XML)")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            raw_text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError.single(path, f"not valid UTF-16 (byte {exc.start:,}: {exc.reason})") from None
        raw = re.sub(r"encoding=[\"'][^\"']*[\"']", 'encoding="UTF-8"', raw_text, count=1).encode("utf-8", "replace")
    try:
        root: Element = DET.fromstring(raw, forbid_dtd=False, forbid_entities=True, forbid_external=True)
        _check_limits(root, path)
        return root
    except InputError:
        raise
    except defusedxml.DefusedXmlException as exc:
        raise InputError.single(
            path, f"refused: the XML uses {type(exc).__name__} (entities are not allowed)"
        ) from None
    except ParseError as exc:
        line, col = exc.position
        msg = str(exc).split(":")[0]
        hint = ""
        if "invalid token" in msg or "encoding" in msg:
            hint = " (is the encoding in the XML declaration right? RevMan writes ISO-8859-1 or UTF-8)"
        raise InputError.single(path, f"not well-formed XML: {msg}{hint}", line, col + 1) from None
    except (ValueError, LookupError) as exc:  # e.g. unknown encoding, or bytes not in it
        raise InputError.single(path, f"cannot read the XML: {exc}") from None


MAX_NAME = 10_000
"""Longest name (a study, an analysis, the review title) an evidence file holds (characters)."""
COUNT_FIELDS = ("EVENTS_1", "TOTAL_1", "EVENTS_2", "TOTAL_2")


def _check_limits(root: Element, path: str) -> None:
    """Refuse what no evidence file can hold: a study, analysis or review name over ``MAX_NAME``
    characters, and a count (events, participants) that is negative or not a whole number."""
    for st in root.iterfind("STUDIES_AND_REFERENCES/STUDIES/INCLUDED_STUDIES/STUDY"):
        for attr in ("NAME", "ID"):
            v = st.get(attr) or ""
            if len(v) > MAX_NAME:
                raise InputError.single(
                    path, f"study {attr} of {len(v):,} characters; the limit is {MAX_NAME:,}", path=f"STUDY.{attr}"
                )
    title = _text(root, "COVER_SHEET/TITLE") or ""
    if len(title) > MAX_NAME:
        raise InputError.single(
            path, f"review TITLE of {len(title):,} characters; the limit is {MAX_NAME:,}", path="COVER_SHEET.TITLE"
        )
    for kind, tag in ROW_TAGS.items():
        outcome_tag = tag.replace("_DATA", "_OUTCOME")
        for o in root.iter(outcome_tag):
            name = _text(o, "NAME") or ""
            label = f"analysis {o.get('ID') or '?'}"
            if len(name) > MAX_NAME:
                raise InputError.single(
                    path, f"{label}: NAME of {len(name):,} characters; the limit is {MAX_NAME:,}", path="NAME"
                )
            for r in o.iter(tag):
                sid = r.get("STUDY_ID", "")
                if len(sid) > MAX_NAME:
                    raise InputError.single(
                        path, f"{label}: STUDY_ID of {len(sid):,} characters; the limit is {MAX_NAME:,}"
                    )
                for f in COUNT_FIELDS:
                    if f not in ROW_FIELDS[kind] or kind == "generic":
                        continue
                    cell = r.get(f)
                    if cell is None or not cell.strip():
                        continue
                    x = _num(r, f)
                    if x is None or x < 0 or x != int(x) or x > 1_000_000_000:
                        raise InputError.single(
                            path,
                            f"{label} ({' '.join(name.split())[:60] or 'unnamed'}), study "
                            f"{unescape_id(sid)[:60]!r}: {f}={cell.strip()[:30]!r} is not a count (a whole number "
                            "from 0 to 1,000,000,000)",
                            path=f"{tag}.{f}",
                        )


def _rob1_domains(name: str) -> tuple[str, ...]:
    """The RoB 1 domains a RevMan item judges (none: not a RoB 1 domain). A blinding item that names
    both kinds ("Blinding (performance bias and detection bias)") or neither (the 2008 tool's single
    "Blinding?") judges both blinding domains."""
    n = name.lower()
    if "sequence" in n or "randomi" in n:
        return ("sequence_generation",)
    if "allocation" in n or "conceal" in n:
        return ("allocation_concealment",)
    if "blind" in n or "masking" in n:
        outcome = "outcome" in n or "assess" in n or "detection" in n
        participants = "participant" in n or "personnel" in n or "performance" in n
        if outcome and not participants:
            return ("blinding_outcome",)
        if participants and not outcome:
            return ("blinding_participants",)
        return ("blinding_participants", "blinding_outcome")
    if "incomplete" in n or "attrition" in n:
        return ("incomplete_data",)
    if "selective" in n or "reporting bias" in n:
        return ("selective_reporting",)
    if n.startswith("other"):
        return ("other",)
    return ()


def read_rm5(path: str) -> RevmanReview:
    """Parse a RevMan 5 ``.rm5`` file. Raises :class:`InputError` for unusable input."""
    root = _parse_xml(path)
    if root.tag != "COCHRANE_REVIEW":
        raise InputError.single(path, f"not a RevMan 5 review: the root element is <{root.tag}>, not <COCHRANE_REVIEW>")
    rtype = root.get("TYPE", "")
    if rtype != "INTERVENTION":
        raise InputError.single(
            path,
            f'review type {rtype or "(none)"!r} is not supported: only intervention reviews (TYPE="INTERVENTION") '
            "can be imported",
        )
    unsupported: list[str] = []
    title = _text(root, "COVER_SHEET/TITLE") or "Untitled RevMan review"
    title = re.sub(r"\s*\[Data only\..*\]\s*$", "", title) or title
    doi = root.get("DOI") or None

    studies: dict[str, Study] = {}
    for st in root.iterfind("STUDIES_AND_REFERENCES/STUDIES/INCLUDED_STUDIES/STUDY"):
        sid = st.get("ID", "")
        name = (st.get("NAME") or "").strip() or unescape_id(sid).removeprefix("STD-")
        m = re.search(r"(1[89]\d\d|20\d\d)", st.get("YEAR") or "")
        studies[sid] = Study(sid, name, int(m.group(1)) if m else None)

    comparisons: list[Comparison] = []
    analyses = root.find("ANALYSES_AND_DATA")
    for cmp_i, cmp in enumerate(analyses.findall("COMPARISON") if analyses is not None else []):
        cno = int(_num(cmp, "NO") or cmp_i + 1)
        cname = _text(cmp, "NAME") or f"Comparison {cno}"
        outcomes: list[RmOutcome] = []
        for child in cmp:
            tag = child.tag
            if tag in UNSUPPORTED_OUTCOME_TAGS:
                unsupported.append(
                    f"{child.get('ID', '?')} ({_text(child, 'NAME') or 'unnamed'}): {tag} outcomes are not supported"
                )
                continue
            if tag not in OUTCOME_TAGS:
                if tag.endswith("_OUTCOME"):
                    unsupported.append(f"{child.get('ID', '?')}: unknown outcome type <{tag}>")
                continue
            kind = OUTCOME_TAGS[tag]
            if kind == "generic":
                measure_raw = _text(child, "EFFECT_MEASURE") or child.get("EFFECT_MEASURE") or "Generic"
            else:
                measure_raw = child.get("EFFECT_MEASURE") or ("RR" if kind == "dichotomous" else "MD")
            log_data = child.get("LOG_DATA", "NO") == "YES"
            ratio = is_ratio_outcome(kind, measure_raw, log_data)
            groups: list[Group] = []
            has_sub = child.get("SUBGROUPS", "NO") == "YES"
            subs = child.findall(SUB_TAGS[kind])
            direct = _rows(child, kind)
            if subs:
                for j, sg in enumerate(subs):
                    groups.append(
                        Group(
                            sg.get("ID", f"{child.get('ID')}.{j + 1:02d}"),
                            _text(sg, "NAME"),
                            _rows(sg, kind),
                            _reported(sg, ratio),
                        )
                    )
                if direct:
                    groups.insert(0, Group(child.get("ID", ""), None, direct, None))
            else:
                groups.append(Group(child.get("ID", ""), None, direct, None))
            ono = int(_num(child, "NO") or len(outcomes) + 1)
            outcomes.append(
                RmOutcome(
                    id=child.get("ID", f"CMP-{cno:03d}.{ono:02d}"),
                    comparison_no=cno,
                    no=ono,
                    name=_text(child, "NAME") or f"Outcome {cno}.{ono}",
                    kind=kind,
                    measure_raw=measure_raw,
                    method=(child.get("METHOD") or "MH") if kind == "dichotomous" else None,
                    random=child.get("RANDOM", "NO") == "YES",
                    log_data=log_data,
                    totals=child.get("TOTALS", "YES"),
                    has_subgroups=has_sub and bool(subs),
                    ci_level=child.get("CI_TOTAL", "95"),
                    label_t=_text(child, "GROUP_LABEL_1"),
                    label_c=_text(child, "GROUP_LABEL_2"),
                    groups=groups,
                    reported=_reported(child, ratio),
                    swap_events=child.get("SWAP_EVENTS", "NO") == "YES",
                )
            )
        comparisons.append(Comparison(cmp.get("ID", f"CMP-{cno:03d}"), cno, cname, outcomes))

    rob: dict[str, list[RobEntry]] = {}
    rob_items: list[tuple[int, str, str]] = []
    rob_groups: dict[int, list[str]] = {}
    for qi_i, qi in enumerate(root.iterfind("QUALITY_ITEMS/QUALITY_ITEM")):
        qno = int(_num(qi, "NO") or qi_i + 1)
        qname = _text(qi, "NAME") or f"Item {qno}"
        level = qi.get("LEVEL", "STUDY")
        rob_items.append((qno, qname, level))
        gnames = {
            g.get("ID"): _text(g, "NAME") or g.get("ID") or f"group {j + 1}"
            for j, g in enumerate(qi.findall("QUALITY_ITEM_DATA_ENTRY_GROUP"))
        }
        if gnames:
            rob_groups[qno] = list(dict.fromkeys(gnames.values()))
        for ent in qi.iterfind("QUALITY_ITEM_DATA/QUALITY_ITEM_DATA_ENTRY"):
            sid = ent.get("STUDY_ID", "")
            gid = ent.get("GROUP_ID")
            gname = (gnames.get(gid) or gid) if gid else None
            rob.setdefault(sid, []).append(
                RobEntry(qno, qname, ent.get("RESULT", ""), gname, flat_text(ent.find("DESCRIPTION")))
            )

    from gradecli.io.revman_sof import read_sof_rows

    has_sof = root.find("SOF_TABLES/SOF_TABLE") is not None
    sof_rows, sof_notes = read_sof_rows(root) if has_sof else ([], [])
    unsupported += [f"Summary-of-findings table {n}" for n in sof_notes]
    return RevmanReview(
        file=path,
        title=title,
        doi=doi,
        review_type=rtype,
        revman_version=root.get("REVMAN_SUB_VERSION"),
        studies=studies,
        comparisons=comparisons,
        rob=rob,
        rob_items=rob_items,
        rob_groups=rob_groups,
        unsupported=unsupported,
        has_sof=has_sof,
        sof_rows=sof_rows,
    )


# ---------------------------------------------------------------------------------------------
# rm5 → evidence file


def _authors_sof(rows: list[SofRow], outcomes: list[dict[str, object]]) -> list[str]:
    """The authors' SoF rows onto the imported outcomes: ``recorded_certainty`` (so ``check`` compares
    it with gradecli's rating) and a note with the row, its comment and its footnotes (with the
    domain each names). Returns the importer's notes on rows it could not match or read."""
    from gradecli.io.revman_sof import domains_named, match_rows

    if not rows:
        return []
    notes: list[str] = []
    matches, left = match_rows(rows, outcomes)
    by_id = {str(o["id"]): o for o in outcomes}
    for m in matches:
        o, r = by_id[m.outcome_id], m.row
        if r.certainty is not None:
            o["recorded_certainty"] = r.certainty
        parts = [f"Authors' Summary-of-findings table ({r.table}, row {r.outcome!r}, matched by {m.how}): "
                 f"certainty {r.certainty_text or 'not given'}."]  # fmt: skip
        if r.comments:
            parts.append(f"Comment: {r.comments}.")
        for mark in r.marks:
            text = r.footnotes.get(mark)
            if text:
                named = domains_named(text)
                parts.append(f"Footnote {mark}{' (' + ', '.join(named) + ')' if named else ''}: {text}")
        o["notes"] = " ".join([str(o.get("notes") or ""), *parts]).strip()
        if r.certainty is None:
            notes.append(f"SoF row {r.outcome!r}: no certainty level found in {r.certainty_text!r}")
    for r in left:
        counts = f"{r.participants} participants, {r.studies} studies" if r.participants is not None else "no counts"
        notes.append(f"SoF row {r.outcome!r} ({r.table}, {counts}): no imported analysis matches it; not imported")
    return notes


IV_MEASURES = {
    "hazard ratio": "HR",
    "odds ratio": "OR",
    "risk ratio": "RR",
    "relative risk": "RR",
    "mean difference": "MD",
    "std. mean difference": "SMD",
    "standardised mean difference": "SMD",
    "standardized mean difference": "SMD",
    "risk difference": "RD",
}
ROB1_KEY = (
    "sequence_generation",
    "allocation_concealment",
    "blinding_participants",
    "blinding_outcome",
    "incomplete_data",
    "selective_reporting",
)
_WORST = {"low": 0, "unclear": 1, "high": 2}


def evidence_measure(o: RmOutcome) -> str:
    if o.kind == "dichotomous":
        m = o.measure_raw.upper()
        return "PETO_OR" if (o.method == "PETO" or m == "PETO_OR") else m
    if o.kind == "continuous":
        return o.measure_raw.upper()
    return IV_MEASURES.get(o.measure_raw.strip().lower(), "GENERIC")


def evidence_analysis(o: RmOutcome) -> dict[str, str]:
    """The analysis RevMan recorded, in evidence-file terms (DL random or the fixed method), with
    RevMan 5's conventions (``convention: revman5``; a random-effects Mantel–Haenszel outcome has
    its Q around the MH estimate, ``q_around: MH``), so that gradecli's numbers are the review's."""
    if o.kind == "dichotomous" and (o.method == "PETO" or o.measure_raw.upper() == "PETO_OR"):
        return {"model": "fixed", "method": "PETO", "convention": "revman5"}
    if o.random:
        out = {"model": "random", "method": "DL", "convention": "revman5"}
        if o.kind == "dichotomous" and o.method == "MH" and evidence_measure(o) in ("RR", "OR", "RD"):
            out["q_around"] = "MH"
        return out
    if o.kind == "dichotomous" and o.method == "MH":
        return {"model": "fixed", "method": "MH", "convention": "revman5"}
    return {"model": "fixed", "method": "IV", "convention": "revman5"}


def usable_row(o: RmOutcome, r: Row) -> str | None:
    """None if the row can be written; otherwise why not."""
    v = r.values
    if o.kind == "dichotomous":
        e1, n1, e2, n2 = v["EVENTS_1"], v["TOTAL_1"], v["EVENTS_2"], v["TOTAL_2"]
        if e1 is None or n1 is None or e2 is None or n2 is None:
            return "missing counts"
        if not (n1 and n2):
            return "an arm with no participants"
        if e1 > n1 or e2 > n2:
            return "more events than participants"
    elif o.kind == "continuous":
        sd1, sd2 = v["SD_1"], v["SD_2"]
        if any(v[f] is None for f in ("MEAN_1", "TOTAL_1", "MEAN_2", "TOTAL_2")) or sd1 is None or sd2 is None:
            return "missing means, SDs or sizes"
        if not (v["TOTAL_1"] and v["TOTAL_2"]):
            return "an arm with no participants"
        if not (sd1 > 0 and sd2 > 0):
            return "an SD of 0"
    else:
        if v["ESTIMATE"] is None or not (v["SE"] or 0) > 0:
            return "no estimate or an SE of 0"
    return None


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")[:40] or "x"


def _whole(x: float | None) -> int:
    """A count of a row that :func:`usable_row` let through (so never None), as a whole number."""
    assert x is not None
    return int(x)


MAX_TEXT = 100_000
"""Longest free text (support for a judgment, notes) an evidence file holds (characters)."""
ALL_OUTCOMES = "all outcomes"


def bounded(text: str, what: str, notes: list[str]) -> str:
    """``text`` cut to :data:`MAX_TEXT` characters (ending in an ellipsis), with a note when it was."""
    if len(text) <= MAX_TEXT:
        return text
    notes.append(f"{what}: {len(text):,} characters, cut to the evidence file's limit of {MAX_TEXT:,}")
    return text[: MAX_TEXT - 1].rstrip() + "…"


def _gkey(name: str) -> str:
    """An outcome group's name as RevMan's groups are matched: case and spacing ignored."""
    return " ".join(name.split()).casefold()


def _worst(*js: str | None) -> str:
    return max((j for j in js if j is not None), key=lambda j: _WORST[j])


def rob1_overall(doms: dict[str, str]) -> str:
    """gradecli's derived RoB 1 overall: high if any key domain is high, low if all six are low."""
    key = [doms.get(d) for d in ROB1_KEY]
    if "high" in key:
        return "high"
    return "low" if all(k == "low" for k in key) else "unclear"


@dataclass
class _Item:
    """One study's entries for one RoB 1 item: the study-level ones and those per outcome group."""

    name: str
    domain: str
    plain: list[tuple[str, str | None]] = field(default_factory=list)  # (judgment, support)
    groups: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)  # key → (name, judgment, support)

    def study_level(self) -> tuple[str, bool]:
        """The study-level judgment: a study-level entry; else the "All outcomes" group; else the
        only group; else the worst of the groups (and True: ambiguous)."""
        if self.plain:
            return _worst(*(j for j, _ in self.plain)), False
        if ALL_OUTCOMES in self.groups:
            return self.groups[ALL_OUTCOMES][1], False
        if len(self.groups) == 1:
            return next(iter(self.groups.values()))[1], False
        return _worst(*(j for _, j, _ in self.groups.values())), True

    def support(self) -> str:
        several = len(self.plain) + len(self.groups) > 1
        parts = [text for _, text in self.plain if text]
        for name, j, text in self.groups.values():
            if several:
                parts.append(f"{name} ({j}): {text}" if text else f"{name} ({j})")
            elif text:
                parts.append(text)
        return " | ".join(parts)


def _rob_group_map(
    rv: RevmanReview, values: Sequence[str], outcome_ids: list[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """``--rob-group "NAME=ID,ID"`` values → (outcome id → group key, group key → the group's name).
    An unknown group, a pattern matching no outcome or an outcome given two groups is an InputError."""
    known: dict[str, str] = {}
    for names in rv.rob_groups.values():
        for n in names:
            known.setdefault(_gkey(n), n)
    for entries in rv.rob.values():
        for e in entries:
            if e.group_name:
                known.setdefault(_gkey(e.group_name), e.group_name)
    mapping: dict[str, str] = {}
    for value in values:
        name, sep, pats = value.rpartition("=")
        patterns = [p.strip() for p in pats.split(",") if p.strip()]
        if not sep or not name.strip() or not patterns:
            raise InputError.single(
                rv.file,
                f"--rob-group {value!r}: expected GROUP=OUTCOME[,OUTCOME...], e.g. "
                '--rob-group "Subjective outcomes=analysis-1.2,analysis-2.*"',
            )
        key = _gkey(name)
        if key not in known:
            groups = ", ".join(repr(n) for n in known.values()) or "none"
            raise InputError.single(
                rv.file,
                f"--rob-group {value!r}: no risk-of-bias outcome group {name.strip()!r} (the review's: {groups})",
            )
        for pat in patterns:
            hits = [oid for oid in outcome_ids if fnmatch.fnmatchcase(oid, pat)]
            if not hits:
                raise InputError.single(
                    rv.file,
                    f"--rob-group {value!r}: {pat!r} matches no imported outcome (ids are analysis-C.O, "
                    f"e.g. {outcome_ids[0] if outcome_ids else 'analysis-1.1'})",
                )
            for oid in hits:
                prev = mapping.setdefault(oid, key)
                if prev != key:
                    raise InputError.single(
                        rv.file,
                        f"--rob-group: outcome {oid} is mapped to two groups, {known[prev]!r} and {known[key]!r}",
                    )
    return mapping, known


_VERSUS = re.compile(r"\s+(?:versus|vs\.?|compared\s+(?:with|to))\s+", re.IGNORECASE)
MAX_NAME = 10_000
"""Longest name (a title, an intervention) an evidence file holds (characters)."""


_QUALIFIED = re.compile(
    r"[:;,()\[\]]|\b(?:by|subgroup(?:ed|s)?|sensitivity|stratified|excluding|excluded|restricted|only|"
    r"according|adjusted|analysis|analyses)\b",
    re.IGNORECASE,
)
"""What makes a name more than "X versus Y" (a label before a colon, "by allocation concealment",
"subgrouped by …", "children only", …): then the two sides are not the two treatments as written."""


def split_versus(name: str) -> tuple[str, str] | None:
    """``("X", "Y")`` of a comparison named "X versus Y" (or "X vs Y", "X vs. Y", "X compared with Y",
    "X compared to Y"; any case), split at the first such word and kept as written; None when the
    name has no such form or says more than the two treatments ("Sensitivity analysis: X versus Y
    by allocation concealment"): then nothing is guessed and the reviewer writes the question."""
    m = _VERSUS.search(name)
    if m is None or _QUALIFIED.search(name):
        return None
    left, right = name[: m.start()].strip(), name[m.end() :].strip()
    return (left, right) if left and right else None


def _name(text: str, what: str, notes: list[str]) -> str:
    """``text`` cut to :data:`MAX_NAME` characters (ending in an ellipsis), with a note when it was."""
    if len(text) <= MAX_NAME:
        return text
    notes.append(f"{what}: {len(text):,} characters, cut to the evidence file's limit of {MAX_NAME:,}")
    return text[: MAX_NAME - 1].rstrip() + "…"


def comparison_entries(rv: RevmanReview, notes: list[str]) -> list[tuple[str, dict[str, object]]]:
    """One ``comparisons:`` entry per RevMan comparison, with the id its outcomes name:
    ``comparison-<NO>``, the comparison's NAME as title and, when the name reads "X versus Y", a
    question with X as the intervention and Y as the comparison (no population: RevMan does not
    hold it per comparison)."""
    out: list[tuple[str, dict[str, object]]] = []
    used: set[str] = set()
    for cmp in rv.comparisons:
        cid = base = f"comparison-{cmp.no}"
        n = 2
        while cid in used:  # a file that repeats a comparison NO
            cid = f"{base}-{n}"
            n += 1
        used.add(cid)
        title = _name(cmp.name, f"comparison {cmp.no}: name", notes)
        entry: dict[str, object] = {"id": cid, "title": title}
        pair = split_versus(title)
        if pair is not None:
            entry["question"] = {"intervention": pair[0], "comparison": pair[1]}
        out.append((cid, entry))
    return out


@dataclass
class ImportResult:
    doc: EvidenceDoc
    header: list[str]
    notes: list[str]  # for the stderr summary
    outcomes: int
    studies: int


def to_evidence(rv: RevmanReview, rob_groups: Sequence[str] = ()) -> ImportResult:
    """The evidence document of a review. ``rob_groups``: ``--rob-group`` values (``GROUP=ID,ID``, ids
    or fnmatch patterns of the outcomes written) that say which outcomes a RevMan outcome group of
    per-group risk-of-bias items judges."""
    notes = list(rv.unsupported)
    # studies: display NAME, unique
    ids: dict[str, str] = {}
    used: set[str] = set()
    for sid, st in rv.studies.items():
        name = st.name
        n = 2
        while name in used:
            name = f"{st.name} ({n})"
            n += 1
        used.add(name)
        ids[sid] = name

    def study_name(raw: str) -> str:
        if raw not in ids:
            base = unescape_id(raw).removeprefix("STD-") or "unnamed study"
            name = base
            n = 2
            while name in used:
                name = f"{base} ({n})"
                n += 1
            used.add(name)
            ids[raw] = name
            notes.append(f"study {name}: used in analyses but not listed among the included studies")
        return ids[raw]

    outcomes: list[dict[str, object]] = []
    comparisons = comparison_entries(rv, notes)
    for cmp, (cmp_id, _) in zip(rv.comparisons, comparisons, strict=True):
        for o in cmp.outcomes:
            base_id = f"{cmp.no}.{o.no}"
            measure = evidence_measure(o)
            if o.kind == "generic" and measure == "GENERIC":
                notes.append(
                    f"analysis {base_id}: effect measure {o.measure_raw!r} has no gradecli equivalent; imported as "
                    f"GENERIC{' on the log scale' if o.log_data else ''}"
                )
            if o.swap_events:
                notes.append(
                    f"analysis {base_id}: RevMan swapped events and non-events (SWAP_EVENTS); counts are as stored"
                )
            if o.ci_level != "95":
                notes.append(f"analysis {base_id}: RevMan used a {o.ci_level}% CI; gradecli reports 95%")
            if o.has_subgroups and o.totals == "YES":
                units = [(base_id, o.name, o.groups, True)]
                sg_names = [g.name for g in o.groups if g.name]
                sub_note = (
                    "Subgroups in RevMan: " + "; ".join(sg_names) + " (kept under subgroups: revman-subgroups)."
                    if sg_names
                    else None
                )
            elif o.has_subgroups:
                units = [
                    (f"{base_id}.{j + 1}", f"{o.name}: {g.name or 'subgroup ' + str(j + 1)}", [g], False)
                    for j, g in enumerate(o.groups)
                ]
                sub_note = (
                    "RevMan shows subtotals only for this analysis (TOTALS=SUB); each subgroup is imported as its "
                    "own outcome."
                    if o.totals == "SUB"
                    else "RevMan shows this analysis without totals (TOTALS=NO): each subgroup is imported as its "
                    "own outcome, not pooled (analysis.pool: false)."
                )
            else:
                units = [(base_id, o.name, o.groups, False)]
                sub_note = None
            for uid, uname, groups, label_by_group in units:
                rows_out: list[dict[str, object]] = []
                pairs = [(g, r) for g in groups for r in g.rows]
                counts: dict[str, int] = {}
                for _, r in pairs:
                    counts[r.study_id] = counts.get(r.study_id, 0) + 1
                seen_labels: set[tuple[str, str]] = set()
                members: dict[str, list[str]] = {}
                group_names = {id(g): g.name or f"subgroup {j + 1}" for j, g in enumerate(groups)}
                for g, r in pairs:
                    why = usable_row(o, r)
                    sname = study_name(r.study_id)
                    if why:
                        notes.append(f"analysis {uid}: row of {sname} left out ({why})")
                        continue
                    v = r.values
                    row: dict[str, object] = {"study": sname}
                    if counts[r.study_id] > 1:
                        lab = g.name if (label_by_group and g.name) else None
                        if lab is None or (sname, lab) in seen_labels:
                            lab = f"{g.name + ', ' if (label_by_group and g.name) else ''}row {r.order}"
                        seen_labels.add((sname, lab))
                        row["label"] = lab
                    if label_by_group:
                        ref = f"{sname} ({row['label']})" if "label" in row else sname
                        members.setdefault(group_names[id(g)], []).append(ref)
                    if o.kind == "dichotomous":
                        row.update(
                            events_t=_whole(v["EVENTS_1"]),
                            n_t=_whole(v["TOTAL_1"]),
                            events_c=_whole(v["EVENTS_2"]),
                            n_c=_whole(v["TOTAL_2"]),
                        )
                    elif o.kind == "continuous":
                        row.update(
                            mean_t=v["MEAN_1"],
                            sd_t=v["SD_1"],
                            n_t=_whole(v["TOTAL_1"]),
                            mean_c=v["MEAN_2"],
                            sd_c=v["SD_2"],
                            n_c=_whole(v["TOTAL_2"]),
                        )
                    else:
                        row.update(yi=v["ESTIMATE"], sei=v["SE"])
                        if v.get("TOTAL_1") and v.get("TOTAL_2"):
                            row.update(n_t=_whole(v["TOTAL_1"]), n_c=_whole(v["TOTAL_2"]))
                    if r.footnote:
                        row["notes"] = bounded(r.footnote, f"analysis {uid}: footnote of {sname}", notes)
                    rows_out.append(row)
                analysis: dict[str, object] = dict(evidence_analysis(o))
                if o.totals == "NO":
                    analysis["pool"] = False  # RevMan shows these studies without a total: not pooled
                out: dict[str, object] = {
                    "id": f"analysis-{uid}",
                    "name": uname,  # its comparison's table is titled with the comparison's name
                    "comparison": cmp_id,
                    "importance": "important",
                    "type": o.kind,
                    "measure": measure,
                    "analysis": analysis,
                    "data": rows_out,
                }
                if label_by_group and len(members) >= 2:
                    # RevMan's subgroups, so that their results and the test for subgroup differences
                    # are rebuilt; whether they were stated a priori, and how credible, is the reviewer's
                    out["subgroups"] = [
                        {
                            "id": "revman-subgroups",
                            "modifier": "the review's subgroups (RevMan)",
                            "a_priori": None,
                            "groups": [{"name": name, "studies": refs} for name, refs in members.items()],
                        }
                    ]
                onotes = [f"Imported from RevMan analysis {uid} ({o.id}), comparison {cmp.no}: {cmp.name}."]
                if o.label_t or o.label_c:
                    onotes.append(
                        f"Groups: {o.label_t or '?'} (intervention, _t) vs {o.label_c or '?'} (comparator, _c)."
                    )
                if sub_note:
                    onotes.append(sub_note)
                if o.kind == "continuous" and measure == "SMD":
                    onotes.append(
                        "SMD with RevMan 5's approximate Hedges' correction (analysis.convention: revman5; "
                        "metafor's exact correction without it)."
                    )
                out["notes"] = " ".join(onotes)
                if not rows_out:
                    notes.append(f"analysis {uid}: no usable study rows; imported with data: [] (no studies)")
                outcomes.append(out)

    used_comparisons = {o["comparison"] for o in outcomes}
    for cmp, (cmp_id, _) in zip(rv.comparisons, comparisons, strict=True):
        if cmp_id not in used_comparisons:
            notes.append(f"{cmp_id} ({cmp.name}): no analysis imported; the comparison is written without outcomes")
    # risk of bias (RoB 1): judgments stated once per study; per outcome group, overrides where they differ
    group_map, gname_of = _rob_group_map(rv, rob_groups, [str(o["id"]) for o in outcomes])
    mapped_groups = set(group_map.values())
    studies: list[dict[str, object]] = []
    unmapped: set[str] = set()
    ambiguous: set[str] = set()
    seen_groups: dict[str, str] = {}  # group key → name, of the groups with judgments
    # (raw study id, group key) → (overall for outcomes of that group, reason), where it differs
    per_group: dict[tuple[str, str], tuple[str, str]] = {}
    for sid in list(ids):
        listed = rv.studies.get(sid)
        entry: dict[str, object] = {"id": ids[sid], "design": "rct"}
        if listed and listed.year:
            entry["year"] = listed.year
        items: dict[tuple[int, str, str], _Item] = {}
        extra: list[str] = []
        for e in rv.rob.get(sid, []):
            j = ROB1_JUDGMENT.get(e.result.upper())
            doms_of_item = _rob1_domains(e.item_name)
            if j is None:
                notes.append(f"study {ids[sid]}: risk-of-bias result {e.result!r} for {e.item_name!r} not understood")
                continue
            if not doms_of_item:
                unmapped.add(e.item_name)
                label = f"{e.item_name} [{e.group_name}]" if e.group_name else e.item_name
                extra.append(f"{label}: {j}" + (f" ({e.support})" if e.support else ""))
                continue
            for dom in doms_of_item:
                it = items.setdefault((e.item_no, e.item_name, dom), _Item(e.item_name, dom))
                if e.group_name:
                    seen_groups.setdefault(_gkey(e.group_name), e.group_name)
                    it.groups.setdefault(_gkey(e.group_name), (e.group_name, j, e.support))
                else:
                    it.plain.append((j, e.support))
        doms: dict[str, str] = {}
        level: dict[tuple[int, str, str], str] = {}
        per_domain: dict[str, list[_Item]] = {}
        for k, it in items.items():
            j, unsure = it.study_level()
            if unsure:
                ambiguous.add(it.name)
            level[k] = j
            doms[it.domain] = _worst(doms.get(it.domain), j)
            per_domain.setdefault(it.domain, []).append(it)
        if doms:
            overall = rob1_overall(doms)
            rob: dict[str, object] = {
                "tool": "rob1",
                "overall": overall,
                "domains": {d: doms[d] for d in (*ROB1_KEY, "other") if d in doms},
                "reason": "Imported from RevMan (RoB 1). Overall derived by gradecli (high if any key domain is high, "
                "low if all six key domains are low, else unclear): the reviewer must confirm it.",
            }
            support: dict[str, str] = {}
            for d in (*ROB1_KEY, "other"):
                texts = [
                    (f"{it.name}: {t}" if len(per_domain[d]) > 1 else t)
                    for it in per_domain.get(d, [])
                    if (t := it.support())
                ]
                if texts:
                    support[d] = bounded(" | ".join(texts), f"study {ids[sid]}: support for {d}", notes)
            if support:
                rob["support"] = support
            entry["risk_of_bias"] = rob
            for gk in mapped_groups:
                judged = [it for it in items.values() if gk in it.groups]
                if not judged:
                    continue
                gdoms: dict[str, str] = {}
                for k, it in items.items():
                    j = it.groups[gk][1] if gk in it.groups else level[k]
                    gdoms[it.domain] = _worst(gdoms.get(it.domain), j)
                g_overall = rob1_overall(gdoms)
                if g_overall == overall:
                    continue
                changed = ", ".join(f"{d}: {gdoms[d]}" for d in dict.fromkeys(it.domain for it in judged))
                per_group[(sid, gk)] = (
                    g_overall,
                    f"RevMan judges {', '.join(it.name for it in judged)} per outcome group; group "
                    f"'{gname_of[gk]}' applies to this outcome (mapped with --rob-group): {changed}. Overall "
                    "derived by gradecli: the reviewer must confirm it.",
                )
        if extra:
            entry["notes"] = bounded(
                "RevMan risk-of-bias entries: " + "; ".join(extra) + ".", f"study {ids[sid]}: notes", notes
            )
        studies.append(entry)
    raw_of = {name: raw for raw, name in ids.items()}
    for oc in outcomes:
        mapped = group_map.get(str(oc["id"]))
        if mapped is None:
            continue
        overrides = []
        rows = oc.get("data")
        for sname in dict.fromkeys(str(r["study"]) for r in (rows if isinstance(rows, list) else [])):
            found = per_group.get((raw_of.get(sname, ""), mapped))
            if found:
                overrides.append({"study": sname, "overall": found[0], "reason": found[1]})
        if overrides:
            at = list(oc).index("data") + 1
            items_o = list(oc.items())
            oc.clear()
            oc.update([*items_o[:at], ("risk_of_bias_overrides", overrides), *items_o[at:]])
    for name in sorted(unmapped):
        notes.append(f"risk-of-bias item {name!r} has no RoB 1 domain in gradecli; kept in study notes")
    for name in sorted(ambiguous):
        notes.append(
            f"risk-of-bias item {name!r} is judged per outcome group with no 'All outcomes' group: the study-level "
            "judgment is the worst of the groups' (each group's is in risk_of_bias.support)"
        )
    if len(seen_groups) > 1:
        left = [n for k, n in seen_groups.items() if k not in mapped_groups and k != ALL_OUTCOMES]
        listed_groups = ", ".join(repr(n) for n in seen_groups.values())
        if not mapped_groups:
            notes.append(
                f"RevMan judges some risk-of-bias items per outcome group ({listed_groups}) and does not say which "
                "outcome belongs to which group: study-level judgments are the 'All outcomes' group's (else the "
                "worst), each group's judgment is in risk_of_bias.support; map groups to outcomes for per-outcome "
                f'overrides, e.g. --rob-group "{left[0] if left else next(iter(seen_groups.values()))}='
                f'{",".join(str(oc["id"]) for oc in outcomes[:2]) or "analysis-1.1"}"'
            )
        elif left:
            notes.append(
                f"risk-of-bias outcome groups not mapped with --rob-group: {', '.join(repr(n) for n in left)} "
                "(their judgments are in risk_of_bias.support only)"
            )
    if not rv.rob:
        notes.append("no risk-of-bias tables in the file: risk of bias will be 'not assessed' until you add it")
    if not outcomes:
        raise InputError.single(rv.file, "the review has no analyses (ANALYSES_AND_DATA) to import")
    notes += _authors_sof(rv.sof_rows, outcomes)
    review: ReviewDoc = {"title": rv.title}
    if rv.doi:
        review["doi"] = rv.doi
    review["notes"] = (
        f"Imported from RevMan 5 file {os.path.basename(rv.file)} ({len(rv.comparisons)} comparison"
        f"{'s' if len(rv.comparisons) != 1 else ''})."
    )
    doc: EvidenceDoc = {
        "gradecli": 1,
        "review": review,
        "comparisons": [entry for _, entry in comparisons],
        "studies": studies,
        "outcomes": outcomes,
    }
    n_cmp = len(comparisons)
    header = [
        f"Imported by gradecli from the RevMan 5 review {os.path.basename(rv.file)}.",
        f"What was imported: {n_cmp} comparison{'s' if n_cmp != 1 else ''} (comparisons: comparison-C, titled with",
        "  RevMan's comparison name; intervention and comparison read from a name 'X versus Y', no population),",
        f"  {len(studies)} studies, {len(outcomes)} outcomes (one per RevMan analysis, each naming its comparison;",
        "  ids analysis-C.O = comparison C, outcome O; subgroups shown as subtotals only are analysis-C.O.S),",
        "  study data, RevMan's analysis method, RoB 1 judgments with their support (RESULT YES = low, NO = high,",
        "  UNKNOWN = unclear).",
        "What needs the reviewer: each comparison's question (comparisons[].question: the population, and the",
        "  intervention and comparison where the name did not give them), outcome importance (all set to",
        "  'important'), thresholds / assumed risks, benefit direction, indirectness and any other judgements;",
        "  study designs (all set to rct); the derived RoB 1 overall judgments. See docs/import.md.",
        "",
    ]
    return ImportResult(doc, header, notes, len(outcomes), len(studies))
