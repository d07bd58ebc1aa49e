#!/usr/bin/env bash
# A sweep split into shards that GNU parallel runs side by side (on this machine, or on others
# with parallel's --sshlogin), then merged: the same grid, byte for byte, as one
# `bnlab-run --sweep` (tests/cpp/parallel_sweep_test.sh checks it).
#
#   examples/sweep-parallel.sh SWEEP.json [SHARDS] > grid.json
#
# BNLAB_RUN names bnlab-run (default: build/native/bnlab-run); extra options for every shard
# (say --data-csv FILE.csv) go in BNLAB_ARGS.
set -euo pipefail
sweep=${1:?usage: sweep-parallel.sh SWEEP.json [SHARDS] > grid.json}
shards=${2:-4}
run=${BNLAB_RUN:-build/native/bnlab-run}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# One job a shard, each on one thread; a failing shard stops the rest.
# shellcheck disable=SC2086
parallel --halt now,fail=1 "$run" --sweep "$sweep" ${BNLAB_ARGS:-} --threads 1 --shard {}/"$shards" \
  '>' "$dir/shard-{}.json" ::: $(seq 0 $((shards - 1)))
"$run" --merge "$dir"/shard-*.json
