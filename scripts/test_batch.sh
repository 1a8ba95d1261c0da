#!/usr/bin/env bash
# `make test-batch`: the batch path against a running Slurm. Starts a single-node Slurm on
# localhost (scripts/slurm_local.sh), submits a small sweep and a small sharded generation through
# the scripts `--emit slurm` writes, and checks
#   1. the assembled sweep summary equals a local `deelema sweep` (timings aside), and the merged
#      shards equal a local generate + merge byte for byte;
#   2. after one array task is cancelled on purpose, the follow-up does not assemble, `report` /
#      `merge` refuse naming what is missing, and the re-emitted script runs only the missing unit
#      and finishes the job with the same result.
# Stops the daemons it started; leaves its directory behind only on failure.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${DEELEMA:-$root/.build/release/deelema}
[ -x "$bin" ] || { echo "test-batch: no $bin; run 'make build' first" >&2; exit 1; }
start_time=$(date +%s)
# slurmd launches the job steps as the submitting user, which takes root (CI runs as root).
[ "$(id -u)" = 0 ] || { echo "test-batch: starts slurmctld and slurmd, which need root: run it as root (sudo make test-batch)" >&2; exit 1; }

missing=""
for p in slurm-wlm munge; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
    echo "test-batch: installing$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

work=$(mktemp -d /tmp/deelema-test-batch.XXXXXX)
cluster=$work/slurm
cleanup() {
    local status=$?
    "$root/scripts/slurm_local.sh" stop "$cluster" || true
    if [ $status -eq 0 ]; then rm -rf "$work"; else echo "test-batch: FAILED; files kept in $work" >&2; fi
}
trap cleanup EXIT
"$root/scripts/slurm_local.sh" start "$cluster"
# shellcheck disable=SC1091
source "$cluster/env"

fail() { echo "test-batch: FAIL: $*" >&2; exit 1; }
step() { echo "== $* ($(( $(date +%s) - start_time )) s)"; }

# Runs an emitted script from / (it must not depend on the current directory) and sets
# $array (or "none") and $follow from its last line.
submit() {
    local out
    out=$(cd / && bash "$1") || fail "submitting $1 failed: $out"
    echo "   $out"
    array=$(sed -n 's/^deelema: array job \([0-9a-z]*\) .*/\1/p' <<<"$out")
    follow=$(sed -n 's/.*follow-up job \([0-9]*\)$/\1/p' <<<"$out")
    [ -n "$array" ] && [ -n "$follow" ] || fail "cannot read the job ids from: $out"
}

# Waits until none of the given jobs (array tasks included) is pending or running.
wait_jobs() {
    local ids=$1 deadline=$(( $(date +%s) + 600 ))
    while [ -n "$(squeue -h -j "$ids" 2>/dev/null)" ]; do
        [ "$(date +%s)" -lt "$deadline" ] || { squeue; fail "jobs $ids still queued after 600 s"; }
        sleep 1
    done
}

job_state() { scontrol show job -o "$1" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | sort -u | tr '\n' ' ' | sed 's/ $//'; }
ids() { if [ "$array" = none ]; then echo "$follow"; else echo "$array,$follow"; fi; }

# Summary JSONs equal except the measured timings.
same_summary() {
    python3 - "$1" "$2" <<'PY'
import json, sys
def strip(x):
    if isinstance(x, dict): return {k: strip(v) for k, v in x.items() if k != "secondsPerEvent"}
    if isinstance(x, list): return [strip(v) for v in x]
    return x
a, b = (strip(json.load(open(p))) for p in sys.argv[1:3])
sys.exit(0 if a == b else 1)
PY
}

# Small on purpose: a few seconds per unit on 2 cores. One thread per task lets two run at once.
sweep_args=(--topology toy --events 2000 --methods mt2,endpoint --bootstrap 5 --smear-scale 0,1,2 --seed 3 --threads 1)
gen_args=(--topology toy --events 3000 --detector cms --seed 11 --shards 4 --threads 1)

step "local reference: sweep and generate + merge without Slurm"
"$bin" sweep "${sweep_args[@]}" --report "$work/local_sweep" >/dev/null
mkdir -p "$work/local_gen"
for k in 0 1 2 3; do
    "$bin" generate "${gen_args[@]}" --shard "$k" --output "$work/local_gen/s$k.npz" >/dev/null
done
"$bin" merge "$work"/local_gen/s{0,1,2,3}.npz --output "$work/local_gen/toy.npz" >/dev/null

