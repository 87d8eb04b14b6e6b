#pragma once
/// @file
/// Host-side vocabulary of the calibration suite: one `record` per timed
/// configuration (its parameters, the analytic FLOPs and bytes declared beside
/// its launch, and the spread of its samples), the run options, and one entry
/// point per benchmark. Shared by the CUDA translation units (which fill
/// records) and by main.cpp (which writes them as JSON, docs/calibration.md),
/// so it includes nothing from CUDA or nlohmann_json.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "timing_stats.hpp"

namespace edgeperf::calib {

/// One measured configuration of one benchmark.
struct record {
  std::string bench;  ///< benchmark family: memory, gemm, attention, launch, dequant, power
  std::string name;   ///< variant inside it, e.g. "copy", "cublaslt", "wmma_128x128x32"
  std::vector<std::pair<std::string, double>> params;       ///< numeric shape parameters
  std::vector<std::pair<std::string, std::string>> tags;    ///< dtype, library, l2 state, ...
  double flops{0};  ///< analytic FLOPs (or int ops) per sample, declared beside the launch
  double bytes{0};  ///< analytic DRAM bytes per sample (compulsory traffic), declared beside the launch
  double units_per_sample{1};  ///< launches (or graph nodes) per sample, for per-unit figures
  sample_stats time;           ///< per-sample time, seconds
  std::vector<std::pair<std::string, double>> extra;  ///< other numbers (host-side times, ...)
};

/// A configuration the suite could not run on this device, and why.
struct skipped {
  std::string bench;
  std::string name;
  std::string reason;
};

/// Mean/median/spread of one rail during one power phase.
struct rail_stats {
  std::string rail;      ///< label (VDD_GPU_SOC, ..., or "board" for NVML)
  std::string source;    ///< where it was read (hwmon path or "nvml")
  sample_stats power_w;  ///< statistics of the power samples, watts (fields named _s hold W)
  double energy_j{-1};   ///< integrated energy over the phase, J (-1: unavailable)
};

/// One power phase: idle, compute-bound or memory-bound load.
struct power_phase {
  std::string name;
  std::string load;      ///< what ran ("none", "cublas fp16 gemm m=n=k=8192", ...)
  double duration_s{0};  ///< wall time of the phase
  double busy_s{0};      ///< GPU time of the load measured with CUDA events
  double flops{0};       ///< analytic FLOPs executed during the phase
  double bytes{0};       ///< analytic DRAM bytes moved during the phase
  double sample_period_s{0};  ///< mean interval between power samples
  std::vector<rail_stats> rails;
  std::vector<std::pair<std::string, double>> telemetry_end;  ///< clocks/temps at the end
};

/// Correctness check of one of our own kernels against a double-precision
/// host reference on a small shape (run before timing it: a kernel that
/// computes garbage must not be calibrated on).
struct check_result {
  std::string name;       ///< kernel and shape
  double max_abs_err{0};  ///< max |kernel - reference|
  double max_abs_ref{0};  ///< max |reference|, for scale
  double tolerance{0};    ///< allowed max_abs_err
  bool passed{false};
};

/// Options shared by every benchmark.
struct options {
  bool quick{false};  ///< reduced sweeps (goal: <= 1 minute on an H100)
  int device{0};
  bool verbose{true};
  /// Wall-clock deadline of the whole run (--budget); benchmarks stop
  /// starting configurations once it has passed and say so in `skipped`.
  std::chrono::steady_clock::time_point deadline{std::chrono::steady_clock::time_point::max()};
};

/// Seconds left before `opt.deadline` (a large number without a budget).
[[nodiscard]] inline double time_left_s(const options& opt) {
  if (opt.deadline == std::chrono::steady_clock::time_point::max()) return 1e9;
  return std::chrono::duration<double>(opt.deadline - std::chrono::steady_clock::now()).count();
}
/// True once the run's time budget is spent.
[[nodiscard]] inline bool out_of_time(const options& opt) { return time_left_s(opt) <= 0; }

/// What every benchmark appends to.
struct results {
  std::vector<record> records;
  std::vector<skipped> skips;
  std::vector<power_phase> power;
  std::vector<check_result> checks;
};

/// Device facts the benchmarks size themselves by (filled by the timing layer).
struct device_facts {
  int sm_count{0};
  int cc_major{0};
  int cc_minor{0};
  bool integrated{false};
  std::int64_t l2_bytes{0};
  std::int64_t free_bytes{0};
  std::int64_t total_bytes{0};
};

/// Prints a progress line to stderr when `opt.verbose`.
void progress(const options& opt, const std::string& line);

/// Queries the current device (cudaGetDeviceProperties + cudaMemGetInfo).
[[nodiscard]] device_facts query_device_facts(int device);

/// Notes in `out.skips` that `bench`/`name` stopped on the time budget; true when it has run out.
bool budget_stop(const options& opt, results& out, const std::string& bench, const std::string& name);

// ---- benchmarks (one translation unit each), in the order the suite runs them ---
void run_memory(const options& opt, results& out);        ///< bench_memory.cu
void run_launch(const options& opt, results& out);        ///< bench_launch.cu
void run_power_idle(const options& opt, results& out);    ///< bench_power.cu: idle phase
void run_gemm(const options& opt, results& out);          ///< bench_gemm.cu: fp16 cuBLASLt + own WMMA
void run_dequant(const options& opt, results& out);       ///< bench_dequant.cu
void run_attention(const options& opt, results& out);     ///< bench_attention.cu
void run_gemm_dtypes(const options& opt, results& out);   ///< bench_gemm.cu: bf16, int8, fp8
void run_power_loaded(const options& opt, results& out);  ///< bench_power.cu: compute and memory phases

/// A benchmark's CLI name, its one-line description and its entry point.
struct bench_entry {
  const char* name;
  const char* description;
  void (*run)(const options&, results&);
};

/// All benchmarks in priority order (docs/calibration.md): what a short
/// budget must not lose first (memory, launch, idle power, fp16 GEMM, W4,
/// attention), the other dtypes and the loaded power phases last.
[[nodiscard]] const std::vector<bench_entry>& all_benchmarks();

}  // namespace edgeperf::calib
