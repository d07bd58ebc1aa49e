#!/usr/bin/env bash
# bnlab's one entry point.
#   ./build.sh serve   install what is missing, build, serve dist/ at http://localhost:8080
#   ./build.sh test    install what is missing, build native and wasm, run every test
#   ./build.sh build   install what is missing and build (native tools, dist/)
#   ./build.sh web     only bundle the page into dist/ (after a build)
#   ./build.sh figure1 [STEPS]   the BatchNorm paper's Figure 1 on the digits, docs/figure1.png
#   ./build.sh bench [--rounds R] [--seconds S] [--heap-minutes M]   steps/s against native and TF.js,
#                      bytes; bench/results.md
#   ./build.sh fuzz [SECONDS]   each fuzz target for SECONDS (default 300), one at a time, niced
#   ./build.sh deps    only install what is missing
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
PORT=${PORT:-8080}
JOBS=${JOBS:-2}  # the machines are small and shared: keep builds parallel-light
COMMAND=${1:-}
STARTED=$SECONDS # reset after the installs

# emcc's JavaScript tools need Debian's node modules (acorn) on Node's search path.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

log() { printf '\n== %s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# Debian packages this project needs, each with a command, a file, or a Python import (run by
# Debian's /usr/bin/python3: the python3 on PATH may be another) that shows it is there.
APT_NEEDS=(
  "cmake:cmake"
  "g++:g++"
  "make:make"
  "libeigen3-dev:/usr/include/eigen3/Eigen/Core"
  "libgtest-dev:/usr/include/gtest/gtest.h"
  "emscripten:emcc"
  "nodejs:node"
  "npm:npm"
  "chromium:chromium"
  "fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
  "firefox-esr:firefox-esr"
  "clang-format:clang-format"
  "clang:clang++"
  # libFuzzer and the sanitizers' runtimes (Debian only recommends them with clang)
  "libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a"
  "parallel:parallel"
  "python3-numpy:import numpy"
  "python3-torch:import torch"
)
# Seconds each fuzz target runs in ./build.sh test (after replaying every committed input).
FUZZ_TEST_SECONDS=${FUZZ_TEST_SECONDS:-15}
# The sanitizers stop at the first report, with a stack trace.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1}

missing_packages() {
  local entry package probe
  for entry in "${APT_NEEDS[@]}"; do
    package=${entry%%:*}
    probe=${entry#*:}
    if [[ $probe == /* ]]; then [[ -e $probe ]] && continue
    elif [[ $probe == "import "* ]]; then /usr/bin/python3 -c "$probe" >/dev/null 2>&1 && continue
    else command -v "$probe" >/dev/null 2>&1 && continue
    fi
    printf '%s ' "$package"
  done
}

install_deps() {
  local missing
  missing=$(missing_packages)
  if [[ -n $missing ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
      log "installing Debian packages: $missing"
      apt-get update -q
      # shellcheck disable=SC2086
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
    else
      die "missing packages: $missing(install them with: sudo apt-get install $missing)"
    fi
  fi
  # npm ci when node_modules is missing or older than the lockfile.
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    log "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund
  fi
}

build_native() {
  log "native build (build/native)"
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/native -j"$JOBS"
  # The benchmarks (bnlab-bench, and bnlab-bench-simd, a second build of the core): not for test.
  if [[ $COMMAND != test ]]; then cmake --build build/native -j"$JOBS" --target bnlab-bench bnlab-bench-simd; fi
}

build_wasm() {
  log "wasm build (dist/bnlab.js and .wasm; the PyTorch export's dist/bnlab-export.js and .wasm)"
  # emcmake's default test emulator passes a flag Node 20 rejects; name node plainly.
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release -DBNLAB_DIST_DIR="$ROOT/dist" \
    -DCMAKE_CROSSCOMPILING_EMULATOR="$(command -v node)" >/dev/null
  cmake --build build/wasm -j"$JOBS"
}

# The native suite again, built by clang with AddressSanitizer and UndefinedBehaviorSanitizer.
build_sanitize() {
  log "native build with ASan and UBSan, and the fuzz targets (build/sanitize)"
  cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++ \
    -DBNLAB_SANITIZE=ON >/dev/null
  cmake --build build/sanitize -j"$JOBS"
}

# The page's modules bundled into classic scripts (pages opened from file:// cannot load ES
# modules or module workers), Chart.js included from node_modules: no third-party host.
build_web() {
  log "page (dist/)"
  mkdir -p dist
  cp web/style.css web/data/digits.bin dist/
  node web/render-math.mjs web/index.html dist/index.html dist/style.css
  rm -rf dist/src
  local esbuild=(node_modules/.bin/esbuild --bundle --format=iife --target=es2020 --minify
                 --sourcemap --log-level=warning)
  "${esbuild[@]}" web/src/page/app.js --outfile=dist/app.js
  "${esbuild[@]}" web/src/worker/worker.js --outfile=dist/worker.js
  # The engine's glue minified too (emcc only minifies it with the closure compiler, which this
  # machine lacks): 14.0 -> 10.5 KB gzipped. Running it again on its own output is harmless.
  local minify=(node_modules/.bin/esbuild --minify --target=es2020 --log-level=warning --allow-overwrite)
  "${minify[@]}" dist/bnlab.js --outfile=dist/bnlab.js
  "${minify[@]}" dist/bnlab-export.js --outfile=dist/bnlab-export.js
  "${minify[@]}" build/wasm/bnlab-standalone.js --outfile=build/wasm/bnlab-standalone.min.js
  node web/standalone.mjs dist build/wasm/bnlab-standalone.min.js build/wasm/bnlab-standalone.wasm
  # Link previews: their picture (the default run, drawn by the page in headless Chromium), the
  # tags, and a page per lesson; BNLAB_SITE_URL makes their addresses absolute.
  node web/link-previews.mjs dist
}

build_all() {
  install_deps
  build_native
  build_wasm
  build_web
}

# Each suite's wall time, printed at the end (and when one fails).
SUITE_TIMES=()
print_times() {
  log "time per step (wall clock; the machine's other work included)"
  printf '%s\n' "${SUITE_TIMES[@]}"
  printf '%-64s %5d s\n' "all of ./build.sh $COMMAND, installs excepted" $((SECONDS - STARTED))
}
# suite NAME COMMAND...: runs COMMAND as the suite NAME and records its time; a failure ends
# the run after printing the times so far.
suite() {
  local name=$1 start=$SECONDS status=0
  shift
  log "$name"
  "$@" || status=$?
  SUITE_TIMES+=("$(printf '%-64s %5d s' "$name" $((SECONDS - start)))")
  if ((status)); then
    print_times
    die "$name failed (exit $status)"
  fi
}

# beside NAME LOG COMMAND...: starts COMMAND as the suite NAME in the background, in a process
# group of its own, its output kept in LOG; beside_end waits for it, prints LOG and records its
# time. A run that ends early (a failure elsewhere, Ctrl-C) ends the group with it.
BESIDE_PID='' BESIDE_NAME='' BESIDE_LOG=''
beside() {
  BESIDE_NAME=$1 BESIDE_LOG=$2
  shift 2
  mkdir -p "$(dirname "$BESIDE_LOG")"
  log "$BESIDE_NAME: started; its output is printed when it ends"
  setsid bash -c 'start=$SECONDS; "$@"; status=$?; echo $((SECONDS - start)) >"$0.seconds"; exit $status' \
    "$BESIDE_LOG" "$@" >"$BESIDE_LOG" 2>&1 &
  BESIDE_PID=$!
  trap stop_beside EXIT
}
stop_beside() {
  if [[ -n $BESIDE_PID ]] && kill -0 "$BESIDE_PID" 2>/dev/null; then
    kill -- "-$BESIDE_PID" 2>/dev/null || true
  fi
}
beside_end() {
  local status=0
  log "$BESIDE_NAME: waiting for it to end"
  wait "$BESIDE_PID" || status=$?
  BESIDE_PID=''
  cat "$BESIDE_LOG"
  SUITE_TIMES+=("$(printf '%-64s %5s s' "$BESIDE_NAME" "$(cat "$BESIDE_LOG.seconds" 2>/dev/null || echo '?')")")
  if ((status)); then
    print_times
    die "$BESIDE_NAME failed (exit $status)"
  fi
}

run_tests() {
  # The code's form first: Biome formats and lints the JavaScript (biome.json), clang-format the
  # C++ (.clang-format, checked by a CTest test). A change that is not formatted fails here.
  suite "formatting and lint (biome ci)" node_modules/.bin/biome ci --reporter=summary --colors=off
  # The browser tests spend much of their time waiting for pages to load and to train, so they
  # run beside the suites below. They wait on conditions, so sharing the machine changes no
  # verdict, except in the tests that time the page's frames (tests/e2e/*.alone.test.mjs):
  # those run alone at the end. Both cores are busy for the whole run (README, Tests): the
  # browser suite is the largest part of the work, and what runs beside it takes longer.
  local browser_tests=()
  mapfile -t browser_tests < <(ls tests/e2e/*.test.mjs | grep -v '\.alone\.test\.mjs$')
  beside "browser tests, beside the steps below (tests/e2e)" build/logs/browser-tests.log \
    node --test --test-concurrency=1 "${browser_tests[@]}"
  suite "native tests (ctest)" ctest --test-dir build/native --output-on-failure -j"$JOBS"
  suite "build: ASan and UBSan, the fuzz targets" build_sanitize
  suite "native tests with ASan and UBSan (ctest in build/sanitize)" \
    ctest --test-dir build/sanitize --output-on-failure -j"$JOBS"
  # Two targets at a time: each fuzzes for a fixed time on one core.
  suite "fuzz targets: every committed input" env FUZZ_JOBS="$JOBS" bash tests/fuzz/run.sh replay
  suite "fuzz targets: ${FUZZ_TEST_SECONDS} s of fuzzing each" \
    env FUZZ_JOBS="$JOBS" bash tests/fuzz/run.sh fuzz "$FUZZ_TEST_SECONDS"
  suite "wasm tests (node --test tests/wasm)" node --test tests/wasm/
  suite "page source tests (node --test tests/web)" node --test tests/web/
  beside_end
  suite "browser tests that time frames, alone (tests/e2e/*.alone.test.mjs)" \
    node --test --test-concurrency=1 tests/e2e/*.alone.test.mjs
  print_times
}

case ${1:-} in
  deps) install_deps ;;
  web) build_web ;;
  build) build_all ;;
  test)
    install_deps # not timed: a fresh machine's installs take what the network gives
    STARTED=$SECONDS
    suite "build: native, wasm and the page" build_all
    run_tests
    ;;
  fuzz)
    install_deps
    build_sanitize
    bash tests/fuzz/run.sh replay
    bash tests/fuzz/run.sh fuzz "${2:-300}"
    ;;
  bench)
    build_all
    # The peers measured against (TensorFlow.js, ~290 MB) and Lighthouse live in bench/'s own lockfile, so
    # the project's install and CI do not carry them.
    if [[ ! -f bench/node_modules/.package-lock.json || bench/package-lock.json -nt bench/node_modules/.package-lock.json ]]; then
      log "installing the benchmark's npm packages (npm ci in bench/)"
      (cd bench && npm ci --no-audit --no-fund)
    fi
    log "benchmark (bench/results.md)"
    node bench/run.mjs "${@:2}"
    log "Lighthouse on the page, an embed and the one-file page (bench/results.md)"
    node bench/lighthouse.mjs
    ;;
  figure1)
    build_all
    log "Ioffe & Szegedy 2015, Figure 1 (docs/figure1.png)"
    node web/figure1.mjs "${2:-5000}"
    ;;
  serve)
    build_all
    log "serving dist/ at http://localhost:$PORT (Ctrl-C stops)"
    exec node web/serve.mjs dist "$PORT"
    ;;
  *) die "usage: ./build.sh serve | test | build | web | figure1 [STEPS] | bench | fuzz [SECONDS] | deps" ;;
esac
