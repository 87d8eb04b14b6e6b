#pragma once
/// @file
/// Resolves a `device_spec` in one power mode into the rates the cost model
/// uses, in the scalar type `T` (double, float, an autodiff or interval type).
/// Power-mode scaling (DESIGN.md §5): tensor and CUDA-core rates scale with
/// GPU clock × active SMs, DRAM bandwidth with the EMC clock, host-side costs
/// with the CPU clock (and per-clock speed of the host core).
///
/// Power-mode scaling of energy (docs/energy.md, "DVFS"), an assumption stated
/// once and used everywhere: over the DVFS range the supply voltage is roughly
/// proportional to the clock, V/V_ref = max(f/f_ref, v_min), with f_ref the
/// device's top clock and v_min = √0.3 ≈ 0.55 (the voltage stops falling near
/// 0.55 V of ~1.0 V). Then
///   energy per op      ∝ V²                  (`dvfs_energy_ratio`)
///   dynamic power      ∝ f · V²              (`dvfs_power_ratio`)
/// Per-op energies take the mode's `dyn_energy_scale` (its V² factor). Power
/// drawn during host work follows the host's activity, f·V² of the CPU clock,
/// on every rail: on Orin NX/Nano and CPU boards the CPU itself is on the
/// accelerator rail; on AGX Orin VDD_GPU_SOC carries the SoC fabric and memory
/// controller serving the CPU's traffic at its pace, and VDD_CPU_CV the CPU. `throttle_clocks` lowers the GPU and CPU clocks
/// further when a mode's power budget binds (phases/power_cap.hpp).

#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/descriptions/quant.hpp"
#include "edgeperf/detail/assert.hpp"

namespace edgeperf {

/// Host costs in runtime profiles are CPU seconds on this reference core:
/// a Cortex-A78AE at 2.2 GHz (Jetson AGX Orin 64GB, MAXN; jetson-devices.md, E).
inline constexpr double reference_cpu_clock_hz = 2.2e9;

/// Lowest supply voltage over the DVFS range relative to the top clock's:
/// √0.3 ≈ 0.55 (≈ 0.55 V of ≈ 1.0 V; assumed, typical of 8 nm mobile GPUs).
inline constexpr double dvfs_min_voltage_ratio = 0.5477225575051661;

/// V(f)/V(f_ref) under the DVFS assumption above (f, f_ref > 0).
[[nodiscard]] constexpr double dvfs_voltage_ratio(double f_hz, double f_ref_hz) {
  const double r = f_hz / f_ref_hz;
  return r > dvfs_min_voltage_ratio ? r : dvfs_min_voltage_ratio;
}

/// Energy per op at clock f relative to f_ref: (V(f)/V(f_ref))².
[[nodiscard]] constexpr double dvfs_energy_ratio(double f_hz, double f_ref_hz) {
  const double v = dvfs_voltage_ratio(f_hz, f_ref_hz);
  return v * v;
}

/// Dynamic power at clock f relative to f_ref at the same activity: f·V².
[[nodiscard]] constexpr double dvfs_power_ratio(double f_hz, double f_ref_hz) {
  return f_hz / f_ref_hz * dvfs_energy_ratio(f_hz, f_ref_hz);
}

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
  T host_active_w{};       ///< accelerator-rail power above idle while the host works (mode-scaled)
  T cpu_active_w{};        ///< CPU-rail power while the host works (module only; mode-scaled)
  T gpu_ref_clock_hz{};    ///< f_ref of the DVFS curve: the device's top GPU (CPU boards: CPU) clock
  T cpu_clock_hz{};        ///< host CPU clock in this mode (0 = unknown)
  T cpu_ref_clock_hz{};    ///< f_ref of the CPU's DVFS curve: the device's top CPU clock
  T power_cap_w{};         ///< the mode's module power budget; 0 = none (phases/power_cap.hpp)
  T clock_scale{1};        ///< throttle: GPU and CPU clocks relative to the mode's caps (1 = unthrottled)
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
  // Host-work power: f·V² of the CPU clock relative to the device's top CPU clock.
  const double ref_clock = s.cpu ? (dev.cpu_clock_hz.value > 0 ? dev.cpu_clock_hz.value : clock)
                                 : (dev.gpu_clock_hz.value > 0 ? dev.gpu_clock_hz.value : clock);
  const double cpu_ref = dev.cpu_clock_hz.value > 0 ? dev.cpu_clock_hz.value : cpu_clock;
  const double cpu_power = cpu_clock > 0 && cpu_ref > 0 ? dvfs_power_ratio(cpu_clock, cpu_ref) : 1.0;
  s.host_active_w = T(dev.host_active_power_w.value * cpu_power);
  s.cpu_active_w = T(dev.cpu_active_power_w.value * cpu_power);
  s.gpu_ref_clock_hz = T(ref_clock);
  s.cpu_clock_hz = T(cpu_clock);
  s.cpu_ref_clock_hz = T(cpu_ref);
  s.power_cap_w = T(pm ? pm->power_cap_w.value : 0.0);
  return s;
}

