#!/bin/sh
# deelema import against pylhe on the same LHE file, in one run (benchmarks/RESULTS.md).
# Usage: sh benchmarks/import_bench.sh [EVENTS]   (from the package root, after the release build)
set -e
N=${1:-100000}
D=$(mktemp -d)
B=.build/release/deelema
$B generate --topology ttbar --events "$N" --seed 1 --output "$D/tt.lhe" > /dev/null
ls -l "$D/tt.lhe"
/usr/bin/time -f "deelema import: %e s wall, max RSS %M KiB" \
    $B import "$D/tt.lhe" --topology ttbar --detector cms --output "$D/tt.npz"
python3 benchmarks/import_pylhe.py "$D/tt.lhe" "$D/tt.npz"
rm -rf "$D"
