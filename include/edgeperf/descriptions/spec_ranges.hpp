#pragma once
/// @file
/// The physical range of every number of a device, power mode and runtime
/// description, in one place. `validate_case` (phases/request.hpp; on main
/// descriptions/validate.hpp) refuses a value outside its range, so that no
/// zero, denormal or absurd efficiency, bandwidth or clock reaches the model
/// (they gave null times and `-nan%` in tables before). The ranges are wide
/// sanity bounds around every real edge or datacenter part, not specs; each
/// states why (docs/robustness.md "Profile ranges" lists them).

#include <cstddef>
#include <string_view>

namespace edgeperf {

/// Allowed values of one field: 0 when `zero_ok` (meaning "none" or "use the
/// default", as the field's comment says), else a finite value in [lo, hi].
struct spec_range {
  std::string_view field;
  double lo{0};
  double hi{0};
  bool zero_ok{false};
  std::string_view why;  ///< what the bound stands for
};

/// Ranges of the `device_spec` fields (per SM or core where the field is).
inline constexpr spec_range device_ranges[] = {
    {"sm_count", 1, 1e5, false, "SMs (GPU) or cores (CPU board)"},
    {"tensor_fp16_flops_per_clk", 1, 1e6, true, "per SM per clock; 0 = no tensor cores"},
    {"tensor_bf16_flops_per_clk", 1, 1e6, true, "per SM per clock; 0 = none"},
    {"tensor_int8_ops_per_clk", 1, 1e6, true, "per SM per clock; 0 = none"},
    {"tensor_fp8_flops_per_clk", 1, 1e6, true, "per SM per clock; 0 = none"},
    {"cuda_fp32_flops_per_clk", 1, 1e6, false, "per SM (or core) per clock"},
    {"cuda_fp16_flops_per_clk", 1, 1e6, false, "per SM (or core) per clock"},
    {"gpu_clock_hz", 1e6, 1e10, false, "1 MHz .. 10 GHz"},
    {"tensor_efficiency", 0.01, 1, true, "fraction of peak; 0 = 1"},
    {"cuda_efficiency", 0.01, 1, true, "fraction of peak; 0 = 1"},
    {"mem_bus_bits", 8, 1e5, false, "bus width in bits"},
    {"emc_clock_hz", 1e6, 1e11, false, "memory clock 1 MHz .. 100 GHz"},
    {"mem_transfers_per_clk", 0.5, 64, false, "transfers per memory clock"},
    {"mem_efficiency", 0.01, 1, true, "fraction of peak bandwidth; 0 = 1"},
    {"mem_latency_s", 1e-10, 1e-3, true, "DRAM latency 0.1 ns .. 1 ms; 0 = none"},
    {"l2_bytes", 1, 1e10, true, "L2 size; 0 = none"},
    {"l2_bytes_per_s", 1e6, 1e16, true, "L2 bandwidth; 0 = none"},
    {"memory_bytes", 1e6, 1e15, false, "1 MB .. 1 PB"},
    {"reserved_bytes", 1, 1e15, true, "memory the OS keeps; 0 = none"},
    {"storage_bytes_per_s", 1e3, 1e13, true, "storage read rate; 0 = unknown"},
    {"launch_overhead_s", 1e-9, 1, true, "per kernel; 0 = none"},
    {"graph_node_overhead_s", 1e-9, 1, true, "per graph node; 0 = none"},
    {"cpu_cores", 1, 1e4, true, "0 = unknown"},
    {"cpu_clock_hz", 1e6, 1e10, true, "0 = unknown"},
    {"host_speed", 0.01, 100, true, "relative to a Cortex-A78AE; 0 = 1"},
    {"pj_per_flop_tensor", 1e-6, 1e4, true, "pJ per FLOP; 0 = not fitted"},
    {"pj_per_flop_cuda", 1e-6, 1e4, true, "pJ per FLOP; 0 = not fitted"},
    {"pj_per_byte_dram", 1e-6, 1e6, true, "pJ per byte; 0 = not fitted"},
    {"host_active_power_w", 1e-6, 1e4, true, "W; 0 = none"},
    {"cpu_active_power_w", 1e-6, 1e4, true, "W; 0 = none"},
    {"sensor_ramp_s", 1e-6, 100, true, "s; 0 = none"},
    {"price_usd", 1e-6, 1e9, true, "$; 0 = no price"},
};

/// Ranges of the `power_mode` fields; 0 means "the device's value" for clocks,
/// SMs and cores.
inline constexpr spec_range mode_ranges[] = {
    {"gpu_clock_hz", 1e6, 1e10, true, "1 MHz .. 10 GHz; 0 = the device's"},
    {"emc_clock_hz", 1e6, 1e11, true, "1 MHz .. 100 GHz; 0 = the device's"},
    {"active_sms", 1, 1e5, true, "0 = the device's"},
    {"cpu_cores", 1, 1e4, true, "0 = the device's"},
    {"cpu_clock_hz", 1e6, 1e10, true, "0 = the device's"},
    {"static_power_w", 1e-6, 1e4, true, "W; 0 = none"},
    {"module_static_power_w", 1e-6, 1e4, true, "W; 0 = none"},
    {"power_cap_w", 1e-3, 1e5, true, "W; 0 = none"},
    {"dyn_energy_scale", 0.01, 100, true, "relative to the default mode; 0 = 1"},
};

/// Ranges of the `runtime_spec` fields.
inline constexpr spec_range runtime_ranges[] = {
    {"host_per_launch_s", 1e-10, 1, true, "s; 0 = none"},
    {"host_per_step_s", 1e-10, 10, true, "s; 0 = none"},
    {"host_per_seq_s", 1e-10, 10, true, "s; 0 = none"},
    {"graph_launch_s", 1e-10, 1, true, "s; 0 = none"},
    {"sync_s", 1e-10, 1, true, "s; 0 = none"},
    {"kernel_efficiency", 0.01, 2, true, "relative to cuBLAS; 0 = 1"},
    {"dequant_efficiency", 0.01, 1, true, "fraction; 0 = 1"},
};

/// The range of `field` in `table`, or nullptr.
template <std::size_t N>
[[nodiscard]] constexpr const spec_range* find_range(const spec_range (&table)[N],
                                                     std::string_view field) {
  for (const spec_range& r : table)
    if (r.field == field) return &r;
  return nullptr;
}

/// Whether the fields of `table` are distinct (then `find_range` and a
/// `range_cursor` find the same entry).
template <std::size_t N>
[[nodiscard]] constexpr bool distinct_fields(const spec_range (&table)[N]) {
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t j = i + 1; j < N; ++j)
      if (table[i].field == table[j].field) return false;
  return true;
}
static_assert(distinct_fields(device_ranges) && distinct_fields(mode_ranges) &&
              distinct_fields(runtime_ranges));

/// `find_range` for fields looked up in the table's order (as the checks of
/// descriptions/validate.hpp do, per request): tries the entry after the last
/// one found before searching, so an in-order walk costs one comparison per
/// field instead of a search. Finds what `find_range` finds (fields are distinct).
template <std::size_t N>
struct range_cursor {
  const spec_range (&table)[N];
  std::size_t next{0};
  [[nodiscard]] constexpr const spec_range* find(std::string_view field) {
    if (next < N && table[next].field == field) return &table[next++];
    const spec_range* r = find_range(table, field);
    if (r != nullptr) next = static_cast<std::size_t>(r - table) + 1;
    return r;
  }
};

/// Whether `v` lies in `r`: 0 when `zero_ok`, else finite and in [lo, hi] (NaN fails).
[[nodiscard]] constexpr bool in_range(const spec_range& r, double v) {
  if (v == 0) return r.zero_ok;
  return v >= r.lo && v <= r.hi;
}

}  // namespace edgeperf
