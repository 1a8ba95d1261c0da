#!/usr/bin/env bash
# t-tbar (cms preset) generated and written to npz by `deelema generate`, 1 thread and all cores,
# against the numpy peer generating and writing the same sample with np.savez, in one run; then the
# peak memory (max RSS) of writing 10 M events to npz, which must stay under 200 MB.
# Usage: benchmarks/generator_npz_bench.sh [EVENTS] [BIG_EVENTS] [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${1:-1000000}"
BIG="${2:-10000000}"
DIR="${3:-/tmp/deelema_npz_bench}"
mkdir -p "$DIR"
swift build -c release --product deelema $(make -s --no-print-directory release-flags) >/dev/null
BIN=.build/release/deelema
echo "machine: $(nproc) cores, $(lscpu | grep 'Model name' | sed 's/.*: *//'), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # threads events file -> seconds
  rm -f "$3"
  local t0=$(date +%s.%N)
  $BIN generate --topology ttbar --events "$2" --detector cms --seed 1 --threads "$1" --output "$3" >/dev/null
  echo "$(date +%s.%N) - $t0" | bc -l
}
s1=$(run 1 "$EVENTS" "$DIR/swift1.npz")
sn=$(run "$(nproc)" "$EVENTS" "$DIR/swiftn.npz")
rm -f "$DIR/numpy.npz"
np_out=$(python3 benchmarks/numpy_generator.py --events "$EVENTS" --repeats 1 --npz "$DIR/numpy.npz" | grep numpy-npz)
nps=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' <<<"$np_out")
python3 - "$EVENTS" "$s1" "$sn" "$nps" "$(nproc)" <<'PY'
import sys
n, s1, sn, npy, cores = float(sys.argv[1]), *map(float, sys.argv[2:5]), int(sys.argv[5])
print(f"to npz, {n:,.0f} events: swift 1 thread {n / s1:,.0f} ev/s; swift {cores} threads {n / sn:,.0f} ev/s (x{s1 / sn:.2f}); "
      f"numpy+savez {n / npy:,.0f} ev/s; swift(1)/numpy {npy / s1:.1f}x, swift({cores})/numpy {npy / sn:.1f}x")
PY
rm -f "$DIR"/*.npz
/usr/bin/time -v $BIN generate --topology ttbar --events "$BIG" --detector cms --seed 1 --output "$DIR/big.npz" 2> "$DIR/time.txt" >/dev/null
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$DIR/time.txt")
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$DIR/time.txt")
size=$(stat -c %s "$DIR/big.npz")
echo "10M-class run: $BIG events -> $(( size / 1000000 )) MB npz in $wall, peak RSS $(( rss / 1024 )) MB"
rm -f "$DIR/big.npz"
