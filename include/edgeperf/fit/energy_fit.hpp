#pragma once
/// @file
/// Fits the energy coefficients of a device in one power mode to measured
/// power and energy on its accelerator rail (long-format runs, io/runs_csv.hpp):
/// the mode's idle power, dynamic energy per tensor-core FLOP and per DRAM
/// byte, the rail's power while the runtime's serial host work runs, and the
/// sensor's ramp time (phases/sensor.hpp). The latency profile must already be
/// fitted: energy = power × the modelled times. Never per-model constants.
///
/// Predictions are compared through the sensor model (what a 1 Hz tegrastats
/// log integrates), the residuals are log(predicted / measured) / σ_data, and
/// each metric weighs as one observation whatever its row count (as in
/// latency_fit.hpp). Rows whose measured window is shorter than
/// `min_window_s` are sampling artefacts and left out.

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "edgeperf/fit/latency_fit.hpp"
#include "edgeperf/phases/sensor.hpp"

namespace edgeperf::fit {

/// Which energy metric a row measures.
enum class energy_metric { decode_power, total_energy, prefill_power, prefill_energy, tts_power, tts_energy, none };

[[nodiscard]] inline energy_metric classify_energy_metric(const std::string& m) {
  if (m == "decode_avg_power_w") return energy_metric::decode_power;
  if (m == "total_energy_gpu_soc_j" || m == "total_energy_j") return energy_metric::total_energy;
  if (m == "prefill_avg_power_w") return energy_metric::prefill_power;
  if (m == "prefill_energy_gpu_soc_j" || m == "prefill_energy_j") return energy_metric::prefill_energy;
  if (m == "tts_avg_power_w") return energy_metric::tts_power;
  if (m == "tts_energy_gpu_soc_j" || m == "tts_energy_j") return energy_metric::tts_energy;
  return energy_metric::none;
}

/// The fitted energy parameters.
struct energy_params {
  double static_power_w{0};       ///< accelerator-rail idle power of the mode
  double pj_per_flop_tensor{0};
  double pj_per_byte_dram{0};
  double host_active_power_w{0};
  double sensor_ramp_s{1.25};
};

/// Starting point and prior centres of the AGX Orin 64GB MAXN energy fit:
/// idle 5.6 W (the EdgeReasoning prefill runs shorter than the 1 s sampling
/// period read 5.5–5.7 W, i.e. idle), 1 pJ per tensor FLOP and 100 pJ per DRAM
/// byte (order of magnitude for an 8 nm GPU with LPDDR5; assumed), 5 W of SoC
/// power during host work (assumed), a 1.25 s sensor ramp (the data's README:
/// decode power ramps up over ~1–1.5 s).
[[nodiscard]] inline energy_params agx_orin_energy_start() { return {5.6, 1.0, 100.0, 5.0, 1.25}; }

/// Options of the energy fit.
struct energy_fit_options {
  std::optional<energy_params> start{};
  std::vector<std::string> metrics{"decode_avg_power_w", "total_energy_gpu_soc_j", "prefill_avg_power_w",
                                   "prefill_energy_gpu_soc_j", "tts_avg_power_w", "tts_energy_gpu_soc_j"};
  std::vector<std::string> exclude{};  ///< "metric@input_tokens" (outliers)
  double min_window_s{1.0};            ///< shorter measured windows are sampling artefacts
  double data_sigma{0.05};
  double static_prior_sigma{0.1};
  double coeff_prior_sigma{2.0};
  double ramp_prior_sigma{1.0};
  /// Rows to score: output tokens at least this many (the targets use O ≥ 256).
  int score_min_output{0};
};

/// Applies energy parameters to a device (mode `mode`), marking them fitted.
inline void apply_energy(const energy_params& p, device_spec& d, int mode, const char* note) {
  d.modes[static_cast<std::size_t>(mode)].static_power_w = sourced{p.static_power_w, source::fitted, note};
  d.pj_per_flop_tensor = sourced{p.pj_per_flop_tensor, source::fitted, note};
  d.pj_per_byte_dram = sourced{p.pj_per_byte_dram, source::fitted, note};
  d.host_active_power_w = sourced{p.host_active_power_w, source::fitted, note};
  d.sensor_ramp_s = sourced{p.sensor_ramp_s, source::fitted, note};
}

/// Predicts what the rail's sampled log reports for an energy row.
[[nodiscard]] inline double predict_energy_row(const run_measurement& row, const model_spec& m,
                                               const quant_spec& q, const device_spec& d, int mode,
                                               const runtime_spec& r, const power_sensor& sensor) {
  const energy_metric k = classify_energy_metric(row.metric);
  if (k == energy_metric::none) return std::nan("");
  workload w{};
  w.batch = row.batch;
  w.samples = row.samples;
  w.input_tokens = row.input_tokens;
  w.output_tokens = row.output_tokens;
  auto er = estimate_request(m, q, d, mode, r, w);
  if (!er) throw std::runtime_error(row.where + ": " + er.error_value().message);
  const auto& e = *er;
  const double idle = d.modes[static_cast<std::size_t>(mode)].static_power_w.value;
  switch (k) {
    case energy_metric::decode_power:
      return e.decode_s > 0 ? sensed_power(sensor, e.decode_power_w, idle, e.decode_s) : idle;
    case energy_metric::prefill_power: return sensed_power(sensor, e.prefill_power_w, idle, e.ttft_s);
    case energy_metric::prefill_energy: return sensed_energy(sensor, e.prefill_power_w, idle, e.ttft_s);
    case energy_metric::tts_power: return sensed_power(sensor, e.avg_power_w, idle, e.total_s);
    case energy_metric::total_energy:
    case energy_metric::tts_energy: return sensed_energy(sensor, e.avg_power_w, idle, e.total_s);
    default: return std::nan("");
  }
}

/// The measured window of a row (for the artefact filter), from the model's times.
[[nodiscard]] inline double row_window_s(const run_measurement& row, const request_estimate<double>& e) {
  switch (classify_energy_metric(row.metric)) {
    case energy_metric::decode_power: return e.decode_s;
    case energy_metric::prefill_power:
    case energy_metric::prefill_energy: return e.ttft_s;
    default: return e.total_s;
  }
}

/// Result of an energy fit.
struct energy_fit_result {
  energy_params initial{};
  energy_params fitted{};
  std::vector<std::string> names;
  std::vector<double> rel_sigma;
  lm_result lm{};
  device_spec device{};
  std::vector<metric_stats> stats;  ///< scored rows (score_min_output applies)
};

/// Statistics of the energy metrics of `rows` under `d` (mode named in the rows) and `r`.
[[nodiscard]] inline std::vector<metric_stats> energy_stats(
    const std::vector<run_measurement>& rows, const case_resolver& rc, const device_spec& d,
    const runtime_spec& r, const power_sensor& sensor, const energy_fit_options& opt,
    std::vector<row_prediction>* predictions = nullptr) {
  detail::stats_accumulator acc;
  for (const auto& row : rows) {
    if (row.device != d.id.view() || !runtime_matches(row.runtime, r)) continue;
    if (classify_energy_metric(row.metric) == energy_metric::none) continue;
    if (!detail::wanted_metric(opt.metrics, row)) continue;
    const int mode = find_mode_index(d, row.mode);
    if (mode < 0) throw std::runtime_error(row.where + ": unknown mode '" + row.mode + "'");
    const auto m = rc.model(row);
    const auto q = rc.quant(row);
    const double p = predict_energy_row(row, m, q, d, mode, r, sensor);
    workload w{row.batch, row.samples, row.input_tokens, row.output_tokens, {}};
    const auto e = estimate_request(m, q, d, mode, r, w).value();
    const bool excluded = row.output_tokens < opt.score_min_output ||
                          row_window_s(row, e) < opt.min_window_s || detail::excluded_row(opt.exclude, row);
    if (predictions) predictions->push_back(row_prediction{&row, p, excluded});
    if (!excluded) acc.add(row, p);
  }
  return acc.finish();
}

/// Fits `energy_params` of device `d` to the energy rows naming it and runtime `r`.
[[nodiscard]] inline energy_fit_result fit_energy(const std::vector<run_measurement>& rows,
                                                  const case_resolver& rc, const device_spec& d,
                                                  const runtime_spec& r,
                                                  const energy_fit_options& opt = {}) {
  std::vector<detail::fit_row> data;
  int mode0 = -1;
  for (const auto& row : rows) {
    if (row.device != d.id.view() || !runtime_matches(row.runtime, r)) continue;
    if (classify_energy_metric(row.metric) == energy_metric::none) continue;
    if (!detail::wanted_metric(opt.metrics, row) || detail::excluded_row(opt.exclude, row)) continue;
    const int mode = find_mode_index(d, row.mode);
    if (mode < 0) throw std::runtime_error(row.where + ": unknown mode '" + row.mode + "'");
    if (mode0 >= 0 && mode != mode0)
      throw std::runtime_error(row.where + ": the energy fit takes one power mode at a time");
    mode0 = mode;
    detail::fit_row p{&row, rc.model(row), rc.quant(row), mode, 0};
    workload w{row.batch, row.samples, row.input_tokens, row.output_tokens, {}};
    const auto e = estimate_request(p.model, p.quant, d, mode, r, w).value();
    if (row_window_s(row, e) < opt.min_window_s) continue;
    data.push_back(p);
  }
  if (data.empty())
    throw std::runtime_error("fit_energy: no energy rows for device '" + std::string(d.id.view()) +
                             "' and runtime '" + std::string(r.id.view()) + "'");
  detail::weight_by_metric(data, opt.data_sigma);

  energy_fit_result out{};
  const auto& pm = d.modes[static_cast<std::size_t>(mode0)];
  out.initial = opt.start.value_or(energy_params{pm.static_power_w.value, d.pj_per_flop_tensor.value,
                                                 d.pj_per_byte_dram.value, d.host_active_power_w.value, 1.25});
  const energy_params& s0 = out.initial;
  std::vector<parameter> params{
      {"static_power_w", s0.static_power_w, s0.static_power_w, opt.static_prior_sigma},
      {"pj_per_flop_tensor", s0.pj_per_flop_tensor, s0.pj_per_flop_tensor, opt.coeff_prior_sigma},
      {"pj_per_byte_dram", s0.pj_per_byte_dram, s0.pj_per_byte_dram, opt.coeff_prior_sigma},
      {"host_active_power_w", s0.host_active_power_w, s0.host_active_power_w, opt.coeff_prior_sigma},
      {"sensor_ramp_s", s0.sensor_ramp_s, s0.sensor_ramp_s, opt.ramp_prior_sigma}};
  const auto to_params = [](const std::vector<double>& t) {
    return energy_params{t[0], t[1], t[2], t[3], t[4]};
  };
  const auto residuals = [&](const std::vector<double>& th) {
    const energy_params p = to_params(th);
    device_spec dd = d;
    apply_energy(p, dd, mode0, "fit in progress");
    const power_sensor sensor{p.sensor_ramp_s};
    Eigen::VectorXd res(static_cast<Eigen::Index>(data.size()));
    for (std::size_t i = 0; i < data.size(); ++i) {
      const auto& x = data[i];
      const double pred = predict_energy_row(*x.row, x.model, x.quant, dd, x.mode, r, sensor);
      res(static_cast<Eigen::Index>(i)) = x.weight * std::log(pred / x.row->value);
    }
    return res;
  };
  out.lm = levenberg_marquardt(params, residuals);
  out.fitted = to_params(out.lm.values);
  out.rel_sigma = out.lm.rel_sigma;
  for (const auto& p : params) out.names.push_back(p.name);
  out.device = d;
  apply_energy(out.fitted, out.device, mode0, "fitted: edgeperf fit-energy --runs (docs/validation.md)");
  {  // store each number's 1-σ with the profile (prediction intervals)
    auto& m = out.device.modes[static_cast<std::size_t>(mode0)];
    sourced* fs[] = {&m.static_power_w, &out.device.pj_per_flop_tensor, &out.device.pj_per_byte_dram,
                     &out.device.host_active_power_w, &out.device.sensor_ramp_s};
    for (std::size_t i = 0; i < 5 && i < out.rel_sigma.size(); ++i) fs[i]->rel_sigma = out.rel_sigma[i];
  }
  out.stats = energy_stats(rows, rc, out.device, r, power_sensor{out.fitted.sensor_ramp_s}, opt);
  return out;
}

}  // namespace edgeperf::fit
