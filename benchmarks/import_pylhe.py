"""Peer for `deelema import`: reads the same LHE file with pylhe (every event, every particle)
and reports events per second, plus a check sum to compare with the imported npz: the number
of events and the summed energy of the particles with |id| = 6 (the tops).

Usage: python3 benchmarks/import_pylhe.py FILE.lhe [IMPORTED.npz]
"""
import sys, time
import pylhe

path = sys.argv[1]
t0 = time.perf_counter()
n = 0
top_energy = 0.0
for event in pylhe.LHEFile.fromfile(path).events:  # a generator: streams
    n += 1
    for p in event.particles:
        if abs(p.id) == 6:
            top_energy += p.e
elapsed = time.perf_counter() - t0
print(f"pylhe {pylhe.__version__}: {n} events in {elapsed:.2f} s = {n / elapsed:.0f} events/s")
print(f"sum of top energies {top_energy:.6f} GeV")
if len(sys.argv) > 2:
    import numpy as np
    f = np.load(sys.argv[2])
    ours = f["true_A1"][:, 0].sum() + f["true_A2"][:, 0].sum()
    print(f"imported npz: {len(f['event'])} events, sum of top energies {ours:.6f} GeV, "
          f"relative difference {abs(ours - top_energy) / top_energy:.2e}")
