#pragma once
/// @file
/// Fits the physically meaningful latency parameters of a device (in one
/// power mode) and a runtime to measured runs (long-format CSV, io/runs_csv.hpp):
/// effective DRAM bandwidth (mem_efficiency), effective tensor rate
/// (tensor_efficiency), serial host time per step and per sequence. Never
/// per-model constants: one parameter set must explain every model in the data.
///
/// Residuals are log(predicted / measured) / σ_data, weighted so that each
/// metric (ttft_s, decode_s, tts_total_s, …) counts equally whatever its row
/// count.
/// Parameters carry log-normal priors centred on their starting (data-sheet or
/// published) values: a single model cannot separate DRAM bandwidth from a
/// constant per-step host cost (both add a constant to every decode step), so
/// the bandwidth keeps a tight prior from the published achievable bandwidth
/// and the data decide the rest. See docs/validation.md.

#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/descriptions/model.hpp"
#include "edgeperf/descriptions/quant.hpp"
#include "edgeperf/descriptions/runtime.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/fit/least_squares.hpp"
#include "edgeperf/fit/runs.hpp"
#include "edgeperf/phases/request.hpp"

namespace edgeperf::fit {

/// The fitted parameters (values as they go into the profiles).
/// `agx_orin_vllm_start()` gives the documented starting point of the
/// AGX Orin + vLLM fit.
struct latency_params {
  double mem_efficiency{0};
  double tensor_efficiency{0};
  double host_per_step_s{0};
  double host_per_seq_s{0};
};

/// The starting point (and prior centres) of the AGX Orin 64GB + vLLM fit in
/// docs/validation.md: DRAM efficiency 0.90 (NVIDIA quotes ~200 GB/s max and a
/// tuned FP16 loop reached ~198 GB/s = 0.97 of 204.8 GB/s, an upper bound for
/// whole models; jetson-devices.md), tensor efficiency 0.6 of the derived dense
/// rate (assumed), 3 ms host per step and 0.1 ms per sequence (assumed).
[[nodiscard]] inline latency_params agx_orin_vllm_start() { return {0.90, 0.6, 3e-3, 100e-6}; }

/// Options: starting values and priors (σ of log θ; 0 = free).
struct latency_fit_options {
  /// Starting values and prior centres; when absent, the profiles' current
  /// values. Pass them explicitly to make a fit reproducible whatever the
  /// catalog holds (the catalog stores the result).
  std::optional<latency_params> start{};
  std::vector<std::string> metrics{"ttft_s", "decode_s", "tts_total_s"};
  /// Rows to leave out, as "metric@input_tokens" (e.g. "ttft_s@2561", the
  /// outlier the data's README names).
  std::vector<std::string> exclude{};
  /// Relative noise of one metric's data (σ of log(measured)): each metric's
  /// rows together weigh as one observation with this noise, whatever their
  /// count. The data's README reports ~10 % run-to-run variation per token;
  /// 5 % is the spread between neighbouring points.
  double data_sigma{0.05};
  double mem_prior_sigma{0.05};
  double tensor_prior_sigma{1.0};
  double host_prior_sigma{2.0};
  bool fit_tensor{true};
  bool fit_host_seq{true};
};

/// Per-metric residual statistics.
struct metric_stats {
  std::string metric;
  int n{0};
  double mape{0};              ///< mean |pred − meas| / meas
  double worst{0};             ///< max |pred − meas| / meas
  std::string worst_where;     ///< file:line of the worst row
};

/// One row's prediction.
struct row_prediction {
  const run_measurement* row{nullptr};
  double predicted{0};
  bool excluded{false};
};

/// Result of a fit.
struct latency_fit_result {
  latency_params initial{};
  latency_params fitted{};
  std::vector<double> rel_sigma;  ///< 1-σ relative uncertainties (order of `fitted`'s fields)
  std::vector<std::string> names;
  lm_result lm{};
  device_spec device{};
  runtime_spec runtime{};
  std::vector<metric_stats> stats;
};

/// Applies parameters to copies of the profiles, marking them fitted.
inline void apply_params(const latency_params& p, device_spec& d, runtime_spec& r,
                         const char* note) {
  d.mem_efficiency = sourced{p.mem_efficiency, source::fitted, note};
  d.tensor_efficiency = sourced{p.tensor_efficiency, source::fitted, note};
  r.host_per_step_s = sourced{p.host_per_step_s, source::fitted, note};
  r.host_per_seq_s = sourced{p.host_per_seq_s, source::fitted, note};
}

/// Predicts the latency metric of one row; NaN if the metric is not a latency.
[[nodiscard]] inline double predict_row(const run_measurement& row, const model_spec& m,
                                        const quant_spec& q, const device_spec& d, int mode,
                                        const runtime_spec& r) {
  const latency_metric k = classify_metric(row.metric);
  if (k == latency_metric::none) return std::nan("");
  workload w{};
  w.batch = row.batch;
  w.samples = row.samples;
  w.input_tokens = row.input_tokens;
  w.output_tokens = row.output_tokens;
  auto e = estimate_request(m, q, d, mode, r, w);
  if (!e) throw std::runtime_error(row.where + ": " + e.error_value().message);
  switch (k) {
    case latency_metric::ttft: return e->ttft_s;
    case latency_metric::decode: return e->decode_s;
    case latency_metric::decode_rate: return 1.0 / e->tpot_s;
    case latency_metric::prefill_rate: return row.input_tokens / e->ttft_s;
    default: return e->total_s;
  }
}

namespace detail {

/// Whether `row`'s metric is one of `metrics`.
[[nodiscard]] inline bool wanted_metric(const std::vector<std::string>& metrics,
                                        const run_measurement& row) {
  for (const auto& m : metrics)
    if (m == row.metric) return true;
  return false;
}

/// Whether `row` is left out by a "metric@input_tokens" or
/// "model:metric@input_tokens" entry of `exclude`.
[[nodiscard]] inline bool excluded_row(const std::vector<std::string>& exclude,
                                       const run_measurement& row) {
  const std::string key = row.metric + "@" + std::to_string(row.input_tokens);
  for (const auto& x : exclude)
    if (x == key || x == row.model + ":" + key) return true;
  return false;
}

/// A measured row prepared for a fit: its resolved specs, mode and weight.
struct fit_row {
  const run_measurement* row;
  model_spec model;
  quant_spec quant;
  int mode;
  double weight;
};

/// Weights each row so that every metric's rows together count as one
/// observation with relative noise `sigma`: w = 1 / (σ · √n_metric).
inline void weight_by_metric(std::vector<fit_row>& data, double sigma) {
  std::map<std::string, int> per_metric;
  for (const auto& p : data) ++per_metric[p.row->metric];
  for (auto& p : data) p.weight = 1.0 / (sigma * std::sqrt(static_cast<double>(per_metric[p.row->metric])));
}

/// Per-metric MAPE and worst case of scored rows.
class stats_accumulator {
 public:
  void add(const run_measurement& row, double predicted) {
    auto& s = acc_[row.metric];
    s.metric = row.metric;
    const double err = std::abs(predicted - row.value) / row.value;
    s.mape += err;
    ++s.n;
    if (err > s.worst) {
      s.worst = err;
      s.worst_where = row.where;
    }
  }
  [[nodiscard]] std::vector<metric_stats> finish() {
    std::vector<metric_stats> out;
    for (auto& [k, s] : acc_) {
      s.mape /= s.n;
      out.push_back(s);
    }
    return out;
  }

