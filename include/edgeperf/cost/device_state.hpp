#pragma once
/// @file
/// Resolves a `device_spec` in one power mode into the rates the cost model
/// uses, in the scalar type `T` (double, float, an autodiff or interval type).
/// Power-mode scaling (DESIGN.md §5): tensor and CUDA-core rates scale with
/// GPU clock × active SMs, DRAM bandwidth with the EMC clock, host-side costs
/// with the CPU clock (and per-clock speed of the host core).

#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/descriptions/quant.hpp"
#include "edgeperf/detail/assert.hpp"

namespace edgeperf {

/// Host costs in runtime profiles are CPU seconds on this reference core:
/// a Cortex-A78AE at 2.2 GHz (Jetson AGX Orin 64GB, MAXN; jetson-devices.md, E).
inline constexpr double reference_cpu_clock_hz = 2.2e9;

/// A device in one power mode, as rates in scalar type `T`.
template <class T = double>
struct device_state {
  T sms{};                 ///< SMs (CPU boards: cores) active in this mode
  T gpu_clock_hz{};        ///< GPU clock in this mode
  T tensor_fp16_sm{};      ///< achievable FP16 tensor FLOP/s per SM (efficiency applied)
  T tensor_bf16_sm{};      ///< achievable BF16 tensor FLOP/s per SM
  T tensor_int8_sm{};      ///< achievable INT8 tensor op/s per SM
  T tensor_fp8_sm{};       ///< achievable FP8 tensor FLOP/s per SM (0 = unsupported)
  T cuda_fp32_sm{};        ///< achievable FP32 CUDA-core FLOP/s per SM
  T cuda_fp16_sm{};        ///< achievable FP16 CUDA-core FLOP/s per SM
  T dram_bytes_per_s{};    ///< achievable DRAM bandwidth for long streams
  T l2_bytes_per_s{};      ///< bandwidth for activations that fit in L2
  T l2_bytes{};            ///< L2 capacity
  T mem_latency_s{};       ///< fixed cost per transfer (latency + bandwidth curve)
  T launch_s{};            ///< device-side gap per eagerly launched kernel
  T graph_node_s{};        ///< device-side gap per kernel inside a CUDA graph
  T host_scale{};          ///< multiplier on reference-core host seconds
  // Energy (docs/energy.md): accelerator rail unless named otherwise.
  T static_w{};            ///< accelerator-rail idle power of the mode
  T module_static_w{};     ///< module idle power of the mode
  T j_per_flop_tensor{};   ///< dynamic J per tensor-core FLOP (mode-scaled)
  T j_per_flop_cuda{};     ///< dynamic J per CUDA-core FLOP (mode-scaled)
  T j_per_byte{};          ///< dynamic J per DRAM byte
  T host_active_w{};       ///< accelerator-rail power above idle while the host works
  T cpu_active_w{};        ///< CPU-rail power while the host works (module only)
  bool cpu{false};         ///< a CPU-only board
  bool jetson{false};      ///< a Jetson (integrated Ampere) GPU: runtimes' Jetson efficiencies apply
  int mode_index{0};
};

/// Rate of the tensor/vector path for a math dtype, per SM. Falls back to the
/// CUDA cores when a dtype has no tensor-core rate (fp32, or CPU boards).
template <class T>
[[nodiscard]] constexpr T math_rate_sm(const device_state<T>& d, dtype math) {
  switch (math) {
    case dtype::fp16: return d.tensor_fp16_sm > T(0) ? d.tensor_fp16_sm : d.cuda_fp16_sm;
    case dtype::bf16: return d.tensor_bf16_sm > T(0) ? d.tensor_bf16_sm : d.cuda_fp16_sm;
    case dtype::int8: return d.tensor_int8_sm;
    case dtype::fp8: return d.tensor_fp8_sm;
    default: return d.cuda_fp32_sm;
  }
}

/// Resolves `dev` in mode `mode_index` (0 = default). The mode's clocks, SMs
/// and CPU fields override the device's reference values when non-zero.
template <class T = double>
[[nodiscard]] constexpr device_state<T> resolve(const device_spec& dev, int mode_index = 0) {
  EDGEPERF_ASSERT(mode_index >= 0 && (dev.mode_count == 0 || mode_index < dev.mode_count),
                  "mode index out of range");
  device_state<T> s{};
  s.mode_index = mode_index;
  const power_mode* pm =
      dev.mode_count > 0 ? &dev.modes[static_cast<std::size_t>(mode_index)] : nullptr;
  const auto pick = [](double mode_v, double dev_v) { return mode_v > 0 ? mode_v : dev_v; };
  s.cpu = dev.kind == device_kind::cpu;
  s.jetson = dev.kind == device_kind::jetson;
  const double cpu_clock = pick(pm ? pm->cpu_clock_hz.value : 0, dev.cpu_clock_hz.value);
  double clock = pick(pm ? pm->gpu_clock_hz.value : 0, dev.gpu_clock_hz.value);
  double sms = pick(pm ? pm->active_sms.value : 0, dev.sm_count.value);
  if (s.cpu) {  // CPU boards: cores online at the CPU clock do the math
    clock = cpu_clock > 0 ? cpu_clock : clock;
    sms = pick(pm ? pm->cpu_cores.value : 0, dev.sm_count.value);
  }
  s.sms = T(sms);
  s.gpu_clock_hz = T(clock);
  const double te = dev.tensor_efficiency.value > 0 ? dev.tensor_efficiency.value : 1.0;
  const double ce = dev.cuda_efficiency.value > 0 ? dev.cuda_efficiency.value : 1.0;
  s.tensor_fp16_sm = T(dev.tensor_fp16_flops_per_clk.value * clock * te);
  s.tensor_bf16_sm = T(dev.tensor_bf16_flops_per_clk.value * clock * te);
  s.tensor_int8_sm = T(dev.tensor_int8_ops_per_clk.value * clock * te);
  s.tensor_fp8_sm = T(dev.tensor_fp8_flops_per_clk.value * clock * te);
  s.cuda_fp32_sm = T(dev.cuda_fp32_flops_per_clk.value * clock * ce);
  s.cuda_fp16_sm = T(dev.cuda_fp16_flops_per_clk.value * clock * ce);
  const double emc = pick(pm ? pm->emc_clock_hz.value : 0, dev.emc_clock_hz.value);
  const double me = dev.mem_efficiency.value > 0 ? dev.mem_efficiency.value : 1.0;
  s.dram_bytes_per_s = T(theoretical_bandwidth(dev, emc) * me);
  // L2 bandwidth scales with the GPU clock relative to the reference clock.
  const double clk_ratio = dev.gpu_clock_hz.value > 0 ? clock / dev.gpu_clock_hz.value : 1.0;
  s.l2_bytes_per_s = dev.l2_bytes_per_s.value > 0 ? T(dev.l2_bytes_per_s.value * clk_ratio)
                                                  : s.dram_bytes_per_s;
  s.l2_bytes = T(dev.l2_bytes.value);
  s.mem_latency_s = T(dev.mem_latency_s.value);
  // Device-side launch gaps are GPU-front-end work: they stretch with the clock.
  s.launch_s = T(dev.launch_overhead_s.value / clk_ratio);
  s.graph_node_s = T(dev.graph_node_overhead_s.value / clk_ratio);
  const double speed = dev.host_speed.value > 0 ? dev.host_speed.value : 1.0;
  s.host_scale = T(cpu_clock > 0 ? reference_cpu_clock_hz / cpu_clock / speed : 1.0 / speed);
  // Energy: per-op energies scale with the mode's V² factor; idle powers are the mode's.
  const double scale = (pm && pm->dyn_energy_scale.value > 0) ? pm->dyn_energy_scale.value : 1.0;
  s.static_w = T(pm ? pm->static_power_w.value : 0.0);
  s.module_static_w = T(pm ? pm->module_static_power_w.value : 0.0);
  s.j_per_flop_tensor = T(dev.pj_per_flop_tensor.value * 1e-12 * scale);
  s.j_per_flop_cuda = T(dev.pj_per_flop_cuda.value * 1e-12 * scale);
  s.j_per_byte = T(dev.pj_per_byte_dram.value * 1e-12);
  s.host_active_w = T(dev.host_active_power_w.value);
  s.cpu_active_w = T(dev.cpu_active_power_w.value);
  return s;
}

}  // namespace edgeperf
