#!/usr/bin/env bash
# The 5-minute Jetson path (docs/calibration.md, "On a Jetson in 5 minutes"):
# checks the board is set up for a calibration, records the power mode, the
# clocks and the INA3221 rails with their sampling settings, builds the suite
# for sm_87 if needed and runs it with --quick under a time budget.
#
#   calibration/jetson_quick.sh [--budget SECONDS] [--out FILE] [--force]
#
# Defaults: --budget 240 (the suite's own share; the checks and an
# incremental build add about a minute), --out orin-<mode>.json in the
# current folder. Without --force it stops when the GPU clock is not pinned
# (run `sudo jetson_clocks` first) or another process uses the GPU. Needs no
# root itself; with sudo the EMC clock and `jetson_clocks --show` are recorded
# too. Prints the `edgeperf fit` command for the board's catalog id.
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
budget=240
out=""
force=no
while [ $# -gt 0 ]; do
  case "$1" in
    --budget) budget=${2:-}; shift 2 ;;
    --out) out=${2:-}; shift 2 ;;
    --force) force=yes; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "jetson_quick.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$budget" in ''|*[!0-9]*) echo "jetson_quick.sh: --budget expects whole seconds, got '$budget'" >&2; exit 2 ;; esac

say() { printf '== %s\n' "$*"; }
warn() { printf 'jetson_quick.sh: %s\n' "$*" >&2; }

# ---- 1. the board and its release ---------------------------------------------------
model=""
[ -r /proc/device-tree/model ] && model=$(tr -d '\0' </proc/device-tree/model)
[ -n "$model" ] || { warn "no /proc/device-tree/model: not a Jetson (use calibration/validate/run_all.sh on a discrete GPU)"; exit 2; }
say "board: $model"
say "L4T: $(head -n1 /etc/nv_tegra_release 2>/dev/null || echo unknown)"
case "$model" in
  *"AGX Orin"*64GB*|*"AGX Orin Developer Kit"*) base=agx-orin-64gb ;;
  *"AGX Orin"*) base=agx-orin-32gb ;;
  *"Orin NX"*16GB*) base=orin-nx-16gb ;;
  *"Orin NX"*) base=orin-nx-8gb ;;
  *"Orin Nano"*4GB*) base=orin-nano-4gb ;;
  *"Orin Nano"*) base=orin-nano-8gb ;;
  *) base="" ; warn "board '$model' has no edgeperf catalog id: the fit will build a profile from the measurements" ;;
esac

# ---- 2. power mode (recorded by the suite too) ----------------------------------------
mode=default
if command -v nvpmodel >/dev/null 2>&1; then
  q=$(nvpmodel -q 2>&1)
  printf '%s\n' "$q" | sed 's/^/   /'
  mode=$(printf '%s\n' "$q" | sed -n 's/^NV Power Mode: *\([^ ]*\).*/\1/p' | head -n1)
  [ -n "$mode" ] || mode=unknown
else
  warn "nvpmodel not found: the power mode cannot be recorded"
fi

# ---- 3. clocks pinned? (jetson_clocks sets min = max = cur) --------------------------
pinned=no
for d in /sys/class/devfreq/*ga10b* /sys/class/devfreq/*.gpu; do
  [ -r "$d/cur_freq" ] || continue
  lo=$(cat "$d/min_freq"); hi=$(cat "$d/max_freq"); cur=$(cat "$d/cur_freq")
  say "GPU devfreq $(basename "$d"): min $lo max $hi cur $cur Hz"
  [ "$lo" = "$hi" ] && [ "$cur" = "$hi" ] && pinned=yes
done
if [ "$pinned" = no ]; then
  warn "the GPU clock is not pinned: run 'sudo jetson_clocks' (and 'sudo jetson_clocks --fan'), or --force to calibrate with DVFS"
  [ "$force" = yes ] || exit 1
fi
if command -v jetson_clocks >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then jetson_clocks --show | sed 's/^/   /'; fi

# ---- 4. INA3221 rails and their sampling settings ----------------------------------------
rails=0
for h in /sys/class/hwmon/hwmon*; do
  [ "$(cat "$h/name" 2>/dev/null)" = ina3221 ] || continue
  say "INA3221 $(basename "$h"): update_interval $(cat "$h/update_interval" 2>/dev/null || echo '?') ms, samples $(cat "$h/samples" 2>/dev/null || echo '?')"
  for l in "$h"/in*_label; do
    [ -r "$l" ] || continue
    lab=$(cat "$l"); [ "$lab" = NC ] && continue
    printf '   %s\n' "$lab"; rails=$((rails + 1))
  done
done
[ "$rails" -gt 0 ] || warn "no INA3221 rails readable: no power figures (static power, pJ/FLOP, pJ/byte) this run"

# ---- 5. nothing else on the GPU -----------------------------------------------------------
load=$(cat /sys/devices/platform/gpu.0/load 2>/dev/null || cat /sys/devices/gpu.0/load 2>/dev/null || echo "")
if [ -n "$load" ] && [ "$load" -gt 50 ]; then
  warn "GPU load is ${load}/1000 before the run: stop other GPU users (desktop, containers)"
  [ "$force" = yes ] || exit 1
fi

# ---- 6. build for sm_87 (incremental when already built) -------------------------------
bdir=${BUILD_DIR:-$repo/build-calib-orin}
export PATH="/usr/local/cuda/bin:$PATH"
t0=$(date +%s)
if ! cmake -S "$repo/calibration" -B "$bdir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES=87 >/dev/null ||
   ! cmake --build "$bdir" --target edgeperf_calibrate -j "$(nproc)"; then
  warn "building the suite failed"
  exit 1
fi
say "suite built in $(( $(date +%s) - t0 )) s"

# ---- 7. run: --quick under the budget --------------------------------------------------
[ -n "$out" ] || out="orin-$(printf '%s' "$mode" | tr -c 'A-Za-z0-9_-' '_').json"
"$bdir/edgeperf_calibrate" --quick --budget "$budget" --out "$out"
rc=$?
say "measurements: $out (exit $rc)"
if [ -n "$base" ]; then
  say "next: edgeperf fit --measurements $out --base $base -o $base-$mode-profile.json  (the mode comes from nvpmodel -q in the file)"
else
  say "next: edgeperf fit --measurements $out -o orin-$mode-profile.json"
fi
say "restore: sudo jetson_clocks --restore (if you pinned the clocks for this run)"
exit "$rc"
