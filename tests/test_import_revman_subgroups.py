"""RevMan subgroups survive the import (issue 15/17): an analysis RevMan shows with subgroups and a
total becomes one outcome with a subgroup hypothesis, and gradecli's test for subgroup differences
reproduces RevMan's stored one ("Test for subgroup differences: Chi² = Q, P = P_Q") wherever gradecli
reproduces RevMan's subgroup estimates (Mantel–Haenszel random effects with heterogeneity does not —
RevMan computes the DerSimonian–Laird Q around the MH estimate, a known difference)."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import gradecli
from gradecli.io.revman import read_rm5, to_evidence
from gradecli.model.checks import check_evidence
from gradecli.model.evidence import Evidence

CANDIDATES = [Path(__file__).resolve().parents[2] / "shared", Path("/work/shared")]
SHARED = next((p for p in CANDIDATES if (p / "formats" / "samples").is_dir()), None)
pytestmark = pytest.mark.skipif(SHARED is None, reason="../shared/formats/samples (RevMan samples) not present")
RM5 = sorted((SHARED / "formats/samples/revman5-rm5").glob("*.rm5")) if SHARED else []


def _same(a: float | None, b: float | None, ratio: bool) -> bool:
    if a is None or b is None or (ratio and (a <= 0 or b <= 0)):
        return False
    return abs(math.log(a) - math.log(b)) < 1e-9 if ratio else abs(a - b) < 1e-9 * max(1.0, abs(b))


def test_revman_subgroup_differences_are_reproduced() -> None:
    compared = 0
    for path in RM5:
        rv = read_rm5(str(path))
        ev = Evidence.model_validate(to_evidence(rv).doc)
        assert not check_evidence(ev), path.name
        stored = {el.get("ID"): el for el in ET.parse(path).getroot().iter() if el.get("SUBGROUP_TEST") == "YES"}
        by_id = {f"analysis-{o.comparison_no}.{o.no}": o for c in rv.comparisons for o in c.outcomes}
        for oa in gradecli.assess(ev).outcomes:
            rm = by_id.get(oa.id)
            if rm is None or not (rm.has_subgroups and rm.totals == "YES"):
                continue
            (sa,) = oa.subgroup_analyses  # the RevMan subgroups, kept
            assert sa.id == "revman-subgroups" and sa.a_priori is None and sa.credibility is None
            assert [g.name for g in sa.groups] == [g.name for g in rm.groups if g.rows]
            el = stored.get(rm.id)
            ratio = oa.measure in ("RR", "OR", "HR", "PETO_OR", "GENERIC_RATIO")
            reproduced = all(
                _same(g.estimate, rg.reported.estimate if rg.reported else None, ratio)
                for g, rg in zip(sa.groups, [g for g in rm.groups if g.rows], strict=True)
            )
            if el is None or el.get("Q") is None or sa.q is None or not reproduced:
                continue
            assert sa.q == pytest.approx(float(el.get("Q")), rel=1e-9, abs=1e-12), (path.name, oa.id)
            # RevMan's own χ² tail is accurate to about 2e-6 relative (the same Q gives p 0.0089486588 in
            # RevMan, 0.0089486438 in gradecli, metafor and SciPy)
            assert sa.p == pytest.approx(float(el.get("P_Q")), rel=1e-5, abs=1e-9), (path.name, oa.id)
            compared += 1
    assert compared >= 10, compared  # measured: 12 results across the samples (hazard ratios, IV and MH fixed)
