#pragma once
/// @file
/// The built-in device catalog: one `inline constexpr device_spec` per board,
/// with its nvpmodel power modes, and the lookups `find_device` / `find_mode`.
///
/// Jetson Orin numbers come from data/jetson-devices.md (tag E = as
/// published, D = derived there, U = unverified). Every number is a `sourced`
/// value whose note names its origin: E → `source::datasheet`, D or arithmetic
/// on cited numbers → `source::derived`, published measurements →
/// `source::published`, and U numbers or engineering guesses →
/// `source::assumed` (an unverified listing is treated as an assumption until a
/// device confirms it). Reference GPUs (A100, H100, H200, RTX 4090) are not in
/// data/; their numbers are NVIDIA data-sheet/whitepaper values, dense
/// (no sparsity), and their per-SM-per-clock rates are backed out as
/// data-sheet TFLOP/s / (SMs × boost clock) so that SMs × rate × clock gives
/// the data-sheet peak again. CPU-only boards (Raspberry Pi) map "SMs" to
/// cores and "CUDA-core" rates to NEON FP32 rates.
///
/// Efficiencies and launch gaps are starting values (`source::assumed`) until
/// calibration, except where the issue-3 latency fit set them (`fitted`): only
/// on the AGX Orin 64GB, the one module with fitting data. The other Orin
/// modules carry the same values labelled `assumed` ("= AGX Orin 64GB fit;
/// not fitted here"), never `fitted` (tests/descriptions/device_catalog_test.cpp).
///
/// Energy (issue 4, docs/energy.md): the AGX Orin 64GB MAXN coefficients (idle
/// power, pJ per tensor FLOP and per DRAM byte, host-active power, sensor ramp)
/// are fitted on the EdgeReasoning energy rows (docs/validation.md); the other
/// Orin modules reuse the per-op energies (same GA10B GPU and LPDDR5; labelled
/// `assumed`, not fitted there) and scale the host-active power by their
/// maximum module power (assumed). Lower modes scale per-op energy by
/// `detail::dvfs_energy_scale` (V², V ∝ f floored; assumed), the host-work
/// power by f·V² (cost/device_state.hpp), carry their own idle powers, bounded
/// by the measured mode powers in jetson-devices.md, and their `power_cap_w`
/// (the mode's module budget) binds: phases/power_cap.hpp throttles the GPU
/// clock when a phase would draw more. Mode tables follow jetson-devices.md
/// (names, budgets within each module's power range, clocks where it has them;
/// checked by tests/descriptions/device_catalog_test.cpp). Discrete-GPU and
/// Raspberry Pi energies are order-of-magnitude assumptions, not fitted.
/// Prices are unknown (user input).
///
/// Cold start (`cold_start_s`) is weight bytes / storage bandwidth, reported on
/// its own and never added to every token.

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/detail/nearest.hpp"
#include "edgeperf/result.hpp"