step "round 1: sweep through Slurm"
"$bin" sweep "${sweep_args[@]}" --report "$work/sweep" --emit slurm > "$work/sweep1.sh"
grep -qx '#SBATCH --array=0-2' "$work/sweep1.sh" || fail "sweep script does not hold a 3-task array"
submit "$work/sweep1.sh"
wait_jobs "$(ids)"
[ "$(job_state "$follow")" = COMPLETED ] || fail "sweep report job $follow is $(job_state "$follow")"
same_summary "$work/sweep/summary.json" "$work/local_sweep/summary.json" || fail "Slurm sweep summary differs from the local one"
cmp -s "$work/sweep/summary.md" "$work/local_sweep/summary.md" || fail "summary.md differs from the local one"
echo "   summary equals the local sweep's (timings aside)"

step "round 1: sharded generation through Slurm"
mkdir -p "$work/gen"
"$bin" generate "${gen_args[@]}" --output "$work/gen/toy.npz" --emit slurm > "$work/gen1.sh"
grep -qx '#SBATCH --array=0-3' "$work/gen1.sh" || fail "generate script does not hold a 4-task array"
submit "$work/gen1.sh"
wait_jobs "$(ids)"
[ "$(job_state "$follow")" = COMPLETED ] || fail "merge job $follow is $(job_state "$follow")"
cmp "$work/gen/toy.npz" "$work/local_gen/toy.npz" || fail "merged shards differ from the local merge"
echo "   merged file equals the local merge byte for byte"

# Round 2: the partition is closed while the array is submitted, so that the task cancelled
# below has certainly not run yet (a toy shard takes well under a second).
cancel_one() { # script, task index
    scontrol update PartitionName=local State=DOWN
    submit "$1"
    scancel "${array}_$2"
    scontrol update PartitionName=local State=UP
    wait_jobs "$(ids)"
    local s; s=$(job_state "$follow")
    [ "$s" != COMPLETED ] || fail "follow-up $follow completed although task $2 was cancelled"
    echo "   task ${array}_$2 cancelled; follow-up $follow: $s"
}

step "round 2: sweep with one task cancelled, then re-emitted"
"$bin" sweep "${sweep_args[@]}" --report "$work/sweep2" --emit slurm > "$work/sweep2a.sh"
cancel_one "$work/sweep2a.sh" 1
[ ! -e "$work/sweep2/summary.json" ] || fail "a summary was assembled from an incomplete sweep"
expect=$(sed -n 's/.* --expect \([^ ]*\)$/\1/p' "$work/sweep2a.sh")
if out=$("$bin" report "$work/sweep2" --expect "$expect" 2>&1); then fail "report --expect accepted an incomplete sweep"; fi
grep -q "smear-1_pairing-unknown_isr-off" <<<"$out" || fail "report does not name the missing point: $out"
echo "   report refuses: $out"
"$bin" sweep "${sweep_args[@]}" --report "$work/sweep2" --emit slurm > "$work/sweep2b.sh"
grep -qx '#SBATCH --array=1' "$work/sweep2b.sh" || fail "re-emitted sweep script does not hold just task 1: $(grep -e --array "$work/sweep2b.sh")"
submit "$work/sweep2b.sh"
wait_jobs "$(ids)"
[ "$(job_state "$follow")" = COMPLETED ] || fail "re-emitted sweep report job $follow is $(job_state "$follow")"
same_summary "$work/sweep2/summary.json" "$work/local_sweep/summary.json" || fail "resumed Slurm sweep summary differs from the local one"
echo "   re-emitted script ran 1 task; summary equals the local sweep's"

step "round 2: sharded generation with one task cancelled, then re-emitted"
mkdir -p "$work/gen2"
"$bin" generate "${gen_args[@]}" --output "$work/gen2/toy.npz" --emit slurm > "$work/gen2a.sh"
cancel_one "$work/gen2a.sh" 2
[ ! -e "$work/gen2/toy.npz" ] || fail "a merged file was written from an incomplete set"
if out=$("$bin" merge "$work"/gen2/toy.shard{0,1,2,3}of4.npz --output "$work/gen2/toy.npz" 2>&1); then fail "merge accepted a missing shard"; fi
grep -q "toy.shard2of4.npz" <<<"$out" || fail "merge does not name the missing shard: $out"
[ ! -e "$work/gen2/toy.npz" ] || fail "refused merge left a file behind"
echo "   merge refuses: $out"
"$bin" generate "${gen_args[@]}" --output "$work/gen2/toy.npz" --emit slurm > "$work/gen2b.sh"
grep -qx '#SBATCH --array=2' "$work/gen2b.sh" || fail "re-emitted generate script does not hold just shard 2"
submit "$work/gen2b.sh"
wait_jobs "$(ids)"
[ "$(job_state "$follow")" = COMPLETED ] || fail "re-emitted merge job $follow is $(job_state "$follow")"
cmp "$work/gen2/toy.npz" "$work/local_gen/toy.npz" || fail "resumed merge differs from the local merge"
echo "   re-emitted script ran 1 task; merged file equals the local merge byte for byte"

step "test-batch passed"