/// `d` with its GPU and CPU clocks lowered to `phi` × the mode's (0 < phi ≤ 1),
/// as DVFS throttling does when a mode's power budget binds (phases/
/// power_cap.hpp; both domains share the module budget, the EMC clock stays):
/// the tensor and CUDA-core rates and the L2 bandwidth scale with the GPU
/// clock, the device-side launch gaps stretch and per-op energies follow V²;
/// host time stretches with the CPU clock and host-work powers follow its f·V²
/// (`dvfs_*`). DRAM bandwidth and idle powers are unchanged.
template <class T>
[[nodiscard]] constexpr device_state<T> throttle_clocks(const device_state<T>& d, double phi) {
  EDGEPERF_ASSERT(phi > 0 && phi <= 1, "throttle factor out of (0, 1]");
  if (phi == 1) return d;
  device_state<T> s = d;
  const auto ratio = [](double f, double f_ref, double x, bool power) {
    if (!(f > 0)) return 1.0;
    const double ref = f_ref > 0 ? f_ref : f;
    return power ? dvfs_power_ratio(x * f, ref) / dvfs_power_ratio(f, ref)
                 : dvfs_energy_ratio(x * f, ref) / dvfs_energy_ratio(f, ref);
  };
  const double f = static_cast<double>(d.gpu_clock_hz), f_ref = static_cast<double>(d.gpu_ref_clock_hz);
  const double fc = static_cast<double>(d.cpu_clock_hz), fc_ref = static_cast<double>(d.cpu_ref_clock_hz);
  const double e = ratio(f, f_ref, phi, false);
  const double cpu_p = ratio(fc, fc_ref, phi, true);
  const T p = T(phi);
  s.gpu_clock_hz = d.gpu_clock_hz * p;
  s.tensor_fp16_sm = d.tensor_fp16_sm * p;
  s.tensor_bf16_sm = d.tensor_bf16_sm * p;
  s.tensor_int8_sm = d.tensor_int8_sm * p;
  s.tensor_fp8_sm = d.tensor_fp8_sm * p;
  s.cuda_fp32_sm = d.cuda_fp32_sm * p;
  s.cuda_fp16_sm = d.cuda_fp16_sm * p;
  s.l2_bytes_per_s = d.l2_bytes_per_s * p;
  s.launch_s = d.launch_s / p;
  s.graph_node_s = d.graph_node_s / p;
  s.j_per_flop_tensor = d.j_per_flop_tensor * T(e);
  s.j_per_flop_cuda = d.j_per_flop_cuda * T(e);
  s.host_active_w = d.host_active_w * T(cpu_p);
  s.cpu_active_w = d.cpu_active_w * T(cpu_p);
  s.cpu_clock_hz = d.cpu_clock_hz * p;
  s.host_scale = d.host_scale / p;
  s.clock_scale = d.clock_scale * p;
  return s;
}

}  // namespace edgeperf
