#!/usr/bin/env bash
# Slurm submission emitted by:
#   deelema generate --topology ttbar --events 1000000 --detector cms --seed 42 --shards 10 --threads 8 --output /scratch/deelema/ttbar_10M.npz --emit slurm
# 10 of 10 units unfinished: shard0 shard1 shard2 shard3 shard4 shard5 shard6 shard7 shard8 shard9
# Run it from any directory: bash THIS_FILE. It submits one array task per unfinished unit
# (8 CPUs and 399 MiB each) and then `merge` as a job that starts only
# when every task succeeded. After a failed or cancelled task, emit again with the same
# command: finished units are left out.
set -euo pipefail
mkdir -p /scratch/deelema/ttbar_10M.logs
array=$(sbatch --parsable <<'TASKS'
#!/usr/bin/env bash
#SBATCH --job-name=deelema-generate-ttbar_10M
#SBATCH --array=0-9
#SBATCH --chdir=/scratch/deelema
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=8
#SBATCH --mem=399M
#SBATCH --output=/scratch/deelema/ttbar_10M.logs/deelema-generate-ttbar_10M_%a_%A.out
#SBATCH --error=/scratch/deelema/ttbar_10M.logs/deelema-generate-ttbar_10M_%a_%A.err
set -euo pipefail
case "$SLURM_ARRAY_TASK_ID" in
  0) # shard0
     exec /opt/deelema/bin/deelema generate --topology ttbar --events 1000000 --seed 42 --detector cms --smear-scale 1 --shard 0 --shards 10 --rng taus2 --format native --threads 8 --output /scratch/deelema/ttbar_10M.shard0of10.npz ;;
  1) # shard1
     exec /opt/deelema/bin/deelema generate --topology ttbar --events 1000000 --seed 42 --detector cms --smear-scale 1 --shard 1 --shards 10 --rng taus2 --format native --threads 8 --output /scratch/deelema/ttbar_10M.shard1of10.npz ;;
  2) # shard2
     exec /opt/deelema/bin/deelema generate --topology ttbar --events 1000000 --seed 42 --detector cms --smear-scale 1 --shard 2 --shards 10 --rng taus2 --format native --threads 8 --output /scratch/deelema/ttbar_10M.shard2of10.npz ;;
  3) # shard3
     exec /opt/deelema/bin/deelema generate --topology ttbar --events 1000000 --seed 42 --detector cms --smear-scale 1 --shard 3 --shards 10 --rng taus2 --format native --threads 8 --output /scratch/deelema/ttbar_10M.shard3of10.npz ;;
  4) # shard4
     exec /opt/deelema/bin/deelema generate --topology ttbar --events 1000000 --seed 42 --detector cms --smear-scale 1 --shard 4 --shards 10 --rng taus2 --format native --threads 8 --output /scratch/deelema/ttbar_10M.shard4of10.npz ;;
  5) # shard5
     exec /opt/deelema/bin/deelema generate --topology ttbar --events 1000000 --seed 42 --detector cms --smear-scale 1 --shard 5 --shards 10 --rng taus2 --format native --threads 8 --output /scratch/deelema/ttbar_10M.shard5of10.npz ;;
  6) # shard6
     exec /opt/deelema/bin/deelema generate --topology ttbar --events 1000000 --seed 42 --detector cms --smear-scale 1 --shard 6 --shards 10 --rng taus2 --format native --threads 8 --output /scratch/deelema/ttbar_10M.shard6of10.npz ;;
  7) # shard7
     exec /opt/deelema/bin/deelema generate --topology ttbar --events 1000000 --seed 42 --detector cms --smear-scale 1 --shard 7 --shards 10 --rng taus2 --format native --threads 8 --output /scratch/deelema/ttbar_10M.shard7of10.npz ;;
  8) # shard8
     exec /opt/deelema/bin/deelema generate --topology ttbar --events 1000000 --seed 42 --detector cms --smear-scale 1 --shard 8 --shards 10 --rng taus2 --format native --threads 8 --output /scratch/deelema/ttbar_10M.shard8of10.npz ;;
  9) # shard9
     exec /opt/deelema/bin/deelema generate --topology ttbar --events 1000000 --seed 42 --detector cms --smear-scale 1 --shard 9 --shards 10 --rng taus2 --format native --threads 8 --output /scratch/deelema/ttbar_10M.shard9of10.npz ;;
  *) echo "no unit with index $SLURM_ARRAY_TASK_ID in this submission" >&2; exit 2 ;;
esac
TASKS
)
array=${array%%;*}  # --parsable may append ';cluster'
follow=$(sbatch --dependency=afterok:$array --kill-on-invalid-dep=yes --parsable --job-name=deelema-generate-ttbar_10M-merge --chdir=/scratch/deelema --ntasks=1 --cpus-per-task=1 --mem=2048M --output=/scratch/deelema/ttbar_10M.logs/deelema-generate-ttbar_10M-merge_%j.out --error=/scratch/deelema/ttbar_10M.logs/deelema-generate-ttbar_10M-merge_%j.err <<'FOLLOWUP'
#!/usr/bin/env bash
exec /opt/deelema/bin/deelema merge /scratch/deelema/ttbar_10M.shard0of10.npz /scratch/deelema/ttbar_10M.shard1of10.npz /scratch/deelema/ttbar_10M.shard2of10.npz /scratch/deelema/ttbar_10M.shard3of10.npz /scratch/deelema/ttbar_10M.shard4of10.npz /scratch/deelema/ttbar_10M.shard5of10.npz /scratch/deelema/ttbar_10M.shard6of10.npz /scratch/deelema/ttbar_10M.shard7of10.npz /scratch/deelema/ttbar_10M.shard8of10.npz /scratch/deelema/ttbar_10M.shard9of10.npz --output /scratch/deelema/ttbar_10M.npz
FOLLOWUP
)
echo "deelema: array job $array (10 tasks), follow-up job ${follow%%;*}"
