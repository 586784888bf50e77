"""The authors' own Summary-of-findings tables in a RevMan 5 file (``SOF_TABLES``).

RevMan 5 keeps a SoF table as free text (an HTML-like table, often pasted from GRADEpro), not linked
to the analyses. This module reads each table's rows — the outcome, "No of participants (studies)",
the certainty ("Quality of the evidence (GRADE)" or "Certainty of the evidence": a word, GRADEpro's
⊕ symbols or both, with footnote marks) and the comments — and the table's footnotes, and the
importer matches each row to an imported analysis: first by its participants and studies (which
identify a pooled analysis almost always), then by the outcome's name. What cannot be matched is
reported, never guessed. The certainty becomes the outcome's ``recorded_certainty``, so ``gradecli
check`` (GC201) says where gradecli's proposals and the authors' ratings differ; the footnotes go to
the outcome's notes with the GRADE domain each one names, where it names one.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

__all__ = ["SofRow", "certainty_of", "domains_named", "match_rows", "read_sof_rows"]

LEVELS = (("very low", "very_low"), ("moderate", "moderate"), ("high", "high"), ("low", "low"))
SYMBOLS = {4: "high", 3: "moderate", 2: "low", 1: "very_low"}
DOMAIN_WORDS = (
    ("risk_of_bias", r"risk of bias|\bbias(ed)?\b|blinding|allocation conceal|attrition|"
     r"limitations? in (study )?design"),
    ("inconsistency", r"inconsisten|heterogene"),
    ("indirectness", r"indirect"),
    ("imprecision", r"imprecis|wide confidence|few (events|participants|studies)|sparse|small (sample|number)|optimal "
     r"information size"),
    ("publication_bias", r"publication bias|small[- ]study effect|funnel"),
)  # fmt: skip


@dataclass
class SofRow:
    table: str  # the SoF table's id (SOF-01)
    outcome: str
    participants: int | None
    studies: int | None
    certainty: str | None  # very_low | low | moderate | high
    certainty_text: str
    comments: str
    marks: list[str] = field(default_factory=list)  # footnote marks on the row
    footnotes: dict[str, str] = field(default_factory=dict)  # the table's footnotes, by mark


def _text(el: Element) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def _sups(el: Element) -> list[str]:
    out: list[str] = []
    for sup in el.iter("SUP"):
        out += [m for m in re.split(r"[\s,;]+", _text(sup)) if m]
    return out


def certainty_of(text: str) -> str | None:
    """'⊕⊕⊝⊝ LOW a,b' → 'low'; 'High' → 'high'; None when no level is named."""
    low = text.lower()
    for word, level in LEVELS:
        if re.search(rf"\b{word}\b", low):
            return level
    n = text.count("⊕")
    return SYMBOLS.get(n) if n else None


def domains_named(text: str) -> list[str]:
    """The GRADE domains a footnote names ('Downgraded for imprecision: …' → ['imprecision'])."""
    low = text.lower()
    return [d for d, pattern in DOMAIN_WORDS if re.search(pattern, low)]


def _cells(tr: Element) -> list[tuple[Element, int]]:
    return [(c, int(c.get("COLSPAN") or 1)) for c in tr if c.tag in ("TD", "TH")]


def _column(header: list[tuple[Element, int]], pattern: str) -> int | None:
    at = 0
    for cell, span in header:
        if re.search(pattern, _text(cell), re.IGNORECASE):
            return at
        at += span
    return None


def read_sof_rows(root: Element) -> tuple[list[SofRow], list[str]]:
    """Every data row of every SoF table, and notes on what could not be read."""
    rows: list[SofRow] = []
    notes: list[str] = []
    for t in root.iterfind("SOF_TABLES/SOF_TABLE"):
        tid = t.get("ID") or f"SOF-{len(rows) + 1}"
        table = t.find("TABLE")
        if table is None:
            notes.append(f"{tid}: no table")
            continue
        trs = [tr for tr in table.iter("TR")]
        head = next(
            (i for i, tr in enumerate(trs) if (c := _cells(tr)) and re.match(r"outcomes?\b", _text(c[0][0]), re.I)),
            None,
        )
        if head is None:
            notes.append(f"{tid}: no header row starting with 'Outcomes'; the table was not read")
            continue
        header = _cells(trs[head])
        width = sum(span for _, span in header)
        cols = {
            "participants": _column(header, r"participants|no\.? of (patients|people)"),
            "certainty": _column(header, r"quality|certainty"),
            "comments": _column(header, r"comment"),
        }
        if cols["certainty"] is None:
            notes.append(f"{tid}: no 'Quality' or 'Certainty' column; the table was not read")
            continue
        footnotes = _footnotes(t, trs)
        for tr in trs[head + 1 :]:
            cells = _cells(tr)
            if len(cells) != width or any(c.tag == "TH" for c, _ in cells):
                continue  # sub-headers, spanning rows (footnotes, legends)
            values = [c for c, _ in cells]
            name = _text(values[0])
            if not name:
                continue
            cert_cell = values[cols["certainty"]]
            cert_text = _text(cert_cell)
            marks = _sups(cert_cell) + _sups(values[0])
            if not marks:  # 'LOW a,b' or 'Low1,2' written without superscript
                m = re.search(r"(?:very low|low|moderate|high)\s*([a-z0-9](?:\s*,\s*[a-z0-9])*)\s*$", cert_text, re.I)
                if m:
                    marks = [x.strip() for x in m.group(1).split(",")]
            n = k = None
            if cols["participants"] is not None:
                m = re.search(r"([\d][\d,\s]*)\s*\(\s*(\d+)", _text(values[cols["participants"]]))
                if m:
                    n, k = int(re.sub(r"[,\s]", "", m.group(1))), int(m.group(2))
            comments = _text(values[cols["comments"]]) if cols["comments"] is not None else ""
            rows.append(SofRow(tid, name, n, k, certainty_of(cert_text), cert_text, comments, marks, footnotes))
    return rows, notes


def _footnotes(t: Element, trs: list[Element]) -> dict[str, str]:
    """Footnotes by mark: the table's FOOTNOTES and its spanning rows that start with a mark."""
    out: dict[str, str] = {}
    texts: list[str] = []
    fn = t.find("FOOTNOTES")
    if fn is not None:
        for p in fn.iter("P"):
            texts += [s for s in re.split(r"\s*\n\s*", "\n".join(p.itertext())) if s.strip()]
    for tr in trs:
        cells = _cells(tr)
        if len(cells) == 1:
            for p in cells[0][0].iter("P"):
                texts += [s for s in re.split(r"\s*\n\s*", "\n".join(p.itertext())) if s.strip()]
    for line in texts:
        m = re.match(r"\s*([a-z]|\d{1,2})[\s.)]+(.{3,})$", re.sub(r"\s+", " ", line).strip(), re.IGNORECASE)
        if m and m.group(1) not in out:
            out[m.group(1)] = m.group(2).strip()
    return out


