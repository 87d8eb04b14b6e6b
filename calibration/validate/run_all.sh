#!/usr/bin/env bash
# Calibration and real-run validation on a GPU machine in ONE call under a
# time budget. Run from anywhere; paths are taken from the repository this
# script lives in. See docs/calibration.md and calibration/validate/README.md.
#
#   run_all.sh [all] [--quick]         the one call (default; CALL_BUDGET_S, default
#                                      540 s = 9 min): build the suite, then in
#                                      priority order
#                                        1. calibrate: memory, launch, idle power,
#                                           fp16 GEMM, W4 GEMV, attention
#                                        2. HF runs (run_hf.py --quick unless
#                                           HF_GRID=full), eager then static
#                                        3. calibrate: other GEMM dtypes and the
#                                           loaded power phases, merged into
#                                           measurements.json
#                                      each stopped in time; everything finished is
#                                      written to $OUT, with next-steps.txt (the fit
#                                      and validate commands for this device id)
#   run_all.sh deps                    (here, before the GPU session) copy the
#                                      nlohmann_json headers into build-deps/
#                                      so they can travel (carry: build-deps)
#   run_all.sh calib [--quick] [...]   build calibration/ and run edgeperf_calibrate
#                                      -> $OUT/measurements.json, $OUT/calib.log
#   run_all.sh hf [--quick] [...]      run_hf.py -> $OUT/hf_runs[-quick|-eager|-static].csv
#                                      (+ .skipped.csv, .env.json), $OUT/hf.log
#
# Extra arguments go to edgeperf_calibrate (calib) or run_hf.py (hf); `all`
# takes only --quick. Environment: OUT (output folder, default out/validate),
# BUILD_DIR (the suite's build folder, default build-calib; a carried, already
# built folder skips the compile), CALL_BUDGET_S (seconds this call may take;
# default 540 for all, 570 for calib/hf), HF_SHARE (fraction of the time left
# after the build that the HF runs get, default 0.45), HF_GRID (quick or
# full, default quick), DEVICE_ID (the runs' device column and the fit's
# --base; default from the GPU name as run_hf.py maps it: h200, h100-sxm).
# Each step is stopped with `timeout` so the call returns within the budget;
# edgeperf_calibrate gets --budget and run_hf.py --budget-s so they stop
# starting configurations in time and write what they finished. No downloads:
# random weights, the config.json files in tests/data/hf. A failed step does
# not stop the next; the exit status is that of the last failed step.
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
step=${1:-all}
[ $# -gt 0 ] && shift
case "$step" in
  calib|hf|all|deps) ;;
  --quick) set -- --quick "$@"; step=all ;;
  -h|--help) sed -n '2,44p' "$0"; exit 0 ;;
  *) echo "run_all.sh: unknown step '$step' (expected calib, hf, all or deps)" >&2; exit 2 ;;
esac

if [ "$step" = all ]; then budget=${CALL_BUDGET_S:-540}; else budget=${CALL_BUDGET_S:-570}; fi
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
bdir=${BUILD_DIR:-$repo/build-calib}
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

# build_suite LOG: configure + build the suite for this machine's GPU only
# (one architecture compiles in a fraction of the time of the default list).
build_suite() {
  local log=$1 cmake_args arch=""
  cmake_args="-DCMAKE_BUILD_TYPE=Release"
  if [ -f "$repo/build-deps/share/cmake/nlohmann_json/nlohmann_jsonConfig.cmake" ]; then
    cmake_args="$cmake_args -Dnlohmann_json_DIR=$repo/build-deps/share/cmake/nlohmann_json"
  fi
  command -v ninja >/dev/null 2>&1 && cmake_args="$cmake_args -G Ninja"
  if command -v nvidia-smi >/dev/null 2>&1; then
    arch=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -n1 | tr -d ' .')
    case "$arch" in ''|*[!0-9]*) arch="" ;; *) cmake_args="$cmake_args -DCMAKE_CUDA_ARCHITECTURES=$arch" ;; esac
  fi
  # shellcheck disable=SC2086 # cmake_args is a list of words
  run_step calib-configure "$(min "$(remaining)" 120)" "$log" \
    cmake -S "$repo/calibration" -B "$bdir" $cmake_args || return 1
  run_step calib-build "$(min $(( $(remaining) - 60 )) 360)" "$log" \
    cmake --build "$bdir" --target edgeperf_calibrate -j "$(nproc 2>/dev/null || echo 4)"
}

machine_header() {
  echo "run_all.sh $1: $(date -u +%FT%TZ), repo $repo, OUT $OUT"
  nvidia-smi 2>&1 | head -20 || true
  if command -v nvcc >/dev/null 2>&1; then nvcc --version | tail -2; fi
}

do_calib() {
  local log="$OUT/calib.log"
  : >"$log"
  machine_header calib | tee -a "$log"
  if ! build_suite "$log"; then
    note_step calib-run "skipped" -
  else
    run_step calib-run $(( $(remaining) - 5 )) "$log" \
      "$bdir/edgeperf_calibrate" --out "$OUT/measurements.json" --budget $(( $(remaining) - 15 )) "$@"
  fi
  [ -f "$OUT/measurements.json" ] && echo "measurements: $OUT/measurements.json" | tee -a "$log"
  return 0
}

