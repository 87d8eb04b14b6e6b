#pragma once
/// @file
/// `fit_device`: turns the calibration suite's measurements
/// (fit/measurements.hpp, docs/calibration.md) into a device profile plus a
/// residual report, using the library's own cost model so that the profile
/// reproduces the measurements it came from (shared/DESIGN.md §8, issue 5).
///
/// Each parameter comes from the measurement built for it, in one power mode
/// (the one `nvpmodel -q` names, else the first), always through `resolve()`
/// so that mode scaling stays consistent. In the order the fit runs:
///   - launch (device_fit_launch.hpp): the device-side gap per kernel and per
///     graph node from launches queued behind a blocking kernel →
///     `launch_overhead_s`, `graph_node_overhead_s`; host issue cost and the
///     sync round trip reported. Every later part takes this gap off each
///     timed kernel;
///   - memory (device_fit_memory.hpp): the read-only sweep with the cache
///     flushed → `mem_efficiency`, `mem_latency_s`; warm → `l2_bytes_per_s`;
///   - GEMM (device_fit_gemm.hpp): cuBLASLt M-sweeps with the tile cuBLASLt
///     chose → `tensor_efficiency` (reference tile) and per-tile efficiencies;
///     the fixed-tile WMMA kernel with its measured occupancy → its kernel
///     efficiency and the padding staircase;
///   - kernels (device_fit_kernels.hpp): the production W4A16 GEMV →
///     `cuda_efficiency` when dequant-bound (else its memory fraction);
///     attention prefill/decode fractions reported;
///   - power (device_fit_power.hpp): idle → `static_power_w`,
///     `module_static_power_w`; compute- and memory-bound phases →
///     `pj_per_flop_tensor`, `pj_per_byte_dram`.
/// Every fitted field becomes `sourced{value, source::calibrated,
/// "calibrated: run <run id>"}`, and every fitted parameter carries its 1-σ
/// uncertainty. Records sampled while a throttle reason was active are left
/// out (noted).
///
/// Residuals: per benchmark, n, R² of log time (times span decades), mean and
/// worst relative error and the worst case.
///
/// The fit is tested without a GPU on measurements synthesized from a known
/// profile with the same model plus noise (tests/support/synthetic_measurements.hpp,
/// tests/fit/device_fit_test.cpp: every parameter within 3 %).

#include <cmath>
#include <string>

#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/fit/device_fit_base.hpp"
#include "edgeperf/fit/device_fit_detail.hpp"
#include "edgeperf/fit/device_fit_gemm.hpp"
#include "edgeperf/fit/device_fit_kernels.hpp"
#include "edgeperf/fit/device_fit_launch.hpp"
#include "edgeperf/fit/device_fit_memory.hpp"
#include "edgeperf/fit/device_fit_power.hpp"
#include "edgeperf/fit/device_fit_types.hpp"
#include "edgeperf/fit/measurements.hpp"

namespace edgeperf::fit {

namespace detail {

/// Notes where the device's reported properties disagree with the base profile.
inline void check_base(device_fitter& f) {
  const auto& p = f.m.device;
  const device_spec& d = f.d;
  const power_mode& pm = d.modes[static_cast<std::size_t>(f.mode)];
  const double sms = pm.active_sms.value > 0 ? pm.active_sms.value : d.sm_count.value;
  if (p.sm_count > 0 && std::fabs(p.sm_count - sms) > 0.5)
    f.note("device reports " + std::to_string(p.sm_count) + " SMs, the profile's mode has " +
           std::to_string(static_cast<int>(sms)));
  if (p.l2_bytes > 0 && std::fabs(p.l2_bytes - d.l2_bytes.value) > 0.02 * d.l2_bytes.value)
    f.note("device reports L2 " + format_bytes(p.l2_bytes) + ", the profile has " + format_bytes(d.l2_bytes.value));
  if (p.memory_bus_bits > 0 && p.memory_bus_bits != d.mem_bus_bits.value)
    f.note("device reports a " + std::to_string(static_cast<int>(p.memory_bus_bits)) + "-bit bus, the profile " +
           std::to_string(static_cast<int>(d.mem_bus_bits.value)));
  if (p.clock_hz > 0 && std::fabs(p.clock_hz - pm.gpu_clock_hz.value) > 0.05 * pm.gpu_clock_hz.value)
    f.note("device reports a peak SM clock of " + std::to_string(p.clock_hz / 1e6) + " MHz, the profile's mode " +
           std::to_string(pm.gpu_clock_hz.value / 1e6) + " MHz: rates are referred to the profile's clock");
  if (f.m.device.integrated && !f.m.clocks_pinned && f.schema >= 2)
    f.note("Jetson clocks were not pinned (jetson_clocks): DVFS may have lowered clocks between samples");
}

}  // namespace detail

/// Fits the profile `base` (a catalog entry or a loaded profile) to the
/// measurements `m`; see the file comment for what is fitted and how.
[[nodiscard]] inline device_fit_result fit_device(const fit::measurements& m, const device_spec& base,
                                                  const device_fit_options& opt = {}) {
  device_fit_result res{};
  res.profile = base;
  if (res.profile.mode_count < 1) {  // a profile without modes: one mode at the reference clocks
    power_mode& pm = res.profile.modes[0];
    pm.name = "default";
    pm.gpu_clock_hz = base.gpu_clock_hz;
    pm.emc_clock_hz = base.emc_clock_hz;
    pm.active_sms = base.sm_count;
    pm.cpu_cores = base.cpu_cores;
    pm.cpu_clock_hz = base.cpu_clock_hz;
    res.profile.mode_count = 1;
  }
  const int schema = fit::measurements_schema_version(m.schema);
  res.schema_version = schema;
  detail::device_fitter f{m, opt, res, res.profile, 0, m.run.id, schema > 0 ? schema : 2};
  const std::string wanted = !opt.mode.empty() ? opt.mode : detail::nvpmodel_mode_name(m.nvpmodel_q);
  if (!wanted.empty()) {
    const int i = detail::match_mode(res.profile, wanted);
    if (i >= 0) f.mode = i;
    else f.note("power mode '" + wanted + "' not in the profile; fitted in mode '" +
                std::string(res.profile.modes[0].name.view()) + "'");
  }
  res.mode_index = f.mode;
  detail::check_base(f);
  detail::fit_launch(f);  // first: the others take the device-side gap off their kernels
  detail::fit_memory(f);
  detail::fit_gemm(f);
  detail::fit_dequant(f);
  detail::fit_attention(f);
  detail::fit_power(f);
  return res;
}

/// Fits a profile built from the measured device properties alone
/// (`device_spec_from_measurements`): no catalog base.
[[nodiscard]] inline device_fit_result fit_device(const fit::measurements& m, const device_fit_options& opt = {}) {
  return fit_device(m, device_spec_from_measurements(m), opt);
}

}  // namespace edgeperf::fit
