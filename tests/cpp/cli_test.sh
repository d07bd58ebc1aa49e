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
# --csv on a run: its history as a table holding the JSON history's numbers, column by column
# (a spreadsheet reads the same run the JSON carries).
echo '{"hidden":[4,4],"arms":["plain","bn-before"],"probes":true}' >small.json
"$run" --steps 300 small.json >small-run.json
"$run" --steps 300 --csv small.json >history.csv || fail "--csv on a run exits $?"
node - small-run.json history.csv <<'JS' || fail "the run's CSV does not hold its JSON history"
const fs = require('fs');
const run = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const [header, ...lines] = fs.readFileSync(process.argv[3], 'utf8').trimEnd().split('\n');
const names = header.split(',');
const rows = lines.map((l) => l.split(','));
const column = (name) => {
  const i = names.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  return rows.map((r) => (r[i] === '' ? null : Number(r[i])));
};
const same = (a, b, what) => {
  if (a.length !== b.length) throw new Error(`${what}: ${a.length} rows, JSON ${b.length}`);
  a.forEach((v, k) => {
    if (v !== b[k] && !(v === null && b[k] === null)) throw new Error(`${what} row ${k}: ${v} vs ${b[k]}`);
  });
};
same(column('step'), run.step, 'step');
let checked = 0;
for (const arm of run.arms) {
  for (const [series, values] of Object.entries(arm.history)) {
    if (series === 'layers') continue;
    same(column(`${arm.name}.${series}`), values, `${arm.name}.${series}`);
    checked++;
  }
  arm.history.layers.forEach((layer, l) => {
    for (const [series, values] of Object.entries(layer)) {
      same(column(`${arm.name}.layer${l + 1}.${series}`), values, `${arm.name}.layer${l + 1}.${series}`);
      checked++;
    }
  });
}
if (names.length !== checked + 1) throw new Error(`${names.length} columns, ${checked} series in the JSON`);
if (rows.length < 10) throw new Error(`only ${rows.length} rows`);
JS

echo "bnlab-run: --help, --version, exit codes, --data-csv, --export and a run's --csv as documented"
