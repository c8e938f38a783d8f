#!/usr/bin/env bash
# Submits the search to Slurm, stage by stage: for each of its first K stages a job array of N
# shards, each stage's array waiting (afterok) for the job that gathered the stage before it;
# then one job that gathers the last stage, trains whatever the search still needs and writes the
# report. With K = 1 (the default) only the independent first stage is spread over the cluster.
# Prints the job ids in order.
#
#   LT_BIN=/path/to/.build/release LT_OUTPUT=/path/to/output scripts/slurm/submit.sh N [K] [chapter options]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shards="${1:?usage: submit.sh N [K] [chapter options]}"
shift
stages=1
if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then stages="$1"; shift; fi
: "${LT_BIN:?set LT_BIN to the folder holding chapter-hyperparameters}"
: "${LT_OUTPUT:?set LT_OUTPUT to the output folder}"
ids=()
after=()
dependency=()
for k in $(seq 1 "$stages"); do
    array=$(sbatch --parsable "${dependency[@]}" --array="1-$shards" "$here/search-array.sbatch" "${after[@]}" "$@")
    what=stage
    [ "$k" = "$stages" ] && what=report
    gather=$(sbatch --parsable --dependency="afterok:$array" "$here/search-merge.sbatch" "$what" "$shards" "$k" "${after[@]}" "$@")
    ids+=("$array" "$gather")
    after=(--after "$LT_OUTPUT/hyperparameters/stage-$k.json")
    dependency=(--dependency="afterok:$gather")
done
echo "${ids[@]}"
