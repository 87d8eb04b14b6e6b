#pragma once
/// @file
/// `fit_device`: turns the calibration suite's measurements
/// (fit/measurements.hpp, docs/calibration.md) into a device profile plus a
/// residual report, using the library's own cost model so that the profile
/// reproduces the measurements it came from (shared/DESIGN.md §8, issue 5).
///
/// What is fitted, in one power mode (the one `nvpmodel -q` names, else the
/// first), always through `resolve()` so that mode scaling stays consistent:
///   - memory, `l2 = flushed`, copy/scale/triad: t = latency + bytes / BW,
///     non-negative weighted least squares on relative residuals (Eigen) →
///     `mem_latency_s`, `mem_efficiency` = BW / theoretical BW of the mode;
///     `l2 = warm` sizes up to L2 → `l2_bytes_per_s` (and the L2 knee, reported);
///   - GEMM, cuBLASLt, per dtype: Levenberg–Marquardt in log space
///     (fit/least_squares.hpp) of the sustained tensor rate per SM per clock
///     such that `gemm_cost` with a cuBLAS-like tile list matches the large-M
///     points (M ≥ `gemm_rate_min_m`). The reference dtype (fp16, else bf16)
///     sets `tensor_efficiency` = sustained / per-clock rate of the base;
///     other dtypes keep the base per-clock rate and report their implied
///     efficiency (or get a calibrated per-clock rate where the base has none).
///     The suite's own WMMA kernel (fixed 128×128 tile) is fitted for its own
///     kernel efficiency and reported over all M: the padding staircase;
///   - dequant GEMV: W4A16 rows slower than the memory curve at the fp16
///     GEMV's efficiency are billed as CUDA-core dequant work →
///     `cuda_efficiency`; memory-bound rows leave it unidentified (kept, with
///     a lower bound in the report);
///   - launch: slope of plain launches → `launch_overhead_s`, slope of graph
///     time over nodes → `graph_node_overhead_s` (both referred back to the
///     profile's reference clock), the sync round trip reported;
///   - power: idle median of the accelerator rail(s) → the mode's
///     `static_power_w`, of the module rail → `module_static_power_w`; loaded
///     powers are reported (energy coefficients are fitted elsewhere).
/// Every fitted field becomes `sourced{value, source::calibrated,
/// "calibrated: run <run id>"}`.
///
/// Residuals: per benchmark, n, R² of log time (times span decades), mean and
/// worst relative error and the worst case.
///
/// `synthesize_measurements` produces measurements from a known profile with
/// the same model plus log-normal noise, so that the fit is testable without a
/// GPU (tests/fit/device_fit_test.cpp recovers the parameters within 3 %).

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <Eigen/Dense>

#include "edgeperf/accounting/ops.hpp"
#include "edgeperf/cost/device_state.hpp"
#include "edgeperf/cost/op_cost.hpp"
#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/runtime.hpp"
#include "edgeperf/fit/least_squares.hpp"
#include "edgeperf/fit/measurements.hpp"

namespace edgeperf::fit {

/// Residuals of one benchmark (or one part of it) against the fitted profile.
struct benchmark_residuals {
  std::string name;  ///< "memory/flushed", "gemm/cublaslt/fp16", "launch/graph", ...
  int n{0};          ///< measurements compared
  double r2{std::numeric_limits<double>::quiet_NaN()};  ///< R² of log time; NaN if < 2 points
  double mape{0};              ///< mean |pred − meas| / meas
  double worst_rel_error{0};   ///< (pred − meas) / meas of the worst point (signed)
  std::string worst_case;      ///< the worst point, e.g. "fp16 m=129 n=4096 k=4096"
  bool fitted{true};           ///< false: a check only (the points did not set a parameter)
};

/// One profile field the fit set.
struct fitted_parameter {
  std::string name;  ///< profile field ("mem_efficiency", "modes[0].static_power_w")
  double base{0};    ///< value in the starting profile
  double value{0};   ///< fitted value (as stored in the profile)
  std::string from;  ///< the measurements it came from
};

/// A measured figure that is not a profile field (sync round trip, WMMA
/// kernel efficiency, loaded powers, W4A16/fp16 GEMV ratio, ...).
struct measured_value {
  std::string name;
  double value{0};
  std::string unit;  ///< "s", "W", "B/s", "FLOP/s", "" (ratio)
};

/// Options of `fit_device`.
struct device_fit_options {
  std::string mode;               ///< power mode of the measurements; empty = from `nvpmodel -q`, else mode 0
  double gemm_rate_min_m{1024};   ///< GEMM rows with M ≥ this fix the tensor rate
  bool fit_dtype_rates{false};    ///< also replace the base's per-clock rates of non-reference dtypes
  double dequant_margin{0.05};    ///< W4A16 rows this much slower than memory count as dequant-bound
};

/// Result of `fit_device`.
struct device_fit_result {
  device_spec profile{};   ///< the base with the fitted fields replaced
  int mode_index{0};       ///< mode of `profile` the measurements belong to
  std::vector<fitted_parameter> parameters;
  std::vector<benchmark_residuals> residuals;
  std::vector<measured_value> measured;
  std::vector<std::string> notes;  ///< what could not be fitted, clamps, mismatches with the base

