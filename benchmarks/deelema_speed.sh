#!/usr/bin/env bash
# DeeLeMa training-step speed: Swift (OpenBLAS sgemm, hand backward) vs PyTorch CPU, same
# network (16-256x6-4, 334k parameters), batch 2048, same thread count, one run.
#   benchmarks/deelema_speed.sh [threads] [steps]
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS="${1:-1}"
STEPS="${2:-20}"
swift build -c release --product DeeLeMaTrain $(make -s --no-print-directory release-flags) >/dev/null
echo "machine: $(nproc) cores, $(lscpu | grep 'Model name' | sed 's/Model name: *//'), $(date -u +%Y-%m-%dT%H:%MZ)"
export OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS"
SW=$(.build/release/DeeLeMaTrain --speed --threads "$THREADS" --batch 2048 --steps "$STEPS")
PT=$(python3 benchmarks/deelema_torch.py --threads "$THREADS" --batch 2048 --steps "$STEPS")
echo "$SW"
echo "$PT"
python3 - "$SW" "$PT" <<'PY'
import sys
sw = sys.argv[1].split(); pt = sys.argv[2].split()
s = float(sw[sw.index("step_ms") + 1]); t = float(pt[pt.index("step_ms") + 1])
g = float(sw[sw.index("sgemm_ms") + 1])
si = float(sw[sw.index("infer_events_per_s") + 1]); ti = float(pt[pt.index("infer_events_per_s") + 1])
print(f"ratio swift/torch step time {s / t:.3f} (target <= 0.8); swift step / own sgemm calls {s / g:.3f} (target <= 1.6); "
      f"inference swift {si:.0f} ev/s, torch forward only {ti:.0f} ev/s")
PY
