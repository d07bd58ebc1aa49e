#!/usr/bin/env bash
# examples/sweep-parallel.sh: a sweep sharded by GNU parallel (Debian's `parallel`) and merged
# equals the unsharded grid byte for byte, in 3 shards and in 5 (more shards than some rows);
# the Slurm example is valid bash and shards the same way.
#
#   parallel_sweep_test.sh PATH/TO/bnlab-run SOURCE_DIR
set -euo pipefail
run=$(realpath "${1:?usage: parallel_sweep_test.sh PATH/TO/bnlab-run SOURCE_DIR}")
root=$(realpath "${2:?usage: parallel_sweep_test.sh PATH/TO/bnlab-run SOURCE_DIR}")
command -v parallel >/dev/null || { echo "FAIL: GNU parallel is missing (apt-get install parallel)" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"

cat >sweep.json <<'JSON'
{"base": {"dataset": "circle", "hidden": [8, 8], "samples": 200, "arms": ["plain", "bn-before", "dropout"]},
 "x": {"field": "learningRate", "values": [0.1, 1, 10]},
 "y": {"field": "batchSize", "values": [4, 16]},
 "steps": 150}
JSON

"$run" --sweep sweep.json --threads 2 >whole.json
for shards in 3 5; do
  BNLAB_RUN=$run bash "$root/examples/sweep-parallel.sh" sweep.json "$shards" >merged.json
  cmp whole.json merged.json || { echo "FAIL: $shards shards merged differ from the whole grid" >&2; exit 1; }
done
grep -q '"cells":\[{"index":0' whole.json || { echo "FAIL: no grid in the output" >&2; exit 1; }
bash -n "$root/examples/sweep-slurm.sh" || { echo "FAIL: sweep-slurm.sh is not valid bash" >&2; exit 1; }
echo "parallel sweep: 3 and 5 shards merged equal the whole grid byte for byte"
