"""Compares two `M2Benchmark values` files (old, new) event by event: per fixture, subsystem and
variable, the events where the new value is lower / higher than the old one by more than 1e-6
relative (1 GeV floor, as `M2Benchmark compare`), and status changes. Prints each "higher"
event. Usage: python3 compare_values.py OLD.csv NEW.csv"""
import csv
import sys


def load(path):
    with open(path) as f:
        return {(r["fixture"], r["subsystem"], int(r["event"])): r for r in csv.DictReader(f)}


old, new = load(sys.argv[1]), load(sys.argv[2])
assert old.keys() == new.keys(), "different events"
groups = sorted({(k[0], k[1]) for k in old})
for fixture, sub in groups:
    keys = sorted(k for k in old if k[:2] == (fixture, sub))
    cells = []
    for var in ("xx", "cx", "xc", "cc"):
        lower = higher = status = 0
        worst = 0.0
        for k in keys:
            a, b = float(old[k][var]), float(new[k][var])
            if old[k]["s" + var] != new[k]["s" + var]:
                status += 1
                print(f"  {fixture} ({sub}) event {k[2]} {var}: status {old[k]['s' + var]} -> {new[k]['s' + var]}")
            if a != a or b != b:
                continue
            d = (b - a) / max(a, 1.0)
            worst = max(worst, abs(d))
            if d < -1e-6:
                lower += 1
                print(f"  {fixture} ({sub}) event {k[2]} {var} lower: {a!r} -> {b!r} ({d:+.2e})")
            elif d > 1e-6:
                higher += 1
                print(f"  {fixture} ({sub}) event {k[2]} {var} HIGHER: {a!r} -> {b!r} ({d:+.2e})")
        cells.append(f"{var} {lower}/{higher} (status changes {status}, largest |d| {worst:.1e})")
    print(f"{fixture} ({sub}) {len(keys)} events, lower/higher: " + "; ".join(cells))
