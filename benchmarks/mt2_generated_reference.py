#!/usr/bin/env python3
"""Reference MT2(bl) values on 1e5 events of the real generator for
Tests/BaselinesTests/MT2ReferenceTests.swift, from the PyPI `mt2` package (machine precision).

The sample: `deelema generate --topology ttbar --events 100000 --detector cms --seed 2026
--output /tmp/mt2_generated.npz` (reconstructed objects, CMS smearing). Inputs per event, with
the true pairing: visible 1 = a1 + (b1 if pairing == 0 else b2), visible 2 = a2 + the other b,
their invariant masses and transverse momenta, the measured MET, chi = 0. Written as N x 8 float32
(m1 px1 py1 m2 px2 py2 metx mety, used by the test as exact float64 inputs) followed by N float64
reference values, the layout of mt2_fixture_reference.bin.

Usage:
    swift build --product deelema
    .build/debug/deelema generate --topology ttbar --events 100000 --detector cms --seed 2026 --output /tmp/mt2_generated.npz
    python3 benchmarks/mt2_generated_reference.py /tmp/mt2_generated.npz
"""
import os
import sys

import mt2
import numpy as np


def main():
    f = np.load(sys.argv[1])
    a1, a2, b1, b2, met, pairing = f["a1"], f["a2"], f["b1"], f["b2"], f["met"], f["pairing"]
    swap = (pairing == 1)[:, None]
    v1 = a1 + np.where(swap, b2, b1)
    v2 = a2 + np.where(swap, b1, b2)

    def mass(v):
        m2 = v[:, 0] ** 2 - v[:, 1] ** 2 - v[:, 2] ** 2 - v[:, 3] ** 2
        return np.sqrt(np.maximum(m2, 0.0))

    inp = np.stack([mass(v1), v1[:, 1], v1[:, 2], mass(v2), v2[:, 1], v2[:, 2], met[:, 0], met[:, 1]], axis=1).astype("<f4")
    d = inp.astype(np.float64)
    ref = mt2.mt2(d[:, 0], d[:, 1], d[:, 2], d[:, 3], d[:, 4], d[:, 5], d[:, 6], d[:, 7], 0.0, 0.0)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "BaselinesTests", "Resources",
                       "mt2_generated_reference.bin")
    with open(out, "wb") as fh:
        fh.write(inp.tobytes())
        fh.write(ref.astype("<f8").tobytes())
    print("generated:", len(ref), "values, mt2", getattr(mt2, "__version__", "?"), "max", ref.max())


if __name__ == "__main__":
    main()
