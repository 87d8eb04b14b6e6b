#!/usr/bin/env bash
# edgeperf driver: the two commands README.md opens with.
#
#   bash cmake/edgeperf.sh whatif [ARGS...]  build and run the main what-if example
#   bash cmake/edgeperf.sh test              build everything and run the whole test suite
#   bash cmake/edgeperf.sh fuzz [SECONDS]    build the libFuzzer harnesses and run each
#                                            for SECONDS (default 25); docs/robustness.md
#   bash cmake/edgeperf.sh web               build the offline what-if page (WebAssembly)
#                                            into build/web/ and print the path of index.html
#
# Each command first installs the Debian packages it needs when (and only when)
# one is missing (apt-get, as root or through sudo), then configures with the
# presets in CMakePresets.json and builds with -j$(nproc).
#
# `test` runs, in order:
#   dev    g++ Debug, -Wall -Wextra -Wpedantic -Werror: build all (tests, the edgeperf
#          application, examples, benchmarks build-only), ctest (the CLI tests under
#          tests/cli and an install of the application into a temporary prefix included)
#   python pytest over python/tests on the dev build's Python module (python/)
#   asan   clang++ -Werror with AddressSanitizer + UndefinedBehaviorSanitizer: build all
#          (benchmarks included), ctest (skip with EDGEPERF_SKIP_ASAN=1); any sanitizer
#          report fails the test
#   clang  the dev preset with clang++, without sanitizers: only with EDGEPERF_CLANG_STAGE=1
#          (asan already compiles every target with clang++ and -Werror)
#   fuzz   clang++ libFuzzer + ASan + UBSan harnesses (tests/fuzz), each run for
#          EDGEPERF_FUZZ_SECONDS (default 15; `fuzz` alone: 25) on a copy of its seed corpus; a
#          crash, sanitizer report, escaped exception or hang (> 10 s on one input)
#          fails the command (skip with EDGEPERF_SKIP_FUZZ=1)
#   web    the what-if page built with Emscripten (build/web), opened from file:// in
#          headless Chromium and compared with `edgeperf estimate --format json` of
#          the dev build (tests/web/browser_test.py; skip with EDGEPERF_SKIP_WEB=1)
#   calibration  the CUDA suite, only when calibration/CMakeLists.txt exists and
#          nvcc is found; tests labelled `gpu` run only when nvidia-smi sees a GPU.
# Build trees live in build/<preset>/.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
jobs=$(nproc 2>/dev/null || echo 2)

say() { printf '\n==> %s\n' "$*"; }
die() { printf 'edgeperf.sh: %s\n' "$*" >&2; exit 1; }

# ---- Debian packages ------------------------------------------------------------
packages_base=(cmake ninja-build g++ libeigen3-dev libboost-dev libfmt-dev nlohmann-json3-dev
               libcli11-dev)
packages_test=("${packages_base[@]}" clang catch2 libbenchmark-dev)
# The Python module and its tests (python/; run after the dev preset).
packages_python=(python3-dev python3-pybind11 python3-pytest python3-numpy python3-matplotlib)
apt_updated=0

