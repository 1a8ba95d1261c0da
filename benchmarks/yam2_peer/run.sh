#!/usr/bin/env bash
# Builds NLopt and YAM2 (public sources, fetched into WORK, default /tmp/yam2_peer) and runs the
# YAM2 peer against deelema's constrained M2 on the M2Benchmark fixtures, one core each:
#   benchmarks/yam2_peer/run.sh [EVENTS]
# Needs cmake (e.g. `pip install cmake` into a venv on PATH), a C++17 compiler and network or
# local clones: NLOPT_SRC and YAM2_SRC may name existing source directories instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000}
WORK=${WORK:-/tmp/yam2_peer}
mkdir -p "$WORK"
if [ ! -f "$WORK/nlopt/lib/libnlopt.so" ]; then
  src=${NLOPT_SRC:-$WORK/nlopt-src}
  [ -d "$src" ] || git clone -q https://github.com/stevengj/nlopt "$src"
  cmake -S "$src" -B "$WORK/nlopt-build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$WORK/nlopt" \
    -DNLOPT_PYTHON=OFF -DNLOPT_OCTAVE=OFF -DNLOPT_MATLAB=OFF -DNLOPT_GUILE=OFF -DNLOPT_SWIG=OFF >/dev/null
  cmake --build "$WORK/nlopt-build" --target install >/dev/null
fi
y=${YAM2_SRC:-$WORK/yam2-src}
[ -d "$y" ] || git clone -q https://github.com/cbpark/YAM2 "$y"
[ -f "$y/lib/libYAM2.a" ] || make -C "$y" NLOPT="$WORK/nlopt" lib/libYAM2.a >/dev/null
g++ -O2 -std=c++17 -I"$y/include" benchmarks/yam2_peer/peer.cc "$y/lib/libYAM2.a" \
  -L"$WORK/nlopt/lib" -lnlopt -Wl,-rpath,"$WORK/nlopt/lib" -o "$WORK/peer"
swift build -c release --product M2Benchmark $(make -s --no-print-directory release-flags) >/dev/null
for f in ttbar toy; do
  taskset -c 0 .build/release/M2Benchmark peerdump $f "$N" "$WORK/$f.csv"
  taskset -c 0 "$WORK/peer" "$WORK/$f.csv"
done
