"""Benchmark: time per pooled outcome, peak memory, and `gradecli meta` on 100,000 studies.

    python benchmarks/pool.py [--quick]

Prints figures only; tests never assert on time. statsmodels / PyMARE are timed when installed
(they are not dependencies).
"""

from __future__ import annotations

import csv
import math
import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc

from gradecli.stats import BinaryData, GenericData, PoolingSpec, meta_analysis


def generic(k: int, seed: int = 1) -> GenericData:
    rng = random.Random(seed)
    s = [rng.uniform(0.05, 0.6) for _ in range(k)]
    y = [rng.gauss(-0.3, math.sqrt(si * si + 0.04)) for si in s]
    return GenericData([f"s{i}" for i in range(k)], y, s)


def binary(k: int, seed: int = 2) -> BinaryData:
    rng = random.Random(seed)
    n_t = [rng.randint(20, 400) for _ in range(k)]
    n_c = [rng.randint(20, 400) for _ in range(k)]
    e_t = [sum(rng.random() < 0.12 for _ in range(n)) if k <= 1000 else int(n * rng.uniform(0.02, 0.2)) for n in n_t]
    e_c = [sum(rng.random() < 0.18 for _ in range(n)) if k <= 1000 else int(n * rng.uniform(0.05, 0.3)) for n in n_c]
    return BinaryData([f"s{i}" for i in range(k)], e_t, n_t, e_c, n_c)


def per_call(fn, min_time: float = 0.5) -> float:
    n = 0
    t0 = time.perf_counter()
    while True:
        fn()
        n += 1
        dt = time.perf_counter() - t0
        if dt >= min_time or n >= 2000:
            return dt / n


def fmt(sec: float) -> str:
    return f"{sec * 1e3:.3f} ms" if sec >= 1e-3 else f"{sec * 1e6:.1f} µs"


def main() -> None:
    quick = "--quick" in sys.argv
    ks = (10, 1000) if quick else (10, 1000, 100_000)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    for k in ks:
        g = generic(k)
        b = binary(k)
        for method in ("DL", "REML"):
            for label, data, measure in (("generic", g, "GENERIC"), ("2x2 RR", b, "RR")):
                a = PoolingSpec(measure, "random", method)
                a_no = PoolingSpec(measure, "random", method, egger=False)
                t = per_call(lambda d=data, a=a: meta_analysis(d, a), 0.3 if k < 1000 else 1.0)
                t2 = per_call(lambda d=data, a=a_no: meta_analysis(d, a), 0.3 if k < 1000 else 1.0)
                tracemalloc.start()
                meta_analysis(data, a)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                print(f"k={k:>7} {method:<4} {label:<8} {fmt(t):>10} per outcome (incl. Egger), "
                      f"{fmt(t2):>10} without Egger; peak {peak / 1e6:.2f} MB")
    # whole process on a 100,000-study CSV
    k = 100_000
    d = generic(k, 5)
    tmp = tempfile.mkdtemp(prefix="gradecli-bench-")
    path = os.path.join(tmp, "studies.csv")
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["study", "yi", "sei"])
        for row in zip(d.labels, d.yi, d.sei, strict=True):
            w.writerow([row[0], repr(row[1]), repr(row[2])])
    bb = binary(k, 6)
    path2 = os.path.join(tmp, "tables.csv")
    with open(path2, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["study", "events_t", "n_t", "events_c", "n_c"])
        for row in zip(bb.labels, bb.events_t, bb.n_t, bb.events_c, bb.n_c, strict=True):
            w.writerow(row)
    for p, measure in ((path, "GENERIC"), (path2, "RR")):
        for method in ("DL", "REML"):
            best = math.inf
            for _ in range(3):
                t0 = time.perf_counter()
                r = subprocess.run([sys.executable, "-m", "gradecli", "meta", p, "--measure", measure,
                                    "--model", "random", "--method", method, "--format", "json"],
                                   capture_output=True)
                best = min(best, time.perf_counter() - t0)
                assert r.returncode == 0, r.stderr
            print(f"gradecli meta, {k} studies ({measure}, {method}, JSON), whole process: {best:.3f} s (best of 3)")
    others(generic(1000, 9))


def others(g: GenericData) -> None:
    try:
        import numpy as np
        from statsmodels.stats.meta_analysis import combine_effects
    except ImportError:
        print("statsmodels: not installed (skipped)")
    else:
        y = np.array(g.yi)
        v = np.square(g.sei)
        for m in ("dl", "iterated"):
            t = per_call(lambda m=m: combine_effects(y, v, method_re=m), 0.5)
            print(f"statsmodels combine_effects k=1000 method_re={m}: {fmt(t)}")
    try:
        import numpy as np
        from pymare import estimators
    except ImportError:
        print("PyMARE: not installed (skipped)")
    else:
        y = np.array(g.yi)[:, None]
        v = np.square(g.sei)[:, None]
        for est in (estimators.DerSimonianLaird, estimators.VarianceBasedLikelihoodEstimator):
            t = per_call(lambda e=est: e().fit(y=y, v=v), 0.5)
            print(f"PyMARE {est.__name__} k=1000: {fmt(t)}")


if __name__ == "__main__":
    main()
