#!/usr/bin/env bash
# bnlab-run's sweep commands: the output does not depend on --threads or on --shard (merged
# shards equal the unsharded run byte for byte, as JSON and as CSV), a merge missing a shard
# names the missing cell, and bad arguments or sweep files are refused with the right exit code;
# the batch-mean spread's old option --sweep-batches is refused naming its new one.
#
#   sweep_cli_test.sh PATH/TO/bnlab-run
set -euo pipefail

run=$(realpath "${1:?usage: sweep_cli_test.sh PATH/TO/bnlab-run}")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Runs bnlab-run with the arguments, which must succeed.
must() {
  "$run" "$@" || fail "bnlab-run $* exits $?"
}

# Runs bnlab-run with the arguments; sets $status, stdout in out.txt, stderr in err.txt.
try() {
  status=0
  "$run" "$@" >out.txt 2>err.txt || status=$?
}

cat >sweep.json <<'EOF'
{"base": {"dataset": "circle", "hidden": [8, 8], "activation": "tanh", "samples": 200,
          "arms": ["plain", "bn-before", "bn-noisy", "dropout"]},
 "x": {"field": "learningRate", "values": [0.1, 1, 10]},
 "y": {"field": "initStd", "values": [0.1, 1]},
 "steps": 200}
EOF

must --sweep sweep.json --threads 1 >one.json
must --sweep sweep.json --threads 2 >two.json
cmp one.json two.json || fail "--threads 1 and --threads 2 give different output"
grep -q '"cells":\[{"index":0,' one.json || fail "the sweep's JSON has no cell 0: $(head -c 300 one.json)"

for i in 0 1 2; do must --sweep sweep.json --shard "$i/3" >"shard$i.json"; done
grep -q '"shard":{"index":1,"count":3}' shard1.json || fail "shard 1/3 does not say which shard it is"
must --merge shard0.json shard1.json shard2.json >merged.json
cmp merged.json one.json || fail "shards 0/3, 1/3, 2/3 merged differ from the unsharded sweep"
must --merge shard2.json shard0.json shard1.json >merged-any-order.json
cmp merged-any-order.json one.json || fail "the merge depends on the order of the shards"

must --sweep sweep.json --csv >one.csv
must --merge --csv shard0.json shard1.json shard2.json >merged.csv
cmp merged.csv one.csv || fail "--merge --csv differs from --sweep --csv"
header="index,learningRate,initStd,arm,testAccuracy,testLoss,trainAccuracy,trainLoss,divergedAt"
[[ $(head -n 1 one.csv) == "$header" ]] || fail "CSV header is $(head -n 1 one.csv)"
rows=$(($(wc -l <one.csv) - 1))
((rows == 24)) || fail "CSV has $rows data rows, not 6 cells x 4 arms = 24"

try --merge shard0.json shard2.json
((status == 1)) || fail "merging shards 0 and 2 of 3 exits $status, not 1"
grep -q "cell 1 is in no shard" err.txt || fail "merging without shard 1 says: $(cat err.txt)"
[[ ! -s out.txt ]] || fail "a failed merge wrote output"

try --merge shard0.json shard0.json shard1.json shard2.json
((status == 1)) || fail "merging shard 0 twice exits $status, not 1"
grep -q "cell 0 is in two shards" err.txt || fail "merging shard 0 twice says: $(cat err.txt)"

for bad in 3/3 -1/3 1/0 1 a/3; do
  try --sweep sweep.json --shard "$bad"
  ((status == 2)) || fail "--shard $bad exits $status, not 2 (usage error)"
  grep -q -- "--shard must be I/N" err.txt || fail "--shard $bad says: $(cat err.txt)"
done
try --sweep sweep.json --threads 0
((status == 2)) || fail "--threads 0 exits $status, not 2 (usage error)"

echo '{"x": {"field": "learningRate", "values": [0.1, 5000]}}' >bad.json
try --sweep bad.json
((status == 1)) || fail "an out-of-range learning rate exits $status, not 1"
grep -q "x.values: item 2 is 5000: learningRate" err.txt || fail "the refusal says: $(cat err.txt)"
[[ ! -s out.txt ]] || fail "a refused sweep wrote output"

echo '{"x": {"field": "hidden", "values": [8]}}' >bad-field.json
try --sweep bad-field.json
((status == 1)) || fail "a non-sweepable field exits $status, not 1"
grep -q 'x.field: .*got "hidden"' err.txt || fail "the refusal says: $(cat err.txt)"

try --steps 1 --sweep-batches 2 - </dev/null
((status == 2)) || fail "--sweep-batches exits $status, not 2 (usage error)"
grep -q -- "--sweep-batches is now --spread-batches (the batch-mean spread; --sweep runs a grid)" err.txt ||
  fail "--sweep-batches says: $(cat err.txt)"
[[ ! -s out.txt ]] || fail "--sweep-batches wrote output"
echo '{"hidden": [4], "arms": ["bn-before"]}' >small.json
must --steps 2 --spread-batches 2 small.json >spread.json
grep -q '"batchMeanSpread":{"batchSize":\[4,8,16,32,64,128\]' spread.json ||
  fail "--spread-batches gives no batchMeanSpread: $(head -c 300 spread.json)"

must --default-sweep >default.json
grep -q '"x":{"field":"learningRate","values":\[0.03,0.1,0.3,1,3,10,30\]}' default.json ||
  fail "--default-sweep is $(cat default.json)"

echo "sweep CLI: all checks passed"
