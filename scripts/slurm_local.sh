#!/usr/bin/env bash
# A throw-away single-node Slurm on localhost for `make test-batch`: munged, slurmctld and slurmd
# from Debian's packages, all state, sockets, logs and pid files under one directory, no files
# outside it touched (SLURM_CONF points the client commands at it).
#
#   scripts/slurm_local.sh start DIR   # writes DIR/env (source it: SLURM_CONF), starts the daemons
#   scripts/slurm_local.sh stop DIR    # stops the daemons started by `start DIR`, by their pids
set -euo pipefail

cmd=${1:?usage: slurm_local.sh start|stop DIR}
dir=${2:?usage: slurm_local.sh start|stop DIR}
# Ports away from the defaults so that a real Slurm on the machine is not disturbed.
ctld_port=${SLURM_LOCAL_CTLD_PORT:-16817}
slurmd_port=${SLURM_LOCAL_SLURMD_PORT:-16818}

stop() {
    for d in slurmd slurmctld munged; do
        local f="$dir/$d.pid"
        [ -s "$f" ] || continue
        local pid; pid=$(cat "$f")
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$f"
    done
}

start() {
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
    chmod 700 "$dir/munge"
    # A fresh key for this cluster only.
    head -c 1024 /dev/urandom > "$dir/munge/munge.key"
    chmod 400 "$dir/munge/munge.key"
    munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
        --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munge.seed"
    for _ in $(seq 50); do [ -S "$dir/munge/munge.socket" ] && break; sleep 0.1; done
    [ -S "$dir/munge/munge.socket" ] || { echo "munged did not start; see $dir/log/munged.log" >&2; cat "$dir/log/munged.log" >&2; exit 1; }

    # The node as slurmd sees it (CPUs, sockets, cores, memory), under this machine's short name.
    local node; node=$(slurmd -C | head -1)
    local name; name=$(hostname -s)
    node=$(sed "s/^NodeName=[^ ]*/NodeName=$name NodeAddr=127.0.0.1/" <<<"$node")
    cat > "$dir/slurm.conf" <<CONF
ClusterName=deelema-test
SlurmctldHost=$name(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=600
$node State=UNKNOWN
PartitionName=local Nodes=$name Default=YES MaxTime=INFINITE State=UP
CONF
    echo "export SLURM_CONF=$dir/slurm.conf" > "$dir/env"
    export SLURM_CONF="$dir/slurm.conf"
    slurmctld -c -f "$SLURM_CONF"
    slurmd -f "$SLURM_CONF" -N "$name"
    # Ready when the node is idle.
    for _ in $(seq 100); do
        state=$(sinfo -h -N -o %t 2>/dev/null | head -1 || true)
        [ "$state" = idle ] && { echo "slurm up: node $name ($(sinfo -h -N -o '%c CPUs, %m MB'))"; return 0; }
        sleep 0.3
    done
    echo "slurm did not come up (node state '$state'); logs in $dir/log" >&2
    tail -20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
    stop
    exit 1
}

case "$cmd" in
    start) start ;;
    stop) dir=$(cd "$dir" 2>/dev/null && pwd) || exit 0; stop ;;
    *) echo "usage: slurm_local.sh start|stop DIR" >&2; exit 2 ;;
esac
