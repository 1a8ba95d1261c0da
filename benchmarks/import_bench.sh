#!/bin/sh
# deelema import against pylhe on the same LHE file, in one run (benchmarks/RESULTS.md).
# Usage: sh benchmarks/import_bench.sh [EVENTS]   (from the package root, after the release build).
# The file is generated with the ideal detector, so importing it with --detector ideal keeps every
# event and the peer's check sum (summed top energies) must agree with the npz. Then the same
# file with the CMS detector, and gzipped (gzip -1).
set -e
N=${1:-100000}
D=$(mktemp -d)
B=.build/release/deelema
$B generate --topology ttbar --events "$N" --seed 1 --output "$D/tt.lhe" > /dev/null
ls -l "$D/tt.lhe"
/usr/bin/time -f "deelema import (ideal): %e s wall, max RSS %M KiB" \
    $B import "$D/tt.lhe" --topology ttbar --detector ideal --output "$D/tt.npz"
python3 benchmarks/import_pylhe.py "$D/tt.lhe" "$D/tt.npz"
/usr/bin/time -f "deelema import (cms): %e s wall, max RSS %M KiB" \
    $B import "$D/tt.lhe" --topology ttbar --detector cms --output "$D/tt_cms.npz"
gzip -1 "$D/tt.lhe"
ls -l "$D/tt.lhe.gz"
/usr/bin/time -f "deelema import (ideal, .lhe.gz): %e s wall, max RSS %M KiB" \
    $B import "$D/tt.lhe.gz" --topology ttbar --detector ideal --output "$D/tt_gz.npz"
python3 -c "import numpy as np, sys; a, b = np.load(sys.argv[1]), np.load(sys.argv[2]); \
print('gzipped import: arrays identical to the plain import:', all((a[k] == b[k]).all() for k in a.files if k != 'provenance'))" \
    "$D/tt.npz" "$D/tt_gz.npz"
rm -rf "$D"