 private:
  std::map<std::string, metric_stats> acc_;
};

}  // namespace detail

/// Residual statistics of `rows` under the given profiles (rows of other
/// devices/runtimes/metrics are skipped).
[[nodiscard]] inline std::vector<metric_stats> latency_stats(
    const std::vector<run_measurement>& rows, const case_resolver& resolve_case,
    const device_spec& d, const runtime_spec& r, const latency_fit_options& opt,
    std::vector<row_prediction>* predictions = nullptr) {
  detail::stats_accumulator acc;
  for (const auto& row : rows) {
    if (row.device != d.id.view() || !runtime_matches(row.runtime, r)) continue;
    if (!detail::wanted_metric(opt.metrics, row)) continue;
    const int mode = find_mode_index(d, row.mode);
    if (mode < 0) throw std::runtime_error(row.where + ": unknown mode '" + row.mode + "'");
    const double p = predict_row(row, resolve_case.model(row), resolve_case.quant(row), d, mode, r);
    const bool excluded = detail::excluded_row(opt.exclude, row);
    if (predictions) predictions->push_back(row_prediction{&row, p, excluded});
    if (!excluded) acc.add(row, p);
  }
  return acc.finish();
}

/// Fits `latency_params` of device `d` (the mode named in the rows) and
/// runtime `r` to the latency rows of `rows` that name them.
[[nodiscard]] inline latency_fit_result fit_latency(const std::vector<run_measurement>& rows,
                                                    const case_resolver& resolve_case,
                                                    const device_spec& d, const runtime_spec& r,
                                                    const latency_fit_options& opt = {}) {
  std::vector<detail::fit_row> data;
  for (const auto& row : rows) {
    if (row.device != d.id.view() || !runtime_matches(row.runtime, r)) continue;
    if (!detail::wanted_metric(opt.metrics, row) || detail::excluded_row(opt.exclude, row) ||
        classify_metric(row.metric) == latency_metric::none)
      continue;
    const int mode = find_mode_index(d, row.mode);
    if (mode < 0) throw std::runtime_error(row.where + ": unknown mode '" + row.mode + "'");
    data.push_back(detail::fit_row{&row, resolve_case.model(row), resolve_case.quant(row), mode, 0});
  }
  if (data.empty()) throw std::runtime_error("fit_latency: no latency rows for device '" +
                                             std::string(d.id.view()) + "' and runtime '" +
                                             std::string(r.id.view()) + "'");
  detail::weight_by_metric(data, opt.data_sigma);

  latency_fit_result out{};
  out.initial = opt.start.value_or(latency_params{d.mem_efficiency.value, d.tensor_efficiency.value,
                                                  r.host_per_step_s.value, r.host_per_seq_s.value});
  std::vector<parameter> params{
      {"mem_efficiency", out.initial.mem_efficiency, out.initial.mem_efficiency, opt.mem_prior_sigma},
      {"host_per_step_s", out.initial.host_per_step_s, out.initial.host_per_step_s, opt.host_prior_sigma}};
  if (opt.fit_tensor)
    params.push_back({"tensor_efficiency", out.initial.tensor_efficiency,
                      out.initial.tensor_efficiency, opt.tensor_prior_sigma});
  if (opt.fit_host_seq)
    params.push_back({"host_per_seq_s", out.initial.host_per_seq_s, out.initial.host_per_seq_s,
                      opt.host_prior_sigma});
  const auto to_params = [&](const std::vector<double>& th) {
    latency_params p = out.initial;
    p.mem_efficiency = th[0];
    p.host_per_step_s = th[1];
    std::size_t i = 2;
    if (opt.fit_tensor) p.tensor_efficiency = th[i++];
    if (opt.fit_host_seq) p.host_per_seq_s = th[i++];
    return p;
  };
  const auto residuals = [&](const std::vector<double>& th) {
    device_spec dd = d;
    runtime_spec rr = r;
    apply_params(to_params(th), dd, rr, "fit in progress");
    Eigen::VectorXd res(static_cast<Eigen::Index>(data.size()));
    for (std::size_t i = 0; i < data.size(); ++i) {
      const auto& p = data[i];
      const double pred = predict_row(*p.row, p.model, p.quant, dd, p.mode, rr);
      res(static_cast<Eigen::Index>(i)) = p.weight * std::log(pred / p.row->value);
    }
    return res;
  };
  out.lm = levenberg_marquardt(params, residuals);
  out.fitted = to_params(out.lm.values);
  out.rel_sigma = out.lm.rel_sigma;
  for (const auto& p : params) out.names.push_back(p.name);
  out.device = d;
  out.runtime = r;
  apply_params(out.fitted, out.device, out.runtime, "fitted: edgeperf fit --runs (docs/validation.md)");
  out.stats = latency_stats(rows, resolve_case, out.device, out.runtime, opt);
  return out;
}

}  // namespace edgeperf::fit
