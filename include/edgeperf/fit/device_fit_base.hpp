#pragma once
/// @file
/// `device_spec_from_measurements`: a starting profile built from what the
/// measurements say about the device (SMs, clocks, bus, L2, memory, rails)
/// when no catalog profile is given as the base of the device fit.

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/fit/device_fit_detail.hpp"
#include "edgeperf/fit/measurements.hpp"

namespace edgeperf::fit {

/// A minimal device profile from the measured device properties alone (no
/// catalog base): SMs, clocks, bus width, L2 and memory copied (calibrated,
/// the run id in the note), the rest marked assumed starting values. Clocks
/// fall back to the telemetry (NVML max clocks, devfreq) where the CUDA
/// runtime reports 0. Per-clock tensor rates stay 0 until the GEMM fit.
[[nodiscard]] inline device_spec device_spec_from_measurements(const fit::measurements& m) {
  namespace dd = edgeperf::detail;
  const auto& p = m.device;
  const std::string run = m.run.id;
  const auto copied = [&](double v, const char* what) { return detail::calibrated(v, run, what); };
  const auto assumed = [](double v, const char* why) { return sourced{v, source::assumed, why}; };
  device_spec d{};
  std::string id;
  for (char c : p.name.empty() ? std::string("calibrated-gpu") : p.name) {
    const char lc = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::isalnum(static_cast<unsigned char>(lc))) id += lc;
    else if (!id.empty() && id.back() != '-') id += '-';
  }
  while (!id.empty() && id.back() == '-') id.pop_back();
  d.id = name_string(std::string_view(id));
  d.kind = p.integrated ? device_kind::jetson : device_kind::discrete_gpu;
  d.sm_count = copied(p.sm_count, "cudaDeviceProp");
  double clock = p.clock_hz;
  if (!(clock > 0)) clock = detail::telemetry_value(m.telemetry_start, "nvml.max_clock_sm_hz", "");
  if (!(clock > 0)) clock = detail::telemetry_value(m.telemetry_start, "devfreq.", ".max_freq_hz");
  d.gpu_clock_hz = clock > 0 ? copied(clock, "peak SM clock") : assumed(1e9, "SM clock not reported; 1 GHz assumed");
  double mem_clock = p.memory_clock_hz;
  if (!(mem_clock > 0)) mem_clock = detail::telemetry_value(m.telemetry_start, "nvml.max_clock_mem_hz", "");
  if (!(mem_clock > 0)) mem_clock = detail::telemetry_value(m.telemetry_start, "emc.rate_hz", "");
  d.emc_clock_hz = mem_clock > 0 ? copied(mem_clock, "peak memory clock")
                                 : sourced{0, source::assumed, "memory clock not reported; set by the memory fit"};
  d.mem_bus_bits = copied(p.memory_bus_bits, "cudaDeviceProp");
  d.mem_transfers_per_clk =
      sourced{2, source::derived, "CUDA convention: peak BW = 2 x memory clock x bus/8 (bandwidthTest)"};
  d.l2_bytes = copied(p.l2_bytes, "cudaDeviceProp");
  d.memory_bytes = copied(p.total_memory_bytes, "cudaMemGetInfo total");
  d.reserved_bytes = p.free_memory_bytes > 0 && p.free_memory_bytes < p.total_memory_bytes
                         ? copied(p.total_memory_bytes - p.free_memory_bytes, "total - free at start")
                         : dd::dgpu_reserved;
  // Per-clock tensor rates: unknown without a base; the GEMM fit sets the
  // sustained rates, so the efficiency is folded into them.
  d.tensor_efficiency = assumed(1.0, "no base profile: per-clock tensor rates are the sustained cuBLAS rates");
  // CUDA C++ Programming Guide, arithmetic instruction throughput: FP32 results
  // per clock per SM are 64 on cc 8.0 and 128 on 8.6-9.0 (x2 FLOP per FMA).
  const bool cc80 = p.cc_major == 8 && p.cc_minor == 0;
  d.cuda_fp32_flops_per_clk =
      assumed(cc80 ? 128 : 256, "CUDA guide throughput table: 64 (cc 8.0) / 128 FP32 FMA per clk per SM x 2");
  d.cuda_fp16_flops_per_clk = assumed(2 * d.cuda_fp32_flops_per_clk.value, "2x FP32 (half2 FMA), assumed");
  d.cuda_efficiency = p.integrated ? dd::orin_cuda_eff : dd::dgpu_cuda_eff;
  d.mem_efficiency = p.integrated ? sourced{0.9, source::assumed, "starting value"} : dd::dgpu_mem_eff;
  d.mem_latency_s = dd::gpu_mem_latency;
  d.l2_bytes_per_s = assumed(2 * theoretical_bandwidth(d, d.emc_clock_hz.value), "assumed 2x theoretical DRAM BW");
  d.storage_bytes_per_s = p.integrated ? dd::orin_storage_nvme : dd::dgpu_storage;
  d.launch_overhead_s = p.integrated ? dd::orin_launch : dd::dgpu_launch;
  d.graph_node_overhead_s = p.integrated ? dd::orin_graph_node : dd::dgpu_graph_node;
  const double cores = detail::telemetry_value(m.telemetry_start, "cpu.online_cores", "");
  const double cpu_clock = detail::telemetry_value(m.telemetry_start, "cpu0.max_freq_hz", "");
  d.cpu_cores = cores > 0 ? copied(cores, "online cores") : dd::x86_cpu_cores;
  d.cpu_clock_hz = cpu_clock > 0 ? copied(cpu_clock, "cpu0 max freq") : dd::x86_cpu_clock;
  d.host_speed = p.integrated ? dd::a78ae_speed : dd::x86_host_speed;
  const sourced no_energy{0, source::assumed, "not measured: run the energy fit (docs/energy.md)"};
  d.pj_per_flop_tensor = no_energy;
  d.pj_per_flop_cuda = no_energy;
  d.pj_per_byte_dram = no_energy;
  d.host_active_power_w = no_energy;
  d.price_usd = dd::price_unknown;
  power_mode& pm = d.modes[0];
  const std::string mode_name = detail::nvpmodel_mode_name(m.nvpmodel_q);
  pm.name = name_string(std::string_view(mode_name.empty() ? std::string("default") : mode_name));
  pm.gpu_clock_hz = d.gpu_clock_hz;
  pm.emc_clock_hz = d.emc_clock_hz;
  pm.active_sms = d.sm_count;
  pm.cpu_cores = d.cpu_cores;
  pm.cpu_clock_hz = d.cpu_clock_hz;
  const double cap = detail::telemetry_value(m.telemetry_start, "nvml.enforced_power_limit_w", "");
  pm.power_cap_w = cap > 0 ? copied(cap, "NVML enforced power limit") : sourced{0, source::assumed, "no cap known"};
  d.mode_count = 1;
  const auto has = [&](const char* r) { return std::find(m.power_rails.begin(), m.power_rails.end(), r) != m.power_rails.end(); };
  if (!p.integrated) {
    d.accel_rail = "board";
    d.module_rail = "board";
  } else if (has("VDD_CPU_GPU_CV")) {
    d.accel_rail = "VDD_CPU_GPU_CV+VDD_SOC";  // Orin NX/Nano (jetson-devices.md rails)
    d.module_rail = "VDD_IN";
  } else {
    d.accel_rail = "VDD_GPU_SOC";  // AGX Orin (jetson-devices.md rails)
    d.module_rail = "VIN_SYS_5V0";
  }
  return d;
}

}  // namespace edgeperf::fit