# merge_measurements A B: appends B's benchmarks, power phases, skips, checks,
# errors and benchmark wall times to A (A keeps its run id).
merge_measurements() {
  python3 - "$1" "$2" <<'PY'
import json, sys
a_path, b_path = sys.argv[1], sys.argv[2]
a = json.load(open(a_path))
b = json.load(open(b_path))
for key in ("benchmarks", "skipped", "checks"):
    a.setdefault(key, []).extend(b.get(key) or [])
a.setdefault("power", {}).setdefault("phases", []).extend((b.get("power") or {}).get("phases") or [])
a["run"].setdefault("errors", []).extend(b["run"].get("errors") or [])
a["run"].setdefault("bench_wall_s", {}).update(b["run"].get("bench_wall_s") or {})
a["run"]["wall_s"] = (a["run"].get("wall_s") or 0) + (b["run"].get("wall_s") or 0)
a["run"]["finished_utc"] = b["run"].get("finished_utc")
a["run"]["command_line"] = a["run"].get("command_line", "") + " && " + b["run"].get("command_line", "")
a.setdefault("telemetry", {})["end"] = (b.get("telemetry") or {}).get("end")
with open(a_path + ".partial", "w") as f:
    json.dump(a, f, indent=1)
PY
  [ -f "$1.partial" ] && mv "$1.partial" "$1"
}

# device_id: the runs' device column and the fit's --base, as run_hf.py maps the GPU name.
device_id() {
  if [ -n "${DEVICE_ID:-}" ]; then echo "$DEVICE_ID"; return; fi
  local name
  name=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n1)
  python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import run_hf; print(run_hf.device_id_from_name(sys.argv[2])[0])' \
    "$here" "$name" 2>/dev/null || echo unknown-gpu
}

do_all() {
  local log="$OUT/run_all.log" q=$1 id left hf_budget hf_left hf_grid=${HF_GRID:-quick} share=${HF_SHARE:-0.45}
  : >"$log"
  machine_header all | tee -a "$log"
  id=$(device_id)
  echo "device id: $id (the runs' device column and the fit's --base)" | tee -a "$log"
  # Step 1: the calibration that matters most; HF_SHARE of what is left after it starts goes to step 2.
  if ! build_suite "$log"; then
    note_step calib-core "skipped" -
  else
    left=$(( $(remaining) - 20 ))
    hf_budget=$(python3 -c "print(int($left * $share))" 2>/dev/null || echo $(( left / 2 )))
    # shellcheck disable=SC2086 # q is --quick or nothing
    run_step calib-core $(( left - hf_budget )) "$log" \
      "$bdir/edgeperf_calibrate" --out "$OUT/measurements.json" $q \
      --only memory,launch,power_idle,gemm,dequant,attention --budget $(( left - hf_budget - 10 ))
  fi
  # Step 2: HF runs, eager then static, on the quick grid unless HF_GRID=full.
  local hf_args=(--out "$OUT/hf_runs.csv" --device-id "$id")
  [ "$hf_grid" = quick ] && hf_args+=(--quick)
  hf_left=$(( $(remaining) - 60 ))
  run_step hf-runs $(( hf_left > 30 ? hf_left : 30 )) "$OUT/hf.log" \
    python3 "$here/run_hf.py" "${hf_args[@]}" --budget-s $(( hf_left - 45 > 20 ? hf_left - 45 : 20 ))
  # Step 3: the rest of the calibration, merged into measurements.json.
  if [ -x "$bdir/edgeperf_calibrate" ] && [ "$(remaining)" -gt 30 ]; then
    # shellcheck disable=SC2086 # q is --quick or nothing
    run_step calib-extra $(( $(remaining) - 5 )) "$log" \
      "$bdir/edgeperf_calibrate" --out "$OUT/measurements-extra.json" $q \
      --only gemm_dtypes,power_loaded --budget $(( $(remaining) - 15 ))
    if [ -f "$OUT/measurements.json" ] && [ -f "$OUT/measurements-extra.json" ]; then
      merge_measurements "$OUT/measurements.json" "$OUT/measurements-extra.json" &&
        echo "merged measurements-extra.json into measurements.json" | tee -a "$log"
    fi
  else
    note_step calib-extra "no time" -
  fi
  {
    echo "# On the dev machine, with the files of $OUT here (docs/calibration.md, \"One call\"):"
    echo "edgeperf fit --measurements measurements.json --base $id -o $id-profile.json"
    echo "edgeperf validate --runs hf_runs.csv --device $id-profile.json --runtime hf-eager"
    echo "edgeperf validate --runs hf_runs.csv --device $id-profile.json --runtime calibration/validate/hf-static.json"
  } >"$OUT/next-steps.txt"
  echo "next steps: $OUT/next-steps.txt" | tee -a "$log"
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
  { machine_header hf
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
    q=""
    for a in "$@"; do
      case "$a" in
        --quick) q=--quick ;;
        *) echo "run_all.sh all: unknown argument '$a' (only --quick; see --help)" >&2; exit 2 ;;
      esac
    done
    do_all "$q"
    ;;
esac

total=$(( $(date +%s) - start ))
printf '\nrun_all.sh %s: %s s in all (CALL_BUDGET_S %s), outputs in %s\n%-16s %8s %8s\n%b' \
  "$step" "$total" "$budget" "$OUT" step exit wall "$summary"
ls -l "$OUT" 2>/dev/null
exit "$status"
