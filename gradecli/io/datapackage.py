"""Read a RevMan Web / Cochrane data package (version 1: zipped CSVs) into the same intermediate
review as a RevMan 5 file, so one converter (:func:`gradecli.io.revman.to_evidence`) writes both.

Layout (shared/formats notes, §2.1): ``<ID>-analysis-data/<ID>-overall-estimates-and-settings.csv``
(one row per analysis), ``<ID>-data-rows.csv`` (one row per study row), ``<ID>-subgroup-estimates.csv``,
``<ID>-study-data/<ID>-study-information.csv`` and ``<ID>-risk-of-bias.csv``. Accepted as the
``-dataPackage.zip``, a review zip with the data zip inside (``<ID>-files/<ID>-data.zip``), or a folder
holding the CSVs. Quirks handled: UTF-8 with BOM, CRLF, headers matched by name (NFC, ``²``), numeric
cells ``0.0`` for "not applicable", ``Mean = CI start = CI end = 0`` meaning "not computed",
``#N/A``. A diagnostic-test-accuracy package (``-parameters.csv``) is refused. Version 2 packages
(after 23 Sep 2024) are read when their column names match; extra columns are ignored.
"""

from __future__ import annotations

import csv
import io
import math
import os
import stat
import unicodedata
import zipfile
import zlib
from pathlib import Path

from gradecli.io.revman import Comparison, Group, Reported, RevmanReview, RmOutcome, RobEntry, Row, Study
from gradecli.problems import InputError


def _csv_error(exc: Exception) -> str:
    """The csv module's complaint, in words: its field size limit is 131,072 characters."""
    if "field larger than field limit" in str(exc):
        return f"a field is longer than {csv.field_size_limit():,} characters, the most gradecli reads"
    return f"cannot read the CSV: {exc}"


MAX_BYTES = 200 * 1024 * 1024  # uncompressed, all members together
SUFFIXES = {
    "overall": "-overall-estimates-and-settings.csv",
    "rows": "-data-rows.csv",
    "subgroups": "-subgroup-estimates.csv",
    "studies": "-study-information.csv",
    "rob": "-risk-of-bias.csv",
}
MEASURES = {
    "odds ratio": "OR",
    "risk ratio": "RR",
    "risk difference": "RD",
    "peto odds ratio": "PETO_OR",
    "mean difference": "MD",
    "std. mean difference": "SMD",
    "standardized mean difference": "SMD",
    "standardised mean difference": "SMD",
}
KINDS = {"dichotomous": "dichotomous", "continuous": "continuous", "contrast level": "generic"}
ROB_RESULT = {"low risk": "YES", "high risk": "NO", "unclear risk": "UNKNOWN", "some concerns": "UNKNOWN"}