  /// The measured value `name`, or NaN.
  [[nodiscard]] double measured_or_nan(const std::string& name) const {
    for (const auto& m : measured)
      if (m.name == name) return m.value;
    return std::numeric_limits<double>::quiet_NaN();
  }
  /// The residuals named `name`, or nullptr.
  [[nodiscard]] const benchmark_residuals* residuals_of(const std::string& name) const {
    for (const auto& r : residuals)
      if (r.name == name) return &r;
    return nullptr;
  }
};

/// The CTA tiles cuBLAS-backed GEMMs are modelled with: the family of
/// runtime_catalog.hpp's cuBLAS runtimes (assumed), at the device's own rate.
[[nodiscard]] inline runtime_spec cublas_like_runtime() {
  runtime_spec r{};
  r.id = "cublaslt";
  r.tiles = {{{256, 128, 1, 1.0}, {128, 128, 1, 1.0}, {128, 64, 1, 0.9}, {64, 64, 2, 0.8},
              {32, 64, 2, 0.6}, {16, 128, 2, 0.5}}};
  r.tile_count = 6;
  r.kernel_efficiency = {1.0, source::assumed, "cuBLAS defines the device's tensor rate"};
  r.dequant_efficiency = {1.0, source::assumed, "no dequant in cuBLAS GEMMs"};
  return r;
}

/// A runtime with one fixed tile (the suite's own WMMA kernel: 128×128, one
/// CTA per SM-slot) and kernel efficiency `kernel_eff` relative to cuBLAS.
[[nodiscard]] inline runtime_spec fixed_tile_runtime(int tile_m, int tile_n, double kernel_eff) {
  runtime_spec r{};
  r.id = "fixed-tile";
  r.tiles[0] = gemm_tile{tile_m, tile_n, 1, 1.0};
  r.tile_count = 1;
  r.kernel_efficiency = {kernel_eff, source::assumed, "the suite's own kernel relative to cuBLAS"};
  r.dequant_efficiency = {1.0, source::assumed, "no dequant"};
  return r;
}

/// A runtime with no tiles (GEMV kernels: work spread evenly over the SMs).
[[nodiscard]] inline runtime_spec gemv_runtime() {
  runtime_spec r{};
  r.id = "gemv";
  r.tile_count = 0;
  r.kernel_efficiency = {1.0, source::assumed, "GEMV at the device rate"};
  r.dequant_efficiency = {1.0, source::assumed, "dequant at the device's CUDA-core efficiency"};
  return r;
}

namespace detail {

/// A GEMM dtype of the suite: its `tags.dtype`, the math dtype, element
/// bytes of the inputs and output, and the profile's per-clock rate field.
struct gemm_dtype_info {
  const char* tag;
  dtype math;
  double ab_bytes;
  double cd_bytes;
  sourced device_spec::*rate;
  const char* field;  ///< name of `rate` in the profile JSON
};

inline constexpr gemm_dtype_info gemm_dtypes[] = {
    {"fp16", dtype::fp16, 2, 2, &device_spec::tensor_fp16_flops_per_clk, "tensor_fp16_flops_per_clk"},
    {"bf16", dtype::bf16, 2, 2, &device_spec::tensor_bf16_flops_per_clk, "tensor_bf16_flops_per_clk"},
    {"int8", dtype::int8, 1, 4, &device_spec::tensor_int8_ops_per_clk, "tensor_int8_ops_per_clk"},
    {"fp8_e4m3", dtype::fp8, 1, 2, &device_spec::tensor_fp8_flops_per_clk, "tensor_fp8_flops_per_clk"},
};

[[nodiscard]] inline const gemm_dtype_info* find_gemm_dtype(const std::string& tag) {
  for (const auto& d : gemm_dtypes)
    if (tag == d.tag) return &d;
  return nullptr;
}

[[nodiscard]] inline sourced calibrated(double value, const std::string& run_id, const std::string& what = "") {
  const std::string note = "calibrated: run " + run_id + (what.empty() ? "" : " (" + what + ")");
  return sourced{value, source::calibrated, note_string(std::string_view(note))};
}

/// Minimises Σ ((a + b·x_i − t_i) / t_i)² over a, b ≥ 0 (active set on the
/// 2×2 problem). Returns {a, b}.
[[nodiscard]] inline std::pair<double, double> nonneg_line_fit(const std::vector<double>& x,
                                                               const std::vector<double>& t) {
  const auto n = static_cast<Eigen::Index>(x.size());
  Eigen::MatrixXd A(n, 2);
  Eigen::VectorXd y = Eigen::VectorXd::Ones(n);
  double xs = 0;
  for (Eigen::Index i = 0; i < n; ++i) xs = std::max(xs, std::fabs(x[static_cast<std::size_t>(i)]));
  if (xs <= 0) xs = 1;
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    A(i, 0) = 1.0 / t[k];
    A(i, 1) = (x[k] / xs) / t[k];
  }
  double a = 0, b = 0;
  bool ok = false;
  if (n >= 2) {
    const Eigen::Vector2d s = A.colPivHouseholderQr().solve(y);
    a = s(0);
    b = s(1) / xs;
    ok = a >= 0 && b >= 0 && std::isfinite(a) && std::isfinite(b);
  }
  if (!ok) {  // one of the bounds is active: the better of the two 1-parameter fits
    const double b_only = A.col(1).dot(y) / A.col(1).squaredNorm() / xs;
    const double a_only = A.col(0).dot(y) / A.col(0).squaredNorm();
    const double cost_b = (A.col(1) * (b_only * xs) - y).squaredNorm();
    const double cost_a = (A.col(0) * a_only - y).squaredNorm();
    if (b_only > 0 && cost_b <= cost_a) {
      a = 0;
      b = b_only;
    } else {
      a = std::max(0.0, a_only);
      b = 0;
    }
  }
  return {a, b};
}

/// Residual statistics of predictions against measurements.
[[nodiscard]] inline benchmark_residuals residual_stats(std::string name, const std::vector<double>& pred,
                                                        const std::vector<double>& meas,
                                                        const std::vector<std::string>& where, bool fitted) {
  benchmark_residuals r{};
  r.name = std::move(name);
  r.fitted = fitted;
  r.n = static_cast<int>(meas.size());
  if (meas.empty()) return r;
  double mean_log = 0;
  for (double m : meas) mean_log += std::log(m);
  mean_log /= static_cast<double>(meas.size());
  double ss_res = 0, ss_tot = 0, worst = -1;
  for (std::size_t i = 0; i < meas.size(); ++i) {
    const double lr = std::log(pred[i] / meas[i]);
    ss_res += lr * lr;
    ss_tot += (std::log(meas[i]) - mean_log) * (std::log(meas[i]) - mean_log);
    const double rel = (pred[i] - meas[i]) / meas[i];
    r.mape += std::fabs(rel);
    if (std::fabs(rel) > worst) {
      worst = std::fabs(rel);
      r.worst_rel_error = rel;
      r.worst_case = where[i];
    }
  }
  r.mape /= static_cast<double>(meas.size());
  if (meas.size() >= 2 && ss_tot > 0) r.r2 = 1.0 - ss_res / ss_tot;
  return r;
}

/// "64 KiB", "1.5 MiB", "2 GiB".
[[nodiscard]] inline std::string format_bytes(double b) {
  const char* unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (b >= 1024 && u < 4) b /= 1024, ++u;
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.4g %s", b, unit[u]);
  return buf;
}

/// A GEMM op instance from a record: weights = N×K inputs, activations the rest.
[[nodiscard]] inline op_instance gemm_op(const benchmark_record& r, const gemm_dtype_info& dt) {
  op_instance op{};
  op.name = "gemm";
  op.kind = op_kind::gemm;
  op.m = static_cast<std::int64_t>(r.param("m"));
  op.n = static_cast<std::int64_t>(r.param("n"));
  op.k = static_cast<std::int64_t>(r.param("k"));
  op.math = dt.math;
  op.flops = r.flops > 0 ? r.flops : 2.0 * static_cast<double>(op.m) * static_cast<double>(op.n) * static_cast<double>(op.k);
  const double nk = static_cast<double>(op.n) * static_cast<double>(op.k);
  op.weight_bytes = dt.ab_bytes * nk;
  const double act = dt.ab_bytes * static_cast<double>(op.m) * static_cast<double>(op.k) +
                     dt.cd_bytes * static_cast<double>(op.m) * static_cast<double>(op.n);
  op.act_bytes = r.bytes > op.weight_bytes ? r.bytes - op.weight_bytes : act;
  return op;
}

/// A GEMV op instance (dequant benchmark): weights from the record's bytes
/// minus x and y; W4A16 carries its dequant ops.
[[nodiscard]] inline op_instance gemv_op(const benchmark_record& r, bool w4) {
  op_instance op{};
  op.name = w4 ? "w4a16_gemv" : "f16_gemv";
  op.kind = op_kind::gemm;
  op.m = 1;
  op.n = static_cast<std::int64_t>(r.param("n"));
  op.k = static_cast<std::int64_t>(r.param("k"));
  const double n = static_cast<double>(op.n), k = static_cast<double>(op.k), nk = n * k;
  op.math = dtype::fp16;
  op.flops = r.flops > 0 ? r.flops : 2.0 * nk;
  op.act_bytes = 2.0 * k + 2.0 * n;
  const double group = r.param("group_size", 128) > 0 ? r.param("group_size", 128) : 128;
  const double weights = w4 ? nk / 2.0 + 4.0 * nk / group : 2.0 * nk;
  op.weight_bytes = r.bytes > op.act_bytes ? r.bytes - op.act_bytes : weights;
  if (w4) {
    const auto it = r.extra.find("dequant_ops");
    op.dequant_ops = it != r.extra.end() ? it->second : 2.0 * nk;
  }
  return op;
}

[[nodiscard]] inline std::string gemm_where(const benchmark_record& r) {
  std::string s = (r.tag("dtype").empty() ? r.name : r.tag("dtype")) + " m=" + std::to_string(static_cast<long long>(r.param("m"))) +
                  " n=" + std::to_string(static_cast<long long>(r.param("n"))) +
                  " k=" + std::to_string(static_cast<long long>(r.param("k")));
  if (!r.tag("model").empty()) s += " (" + r.tag("model") + " " + r.tag("layer") + ")";
  return s;
}

[[nodiscard]] inline double median(std::vector<double> v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  const std::size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

/// The mode name in `nvpmodel -q` output ("NV Power Mode: MAXN"), or "".
[[nodiscard]] inline std::string nvpmodel_mode_name(const std::string& q) {
  const std::string key = "NV Power Mode:";
  const auto p = q.find(key);
  if (p == std::string::npos) return "";
  std::size_t b = p + key.size();
  while (b < q.size() && q[b] == ' ') ++b;
  std::size_t e = b;
  while (e < q.size() && q[e] != '\n' && q[e] != '\r' && q[e] != ' ') ++e;
  return q.substr(b, e - b);
}

/// Index of the mode named `name` in `d`, accepting nvpmodel's "MODE_50W" for "50W".
[[nodiscard]] inline int match_mode(const device_spec& d, const std::string& name) {
  if (name.empty()) return -1;
  int i = find_mode_index(d, name);
  if (i >= 0) return i;
  if (name.rfind("MODE_", 0) == 0) i = find_mode_index(d, name.substr(5));
  return i;
}

/// First telemetry value whose key starts with `prefix` and ends with `suffix`, or 0.
[[nodiscard]] inline double telemetry_value(const std::map<std::string, double>& t, const std::string& prefix,
                                            const std::string& suffix) {
  for (const auto& [k, v] : t)
    if (k.size() >= prefix.size() + suffix.size() && k.compare(0, prefix.size(), prefix) == 0 &&
        k.compare(k.size() - suffix.size(), suffix.size(), suffix) == 0 && v > 0)
      return v;
  return 0;
}

/// Splits "A+B" into {"A", "B"}.
[[nodiscard]] inline std::vector<std::string> split_rails(std::string_view s) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (b <= s.size()) {
    const auto e = std::min(s.find('+', b), s.size());
    if (e > b) out.emplace_back(s.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

/// Sum of the median powers of `rails` in `phase`; false if one is missing.
[[nodiscard]] inline bool rail_power(const power_phase& phase, const std::vector<std::string>& rails,
                                     double& watts) {
  watts = 0;
  if (rails.empty()) return false;
  for (const auto& r : rails) {
    const rail_reading* x = phase.rail(r);
    if (!x) return false;
    watts += x->power_w.median;
  }
  return true;
}

}  // namespace detail

/// A minimal device profile from the measured device properties alone (no
/// catalog base): SMs, clocks, bus width, L2 and memory copied (calibrated,
/// the run id in the note), the rest marked assumed starting values. Clocks
/// fall back to the telemetry (NVML max clocks, devfreq) where the CUDA
/// runtime reports 0. Per-clock tensor rates stay 0 until the GEMM fit.
[[nodiscard]] inline device_spec device_spec_from_measurements(const measurements& m) {
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

namespace detail {

/// The fit's working state: the profile being fitted and the result.
struct device_fitter {
  const measurements& m;
  const device_fit_options& opt;
  device_fit_result& res;
  device_spec& d;
  int mode{0};
  std::string run;

  [[nodiscard]] device_state<double> state() const { return resolve<double>(d, mode); }
  /// Mode clock / the profile's reference clock (launch gaps and L2 scale with it).
  [[nodiscard]] double clk_ratio() const {
    const double c = d.modes[static_cast<std::size_t>(mode)].gpu_clock_hz.value;
    return d.gpu_clock_hz.value > 0 && c > 0 ? c / d.gpu_clock_hz.value : 1.0;
  }
  void set(const std::string& name, sourced& field, double value, const std::string& from) {
    res.parameters.push_back({name, field.value, value, from});
    field = calibrated(value, run);
  }
  void note(std::string s) { res.notes.push_back(std::move(s)); }
  void measured(std::string name, double v, std::string unit) {
    res.measured.push_back({std::move(name), v, std::move(unit)});
  }
  [[nodiscard]] std::vector<const benchmark_record*> records(const std::string& bench,
                                                                 const std::string& name = "") const {
    std::vector<const benchmark_record*> out;
    for (const auto& r : m.benchmarks)
      if (r.bench == bench && (name.empty() || r.name == name)) out.push_back(&r);
    return out;
  }

  // --- memory ------------------------------------------------------------------------
  void fit_memory() {
    std::vector<const benchmark_record*> flushed, warm;
    for (const auto* r : records("memory")) {
      if (!(r->bytes > 0) || (r->name != "copy" && r->name != "scale" && r->name != "triad")) continue;
      (r->tag("l2") == "warm" ? warm : flushed).push_back(r);
    }
    const auto where = [](const benchmark_record* r) {
      return r->name + " " + format_bytes(r->param("size_bytes", r->bytes)) + " " +
             (r->tag("l2").empty() ? "flushed" : r->tag("l2"));
    };
    if (flushed.size() < 2) {
      note("memory: fewer than 2 flushed copy/scale/triad records; mem_efficiency and mem_latency_s kept");
    } else {
      std::vector<double> x, t;
      for (const auto* r : flushed) x.push_back(r->bytes), t.push_back(r->time_s.median);
      const auto [lat, inv_bw] = nonneg_line_fit(x, t);
      if (!(inv_bw > 0)) {
        note("memory: no bandwidth term in the flushed curve; mem_efficiency kept");
      } else {
        const double bw = 1.0 / inv_bw;
        power_mode& pm = d.modes[static_cast<std::size_t>(mode)];
        if (!(pm.emc_clock_hz.value > 0 || d.emc_clock_hz.value > 0)) {
          // No memory clock known: store the measured bandwidth as the theoretical one.
          const double emc = bw / (d.mem_bus_bits.value / 8.0 * d.mem_transfers_per_clk.value);
          set("emc_clock_hz", d.emc_clock_hz, emc, "memory flushed (no memory clock reported)");
          pm.emc_clock_hz = d.emc_clock_hz;
        }
        const double emc = pm.emc_clock_hz.value > 0 ? pm.emc_clock_hz.value : d.emc_clock_hz.value;
        const double theo = theoretical_bandwidth(d, emc);
        double eff = bw / theo;
        measured("memory.dram_bytes_per_s", bw, "B/s");
        measured("memory.theoretical_bytes_per_s", theo, "B/s");
        if (eff > 1) {
          note("memory: measured " + std::to_string(bw / 1e9) + " GB/s exceeds the theoretical " +
               std::to_string(theo / 1e9) + " GB/s (bus, transfers or memory clock wrong?); mem_efficiency clamped to 1");
          eff = 1;
        }
        set("mem_efficiency", d.mem_efficiency, eff, "memory copy/scale/triad, L2 flushed: t = latency + bytes/BW");
        set("mem_latency_s", d.mem_latency_s, lat, "memory copy/scale/triad, L2 flushed: intercept");
        if (!(lat > 0)) note("memory: the latency intercept is at its bound 0");
      }
    }
    const auto s0 = state();
    std::vector<const benchmark_record*> warm_in;
    for (const auto* r : warm)
      if (r->bytes <= s0.l2_bytes) warm_in.push_back(r);
    if (warm_in.size() < 2) {
      if (!warm.empty()) note("memory: fewer than 2 warm records within L2; l2_bytes_per_s kept");
    } else {
      std::vector<double> x, t;
      for (const auto* r : warm_in) x.push_back(r->bytes), t.push_back(r->time_s.median);
      const auto [lat, inv_bw] = nonneg_line_fit(x, t);
      if (inv_bw > 0) {
        measured("memory.l2_bytes_per_s", 1.0 / inv_bw, "B/s");
        measured("memory.warm_latency_s", lat, "s");
        set("l2_bytes_per_s", d.l2_bytes_per_s, 1.0 / inv_bw / clk_ratio(),
            "memory copy/scale/triad, L2 warm, traffic <= L2");
      }
      // The knee: the largest warm traffic still clearly faster than flushed.
      double knee = 0;
      for (const auto* w : warm)
        for (const auto* f : flushed)
          if (f->name == w->name && f->bytes == w->bytes && w->time_s.median < 0.75 * f->time_s.median)
            knee = std::max(knee, w->bytes);
      if (knee > 0) measured("memory.l2_knee_bytes", knee, "B");
    }
    // Residuals through the library's memory_time with the fitted profile.
    const auto s = state();
    std::vector<double> p, t;
    std::vector<std::string> w;
    for (const auto* r : flushed) {
      p.push_back(edgeperf::detail::memory_time(s, r->bytes, 0.0));
      t.push_back(r->time_s.median);
      w.push_back(where(r));
    }
    if (!t.empty()) res.residuals.push_back(residual_stats("memory/flushed", p, t, w, true));
    p.clear(), t.clear(), w.clear();
    for (const auto* r : warm_in) {
      p.push_back(edgeperf::detail::memory_time(s, 0.0, r->bytes));
      t.push_back(r->time_s.median);
      w.push_back(where(r));
    }
    if (!t.empty()) res.residuals.push_back(residual_stats("memory/warm (<= L2)", p, t, w, true));
  }

  // --- GEMM --------------------------------------------------------------------------
  /// Fits the sustained per-SM-per-clock rate of one dtype (efficiency folded in).
  [[nodiscard]] double fit_rate(const gemm_dtype_info& dt, const std::vector<const benchmark_record*>& rows,
                                const runtime_spec& rt, double start) const {
    const auto make = [&](double y) {
      device_spec x = d;
      x.tensor_efficiency.value = 1.0;
      (x.*dt.rate).value = y;
      return resolve<double>(x, mode);
    };
    const auto residuals = [&](const std::vector<double>& th) {
      const auto s = make(start * th[0]);
      Eigen::VectorXd r(static_cast<Eigen::Index>(rows.size()));
      for (std::size_t i = 0; i < rows.size(); ++i)
        r(static_cast<Eigen::Index>(i)) =
            std::log(gemm_cost(gemm_op(*rows[i], dt), s, rt).time_s / rows[i]->time_s.median);
      return r;
    };
    const auto lm = levenberg_marquardt({{"rate", 1.0, 1.0, 0.0}}, residuals);
    return start * lm.values[0];
  }

  void fit_gemm() {
    const runtime_spec cublas = cublas_like_runtime();
    const auto s0 = state();
    const double sm_clk = s0.sms * s0.gpu_clock_hz;
    std::map<std::string, double> sustained;  // dtype tag → per-SM-per-clock sustained rate
    const gemm_dtype_info* ref = nullptr;
    for (const auto& dt : gemm_dtypes) {
      std::vector<const benchmark_record*> rows, large;
      for (const auto* r : records("gemm", "cublaslt"))
        if (r->tag("dtype") == dt.tag && r->param("m") > 0 && r->param("n") > 0 && r->param("k") > 0) {
          rows.push_back(r);
          if (r->param("m") >= opt.gemm_rate_min_m) large.push_back(r);
        }
      if (rows.empty()) continue;
      if (large.empty()) {
        note(std::string("gemm ") + dt.tag + ": no rows with M >= " + std::to_string(static_cast<int>(opt.gemm_rate_min_m)) +
             "; rate not fitted");
        continue;
      }
      std::vector<double> guess;
      for (const auto* r : large) guess.push_back(r->flops / r->time_s.median / sm_clk);
      const double y = fit_rate(dt, large, cublas, median(guess));
      sustained[dt.tag] = y;
      measured(std::string("gemm.") + dt.tag + ".sustained_flops_per_s", y * sm_clk, "FLOP/s");
      if (!ref && (dt.math == dtype::fp16 || dt.math == dtype::bf16)) ref = &dt;
    }
    if (sustained.empty()) {
      note("gemm: no cuBLASLt rows; tensor rates and tensor_efficiency kept");
    } else {
      if (!ref) ref = find_gemm_dtype(sustained.begin()->first);
      const double y_ref = sustained.at(ref->tag);
      sourced& ref_rate = d.*(ref->rate);
      double eff = d.tensor_efficiency.value > 0 ? d.tensor_efficiency.value : 1.0;
      if (ref_rate.value > 0) {
        eff = y_ref / ref_rate.value;
        if (eff > 1) {
          note(std::string("gemm ") + ref->tag + ": sustained rate exceeds the base per-clock rate x clock; "
               "tensor_efficiency set to 1 and the per-clock rate calibrated");
          set(ref->field, ref_rate, y_ref, "gemm cublaslt large M");
          eff = 1;
        }
        set("tensor_efficiency", d.tensor_efficiency, eff, std::string("gemm cublaslt ") + ref->tag + ", M >= " +
                                                               std::to_string(static_cast<int>(opt.gemm_rate_min_m)));
      } else {
        set(ref->field, ref_rate, y_ref / eff, "gemm cublaslt large M");
      }
      for (const auto& [tag, y] : sustained) {
        const gemm_dtype_info& dt = *find_gemm_dtype(tag);
        sourced& rate = d.*(dt.rate);
        if (&dt == ref) continue;
        if (rate.value > 0) measured(std::string("gemm.") + tag + ".implied_efficiency", y / rate.value, "");
        if (!(rate.value > 0) || opt.fit_dtype_rates)
          set(dt.field, rate, y / d.tensor_efficiency.value, "gemm cublaslt large M");
      }
      // Residuals per dtype over all M, with the profile as fitted.
      const auto s = state();
      for (const auto& [tag, y] : sustained) {
        const gemm_dtype_info& dt = *find_gemm_dtype(tag);
        std::vector<double> p, t, pl, tl;
        std::vector<std::string> w, wl;
        for (const auto* r : records("gemm", "cublaslt")) {
          if (r->tag("dtype") != tag || !(r->param("m") > 0)) continue;
          p.push_back(gemm_cost(gemm_op(*r, dt), s, cublas).time_s);
          t.push_back(r->time_s.median);
          w.push_back(gemm_where(*r));
          if (r->param("m") >= opt.gemm_rate_min_m) pl.push_back(p.back()), tl.push_back(t.back()), wl.push_back(w.back());
        }
        res.residuals.push_back(residual_stats("gemm/cublaslt/" + tag + " (M >= " +
                                                   std::to_string(static_cast<int>(opt.gemm_rate_min_m)) + ")",
                                               pl, tl, wl, true));
        res.residuals.push_back(residual_stats("gemm/cublaslt/" + tag + " (all M)", p, t, w, false));
      }
    }
    fit_wmma();
  }

  void fit_wmma() {
    std::vector<const benchmark_record*> rows, large;
    for (const auto* r : records("gemm"))
      if (r->name.rfind("wmma", 0) == 0 && r->param("m") > 0 && r->param("n") > 0 && r->param("k") > 0) {
        rows.push_back(r);
        if (r->param("m") >= opt.gemm_rate_min_m) large.push_back(r);
      }
    if (rows.empty()) return;
    if (large.empty()) {
      note("gemm wmma: no rows with large M; kernel efficiency not fitted");
      return;
    }
    const int tm = static_cast<int>(rows.front()->param("tile_m", 128));
    const int tn = static_cast<int>(rows.front()->param("tile_n", 128));
    const gemm_dtype_info& dt = *find_gemm_dtype("fp16");
    const auto s = state();
    const auto residuals = [&](const std::vector<double>& th) {
      const runtime_spec rt = fixed_tile_runtime(tm, tn, th[0]);
      Eigen::VectorXd r(static_cast<Eigen::Index>(large.size()));
      for (std::size_t i = 0; i < large.size(); ++i)
        r(static_cast<Eigen::Index>(i)) =
            std::log(gemm_cost(gemm_op(*large[i], dt), s, rt).time_s / large[i]->time_s.median);
      return r;
    };
    const double e = levenberg_marquardt({{"kernel_efficiency", 0.5, 0.5, 0.0}}, residuals).values[0];
    measured("gemm.wmma.kernel_efficiency", e, "");
    const runtime_spec rt = fixed_tile_runtime(tm, tn, e);
    std::vector<double> p, t;
    std::vector<std::string> w;
    for (const auto* r : rows) {
      p.push_back(gemm_cost(gemm_op(*r, dt), s, rt).time_s);
      t.push_back(r->time_s.median);
      w.push_back(gemm_where(*r));
    }
    res.residuals.push_back(residual_stats("gemm/" + rows.front()->name + " staircase (all M)", p, t, w, false));
  }

  // --- dequant GEMV ------------------------------------------------------------------
  void fit_dequant() {
    const auto f16 = records("dequant", "f16_gemv");
    const auto w4 = records("dequant", "w4a16_gemv");
    if (f16.empty() && w4.empty()) return;
    const runtime_spec rt = gemv_runtime();
    auto s = state();
    // The fp16 GEMV's achieved fraction of the memory curve (its kernel quality).
    std::vector<double> frac;
    for (const auto* r : f16)
      frac.push_back(gemm_cost(gemv_op(*r, false), s, rt).memory_s / r->time_s.median);
    const double f16_frac = frac.empty() ? 1.0 : std::min(1.0, median(frac));
    if (!frac.empty()) measured("dequant.f16_gemv_memory_fraction", median(frac), "");
    std::vector<double> ratio;
    for (const auto* a : w4)
      for (const auto* b : f16)
        if (a->param("n") == b->param("n") && a->param("k") == b->param("k"))
          ratio.push_back(a->time_s.median / b->time_s.median);
    if (!ratio.empty()) measured("dequant.w4a16_over_f16_time", median(ratio), "");
    std::vector<const benchmark_record*> bound;
    double lower = 0;
    const double cuda_rate = d.cuda_fp16_flops_per_clk.value * s.gpu_clock_hz * s.sms;  // at efficiency 1
    for (const auto* r : w4) {
      const op_instance op = gemv_op(*r, true);
      const auto c = gemm_cost(op, s, rt);
      const double t = r->time_s.median;
      const double math_s = op.flops / (math_rate_sm(s, op.math) * s.sms);
      if (t > (1 + opt.dequant_margin) * c.memory_s / f16_frac) bound.push_back(r);
      else if (t > math_s && cuda_rate > 0) lower = std::max(lower, op.dequant_ops / (cuda_rate * (t - math_s)));
    }
    if (bound.empty()) {
      if (!w4.empty()) {
        note("dequant: W4A16 GEMV is memory-bound at the fp16 GEMV's efficiency; cuda_efficiency not "
             "identifiable, kept (lower bound in the report)");
        measured("dequant.cuda_efficiency_lower_bound", lower, "");
      }
    } else if (cuda_rate > 0) {
      const auto residuals = [&](const std::vector<double>& th) {
        device_spec x = d;
        x.cuda_efficiency.value = th[0];
        const auto sx = resolve<double>(x, mode);
        Eigen::VectorXd r(static_cast<Eigen::Index>(bound.size()));
        for (std::size_t i = 0; i < bound.size(); ++i)
          r(static_cast<Eigen::Index>(i)) =
              std::log(gemm_cost(gemv_op(*bound[i], true), sx, rt).compute_s / bound[i]->time_s.median);
        return r;
      };
      const double start = d.cuda_efficiency.value > 0 ? d.cuda_efficiency.value : 0.5;
      double ce = levenberg_marquardt({{"cuda_efficiency", start, start, 0.0}}, residuals).values[0];
      if (ce > 1) {
        note("dequant: fitted cuda_efficiency > 1 (CUDA-core rate of the base too low?); clamped to 1");
        ce = 1;
      }
      set("cuda_efficiency", d.cuda_efficiency, ce, "dequant W4A16 GEMV rows slower than memory");
      s = state();
    }
    for (const bool is_w4 : {false, true}) {
      std::vector<double> p, t;
      std::vector<std::string> w;
      for (const auto* r : is_w4 ? w4 : f16) {
        p.push_back(gemm_cost(gemv_op(*r, is_w4), s, rt).time_s);
        t.push_back(r->time_s.median);
        w.push_back(gemm_where(*r));
      }
      if (!t.empty())
        res.residuals.push_back(residual_stats(is_w4 ? "dequant/w4a16_gemv" : "dequant/f16_gemv", p, t, w, is_w4 && !bound.empty()));
    }
  }

  // --- launch ------------------------------------------------------------------------
  void fit_line_bench(const char* name, const char* count_key, sourced& field, const char* field_name,
                      const char* intercept_name) {
    const auto rows = records("launch", name);
    if (rows.empty()) return;
    std::vector<double> x, t;
    for (const auto* r : rows) x.push_back(r->param(count_key, r->units_per_sample)), t.push_back(r->time_s.median);
    double a = 0, b = 0;
    const bool distinct = *std::min_element(x.begin(), x.end()) < *std::max_element(x.begin(), x.end());
    if (distinct) {
      std::tie(a, b) = nonneg_line_fit(x, t);
    } else {
      b = t.front() / x.front();
    }
    if (!(b > 0)) {
      note(std::string("launch ") + name + ": no per-unit term; " + field_name + " kept");
      return;
    }
    measured(std::string("launch.") + name + ".per_unit_s", b, "s");
    if (intercept_name) measured(intercept_name, a, "s");
    set(field_name, field, b * clk_ratio(), std::string("launch ") + name + ": slope of time over " + count_key);
    std::vector<double> p;
    std::vector<std::string> w;
    for (std::size_t i = 0; i < x.size(); ++i)
      p.push_back(a + b * x[i]), w.push_back(std::string(name) + " " + count_key + "=" + std::to_string(static_cast<long long>(x[i])));
    res.residuals.push_back(residual_stats(std::string("launch/") + name, p, t, w, true));
  }

  void fit_launch() {
    fit_line_bench("plain", "launches", d.launch_overhead_s, "launch_overhead_s", "launch.plain.intercept_s");
    fit_line_bench("graph", "nodes", d.graph_node_overhead_s, "graph_node_overhead_s", "launch.graph.launch_s");
    std::vector<double> sync, issue, graph_host;
    for (const auto* r : records("launch", "sync")) sync.push_back(r->time_s.median / r->units_per_sample);
    for (const auto* r : records("launch", "plain")) {
      const auto it = r->extra.find("host_issue_s_per_launch_median");
      if (it != r->extra.end()) issue.push_back(it->second);
    }
    for (const auto* r : records("launch", "graph")) {
      const auto it = r->extra.find("host_graph_launch_s_median");
      if (it != r->extra.end()) graph_host.push_back(it->second);
    }
    if (!sync.empty()) measured("launch.sync_round_trip_s", median(sync), "s");
    if (!issue.empty()) measured("launch.host_issue_s_per_launch", median(issue), "s");
    if (!graph_host.empty()) measured("launch.host_graph_launch_s", median(graph_host), "s");
  }

  // --- power -------------------------------------------------------------------------
  void fit_power() {
    const auto accel = split_rails(d.accel_rail.view());
    const auto module = split_rails(d.module_rail.view());
    power_mode& pm = d.modes[static_cast<std::size_t>(mode)];
    const std::string mode_field = "modes[" + std::to_string(mode) + "].";
    for (const char* phase : {"idle", "compute", "memory"}) {
      const power_phase* ph = m.phase(phase);
      if (!ph) continue;
      double w = 0;
      if (rail_power(*ph, accel, w)) {
        measured(std::string("power.") + phase + ".accel_w", w, "W");
        if (std::string(phase) == "idle")
          set(mode_field + "static_power_w", pm.static_power_w, w, "power idle, " + std::string(d.accel_rail.view()));
      } else if (std::string(phase) == "idle") {
        std::string have;
        for (const auto& r : ph->rails) have += (have.empty() ? "" : ", ") + r.rail;
        note("power: accelerator rail '" + std::string(d.accel_rail.view()) + "' not in the idle phase (have: " +
             have + "); static_power_w kept");
      }
      if (rail_power(*ph, module, w)) {
        measured(std::string("power.") + phase + ".module_w", w, "W");
        if (std::string(phase) == "idle")
          set(mode_field + "module_static_power_w", pm.module_static_power_w, w,
              "power idle, " + std::string(d.module_rail.view()));
      }
    }
  }

  // --- consistency with the base -------------------------------------------------------
  void check_base() {
    const auto& p = m.device;
    const power_mode& pm = d.modes[static_cast<std::size_t>(mode)];
    const double sms = pm.active_sms.value > 0 ? pm.active_sms.value : d.sm_count.value;
    if (p.sm_count > 0 && std::fabs(p.sm_count - sms) > 0.5)
      note("device reports " + std::to_string(p.sm_count) + " SMs, the profile's mode has " +
           std::to_string(static_cast<int>(sms)));
    if (p.l2_bytes > 0 && std::fabs(p.l2_bytes - d.l2_bytes.value) > 0.02 * d.l2_bytes.value)
      note("device reports L2 " + format_bytes(p.l2_bytes) + ", the profile has " + format_bytes(d.l2_bytes.value));
    if (p.memory_bus_bits > 0 && p.memory_bus_bits != d.mem_bus_bits.value)
      note("device reports a " + std::to_string(static_cast<int>(p.memory_bus_bits)) + "-bit bus, the profile " +
           std::to_string(static_cast<int>(d.mem_bus_bits.value)));
    if (p.clock_hz > 0 && std::fabs(p.clock_hz - pm.gpu_clock_hz.value) > 0.05 * pm.gpu_clock_hz.value)
      note("device reports a peak SM clock of " + std::to_string(p.clock_hz / 1e6) + " MHz, the profile's mode " +
           std::to_string(pm.gpu_clock_hz.value / 1e6) + " MHz: rates are referred to the profile's clock");
  }
};

}  // namespace detail

/// Fits the profile `base` (a catalog entry or a loaded profile) to the
/// measurements `m`; see the file comment for what is fitted and how.
[[nodiscard]] inline device_fit_result fit_device(const measurements& m, const device_spec& base,
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
  detail::device_fitter f{m, opt, res, res.profile, 0, m.run.id};
  const std::string wanted = !opt.mode.empty() ? opt.mode : detail::nvpmodel_mode_name(m.nvpmodel_q);
  if (!wanted.empty()) {
    const int i = detail::match_mode(res.profile, wanted);
    if (i >= 0) f.mode = i;
    else f.note("power mode '" + wanted + "' not in the profile; fitted in mode '" +
                std::string(res.profile.modes[0].name.view()) + "'");
  }
  res.mode_index = f.mode;
  f.check_base();
  f.fit_memory();
  f.fit_gemm();
  f.fit_dequant();
  f.fit_launch();
  f.fit_power();
  return res;
}

/// Fits a profile built from the measured device properties alone
/// (`device_spec_from_measurements`): no catalog base.
[[nodiscard]] inline device_fit_result fit_device(const measurements& m, const device_fit_options& opt = {}) {
  return fit_device(m, device_spec_from_measurements(m), opt);
}

// ---------------------------------------------------------------------------------------
// Synthetic measurements
// ---------------------------------------------------------------------------------------

/// Options of `synthesize_measurements`: the figures the profile does not hold.
struct synth_options {
  int mode_index{0};                     ///< power mode of `truth` the run is in
  bool quick{false};                     ///< the suite's --quick sweeps
  double wmma_kernel_efficiency{0.6};    ///< the WMMA kernel relative to cuBLAS
  double graph_launch_s{4e-6};           ///< device-side cost of one graph launch
  double sync_round_trip_s{25e-6};       ///< launch + cudaDeviceSynchronize round trip
  double power_duration_s{4.0};          ///< length of each power phase
};

/// Measurements the suite would produce on a device that behaves exactly like
/// `truth` under the library's model (memory_time, gemm_cost, launch gaps,
/// static power + energy per FLOP/byte), each time multiplied by
/// exp(noise_sigma · N(0, 1)) drawn from a generator seeded with `seed`. Same
/// benchmarks, sizes, shapes and M values as calibration/src (full or quick).
[[nodiscard]] inline measurements synthesize_measurements(const device_spec& truth, std::uint64_t seed,
                                                              double noise_sigma, const synth_options& o = {}) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  const auto noisy = [&](double t) { return t * std::exp(noise_sigma * normal(rng)); };
  const auto s = resolve<double>(truth, o.mode_index);
  const power_mode& pm = truth.modes[static_cast<std::size_t>(o.mode_index)];
  measurements m{};
  m.run.id = "synthetic-" + std::string(truth.id.view()) + "-" + std::to_string(seed);
  m.run.hostname = "synthetic";
  m.run.suite_version = "synthetic";
  m.run.quick = o.quick;
  m.run.command_line = "synthesize_measurements";
  device_properties& p = m.device;
  p.name = std::string(truth.id.view());
  p.integrated = truth.kind == device_kind::jetson;
  p.cc_major = p.integrated ? 8 : 9;
  p.cc_minor = p.integrated ? 7 : 0;
  p.sm_count = static_cast<int>(s.sms + 0.5);
  p.total_memory_bytes = truth.memory_bytes.value;
  p.free_memory_bytes = truth.memory_bytes.value - truth.reserved_bytes.value;
  p.l2_bytes = truth.l2_bytes.value;
  p.memory_bus_bits = truth.mem_bus_bits.value;
  p.clock_hz = s.gpu_clock_hz;
  const double emc = pm.emc_clock_hz.value > 0 ? pm.emc_clock_hz.value : truth.emc_clock_hz.value;
  p.memory_clock_hz = theoretical_bandwidth(truth, emc) / (2.0 * truth.mem_bus_bits.value / 8.0);
  if (p.integrated) {
    m.nvpmodel_present = true;
    m.nvpmodel_q = "NV Power Mode: " + std::string(pm.name.view()) + "\n" + std::to_string(o.mode_index) + "\n";
  }
  m.telemetry_start["cpu.online_cores"] = pm.cpu_cores.value > 0 ? pm.cpu_cores.value : truth.cpu_cores.value;
  m.telemetry_start["cpu0.max_freq_hz"] = pm.cpu_clock_hz.value > 0 ? pm.cpu_clock_hz.value : truth.cpu_clock_hz.value;
  const auto record = [&](const char* bench, std::string name, double t, double units) {
    benchmark_record r{};
    r.bench = bench;
    r.name = std::move(name);
    r.units_per_sample = units;
    const double med = noisy(t);
    r.time_s = {med, med * 0.99, med * 1.03, med * 0.995, med * 1.01, med * 1.002, 20, true};
    return r;
  };

  // Memory: 64 KiB up by √2 (quick: 2) to 1 GiB; warm where traffic ≤ 2 × L2.
  const double step = o.quick ? 2.0 : std::sqrt(2.0);
  for (double size = 65536.0; size <= 1073741824.0 * 1.0001; size *= step) {
    const double sz = std::floor((size + 4095.0) / 4096.0) * 4096.0;
    for (int op = 0; op < 3; ++op) {
      const double bytes = sz * (op == 2 ? 3.0 : 2.0);
      for (int warm = 0; warm < (bytes <= 2.0 * truth.l2_bytes.value ? 2 : 1); ++warm) {
        const double t = warm ? edgeperf::detail::memory_time(s, 0.0, bytes) : edgeperf::detail::memory_time(s, bytes, 0.0);
        auto r = record("memory", op == 0 ? "copy" : op == 1 ? "scale" : "triad", t, 1);
        r.params = {{"size_bytes", sz}};
        r.tags = {{"l2", warm ? "warm" : "flushed"}, {"dtype", "f32x4"}};
        r.bytes = bytes;
        r.flops = op == 0 ? 0.0 : sz / 4 * (op == 1 ? 1.0 : 2.0);
        m.benchmarks.push_back(std::move(r));
      }
    }
  }

  // GEMM: the suite's (N, K) shapes and M values, per dtype the truth supports.
  struct shape { const char* model; const char* layer; int n, k; };
  std::vector<shape> shapes = {{"llama-8b", "o_proj", 4096, 4096},       {"llama-8b", "qkv_proj", 6144, 4096},
                               {"llama-8b", "gate_up_proj", 28672, 4096}, {"llama-8b", "down_proj", 4096, 14336},
                               {"qwen-1.5b", "qkv_proj", 2048, 1536},     {"qwen-1.5b", "gate_up_proj", 17920, 1536},
                               {"qwen-1.5b", "down_proj", 1536, 8960}};
  if (o.quick) shapes = {shapes[0], shapes[2], shapes[6]};
  std::vector<int> ms;
  if (o.quick) {
    ms = {1, 16, 64, 128, 144, 256, 512, 1024, 2048, 4096, 8192};
  } else {
    ms.push_back(1);
    for (int v = 16; v <= 512; v += 16) ms.push_back(v);
    for (int v = 576; v <= 1024; v += 64) ms.push_back(v);
    for (int v = 1152; v <= 2048; v += 128) ms.push_back(v);
    for (int v = 2304; v <= 4096; v += 256) ms.push_back(v);
    for (int v = 4608; v <= 8192; v += 512) ms.push_back(v);
  }
  const runtime_spec cublas = cublas_like_runtime();
  const runtime_spec wmma = fixed_tile_runtime(128, 128, o.wmma_kernel_efficiency);
  const auto gemm_record = [&](const char* name, const detail::gemm_dtype_info& dt, const shape& sh, int mv,
                               const runtime_spec& rt) {
    benchmark_record r = record("gemm", name, 0, 1);
    r.params = {{"m", mv}, {"n", sh.n}, {"k", sh.k}};
    r.tags = {{"dtype", dt.tag}, {"library", rt.tile_count == 1 ? "own" : "cublasLt"}, {"model", sh.model}, {"layer", sh.layer}};
    r.flops = 2.0 * mv * static_cast<double>(sh.n) * sh.k;
    r.bytes = dt.ab_bytes * (static_cast<double>(sh.n) * sh.k + static_cast<double>(mv) * sh.k) +
              dt.cd_bytes * static_cast<double>(mv) * sh.n;
    const double t = noisy(gemm_cost(detail::gemm_op(r, dt), s, rt).time_s);
    r.time_s = {t, t * 0.99, t * 1.03, t * 0.995, t * 1.01, t * 1.002, 20, true};
    return r;
  };
  for (const auto& dt : detail::gemm_dtypes) {
    if (!((truth.*dt.rate).value > 0)) continue;
    for (const auto& sh : shapes)
      for (const int mv : ms) m.benchmarks.push_back(gemm_record("cublaslt", dt, sh, mv, cublas));
  }
  for (const auto& sh : shapes)
    for (const int mv : ms) {
      auto r = gemm_record("wmma_128x128x32", detail::gemm_dtypes[0], sh, mv, wmma);
      r.params["tile_m"] = 128;
      r.params["tile_n"] = 128;
      r.params["tile_k"] = 32;
      m.benchmarks.push_back(std::move(r));
    }

  // Launch: back to back, with sync, CUDA graphs.
  for (const int n : {100, 1000}) {
    auto r = record("launch", "plain", n * s.launch_s, n);
    r.params = {{"launches", n}};
    r.tags = {{"kernel", "empty"}};
    m.benchmarks.push_back(std::move(r));
  }
  {
    auto r = record("launch", "sync", 200 * o.sync_round_trip_s, 200);
    r.params = {{"launches", 200}};
    m.benchmarks.push_back(std::move(r));
  }
  for (const int n : o.quick ? std::vector<int>{1, 100, 1000} : std::vector<int>{1, 10, 100, 300, 1000}) {
    auto r = record("launch", "graph", o.graph_launch_s + n * s.graph_node_s, n);
    r.params = {{"nodes", n}};
    m.benchmarks.push_back(std::move(r));
  }

  // Dequant GEMV: W4A16 (group 128) and fp16, batch 1, the GEMM shapes.
  const runtime_spec gemv = gemv_runtime();
  for (const auto& sh : shapes)
    for (const bool w4 : {true, false}) {
      benchmark_record r = record("dequant", w4 ? "w4a16_gemv" : "f16_gemv", 0, 1);
      const double nk = static_cast<double>(sh.n) * sh.k;
      r.params = {{"m", 1}, {"n", sh.n}, {"k", sh.k}, {"group_size", w4 ? 128 : 0}};
      r.tags = {{"model", sh.model}, {"layer", sh.layer}};
      r.flops = 2.0 * nk;
      r.bytes = w4 ? nk / 2.0 + 4.0 * nk / 128.0 + 2.0 * sh.k + 2.0 * sh.n : 2.0 * nk + 2.0 * sh.k + 2.0 * sh.n;
      if (w4) r.extra = {{"dequant_ops", 2.0 * nk}};
      const double t = noisy(gemm_cost(detail::gemv_op(r, w4), s, gemv).time_s);
      r.time_s = {t, t * 0.99, t * 1.03, t * 0.995, t * 1.01, t * 1.002, 20, true};
      m.benchmarks.push_back(std::move(r));
    }

  // Power: static power + dynamic energy of the load (pJ per FLOP / byte).
  const auto accel = detail::split_rails(truth.accel_rail.view());
  const auto module = detail::split_rails(truth.module_rail.view());
  for (const char* name : {"idle", "compute", "memory"}) {
    power_phase ph{};
    ph.name = name;
    ph.duration_s = o.power_duration_s;
    double dyn = 0;
    if (std::string(name) == "compute") {
      const double rate = s.tensor_fp16_sm * s.sms;
      ph.flops = rate * ph.duration_s;
      dyn = truth.pj_per_flop_tensor.value * 1e-12 * rate;
    } else if (std::string(name) == "memory") {
      ph.bytes = s.dram_bytes_per_s * ph.duration_s;
      dyn = truth.pj_per_byte_dram.value * 1e-12 * s.dram_bytes_per_s;
    }
    ph.busy_s = std::string(name) == "idle" ? 0 : ph.duration_s;
    ph.sample_period_s = p.integrated ? 0.01 : 0.02;
    const auto add = [&](const std::string& rail, double w) {
      for (auto& r : ph.rails)
        if (r.rail == rail) return;
      const double med = noisy(w);
      ph.rails.push_back({rail, p.integrated ? "hwmon" : "nvml", {med, med * 0.97, med * 1.05, med * 0.98, med * 1.02, med, 400, false},
                          med * ph.duration_s});
    };
    const double a = pm.static_power_w.value + dyn;
    for (const auto& r : accel) add(r, a / static_cast<double>(accel.size()));
    for (const auto& r : module) add(r, pm.module_static_power_w.value + dyn);
    m.power_phases.push_back(std::move(ph));
  }
  for (const auto& r : accel) m.power_rails.push_back(r);
  for (const auto& r : module)
    if (std::find(m.power_rails.begin(), m.power_rails.end(), r) == m.power_rails.end()) m.power_rails.push_back(r);
  m.nvml_power = !p.integrated;
  return m;
}

}  // namespace edgeperf::fit
