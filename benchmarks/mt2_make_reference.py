#!/usr/bin/env python3
"""Reference MT2 values for Tests/BaselinesTests/MT2ReferenceTests.swift, from the PyPI `mt2`
package (Lester & Nachman's calculator, version printed below, desired precision 0 = machine
precision).

Two sets, written under Tests/BaselinesTests/Resources/:

1. mt2_random_reference.f64: N = 100000 float64 MT2 values for random inputs that the Swift
   test regenerates itself from a counter-based splitmix64 stream (`random_inputs` below and
   `MT2ReferenceInputs.random` in the test must stay identical).
2. mt2_fixture_reference.bin: 100000 MT2(bl) inputs of a ChainFixture t-tbar sample
   (m_A 172.5, m_B 80.4, m_C 0, m_a 4.7, m_b 0, seed 2024, true pairing, chi = 0) as N x 8
   float32 (m1 px1 py1 m2 px2 py2 metx mety, rounded to float32 and then used as exact float64
   inputs) followed by N float64 reference values.

Usage:
    swift build --product MT2Benchmark
    .build/debug/MT2Benchmark fixture 100000 /tmp/mt2_fixture_inputs.f64
    python3 benchmarks/mt2_make_reference.py /tmp/mt2_fixture_inputs.f64
"""
import os
import sys

import numpy as np
import mt2

N = 100_000
GAMMA = np.uint64(0x9E3779B97F4A7C15)


def splitmix_uniform(seed, count):
    """Uniform doubles in [0, 1): u_k = mix(seed + (k + 1) * GAMMA) >> 11 * 2^-53."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + (np.arange(1, count + 1, dtype=np.uint64) * GAMMA)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53


def random_inputs(n, seed=20241129):
    """n x 10 inputs (m1 px1 py1 m2 px2 py2 metx mety chi1 chi2), 16 uniforms per event."""
    u = splitmix_uniform(seed, 16 * n).reshape(n, 16)
    scale = 10.0 ** (4.0 * u[:, 14] - 2.0)                     # 0.01 .. 100
    m1 = np.where(u[:, 10] < 0.15, 0.0, 100.0 * u[:, 0])
    m2 = np.where(u[:, 11] < 0.15, 0.0, 100.0 * u[:, 3])
    chi1 = np.where(u[:, 12] < 0.15, 0.0, 100.0 * u[:, 8])
    chi2 = np.where(u[:, 13] < 0.30, chi1, 100.0 * u[:, 9])
    p = 400.0 * (u[:, [1, 2, 4, 5, 6, 7]] - 0.5)
    x = np.stack([m1, p[:, 0], p[:, 1], m2, p[:, 2], p[:, 3], p[:, 4], p[:, 5], chi1, chi2], axis=1)
    return x * scale[:, None]


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "Tests", "BaselinesTests", "Resources")
    os.makedirs(out, exist_ok=True)
    print("mt2 package", mt2.__version__)
    x = random_inputs(N)
    ref = mt2.mt2(*x.T)
    ref.astype("<f8").tofile(os.path.join(out, "mt2_random_reference.f64"))
    print("random:", N, "values, range", ref.min(), ref.max())

    f = np.fromfile(sys.argv[1], dtype="<f8").reshape(-1, 10)
    assert np.all(f[:, 8:] == 0.0), "fixture chi must be 0"
    inp = f[:, :8].astype("<f4")
    d = inp.astype(np.float64)
    ref = mt2.mt2(d[:, 0], d[:, 1], d[:, 2], d[:, 3], d[:, 4], d[:, 5], d[:, 6], d[:, 7], 0.0, 0.0)
    with open(os.path.join(out, "mt2_fixture_reference.bin"), "wb") as fh:
        fh.write(inp.tobytes())
        fh.write(ref.astype("<f8").tobytes())
    print("fixture:", len(f), "values, max", ref.max())


if __name__ == "__main__":
    main()