@dataclass
class Match:
    row: SofRow
    outcome_id: str
    how: str  # "participants and studies" | "name"


def match_rows(rows: list[SofRow], outcomes: list[dict[str, object]]) -> tuple[list[Match], list[SofRow]]:
    """Each SoF row's imported outcome: the one whose participants and studies are the row's (the
    closest name among several; with a dissimilar name only when it is the one outcome with those
    counts from two or more studies), else the one whose name is closest (similarity ≥ 0.6); an
    outcome is matched once. Returns the matches and the rows left unmatched."""
    counts: dict[str, tuple[int, int]] = {}
    names: dict[str, str] = {}
    for o in outcomes:
        key = str(o["id"])
        names[key] = str(o["name"])
        data = o.get("data")
        if isinstance(data, list) and data:
            n = sum(int(r.get("n_t", 0) or 0) + int(r.get("n_c", 0) or 0) for r in data if isinstance(r, dict))
            k = len({r.get("study") for r in data if isinstance(r, dict)})
            counts[key] = (n, k)
    used: set[str] = set()
    found: list[Match] = []
    left: list[SofRow] = []

    def similarity(row_name: str, outcome_name: str) -> float:
        """The better of the two strings' similarity and the share of the row's words in the outcome's
        name (an imported name adds the comparison's: 'Symptom of sore throat on day 3 (Antibiotics …)')."""
        a, b = row_name.lower(), outcome_name.lower()
        words = set(re.findall(r"\w+", a))
        share = len(words & set(re.findall(r"\w+", b))) / len(words) if words else 0.0
        return max(difflib.SequenceMatcher(None, a, b).ratio(), share)

    def closest(candidates: list[str], name: str) -> tuple[str | None, float]:
        best, score = None, 0.0
        for oid in candidates:
            s = similarity(name, names[oid])
            if s > score:
                best, score = oid, s
        return best, score

    for row in rows:
        same = [o for o, c in counts.items() if o not in used and c == (row.participants, row.studies)]
        oid, score = closest(same, row.outcome)
        how = "participants and studies"
        if oid is not None and score < 0.35 and not (len(same) == 1 and (row.studies or 0) >= 2):
            oid = None  # small counts coincide easily: one study of 50 is no match for an unrelated name
        if oid is None:
            oid, score = closest([o for o in names if o not in used], row.outcome)
            how = "name"
            if score < 0.6:
                oid = None
        if oid is None:
            left.append(row)
            continue
        used.add(oid)
        found.append(Match(row, oid, how))
    return found, left