namespace edgeperf {

namespace detail {
inline constexpr double gib = 1073741824.0;  ///< 2^30 bytes (DRAM is sized in binary units)
inline constexpr double mib = 1048576.0;     ///< 2^20 bytes

// --- Orin (sm_87) per-SM rates shared by every Orin module --------------------
// Source: data/jetson-devices.md, "Derived dense rates" (D).
inline constexpr sourced orin_tensor_fp16{
    2048, source::derived, "jetson-devices.md (D): half the 4096 dense INT8 op/clk/SM (Ampere ratio, assumed)"};
inline constexpr sourced orin_tensor_bf16{
    2048, source::derived, "jetson-devices.md (D): as FP16, half the 4096 dense INT8 op/clk/SM (assumed)"};
inline constexpr sourced orin_tensor_int8{
    4096, source::derived, "jetson-devices.md (D): 170e12 sparse TOPS/(16 SM x 1.3e9) = 8170 sparse -> 4096 dense"};
inline constexpr sourced orin_tensor_fp8{
    0, source::derived, "0 = unsupported: FP8 tensor cores need sm_89+, Orin is CC 8.7 (jetson-devices.md E)"};
inline constexpr sourced orin_cuda_fp32{
    256, source::derived, "jetson-devices.md (E): 2048 CUDA cores / 16 SM = 128 per SM x 2 FLOP (FMA)"};
inline constexpr sourced orin_cuda_fp16{
    512, source::assumed, "2x FP32 (half2 FMA; CUDA guide: 256 fp16 results/clk/SM for CC 8.x); to be calibrated"};
inline constexpr sourced orin_transfers{
    2, source::derived, "jetson-devices.md (D): LPDDR5, BW = bus/8 x 2 x f_EMC"};
// Fitted (edgeperf fit --runs, docs/validation.md) on the EdgeReasoning AGX Orin 64GB
// MAXN vLLM BF16 runs; the same GA10B GPU and LPDDR5 controller in every Orin module.
// What the silicon can do: the data-sheet per-clock tensor rate. What a
// runtime's kernels reach on it is the runtime's kernel_efficiency_jetson
// (vllm-0.8: fitted 0.41; runtime_catalog.hpp). No Orin cuBLAS microbenchmark
// is in data/ yet; calibration/ measures the sustained rate.
inline constexpr sourced orin_tensor_eff{
    1.0, source::assumed, "silicon: data-sheet tensor rate; runtimes' kernel_efficiency_jetson holds what kernels reach (not measured)"};
// The same silicon values on the other Orin modules (same GA10B SM and LPDDR5
// controller); what a runtime reaches on them is the runtime's *_jetson value.
inline constexpr sourced orin_tensor_eff_reused{
    1.0, source::assumed, "silicon: data-sheet rate as on AGX Orin 64GB; not fitted here"};
inline constexpr sourced orin_mem_eff_reused{
    198.0 / 204.8, source::assumed,
    "= AGX Orin 64GB tuned loop 198/204.8 GB/s; not fitted here"};
inline constexpr sourced orin_cuda_eff{
    0.7, source::assumed, "starting value, to be fitted/calibrated"};
// What the memory system can do: a tuned FP16 streaming loop (decode) measured
// ~198 GB/s of the 204.8 GB/s theoretical on AGX Orin (jetson-devices.md, E);
// what a runtime's kernels reach of it is the runtime's mem_efficiency_jetson
// (vllm-0.8: fitted on the two EdgeReasoning models; runtime_catalog.hpp).
inline constexpr sourced orin_mem_eff{
    198.0 / 204.8, source::published, "third-party tuned FP16 decode loop ~198 GB/s on AGX Orin (jetson-devices.md, E)"};
inline constexpr sourced gpu_mem_latency{
    2e-6, source::assumed, "fixed cost per transfer (ramp-up/tail of one kernel); to be calibrated"};
inline constexpr sourced orin_launch{
    5e-6, source::assumed, "device-side gap per eager kernel on Orin; to be calibrated"};
inline constexpr sourced orin_graph_node{
    1.5e-6, source::assumed, "device-side gap per CUDA-graph node on Orin; to be calibrated"};
inline constexpr sourced a78ae_speed{
    1, source::derived, "Cortex-A78AE is the reference core (= 1 by definition)"};
inline constexpr sourced orin_storage_nvme{
    1.5e9, source::assumed, "NVMe SSD on the carrier board, ~1.5 GB/s sequential read; overridable"};

// --- Orin energy (issue 4; docs/energy.md) ---------------------------------------
// Fitted by fit/energy_fit.hpp on the EdgeReasoning AGX Orin 64GB MAXN energy rows
// (data/edgereasoning-dsr1-llama-8b.csv and -qwen-14b.csv, jointly; method and residuals in
// docs/validation.md). The values are the fit's; every Orin module shares the
// GA10B GPU and the LPDDR5 controller, so the other modules reuse the per-op
// energies as `derived` copies.
inline constexpr double orin_fit_pj_tensor = 1.539;      ///< pJ per tensor FLOP, AGX MAXN fit
inline constexpr double orin_fit_pj_dram = 147.6;        ///< pJ per DRAM byte, AGX MAXN fit
inline constexpr double orin_fit_static_w = 6.061;       ///< VDD_GPU_SOC idle, AGX MAXN fit
inline constexpr double orin_fit_host_active_w = 12.58;  ///< VDD_GPU_SOC above idle in host work
inline constexpr double orin_fit_ramp_s = 1.739;          ///< tegrastats/INA3221 ramp, AGX fit
inline constexpr double agx_max_module_w = 60;           ///< AGX Orin 64GB module max (E)
/// CUDA-core FMA vs tensor-core MMA energy per FLOP (assumed ratio).
inline constexpr double cuda_over_tensor_energy = 4;
/// Assumed idle of the AGX module outside VDD_GPU_SOC (CPU cluster idle, DRAM, carrier).
inline constexpr double agx_module_extra_idle_w = 3;

inline constexpr sourced orin_pj_tensor_fitted{
    orin_fit_pj_tensor, source::fitted, "fit: EdgeReasoning AGX Orin MAXN energy rows (docs/validation.md)", 0.019};
inline constexpr sourced orin_pj_dram_fitted{
    orin_fit_pj_dram, source::fitted, "fit: EdgeReasoning AGX Orin MAXN energy rows (docs/validation.md)", 0.012};
inline constexpr sourced orin_pj_tensor{
    orin_fit_pj_tensor, source::assumed,
    "= AGX Orin 64GB MAXN energy fit (docs/validation.md); not fitted here: same GA10B silicon"};
inline constexpr sourced orin_pj_dram{
    orin_fit_pj_dram, source::assumed,
    "= AGX Orin 64GB MAXN energy fit (docs/validation.md); not fitted here: same LPDDR5 controller"};
inline constexpr sourced orin_pj_cuda{
    cuda_over_tensor_energy * orin_fit_pj_tensor, source::assumed,
    "4 x the tensor value: CUDA-core FMA costs more per FLOP than tensor-core MMA (assumed ratio)"};
inline constexpr sourced orin_sensor_ramp_fitted{
    orin_fit_ramp_s, source::fitted, "fit: EdgeReasoning AGX Orin MAXN energy rows (docs/validation.md)", 0.030};
inline constexpr sourced orin_sensor_ramp{
    orin_fit_ramp_s, source::assumed, "= AGX Orin 64GB fit, 1.73 s; not fitted here: same tegrastats/INA3221 path"};
inline constexpr sourced agx_cpu_active{
    4, source::assumed, "~4 W: busy A78AE cluster running the runtime, on VDD_CPU_CV (own rail, E); module only"};
inline constexpr sourced nx_nano_cpu_active{
    0, source::derived, "0: the CPU is on VDD_CPU_GPU_CV, inside the accelerator rail (jetson-devices.md rails, E)"};
inline constexpr sourced default_mode_scale{
    1, source::derived, "1: the default mode is the reference of the per-op energies"};
inline constexpr sourced price_unknown{
    0, source::assumed, "unknown; user input (edgeperf cost --device-price)"};

/// Dynamic-energy factor of a mode running the GPU at `f_mode_hz` on a device
/// whose top clock is `f_max_hz`: V ∝ f under DVFS, so energy per op ∝ V² ∝ f²,
/// floored at 0.3 ≈ (0.55 V / 1.0 V)² (the voltage stops falling at low clocks).
[[nodiscard]] constexpr double dvfs_energy_scale(double f_mode_hz, double f_max_hz) {
  const double r = f_mode_hz / f_max_hz;
  return r * r > 0.3 ? r * r : 0.3;
}

// --- reference GPUs (x86 hosts) ------------------------------------------------
inline constexpr sourced x86_host_speed{
    2.5, source::assumed, "x86 server/desktop core vs A78AE per clock-adjusted step; rough, to be calibrated"};
inline constexpr sourced x86_cpu_cores{
    32, source::assumed, "host CPU cores of a typical GPU server/desktop; not part of the GPU data sheet"};
inline constexpr sourced x86_cpu_clock{
    3.0e9, source::assumed, "host CPU clock of a typical GPU server/desktop; not part of the GPU data sheet"};
inline constexpr sourced dgpu_tensor_eff{
    0.6, source::assumed, "starting value, to be fitted/calibrated"};
inline constexpr sourced dgpu_cuda_eff{
    0.7, source::assumed, "starting value, to be fitted/calibrated"};
inline constexpr sourced dgpu_mem_eff{
    0.9, source::assumed, "starting value, to be fitted/calibrated"};
inline constexpr sourced dgpu_launch{
    3e-6, source::assumed, "device-side gap per eager kernel on a discrete GPU; to be calibrated"};
inline constexpr sourced dgpu_graph_node{
    1e-6, source::assumed, "device-side gap per CUDA-graph node on a discrete GPU; to be calibrated"};
inline constexpr sourced dgpu_storage{
    3e9, source::assumed, "NVMe Gen4 SSD, ~3 GB/s sequential read; overridable"};
inline constexpr sourced dgpu_reserved{
    0.5 * gib, source::assumed, "CUDA context and allocator slack, ~0.5 GiB (headless server)"};
inline constexpr sourced dgpu_host_active{
    0, source::assumed, "0: board power (NVML) does not see the host CPU; the GPU idles at static power meanwhile"};
inline constexpr sourced x86_cpu_active{
    30, source::assumed, "~30 W: one busy x86 host core + uncore while the runtime works; module only; not fitted"};
inline constexpr sourced nvml_sensor_ramp{
    0.1, source::assumed, "~0.1 s: NVML power/energy counter updates fast (vs 1 s tegrastats); not measured"};
}  // namespace detail

/// Catalog entries, one variable per board (`devices::agx_orin_64gb`, ...).
namespace devices {

// =============================================================================
// Jetson AGX Orin 64GB. Source: data/jetson-devices.md (Modules, Power
// modes, Power rails). Mode clock caps are U there except MAXN's GPU clock
// (deviceQuery, E) and 612 MHz observed in MODE_30W (E).
// =============================================================================
inline constexpr device_spec agx_orin_64gb{
    .id = "agx-orin-64gb",
    .kind = device_kind::jetson,
    .sm_count = {16, source::datasheet, "jetson-devices.md (E): GA10B, 16 SM, 2048 CUDA cores"},  // E
    .tensor_fp16_flops_per_clk = detail::orin_tensor_fp16,  // D
    .tensor_bf16_flops_per_clk = detail::orin_tensor_bf16,  // D
    .tensor_int8_ops_per_clk = detail::orin_tensor_int8,    // D
    .tensor_fp8_flops_per_clk = detail::orin_tensor_fp8,    // D
    .cuda_fp32_flops_per_clk = detail::orin_cuda_fp32,      // D
    .cuda_fp16_flops_per_clk = detail::orin_cuda_fp16,      // assumed
    .gpu_clock_hz = {1.3e9, source::datasheet, "jetson-devices.md (E): 1.3 GHz, deviceQuery 1300 MHz"},  // E
    .tensor_efficiency = detail::orin_tensor_eff,
    .cuda_efficiency = detail::orin_cuda_eff,
    .mem_bus_bits = {256, source::datasheet, "jetson-devices.md (E): 64 GB LPDDR5, 256-bit"},  // E
    .emc_clock_hz = {3.2e9, source::derived, "jetson-devices.md (D): 204.8 GB/s = 256/8 x 2 x 3200 MHz"},  // D
    .mem_transfers_per_clk = detail::orin_transfers,
    .mem_efficiency = detail::orin_mem_eff,
    .mem_latency_s = detail::gpu_mem_latency,
    .l2_bytes = {4 * detail::mib, source::datasheet, "jetson-devices.md (E, deviceQuery): 4 MB GPU L2"},  // E
    .l2_bytes_per_s = {409.6e9, source::assumed, "assumed 2x theoretical DRAM BW (2 x 204.8 GB/s)"},
    .memory_bytes = {64 * detail::gib, source::datasheet, "jetson-devices.md (E): 64 GB LPDDR5 (binary GiB)"},  // E
    .reserved_bytes = {2.5 * detail::gib, source::assumed, "OS + desktop + CUDA context + carve-outs, ~2.5 GiB; measure"},
    .storage_bytes_per_s = {0.3e9, source::assumed, "64 GB on-module eMMC 5.1, ~0.3 GB/s read; overridable"},
    .launch_overhead_s = detail::orin_launch,
    .graph_node_overhead_s = detail::orin_graph_node,
    .cpu_cores = {12, source::datasheet, "jetson-devices.md (E): 12x Cortex-A78AE"},      // E
    .cpu_clock_hz = {2.2e9, source::datasheet, "jetson-devices.md (E): A78AE @ 2.2 GHz"},  // E
    .host_speed = detail::a78ae_speed,
    .pj_per_flop_tensor = detail::orin_pj_tensor_fitted,  // fitted
    .pj_per_flop_cuda = detail::orin_pj_cuda,             // assumed 4 x tensor
    .pj_per_byte_dram = detail::orin_pj_dram_fitted,      // fitted
    .host_active_power_w = {detail::orin_fit_host_active_w, source::fitted,
                            "fit: EdgeReasoning AGX Orin MAXN energy rows (docs/validation.md)", 0.40},
    .cpu_active_power_w = detail::agx_cpu_active,
    .sensor_ramp_s = detail::orin_sensor_ramp_fitted,
    .price_usd = detail::price_unknown,
    .modes = {{
        power_mode{
            .name = "MAXN",
            .gpu_clock_hz = {1.3e9, source::datasheet, "jetson-devices.md (E): deviceQuery 1300 MHz"},
            .emc_clock_hz = {3.2e9, source::derived, "jetson-devices.md: 3200 MHz (U), matches 204.8 GB/s (E)"},
            .active_sms = {16, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {12, source::assumed, "jetson-devices.md nvpmodel table (U): 12 CPUs"},
            .cpu_clock_hz = {2.2e9, source::datasheet, "jetson-devices.md (E): 2.2 GHz (table: 2201 MHz, U)"},
            .static_power_w = {detail::orin_fit_static_w, source::fitted,
                               "fit: EdgeReasoning AGX Orin MAXN energy rows (docs/validation.md)", 0.021},
            .module_static_power_w = {detail::orin_fit_static_w + detail::agx_module_extra_idle_w, source::assumed,
                                      "6.06 W fitted VDD_GPU_SOC idle + ~3 W assumed (CPU cluster idle, DRAM, carrier)"},
            .power_cap_w = {0, source::datasheet, "MAXN: no cap (mode name E; module 15-60 W, E)"},
            .dyn_energy_scale = detail::default_mode_scale},
        power_mode{
            .name = "50W",
            .gpu_clock_hz = {1.02e9, source::assumed, "jetson-devices.md nvpmodel table (U): 1020 MHz"},
            .emc_clock_hz = {3.2e9, source::assumed, "jetson-devices.md nvpmodel table (U): 3200 MHz"},
            .active_sms = {16, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {12, source::assumed, "jetson-devices.md nvpmodel table (U): 12 CPUs"},
            .cpu_clock_hz = {1.497e9, source::assumed, "jetson-devices.md nvpmodel table (U): 1497 MHz"},
            .static_power_w = {detail::orin_fit_static_w, source::assumed,
                               "as the fitted MAXN 6.06 W: same EMC clock and CPU count (U table)"},
            .module_static_power_w = {detail::orin_fit_static_w + detail::agx_module_extra_idle_w, source::assumed,
                                      "6.06 W VDD_GPU_SOC idle + ~3 W assumed (CPU cluster idle, DRAM, carrier)"},
            .power_cap_w = {50, source::datasheet, "jetson-devices.md (E): mode name MODE_50W"},
            .dyn_energy_scale = {detail::dvfs_energy_scale(1.02e9, 1.3e9), source::assumed,
                                 "V ~ f under DVFS => E/op ~ f^2: (1020/1300)^2 = 0.62; floor 0.3 ~ (0.55 V/1.0 V)^2"}},
        power_mode{
            .name = "30W",
            .gpu_clock_hz = {612e6, source::published, "jetson-devices.md (E): 612 MHz seen on a device in MODE_30W"},
            .emc_clock_hz = {3.2e9, source::assumed, "jetson-devices.md nvpmodel table (U): 3200 MHz"},
            .active_sms = {16, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {8, source::assumed, "jetson-devices.md nvpmodel table (U): 8 CPUs"},
            .cpu_clock_hz = {1.728e9, source::assumed, "jetson-devices.md nvpmodel table (U): 1728 MHz"},
            .static_power_w = {5.0, source::assumed,
                               "below MAXN (fewer CPUs, lower clocks) and the 7.6 W GPU-rail stress read in 30W (32GB, E)"},
            .module_static_power_w = {5.0 + detail::agx_module_extra_idle_w, source::assumed,
                                      "5.0 W VDD_GPU_SOC idle + ~3 W assumed (CPU cluster idle, DRAM, carrier)"},
            .power_cap_w = {30, source::datasheet, "jetson-devices.md (E): mode name MODE_30W"},
            .dyn_energy_scale = {detail::dvfs_energy_scale(612e6, 1.3e9), source::assumed,
                                 "V ~ f under DVFS => E/op ~ f^2: (612/1300)^2 = 0.22 -> floor 0.3 ~ (0.55 V/1.0 V)^2"}},
        power_mode{
            .name = "15W",
            .gpu_clock_hz = {510e6, source::assumed, "jetson-devices.md nvpmodel table (U): 510 MHz"},
            .emc_clock_hz = {2.133e9, source::assumed, "jetson-devices.md nvpmodel table (U): 2133 MHz"},
            .active_sms = {16, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {4, source::assumed, "jetson-devices.md nvpmodel table (U): 4 CPUs"},
            .cpu_clock_hz = {1.114e9, source::assumed, "jetson-devices.md nvpmodel table (U): 1114 MHz"},
            .static_power_w = {4.5, source::assumed,
                               "below 30W (4 CPUs, 2133 MHz EMC) and the 5.2 W GPU-rail stress read in 15W (32GB, E)"},
            .module_static_power_w = {4.5 + detail::agx_module_extra_idle_w, source::assumed,
                                      "4.5 W VDD_GPU_SOC idle + ~3 W assumed (CPU cluster idle, DRAM, carrier)"},
            .power_cap_w = {15, source::datasheet, "jetson-devices.md (E): mode name MODE_15W"},
            .dyn_energy_scale = {detail::dvfs_energy_scale(510e6, 1.3e9), source::assumed,
                                 "V ~ f under DVFS => E/op ~ f^2: (510/1300)^2 = 0.15 -> floor 0.3 ~ (0.55 V/1.0 V)^2"}},
    }},
    .mode_count = 4,
    .accel_rail = "VDD_GPU_SOC",   // jetson-devices.md rails table (E)
    .module_rail = "VIN_SYS_5V0",  // jetson-devices.md rails table (E)
};

// =============================================================================
// Jetson AGX Orin 32GB. Source: data/jetson-devices.md. The module's power
// range is 15-40 W (E), so its budgets are 15W, 30W and 40W plus the uncapped
// MAXN (the forum stress test's "50W" label on a 32GB conflicts with the 40 W
// module maximum; the data sheet range wins). Its nvpmodel clock caps are not
// in the data: assumed equal to the 64GB table (U), with the 64GB's 50W row
// standing in for 40W, capped at the 32GB's 930 MHz GPU and 8 CPUs.
// =============================================================================
inline constexpr device_spec agx_orin_32gb{
    .id = "agx-orin-32gb",
    .kind = device_kind::jetson,
    .sm_count = {14, source::datasheet, "jetson-devices.md (E/D): 14 SM, 1792 CUDA cores, 56 TC"},
    .tensor_fp16_flops_per_clk = detail::orin_tensor_fp16,
    .tensor_bf16_flops_per_clk = detail::orin_tensor_bf16,
    .tensor_int8_ops_per_clk = detail::orin_tensor_int8,
    .tensor_fp8_flops_per_clk = detail::orin_tensor_fp8,
    .cuda_fp32_flops_per_clk = detail::orin_cuda_fp32,
    .cuda_fp16_flops_per_clk = detail::orin_cuda_fp16,
    .gpu_clock_hz = {930e6, source::datasheet, "jetson-devices.md (E): 930 MHz"},
    .tensor_efficiency = detail::orin_tensor_eff_reused,
    .cuda_efficiency = detail::orin_cuda_eff,
    .mem_bus_bits = {256, source::datasheet, "jetson-devices.md (E): 32 GB LPDDR5, 256-bit"},
    .emc_clock_hz = {3.2e9, source::derived, "jetson-devices.md (D): 204.8 GB/s = 256/8 x 2 x 3200 MHz"},
    .mem_transfers_per_clk = detail::orin_transfers,
    .mem_efficiency = detail::orin_mem_eff_reused,
    .mem_latency_s = detail::gpu_mem_latency,
    .l2_bytes = {4 * detail::mib, source::assumed, "not in the data (-); assumed 4 MB like the 64GB (same GA10B, 256-bit)"},
    .l2_bytes_per_s = {409.6e9, source::assumed, "assumed 2x theoretical DRAM BW (2 x 204.8 GB/s)"},
    .memory_bytes = {32 * detail::gib, source::datasheet, "jetson-devices.md (E): 32 GB LPDDR5 (binary GiB)"},
    .reserved_bytes = {2.5 * detail::gib, source::assumed, "OS + desktop + CUDA context + carve-outs, ~2.5 GiB; measure"},
    .storage_bytes_per_s = {0.3e9, source::assumed, "64 GB on-module eMMC 5.1, ~0.3 GB/s read; overridable"},
    .launch_overhead_s = detail::orin_launch,
    .graph_node_overhead_s = detail::orin_graph_node,
    .cpu_cores = {8, source::datasheet, "jetson-devices.md (E): 8x Cortex-A78AE"},
    .cpu_clock_hz = {2.0e9, source::datasheet, "jetson-devices.md (E): A78AE @ 2.0 GHz"},
    .host_speed = detail::a78ae_speed,
    .pj_per_flop_tensor = detail::orin_pj_tensor,  // derived from the AGX 64GB fit
    .pj_per_flop_cuda = detail::orin_pj_cuda,      // assumed 4 x tensor
    .pj_per_byte_dram = detail::orin_pj_dram,      // derived from the AGX 64GB fit
    .host_active_power_w = {detail::orin_fit_host_active_w, source::assumed,
                            "= AGX Orin 64GB MAXN fit; not fitted here: same SoC fabric, 256-bit LPDDR5, EMC clock"},
    .cpu_active_power_w = detail::agx_cpu_active,
    .sensor_ramp_s = detail::orin_sensor_ramp,
    .price_usd = detail::price_unknown,
    .modes = {{
        power_mode{
            .name = "MAXN",
            .gpu_clock_hz = {930e6, source::datasheet, "jetson-devices.md (E): 930 MHz max"},
            .emc_clock_hz = {3.2e9, source::derived, "jetson-devices.md (D): 204.8 GB/s at 3200 MHz"},
            .active_sms = {14, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {8, source::datasheet, "jetson-devices.md (E): 8 CPUs"},
            .cpu_clock_hz = {2.0e9, source::datasheet, "jetson-devices.md (E): 2.0 GHz"},
            .static_power_w = {detail::orin_fit_static_w, source::assumed,
                               "= AGX 64GB MAXN fit, 6.06 W; not fitted here: same SoC"},
            .module_static_power_w = {detail::orin_fit_static_w + detail::agx_module_extra_idle_w, source::assumed,
                                      "6.06 W VDD_GPU_SOC idle + ~3 W assumed (CPU cluster idle, DRAM, carrier)"},
            .power_cap_w = {0, source::datasheet, "MAXN: no cap (module 15-40 W, E)"},
            .dyn_energy_scale = detail::default_mode_scale},
        power_mode{
            .name = "40W",
            .gpu_clock_hz = {930e6, source::assumed, "64GB 50W row 1020 MHz (U) capped at the 32GB's 930 MHz max"},
            .emc_clock_hz = {3.2e9, source::assumed, "64GB nvpmodel table (U): 3200 MHz"},
            .active_sms = {14, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {8, source::assumed, "64GB 50W row 12 CPUs (U) capped at the 32GB's 8"},
            .cpu_clock_hz = {1.497e9, source::assumed, "64GB 50W row (U): 1497 MHz"},
            .static_power_w = {detail::orin_fit_static_w, source::assumed,
                               "as AGX 64GB 50W (same SoC): = fitted MAXN idle, same EMC clock (assumed)"},
            .module_static_power_w = {detail::orin_fit_static_w + detail::agx_module_extra_idle_w, source::assumed,
                                      "6.06 W VDD_GPU_SOC idle + ~3 W assumed (CPU cluster idle, DRAM, carrier)"},
            .power_cap_w = {40, source::datasheet, "jetson-devices.md (E): module power 15-40 W, the top budget"},
            .dyn_energy_scale = {detail::dvfs_energy_scale(930e6, 930e6), source::assumed,
                                 "V ~ f under DVFS => E/op ~ f^2: (930/930)^2 = 1 (clock capped at the 32GB max)"}},
        power_mode{
            .name = "30W",
            .gpu_clock_hz = {612e6, source::assumed, "as 64GB MODE_30W: 612 MHz (E on a 64GB)"},
            .emc_clock_hz = {3.2e9, source::assumed, "64GB nvpmodel table (U): 3200 MHz"},
            .active_sms = {14, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {8, source::assumed, "64GB nvpmodel table (U): 8 CPUs"},
            .cpu_clock_hz = {1.728e9, source::assumed, "64GB nvpmodel table (U): 1728 MHz"},
            .static_power_w = {5.0, source::assumed,
                               "as AGX 64GB 30W (same SoC); below the 7.6 W GPU-rail stress read on a 32GB in 30W (E)"},
            .module_static_power_w = {5.0 + detail::agx_module_extra_idle_w, source::assumed,
                                      "5.0 W VDD_GPU_SOC idle + ~3 W assumed (CPU cluster idle, DRAM, carrier)"},
            .power_cap_w = {30, source::datasheet, "jetson-devices.md (E): within 15-40 W; 30W named in the 32GB stress test (E)"},
            .dyn_energy_scale = {detail::dvfs_energy_scale(612e6, 930e6), source::assumed,
                                 "V ~ f under DVFS => E/op ~ f^2: (612/930)^2 = 0.43; floor 0.3 ~ (0.55 V/1.0 V)^2"}},
        power_mode{
            .name = "15W",
            .gpu_clock_hz = {510e6, source::assumed, "64GB nvpmodel table (U): 510 MHz"},
            .emc_clock_hz = {2.133e9, source::assumed, "64GB nvpmodel table (U): 2133 MHz"},
            .active_sms = {14, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {4, source::assumed, "64GB nvpmodel table (U): 4 CPUs"},
            .cpu_clock_hz = {1.114e9, source::assumed, "64GB nvpmodel table (U): 1114 MHz"},
            .static_power_w = {4.5, source::assumed,
                               "as AGX 64GB 15W (same SoC); below the 5.2 W GPU-rail stress read on a 32GB in 15W (E)"},
            .module_static_power_w = {4.5 + detail::agx_module_extra_idle_w, source::assumed,
                                      "4.5 W VDD_GPU_SOC idle + ~3 W assumed (CPU cluster idle, DRAM, carrier)"},
            .power_cap_w = {15, source::datasheet, "jetson-devices.md (E): module power 15-40 W, the lowest budget"},
            .dyn_energy_scale = {detail::dvfs_energy_scale(510e6, 930e6), source::assumed,
                                 "V ~ f under DVFS => E/op ~ f^2: (510/930)^2 = 0.30; floor 0.3 ~ (0.55 V/1.0 V)^2"}},
    }},
    .mode_count = 4,
    .accel_rail = "VDD_GPU_SOC",
    .module_rail = "VIN_SYS_5V0",
};

// =============================================================================
// Jetson Orin NX 16GB, JetPack 6.2 ("Super" modes). Source: jetson-devices.md
// (Modules; Power modes: MAXN_SUPER/40W/25W clocks E; 10W/15W only CPU counts).
// EMC caps are not stated: 3199 MHz (the module max) is assumed except in 10W.
// =============================================================================
inline constexpr device_spec orin_nx_16gb{
    .id = "orin-nx-16gb",
    .kind = device_kind::jetson,
    .sm_count = {8, source::datasheet, "jetson-devices.md (E): 8 SM, 1024 CUDA cores, 32 TC"},
    .tensor_fp16_flops_per_clk = detail::orin_tensor_fp16,
    .tensor_bf16_flops_per_clk = detail::orin_tensor_bf16,
    .tensor_int8_ops_per_clk = detail::orin_tensor_int8,
    .tensor_fp8_flops_per_clk = detail::orin_tensor_fp8,
    .cuda_fp32_flops_per_clk = detail::orin_cuda_fp32,
    .cuda_fp16_flops_per_clk = detail::orin_cuda_fp16,
    .gpu_clock_hz = {1.173e9, source::datasheet, "jetson-devices.md (E): 1173 MHz in MAXN_SUPER, JetPack 6.2"},
    .tensor_efficiency = detail::orin_tensor_eff_reused,
    .cuda_efficiency = detail::orin_cuda_eff,
    .mem_bus_bits = {128, source::datasheet, "jetson-devices.md (E): 16 GB LPDDR5, 128-bit"},
    .emc_clock_hz = {3.199e9, source::derived, "jetson-devices.md (D): 102.4 GB/s = 128/8 x 2 x 3199 MHz"},
    .mem_transfers_per_clk = detail::orin_transfers,
    .mem_efficiency = detail::orin_mem_eff_reused,
    .mem_latency_s = detail::gpu_mem_latency,
    .l2_bytes = {2 * detail::mib, source::datasheet, "jetson-devices.md (E): 2 MB GPU L2"},
    .l2_bytes_per_s = {204.8e9, source::assumed, "assumed 2x theoretical DRAM BW (2 x 102.4 GB/s)"},
    .memory_bytes = {16 * detail::gib, source::datasheet, "jetson-devices.md (E): 16 GB LPDDR5 (binary GiB)"},
    .reserved_bytes = {2.5 * detail::gib, source::assumed, "OS + desktop + CUDA context + carve-outs, ~2.5 GiB; measure"},
    .storage_bytes_per_s = detail::orin_storage_nvme,
    .launch_overhead_s = detail::orin_launch,
    .graph_node_overhead_s = detail::orin_graph_node,
    .cpu_cores = {8, source::datasheet, "jetson-devices.md (E): 8x Cortex-A78AE"},
    .cpu_clock_hz = {1.984e9, source::datasheet, "jetson-devices.md (E): 1984 MHz in MAXN_SUPER (2.0 GHz module spec)"},
    .host_speed = detail::a78ae_speed,
    .pj_per_flop_tensor = detail::orin_pj_tensor,
    .pj_per_flop_cuda = detail::orin_pj_cuda,
    .pj_per_byte_dram = detail::orin_pj_dram,
    .host_active_power_w = {detail::orin_fit_host_active_w * 40 / detail::agx_max_module_w, source::assumed,
                            "assumed: AGX 64GB fit x 40 W (max module, E, MAXN_SUPER) / 60 W (AGX max, E); not fitted"},
    .cpu_active_power_w = detail::nx_nano_cpu_active,
    .sensor_ramp_s = detail::orin_sensor_ramp,
    .price_usd = detail::price_unknown,
    .modes = {{
        power_mode{
            .name = "MAXN_SUPER",
            .gpu_clock_hz = {1.173e9, source::published, "jetson-devices.md (E): GPU uncapped, 1173 MHz observed"},
            .emc_clock_hz = {3.199e9, source::assumed, "not stated; assumed the 3199 MHz module max"},
            .active_sms = {8, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {8, source::datasheet, "jetson-devices.md (E): 8 CPUs"},
            .cpu_clock_hz = {1.984e9, source::datasheet, "jetson-devices.md (E): 1984 MHz"},
            .static_power_w = {4.6 / 3, source::assumed,
                               "~1/3 of the 4.6 W module idle (E): no rail split measured; CPU+GPU+SoC rails"},
            .module_static_power_w = {4.6, source::published,
                                      "jetson-devices.md (E): idle module 4.6 W (mode not stated)"},
            .power_cap_w = {0, source::datasheet, "MAXN_SUPER: no cap (jetson-devices.md E)"},
            .dyn_energy_scale = detail::default_mode_scale},
        power_mode{
            .name = "40W",
            .gpu_clock_hz = {1.173e9, source::datasheet, "jetson-devices.md (E): 1173 MHz"},
            .emc_clock_hz = {3.199e9, source::assumed, "not stated; assumed the 3199 MHz module max"},
            .active_sms = {8, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {8, source::datasheet, "jetson-devices.md (E): 8 CPUs"},
            .cpu_clock_hz = {1.498e9, source::datasheet, "jetson-devices.md (E): 1498 MHz"},
            .static_power_w = {4.6 / 3, source::assumed,
                               "~1/3 of the 4.6 W module idle (E): no rail split measured; CPU+GPU+SoC rails"},
            .module_static_power_w = {4.6, source::published,
                                      "jetson-devices.md (E): idle module 4.6 W (mode not stated)"},
            .power_cap_w = {40, source::datasheet, "jetson-devices.md (E): mode name 40W"},
            .dyn_energy_scale = {detail::dvfs_energy_scale(1.173e9, 1.173e9), source::assumed,
                                 "V ~ f under DVFS => E/op ~ f^2: (1173/1173)^2 = 1 (same GPU clock as MAXN_SUPER)"}},
        power_mode{
            .name = "25W",
            .gpu_clock_hz = {408e6, source::datasheet, "jetson-devices.md (E): GPU 408 MHz"},
            .emc_clock_hz = {3.199e9, source::assumed, "not stated; assumed the 3199 MHz module max"},
            .active_sms = {8, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {8, source::datasheet, "jetson-devices.md (E): 8 CPUs"},
            .cpu_clock_hz = {1.498e9, source::datasheet, "jetson-devices.md (E): 1498 MHz"},
            .static_power_w = {4.6 / 3, source::assumed,
                               "~1/3 of the 4.6 W module idle (E): no rail split measured; CPU+GPU+SoC rails"},
            .module_static_power_w = {4.6, source::published,
                                      "jetson-devices.md (E): idle module 4.6 W (mode not stated)"},
            .power_cap_w = {25, source::datasheet, "jetson-devices.md (E): mode name 25W"},
            .dyn_energy_scale = {detail::dvfs_energy_scale(408e6, 1.173e9), source::assumed,
                                 "V ~ f under DVFS => E/op ~ f^2: (408/1173)^2 = 0.12 -> floor 0.3 ~ (0.55 V/1.0 V)^2"}},
        power_mode{
            .name = "15W",
            .gpu_clock_hz = {408e6, source::assumed, "not in the data; assumed <= 25W's 408 MHz (E)"},
            .emc_clock_hz = {3.199e9, source::assumed, "not stated; assumed the 3199 MHz module max"},
            .active_sms = {8, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {4, source::datasheet, "jetson-devices.md (E): 4 CPUs"},
            .cpu_clock_hz = {1.498e9, source::assumed, "not in the data; assumed 25W's 1498 MHz"},
            .static_power_w = {4.6 / 3, source::assumed,
                               "~1/3 of the 4.6 W module idle (E): no rail split measured; CPU+GPU+SoC rails"},
            .module_static_power_w = {4.6, source::published,
                                      "jetson-devices.md (E): idle module 4.6 W (mode not stated)"},
            .power_cap_w = {15, source::datasheet, "jetson-devices.md (E): mode name 15W"},
            .dyn_energy_scale = {detail::dvfs_energy_scale(408e6, 1.173e9), source::assumed,
                                 "V ~ f under DVFS => E/op ~ f^2: (408/1173)^2 = 0.12 -> floor 0.3 ~ (0.55 V/1.0 V)^2"}},
        power_mode{
            .name = "10W",
            .gpu_clock_hz = {408e6, source::assumed, "not in the data; assumed <= 25W's 408 MHz (E)"},
            .emc_clock_hz = {2.133e9, source::assumed, "not in the data; 2133 MHz as in the lowest AGX/Nano modes (U)"},
            .active_sms = {8, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {4, source::datasheet, "jetson-devices.md (E): 4 CPUs"},
            .cpu_clock_hz = {1.114e9, source::assumed, "not in the data; 1114 MHz as AGX MODE_15W (U)"},
            .static_power_w = {4.6 / 3, source::assumed,
                               "~1/3 of the 4.6 W module idle (E): no rail split measured; CPU+GPU+SoC rails"},
            .module_static_power_w = {4.6, source::published,
                                      "jetson-devices.md (E): idle module 4.6 W (mode not stated)"},
            .power_cap_w = {10, source::datasheet, "jetson-devices.md (E): mode name 10W"},
            .dyn_energy_scale = {detail::dvfs_energy_scale(408e6, 1.173e9), source::assumed,
                                 "V ~ f under DVFS => E/op ~ f^2: (408/1173)^2 = 0.12 -> floor 0.3 ~ (0.55 V/1.0 V)^2"}},
    }},
    .mode_count = 5,
    .accel_rail = "VDD_CPU_GPU_CV+VDD_SOC",  // jetson-devices.md rails table (E)
    .module_rail = "VDD_IN",                 // jetson-devices.md rails table (E)
};

// =============================================================================
// Jetson Orin NX 8GB. Source: jetson-devices.md, where nearly every field is U
// (unverified): treated as assumptions. Modes: the 10-20 W range (U).
// =============================================================================
inline constexpr device_spec orin_nx_8gb{
    .id = "orin-nx-8gb",
    .kind = device_kind::jetson,
    .sm_count = {8, source::assumed, "jetson-devices.md (U): 8 SM, 1024 CUDA, 32 TC"},
    .tensor_fp16_flops_per_clk = detail::orin_tensor_fp16,
    .tensor_bf16_flops_per_clk = detail::orin_tensor_bf16,
    .tensor_int8_ops_per_clk = detail::orin_tensor_int8,
    .tensor_fp8_flops_per_clk = detail::orin_tensor_fp8,
    .cuda_fp32_flops_per_clk = detail::orin_cuda_fp32,
    .cuda_fp16_flops_per_clk = detail::orin_cuda_fp16,
    .gpu_clock_hz = {765e6, source::assumed, "jetson-devices.md (U): 765 MHz; D: 8 x 8192 x 0.765 GHz = 50 sparse TOPS"},
    .tensor_efficiency = detail::orin_tensor_eff_reused,
    .cuda_efficiency = detail::orin_cuda_eff,
    .mem_bus_bits = {128, source::assumed, "jetson-devices.md (U): 8 GB, 128-bit"},
    .emc_clock_hz = {3.199e9, source::derived, "jetson-devices.md: 102.4 GB/s (U) = 128/8 x 2 x 3199 MHz"},
    .mem_transfers_per_clk = detail::orin_transfers,
    .mem_efficiency = detail::orin_mem_eff_reused,
    .mem_latency_s = detail::gpu_mem_latency,
    .l2_bytes = {2 * detail::mib, source::assumed, "not in the data (-); assumed 2 MB like the NX 16GB (8 SM, 128-bit)"},
    .l2_bytes_per_s = {204.8e9, source::assumed, "assumed 2x theoretical DRAM BW (2 x 102.4 GB/s)"},
    .memory_bytes = {8 * detail::gib, source::assumed, "jetson-devices.md (U): 8 GB (binary GiB)"},
    .reserved_bytes = {2 * detail::gib, source::assumed, "OS + desktop + CUDA context + carve-outs, ~2 GiB; measure"},
    .storage_bytes_per_s = detail::orin_storage_nvme,
    .launch_overhead_s = detail::orin_launch,
    .graph_node_overhead_s = detail::orin_graph_node,
    .cpu_cores = {6, source::assumed, "jetson-devices.md (U): 6x Cortex-A78AE"},
    .cpu_clock_hz = {2.0e9, source::assumed, "not in the data; assumed the NX 16GB's 2.0 GHz"},
    .host_speed = detail::a78ae_speed,
    .pj_per_flop_tensor = detail::orin_pj_tensor,
    .pj_per_flop_cuda = detail::orin_pj_cuda,
    .pj_per_byte_dram = detail::orin_pj_dram,
    .host_active_power_w = {detail::orin_fit_host_active_w * 20 / detail::agx_max_module_w, source::assumed,
                            "assumed: AGX 64GB fit x 20 W (max module, U) / 60 W (AGX max, E); not fitted"},
    .cpu_active_power_w = detail::nx_nano_cpu_active,
    .sensor_ramp_s = detail::orin_sensor_ramp,
    .price_usd = detail::price_unknown,
    .modes = {{
        power_mode{
            .name = "20W",
            .gpu_clock_hz = {765e6, source::assumed, "jetson-devices.md (U): 765 MHz max"},
            .emc_clock_hz = {3.199e9, source::assumed, "jetson-devices.md (U): 102.4 GB/s -> 3199 MHz"},
            .active_sms = {8, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {6, source::assumed, "jetson-devices.md (U): 6 CPUs"},
            .cpu_clock_hz = {2.0e9, source::assumed, "not in the data; assumed the NX 16GB's 2.0 GHz"},
            .static_power_w = {4.6 / 3, source::assumed,
                               "~1/3 of the assumed 4.6 W module idle: no rail split measured"},
            .module_static_power_w = {4.6, source::assumed,
                                      "assumed = NX 16GB idle module 4.6 W (E): same module family"},
            .power_cap_w = {20, source::assumed, "jetson-devices.md (U): module power 10-20 W"},
            .dyn_energy_scale = detail::default_mode_scale},
        power_mode{
            .name = "15W",
            .gpu_clock_hz = {612e6, source::assumed, "not in the data; 612 MHz as the Nano 15W (U)"},
            .emc_clock_hz = {3.199e9, source::assumed, "not in the data; assumed the 3199 MHz max"},
            .active_sms = {8, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {4, source::assumed, "not in the data; 4 CPUs as NX 16GB 15W (E)"},
            .cpu_clock_hz = {1.498e9, source::assumed, "not in the data; 1498 MHz as NX 16GB 25W (E)"},
            .static_power_w = {4.6 / 3, source::assumed,
                               "~1/3 of the assumed 4.6 W module idle: no rail split measured"},
            .module_static_power_w = {4.6, source::assumed,
                                      "assumed = NX 16GB idle module 4.6 W (E): same module family"},
            .power_cap_w = {15, source::assumed, "assumed mode name within 10-20 W (U)"},
            .dyn_energy_scale = {detail::dvfs_energy_scale(612e6, 765e6), source::assumed,
                                 "V ~ f under DVFS => E/op ~ f^2: (612/765)^2 = 0.64; floor 0.3 ~ (0.55 V/1.0 V)^2"}},
        power_mode{
            .name = "10W",
            .gpu_clock_hz = {408e6, source::assumed, "not in the data; 408 MHz as the lowest NX 16GB cap (E)"},
            .emc_clock_hz = {2.133e9, source::assumed, "not in the data; 2133 MHz as in the lowest AGX/Nano modes (U)"},
            .active_sms = {8, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {4, source::assumed, "not in the data; 4 CPUs as NX 16GB 10W (E)"},
            .cpu_clock_hz = {1.114e9, source::assumed, "not in the data; 1114 MHz as AGX MODE_15W (U)"},
            .static_power_w = {4.6 / 3, source::assumed,
                               "~1/3 of the assumed 4.6 W module idle: no rail split measured"},
            .module_static_power_w = {4.6, source::assumed,
                                      "assumed = NX 16GB idle module 4.6 W (E): same module family"},
            .power_cap_w = {10, source::assumed, "jetson-devices.md (U): module power 10-20 W"},
            .dyn_energy_scale = {detail::dvfs_energy_scale(408e6, 765e6), source::assumed,
                                 "V ~ f under DVFS => E/op ~ f^2: (408/765)^2 = 0.28 -> floor 0.3 ~ (0.55 V/1.0 V)^2"}},
    }},
    .mode_count = 3,
    .accel_rail = "VDD_CPU_GPU_CV+VDD_SOC",
    .module_rail = "VDD_IN",
};

// =============================================================================
// Jetson Orin Nano 8GB, "Super" (JetPack 6.2). Source: jetson-devices.md
// (Modules: Super column; Power modes: 25W E, 15W U, MAXN_SUPER E/U; 7W not
// found, so its clocks are assumptions).
// =============================================================================
inline constexpr device_spec orin_nano_8gb{
    .id = "orin-nano-8gb",
    .kind = device_kind::jetson,
    .sm_count = {8, source::datasheet, "jetson-devices.md (E): 8 SM, 1024 CUDA cores, 32 TC"},
    .tensor_fp16_flops_per_clk = detail::orin_tensor_fp16,
    .tensor_bf16_flops_per_clk = detail::orin_tensor_bf16,
    .tensor_int8_ops_per_clk = detail::orin_tensor_int8,
    .tensor_fp8_flops_per_clk = detail::orin_tensor_fp8,
    .cuda_fp32_flops_per_clk = detail::orin_cuda_fp32,
    .cuda_fp16_flops_per_clk = detail::orin_cuda_fp16,
    .gpu_clock_hz = {1.02e9, source::datasheet, "jetson-devices.md (E): Super 1020 MHz (D: 8 x 8192 x 1.02 GHz = 67 TOPS)"},
    .tensor_efficiency = detail::orin_tensor_eff,  // cuBLAS FP16 10.18 TFLOP/s published (mode unknown)
    .cuda_efficiency = detail::orin_cuda_eff,
    .mem_bus_bits = {128, source::datasheet, "jetson-devices.md (E): 8 GB LPDDR5, 128-bit"},
    .emc_clock_hz = {3.199e9, source::datasheet, "jetson-devices.md (E): EMC 3199 MHz (jetson_clocks), 102 GB/s"},
    .mem_transfers_per_clk = detail::orin_transfers,
    .mem_efficiency = detail::orin_mem_eff_reused,
    .mem_latency_s = detail::gpu_mem_latency,
    .l2_bytes = {2 * detail::mib, source::assumed, "not in the data (-); assumed 2 MB like the NX 16GB (8 SM, 128-bit)"},
    .l2_bytes_per_s = {204.8e9, source::assumed, "assumed 2x theoretical DRAM BW (2 x 102.4 GB/s)"},
    .memory_bytes = {8 * detail::gib, source::datasheet, "jetson-devices.md (E): 8 GB LPDDR5 (binary GiB)"},
    .reserved_bytes = {2 * detail::gib, source::assumed, "OS + desktop + CUDA context + carve-outs, ~2 GiB; measure"},
    .storage_bytes_per_s = detail::orin_storage_nvme,
    .launch_overhead_s = detail::orin_launch,
    .graph_node_overhead_s = detail::orin_graph_node,
    .cpu_cores = {6, source::datasheet, "jetson-devices.md (E): 6x Cortex-A78AE"},
    .cpu_clock_hz = {1.728e9, source::datasheet, "jetson-devices.md (E): 1.7 GHz; MAXN_SUPER 1728 MHz (E/U)"},
    .host_speed = detail::a78ae_speed,
    .pj_per_flop_tensor = detail::orin_pj_tensor,
    .pj_per_flop_cuda = detail::orin_pj_cuda,
    .pj_per_byte_dram = detail::orin_pj_dram,
    .host_active_power_w = {detail::orin_fit_host_active_w * 25 / detail::agx_max_module_w, source::assumed,
                            "assumed: AGX 64GB fit x 25 W (max module, E, Super) / 60 W (AGX max, E); not fitted"},
    .cpu_active_power_w = detail::nx_nano_cpu_active,
    .sensor_ramp_s = detail::orin_sensor_ramp,
    .price_usd = detail::price_unknown,
    .modes = {{
        power_mode{
            .name = "MAXN_SUPER",
            .gpu_clock_hz = {1.02e9, source::datasheet, "jetson-devices.md (E/U): GPU 1020 MHz"},
            .emc_clock_hz = {3.199e9, source::datasheet, "jetson-devices.md (E/U): EMC 3199 MHz"},
            .active_sms = {8, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {6, source::datasheet, "jetson-devices.md (E): 6 CPUs"},
            .cpu_clock_hz = {1.728e9, source::datasheet, "jetson-devices.md (E/U): CPU 1728 MHz"},
            .static_power_w = {3.5 / 3, source::assumed,
                               "~1/3 of the 3.5 W module idle (E, 25W): no rail split measured"},
            .module_static_power_w = {3.5, source::assumed,
                                      "assumed = 25W idle VDD_IN 3.5 W (E): idle clocks do not depend on the cap"},
            .power_cap_w = {0, source::datasheet, "MAXN_SUPER: no cap (jetson-devices.md E)"},
            .dyn_energy_scale = detail::default_mode_scale},
        power_mode{
            .name = "25W",
            .gpu_clock_hz = {918e6, source::datasheet, "jetson-devices.md (E, jetson_clocks): GPU 918 MHz"},
            .emc_clock_hz = {3.199e9, source::datasheet, "jetson-devices.md (E, jetson_clocks): EMC 3199 MHz"},
            .active_sms = {8, source::derived, "jetson-devices.md (E): 4 TPC x 2 SM/TPC = 8 SM (all)"},
            .cpu_cores = {6, source::datasheet, "jetson-devices.md (E): 6 CPUs"},
            .cpu_clock_hz = {1.344e9, source::datasheet, "jetson-devices.md (E, jetson_clocks): 1344 MHz"},
            .static_power_w = {3.5 / 3, source::assumed,
                               "~1/3 of the 3.5 W module idle (E, 25W): no rail split measured"},
            .module_static_power_w = {3.5, source::published,
                                      "jetson-devices.md (E): idle VDD_IN 3.5 W in 25W"},
            .power_cap_w = {25, source::datasheet, "jetson-devices.md (E): mode name 25W"},
            .dyn_energy_scale = {detail::dvfs_energy_scale(918e6, 1.02e9), source::assumed,
                                 "V ~ f under DVFS => E/op ~ f^2: (918/1020)^2 = 0.81; floor 0.3 ~ (0.55 V/1.0 V)^2"}},
        power_mode{
            .name = "15W",
            .gpu_clock_hz = {612e6, source::assumed, "jetson-devices.md (U): GPU 612 MHz"},
            .emc_clock_hz = {2.133e9, source::assumed, "jetson-devices.md (U): EMC 2133 MHz (68.3 GB/s)"},
            .active_sms = {8, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {6, source::assumed, "not stated for 15W; assumed all 6 CPUs"},
            .cpu_clock_hz = {1.4976e9, source::assumed, "jetson-devices.md (U): CPU 1497.6 MHz"},
            .static_power_w = {3.5 / 3, source::assumed,
                               "~1/3 of the 3.5 W module idle (E, 25W): no rail split measured"},
            .module_static_power_w = {3.5, source::assumed,
                                      "assumed = 25W idle VDD_IN 3.5 W (E): idle clocks do not depend on the cap"},
            .power_cap_w = {15, source::datasheet, "jetson-devices.md (E): mode name 15W"},
            .dyn_energy_scale = {detail::dvfs_energy_scale(612e6, 1.02e9), source::assumed,
                                 "V ~ f under DVFS => E/op ~ f^2: (612/1020)^2 = 0.36; floor 0.3 ~ (0.55 V/1.0 V)^2"}},
        power_mode{
            .name = "7W",
            .gpu_clock_hz = {408e6, source::assumed, "7W not in the data; 408 MHz, the lowest Orin cap in it (NX 25W)"},
            .emc_clock_hz = {2.133e9, source::assumed, "7W not in the data; 2133 MHz as the 15W mode (U)"},
            .active_sms = {8, source::assumed, "7W not in the data; all SMs assumed online"},
            .cpu_cores = {4, source::assumed, "7W not in the data; 4 CPUs as the lowest AGX/NX modes"},
            .cpu_clock_hz = {1.114e9, source::assumed, "7W not in the data; 1114 MHz as AGX MODE_15W (U)"},
            .static_power_w = {3.5 / 3, source::assumed,
                               "~1/3 of the 3.5 W module idle (E, 25W): no rail split measured"},
            .module_static_power_w = {3.5, source::assumed,
                                      "assumed = 25W idle VDD_IN 3.5 W (E): idle clocks do not depend on the cap"},
            .power_cap_w = {7, source::datasheet, "jetson-devices.md (E): module power 7-25 W, mode name 7W"},
            .dyn_energy_scale = {detail::dvfs_energy_scale(408e6, 1.02e9), source::assumed,
                                 "V ~ f under DVFS => E/op ~ f^2: (408/1020)^2 = 0.16 -> floor 0.3 ~ (0.55 V/1.0 V)^2"}},
    }},
    .mode_count = 4,
    .accel_rail = "VDD_CPU_GPU_CV+VDD_SOC",
    .module_rail = "VDD_IN",
};

// =============================================================================
// Jetson Orin Nano 4GB. Source: jetson-devices.md, nearly all U (treated as
// assumptions). Modes: the 7-10 W range (U).
// =============================================================================
inline constexpr device_spec orin_nano_4gb{
    .id = "orin-nano-4gb",
    .kind = device_kind::jetson,
    .sm_count = {4, source::assumed, "jetson-devices.md (U): 4 SM, 512 CUDA; D: 4 x 8192 x 0.625 = 20 TOPS (U)"},
    .tensor_fp16_flops_per_clk = detail::orin_tensor_fp16,
    .tensor_bf16_flops_per_clk = detail::orin_tensor_bf16,
    .tensor_int8_ops_per_clk = detail::orin_tensor_int8,
    .tensor_fp8_flops_per_clk = detail::orin_tensor_fp8,
    .cuda_fp32_flops_per_clk = detail::orin_cuda_fp32,
    .cuda_fp16_flops_per_clk = detail::orin_cuda_fp16,
    .gpu_clock_hz = {625e6, source::assumed, "jetson-devices.md (U): 625 MHz"},
    .tensor_efficiency = detail::orin_tensor_eff_reused,
    .cuda_efficiency = detail::orin_cuda_eff,
    .mem_bus_bits = {64, source::assumed, "jetson-devices.md (U): 4 GB, 64-bit"},
    .emc_clock_hz = {2.133e9, source::derived, "jetson-devices.md: 34 GB/s (U) = 64/8 x 2 x 2133 MHz"},
    .mem_transfers_per_clk = detail::orin_transfers,
    .mem_efficiency = detail::orin_mem_eff_reused,
    .mem_latency_s = detail::gpu_mem_latency,
    .l2_bytes = {1 * detail::mib, source::assumed, "not in the data (-); assumed 1 MB: half the NX L2 for half the bus"},
    .l2_bytes_per_s = {68.3e9, source::assumed, "assumed 2x theoretical DRAM BW (2 x 34.1 GB/s)"},
    .memory_bytes = {4 * detail::gib, source::assumed, "jetson-devices.md (U): 4 GB (binary GiB)"},
    .reserved_bytes = {1.5 * detail::gib, source::assumed, "OS + desktop + CUDA context + carve-outs, ~1.5 GiB; measure"},
    .storage_bytes_per_s = detail::orin_storage_nvme,
    .launch_overhead_s = detail::orin_launch,
    .graph_node_overhead_s = detail::orin_graph_node,
    .cpu_cores = {6, source::assumed, "jetson-devices.md (U): 6x Cortex-A78AE"},
    .cpu_clock_hz = {1.5e9, source::assumed, "jetson-devices.md (U): 1.5 GHz"},
    .host_speed = detail::a78ae_speed,
    .pj_per_flop_tensor = detail::orin_pj_tensor,
    .pj_per_flop_cuda = detail::orin_pj_cuda,
    .pj_per_byte_dram = detail::orin_pj_dram,
    .host_active_power_w = {detail::orin_fit_host_active_w * 10 / detail::agx_max_module_w, source::assumed,
                            "assumed: AGX 64GB fit x 10 W (max module, U) / 60 W (AGX max, E); not fitted"},
    .cpu_active_power_w = detail::nx_nano_cpu_active,
    .sensor_ramp_s = detail::orin_sensor_ramp,
    .price_usd = detail::price_unknown,
    .modes = {{
        power_mode{
            .name = "10W",
            .gpu_clock_hz = {625e6, source::assumed, "jetson-devices.md (U): 625 MHz max"},
            .emc_clock_hz = {2.133e9, source::assumed, "jetson-devices.md (U): 34 GB/s -> 2133 MHz"},
            .active_sms = {4, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {6, source::assumed, "jetson-devices.md (U): 6 CPUs"},
            .cpu_clock_hz = {1.5e9, source::assumed, "jetson-devices.md (U): 1.5 GHz"},
            .static_power_w = {3.0 / 3, source::assumed,
                               "~1/3 of the assumed 3.0 W module idle: no rail split measured"},
            .module_static_power_w = {3.0, source::assumed,
                                      "below the Nano 8GB 3.5 W idle (E): half the SMs and DRAM bus (U); not measured"},
            .power_cap_w = {10, source::assumed, "jetson-devices.md (U): module power 7-10 W"},
            .dyn_energy_scale = detail::default_mode_scale},
        power_mode{
            .name = "7W",
            .gpu_clock_hz = {408e6, source::assumed, "not in the data; 408 MHz, the lowest Orin cap in it (NX 25W)"},
            .emc_clock_hz = {2.133e9, source::assumed, "not in the data; assumed the 2133 MHz max"},
            .active_sms = {4, source::assumed, "all SMs online (no TPC gating in the data)"},
            .cpu_cores = {4, source::assumed, "not in the data; 4 CPUs as the lowest AGX/NX modes"},
            .cpu_clock_hz = {1.114e9, source::assumed, "not in the data; 1114 MHz as AGX MODE_15W (U)"},
            .static_power_w = {3.0 / 3, source::assumed,
                               "~1/3 of the assumed 3.0 W module idle: no rail split measured"},
            .module_static_power_w = {3.0, source::assumed,
                                      "below the Nano 8GB 3.5 W idle (E): half the SMs and DRAM bus (U); not measured"},
            .power_cap_w = {7, source::assumed, "jetson-devices.md (U): module power 7-10 W"},
            .dyn_energy_scale = {detail::dvfs_energy_scale(408e6, 625e6), source::assumed,
                                 "V ~ f under DVFS => E/op ~ f^2: (408/625)^2 = 0.43; floor 0.3 ~ (0.55 V/1.0 V)^2"}},
    }},
    .mode_count = 2,
    .accel_rail = "VDD_CPU_GPU_CV+VDD_SOC",
    .module_rail = "VDD_IN",
};

// =============================================================================
// Reference GPUs: NVIDIA data sheets (not in data/). Dense rates only.
// Per-SM-per-clock rates = data-sheet TFLOP/s / (SMs x boost clock).
// =============================================================================

/// A100 80GB SXM4: 108 SM, 1410 MHz boost, 312 dense FP16/BF16 TFLOP/s, 624
/// INT8 TOPS, 19.5 FP32 TFLOP/s, 80 GB HBM2e at 2039 GB/s (5120-bit), 40 MB L2.
inline constexpr device_spec a100_80gb_sxm{
    .id = "a100-80gb-sxm",
    .kind = device_kind::discrete_gpu,
    .sm_count = {108, source::datasheet, "NVIDIA A100 data sheet/whitepaper: 108 SM"},
    .tensor_fp16_flops_per_clk = {312e12 / (108 * 1.41e9), source::derived,
                                  "NVIDIA A100 data sheet: 312 dense FP16 TFLOP/s / (108 SM x 1.41 GHz)"},
    .tensor_bf16_flops_per_clk = {312e12 / (108 * 1.41e9), source::derived,
                                  "NVIDIA A100 data sheet: 312 dense BF16 TFLOP/s / (108 SM x 1.41 GHz)"},
    .tensor_int8_ops_per_clk = {624e12 / (108 * 1.41e9), source::derived,
                                "NVIDIA A100 data sheet: 624 dense INT8 TOPS / (108 SM x 1.41 GHz)"},
    .tensor_fp8_flops_per_clk = {0, source::datasheet, "NVIDIA A100 data sheet: no FP8 (sm_80)"},
    .cuda_fp32_flops_per_clk = {19.5e12 / (108 * 1.41e9), source::derived,
                                "NVIDIA A100 data sheet: 19.5 FP32 TFLOP/s / (108 SM x 1.41 GHz)"},
    .cuda_fp16_flops_per_clk = {78e12 / (108 * 1.41e9), source::derived,
                                "NVIDIA A100 whitepaper: 78 non-tensor FP16 TFLOP/s / (108 SM x 1.41 GHz)"},
    .gpu_clock_hz = {1.41e9, source::datasheet, "NVIDIA A100 data sheet/whitepaper: 1410 MHz boost"},
    .tensor_efficiency = detail::dgpu_tensor_eff,
    .cuda_efficiency = detail::dgpu_cuda_eff,
    .mem_bus_bits = {5120, source::datasheet, "NVIDIA A100 whitepaper: 5120-bit HBM2e"},
    .emc_clock_hz = {2039e9 / 1280, source::derived, "NVIDIA A100 80GB data sheet: 2039 GB/s / (5120/8 x 2) = 1593 MHz"},
    .mem_transfers_per_clk = {2, source::datasheet, "HBM2e double data rate"},
    .mem_efficiency = detail::dgpu_mem_eff,
    .mem_latency_s = detail::gpu_mem_latency,
    .l2_bytes = {40 * detail::mib, source::datasheet, "NVIDIA A100 data sheet/whitepaper: 40 MB L2"},
    .l2_bytes_per_s = {4078e9, source::assumed, "assumed 2x theoretical DRAM BW (2 x 2039 GB/s)"},
    .memory_bytes = {80 * detail::gib, source::datasheet, "NVIDIA A100 80GB data sheet: 80 GB HBM2e (binary GiB)"},
    .reserved_bytes = detail::dgpu_reserved,
    .storage_bytes_per_s = detail::dgpu_storage,
    .launch_overhead_s = detail::dgpu_launch,
    .graph_node_overhead_s = detail::dgpu_graph_node,
    .cpu_cores = detail::x86_cpu_cores,
    .cpu_clock_hz = detail::x86_cpu_clock,
    .host_speed = detail::x86_host_speed,
    .pj_per_flop_tensor = {0.4, source::assumed,
                           "order of magnitude for 7 nm tensor cores (FP16 MMA); not fitted"},
    .pj_per_flop_cuda = {1.5, source::assumed,
                         "order of magnitude for 7 nm CUDA-core FMA (~4x the tensor MMA); not fitted"},
    .pj_per_byte_dram = {31, source::assumed,
                         "HBM2e ~3.9 pJ/bit x 8 (order of magnitude, incl. PHY); not fitted"},
    .host_active_power_w = detail::dgpu_host_active,
    .cpu_active_power_w = detail::x86_cpu_active,
    .sensor_ramp_s = detail::nvml_sensor_ramp,
    .price_usd = detail::price_unknown,
    .modes = {{
        power_mode{
            .name = "default",
            .gpu_clock_hz = {1.41e9, source::datasheet, "NVIDIA A100 data sheet: 1410 MHz boost"},
            .emc_clock_hz = {2039e9 / 1280, source::derived, "NVIDIA A100 80GB data sheet: 2039 GB/s -> 1593 MHz"},
            .active_sms = {108, source::datasheet, "NVIDIA A100 data sheet: 108 SM"},
            .cpu_cores = detail::x86_cpu_cores,
            .cpu_clock_hz = detail::x86_cpu_clock,
            .static_power_w = {55, source::assumed,
                               "board idle ~55 W (typical SXM A100 at idle clocks); not in data/"},
            .module_static_power_w = {55, source::assumed,
                                      "board = module rail: board idle ~55 W; not in data/"},
            .power_cap_w = {400, source::datasheet, "NVIDIA A100 SXM data sheet: 400 W TDP"},
            .dyn_energy_scale = detail::default_mode_scale},
    }},
    .mode_count = 1,
    .accel_rail = "board",
    .module_rail = "board",
};

/// H100 SXM5 80GB: 132 SM, 1980 MHz max boost, 989.4 dense FP16/BF16 TFLOP/s,
/// 1979 dense FP8/INT8, 66.9 FP32 TFLOP/s, 80 GB HBM3 at 3.35 TB/s, 50 MB L2.
/// The data sheet's tensor rates correspond to ~1830 MHz (4096 FLOP/clk/SM);
/// the per-clock rates here are scaled so that rate × 1.98 GHz × 132 = 989.4.
inline constexpr device_spec h100_sxm{
    .id = "h100-sxm",
    .kind = device_kind::discrete_gpu,
    .sm_count = {132, source::datasheet, "NVIDIA H100 data sheet/whitepaper: 132 SM (SXM5)"},
    .tensor_fp16_flops_per_clk = {989.4e12 / (132 * 1.98e9), source::derived,
                                  "NVIDIA H100 SXM data sheet: 989.4 dense FP16 TFLOP/s / (132 SM x 1.98 GHz)"},
    .tensor_bf16_flops_per_clk = {989.4e12 / (132 * 1.98e9), source::derived,
                                  "NVIDIA H100 SXM data sheet: 989.4 dense BF16 TFLOP/s / (132 SM x 1.98 GHz)"},
    .tensor_int8_ops_per_clk = {1979e12 / (132 * 1.98e9), source::derived,
                                "NVIDIA H100 SXM data sheet: 1979 dense INT8 TOPS / (132 SM x 1.98 GHz)"},
    .tensor_fp8_flops_per_clk = {1979e12 / (132 * 1.98e9), source::derived,
                                 "NVIDIA H100 SXM data sheet: 1979 dense FP8 TFLOP/s / (132 SM x 1.98 GHz)"},
    .cuda_fp32_flops_per_clk = {66.9e12 / (132 * 1.98e9), source::derived,
                                "NVIDIA H100 SXM data sheet: 66.9 FP32 TFLOP/s / (132 SM x 1.98 GHz)"},
    .cuda_fp16_flops_per_clk = {133.8e12 / (132 * 1.98e9), source::derived,
                                "NVIDIA H100 whitepaper: 133.8 non-tensor FP16 TFLOP/s / (132 SM x 1.98 GHz)"},
    .gpu_clock_hz = {1.98e9, source::datasheet, "NVIDIA H100 SXM: 1980 MHz max boost (gives the 66.9 FP32 TFLOP/s)"},
    .tensor_efficiency = detail::dgpu_tensor_eff,
    .cuda_efficiency = detail::dgpu_cuda_eff,
    .mem_bus_bits = {5120, source::datasheet, "NVIDIA H100 whitepaper: 5 HBM3 stacks, 5120-bit"},
    .emc_clock_hz = {3.35e12 / 1280, source::derived, "NVIDIA H100 SXM data sheet: 3.35 TB/s / (5120/8 x 2) = 2617 MHz"},
    .mem_transfers_per_clk = {2, source::datasheet, "HBM3 double data rate"},
    .mem_efficiency = detail::dgpu_mem_eff,
    .mem_latency_s = detail::gpu_mem_latency,
    .l2_bytes = {50 * detail::mib, source::datasheet, "NVIDIA H100 whitepaper: 50 MB L2"},
    .l2_bytes_per_s = {6.7e12, source::assumed, "assumed 2x theoretical DRAM BW (2 x 3.35 TB/s)"},
    .memory_bytes = {80 * detail::gib, source::datasheet, "NVIDIA H100 SXM data sheet: 80 GB HBM3 (binary GiB)"},
    .reserved_bytes = detail::dgpu_reserved,
    .storage_bytes_per_s = detail::dgpu_storage,
    .launch_overhead_s = detail::dgpu_launch,
    .graph_node_overhead_s = detail::dgpu_graph_node,
    .cpu_cores = detail::x86_cpu_cores,
    .cpu_clock_hz = detail::x86_cpu_clock,
    .host_speed = detail::x86_host_speed,
    .pj_per_flop_tensor = {0.3, source::assumed,
                           "order of magnitude for 4 nm (TSMC 4N) tensor cores (FP16 MMA); not fitted"},
    .pj_per_flop_cuda = {1.0, source::assumed,
                         "order of magnitude for 4 nm CUDA-core FMA (~3x the tensor MMA); not fitted"},
    .pj_per_byte_dram = {28, source::assumed,
                         "HBM3 ~3.5 pJ/bit x 8 (order of magnitude, incl. PHY); not fitted"},
    .host_active_power_w = detail::dgpu_host_active,
    .cpu_active_power_w = detail::x86_cpu_active,
    .sensor_ramp_s = detail::nvml_sensor_ramp,
    .price_usd = detail::price_unknown,
    .modes = {{
        power_mode{
            .name = "default",
            .gpu_clock_hz = {1.98e9, source::datasheet, "NVIDIA H100 SXM: 1980 MHz max boost"},
            .emc_clock_hz = {3.35e12 / 1280, source::derived, "NVIDIA H100 SXM data sheet: 3.35 TB/s -> 2617 MHz"},
            .active_sms = {132, source::datasheet, "NVIDIA H100 data sheet: 132 SM"},
            .cpu_cores = detail::x86_cpu_cores,
            .cpu_clock_hz = detail::x86_cpu_clock,
            .static_power_w = {70, source::assumed,
                               "board idle ~70 W (typical SXM H100 at idle clocks); not in data/"},
            .module_static_power_w = {70, source::assumed,
                                      "board = module rail: board idle ~70 W; not in data/"},
            .power_cap_w = {700, source::datasheet, "NVIDIA H100 SXM data sheet: up to 700 W TDP"},
            .dyn_energy_scale = detail::default_mode_scale},
    }},
    .mode_count = 1,
    .accel_rail = "board",
    .module_rail = "board",
};

/// H200 SXM 141GB: the H100's GH100 compute (132 SM, same dense rates) with
/// 141 GB HBM3e at 4.8 TB/s.
inline constexpr device_spec h200{
    .id = "h200",
    .kind = device_kind::discrete_gpu,
    .sm_count = {132, source::datasheet, "NVIDIA H200 data sheet: GH100, 132 SM (as H100 SXM)"},
    .tensor_fp16_flops_per_clk = {989.4e12 / (132 * 1.98e9), source::derived,
                                  "NVIDIA H200 data sheet: 989.5 dense FP16 TFLOP/s / (132 SM x 1.98 GHz)"},
    .tensor_bf16_flops_per_clk = {989.4e12 / (132 * 1.98e9), source::derived,
                                  "NVIDIA H200 data sheet: 989.5 dense BF16 TFLOP/s / (132 SM x 1.98 GHz)"},
    .tensor_int8_ops_per_clk = {1979e12 / (132 * 1.98e9), source::derived,
                                "NVIDIA H200 data sheet: 1979 dense INT8 TOPS / (132 SM x 1.98 GHz)"},
    .tensor_fp8_flops_per_clk = {1979e12 / (132 * 1.98e9), source::derived,
                                 "NVIDIA H200 data sheet: 1979 dense FP8 TFLOP/s / (132 SM x 1.98 GHz)"},
    .cuda_fp32_flops_per_clk = {66.9e12 / (132 * 1.98e9), source::derived,
                                "NVIDIA H200 data sheet: 67 FP32 TFLOP/s / (132 SM x 1.98 GHz)"},
    .cuda_fp16_flops_per_clk = {133.8e12 / (132 * 1.98e9), source::derived,
                                "NVIDIA H100 whitepaper (same SM): 133.8 non-tensor FP16 TFLOP/s / (132 x 1.98 GHz)"},
    .gpu_clock_hz = {1.98e9, source::datasheet, "NVIDIA H200: 1980 MHz max boost (as H100 SXM)"},
    .tensor_efficiency = detail::dgpu_tensor_eff,
    .cuda_efficiency = detail::dgpu_cuda_eff,
    .mem_bus_bits = {6144, source::assumed, "6 HBM3e stacks x 1024 bit; not on the data sheet"},
    .emc_clock_hz = {4.8e12 / 1536, source::derived, "NVIDIA H200 data sheet: 4.8 TB/s / (6144/8 x 2) = 3125 MHz"},
    .mem_transfers_per_clk = {2, source::datasheet, "HBM3e double data rate"},
    .mem_efficiency = detail::dgpu_mem_eff,
    .mem_latency_s = detail::gpu_mem_latency,
    .l2_bytes = {50 * detail::mib, source::datasheet, "NVIDIA H100 whitepaper (same GH100 die): 50 MB L2"},
    .l2_bytes_per_s = {9.6e12, source::assumed, "assumed 2x theoretical DRAM BW (2 x 4.8 TB/s)"},
    .memory_bytes = {141e9, source::datasheet, "NVIDIA H200 data sheet: 141 GB HBM3e (decimal as sold)"},
    .reserved_bytes = detail::dgpu_reserved,
    .storage_bytes_per_s = detail::dgpu_storage,
    .launch_overhead_s = detail::dgpu_launch,
    .graph_node_overhead_s = detail::dgpu_graph_node,
    .cpu_cores = detail::x86_cpu_cores,
    .cpu_clock_hz = detail::x86_cpu_clock,
    .host_speed = detail::x86_host_speed,
    .pj_per_flop_tensor = {0.3, source::assumed,
                           "order of magnitude for 4 nm (TSMC 4N) tensor cores (FP16 MMA); not fitted"},
    .pj_per_flop_cuda = {1.0, source::assumed,
                         "order of magnitude for 4 nm CUDA-core FMA (~3x the tensor MMA); not fitted"},
    .pj_per_byte_dram = {28, source::assumed,
                         "HBM3e ~3.5 pJ/bit x 8 (order of magnitude, incl. PHY); not fitted"},
    .host_active_power_w = detail::dgpu_host_active,
    .cpu_active_power_w = detail::x86_cpu_active,
    .sensor_ramp_s = detail::nvml_sensor_ramp,
    .price_usd = detail::price_unknown,
    .modes = {{
        power_mode{
            .name = "default",
            .gpu_clock_hz = {1.98e9, source::datasheet, "NVIDIA H200: 1980 MHz max boost"},
            .emc_clock_hz = {4.8e12 / 1536, source::derived, "NVIDIA H200 data sheet: 4.8 TB/s -> 3125 MHz"},
            .active_sms = {132, source::datasheet, "NVIDIA H200 data sheet: 132 SM"},
            .cpu_cores = detail::x86_cpu_cores,
            .cpu_clock_hz = detail::x86_cpu_clock,
            .static_power_w = {75, source::assumed,
                               "board idle ~75 W (typical SXM H200 at idle clocks); not in data/"},
            .module_static_power_w = {75, source::assumed,
                                      "board = module rail: board idle ~75 W; not in data/"},
            .power_cap_w = {700, source::datasheet, "NVIDIA H200 SXM data sheet: up to 700 W TDP"},
            .dyn_energy_scale = detail::default_mode_scale},
    }},
    .mode_count = 1,
    .accel_rail = "board",
    .module_rail = "board",
};

/// GeForce RTX 4090: 128 SM, 2520 MHz boost, 165.2 dense FP16/BF16 tensor
/// TFLOP/s with FP32 accumulate (what cuBLAS/PyTorch use; 330.3 with FP16
/// accumulate), 330.3 FP8, 660.6 INT8, 82.6 FP32, 24 GB GDDR6X at 1008 GB/s
/// (384-bit, 21 Gbps), 72 MB L2. Source: NVIDIA Ada architecture whitepaper.
inline constexpr device_spec rtx_4090{
    .id = "rtx-4090",
    .kind = device_kind::discrete_gpu,
    .sm_count = {128, source::datasheet, "NVIDIA Ada whitepaper (RTX 4090): 128 SM"},
    .tensor_fp16_flops_per_clk = {165.2e12 / (128 * 2.52e9), source::derived,
                                  "Ada whitepaper: 165.2 dense FP16 TFLOP/s (FP32 acc) / (128 SM x 2.52 GHz)"},
    .tensor_bf16_flops_per_clk = {165.2e12 / (128 * 2.52e9), source::derived,
                                  "Ada whitepaper: 165.2 dense BF16 TFLOP/s (FP32 acc) / (128 SM x 2.52 GHz)"},
    .tensor_int8_ops_per_clk = {660.6e12 / (128 * 2.52e9), source::derived,
                                "Ada whitepaper: 660.6 dense INT8 TOPS / (128 SM x 2.52 GHz)"},
    .tensor_fp8_flops_per_clk = {330.3e12 / (128 * 2.52e9), source::derived,
                                 "Ada whitepaper: 330.3 dense FP8 TFLOP/s (FP32 acc) / (128 SM x 2.52 GHz)"},
    .cuda_fp32_flops_per_clk = {82.6e12 / (128 * 2.52e9), source::derived,
                                "Ada whitepaper: 82.6 FP32 TFLOP/s / (128 SM x 2.52 GHz)"},
    .cuda_fp16_flops_per_clk = {82.6e12 / (128 * 2.52e9), source::derived,
                                "Ada whitepaper: 82.6 non-tensor FP16 TFLOP/s (1:1 with FP32) / (128 x 2.52 GHz)"},
    .gpu_clock_hz = {2.52e9, source::datasheet, "NVIDIA RTX 4090 spec: 2520 MHz boost"},
    .tensor_efficiency = detail::dgpu_tensor_eff,
    .cuda_efficiency = detail::dgpu_cuda_eff,
    .mem_bus_bits = {384, source::datasheet, "NVIDIA RTX 4090 spec: 384-bit GDDR6X"},
    .emc_clock_hz = {10.5e9, source::derived, "21 Gbps/pin GDDR6X (spec) / 2 transfers: 384/8 x 2 x 10.5 GHz = 1008 GB/s"},
    .mem_transfers_per_clk = {2, source::assumed, "convention: per-pin data rate = 2 x emc_clock_hz"},
    .mem_efficiency = detail::dgpu_mem_eff,
    .mem_latency_s = detail::gpu_mem_latency,
    .l2_bytes = {72 * detail::mib, source::datasheet, "NVIDIA Ada whitepaper (RTX 4090): 72 MB L2"},
    .l2_bytes_per_s = {2016e9, source::assumed, "assumed 2x theoretical DRAM BW (2 x 1008 GB/s)"},
    .memory_bytes = {24 * detail::gib, source::datasheet, "NVIDIA RTX 4090 spec: 24 GB GDDR6X (binary GiB)"},
    .reserved_bytes = {1.0 * detail::gib, source::assumed, "display + CUDA context + allocator slack, ~1 GiB (desktop)"},
    .storage_bytes_per_s = detail::dgpu_storage,
    .launch_overhead_s = detail::dgpu_launch,
    .graph_node_overhead_s = detail::dgpu_graph_node,
    .cpu_cores = {16, source::assumed, "desktop host CPU cores; not part of the GPU spec"},
    .cpu_clock_hz = {5.0e9, source::assumed, "desktop host CPU boost clock; not part of the GPU spec"},
    .host_speed = detail::x86_host_speed,
    .pj_per_flop_tensor = {0.5, source::assumed,
                           "order of magnitude for 4 nm consumer tensor cores (FP16 MMA); not fitted"},
    .pj_per_flop_cuda = {1.2, source::assumed,
                         "order of magnitude for 4 nm CUDA-core FMA (~2.4x the tensor MMA); not fitted"},
    .pj_per_byte_dram = {58, source::assumed,
                         "GDDR6X ~7.25 pJ/bit x 8 (order of magnitude, incl. PHY); not fitted"},
    .host_active_power_w = detail::dgpu_host_active,
    .cpu_active_power_w = detail::x86_cpu_active,
    .sensor_ramp_s = detail::nvml_sensor_ramp,
    .price_usd = detail::price_unknown,
    .modes = {{
        power_mode{
            .name = "default",
            .gpu_clock_hz = {2.52e9, source::datasheet, "NVIDIA RTX 4090 spec: 2520 MHz boost"},
            .emc_clock_hz = {10.5e9, source::derived, "21 Gbps/pin GDDR6X (spec) / 2"},
            .active_sms = {128, source::datasheet, "NVIDIA Ada whitepaper: 128 SM"},
            .cpu_cores = {16, source::assumed, "desktop host CPU cores; not part of the GPU spec"},
            .cpu_clock_hz = {5.0e9, source::assumed, "desktop host CPU boost clock; not part of the GPU spec"},
            .static_power_w = {20, source::assumed,
                               "board idle ~20 W (desktop card, display idle); not in data/"},
            .module_static_power_w = {20, source::assumed,
                                      "board = module rail: board idle ~20 W; not in data/"},
            .power_cap_w = {450, source::datasheet, "NVIDIA RTX 4090 spec: 450 W total graphics power"},
            .dyn_energy_scale = detail::default_mode_scale},
    }},
    .mode_count = 1,
    .accel_rail = "board",
    .module_rail = "board",
};

// =============================================================================
// Raspberry Pi (CPU only). Source: jetson-devices.md, Raspberry Pi section.
// "SMs" are cores, `gpu_clock_hz` is the CPU clock, the "CUDA-core" rates are
// NEON rates per core per clock, and there are no tensor units.
// =============================================================================
inline constexpr device_spec rpi4_8gb{
    .id = "rpi4-8gb",
    .kind = device_kind::cpu,
    .sm_count = {4, source::datasheet, "jetson-devices.md (E): 4x Cortex-A72 (cores act as SMs)"},
    .tensor_fp16_flops_per_clk = {0, source::derived, "0: no tensor/matrix units on Cortex-A72"},
    .tensor_bf16_flops_per_clk = {0, source::derived, "0: no tensor/matrix units on Cortex-A72"},
    .tensor_int8_ops_per_clk = {0, source::derived, "0: no tensor units; A72 has no SDOT (int8 work runs as NEON FP/int)"},
    .tensor_fp8_flops_per_clk = {0, source::derived, "0: no tensor/matrix units on Cortex-A72"},
    .cuda_fp32_flops_per_clk = {8, source::assumed,
                                "A72: one 128-bit NEON FMA/clk = 8 FP32 FLOP; HPL 17.9 GF FP64 = 2.5 DP/clk/core fits"},
    .cuda_fp16_flops_per_clk = {8, source::assumed, "A72 (ARMv8.0) has no FP16 arithmetic: fp16 runs at the FP32 rate"},
    .gpu_clock_hz = {1.8e9, source::datasheet, "jetson-devices.md (E): A72 @ 1.5 GHz, 1.8 GHz on later boards"},
    .tensor_efficiency = {0.6, source::assumed, "unused: no tensor units"},
    .cuda_efficiency = {0.62, source::derived, "jetson-devices.md: HPL 17.9 GFLOP/s (E) / (4 x 1.8 GHz x 4 DP FLOP/clk)"},
    .mem_bus_bits = {32, source::assumed, "jetson-devices.md (D): 32-bit bus assumed"},
    .emc_clock_hz = {1.6e9, source::derived, "LPDDR4-3200 (E): 3200 MT/s / 2 = 1600 MHz -> 12.8 GB/s (D)"},
    .mem_transfers_per_clk = {2, source::derived, "LPDDR4 double data rate"},
    // tinymembench reports bytes copied per second; a copy moves each byte twice
    // (read + write), so a read stream (LLM weights) sees about twice that.
    .mem_efficiency = {2 * 2.8 / 12.8, source::derived,
                       "jetson-devices.md: 2 x tinymembench copy ~2.8 GB/s (E; read+write) / 12.8 GB/s (D)"},
    .mem_latency_s = {1e-6, source::assumed, "fixed cost per streamed op on a CPU (thread fork/join); to be calibrated"},
    .l2_bytes = {1 * detail::mib, source::assumed, "BCM2711 1 MB shared L2 (Raspberry Pi docs; not in data/)"},
    .l2_bytes_per_s = {25.6e9, source::assumed, "assumed 2x theoretical DRAM BW (2 x 12.8 GB/s)"},
    .memory_bytes = {8 * detail::gib, source::datasheet, "board id rpi4-8gb: 8 GB LPDDR4 (binary GiB)"},
    .reserved_bytes = {0.5 * detail::gib, source::assumed, "Raspberry Pi OS Lite + llama.cpp buffers, ~0.5 GiB"},
    .storage_bytes_per_s = {45e6, source::assumed, "microSD (DDR50 bus), ~45 MB/s read; overridable"},
    .launch_overhead_s = {2e-6, source::assumed, "per-op thread-pool barrier in llama.cpp; to be calibrated"},
    .graph_node_overhead_s = {2e-6, source::assumed, "no CUDA graphs on CPU: same as launch_overhead_s"},
    .cpu_cores = {4, source::datasheet, "jetson-devices.md (E): 4x Cortex-A72"},
    .cpu_clock_hz = {1.8e9, source::datasheet, "jetson-devices.md (E): 1.8 GHz on later boards"},
    .host_speed = {0.55, source::assumed, "A72 per clock vs A78AE (~0.55, SPECint-class estimate); to calibrate"},
    .pj_per_flop_tensor = {0, source::derived, "0: unused, no tensor units"},
    .pj_per_flop_cuda = {100, source::assumed,
                         "order of magnitude for a 28 nm A72 NEON FP32 FLOP (incl. core overhead); not fitted"},
    .pj_per_byte_dram = {50, source::assumed,
                         "LPDDR4 ~6 pJ/bit x 8 (order of magnitude, incl. controller); not fitted"},
    .host_active_power_w = {1, source::assumed,
                            "~1 W: one busy core above board idle while the runtime's serial work runs"},
    .cpu_active_power_w = {0, source::derived,
                           "0: the CPU is the whole board rail; host work is in host_active_power_w"},
    .sensor_ramp_s = {0, source::assumed,
                      "0: no on-board power sensor (external meters); no ramp modelled"},
    .price_usd = detail::price_unknown,
    .modes = {{
        power_mode{
            .name = "default",
            .gpu_clock_hz = {1.8e9, source::datasheet, "jetson-devices.md (E): 1.8 GHz CPU clock (cores act as SMs)"},
            .emc_clock_hz = {1.6e9, source::derived, "LPDDR4-3200 (E) -> 1600 MHz"},
            .active_sms = {4, source::datasheet, "jetson-devices.md (E): 4 cores"},
            .cpu_cores = {4, source::datasheet, "jetson-devices.md (E): 4 cores"},
            .cpu_clock_hz = {1.8e9, source::datasheet, "jetson-devices.md (E): 1.8 GHz"},
            .static_power_w = {2.7, source::assumed,
                               "board idle ~2.7 W (headless, Ethernet up); not in data/"},
            .module_static_power_w = {2.7, source::assumed,
                                      "board = module rail: board idle ~2.7 W; not in data/"},
            .power_cap_w = {0, source::assumed, "no power modes on the Pi: no cap"},
            .dyn_energy_scale = detail::default_mode_scale},
    }},
    .mode_count = 1,
    .accel_rail = "board",
    .module_rail = "board",
};

inline constexpr device_spec rpi5_8gb{
    .id = "rpi5-8gb",
    .kind = device_kind::cpu,
    .sm_count = {4, source::datasheet, "jetson-devices.md (E): 4x Cortex-A76 (cores act as SMs)"},
    .tensor_fp16_flops_per_clk = {0, source::derived, "0: no tensor/matrix units on Cortex-A76"},
    .tensor_bf16_flops_per_clk = {0, source::derived, "0: no tensor/matrix units on Cortex-A76"},
    .tensor_int8_ops_per_clk = {0, source::derived, "0: no tensor units (SDOT int8 dot products not modelled here)"},
    .tensor_fp8_flops_per_clk = {0, source::derived, "0: no tensor/matrix units on Cortex-A76"},
    .cuda_fp32_flops_per_clk = {16, source::assumed,
                                "A76: two 128-bit NEON FMA/clk = 16 FP32 FLOP; HPL 30.3 GF = 3.2 DP/clk/core fits"},
    .cuda_fp16_flops_per_clk = {32, source::assumed, "A76 (ARMv8.2 FP16): 2 x 8-lane FP16 FMA/clk = 32 FLOP"},
    .gpu_clock_hz = {2.4e9, source::datasheet, "jetson-devices.md (E): A76 @ 2.4 GHz"},
    .tensor_efficiency = {0.6, source::assumed, "unused: no tensor units"},
    .cuda_efficiency = {30.3 / (4 * 2.4 * 8), source::derived,
                        "jetson-devices.md: HPL 30.3 GFLOP/s (E) / (4 x 2.4 GHz x 8 DP FLOP/clk) = 0.39"},
    .mem_bus_bits = {32, source::assumed, "jetson-devices.md (D): 32-bit bus assumed"},
    .emc_clock_hz = {2.1335e9, source::derived, "LPDDR4X-4267 (E): 4267 MT/s / 2 = 2133.5 MHz -> 17.1 GB/s (D)"},
    .mem_transfers_per_clk = {2, source::derived, "LPDDR4X double data rate"},
    .mem_efficiency = {2 * 5.55 / 17.07, source::derived,
                       "jetson-devices.md: 2 x tinymembench copy mid 5.55 GB/s (E; read+write) / 17.07 GB/s (D)"},
    .mem_latency_s = {1e-6, source::assumed, "fixed cost per streamed op on a CPU (thread fork/join); to be calibrated"},
    .l2_bytes = {2 * detail::mib, source::assumed, "BCM2712 2 MB shared L3 (Raspberry Pi docs; not in data/)"},
    .l2_bytes_per_s = {34.1e9, source::assumed, "assumed 2x theoretical DRAM BW (2 x 17.07 GB/s)"},
    .memory_bytes = {8 * detail::gib, source::datasheet, "board id rpi5-8gb: 8 GB LPDDR4X (binary GiB)"},
    .reserved_bytes = {0.5 * detail::gib, source::assumed, "Raspberry Pi OS Lite + llama.cpp buffers, ~0.5 GiB"},
    .storage_bytes_per_s = {90e6, source::assumed, "microSD (SDR104 bus on Pi 5), ~90 MB/s read; overridable"},
    .launch_overhead_s = {2e-6, source::assumed, "per-op thread-pool barrier in llama.cpp; to be calibrated"},
    .graph_node_overhead_s = {2e-6, source::assumed, "no CUDA graphs on CPU: same as launch_overhead_s"},
    .cpu_cores = {4, source::datasheet, "jetson-devices.md (E): 4x Cortex-A76"},
    .cpu_clock_hz = {2.4e9, source::datasheet, "jetson-devices.md (E): 2.4 GHz"},
    .host_speed = {0.85, source::assumed, "A76 per clock vs A78AE (~0.85, SPECint-class estimate); to calibrate"},
    .pj_per_flop_tensor = {0, source::derived, "0: unused, no tensor units"},
    .pj_per_flop_cuda = {60, source::assumed,
                         "16 nm A76 NEON FP32, order of magnitude; HPL 30.3 GF at 11 W (E) bounds it"},
    .pj_per_byte_dram = {40, source::assumed,
                         "LPDDR4X ~5 pJ/bit x 8 (order of magnitude, incl. controller); not fitted"},
    .host_active_power_w = {1, source::assumed,
                            "~1 W: one busy core above board idle while the runtime's serial work runs"},
    .cpu_active_power_w = {0, source::derived,
                           "0: the CPU is the whole board rail; host work is in host_active_power_w"},
    .sensor_ramp_s = {0, source::assumed,
                      "0: no on-board power sensor (external meters); no ramp modelled"},
    .price_usd = detail::price_unknown,
    .modes = {{
        power_mode{
            .name = "default",
            .gpu_clock_hz = {2.4e9, source::datasheet, "jetson-devices.md (E): 2.4 GHz CPU clock (cores act as SMs)"},
            .emc_clock_hz = {2.1335e9, source::derived, "LPDDR4X-4267 (E) -> 2133.5 MHz"},
            .active_sms = {4, source::datasheet, "jetson-devices.md (E): 4 cores"},
            .cpu_cores = {4, source::datasheet, "jetson-devices.md (E): 4 cores"},
            .cpu_clock_hz = {2.4e9, source::datasheet, "jetson-devices.md (E): 2.4 GHz"},
            .static_power_w = {2.7, source::assumed,
                               "board idle ~2.7 W (headless, Ethernet up); not in data/"},
            .module_static_power_w = {2.7, source::assumed,
                                      "board = module rail: board idle ~2.7 W; not in data/"},
            .power_cap_w = {0, source::assumed, "no power modes on the Pi: no cap"},
            .dyn_energy_scale = detail::default_mode_scale},
    }},
    .mode_count = 1,
    .accel_rail = "board",
    .module_rail = "board",
};

}  // namespace devices

/// Every catalog entry: Jetson Orin modules, reference GPUs, Raspberry Pi boards.
inline constexpr std::array<device_spec, 12> device_catalog_entries{
    devices::agx_orin_64gb, devices::agx_orin_32gb, devices::orin_nx_16gb,
    devices::orin_nx_8gb,   devices::orin_nano_8gb, devices::orin_nano_4gb,
    devices::a100_80gb_sxm, devices::h100_sxm,      devices::h200,
    devices::rtx_4090,      devices::rpi4_8gb,      devices::rpi5_8gb,
};

/// All catalog entries as a read-only view (static storage; never dangles).
[[nodiscard]] constexpr std::span<const device_spec> device_catalog() {
  return {device_catalog_entries.data(), device_catalog_entries.size()};
}

/// The ids of all catalog entries, in catalog order.
[[nodiscard]] constexpr std::array<std::string_view, device_catalog_entries.size()> device_ids() {
  std::array<std::string_view, device_catalog_entries.size()> ids{};
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = device_catalog_entries[i].id.view();
  return ids;
}

/// The catalog entry with id `id`, or nullptr; usable in constant expressions.
[[nodiscard]] constexpr const device_spec* find_device_or_null(std::string_view id) {
  for (const device_spec& d : device_catalog_entries)
    if (d.id == id) return &d;
  return nullptr;
}

/// The catalog entry with id `id` (exact match). An unknown id gives
/// `errc::unknown_id` with a message naming the id and the nearest ids.
[[nodiscard]] inline result<device_spec> find_device(std::string_view id) {
  if (const device_spec* d = find_device_or_null(id)) return *d;
  return make_error(errc::unknown_id, detail::unknown_id_message("device id", id, device_ids()));
}

namespace detail {
/// ASCII case-insensitive equality (mode names: "maxn" == "MAXN").
[[nodiscard]] constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}
}  // namespace detail

/// Index of the power mode `name` of `d`. An empty name selects the default
/// mode (index 0, the highest). Names match exactly first, then ignoring ASCII
/// case, and nvpmodel's "MODE_" prefix is accepted as an alias ("MODE_30W" →
/// "30W"). An unknown name gives `errc::unknown_id` listing the device's modes.
[[nodiscard]] inline result<int> find_mode(const device_spec& d, std::string_view name) {
  if (name.empty()) {
    if (d.mode_count > 0) return 0;
    return make_error(errc::invalid_argument,
                      "device '" + std::string(d.id.view()) + "' has no power modes");
  }
  const int exact = find_mode_index(d, name);
  if (exact >= 0) return exact;
  std::string_view bare = name;
  if (bare.size() > 5 && detail::iequals(bare.substr(0, 5), "MODE_")) bare.remove_prefix(5);
  for (int i = 0; i < d.mode_count; ++i)
    if (detail::iequals(d.modes[static_cast<std::size_t>(i)].name.view(), bare)) return i;
  std::string valid;
  for (int i = 0; i < d.mode_count; ++i) {
    if (i) valid += ", ";
    valid += d.modes[static_cast<std::size_t>(i)].name.view();
  }
  return make_error(errc::unknown_id, "unknown power mode '" + std::string(name) + "' for device '" +
                                          std::string(d.id.view()) + "'; valid modes: " + valid);
}

/// Time to read `weight_bytes` of weights from the device's storage (microSD,
/// eMMC, NVMe) at `storage_bytes_per_s`, in seconds. Reported on its own as the
/// cold-start cost: it is paid once per process start, never per token.
[[nodiscard]] constexpr double cold_start_s(const device_spec& d, double weight_bytes) {
  return weight_bytes / d.storage_bytes_per_s.value;
}

/// Calls `f(name, field)` for every `sourced` field of a device (not its modes),
/// in declaration order, with the field's JSON name. `Spec` is `device_spec`
/// or `const device_spec`. One list serves JSON I/O and the provenance tests.
template <class Spec, class F>
  requires std::is_same_v<std::remove_const_t<Spec>, device_spec>
constexpr void for_each_sourced(Spec& d, F&& f) {
  f("sm_count", d.sm_count);
  f("tensor_fp16_flops_per_clk", d.tensor_fp16_flops_per_clk);
  f("tensor_bf16_flops_per_clk", d.tensor_bf16_flops_per_clk);
  f("tensor_int8_ops_per_clk", d.tensor_int8_ops_per_clk);
  f("tensor_fp8_flops_per_clk", d.tensor_fp8_flops_per_clk);
  f("cuda_fp32_flops_per_clk", d.cuda_fp32_flops_per_clk);
  f("cuda_fp16_flops_per_clk", d.cuda_fp16_flops_per_clk);
  f("gpu_clock_hz", d.gpu_clock_hz);
  f("tensor_efficiency", d.tensor_efficiency);
  f("cuda_efficiency", d.cuda_efficiency);
  f("mem_bus_bits", d.mem_bus_bits);
  f("emc_clock_hz", d.emc_clock_hz);
  f("mem_transfers_per_clk", d.mem_transfers_per_clk);
  f("mem_efficiency", d.mem_efficiency);
  f("mem_latency_s", d.mem_latency_s);
  f("l2_bytes", d.l2_bytes);
  f("l2_bytes_per_s", d.l2_bytes_per_s);
  f("memory_bytes", d.memory_bytes);
  f("reserved_bytes", d.reserved_bytes);
  f("storage_bytes_per_s", d.storage_bytes_per_s);
  f("launch_overhead_s", d.launch_overhead_s);
  f("graph_node_overhead_s", d.graph_node_overhead_s);
  f("cpu_cores", d.cpu_cores);
  f("cpu_clock_hz", d.cpu_clock_hz);
  f("host_speed", d.host_speed);
  f("pj_per_flop_tensor", d.pj_per_flop_tensor);
  f("pj_per_flop_cuda", d.pj_per_flop_cuda);
  f("pj_per_byte_dram", d.pj_per_byte_dram);
  f("host_active_power_w", d.host_active_power_w);
  f("cpu_active_power_w", d.cpu_active_power_w);
  f("sensor_ramp_s", d.sensor_ramp_s);
  f("price_usd", d.price_usd);
}

/// Calls `f(name, field)` for every `sourced` field of a power mode.
template <class Mode, class F>
  requires std::is_same_v<std::remove_const_t<Mode>, power_mode>
constexpr void for_each_sourced(Mode& m, F&& f) {
  f("gpu_clock_hz", m.gpu_clock_hz);
  f("emc_clock_hz", m.emc_clock_hz);
  f("active_sms", m.active_sms);
  f("cpu_cores", m.cpu_cores);
  f("cpu_clock_hz", m.cpu_clock_hz);
  f("static_power_w", m.static_power_w);
  f("module_static_power_w", m.module_static_power_w);
  f("power_cap_w", m.power_cap_w);
  f("dyn_energy_scale", m.dyn_energy_scale);
}

}  // namespace edgeperf
