#!/usr/bin/env bash
# Runs the fuzz targets built in build/sanitize (one per tests/fuzz/*_fuzz.cpp, with the
# sanitizer build of the native suite).
#
#   run.sh replay [TARGET...]          every committed input once: corpus/<target>/ and
#                                      regressions/<target>/ (the inputs that once failed)
#   run.sh fuzz SECONDS [TARGET...]    each target in turn for SECONDS, niced, from its corpus
#                                      and regressions; what it learns goes to build/sanitize/fuzz/work/
#
# Without TARGETs, every built target; FUZZ_JOBS targets at a time (default 1). A failing input is saved in build/sanitize/fuzz/artifacts/<target>/
# and named at the end; keep it as a regression case in regressions/<target>/ with its fix.
# Each target's executions per second and coverage (libFuzzer's cov and ft) are printed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$here/../.." && pwd)/build/sanitize
out=$build/fuzz
mode=${1:?usage: run.sh replay [TARGET...] | run.sh fuzz SECONDS [TARGET...]}
shift
seconds=0
if [[ $mode == fuzz ]]; then
  seconds=${1:?run.sh fuzz needs SECONDS}
  shift
elif [[ $mode != replay ]]; then
  echo "run.sh: unknown mode $mode" >&2
  exit 2
fi

targets=("$@")
if ((${#targets[@]} == 0)); then
  for source in "$here"/*_fuzz.cpp; do
    name=$(basename "$source" _fuzz.cpp)
    targets+=("$name")
  done
fi

# An input that runs longer than this is a hang: every reader answers in milliseconds.
common=(-timeout=10 -rss_limit_mb=2048 -print_final_stats=1)

# One target, replayed or fuzzed; its line of results in $out/artifacts/<target>/summary, and
# exit status 1 when it failed.
run_one() {
  local name=$1 binary=$build/${1}_fuzz corpus=$here/corpus/$1 regressions=$here/regressions/$1
  local log=$out/artifacts/$1/last.log summary=$out/artifacts/$1/summary args status=0
  if [[ $mode == replay ]]; then
    args=(-runs=0 "$corpus" "$regressions")
  else
    args=(-max_total_time="$seconds" "$out/work/$name" "$corpus" "$regressions")
  fi
  (cd "$out/artifacts/$name" && nice -n 10 "$binary" "${common[@]}" -artifact_prefix=./ "${args[@]}") \
    >"$log" 2>&1 || status=$?
  local units speed coverage inputs
  units=$(grep -o 'stat::number_of_executed_units:[[:space:]]*[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  speed=$(grep -o 'stat::average_exec_per_sec:[[:space:]]*[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  coverage=$(grep -a -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1 || true)
  inputs=$(find "$corpus" "$regressions" -type f | wc -l)
  if ((status == 0)); then
    printf '%-11s %s: %s runs, %s/s, %s (%s committed inputs)\n' "$name" "$mode" "$units" "$speed" \
      "${coverage:-cov: ? ft: ?}" "$inputs" >"$summary"
  else
    {
      printf '%-11s %s: FAILED (exit %s); libFuzzer says:\n' "$name" "$mode" "$status"
      grep -a -E 'ERROR|SUMMARY|fuzz check failed|Test unit written|runtime error' "$log" | head -n 20 | sed 's/^/    /'
      echo "    the whole log: $log"
    } >"$summary"
    return 1
  fi
}

jobs_at_once=${FUZZ_JOBS:-1}
for name in "${targets[@]}"; do
  [[ -x $build/${name}_fuzz ]] || { echo "run.sh: $build/${name}_fuzz is not built (./build.sh fuzz builds it)" >&2; exit 2; }
  mkdir -p "$here/regressions/$name" "$out/artifacts/$name" "$out/work/$name"
  rm -f "$out/artifacts/$name/summary"
done
declare -A pid_of
for name in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs_at_once)); do wait -n || true; done
  run_one "$name" &
  pid_of[$name]=$!
done
failed=()
for name in "${targets[@]}"; do
  wait "${pid_of[$name]}" || failed+=("$name")
  cat "$out/artifacts/$name/summary"
done
if ((${#failed[@]})); then
  echo "run.sh: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
  exit 1
fi
