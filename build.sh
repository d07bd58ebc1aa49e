#!/usr/bin/env bash
# bnlab's one entry point.
#   ./build.sh serve   install what is missing, build, serve dist/ at http://localhost:8080
#   ./build.sh test    install what is missing, build native and wasm, run every test
#   ./build.sh build   install what is missing and build (native tools, dist/)
#   ./build.sh web     only bundle the page into dist/ (after a build)
#   ./build.sh figure1 [STEPS]   the BatchNorm paper's Figure 1 on the digits, docs/figure1.png
#   ./build.sh bench [--rounds R] [--seconds S] [--heap-minutes M]   steps/s against native and TF.js,
#                      bytes; bench/results.md
#   ./build.sh deps    only install what is missing
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
PORT=${PORT:-8080}
JOBS=${JOBS:-2}  # the machines are small and shared: keep builds parallel-light

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
  "parallel:parallel"
  "python3-numpy:import numpy"
  "python3-torch:import torch"
)

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
}

build_wasm() {
  log "wasm build (dist/bnlab.js, dist/bnlab.wasm)"
  # emcmake's default test emulator passes a flag Node 20 rejects; name node plainly.
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release -DBNLAB_DIST_DIR="$ROOT/dist" \
    -DCMAKE_CROSSCOMPILING_EMULATOR="$(command -v node)" >/dev/null
  cmake --build build/wasm -j"$JOBS"
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
  node web/standalone.mjs dist build/wasm/bnlab-single.js
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

# The code's form: Biome formats and lints the JavaScript (biome.json), clang-format the C++
# (.clang-format, checked by a CTest test). A change that is not formatted fails here first.
check_format() {
  log "formatting and lint (biome ci)"
  node_modules/.bin/biome ci --reporter=summary --colors=off
}

run_tests() {
  check_format
  log "native tests (ctest)"
  ctest --test-dir build/native --output-on-failure -j"$JOBS"
  log "wasm tests (node --test)"
  node --test tests/wasm/
  log "page source tests (node --test tests/web)"
  node --test tests/web/
  log "browser tests (headless Chromium)"
  node --test --test-concurrency=1 tests/e2e/
}

case ${1:-} in
  deps) install_deps ;;
  web) build_web ;;
  build) build_all ;;
  test) build_all && run_tests ;;
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
  *) die "usage: ./build.sh serve | test | build | web | figure1 [STEPS] | bench | deps" ;;
esac
