#pragma once
/// @file
/// The calibration suite's measurements (schema `edgeperf.measurements/2`;
/// version 1 files still read,
/// docs/calibration.md "The measurements JSON", written by
/// calibration/src/main.cpp) as plain structs, standard library only: the
/// input of the device fit (fit/device_fit.hpp), which owns them. Parsing and
/// writing live in io/measurements_json.hpp (nlohmann_json); fit/ includes
/// nothing from io/.
///
/// Units as in the file: times in seconds, rates per second, sizes in bytes,
/// clocks in Hz, power in W, energy in J. Fields the suite writes as `null`
/// (an interrupted run) or leaves out are 0 / empty here.

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace edgeperf::fit {

/// The schema string this library writes (and the newest it reads).
inline constexpr const char* measurements_schema = "edgeperf.measurements/2";
/// The oldest schema this library still reads: version 1 lacks the per-record
/// clocks, the robust spread (IQR, MAD), the batch size, the read-only memory
/// sweep and the blocking-kernel launch records; the fit then falls back to
/// what version 1 measured and says so in its notes.
inline constexpr const char* measurements_schema_v1 = "edgeperf.measurements/1";

/// Schema version of `schema` (1 or 2), 0 when it is not one this library reads.
[[nodiscard]] inline int measurements_schema_version(const std::string& schema) {
  if (schema == measurements_schema) return 2;
  if (schema == measurements_schema_v1) return 1;
  return 0;
}

/// Spread of a set of samples (`time_s` of a record, in s; `power_w` of a rail, in W).
struct sample_spread {
  double median{0};
  double min{0};
  double max{0};
  double p10{0};
  double p90{0};
  double mean{0};
  int count{0};
  bool stable{false};  ///< records only: the median converged before a cap was hit
  double iqr{0};       ///< p75 − p25 (schema 2; 0 when absent)
  double mad{0};       ///< median absolute deviation from the median (schema 2; 0 when absent)
};

/// Clocks observed while one configuration was sampled (schema 2): read
/// before every sample from NVML (discrete GPUs) or /sys devfreq (Jetson).
struct sample_clocks {
  std::string source;         ///< "nvml", "devfreq", or "none" (not readable: said so)
  double sm_hz_min{0};        ///< lowest SM clock seen, Hz (0: not read)
  double sm_hz_max{0};
  double mem_hz_min{0};       ///< lowest memory (EMC) clock seen, Hz (0: not read)
  double mem_hz_max{0};
  double throttle_mask{0};    ///< OR of the NVML clocks-event reasons that mean throttling (power, thermal, sync boost excluded)
  int throttled_samples{0};   ///< samples taken with a throttle reason active
  int readings{0};            ///< clock readings taken (one per sample)
};

/// `run`: identity and bookkeeping of one calibration run.
struct run_info {
  std::string id;            ///< `YYYYMMDDThhmmssZ-hostname`: cite it in provenance
  std::string hostname;
  std::string started_utc;
  std::string finished_utc;  ///< empty while running / if interrupted
  double wall_s{0};
  std::string suite_version;
  bool quick{false};
  std::string command_line;
  std::map<std::string, double> bench_wall_s;               ///< benchmark → wall time, s
  std::vector<std::pair<std::string, std::string>> errors;  ///< (bench, what)
};

/// `device`: what the CUDA runtime reports about the GPU.
struct device_properties {
  std::string name;
  int index{0};
  std::string pci_bus_id;
  int cc_major{0};
  int cc_minor{0};
  int sm_count{0};                  ///< SMs online
  bool integrated{false};           ///< Jetson (memory shared with the CPU)
  double total_memory_bytes{0};
  double free_memory_bytes{0};      ///< free at the start of the run
  double l2_bytes{0};
  double persisting_l2_max_bytes{0};
  double memory_bus_bits{0};
  double clock_hz{0};               ///< peak SM clock (0 where the runtime no longer reports it)
  double memory_clock_hz{0};        ///< peak memory clock (0 where not reported)
  double shared_memory_per_sm_bytes{0};
  double registers_per_sm{0};
  double max_threads_per_sm{0};
  bool ecc_enabled{false};
  std::string cuda_driver_version;
  std::string cuda_runtime_version;
  double cublaslt_version{0};
};

/// `host`: the machine the GPU sits in.
struct host_properties {
  std::string kernel, os, board_model, l4t_release, jetpack;
};

/// One timed configuration (`benchmarks[i]`).
struct benchmark_record {
  std::string bench;  ///< memory, gemm, attention, launch, dequant
  std::string name;   ///< copy, cublaslt, wmma_128x128x32, plain, graph, w4a16_gemv, ...
  std::map<std::string, double> params;       ///< size_bytes, m, n, k, launches, nodes, ...
  std::map<std::string, std::string> tags;    ///< dtype, library, l2, model, layer, tile, ...
  double flops{0};             ///< analytic FLOPs (int ops) of one sample
  double bytes{0};             ///< analytic compulsory DRAM bytes of one sample
  double units_per_sample{1};  ///< launches, graph nodes or kernels in one sample
  sample_spread time_s{};      ///< per-configuration time, s (median > 0; a batched sample is divided by `batch`)
  int batch{1};                ///< configurations timed back to back per event pair (short kernels, schema 2)
  sample_clocks clocks{};      ///< clocks and throttling during the samples (schema 2)
  std::map<std::string, double> extra;

  /// True when a throttle reason was active during a sample.
  [[nodiscard]] bool throttled() const { return clocks.throttled_samples > 0; }

  /// Parameter `key`, or `fallback` when absent.
  [[nodiscard]] double param(const std::string& key, double fallback = 0) const {
    const auto it = params.find(key);
    return it == params.end() ? fallback : it->second;
  }
  /// Tag `key`, or "" when absent.
  [[nodiscard]] std::string tag(const std::string& key) const {
    const auto it = tags.find(key);
    return it == tags.end() ? std::string() : it->second;
  }
};

/// One rail (or the NVML board reading) during a power phase.
struct rail_reading {
  std::string rail;       ///< INA3221 label (VDD_GPU_SOC, ...) or "board" (NVML)
  std::string source;     ///< hwmon files or NVML call
  sample_spread power_w;  ///< statistics of the power samples, W
  double energy_j{-1};    ///< energy over the phase, J (−1: unavailable)
};

/// One power phase (`power.phases[i]`): idle, compute-bound or memory-bound load.
struct power_phase {
  std::string name;  ///< idle, compute, memory
  std::string load;
  double duration_s{0};
  double busy_s{0};
  double flops{0};
  double bytes{0};
  double sample_period_s{0};
  std::vector<rail_reading> rails;
  std::map<std::string, double> telemetry_end;

  /// The rail named `label`, or nullptr.
  [[nodiscard]] const rail_reading* rail(const std::string& label) const {
    for (const auto& r : rails)
      if (r.rail == label) return &r;
    return nullptr;
  }
};

/// A configuration the suite did not run (`skipped[i]`).
struct skipped_config {
  std::string bench, name, reason;
};

/// A correctness check of one of the suite's own kernels (`checks[i]`).
struct kernel_check {
  std::string name;
  double max_abs_err{0};
  double max_abs_ref{0};
  double tolerance{0};
  bool passed{false};
};

/// A whole measurements file.
struct measurements {
  std::string schema{measurements_schema};
  run_info run{};
  device_properties device{};
  host_properties host{};
  bool nvpmodel_present{false};
  std::string nvpmodel_q;      ///< output of `nvpmodel -q` (empty off Jetson)
  std::string jetson_clocks;   ///< output of `jetson_clocks --show` (Jetson, schema 2; empty when not readable)
  bool clocks_pinned{false};   ///< the suite found the GPU clock at its maximum (jetson_clocks or locked clocks)
  std::map<std::string, double> telemetry_start;
  std::map<std::string, double> telemetry_end;
  std::vector<std::string> power_rails;  ///< labels of the INA3221 channels found
  bool nvml_power{false};
  /// Power-sensor sampling settings (schema 2): INA3221 `update_interval` (ms)
  /// and `samples` (averaging), the suite's sampler period, NVML's averaging window.
  std::map<std::string, double> power_sampling;
  std::vector<benchmark_record> benchmarks;
  std::vector<power_phase> power_phases;
  std::vector<skipped_config> skipped;
  std::vector<kernel_check> checks;

  /// The power phase named `name`, or nullptr.
  [[nodiscard]] const power_phase* phase(const std::string& name) const {
    for (const auto& p : power_phases)
      if (p.name == name) return &p;
    return nullptr;
  }
};

}  // namespace edgeperf::fit
