#!/usr/bin/env bash
# bnlab-run's conventions: --help prints the usage with every option on a line of its own and
# exits 0; --version prints package.json's version; a wrong option exits 2 with the usage;
# --data-csv trains on a table (a run and a sweep), is the data set when the configuration
# names none and is refused beside another data set; a refused table names the file, the row and the column
# (exit 1); --export writes a script Python compiles and a notebook that is JSON.
#
#   cli_test.sh PATH/TO/bnlab-run SOURCE_DIR
set -euo pipefail
run=$(realpath "${1:?usage: cli_test.sh PATH/TO/bnlab-run SOURCE_DIR}")
root=$(realpath "${2:?usage: cli_test.sh PATH/TO/bnlab-run SOURCE_DIR}")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$run" --help >help.txt || fail "--help exits $?"
grep -q '^usage: bnlab-run' help.txt || fail "--help prints no usage"
# Every option the parser reads (its string literals in bnlab_run.cpp) has its line in --help.
for option in $(grep -o '"--[a-z-]*"' "$root/cpp/tools/bnlab_run.cpp" | tr -d '"' | sort -u); do
  [[ $option == --sweep-batches ]] && continue # refused, naming its successor
  grep -qE "^  $option( |$)" help.txt || fail "--help has no line for $option"
done

version=$(node -p "require('$root/package.json').version")
[[ $("$run" --version) == "bnlab-run $version" ]] || fail "--version is not bnlab-run $version"

status=0
"$run" --no-such-option 2>err.txt || status=$?
[[ $status == 2 ]] || fail "an unknown option exits $status, not 2"
grep -q '^usage: bnlab-run' err.txt || fail "an unknown option prints no usage"

csv=$root/examples/heights-weights.csv
echo '{"hidden": [4]}' >config.json
"$run" --steps 10 --data-csv "$csv" config.json >run.json || fail "--data-csv exits $?"
grep -q '"dataset":"csv"' run.json || fail "--data-csv did not train on the table"
echo '{"dataset": "spiral"}' >spiral.json
status=0
"$run" --data-csv "$csv" spiral.json 2>err.txt >/dev/null || status=$?
[[ $status == 1 ]] && grep -q 'dataset is "spiral"' err.txt || fail "--data-csv beside spiral: $status $(cat err.txt)"
printf 'a,b,label\n1,x,0\n' >bad.csv
status=0
"$run" --data-csv bad.csv config.json 2>err.txt >/dev/null || status=$?
[[ $status == 1 ]] || fail "a refused table exits $status"
[[ $(cat err.txt) == "bnlab-run: bad.csv: row 2, column b: \"x\" is not a number" ]] || fail "$(cat err.txt)"

# A sweep on the table: its base names no data set, so the table is it.
echo '{"base": {"hidden": [4]}, "x": {"field": "learningRate", "values": [0.1, 1]}, "steps": 20}' >sweep.json
"$run" --sweep sweep.json --threads 1 --data-csv "$csv" >grid.json || fail "--sweep --data-csv exits $?"
grep -q '"dataset":"csv"' grid.json && grep -q '"index":1' grid.json || fail "no grid on the table"

"$run" --export pytorch --steps 5 config.json >run.py
python3 -m py_compile run.py || fail "the exported script does not compile"
"$run" --export notebook config.json | node -e 'JSON.parse(require("fs").readFileSync(0, "utf8"))' ||
  fail "the notebook is not JSON"
echo "bnlab-run: --help, --version, exit codes, --data-csv and --export as documented"
