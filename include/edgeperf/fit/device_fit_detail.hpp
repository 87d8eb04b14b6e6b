#pragma once
/// @file
/// Internals of the device fit shared by its parts (fit/device_fit_*.hpp):
/// the GEMM dtypes of the suite, a weighted non-negative line fit with its
/// covariance, residual statistics, op instances built from records, and
/// `device_fitter`, the working state every part reads and writes.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Dense>

#include "edgeperf/accounting/ops.hpp"
#include "edgeperf/cost/device_state.hpp"
#include "edgeperf/cost/op_cost.hpp"
#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/fit/device_fit_types.hpp"
#include "edgeperf/fit/least_squares.hpp"
#include "edgeperf/fit/measurements.hpp"

namespace edgeperf::fit::detail {

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

/// Result of `nonneg_line_fit`: t = a + b·x with 1-σ uncertainties.
struct line_fit {
  double a{0};
  double b{0};
  double sigma_a{0};
  double sigma_b{0};
};

/// Minimises Σ ((a + b·x_i − t_i) / t_i)² over a, b ≥ 0 (active set on the
/// 2×2 problem); σ from the residual variance times (AᵀA)⁻¹ (0 with < 3 points).
[[nodiscard]] inline line_fit nonneg_line_fit(const std::vector<double>& x, const std::vector<double>& t) {
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
  line_fit f{};
  bool ok = false;
  if (n >= 2) {
    const Eigen::Vector2d s = A.colPivHouseholderQr().solve(y);
    f.a = s(0);
    f.b = s(1) / xs;
    ok = f.a >= 0 && f.b >= 0 && std::isfinite(f.a) && std::isfinite(f.b);
    if (ok && n >= 3) {
      const double rss = (A * s - y).squaredNorm();
      const Eigen::Matrix2d cov = (A.transpose() * A).inverse() * (rss / static_cast<double>(n - 2));
      f.sigma_a = std::sqrt(std::max(0.0, cov(0, 0)));
      f.sigma_b = std::sqrt(std::max(0.0, cov(1, 1))) / xs;
    }
  }
  if (!ok) {  // one of the bounds is active: the better of the two 1-parameter fits
    const double b_only = A.col(1).dot(y) / A.col(1).squaredNorm() / xs;
    const double a_only = A.col(0).dot(y) / A.col(0).squaredNorm();
    const double cost_b = (A.col(1) * (b_only * xs) - y).squaredNorm();
    const double cost_a = (A.col(0) * a_only - y).squaredNorm();
    const double dof = n > 1 ? static_cast<double>(n - 1) : 1.0;
    if (b_only > 0 && cost_b <= cost_a) {
      f = {0, b_only, 0, std::sqrt(cost_b / dof / A.col(1).squaredNorm()) / xs};
    } else {
      f = {std::max(0.0, a_only), 0, std::sqrt(cost_a / dof / A.col(0).squaredNorm()), 0};
    }
  }
  return f;
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
[[nodiscard]] inline op_instance gemm_op(const fit::benchmark_record& r, const gemm_dtype_info& dt) {
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
/// minus x and y; W4A16 carries its declared dequant ops.
[[nodiscard]] inline op_instance gemv_op(const fit::benchmark_record& r, bool w4) {
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

[[nodiscard]] inline std::string gemm_where(const fit::benchmark_record& r) {
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

/// Standard error of a median from a sample spread: the robust σ (from the
/// IQR when recorded, else the 10–90 % range) × 1.2533 / √n.
[[nodiscard]] inline double median_standard_error(const fit::sample_spread& s) {
  const double sigma = s.iqr > 0 ? s.iqr / 1.349 : (s.p90 - s.p10) / 2.563;
  const double n = s.count > 0 ? static_cast<double>(s.count) : 1.0;
  return std::max(0.0, 1.2533 * sigma / std::sqrt(n));
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

/// Sum of the powers of `rails` in `phase` and the standard error of that
/// sum; false if one is missing. A rail whose energy came from NVML's energy
/// counter (source names nvmlDeviceGetTotalEnergyConsumption) counts as
/// energy / duration: NVML's power reading is a 1 s moving average on
/// Ampere and newer, the counter is exact over the window. Other rails count
/// with their median sample.
[[nodiscard]] inline bool rail_power(const fit::power_phase& phase, const std::vector<std::string>& rails,
                                     double& watts, double* sigma = nullptr) {
  watts = 0;
  double var = 0;
  if (rails.empty()) return false;
  for (const auto& r : rails) {
    const fit::rail_reading* x = phase.rail(r);
    if (!x) return false;
    const bool counter = x->energy_j > 0 && phase.duration_s > 0 &&
                         x->source.find("TotalEnergyConsumption") != std::string::npos;
    watts += counter ? x->energy_j / phase.duration_s : x->power_w.median;
    const double se = median_standard_error(x->power_w);
    var += se * se;
  }
  if (sigma) *sigma = std::sqrt(var);
  return true;
}

/// The fit's working state: the profile being fitted and the result. Each
/// part (memory, launch, GEMM, kernels, power) is a free function on it.
struct device_fitter {
  const fit::measurements& m;
  const device_fit_options& opt;
  device_fit_result& res;
  device_spec& d;
  int mode{0};
  std::string run;
  int schema{2};

  [[nodiscard]] device_state<double> state() const { return resolve<double>(d, mode); }
  /// Mode clock / the profile's reference clock (launch gaps and L2 scale with it).
  [[nodiscard]] double clk_ratio() const {
    const double c = d.modes[static_cast<std::size_t>(mode)].gpu_clock_hz.value;
    return d.gpu_clock_hz.value > 0 && c > 0 ? c / d.gpu_clock_hz.value : 1.0;
  }
  /// Device-side gap in front of each timed kernel (the blocking-kernel
  /// pattern queues the start event before the kernel), in the measurements' mode.
  /// Schema 1 timed an idle GPU without the blocking kernel: no gap to take off.
  [[nodiscard]] double gap_s() const { return schema >= 2 ? state().launch_s : 0.0; }
  /// The time the model predicts for one record: its kernels' gaps plus `model_s`.
  [[nodiscard]] double with_gaps(const fit::benchmark_record& r, double model_s) const {
    return model_s + (r.units_per_sample > 0 ? r.units_per_sample : 1.0) * gap_s();
  }
  /// The record's time with its kernels' gaps removed (never below 1 % of it).
  [[nodiscard]] double kernel_time(const fit::benchmark_record& r) const {
    const double t = r.time_s.median;
    return std::max(0.01 * t, t - (r.units_per_sample > 0 ? r.units_per_sample : 1.0) * gap_s());
  }
  void set(const std::string& name, sourced& field, double value, double sigma, const std::string& from) {
    res.parameters.push_back({name, field.value, value, sigma, from, true});
    field = calibrated(value, run);
  }
  void figure(const std::string& name, double value, double sigma, const std::string& from) {
    res.parameters.push_back({name, std::numeric_limits<double>::quiet_NaN(), value, sigma, from, false});
  }
  void note(std::string s) {
    if (std::find(res.notes.begin(), res.notes.end(), s) == res.notes.end()) res.notes.push_back(std::move(s));
  }
  void measured(std::string name, double v, std::string unit) {
    res.measured.push_back({std::move(name), v, std::move(unit)});
  }
  /// Records of `bench` (and variant `name`), without those sampled while
  /// throttling (unless `opt.keep_throttled`; their count goes to the notes).
  [[nodiscard]] std::vector<const fit::benchmark_record*> records(const std::string& bench,
                                                                 const std::string& name = "") {
    std::vector<const fit::benchmark_record*> out;
    int throttled = 0;
    for (const auto& r : m.benchmarks)
      if (r.bench == bench && (name.empty() || r.name == name)) {
        if (r.throttled() && !opt.keep_throttled) {
          ++throttled;
          continue;
        }
        out.push_back(&r);
      }
    if (throttled > 0)
      note(bench + (name.empty() ? "" : "/" + name) + ": " + std::to_string(throttled) +
           " record(s) sampled while a throttle reason was active, left out of the fit");
    return out;
  }
};

}  // namespace edgeperf::fit::detail
