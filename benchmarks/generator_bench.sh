#!/usr/bin/env bash
# Times the Swift generator (t-tbar, cms preset, in memory, 1 thread and all cores) and the
# vectorised numpy peer in the same run, and prints the ratios.
# Usage: benchmarks/generator_bench.sh [EVENTS] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${1:-2000000}"
REPEATS="${2:-3}"
swift build -c release --product GeneratorBenchmark $(make -s --no-print-directory release-flags) >/dev/null
echo "machine: $(nproc) cores, $(lscpu | grep 'Model name' | sed 's/.*: *//'), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
swift_out=$(.build/release/GeneratorBenchmark --events "$EVENTS" --repeats "$REPEATS" --card ttbar --detector cms)
echo "$swift_out"
numpy_out=$(python3 benchmarks/numpy_generator.py --events "$EVENTS" --repeats "$REPEATS")
echo "$numpy_out"
field() { grep "$1" <<<"$2" | head -1 | tr ' ' '\n' | sed -n "s/^$3=//p"; }
s1=$(field "threads=1 " "$swift_out" rate)
sn=$(field "threads=$(nproc) " "$swift_out" rate)
np=$(field "impl=numpy" "$numpy_out" rate)
c1=$(field "threads=1 " "$swift_out" rate_per_cpu_second)
cn=$(field "impl=numpy" "$numpy_out" rate_per_cpu_second)
python3 - "$s1" "$sn" "$np" "$c1" "$cn" "$(nproc)" <<'PY'
import sys
s1, sn, np_, c1, cn, n = map(float, sys.argv[1:7])
print(f"wall: swift 1 thread {s1:,.0f} ev/s; swift {int(n)} threads {sn:,.0f} ev/s (x{sn / s1:.2f}); numpy {np_:,.0f} ev/s")
print(f"ratio (wall) swift(1 thread)/numpy = {s1 / np_:.1f}; swift({int(n)} threads)/numpy = {sn / np_:.1f}")
print(f"per CPU-second: swift {c1:,.0f} ev/s, numpy {cn:,.0f} ev/s, ratio {c1 / cn:.1f}")
PY