def _read_regular(f: Path, path: str) -> bytes | None:
    """The bytes of the package folder's file ``f``; None when it is not a regular file (a FIFO, a
    device, a folder named ``*.csv``), which is never opened for reading in a way that could block."""
    name = f"{path}/{f.relative_to(path)}" if f.is_relative_to(path) else str(f)
    try:
        if not stat.S_ISREG(os.stat(f).st_mode):
            return None
        fd = os.open(f, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO swapped in: no hang
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            return fh.read(MAX_BYTES + 1)
    except PermissionError:
        raise InputError.single(name, "permission denied") from None
    except OSError as exc:
        raise InputError.single(name, f"cannot read: {exc.strerror or exc}") from None


def _read_members(path: str, notes: list[str] | None = None) -> dict[str, str]:
    """Every CSV of the package by base name (text, BOM removed). A file of the package folder that
    is not a regular file is skipped, with a note in ``notes``."""
    p = Path(path)
    found: dict[str, bytes] = {}
    if p.is_dir():
        from gradecli.io.paths import is_inside

        total = 0
        try:
            files = sorted(p.rglob("*.csv"))
        except OSError as exc:
            raise InputError.single(path, f"cannot list the folder: {exc.strerror or exc}") from None
        for f in files:
            if not is_inside(f, p):
                continue  # a link out of the package's folder is not part of the package
            raw = _read_regular(f, path)
            if raw is None:
                if notes is not None:
                    notes.append(f"{f.name}: not a regular file (skipped)")
                continue
            total += len(raw)
            if total > MAX_BYTES:
                raise InputError.single(path, f"the package's CSV files hold more than {MAX_BYTES:,} bytes")
            found[f.name] = raw
    elif p.is_file():
        try:
            with zipfile.ZipFile(p) as zf:
                _from_zip(zf, found, path, 0)
        except zipfile.BadZipFile as exc:
            if found or "CRC" in str(exc) or "Bad magic" in str(exc):
                raise InputError.single(path, f"damaged zip file: {exc}") from None
            raise InputError.single(path, "not a zip file or folder: expected a RevMan data package") from None
        except PermissionError:
            raise InputError.single(path, "permission denied") from None
        except OSError as exc:
            raise InputError.single(path, f"cannot read: {exc.strerror or exc}") from None
    elif p.exists():
        raise InputError.single(path, "not a regular file or folder: expected a RevMan data package")
    else:
        raise InputError.single(path, "no such file or folder")
    out = {}
    for name, raw in found.items():
        try:
            out[name] = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError.single(f"{path}:{name}", "not valid UTF-8") from None
    return out


def _from_zip(
    zf: zipfile.ZipFile, found: dict[str, bytes], path: str, depth: int, used: list[int] | None = None
) -> None:
    """The CSVs of ``zf`` (and of data zips inside it, two levels deep) into ``found``. ``used`` counts
    the bytes actually unpacked so far at every level together: the directory's sizes are checked
    first (a cheap refusal), then every member is read with the budget that is left, so a member
    that lies about its size or a nest of zips cannot unpack more than :data:`MAX_BYTES` in all."""
    used = used if used is not None else [0]
    total = sum(i.file_size for i in zf.infolist())
    if used[0] + total > MAX_BYTES:
        raise InputError.single(path, f"the package unpacks to {used[0] + total:,} bytes; the limit is {MAX_BYTES:,}")
    for info in zf.infolist():
        name = os.path.basename(info.filename)
        if name.endswith(".csv"):
            found[name] = _zip_member(zf, info, path, used)
        elif name.endswith(".zip") and depth < 2 and "data" in name:
            inner = _zip_member(zf, info, path, used)
            try:
                with zipfile.ZipFile(io.BytesIO(inner)) as izf:
                    _from_zip(izf, found, f"{path}:{info.filename}", depth + 1, used)
            except zipfile.BadZipFile as exc:
                raise InputError.single(f"{path}:{info.filename}", f"not a valid zip file: {exc}") from None


def _zip_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, used: list[int]) -> bytes:
    """The bytes of one member, read with at most the budget left (``MAX_BYTES - used[0]``); an
    encrypted, damaged or unsupported member, or one that unpacks past the budget, is an InputError."""
    where = f"{path}:{info.filename}"
    if info.flag_bits & 0x1:
        raise InputError.single(where, "encrypted (password-protected) zip members are not supported")
    left = MAX_BYTES - used[0]
    try:
        chunks: list[bytes] = []
        got = 0
        with zf.open(info) as fh:  # in 1 MiB steps: zipfile inflates a whole read() before it truncates
            while got <= left and (chunk := fh.read(2**20)):
                chunks.append(chunk)
                got += len(chunk)
        data = b"".join(chunks)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise InputError.single(where, f"damaged zip member: {exc}") from None
    except NotImplementedError as exc:
        raise InputError.single(where, f"unsupported zip compression: {exc}") from None
    except RuntimeError as exc:  # e.g. "is encrypted, password required"
        raise InputError.single(where, f"cannot unpack: {exc}") from None
    except OSError as exc:
        raise InputError.single(where, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > left:
        raise InputError.single(where, f"the package unpacks to more than {MAX_BYTES:,} bytes (the limit)")
    used[0] += len(data)
    return data


def _table(members: dict[str, str], key: str, path: str, required: bool = True) -> tuple[str, list[dict[str, str]]]:
    names = [n for n in members if n.endswith(SUFFIXES[key])]
    if not names:
        if required:
            raise InputError.single(path, f"no *{SUFFIXES[key]} in the package: is this a RevMan data package?")
        return "", []
    name = names[0]
    reader = csv.DictReader(io.StringIO(members[name], newline=""))
    try:
        rows = [{unicodedata.normalize("NFC", (k or "").strip()): _cell(v) for k, v in r.items()} for r in reader]
    except csv.Error as exc:
        raise InputError.single(f"{path}:{name}", _csv_error(exc), reader.line_num or 1, 1) from None
    return name, rows


def _cell(v: str | list[str] | None) -> str:
    """A cell's text; the extra cells of a row longer than the header (a list) are joined."""
    if isinstance(v, list):
        return ",".join(v).strip()
    return (v or "").strip()


def _num(text: str | None) -> float | None:
    if text is None or text in ("", "#N/A"):
        return None
    try:
        x = float(text)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _int(text: str | None) -> int | None:
    x = _num(text)
    return int(x) if x is not None else None


def _reported(r: dict[str, str], ratio: bool) -> Reported | None:
    est, lo, hi = _num(r.get("Mean")), _num(r.get("CI start")), _num(r.get("CI end"))
    if est is None or lo is None or hi is None or (est == 0.0 and lo == 0.0 and hi == 0.0):
        return None  # "not computed"
    if ratio and not (lo > 0 and est > 0 and hi > 0):
        return None
    return Reported(
        est,
        lo,
        hi,
        _num(r.get("Heterogeneity Tau²")),
        _num(r.get("Heterogeneity Chi²")),
        _num(r.get("Heterogeneity df")),
        _num(r.get("Heterogeneity I²")),
        _num(r.get("Effect Z")),
        None,
    )


def read_datapackage(path: str) -> RevmanReview:
    skipped: list[str] = []
    members = _read_members(path, skipped)
    if any(n.endswith("-parameters.csv") for n in members):
        raise InputError.single(path, "a diagnostic test accuracy package: gradecli imports intervention reviews")
    overall_name, overall = _table(members, "overall", path)
    rows_name, data_rows = _table(members, "rows", path)
    _, study_info = _table(members, "studies", path, required=False)
    _, rob_rows = _table(members, "rob", path, required=False)
    unsupported: list[str] = list(skipped)
    studies = {r["Study"]: Study(r["Study"], r["Study"], _int(r.get("Year"))) for r in study_info if r.get("Study")}
    by_analysis: dict[tuple[str, str], list[dict[str, str]]] = {}
    for r in data_rows:
        by_analysis.setdefault((r.get("Analysis group", ""), r.get("Analysis number", "")), []).append(r)
    comparisons: dict[str, Comparison] = {}
    for line, a in enumerate(overall, start=2):
        group, number = a.get("Analysis group", ""), a.get("Analysis number", "")
        data_type = a.get("Data type", "").lower()
        kind = KINDS.get(data_type)
        if kind is None:
            unsupported.append(
                f"{overall_name}:{line}: analysis {group}.{number} ({a.get('Data type')!r}) not imported"
            )
            continue
        words = a.get("Effect measure", "")
        method = {"mh": "MH", "iv": "IV", "peto": "PETO"}.get(a.get("Statistical method", "").lower())
        code = MEASURES.get(words.lower())
        if kind == "dichotomous" and method == "PETO":
            code = "PETO_OR"
        if kind == "generic":
            measure_raw = words
        elif code is None:
            unsupported.append(f"{overall_name}:{line}: analysis {group}.{number}: effect measure {words!r} unknown")
            continue
        else:
            measure_raw = code
        log_data = a.get("Log-scale data", "").lower() == "true"
        ratio = (kind == "dichotomous" and code in ("OR", "RR", "PETO_OR")) or (kind == "generic" and log_data)
        rows = by_analysis.get((group, number), [])
        groups: dict[str, list[Row]] = {}
        for i, r in enumerate(rows):
            values = _values(r, kind, log_data)
            footnote = " ".join((r.get("Footnotes") or "").split()) or None
            groups.setdefault(r.get("Subgroup", ""), []).append(Row(r.get("Study", ""), i + 1, values, True, footnote))
        has_subgroups = any(name for name in groups)
        totals = (
            "YES"
            if a.get("Overall estimates", "true").lower() == "true"
            else ("SUB" if a.get("Subgroup estimates", "").lower() == "true" else "NO")
        )
        outcome = RmOutcome(
            id=f"{group}.{number}",
            comparison_no=int(_num(group) or 0),
            no=int(_num(number) or 0),
            name=a.get("Analysis name", f"Analysis {group}.{number}"),
            kind=kind,
            measure_raw=measure_raw,
            method=method if kind == "dichotomous" else None,
            random=a.get("Analysis model", "").lower().startswith("random"),
            log_data=log_data,
            totals=totals,
            has_subgroups=has_subgroups,
            ci_level=a.get("Estimate CI", "95%").rstrip("%") or "95",
            label_t=a.get("Experimental group label") or None,
            label_c=a.get("Control group label") or None,
            groups=[
                Group(f"{group}.{number}.{j}", name or None, rs, None) for j, (name, rs) in enumerate(groups.items())
            ],
            reported=_reported(a, ratio),
            swap_events=a.get("Swap event and non-event", "").lower() == "true",
        )
        cmp = comparisons.setdefault(
            group, Comparison(group, int(_num(group) or 0), a.get("Analysis group name") or f"Comparison {group}", [])
        )
        cmp.outcomes.append(outcome)
        for r in rows:
            studies.setdefault(
                r.get("Study", ""), Study(r.get("Study", ""), r.get("Study", ""), _int(r.get("Study year")))
            )
    rob: dict[str, list[RobEntry]] = {}
    items: list[tuple[int, str, str]] = []
    if rob_rows:
        domains = [k.split(":", 1)[1].strip() for k in rob_rows[0] if k.startswith("Domain (judgement):")]
        items = [(i + 1, d, "STUDY") for i, d in enumerate(domains)]
        for r in rob_rows:
            for i, d in enumerate(domains):
                value = r.get(f"Domain (judgement): {d}", "")
                result = ROB_RESULT.get(value.lower())
                if result is None:
                    if value and value.lower() != "not applicable":
                        unsupported.append(f"risk of bias of {r.get('Study')}: {value!r} for {d!r} not understood")
                    continue
                rob.setdefault(r.get("Study", ""), []).append(
                    RobEntry(
                        i + 1,
                        d.removesuffix(": All outcomes"),
                        result,
                        None,
                        " ".join(r.get(f"Domain (support): {d}", "").split()) or None,
                    )
                )
        if not rob:
            unsupported.append("the risk-of-bias table holds no judgments (e.g. 'Not applicable' after conversion)")
    if not comparisons:
        raise InputError.single(path, "the package has no analyses gradecli can import")
    title = Path(path).name.removesuffix(".zip")
    del rows_name
    return RevmanReview(
        file=path,
        title=f"RevMan data package {title}",
        doi=None,
        review_type="INTERVENTION",
        revman_version=None,
        studies=studies,
        comparisons=list(comparisons.values()),
        rob=rob,
        rob_items=items,
        unsupported=unsupported,
    )


def _values(r: dict[str, str], kind: str, log_data: bool) -> dict[str, float | None]:
    if kind == "dichotomous":
        return {
            "EVENTS_1": _num(r.get("Experimental cases")),
            "TOTAL_1": _num(r.get("Experimental N")),
            "EVENTS_2": _num(r.get("Control cases")),
            "TOTAL_2": _num(r.get("Control N")),
        }
    if kind == "continuous":
        return {
            "MEAN_1": _num(r.get("Experimental mean")),
            "SD_1": _num(r.get("Experimental SD")),
            "TOTAL_1": _num(r.get("Experimental N")),
            "MEAN_2": _num(r.get("Control mean")),
            "SD_2": _num(r.get("Control SD")),
            "TOTAL_2": _num(r.get("Control N")),
        }
    return {
        "ESTIMATE": _num(r.get("GIV Mean")),
        "SE": _num(r.get("GIV SE")),
        "TOTAL_1": _num(r.get("Experimental N")),
        "TOTAL_2": _num(r.get("Control N")),
    }
