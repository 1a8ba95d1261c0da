#!/usr/bin/env bash
# Mass estimates of every classical method on ttbar, toy and antler_toy samples, ideal and cms
# detectors, true and unknown pairing (issue 3, must-show 4). Prints a markdown table.
#   benchmarks/estimate_matrix.sh [EVENTS] [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}
OUT=${2:-/tmp/deelema_estimate_matrix}
mkdir -p "$OUT"
swift build -c release --product deelema $(make -s --no-print-directory release-flags) >/dev/null
BIN=.build/release/deelema
declare -A MASSES=([ttbar]="172.5,80.38,0" [toy]="1000,800,700" [antler_toy]="1000,400,100" [hww]="700,80.38,0")
echo "| card | detector | pairing | method | estimates (GeV) | handled | time/event |"
echo "|---|---|---|---|---|---|---|"
for card in ttbar toy antler_toy; do
  for det in ideal cms; do
    s="$OUT/${card}_${det}.npz"
    $BIN generate --topology "$card" --events "$N" --detector "$det" --seed 7 --output "$s" >/dev/null
    m=${MASSES[$card]}
    mc=${m##*,}
    if [ "$card" = antler_toy ]; then methods="mt2 maos m2 endpoint"; pairings="unknown"; else methods="mt2 maos kinsolve massscan m2 endpoint"; pairings="true unknown"; fi
    for pairing in $pairings; do
      for method in $methods; do
        extra=(--mc "$mc")
        case $method in kinsolve|m2) extra=(--masses "$m");; esac
        [ "$card" = antler_toy ] && [ "$method" = m2 ] && extra=(--masses "$m")
        r="$OUT/${card}_${det}_${pairing}_${method}.npz"
        log=$($BIN estimate "$s" --method "$method" --pairing "$pairing" "${extra[@]}" --output "$r" 2>&1) || { echo "| $card | $det | $pairing | $method | FAILED: $(echo "$log" | tail -1) | | |"; continue; }
        python3 - "$r" "$card" "$det" "$pairing" "$method" "$log" <<'PY'
import sys, numpy as np, re
r, card, det, pairing, method, log = sys.argv[1:]
f = np.load(r)
est = [f"{k} {float(f[k]):.2f} ± {float(f[k + '_err']):.2f}" for k in ("M_D", "M_A", "M_B") if k in f.files]
handled = re.search(r"handled ([0-9.]+%)", log).group(1)
t = re.search(r"([0-9.e+-]+) s per event", log).group(1)
print(f"| {card} | {det} | {pairing} | {method} | {'<br>'.join(est) or ('– (masses are inputs)' if method == 'kinsolve' else '– (fit rejected: no estimate)')} | {handled} | {float(t)*1e6:.1f} µs |")
PY
      done
    done
  done
done
