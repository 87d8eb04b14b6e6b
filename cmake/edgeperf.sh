#!/usr/bin/env bash
# edgeperf driver: the two commands README.md opens with.
#
#   bash cmake/edgeperf.sh whatif [ARGS...]  build and run the main what-if example
#   bash cmake/edgeperf.sh test              build everything and run the whole test suite
#
# Each command first installs the Debian packages it needs when (and only when)
# one is missing (apt-get, as root or through sudo), then configures with the
# presets in CMakePresets.json and builds with -j$(nproc).
#
# `test` runs, in order:
#   dev    g++ Debug, -Wall -Wextra -Wpedantic -Werror: build all (tests, examples,
#          benchmarks build-only), ctest
#   clang  the same with clang++
#   asan   clang++ with AddressSanitizer + UndefinedBehaviorSanitizer, ctest
#          (skip with EDGEPERF_SKIP_ASAN=1)
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
  ensure_packages "${packages_test[@]}"
  check_preset dev
  check_preset clang
  if [ "${EDGEPERF_SKIP_ASAN:-0}" = 1 ]; then
    say "[asan] skipped (EDGEPERF_SKIP_ASAN=1)"
  else
    # The sanitizer runtimes are only a Recommends of clang on Debian.
    ensure_packages "libclang-rt-$(clang++ -dumpversion | cut -d. -f1)-dev"
    check_preset asan
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
  *) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
