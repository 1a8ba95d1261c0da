#!/usr/bin/env bash
# Regenerates docs/results (the README "Results" section): a bench of every method on the ttbar
# and toy cards (CMS detector, unknown pairing) and a smearing sweep (5 scales x true/unknown
# pairing, every method) on each, and a calibration of the ttbar card. Sizes are environment
# variables; the defaults take about 20 minutes on 2 cores.
#   benchmarks/harness_results.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-docs/results}
EVENTS=${EVENTS:-20000}
SWEEP_EVENTS=${SWEEP_EVENTS:-10000}
SWEEP_METHODS=${SWEEP_METHODS:-all}
swift build -c release --product deelema $(make -s --no-print-directory release-flags) >/dev/null
BIN=.build/release/deelema
# The calibration of the README: 5 true top masses x PES pseudo-experiments of PE_EVENTS events,
# plus JES +-2 % at 172.5 GeV (resumable: finished points in the directory are kept).
PES=${PES:-10}
PE_EVENTS=${PE_EVENTS:-2000}
CAL_METHODS=${CAL_METHODS:-mt2,maos,massscan,nuweight,klfit,kinreco,m2,deelema}
$BIN calibrate --topology ttbar --masses 166.5,169.5,172.5,175.5,178.5 --pseudo-experiments "$PES" \
  --events-per-experiment "$PE_EVENTS" --detector cms --pairing unknown --methods "$CAL_METHODS" --seed 1 \
  --report "$OUT/calibration_ttbar"
for card in ttbar toy; do
  $BIN bench --topology $card --events "$EVENTS" --detector cms --pairing unknown --seed 1 --report "$OUT/bench_$card"
  $BIN sweep --topology $card --events "$SWEEP_EVENTS" --detector cms --smear-scale 0,0.5,1,2,3 --pairing true,unknown \
    --methods "$SWEEP_METHODS" --seed 1 --report "$OUT/sweep_$card"
done
# The resolution-aware kinematic fits assuming the nominal CMS resolution at every smearing
# scale (--fit-resolution cms:1): mis-modelled away from scale 1, their robustness to a wrong
# resolution model.
$BIN sweep --topology ttbar --events "$SWEEP_EVENTS" --detector cms --smear-scale 0,0.5,1,2,3 --pairing unknown \
  --methods nuweight,klfit,kinreco --fit-resolution cms:1 --seed 1 --report "$OUT/sweep_ttbar_fitres"
