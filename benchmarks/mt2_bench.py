#!/usr/bin/env python3
"""Peer side of benchmarks/mt2_bench.sh: the PyPI `mt2` package on the same raw inputs.

    mt2_bench.py write-random OUT.f64             100000 x 10 float64 random rows (same generator
                                                  as benchmarks/mt2_make_reference.py)
    mt2_bench.py time INPUTS.f64 SWIFT_OUT.f64 SWIFT_RATE
                                                  time the package (best of 5, one core: the ufunc
                                                  is single-threaded), compare values, print the ratio
"""
import os
import sys
import time

import numpy as np
import mt2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def main():
    if sys.argv[1] == "write-random":
        from mt2_make_reference import random_inputs
        random_inputs(100_000).astype("<f8").tofile(sys.argv[2])
        return
    x = np.fromfile(sys.argv[2], dtype="<f8").reshape(-1, 10)
    swift = np.fromfile(sys.argv[3], dtype="<f8")
    swift_rate = float(sys.argv[4])
    cols = [np.ascontiguousarray(c) for c in x.T]
    best = np.inf
    for _ in range(5):
        t0 = time.perf_counter()
        ref = mt2.mt2(*cols)
        best = min(best, time.perf_counter() - t0)
    rate = len(x) / best
    rel = np.abs(swift - ref) / np.maximum(np.abs(ref), 1e-300)
    print(f"package mt2 {mt2.__version__}: {len(x)} events, best of 5: {best:.4f} s, {rate:.0f} evaluations/s")
    print(f"agreement: {np.mean(rel <= 1e-9) * 100:.3f}% of rows within 1e-9 relative, median rel {np.median(rel):.2e}")
    print(f"ratio swift / package: {swift_rate / rate:.2f}x")


if __name__ == "__main__":
    main()
