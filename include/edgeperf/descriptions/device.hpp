#pragma once
/// @file
/// `device_spec`: an accelerator (or CPU-only board) and its power modes, with
/// provenance on every number. Rates are per SM per clock so that power modes
/// (GPU clock × active SMs, EMC clock, CPU clock and cores) scale them; see
/// shared/DESIGN.md §3, §5 and docs/model.md.

#include <array>
#include <cstdint>
#include <string_view>

#include "edgeperf/descriptions/provenance.hpp"
#include "edgeperf/detail/fixed_string.hpp"

namespace edgeperf {

/// What kind of machine a profile describes.
enum class device_kind : std::uint8_t {
  jetson,        ///< integrated GPU sharing LPDDR with the CPU (unified memory)
  discrete_gpu,  ///< PCIe/SXM GPU with its own HBM/GDDR
  cpu,           ///< CPU-only board: "SMs" are cores, "CUDA-core" rates are SIMD rates
};

[[nodiscard]] constexpr const char* to_string(device_kind k) {
  switch (k) {
    case device_kind::jetson: return "jetson";
    case device_kind::discrete_gpu: return "discrete_gpu";
    case device_kind::cpu: return "cpu";
  }
  return "?";
}

/// One nvpmodel power mode (or the single mode of a discrete GPU / board).
struct power_mode {
  name_string name{};
  sourced gpu_clock_hz{};   ///< GPU max clock in this mode
  sourced emc_clock_hz{};   ///< memory (EMC) max clock in this mode
  sourced active_sms{};     ///< SMs online (TPC gating halves them in some modes)
  sourced cpu_cores{};      ///< CPU cores online
  sourced cpu_clock_hz{};   ///< CPU max clock
  sourced static_power_w{};         ///< accelerator-rail power when idle in this mode
  sourced module_static_power_w{};  ///< module (VDD_IN / board) power when idle in this mode
  sourced power_cap_w{};            ///< nominal mode budget (the mode's name), 0 = none
  sourced dyn_energy_scale{};       ///< dynamic energy per op relative to the default mode
                                    ///< (lower clocks run at lower voltage: ∝ V²); 0 = 1
};

/// Maximum power modes a profile can carry.
inline constexpr std::size_t max_power_modes = 8;

/// One accelerator or board. Rates are dense (no sparsity), per SM per clock.
struct device_spec {
  name_string id{};
  device_kind kind{device_kind::jetson};

  // --- compute -----------------------------------------------------------
  sourced sm_count{};                 ///< SMs (CPU boards: cores)
  sourced tensor_fp16_flops_per_clk{};  ///< dense FP16 tensor-core FLOP per clock per SM
  sourced tensor_bf16_flops_per_clk{};  ///< dense BF16 tensor-core FLOP per clock per SM
  sourced tensor_int8_ops_per_clk{};    ///< dense INT8 tensor-core op per clock per SM
  sourced tensor_fp8_flops_per_clk{};   ///< dense FP8 tensor-core FLOP per clock per SM; 0 = unsupported
  sourced cuda_fp32_flops_per_clk{};    ///< FP32 FMA-pipe FLOP per clock per SM (2 × cores)
  sourced cuda_fp16_flops_per_clk{};    ///< FP16 (half2) FLOP per clock per SM
  sourced gpu_clock_hz{};               ///< max GPU clock: the reference the rates are quoted at
  sourced tensor_efficiency{};          ///< fraction of the tensor rate large GEMMs reach
  sourced cuda_efficiency{};            ///< fraction of the CUDA-core rate elementwise/dequant code reaches

  // --- memory -------------------------------------------------------------
  sourced mem_bus_bits{};               ///< DRAM bus width
  sourced emc_clock_hz{};               ///< max memory clock (reference for the bandwidth)
  sourced mem_transfers_per_clk{};      ///< 2 for LPDDR5 (BW = bus/8 × transfers × f_EMC)
  sourced mem_efficiency{};             ///< fraction of theoretical bandwidth a long stream reaches
  sourced mem_latency_s{};              ///< fixed cost of one transfer: t = latency + bytes / BW
  sourced l2_bytes{};                   ///< L2 cache size
  sourced l2_bytes_per_s{};             ///< bandwidth for transfers that fit in L2
  sourced memory_bytes{};               ///< total DRAM (shared with the CPU on Jetson)
  sourced reserved_bytes{};             ///< what the OS, desktop and runtime keep for themselves
  sourced storage_bytes_per_s{};        ///< weight-loading bandwidth (eMMC/NVMe/microSD) for cold start

  // --- launch and host ----------------------------------------------------
  sourced launch_overhead_s{};          ///< device-side gap per kernel launched eagerly
  sourced graph_node_overhead_s{};      ///< device-side gap per kernel inside a CUDA graph
  sourced cpu_cores{};                  ///< host CPU cores
  sourced cpu_clock_hz{};               ///< host CPU max clock
  sourced host_speed{};                 ///< single-thread speed per clock relative to Cortex-A78AE (= 1)

  // --- energy (see docs/energy.md) ----------------------------------------
  // Coefficients as seen on the accelerator rail (`accel_rail`) in the default mode.
  sourced pj_per_flop_tensor{};   ///< dynamic energy per tensor-core FLOP (16-bit), pJ
  sourced pj_per_flop_cuda{};     ///< dynamic energy per CUDA-core FLOP, pJ
  sourced pj_per_byte_dram{};     ///< dynamic energy per DRAM byte moved, pJ
  sourced host_active_power_w{};  ///< accelerator-rail power above idle while the host runs
                                  ///< the runtime's serial step work (SoC fabric and memory
                                  ///< controller serving the CPU; the CPU too where it shares the rail)
  sourced cpu_active_power_w{};   ///< CPU power while the host works, when the CPU is on a
                                  ///< rail of its own (added to the module only); 0 otherwise
  sourced sensor_ramp_s{};        ///< the power monitor's ramp to a step change (phases/sensor.hpp);
                                  ///< used only to compare with sampled measurements
  sourced price_usd{};            ///< purchase price for amortised cost

  // --- power modes ---------------------------------------------------------
  std::array<power_mode, max_power_modes> modes{};
  int mode_count{0};  ///< modes[0] is the default (the highest)

  // --- rails ---------------------------------------------------------------
  name_string accel_rail{};   ///< rail(s) the CLI's energy_j reports (e.g. "VDD_GPU_SOC")
  name_string module_rail{};  ///< module rail (e.g. "VIN_SYS_5V0", "VDD_IN", "board")
};

/// Theoretical DRAM bandwidth at memory clock `emc_hz`: bus/8 × transfers × f.
[[nodiscard]] constexpr double theoretical_bandwidth(const device_spec& d, double emc_hz) {
  return d.mem_bus_bits.value / 8.0 * d.mem_transfers_per_clk.value * emc_hz;
}

/// Index of the mode named `name`, or -1.
[[nodiscard]] constexpr int find_mode_index(const device_spec& d, std::string_view name) {
  for (int i = 0; i < d.mode_count; ++i)
    if (d.modes[static_cast<std::size_t>(i)].name.view() == name) return i;
  return -1;
}

}  // namespace edgeperf
