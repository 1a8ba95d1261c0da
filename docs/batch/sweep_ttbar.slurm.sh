#!/usr/bin/env bash
# Slurm submission emitted by:
#   deelema sweep --topology ttbar --smear-scale 0,0.5,1,2,3 --pairing true,unknown --events 20000 --threads 8 --report /scratch/deelema/sweep_ttbar --emit slurm
# 10 of 10 units unfinished: smear-0_pairing-true_isr-off smear-0_pairing-unknown_isr-off smear-0.5_pairing-true_isr-off smear-0.5_pairing-unknown_isr-off smear-1_pairing-true_isr-off smear-1_pairing-unknown_isr-off smear-2_pairing-true_isr-off smear-2_pairing-unknown_isr-off smear-3_pairing-true_isr-off smear-3_pairing-unknown_isr-off
# Run it from any directory: bash THIS_FILE. It submits one array task per unfinished unit
# (8 CPUs and 423 MiB each) and then `report` as a job that starts only
# when every task succeeded. After a failed or cancelled task, emit again with the same
# command: finished units are left out.
set -euo pipefail
mkdir -p /scratch/deelema/sweep_ttbar/logs
array=$(sbatch --parsable <<'TASKS'
#!/usr/bin/env bash
#SBATCH --job-name=deelema-sweep
#SBATCH --array=0-9
#SBATCH --chdir=/scratch/deelema/sweep_ttbar
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=8
#SBATCH --mem=423M
#SBATCH --output=/scratch/deelema/sweep_ttbar/logs/deelema-sweep_%a_%A.out
#SBATCH --error=/scratch/deelema/sweep_ttbar/logs/deelema-sweep_%a_%A.err
set -euo pipefail
case "$SLURM_ARRAY_TASK_ID" in
  0) # smear-0_pairing-true_isr-off
     exec /opt/deelema/bin/deelema bench --topology ttbar --events 20000 --detector cms --smear-scale 0 --pairing true --no-isr --methods all --seed 1 --test-fraction 0.5 --bootstrap 30 --deelema-epochs 30 --deelema-batch 128 --deelema-hidden 128 --deelema-layers 3 --threads 8 --report /scratch/deelema/sweep_ttbar/points/smear-0_pairing-true_isr-off ;;
  1) # smear-0_pairing-unknown_isr-off
     exec /opt/deelema/bin/deelema bench --topology ttbar --events 20000 --detector cms --smear-scale 0 --pairing unknown --no-isr --methods all --seed 1 --test-fraction 0.5 --bootstrap 30 --deelema-epochs 30 --deelema-batch 128 --deelema-hidden 128 --deelema-layers 3 --threads 8 --report /scratch/deelema/sweep_ttbar/points/smear-0_pairing-unknown_isr-off ;;
  2) # smear-0.5_pairing-true_isr-off
     exec /opt/deelema/bin/deelema bench --topology ttbar --events 20000 --detector cms --smear-scale 0.5 --pairing true --no-isr --methods all --seed 1 --test-fraction 0.5 --bootstrap 30 --deelema-epochs 30 --deelema-batch 128 --deelema-hidden 128 --deelema-layers 3 --threads 8 --report /scratch/deelema/sweep_ttbar/points/smear-0.5_pairing-true_isr-off ;;
  3) # smear-0.5_pairing-unknown_isr-off
     exec /opt/deelema/bin/deelema bench --topology ttbar --events 20000 --detector cms --smear-scale 0.5 --pairing unknown --no-isr --methods all --seed 1 --test-fraction 0.5 --bootstrap 30 --deelema-epochs 30 --deelema-batch 128 --deelema-hidden 128 --deelema-layers 3 --threads 8 --report /scratch/deelema/sweep_ttbar/points/smear-0.5_pairing-unknown_isr-off ;;
  4) # smear-1_pairing-true_isr-off
     exec /opt/deelema/bin/deelema bench --topology ttbar --events 20000 --detector cms --smear-scale 1 --pairing true --no-isr --methods all --seed 1 --test-fraction 0.5 --bootstrap 30 --deelema-epochs 30 --deelema-batch 128 --deelema-hidden 128 --deelema-layers 3 --threads 8 --report /scratch/deelema/sweep_ttbar/points/smear-1_pairing-true_isr-off ;;
  5) # smear-1_pairing-unknown_isr-off
     exec /opt/deelema/bin/deelema bench --topology ttbar --events 20000 --detector cms --smear-scale 1 --pairing unknown --no-isr --methods all --seed 1 --test-fraction 0.5 --bootstrap 30 --deelema-epochs 30 --deelema-batch 128 --deelema-hidden 128 --deelema-layers 3 --threads 8 --report /scratch/deelema/sweep_ttbar/points/smear-1_pairing-unknown_isr-off ;;
  6) # smear-2_pairing-true_isr-off
     exec /opt/deelema/bin/deelema bench --topology ttbar --events 20000 --detector cms --smear-scale 2 --pairing true --no-isr --methods all --seed 1 --test-fraction 0.5 --bootstrap 30 --deelema-epochs 30 --deelema-batch 128 --deelema-hidden 128 --deelema-layers 3 --threads 8 --report /scratch/deelema/sweep_ttbar/points/smear-2_pairing-true_isr-off ;;
  7) # smear-2_pairing-unknown_isr-off
     exec /opt/deelema/bin/deelema bench --topology ttbar --events 20000 --detector cms --smear-scale 2 --pairing unknown --no-isr --methods all --seed 1 --test-fraction 0.5 --bootstrap 30 --deelema-epochs 30 --deelema-batch 128 --deelema-hidden 128 --deelema-layers 3 --threads 8 --report /scratch/deelema/sweep_ttbar/points/smear-2_pairing-unknown_isr-off ;;
  8) # smear-3_pairing-true_isr-off
     exec /opt/deelema/bin/deelema bench --topology ttbar --events 20000 --detector cms --smear-scale 3 --pairing true --no-isr --methods all --seed 1 --test-fraction 0.5 --bootstrap 30 --deelema-epochs 30 --deelema-batch 128 --deelema-hidden 128 --deelema-layers 3 --threads 8 --report /scratch/deelema/sweep_ttbar/points/smear-3_pairing-true_isr-off ;;
  9) # smear-3_pairing-unknown_isr-off
     exec /opt/deelema/bin/deelema bench --topology ttbar --events 20000 --detector cms --smear-scale 3 --pairing unknown --no-isr --methods all --seed 1 --test-fraction 0.5 --bootstrap 30 --deelema-epochs 30 --deelema-batch 128 --deelema-hidden 128 --deelema-layers 3 --threads 8 --report /scratch/deelema/sweep_ttbar/points/smear-3_pairing-unknown_isr-off ;;
  *) echo "no unit with index $SLURM_ARRAY_TASK_ID in this submission" >&2; exit 2 ;;
esac
TASKS
)
array=${array%%;*}  # --parsable may append ';cluster'
follow=$(sbatch --dependency=afterok:$array --kill-on-invalid-dep=yes --parsable --job-name=deelema-sweep-report --chdir=/scratch/deelema/sweep_ttbar --ntasks=1 --cpus-per-task=1 --mem=2048M --output=/scratch/deelema/sweep_ttbar/logs/deelema-sweep-report_%j.out --error=/scratch/deelema/sweep_ttbar/logs/deelema-sweep-report_%j.err <<'FOLLOWUP'
#!/usr/bin/env bash
exec /opt/deelema/bin/deelema report /scratch/deelema/sweep_ttbar --expect smear-0_pairing-true_isr-off,smear-0_pairing-unknown_isr-off,smear-0.5_pairing-true_isr-off,smear-0.5_pairing-unknown_isr-off,smear-1_pairing-true_isr-off,smear-1_pairing-unknown_isr-off,smear-2_pairing-true_isr-off,smear-2_pairing-unknown_isr-off,smear-3_pairing-true_isr-off,smear-3_pairing-unknown_isr-off
FOLLOWUP
)
echo "deelema: array job $array (10 tasks), follow-up job ${follow%%;*}"
