#!/usr/bin/env bash
# End-to-end validation on a GPU machine: the calibration suite and the
# Hugging Face prefill/decode runs. Run from anywhere; paths are taken from the
# repository this script lives in. See calibration/validate/README.md.
#
#   run_all.sh deps                    (here, before the GPU session) copy the
#                                      nlohmann_json headers into build-deps/
#                                      so they can travel (carry: build-deps)
#   run_all.sh calib [--quick] [...]   build calibration/ and run edgeperf_calibrate
#                                      -> $OUT/measurements.json, $OUT/calib.log
#   run_all.sh hf [--quick] [...]      run_hf.py -> $OUT/hf_runs[-quick|-eager|-static].csv
#                                      (+ .skipped.csv, .env.json), $OUT/hf.log
#   run_all.sh [all] [--quick]         both, one after the other (machines
#                                      without a per-command time limit)
#
# Extra arguments go to edgeperf_calibrate (calib) or run_hf.py (hf).
# Environment: OUT (output folder, default out/validate), BUILD_DIR (the
# suite's build folder, default build-calib), CALL_BUDGET_S
# (seconds this call may take; default 570 for calib/hf, 3600 for all): each
# step is stopped with `timeout` so the call returns within it, and run_hf.py
# is given --budget-s so it stops starting cases in time. A failed step does
# not stop the next; the exit status is that of the last failed step.
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
step=${1:-all}
[ $# -gt 0 ] && shift
case "$step" in
  calib|hf|all|deps) ;;
  -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
  *) echo "run_all.sh: unknown step '$step' (expected calib, hf, all or deps)" >&2; exit 2 ;;
esac

if [ "$step" = all ]; then budget=${CALL_BUDGET_S:-3600}; else budget=${CALL_BUDGET_S:-570}; fi
case "$budget" in ''|*[!0-9]*) echo "run_all.sh: CALL_BUDGET_S must be a whole number of seconds, got '$budget'" >&2; exit 2 ;; esac
start=$(date +%s)
remaining() { echo $(( budget - ($(date +%s) - start) )); }
status=0
summary=""

# --- deps: runs on the dev machine, not on the GPU one -------------------------------
if [ "$step" = deps ]; then
  src=/usr/include/nlohmann
  [ -f "$src/json.hpp" ] || { echo "run_all.sh deps: $src/json.hpp not found (apt-get install nlohmann-json3-dev)" >&2; exit 1; }
  dst="$repo/build-deps"
  rm -rf "$dst/include/nlohmann" "$dst/share/cmake/nlohmann_json"
  mkdir -p "$dst/include" "$dst/share/cmake/nlohmann_json"
  cp -r "$src" "$dst/include/"
  ver=$(sed -n 's/^#define NLOHMANN_JSON_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\).*/\2/p' \
        "$src/detail/abi_macros.hpp" 2>/dev/null | paste -sd. -)
  [ -n "$ver" ] || ver=3.11.2
  cat >"$dst/share/cmake/nlohmann_json/nlohmann_jsonConfig.cmake" <<'EOF'
