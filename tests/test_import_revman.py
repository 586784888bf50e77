"""gradecli import revman: every sample .rm5 imports, validates, assesses, and RevMan's stored
pooled results are reproduced by gradecli.stats.meta_analysis under RevMan's own method.

RevMan 5's conventions (analysis.convention: revman5, which the importer sets): the approximate SMD
correction 1 - 3/(4N - 9) with variance N/(n1 n2) + g²/(2(N - 3.94)), the 0.5 continuity correction
inside the Mantel–Haenszel sums, and for random-effects MH outcomes DL's Q around the MH estimate.
Documented method difference (not compared, see docs/import.md):
* MH risk difference with zero-cell studies: RevMan's variance for such tables is not reproduced.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from gradecli.cli import cli

CANDIDATES = [Path(__file__).resolve().parents[2] / "shared", Path("/work/shared")]
SHARED = next((p for p in CANDIDATES if (p / "formats" / "samples").is_dir()), None)
pytestmark = pytest.mark.skipif(SHARED is None, reason="../shared/formats/samples (RevMan samples) not present")
RM5 = sorted((SHARED / "formats/samples/revman5-rm5").glob("*.rm5")) if SHARED else []


def _units(o):
    if o.totals == "YES" and o.reported:
        yield o.id, [r for g in o.groups for r in g.rows], o.reported
    if o.has_subgroups:
        for g in o.groups:
            if g.reported:
                yield g.id, g.rows, g.reported


def _pool(o, rows):
    from gradecli.io.revman import evidence_measure, is_ratio_outcome, usable_row
    from gradecli.stats import BinaryData, ContinuousData, GenericData, PoolingSpec, meta_analysis
    from gradecli.stats.effects import REVMAN_CC

    rows = [r for r in rows if usable_row(o, r) is None]
    labels = [f"{r.study_id}#{i}" for i, r in enumerate(rows)]
    col = lambda f: [r.values[f] for r in rows]  # noqa: E731
    measure = evidence_measure(o)
    if o.kind == "dichotomous":
        data = BinaryData(labels, col("EVENTS_1"), col("TOTAL_1"), col("EVENTS_2"), col("TOTAL_2"))
        if measure == "PETO_OR":
            a = PoolingSpec("PETO_OR", "fixed", "PETO")
        elif o.random:
            a = PoolingSpec(measure, "random", "DL", cc=REVMAN_CC, dl_q_around="MH" if o.method == "MH" else "IV")
        else:
            a = PoolingSpec(measure, "fixed", o.method, cc=REVMAN_CC)
    elif o.kind == "continuous":
        data = ContinuousData(labels, *map(col, ("MEAN_1", "SD_1", "TOTAL_1", "MEAN_2", "SD_2", "TOTAL_2")))
        a = PoolingSpec(
            measure, "random" if o.random else "fixed", "DL" if o.random else "IV", smd_correction="revman5"
        )
    else:
        data = GenericData(labels, col("ESTIMATE"), col("SE"))
        a = PoolingSpec("GENERIC", "random" if o.random else "fixed", "DL" if o.random else "IV")
    res = meta_analysis(data, a)
    f = math.exp if is_ratio_outcome(o.kind, o.measure_raw, o.log_data) else float
    return f(res.estimate), f(res.ci_lb), f(res.ci_ub)


def _documented_difference(o, rows) -> str | None:
    if (
        o.kind == "dichotomous"
        and o.measure_raw.upper() == "RD"
        and any(
            r.values["EVENTS_1"] in (0, r.values["TOTAL_1"]) or r.values["EVENTS_2"] in (0, r.values["TOTAL_2"])
            for r in rows
        )
    ):
        return "rd-zero"
    return None


@pytest.mark.parametrize("path", RM5, ids=lambda p: p.stem)
def test_pooled_results_match_revman(path):
    from gradecli.io.revman import read_rm5

    rv = read_rm5(str(path))
    compared = 0
    worst = 0.0
    for c in rv.comparisons:
        for o in c.outcomes:
            for uid, rows, rep in _units(o):
                why = _documented_difference(o, rows)
                if why == "rd-zero":
                    continue
                est, lb, ub = _pool(o, rows)
                tol = 1e-8
                for ours, theirs in ((est, rep.estimate), (lb, rep.ci_lb), (ub, rep.ci_ub)):
                    diff = abs(ours - theirs) / max(abs(theirs), 0.05)
                    worst = max(worst, diff if why is None else 0.0)
                    assert diff <= tol, f"{path.name} {uid}: ours {ours!r} RevMan {theirs!r}"
                compared += 1
    assert compared > 0
    assert worst <= 1e-8


@pytest.mark.parametrize("path", RM5, ids=lambda p: p.stem)
def test_import_validate_assess(path, tmp_path):
    out = tmp_path / "ev.yaml"
    runner = CliRunner()
    r = runner.invoke(cli, ["import", "revman", str(path), "-o", str(out)])
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Imported by gradecli")
    assert "@" not in text  # no e-mail addresses from the cover sheet
    assert runner.invoke(cli, ["validate", str(out)]).exit_code == 0
    r = runner.invoke(cli, ["assess", str(out)])
    assert r.exit_code == 0, r.output
    # never overwrite without --force
    r = runner.invoke(cli, ["import", "revman", str(path), "-o", str(out)])
    assert r.exit_code == 2 and "--force" in r.output


def test_rob1_polarity_and_escaped_ids():
    from gradecli.io.revman import read_rm5, to_evidence

    path = SHARED / "formats/samples/revman5-rm5/Fleiss1993.rm5"
    res = to_evidence(read_rm5(str(path)))
    ids = {s["id"] for s in res.doc["studies"]}
    assert "ISIS-2" in ids and not any("_x002d_" in i for i in ids)
    path = SHARED / "formats/samples/revman5-rm5/CD000023-antibiotics-for-sore-throat.rm5"
    rv = read_rm5(str(path))
    res = to_evidence(rv)
    for s in res.doc["studies"]:
        raw = next(k for k, v in rv.studies.items() if v.name == s["id"])
        for e in rv.rob.get(raw, []):
            if "sequence" in e.item_name.lower():
                want = {"YES": "low", "NO": "high", "UNKNOWN": "unclear"}[e.result]
                assert s["risk_of_bias"]["domains"]["sequence_generation"] == want


def test_multi_arm_rows_get_labels():
    from gradecli.io.revman import read_rm5, to_evidence

    path = SHARED / "formats/samples/revman5-rm5/CD008625StatsDataOnly.rm5"
    res = to_evidence(read_rm5(str(path)))
    for o in res.doc["outcomes"]:
        keys = [(r["study"], r.get("label")) for r in o["data"]]
        assert len(keys) == len(set(keys)), o["id"]


def test_bad_inputs(tmp_path):
    runner = CliRunner()
    bad = tmp_path / "bad.rm5"
    bad.write_bytes(b'<?xml version="1.0"?>\n<COCHRANE_REVIEW TYPE="INTERVENTION">\n<oops>\n</COCHRANE_REVIEW>')
    r = runner.invoke(cli, ["import", "revman", str(bad)])
    assert r.exit_code == 2 and f"{bad}:4:" in r.output and "Traceback" not in r.output
    bomb = tmp_path / "bomb.rm5"
    bomb.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><COCHRANE_REVIEW>&a;</COCHRANE_REVIEW>')
    r = runner.invoke(cli, ["import", "revman", str(bomb)])
    assert r.exit_code == 2 and "entities" in r.output
    dta = tmp_path / "dta.rm5"
    dta.write_bytes(b'<?xml version="1.0"?><COCHRANE_REVIEW TYPE="DIAGNOSTIC"/>')
    r = runner.invoke(cli, ["import", "revman", str(dta)])
    assert r.exit_code == 2 and "intervention" in r.output
    src = SHARED / "formats/samples/revman5-rm5/Fleiss1993.rm5"
    r = runner.invoke(cli, ["import", "revman", str(src), "-o", str(src), "--force"])
    assert r.exit_code == 2 and "input" in r.output


def _close(ours: float | None, theirs: float | None, tol: float) -> bool:
    if theirs is None:
        return True  # RevMan stored no value (e.g. τ² of a fixed-effect analysis)
    if ours is None:
        return False
    return abs(ours - theirs) <= tol * max(abs(theirs), 0.05)


@pytest.mark.parametrize("path", RM5, ids=lambda p: p.stem)
def test_assess_reproduces_every_stored_revman_result(path, tmp_path):
    """Issue 17: `gradecli import revman` then `gradecli assess` (the CLI, not only the engine) gives
    RevMan's stored estimate, CI, τ², I² and Q for every total and every subgroup, under the file's
    own convention (analysis.convention: revman5, set by the importer). The one documented exception:
    RevMan's variance for Mantel–Haenszel risk differences of zero-cell tables (not reproduced)."""
    import json

    import yaml

    from gradecli.io.revman import evidence_measure, is_ratio_outcome, read_rm5

    out = tmp_path / "ev.yaml"
    runner = CliRunner()
    assert runner.invoke(cli, ["import", "revman", str(path), "-o", str(out)]).exit_code == 0
    # RevMan pools a multi-arm trial's rows as entered (a shared control counted in each comparison);
    # gradecli combines them by default. To reproduce the stored numbers, pool as entered:
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    doc.setdefault("defaults", {}).setdefault("analysis", {})["multi_arm"] = "as_entered"
    entered = tmp_path / "as-entered.yaml"
    entered.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    r = runner.invoke(cli, ["assess", str(entered), "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = {o["id"]: o for o in json.loads(r.output)["outcomes"]}
    rv = read_rm5(str(path))
    compared = skipped = 0
    for c in rv.comparisons:
        for o in c.outcomes:
            if _documented_difference(o, [r for g in o.groups for r in g.rows]) == "rd-zero":
                skipped += 1
                continue
            base = f"analysis-{c.no}.{o.no}"
            checks = []
            if o.has_subgroups and o.totals == "YES":
                if o.reported and base in rows:
                    checks.append((base, rows[base], o.reported))
                sa = rows[base]["subgroup_analyses"][0] if base in rows else None
                for g in o.groups:
                    sub = next((x for x in (sa or {}).get("groups", []) if x["name"] == g.name), None)
                    if g.reported and sub is not None:
                        effect = {k: sub[k] for k in ("estimate", "ci_lb", "ci_ub", "i2")}
                        checks.append((f"{base} / {g.name}", {"effect": effect}, g.reported))
            elif o.has_subgroups:
                for j, g in enumerate(o.groups):
                    if g.reported and f"{base}.{j + 1}" in rows:
                        checks.append((f"{base}.{j + 1}", rows[f"{base}.{j + 1}"], g.reported))
            elif o.reported and base in rows:
                checks.append((base, rows[base], o.reported))
            # a ratio with no gradecli measure (ratio of means) is imported as GENERIC on the log scale
            as_log = is_ratio_outcome(o.kind, o.measure_raw, o.log_data) and evidence_measure(o) == "GENERIC"
            for uid, row, rep in checks:
                e = row["effect"]
                if e is None or e.get("estimate") is None:
                    continue
                ref = [math.log(v) if as_log else v for v in (rep.estimate, rep.ci_lb, rep.ci_ub)]
                for name, ours, theirs in (("estimate", e["estimate"], ref[0]), ("ci_lb", e["ci_lb"], ref[1]),
                                           ("ci_ub", e["ci_ub"], ref[2])):  # fmt: skip
                    assert _close(ours, theirs, 1e-8), f"{path.name} {uid} {name}: ours {ours!r} RevMan {theirs!r}"
                pooled = row.get("pooled")
                if pooled is not None and (rep.studies or 0) > 1:
                    assert _close(pooled["tau2"] if rep.tau2 else rep.tau2, rep.tau2, 1e-7), f"{path.name} {uid} tau2"
                    assert _close(pooled["q"], rep.chi2, 1e-7), f"{path.name} {uid} Q"
                    if rep.df:  # with df = 0 RevMan stores I² = 100 for Q ≈ 1e-31 (0/0); no I² exists
                        assert _close(pooled["i2"], rep.i2, 1e-6), f"{path.name} {uid} I2"
                compared += 1
    assert compared > 0, (compared, skipped)


def test_meta_cli_reproduces_a_revman_random_effects_mantel_haenszel_result(tmp_path):
    """`gradecli meta --convention revman5 --q-around MH` gives RevMan's stored numbers for a random-effects
    Mantel–Haenszel analysis with heterogeneity (CD000023 analysis 1.2: RR, 15 studies, τ² ≈ 0.06); the
    metafor convention (Q around the IV estimate) gives a different τ² and so a different estimate."""
    import json

    from gradecli.io.revman import read_rm5

    rv = read_rm5(str(SHARED / "formats/samples/revman5-rm5/CD000023-antibiotics-for-sore-throat.rm5"))
    o = next(o for c in rv.comparisons for o in c.outcomes if o.id == "CMP-001.02")
    assert o.method == "MH" and o.random and o.reported is not None
    lines = ["study,events_t,n_t,events_c,n_c"]
    for i, (_, r) in enumerate(o.rows):
        v = r.values
        lines.append(f"s{i},{v['EVENTS_1']:g},{v['TOTAL_1']:g},{v['EVENTS_2']:g},{v['TOTAL_2']:g}")
    csv = tmp_path / "rows.csv"
    csv.write_text("\n".join(lines) + "\n")
    runner = CliRunner()
    args = ["meta", str(csv), "--measure", "RR", "--model", "random", "--method", "DL", "--format", "json"]
    revman = json.loads(runner.invoke(cli, [*args, "--convention", "revman5", "--q-around", "MH"]).output)
    assert math.exp(revman["estimate"]) == pytest.approx(o.reported.estimate, rel=1e-9)
    assert math.exp(revman["ci_lb"]) == pytest.approx(o.reported.ci_lb, rel=1e-9)
    assert revman["tau2"] == pytest.approx(o.reported.tau2, rel=1e-9)
    metafor = json.loads(runner.invoke(cli, args).output)
    assert abs(metafor["tau2"] - o.reported.tau2) > 1e-4  # the default convention is metafor's, and differs


@pytest.mark.parametrize("path", RM5, ids=lambda p: p.stem)
def test_counts_are_revmans_corrected_for_shared_control_arms(path, tmp_path):
    """Issue 17: "№ of participants (studies)" — studies as RevMan's STUDIES (every study counted once,
    double-zero studies included), participants as TOTAL_1 + TOTAL_2 less each shared control arm counted
    a second time (a multi-arm trial's rows with identical control data are combined, and the
    analysis's warnings say so)."""
    import json
    import xml.etree.ElementTree as ET

    from gradecli.io.revman import read_rm5

    out = tmp_path / "ev.yaml"
    runner = CliRunner()
    assert runner.invoke(cli, ["import", "revman", str(path), "-o", str(out)]).exit_code == 0
    rows = {
        o["id"]: o for o in json.loads(runner.invoke(cli, ["assess", str(out), "--format", "json"]).output)["outcomes"]
    }
    stored = {el.get("ID"): el for el in ET.parse(path).getroot().iter() if el.tag.endswith("_OUTCOME")}
    rv = read_rm5(str(path))
    compared = 0
    for c in rv.comparisons:
        for o in c.outcomes:
            oid = f"analysis-{c.no}.{o.no}"
            el = stored[o.id]
            if (o.has_subgroups and o.totals != "YES") or oid not in rows or not el.get("TOTAL_1"):
                continue
            e = rows[oid]["effect"]
            assert e is not None, oid
            assert e["k"] == int(el.get("STUDIES")), f"{path.name} {oid}"
            twice = 0
            controls: dict[tuple, int] = {}
            for _, r in o.rows:
                v = r.values
                key = (r.study_id, v.get("EVENTS_2"), v.get("MEAN_2"), v.get("SD_2"), v.get("TOTAL_2"))
                controls[key] = controls.get(key, 0) + 1
                if controls[key] > 1 and o.kind != "generic":  # generic rows carry no control data to compare
                    twice += int(v.get("TOTAL_2") or 0)
            expected = int(float(el.get("TOTAL_1")) + float(el.get("TOTAL_2"))) - twice
            assert e["participants"] == expected, f"{path.name} {oid}: {e['participants']} vs {expected}"
            if twice:
                assert any("share one control group" in w for w in e["warnings"]), oid
            compared += 1
    assert compared > 0


def test_an_analysis_revman_shows_without_totals_is_not_pooled(tmp_path):
    """CD008625 analysis 15.5 (TOTALS="NO", two subgroups): each subgroup an outcome with pool: false."""
    import json

    import yaml

    out = tmp_path / "ev.yaml"
    runner = CliRunner()
    path = SHARED / "formats/samples/revman5-rm5/CD008625StatsDataOnly.rm5"
    assert runner.invoke(cli, ["import", "revman", str(path), "-o", str(out)]).exit_code == 0
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    parts = [o for o in doc["outcomes"] if o["id"].startswith("analysis-15.5.")]
    assert len(parts) == 2 and all(o["analysis"]["pool"] is False for o in parts)
    assert all("without totals (TOTALS=NO)" in o["notes"] for o in parts)
    rows = {
        o["id"]: o for o in json.loads(runner.invoke(cli, ["assess", str(out), "--format", "json"]).output)["outcomes"]
    }
    for o in parts:
        a = rows[o["id"]]
        assert a["not_pooled"] and a["pooled"] is None and a["effect"]["estimate"] is None
