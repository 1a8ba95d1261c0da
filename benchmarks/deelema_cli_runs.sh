#!/usr/bin/env bash
# DeeLeMa trained through the CLI on samples of the real generator (issue 4 measurements):
# toy (truth pairing, ideal), toy (unknown pairing), toy (cms), ttbar (ideal, truth pairing).
# Prints the learned masses and the invisible-momentum resolution against the truth.
#   benchmarks/deelema_cli_runs.sh [EVENTS] [EPOCHS] [OUTDIR] [extra `deelema train` options...]
# e.g. benchmarks/deelema_cli_runs.sh 400000 20 /tmp/runs --batch 512 --threads 1
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
E=${2:-40}
OUT=${3:-/tmp/deelema_cli_runs}
shift $(( $# < 3 ? $# : 3 ))
EXTRA=("$@")
mkdir -p "$OUT"
swift build -c release --product deelema $(make -s --no-print-directory release-flags) >/dev/null
BIN=.build/release/deelema
echo "machine: $(nproc) cores, $(lscpu | grep 'Model name' | sed 's/.*: *//'), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # name card detector pairing mc scale
  local s="$OUT/$2_$3.npz"
  [ -f "$s" ] || $BIN generate --topology "$2" --events "$N" --detector "$3" --seed 11 --output "$s" >/dev/null
  local t0=$(date +%s)
  $BIN train "$s" --checkpoint "$OUT/$1.model" --restart --mc "$5" --scale "$6" --pairing "$4" --epochs "$E" \
      --threads "$(nproc)" --seed 1 "${EXTRA[@]}" | tail -1
  $BIN estimate "$s" --method deelema --model "$OUT/$1.model" --pairing "$4" --output "$OUT/$1_est.npz" >/dev/null
  python3 - "$s" "$OUT/$1_est.npz" "$1" "$(( $(date +%s) - t0 ))" <<'PY'
import sys, numpy as np
s, r, name, secs = np.load(sys.argv[1]), np.load(sys.argv[2]), sys.argv[3], sys.argv[4]
res = []
for k in range(1, 4):
    d = np.concatenate([r["C1"][:, k] - s["true_C1"][:, k], r["C2"][:, k] - s["true_C2"][:, k]])
    lo, hi = np.quantile(d, [0.15865525, 0.84134475])
    res.append(0.5 * (hi - lo))
print(f"RESULT {name}: M_A {float(r['M_A']):.2f} ± {float(r['M_A_err']):.2f}, M_B {float(r['M_B']):.2f} ± {float(r['M_B_err']):.2f} GeV; "
      f"C resolution px/py/pz {res[0]:.1f}/{res[1]:.1f}/{res[2]:.1f} GeV; {secs} s")
PY
}
run toy_truth toy ideal true 700 1000
run toy_unknown toy ideal unknown 700 1000
run toy_cms toy cms true 700 1000
run ttbar_truth ttbar ideal true 0 100
