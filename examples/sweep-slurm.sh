#!/bin/bash
# A sweep as a Slurm job array: each array task runs one shard of the grid, and a job that
# waits for the whole array merges them into the grid one `bnlab-run --sweep` would write,
# byte for byte. Submit from the folder holding sweep.json:
#
#   mkdir -p shards
#   jobid=$(sbatch --parsable examples/sweep-slurm.sh)
#   sbatch --dependency=afterok:$jobid --wrap 'bnlab-run --merge shards/*.json > grid.json'
#
# Change --array to the number of shards you want (0-15: 16 shards); a shard is every N-th
# cell, so shards take about as long as each other.
#SBATCH --job-name=bnlab-sweep
#SBATCH --array=0-15
#SBATCH --cpus-per-task=1
#SBATCH --time=01:00:00
#SBATCH --output=shards/%a.log
set -euo pipefail
bnlab-run --sweep sweep.json --threads "$SLURM_CPUS_PER_TASK" \
  --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" >"shards/$SLURM_ARRAY_TASK_ID.json"
