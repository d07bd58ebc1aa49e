#!/usr/bin/env bash
# Runs the fuzz targets built in build/fuzz (CMake's BNLAB_FUZZ: one per tests/fuzz/*_fuzz.cpp).
#
#   run.sh replay [TARGET...]          every committed input once: corpus/<target>/ and
#                                      regressions/<target>/ (the inputs that once failed)
#   run.sh fuzz SECONDS [TARGET...]    each target in turn for SECONDS, niced, from its corpus
#                                      and regressions; what it learns goes to build/fuzz/work/
#
# Without TARGETs, every built target. A failing input is saved in build/fuzz/artifacts/<target>/
# and named at the end; keep it as a regression case in regressions/<target>/ with its fix.
# Each target's executions per second and coverage (libFuzzer's cov and ft) are printed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$here/../.." && pwd)/build/fuzz
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
failed=()
for name in "${targets[@]}"; do
  binary=$build/${name}_fuzz
  [[ -x $binary ]] || { echo "run.sh: $binary is not built (./build.sh fuzz builds it)" >&2; exit 2; }
  corpus=$here/corpus/$name
  regressions=$here/regressions/$name
  mkdir -p "$regressions" "$build/artifacts/$name" "$build/work/$name"
  log=$build/artifacts/$name/last.log
  if [[ $mode == replay ]]; then
    args=(-runs=0 "$corpus" "$regressions")
  else
    args=(-max_total_time="$seconds" "$build/work/$name" "$corpus" "$regressions")
  fi
  status=0
  (cd "$build/artifacts/$name" && nice -n 10 "$binary" "${common[@]}" -artifact_prefix=./ "${args[@]}") \
    >"$log" 2>&1 || status=$?
  units=$(grep -o 'stat::number_of_executed_units:[[:space:]]*[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  speed=$(grep -o 'stat::average_exec_per_sec:[[:space:]]*[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1 || true)
  inputs=$(find "$corpus" "$regressions" -type f | wc -l)
  if ((status == 0)); then
    printf '%-11s %s: %s runs, %s/s, %s (%s committed inputs)\n' "$name" "$mode" "$units" "$speed" \
      "${coverage:-cov: ? ft: ?}" "$inputs"
  else
    printf '%-11s %s: FAILED (exit %s); libFuzzer says:\n' "$name" "$mode" "$status"
    grep -E 'ERROR|SUMMARY|fuzz check failed|Test unit written|runtime error' "$log" | head -n 20 | sed 's/^/    /'
    echo "    the whole log: $log"
    failed+=("$name")
  fi
done
if ((${#failed[@]})); then
  echo "run.sh: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
  exit 1
fi