# Minimal config for the header-only nlohmann_json copied by run_all.sh deps.
get_filename_component(_nlohmann_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT TARGET nlohmann_json::nlohmann_json)
  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
  set_target_properties(nlohmann_json::nlohmann_json PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${_nlohmann_prefix}/include")
endif()
set(nlohmann_json_FOUND TRUE)
EOF
  cat >"$dst/share/cmake/nlohmann_json/nlohmann_jsonConfigVersion.cmake" <<EOF
set(PACKAGE_VERSION "$ver")
if(PACKAGE_VERSION VERSION_LESS PACKAGE_FIND_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
elseif(PACKAGE_FIND_VERSION_MAJOR STREQUAL "${ver%%.*}" OR "\${PACKAGE_FIND_VERSION}" STREQUAL "")
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
else()
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
endif()
EOF
  echo "run_all.sh deps: nlohmann_json $ver -> $dst ($(du -sh "$dst" | cut -f1)); name build-deps in the run's carry"
  exit 0
fi

OUT=${OUT:-$repo/out/validate}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
if ! command -v nvcc >/dev/null 2>&1 && [ -x /usr/local/cuda/bin/nvcc ]; then
  export PATH="/usr/local/cuda/bin:$PATH"
fi

# run_step NAME LIMIT_S LOG CMD...: runs CMD under `timeout`, output to the
# terminal and appended to LOG, and records its status and wall time.
run_step() {
  local name=$1 limit=$2 log=$3 rc t0 t1
  shift 3
  if [ "$limit" -lt 10 ]; then
    echo "== $name: not started, only ${limit} s left of CALL_BUDGET_S=$budget" | tee -a "$log"
    note_step "$name" "no time" -
    status=124
    return 124
  fi
  echo "== $name (limit ${limit} s): $*" | tee -a "$log"
  t0=$(date +%s)
  timeout --kill-after=15 "$limit" "$@" 2>&1 | tee -a "$log"
  rc=${PIPESTATUS[0]}
  t1=$(date +%s)
  [ "$rc" -eq 124 ] && echo "== $name: stopped by timeout after ${limit} s" | tee -a "$log"
  echo "== $name: exit $rc, wall $((t1 - t0)) s" | tee -a "$log"
  note_step "$name" "$rc" "$((t1 - t0)) s"
  [ "$rc" -eq 0 ] || status=$rc
  return "$rc"
}

note_step() { summary="$summary$(printf '%-16s %8s %8s' "$1" "$2" "$3")\n"; }

min() { if [ "$1" -lt "$2" ]; then echo "$1"; else echo "$2"; fi; }

do_calib() {
  local log="$OUT/calib.log" cmake_args
  : >"$log"
  { echo "run_all.sh calib: $(date -u +%FT%TZ), repo $repo, OUT $OUT"
    nvidia-smi 2>&1 | head -20 || true
    command -v nvcc >/dev/null 2>&1 && nvcc --version | tail -2; } | tee -a "$log"
  cmake_args="-DCMAKE_BUILD_TYPE=Release"
  if [ -f "$repo/build-deps/share/cmake/nlohmann_json/nlohmann_jsonConfig.cmake" ]; then
    cmake_args="$cmake_args -Dnlohmann_json_DIR=$repo/build-deps/share/cmake/nlohmann_json"
  fi
  command -v ninja >/dev/null 2>&1 && cmake_args="$cmake_args -G Ninja"
  local bdir=${BUILD_DIR:-$repo/build-calib}
  # The build needs the configure, the run needs the build; calib failing
  # does not stop the hf step of `all`.
  # shellcheck disable=SC2086 # cmake_args is a list of words
  if ! run_step calib-configure "$(min "$(remaining)" 120)" "$log" \
         cmake -S "$repo/calibration" -B "$bdir" $cmake_args; then
    note_step calib-build "skipped" -; note_step calib-run "skipped" -
  elif ! run_step calib-build "$(min $(( $(remaining) - 60 )) 360)" "$log" \
         cmake --build "$bdir" -j "$(nproc 2>/dev/null || echo 4)"; then
    note_step calib-run "skipped" -
  else
    run_step calib-run $(( $(remaining) - 5 )) "$log" \
      "$bdir/edgeperf_calibrate" --out "$OUT/measurements.json" "$@"
  fi
  [ -f "$OUT/measurements.json" ] && echo "measurements: $OUT/measurements.json" | tee -a "$log"
  return 0
}

do_hf() {
  local log="$OUT/hf.log" suffix="" has_budget=no prev="" extra="" a
  : >"$log"
  for a in "$@"; do
    case "$a" in
      --quick) suffix="$suffix-quick" ;;
      --budget-s|--budget-s=*) has_budget=yes ;;
    esac
    [ "$prev" = --mode ] && [ "$a" != all ] && suffix="$suffix-$a"
    case "$a" in --mode=eager|--mode=static) suffix="$suffix-${a#--mode=}" ;; esac
    prev=$a
  done
  { echo "run_all.sh hf: $(date -u +%FT%TZ), repo $repo, OUT $OUT"
    nvidia-smi 2>&1 | head -20 || true
    python3 -c 'import torch, transformers; print("torch", torch.__version__, "cuda", torch.version.cuda, "transformers", transformers.__version__)' 2>&1; } | tee -a "$log"
  # Stop starting cases ~90 s before the end: room for the last case (a 14B
  # model's O = 1024 decode) and for writing the outputs.
  [ "$has_budget" = no ] && extra="--budget-s $(( $(remaining) - 90 > 30 ? $(remaining) - 90 : 30 ))"
  # shellcheck disable=SC2086 # extra is two words or none
  run_step hf-runs $(( $(remaining) - 5 )) "$log" \
    python3 "$here/run_hf.py" --out "$OUT/hf_runs$suffix.csv" $extra "$@"
  return 0
}

case "$step" in
  calib) do_calib "$@" ;;
  hf) do_hf "$@" ;;
  all)
    # --quick applies to both; other arguments are not shared.
    q=""
    for a in "$@"; do [ "$a" = --quick ] && q=--quick; done
    do_calib $q
    do_hf $q
    ;;
esac

total=$(( $(date +%s) - start ))
printf '\nrun_all.sh %s: %s s in all (CALL_BUDGET_S %s), outputs in %s\n%-16s %8s %8s\n%b' \
  "$step" "$total" "$budget" "$OUT" step exit wall "$summary"
ls -l "$OUT" 2>/dev/null
exit "$status"
