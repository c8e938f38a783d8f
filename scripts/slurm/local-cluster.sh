#!/usr/bin/env bash
# A real run of the sharded hyperparameter search on Slurm, on this machine: starts a one-node
# cluster from Debian's munge and slurm packages (installed when missing), submits the job array
# and the merge job with submit.sh, waits for both, checks the merged results against an
# unsharded run of the same options, and stops the daemons it started, by their PIDs.
#
#   scripts/slurm/local-cluster.sh [N] [chapter options]      (default: 4 shards, --quick)
#
# The shards and the unsharded run both train every trial (--no-cache is added), so the
# comparison is between two real computations, not two readings of the same cache.
#
# Needs root (it installs packages and starts daemons). `make slurm-demo` runs it.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shards="${1:-4}"
[ $# -gt 0 ] && shift
options=("$@")
[ ${#options[@]} -gt 0 ] || options=(--quick)
options+=(--no-cache)

say() { printf 'slurm-demo: %s\n' "$*"; }
fail() { printf 'slurm-demo: error: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root: it installs packages and starts the munge and Slurm daemons"

# 1. Packages (Debian 12: Slurm 22.05).
missing=""
for package in slurmctld slurmd slurm-client munge; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
    say "installing$missing"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

bin="$root/.build/release"
[ -x "$bin/chapter-hyperparameters" ] || fail "$bin/chapter-hyperparameters is missing: run 'make build' first"

# 2. A private cluster folder: configuration, state, spool, logs, the jobs' output.
work="$(mktemp -d /tmp/lt-slurm.XXXXXX)"
chmod 755 "$work"
mkdir -p "$work/state" "$work/spool" "$work/log" "$work/output" "$work/jobs"
chown slurm:slurm "$work/state" "$work/log"
host="$(hostname -s)"
cpus="$(nproc)"
memory=$(( $(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) * 9 / 10 ))
cat > "$work/slurm.conf" <<CONF
ClusterName=learning-techniques
SlurmctldHost=$host(127.0.0.1)
SlurmUser=slurm
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
SchedulerParameters=batch_sched_delay=0
ReturnToService=2
MailProg=/bin/true
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"

# Daemons this script started, stopped on the way out whatever happens.
started=()
stop() {
    for entry in "${started[@]}"; do
        local pid="${entry%%:*}" name="${entry#*:}"
        # Trust a PID only while it still names the program this script started.
        if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then kill "$pid" 2>/dev/null || true; fi
    done
    for entry in "${started[@]}"; do
        local pid="${entry%%:*}" name="${entry#*:}"
        for _ in $(seq 50); do [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] || break; sleep 0.1; done
    done
    [ ${#started[@]} -eq 0 ] || say "stopped ${#started[@]} daemons"
}
trap stop EXIT

pid_of() {  # the PID in pid file $1, once the program $2 runs under it
    for _ in $(seq 100); do
        if [ -s "$1" ] && [ "$(cat "/proc/$(cat "$1")/comm" 2>/dev/null)" = "$2" ]; then cat "$1"; return 0; fi
        sleep 0.1
    done
    return 1
}

# 3. munge: Debian's package made the key; without systemd the daemon is started by hand.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    mkdir -p /run/munge && chown munge:munge /run/munge && chmod 755 /run/munge
    runuser -u munge -- /usr/sbin/munged
    pid=$(pid_of /run/munge/munged.pid munged) || fail "munged did not start"
    started+=("$pid:munged")
fi
munge -n | unmunge | grep -q "STATUS: *Success" || fail "munge does not authenticate"

# 4. Slurm: the controller and the one node.
/usr/sbin/slurmctld -f "$SLURM_CONF"
pid=$(pid_of "$work/slurmctld.pid" slurmctld) || fail "slurmctld did not start (see $work/log/slurmctld.log)"
started+=("$pid:slurmctld")
/usr/sbin/slurmd -f "$SLURM_CONF"
pid=$(pid_of "$work/slurmd.pid" slurmd) || fail "slurmd did not start (see $work/log/slurmd.log)"
started+=("$pid:slurmd")
for _ in $(seq 100); do
    [ "$(sinfo -h -n "$host" -o %t 2>/dev/null)" = "idle" ] && break
    sleep 0.2
done
[ "$(sinfo -h -n "$host" -o %t)" = "idle" ] || fail "node $host is not idle: $(sinfo -h -n "$host" -o '%t %E')"
say "cluster up: node $host, $cpus CPUs ($(sinfo --version))"

# 5. The search: the array of shards, then the merge once they all succeeded.
cd "$work/jobs"
read -r array merge < <(LT_BIN="$bin" LT_OUTPUT="$work/output" "$here/submit.sh" "$shards" "${options[@]}")
say "submitted array job $array ($shards shards) and merge job $merge (afterok:$array)"
started_at=$(date +%s)
while [ -n "$(squeue -h -j "$array,$merge" -o %i 2>/dev/null)" ]; do
    [ $(( $(date +%s) - started_at )) -lt 1800 ] || fail "the jobs did not finish within 30 minutes"
    sleep 1
done
say "jobs finished after $(( $(date +%s) - started_at )) s"
for i in $(seq 1 "$shards"); do
    [ -s "$work/output/hyperparameters/shard-$i-of-$shards.json" ] || fail "shard $i of $shards wrote nothing (see $work/jobs)"
done
[ -s "$work/output/hyperparameters/results.json" ] || fail "the merge job wrote no report: $(cat "$work/jobs"/lt-merge-*.out 2>/dev/null | tail -3)"

# 6. The same search unsharded, here, and the two results compared number for number.
"$bin/chapter-hyperparameters" --output "$work/unsharded" "${options[@]}" >/dev/null
python3 - "$work/output/hyperparameters/results.json" "$work/unsharded/hyperparameters/results.json" <<'PY'
import json, sys
def numbers(path):
    results = json.load(open(path))
    results["summary"].pop("wall_time_seconds", None)
    return results["series"], results["summary"]
merged, whole = numbers(sys.argv[1]), numbers(sys.argv[2])
if merged != whole:
    sys.exit("slurm-demo: error: the merged results differ from the unsharded run")
print(f"slurm-demo: merged results equal the unsharded run: {len(merged[0])} series, "
      f"{len(merged[1]['trials'])} trials, {len(merged[1]['claims'])} claims")
PY
say "report: $work/output/hyperparameters/README.md"
