#!/usr/bin/env bash
# MT2 speed: our MT2.value (release, one core) vs the PyPI `mt2` package on the same 1e5 rows
# (random rows and ChainFixture t-tbar MT2(bl) rows), then events/s of the MT2 subsystem and
# MAOS estimators (all cores). Usage: benchmarks/mt2_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product MT2Benchmark $(make -s --no-print-directory release-flags) 2>&1 | grep -E "error|warning: .*swift" || true
BIN=.build/release/MT2Benchmark
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
echo "machine: $(nproc) cores, $(lscpu | grep 'Model name' | sed 's/ *Model name: *//'), $(date -u +%Y-%m-%dT%H:%MZ)"
"$BIN" fixture 100000 "$W/fixture.f64"
python3 benchmarks/mt2_bench.py write-random "$W/random.f64"
for set in random fixture; do
    echo "== $set rows"
    line=$("$BIN" bench "$W/$set.f64" "$W/$set.out")
    echo "$line"
    rate=$(echo "$line" | sed -E 's/.* ([0-9]+) evaluations\/s/\1/')
    python3 benchmarks/mt2_bench.py time "$W/$set.f64" "$W/$set.out" "$rate"
done
echo "== estimators"
"$BIN" estimators 100000
