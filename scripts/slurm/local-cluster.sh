#!/usr/bin/env bash
# A real run of the sharded hyperparameter search on Slurm, on this machine: starts a one-node
# cluster from Debian's munge and slurm packages (installed when missing); submits with submit.sh
# first the whole search (its independent first stage as a job array, then a job that gathers it
# and writes the report), then Hyperband alone (each rung a job array, each waiting with afterok
# for the job that gathered the rung before); checks each merged result against an unsharded run
# of the same options; and stops the daemons it started, by their PIDs.
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
mkdir -p "$work/state" "$work/spool" "$work/log" "$work/jobs"
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
# run_search NAME STAGES [options]: the search through the cluster into $work/NAME, then unsharded
# into $work/NAME-unsharded, and a check that the two results.json hold the same numbers.
run_search() {
    local name="$1" stages="$2"
    shift 2
    read -r -a ids < <(LT_BIN="$bin" LT_OUTPUT="$work/$name" "$here/submit.sh" "$shards" "$stages" "$@")
    say "$name: submitted ${#ids[@]} jobs for $stages stage(s) of $shards shards, each waiting (afterok) for the one before: ${ids[*]}"
    local started_at
    started_at=$(date +%s)
    while [ -n "$(squeue -h -j "$(IFS=,; echo "${ids[*]}")" -o %i 2>/dev/null)" ]; do
        [ $(( $(date +%s) - started_at )) -lt 1800 ] || fail "the jobs did not finish within 30 minutes"
        sleep 1
    done
    say "$name: jobs finished after $(( $(date +%s) - started_at )) s"
    for k in $(seq 1 "$stages"); do
        for i in $(seq 1 "$shards"); do
            [ -s "$work/$name/hyperparameters/stage-$k-shard-$i-of-$shards.json" ] || fail "$name: shard $i of stage $k wrote nothing (see $work/jobs)"
        done
    done
    [ -s "$work/$name/hyperparameters/results.json" ] || fail "$name: the last job wrote no report: $(cat "$work/jobs"/lt-merge-*.out 2>/dev/null | tail -3)"
    "$bin/chapter-hyperparameters" --output "$work/$name-unsharded" "$@" >/dev/null
    python3 - "$name" "$work/$name/hyperparameters/results.json" "$work/$name-unsharded/hyperparameters/results.json" <<'PY'
import json, sys
def numbers(path):
    results = json.load(open(path))
    return results["series"], results["summary"], results.get("trials")
name, merged, whole = sys.argv[1], numbers(sys.argv[2]), numbers(sys.argv[3])
if merged != whole:
    sys.exit(f"slurm-demo: error: {name}: the merged results differ from the unsharded run")
print(f"slurm-demo: {name}: merged results equal the unsharded run: {len(merged[0])} series, "
      f"{len(merged[2] or [])} trials, {len(merged[1]['claims'])} claims")
PY
}

# The whole search with its independent first stage spread over the cluster, then Hyperband alone,
# every rung a job array of its own.
run_search search 1 "${options[@]}"
rungs=$("$bin/chapter-hyperparameters" --method hyperband --stages "${options[@]}")
run_search hyperband "$rungs" --method hyperband "${options[@]}"
say "reports: $work/search/hyperparameters/README.md, $work/hyperband/hyperparameters/README.md"