is_installed() {
  dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

ensure_packages() {
  local missing=() p
  if ! command -v dpkg >/dev/null 2>&1; then
    command -v cmake >/dev/null && command -v ninja >/dev/null ||
      die "not a Debian system and cmake/ninja are missing; install the equivalents of: $*"
    return 0
  fi
  for p in "$@"; do is_installed "$p" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0

  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 ||
      die "missing packages (${missing[*]}) and not root, no sudo: install them and re-run"
    sudo=(sudo)
  fi
  say "installing missing Debian packages: ${missing[*]}"
  if [ "$apt_updated" -eq 0 ]; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    apt_updated=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
}

# ---- helpers ------------------------------------------------------------------------
elapsed() { local s=$(($(date +%s) - $1)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

# configure + build + ctest with one preset
check_preset() {
  local preset=$1 t0
  t0=$(date +%s)
  say "[$preset] configure"
  cmake --preset "$preset"
  say "[$preset] build (-j$jobs)"
  cmake --build --preset "$preset" -j "$jobs"
  say "[$preset] ctest"
  ctest --preset "$preset" -j "$jobs"
  say "[$preset] passed in $(elapsed "$t0")"
}

# ---- fuzzing (tests/fuzz, docs/robustness.md) ------------------------------------------
fuzz_harnesses=(hf_config device_profile runtime_profile measurements accuracy_csv runs_csv cases_csv)

# Builds the harnesses in build/fuzz (tests/fuzz is its own CMake project that
# pulls the library in) and runs each for $1 seconds. New inputs go to
# build/fuzz/work/<harness> (the committed corpus is only read); a finding
# leaves build/fuzz/artifacts/<harness>-crash-* (or timeout-*, leak-*, oom-*).
run_fuzzers() {
  local secs=$1 t0 h exe log failed=()
  t0=$(date +%s)
  local cxx=clang++
  command -v clang++-14 >/dev/null 2>&1 && cxx=clang++-14
  say "[fuzz] configure + build the harnesses with $cxx"
  cmake -S tests/fuzz -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER="$cxx"
  cmake --build build/fuzz --target edgeperf_fuzzers -j "$jobs"
  mkdir -p build/fuzz/artifacts build/fuzz/logs
  for h in "${fuzz_harnesses[@]}"; do
    exe=build/fuzz/fuzz_$h
    log=build/fuzz/logs/$h.log
    mkdir -p "build/fuzz/work/$h"
    say "[fuzz] $h for ${secs}s"
    if UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "$exe" -max_total_time="$secs" -timeout=10 \
         -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
         -artifact_prefix="build/fuzz/artifacts/$h-" \
         "build/fuzz/work/$h" "tests/fuzz/corpus/$h" >"$log" 2>&1; then
      grep -E '^stat::number_of_executed_units|^stat::new_units_added' "$log" | tr '\n' ' '
      echo
    else
      tail -n 40 "$log" >&2
      failed+=("$h")
    fi
  done
  [ ${#failed[@]} -eq 0 ] || die "fuzzing found problems in: ${failed[*]} (logs: build/fuzz/logs, inputs: build/fuzz/artifacts)"
  say "[fuzz] passed in $(elapsed "$t0")"
}

cmd_fuzz() {
  ensure_packages "${packages_test[@]}" "libclang-rt-$(clang++ -dumpversion | cut -d. -f1)-dev"
  run_fuzzers "${1:-25}"
}

# ---- Python (python/, examples/python/) ---------------------------------------------------
# pytest on the module the dev preset built (build/dev/python), with the
# interpreter that build found, against the dev build's CLI. CTest (label
# `python`) runs the same tests; this run shows pytest's own report.
run_python_tests() {
  local cache=build/dev/CMakeCache.txt py cli t0
  t0=$(date +%s)
  if ! grep -q '^EDGEPERF_BUILD_PYTHON:BOOL=ON' "$cache"; then
    say "[python] skipped: the dev build has no Python module (EDGEPERF_BUILD_PYTHON=OFF)"
    return 0
  fi
  py=$(sed -n 's/^Python3_EXECUTABLE:[A-Z]*=//p' "$cache")
  cli=$(find build/dev/apps build/dev/examples -maxdepth 2 -type f -name edgeperf -perm -u+x 2>/dev/null | head -n 1 || true)
  [ -n "$cli" ] || die "[python] the dev build has no edgeperf CLI to compare with"
  say "[python] pytest with $py (module: build/dev/python, CLI: $cli)"
  PYTHONPATH="$root/build/dev/python" EDGEPERF_CLI="$root/$cli" EDGEPERF_SOURCE_DIR="$root" PYTHONDONTWRITEBYTECODE=1 \
    "$py" -m pytest -p no:cacheprovider -rs python/tests
  say "[python] passed in $(elapsed "$t0")"
}

# ---- web page (web/, issue 15) ------------------------------------------------------
# Debian's emscripten ships its system libraries prebuilt in a frozen cache
# (/usr/share/emscripten/cache), so a cold build compiles only web/edgeperf_web.cpp.
# The header-only dependencies come from the host packages (web/CMakeLists.txt).
packages_web=(cmake ninja-build emscripten nlohmann-json3-dev libfmt-dev libboost-dev)

# Builds build/web/index.html (+ edgeperf.js with the wasm embedded); quiet unless it fails.
build_web() {
  ensure_packages "${packages_web[@]}"
  # emscripten runs its JS tools with node and needs node-acorn from /usr/share/nodejs,
  # which a node that is not Debian's (e.g. NodeSource's) does not search by itself.
  export NODE_PATH="${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs"
  local log=build/web-build.log t0
  t0=$(date +%s)
  mkdir -p build
  if ! { emcmake cmake -S web -B build/web -G Ninja -DCMAKE_BUILD_TYPE=Release &&
         cmake --build build/web -j "$jobs"; } >"$log" 2>&1; then
    cat "$log" >&2
    die "building the web page failed (log: $log)"
  fi
  [ -f build/web/index.html ] && [ -f build/web/edgeperf.js ] || die "build/web/index.html was not built"
  web_build_time=$(elapsed "$t0")
}

cmd_web() {
  build_web
  echo "$root/build/web/index.html"
}

# The browser test: the page in headless Chromium against the CLI of build/dev.
run_web_test() {
  local t0 cli
  t0=$(date +%s)
  ensure_packages chromium python3
  say "[web] build the page with Emscripten"
  build_web
  say "[web] page built in $web_build_time: build/web/index.html"
  cli=$(find build/dev -type f -name edgeperf -perm -u+x | head -n 1)
  [ -n "$cli" ] || die "[web] no edgeperf CLI in build/dev to compare the page with"
  say "[web] headless Chromium: the page vs $cli estimate --format json"
  python3 tests/web/browser_test.py --page build/web/index.html --cli "$cli" \
    --screenshot build/web/screenshot.png || die "[web] the browser test failed"
  say "[web] passed in $(elapsed "$t0")"
}

find_nvcc() {
  if command -v nvcc >/dev/null 2>&1; then command -v nvcc
  elif [ -x /usr/local/cuda/bin/nvcc ]; then echo /usr/local/cuda/bin/nvcc
  fi
}

# ---- commands -----------------------------------------------------------------------
cmd_whatif() {
  ensure_packages "${packages_base[@]}"
  # Quiet unless something fails: then the whole log is shown.
  local log=build/whatif-build.log
  mkdir -p build
  if ! { cmake --preset release &&
         cmake --build --preset release --target edgeperf_whatif -j "$jobs"; } >"$log" 2>&1; then
    cat "$log" >&2
    die "building edgeperf_whatif failed (log: $log)"
  fi
  local exe
  exe=$(find build/release -type f -name edgeperf_whatif -perm -u+x | head -n 1)
  [ -n "$exe" ] || die "edgeperf_whatif was not built"
  "$exe" "$@"
}

cmd_test() {
  local t0 nvcc
  t0=$(date +%s)
  ensure_packages "${packages_test[@]}" "${packages_python[@]}"
  check_preset dev
  run_python_tests
  # clang++ compiles every target with -Werror in the asan preset below (the
  # benchmarks included); the plain clang preset repeats that build without
  # sanitizers, so it runs only when asked for (it took 6 of CI's 34 minutes).
  if [ "${EDGEPERF_CLANG_STAGE:-0}" = 1 ]; then check_preset clang; fi
  if [ "${EDGEPERF_SKIP_ASAN:-0}" = 1 ]; then
    say "[asan] skipped (EDGEPERF_SKIP_ASAN=1)"
  else
    # The sanitizer runtimes are only a Recommends of clang on Debian.
    ensure_packages "libclang-rt-$(clang++ -dumpversion | cut -d. -f1)-dev"
    check_preset asan
  fi
  if [ "${EDGEPERF_SKIP_FUZZ:-0}" = 1 ]; then
    say "[fuzz] skipped (EDGEPERF_SKIP_FUZZ=1)"
  else
    ensure_packages "libclang-rt-$(clang++ -dumpversion | cut -d. -f1)-dev"
    run_fuzzers "${EDGEPERF_FUZZ_SECONDS:-15}"
  fi

  if [ "${EDGEPERF_SKIP_WEB:-0}" = 1 ]; then
    say "[web] skipped (EDGEPERF_SKIP_WEB=1)"
  else
    run_web_test
  fi

  nvcc=$(find_nvcc)
  if [ -f calibration/CMakeLists.txt ] && [ -n "$nvcc" ]; then
    local labels=(-LE gpu)
    if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then labels=(); fi
    say "[calibration] configure, build and test with $nvcc"
    CUDACXX="$nvcc" cmake --preset calibration
    cmake --build --preset calibration -j "$jobs"
    ctest --test-dir build/calibration --output-on-failure --no-tests=ignore -j "$jobs" \
      ${labels[@]+"${labels[@]}"}
  elif [ -f calibration/CMakeLists.txt ]; then
    say "[calibration] skipped: no nvcc (PATH or /usr/local/cuda/bin)"
  else
    say "[calibration] skipped: no calibration/CMakeLists.txt yet"
  fi
  say "all checks passed in $(elapsed "$t0")"
}

case "${1:-}" in
  whatif) shift; cmd_whatif "$@" ;;
  test) shift; [ $# -eq 0 ] || die "test takes no arguments"; cmd_test ;;
  web) shift; [ $# -eq 0 ] || die "web takes no arguments"; cmd_web ;;
  fuzz) shift; [ $# -le 1 ] || die "fuzz takes at most one argument (seconds per harness)"
        [[ "${1:-25}" =~ ^[1-9][0-9]*$ ]] || die "fuzz: expected seconds per harness, got '${1}'"
        cmd_fuzz "$@" ;;
  *) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
