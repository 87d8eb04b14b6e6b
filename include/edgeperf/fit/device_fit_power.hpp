#pragma once
/// @file
/// Power part of the device fit: static power from the idle phase, dynamic
/// energy per tensor FLOP and per DRAM byte from the loaded phases.
///
/// Idle: the median of the accelerator rail(s) (`accel_rail`, `+` sums) and
/// of the module rail → the mode's `static_power_w`, `module_static_power_w`.
/// Loaded: each phase's dynamic energy on the accelerator rail, E = (P −
/// P_idle) · duration, is the FLOPs and bytes it executed times the
/// coefficients: E_compute = F_c·e_f + B_c·e_b and E_memory = F_m·e_f + B_m·e_b,
/// a 2×2 system (the compute-bound GEMM moves some bytes, the copy does no
/// FLOPs) → `pj_per_flop_tensor`, `pj_per_byte_dram`. σ of every figure from
/// the standard error of the power medians (IQR or 10–90 % range over √n),
/// propagated through the system.

#include <cmath>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "edgeperf/fit/device_fit_detail.hpp"

namespace edgeperf::fit::detail {

inline void fit_power(device_fitter& f) {
  const auto accel = split_rails(f.d.accel_rail.view());
  const auto module = split_rails(f.d.module_rail.view());
  power_mode& pm = f.d.modes[static_cast<std::size_t>(f.mode)];
  const std::string mode_field = "modes[" + std::to_string(f.mode) + "].";
  double idle_w = 0, idle_sigma = 0;
  bool have_idle = false;
  for (const char* phase : {"idle", "compute", "memory"}) {
    const fit::power_phase* ph = f.m.phase(phase);
    if (!ph) continue;
    const bool idle = std::string(phase) == "idle";
    double w = 0, sw = 0;
    if (rail_power(*ph, accel, w, &sw)) {
      f.measured(std::string("power.") + phase + ".accel_w", w, "W");
      if (idle) {
        f.set(mode_field + "static_power_w", pm.static_power_w, w, sw, "power idle, " + std::string(f.d.accel_rail.view()));
        idle_w = w, idle_sigma = sw, have_idle = true;
      }
    } else if (idle) {
      std::string have;
      for (const auto& r : ph->rails) have += (have.empty() ? "" : ", ") + r.rail;
      f.note("power: accelerator rail '" + std::string(f.d.accel_rail.view()) + "' not in the idle phase (have: " +
             have + "); static_power_w kept");
    }
    if (rail_power(*ph, module, w, &sw)) {
      f.measured(std::string("power.") + phase + ".module_w", w, "W");
      if (idle)
        f.set(mode_field + "module_static_power_w", pm.module_static_power_w, w, sw,
              "power idle, " + std::string(f.d.module_rail.view()));
    }
  }
  // Energy coefficients from the two loaded phases.
  const fit::power_phase* pc = f.m.phase("compute");
  const fit::power_phase* pmem = f.m.phase("memory");
  if (!have_idle || !pc || !pmem) {
    if (pc || pmem) f.note("power: energy coefficients need the idle, compute and memory phases; pj_per_* kept");
    return;
  }
  double wc = 0, sc = 0, wm = 0, sm = 0;
  if (!rail_power(*pc, accel, wc, &sc) || !rail_power(*pmem, accel, wm, &sm) || !(pc->duration_s > 0) ||
      !(pmem->duration_s > 0) || !(pc->flops > 0) || !(pmem->bytes > 0)) {
    f.note("power: a loaded phase lacks the accelerator rail, its duration, FLOPs or bytes; pj_per_* kept");
    return;
  }
  Eigen::Matrix2d A;
  A << pc->flops, pc->bytes, pmem->flops, pmem->bytes;
  const Eigen::Vector2d e((wc - idle_w) * pc->duration_s, (wm - idle_w) * pmem->duration_s);
  const Eigen::Vector2d x = A.fullPivLu().solve(e);  // J per FLOP, J per byte
  // Covariance of e: each phase's own spread plus the shared idle term.
  Eigen::Matrix2d ce;
  const double vi = idle_sigma * idle_sigma;
  ce << (sc * sc + vi) * pc->duration_s * pc->duration_s, vi * pc->duration_s * pmem->duration_s,
      vi * pc->duration_s * pmem->duration_s, (sm * sm + vi) * pmem->duration_s * pmem->duration_s;
  const Eigen::Matrix2d ai = A.inverse();
  const Eigen::Matrix2d cx = ai * ce * ai.transpose();
  f.measured("power.compute.dynamic_w", wc - idle_w, "W");
  f.measured("power.memory.dynamic_w", wm - idle_w, "W");
  if (!(x(0) > 0) || !(x(1) > 0) || !std::isfinite(x(0)) || !std::isfinite(x(1))) {
    f.note("power: loaded phases give a non-positive energy per FLOP or per byte (" + std::to_string(x(0) * 1e12) +
           " pJ/FLOP, " + std::to_string(x(1) * 1e12) + " pJ/B); pj_per_* kept");
    return;
  }
  f.set("pj_per_flop_tensor", f.d.pj_per_flop_tensor, x(0) * 1e12, std::sqrt(std::max(0.0, cx(0, 0))) * 1e12,
        "power compute (fp16 tensor GEMM) and memory phases minus idle, 2x2 solve on FLOPs and bytes");
  f.set("pj_per_byte_dram", f.d.pj_per_byte_dram, x(1) * 1e12, std::sqrt(std::max(0.0, cx(1, 1))) * 1e12,
        "power memory (copy) and compute phases minus idle, 2x2 solve on FLOPs and bytes");
}

}  // namespace edgeperf::fit::detail
