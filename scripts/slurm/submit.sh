#!/usr/bin/env bash
# Submits the search as a Slurm job array of N shards and a merge job that runs once every
# shard has succeeded (--dependency=afterok). Prints the two job ids.
#
#   LT_BIN=/path/to/.build/release LT_OUTPUT=/path/to/output scripts/slurm/submit.sh N [chapter options]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shards="${1:?usage: submit.sh N [chapter options]}"
shift
: "${LT_BIN:?set LT_BIN to the folder holding chapter-hyperparameters}"
: "${LT_OUTPUT:?set LT_OUTPUT to the output folder}"
array=$(sbatch --parsable --array="1-$shards" "$here/search-array.sbatch" "$@")
merge=$(sbatch --parsable --dependency="afterok:$array" "$here/search-merge.sbatch" "$shards" "$@")
echo "$array $merge"
