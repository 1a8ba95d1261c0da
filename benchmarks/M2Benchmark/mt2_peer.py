"""Peer timing for the M2 benchmark: MT2 of the same events with the PyPI `mt2` package.

M2XX equals MT2 by theorem, so `mt2` (a specialised bisection in C++, numpy ufunc) is the
natural speed peer of the general constrained minimiser. Usage:
    .build/release/M2Benchmark dump ttbar 1000 /tmp/m2_ttbar.csv
    python3 benchmarks/M2Benchmark/mt2_peer.py /tmp/m2_ttbar.csv [more.csv ...]
Prints events/s (best of 5, one thread) and the mean MT2 (compare with the mean m2xx).
"""
import csv
import sys
import time

import mt2
import numpy as np

for path in sys.argv[1:]:
    with open(path) as f:
        rows = list(csv.DictReader(f))
    c = {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        v = mt2.mt2(c["m1"], c["px1"], c["py1"], c["m2"], c["px2"], c["py2"],
                    c["metx"], c["mety"], c["chi"], c["chi"])
        best = min(best, time.perf_counter() - t0)
    print(f"{path}: mt2 package {len(rows) / best:.0f} events/s (one thread), mean MT2 {v.mean():.4f} GeV")
