#pragma once
/// @file
/// Validate and fit against measured runs, as library calls: what `edgeperf
/// validate`, `edgeperf fit --runs` and `edgeperf fit-energy` do beyond parsing
/// flags and printing. A thin orchestration over the fits themselves
/// (fit/latency_fit.hpp, fit/energy_fit.hpp), whose numerics it does not touch:
///   - `select_metrics`: which latency and energy metrics to score or fit;
///   - `run_pairs`: the (device, runtime) pairs the rows name;
///   - `validate_runs`: MAPE and worst case per metric of one (device, runtime)
///     pair, latency metrics on all their rows, energy metrics through the
///     sampled-sensor model with the long-output rule (`score_min_output`);
///   - `fit_latency_runs`: the latency fit with the statistics before and after;
///   - `energy_fit_mode`, `energy_start` and `fit_energy_runs`: the energy fit
///     of the power mode the rows name, with the statistics before and after.
/// Data-dependent failures (an unknown metric name, no rows to fit) are error
/// values; the fits' own exceptions (an unknown mode in a row, a model the
/// resolver cannot give) pass through.

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "edgeperf/descriptions/device.hpp"
#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/runtime.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/fit/energy_fit.hpp"
#include "edgeperf/fit/latency_fit.hpp"
#include "edgeperf/phases/sensor.hpp"
#include "edgeperf/result.hpp"

namespace edgeperf::fit {

/// The measured-run row type the fits read.
using run_row = std::remove_const_t<std::remove_pointer_t<decltype(row_prediction::row)>>;

/// The latency and energy metrics to score or fit, each in order.
struct metric_selection {
  std::vector<std::string> latency;
  std::vector<std::string> energy;
};

/// The latency metric names, for messages.
inline constexpr const char* latency_metric_names = "ttft_s, decode_s, tts_decode_s, tts_total_s, total_s";
/// The energy metric names, for messages.
inline constexpr const char* energy_metric_names =
    "decode_avg_power_w, total_energy_gpu_soc_j, prefill_avg_power_w, prefill_energy_gpu_soc_j, "
    "tts_avg_power_w, tts_energy_gpu_soc_j";

namespace detail {
/// Appends `m` to `out` unless it is there already.
inline void add_unique(std::vector<std::string>& out, const std::string& m) {
  if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
}
}  // namespace detail

/// The metrics of `requested` split into latency and energy metrics, or,
/// without any, every latency and energy metric of `rows` in order of first
/// appearance. A name that is neither is an error naming it and the valid names.
[[nodiscard]] inline result<metric_selection> select_metrics(const std::vector<run_row>& rows,
                                                             const std::vector<std::string>& requested) {
  metric_selection s;
  if (requested.empty()) {
    for (const auto& r : rows) {
      if (classify_metric(r.metric) != latency_metric::none) detail::add_unique(s.latency, r.metric);
      if (classify_energy_metric(r.metric) != energy_metric::none) detail::add_unique(s.energy, r.metric);
    }
    return s;
  }
  for (const auto& m : requested) {
    if (classify_metric(m) != latency_metric::none) {
      s.latency.push_back(m);
    } else if (classify_energy_metric(m) != energy_metric::none) {
      s.energy.push_back(m);
    } else {
      return make_error(errc::invalid_argument, "'" + m + "' is not a latency metric (" + latency_metric_names +
                                                    ") nor an energy metric (" + energy_metric_names + ")");
    }
  }
  return s;
}

/// The (device id, runtime id) pairs of `rows` in order of first appearance,
/// only those matching `device_id` / `runtime_id` when these are not empty.
/// No pair is an error naming the filter.
[[nodiscard]] inline result<std::vector<std::pair<std::string, std::string>>> run_pairs(
    const std::vector<run_row>& rows, const std::string& device_id = {}, const std::string& runtime_id = {}) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : rows) {
    if ((!device_id.empty() && r.device != device_id) || (!runtime_id.empty() && r.runtime != runtime_id &&
                                   canonical_runtime_id(r.runtime) != canonical_runtime_id(runtime_id))) continue;
    std::pair<std::string, std::string> p{r.device, r.runtime};
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(std::move(p));
  }
  if (out.empty())
    return make_error(errc::invalid_argument, "no rows for device '" + (device_id.empty() ? "*" : device_id) +
                                                  "' and runtime '" + (runtime_id.empty() ? "*" : runtime_id) + "'");
  return out;
}

/// The energy metrics whose targets are stated for long outputs (decode power,
/// total energy): `score_min_output` applies to these only.
[[nodiscard]] inline bool long_output_metric(const std::string& m) {
  const auto k = classify_energy_metric(m);
  return k == energy_metric::decode_power || k == energy_metric::total_energy;
}

/// What to score and which rows to leave out.
struct validate_options {
  std::vector<std::string> exclude;  ///< "metric@input_tokens"
  int score_min_output{0};           ///< long-output energy metrics on O >= this only
  double min_window_s{energy_fit_options{}.min_window_s};  ///< shorter energy windows are left out
};

/// Energy statistics of `metrics`: the long-output metrics (`long_output_metric`)
/// scored on O >= `o.score_min_output`, the others on all their rows.
[[nodiscard]] inline std::vector<metric_stats> energy_stats_scored(
    const std::vector<run_row>& rows, const case_resolver& rc, const device_spec& d, const runtime_spec& r,
    const power_sensor& sensor, const validate_options& o, const std::vector<std::string>& metrics,
    std::vector<row_prediction>* predictions = nullptr) {
  std::vector<metric_stats> out;
  for (const bool long_only : {true, false}) {
    energy_fit_options eo{};
    eo.exclude = o.exclude;
    eo.min_window_s = o.min_window_s;
    eo.score_min_output = long_only ? o.score_min_output : 0;
    eo.metrics.clear();
    for (const auto& m : metrics)
      if (long_output_metric(m) == long_only) eo.metrics.push_back(m);
    if (eo.metrics.empty()) continue;
    for (auto& s : energy_stats(rows, rc, d, r, sensor, eo, predictions)) out.push_back(std::move(s));
  }
  return out;
}

/// The statistics of one (device, runtime) pair.
struct validation {
  std::vector<metric_stats> latency;  ///< per latency metric scored
  std::vector<metric_stats> energy;   ///< per energy metric scored (empty without energy metrics)
  double sensor_ramp_s{0};            ///< the device profile's sensor ramp used for energy
};

/// Scores `metrics` of the rows of device `d` and runtime `r`; each row's
/// prediction is appended to `*predictions` when given.
[[nodiscard]] inline validation validate_runs(const std::vector<run_row>& rows, const case_resolver& rc,
                                              const device_spec& d, const runtime_spec& r,
                                              const metric_selection& metrics, const validate_options& o = {},
                                              std::vector<row_prediction>* predictions = nullptr) {
  validation v;
  latency_fit_options lo{};
  lo.exclude = o.exclude;
  lo.metrics = metrics.latency;
  v.latency = latency_stats(rows, rc, d, r, lo, predictions);
  if (!metrics.energy.empty()) {
    const power_sensor sensor{d.sensor_ramp_s.value};
    v.sensor_ramp_s = sensor.ramp_s;
    v.energy = energy_stats_scored(rows, rc, d, r, sensor, o, metrics.energy, predictions);
  }
  return v;
}

/// A latency fit with the statistics at its starting point.
struct latency_fit_report {
  latency_fit_result fit;
  std::vector<metric_stats> before;  ///< at the start (the profiles, or `opt.start`)
};

/// Fits the latency parameters of `d` and `r` (`fit_latency`) and scores the
/// starting point with the same options.
[[nodiscard]] inline latency_fit_report fit_latency_runs(const std::vector<run_row>& rows, const case_resolver& rc,
                                                         const device_spec& d, const runtime_spec& r,
                                                         const latency_fit_options& opt) {
  latency_fit_report out;
  out.fit = fit_latency(rows, rc, d, r, opt);
  device_spec d0 = d;
  runtime_spec r0 = r;
  apply_params(out.fit.initial, d0, r0, "fit start");
  out.before = latency_stats(rows, rc, d0, r0, opt);
  return out;
}

/// The power mode of the energy rows of `d` and `r` (the first such row's;
/// the fit takes one mode and checks the others), or an error naming the row
/// with an unknown mode, or saying there is no energy row.
[[nodiscard]] inline result<int> energy_fit_mode(const std::vector<run_row>& rows, const device_spec& d,
                                                 const runtime_spec& r) {
  for (const auto& row : rows)
    if (row.device == d.id.view() && runtime_matches(row.runtime, r) &&
        classify_energy_metric(row.metric) != energy_metric::none) {
      const int mode = find_mode_index(d, row.mode);
      if (mode < 0)
        return make_error(errc::unknown_id, row.where + ": unknown mode '" + row.mode + "' of device '" +
                                                std::string(d.id.view()) + "'");
      return mode;
    }
  return make_error(errc::invalid_argument, "no energy rows for device '" + std::string(d.id.view()) +
                                                "' and runtime '" + std::string(r.id.view()) + "'");
}

/// The energy parameters of mode `mode` of `d` as they stand (the fit's
/// start when not the documented one); a profile without a sensor ramp starts
/// from the default ramp.
[[nodiscard]] inline energy_params energy_start(const device_spec& d, int mode) {
  const auto& pm = d.modes[static_cast<std::size_t>(mode)];
  return energy_params{pm.static_power_w.value, d.pj_per_flop_tensor.value, d.pj_per_byte_dram.value,
                       d.host_active_power_w.value,
                       d.sensor_ramp_s.value > 0 ? d.sensor_ramp_s.value : energy_params{}.sensor_ramp_s};
}

/// Options of `fit_energy_runs`.
struct energy_run_options {
  std::vector<std::string> metrics;  ///< energy metrics to fit (empty: every one in the rows)
  validate_options scoring{};        ///< exclusions, window, long-output rule of the scored subset
  bool documented_start{false};      ///< start at `agx_orin_energy_start()` instead of the profile
};

/// An energy fit with the statistics before and after on every fitted row,
/// and after on the scored subset.
struct energy_fit_report {
  energy_fit_result fit;
  int mode{0};                       ///< the power mode fitted
  std::vector<std::string> metrics;  ///< the energy metrics fitted, in order
  std::vector<metric_stats> before;  ///< at the start, every fitted row
  std::vector<metric_stats> after;   ///< fitted, every fitted row
  std::vector<metric_stats> scored;  ///< fitted, long-output metrics on O >= score_min_output
};

/// Fits the energy coefficients of the mode the rows name (`fit_energy`);
/// the latency profile must already be fitted (energy = power × the modelled
/// times). Errors: no energy metric to fit, no energy row, an unknown mode.
[[nodiscard]] inline result<energy_fit_report> fit_energy_runs(const std::vector<run_row>& rows,
                                                               const case_resolver& rc, const device_spec& d,
                                                               const runtime_spec& r, const energy_run_options& o) {
  energy_fit_report out;
  if (o.metrics.empty()) {
    auto all = select_metrics(rows, {});
    out.metrics = std::move(all->energy);
  } else {
    for (const auto& m : o.metrics) {
      if (classify_energy_metric(m) == energy_metric::none)
        return make_error(errc::invalid_argument,
                          "'" + m + "' is not an energy metric (" + energy_metric_names + ")");
      out.metrics.push_back(m);
    }
  }
  if (out.metrics.empty()) return make_error(errc::invalid_argument, "no energy metrics to fit");
  auto mode = energy_fit_mode(rows, d, r);
  if (!mode) return mode.error_value();
  out.mode = *mode;
  energy_fit_options opt{};
  opt.metrics = out.metrics;
  opt.exclude = o.scoring.exclude;
  opt.min_window_s = o.scoring.min_window_s;
  opt.start = o.documented_start ? agx_orin_energy_start() : energy_start(d, out.mode);
  out.fit = fit_energy(rows, rc, d, r, opt);
  device_spec initial = d;
  apply_energy(out.fit.initial, initial, out.mode, "fit start");
  validate_options every = o.scoring;
  every.score_min_output = 0;
  out.before = energy_stats_scored(rows, rc, initial, r, power_sensor{out.fit.initial.sensor_ramp_s}, every,
                                   out.metrics);
  const power_sensor sensor{out.fit.fitted.sensor_ramp_s};
  out.after = energy_stats_scored(rows, rc, out.fit.device, r, sensor, every, out.metrics);
  if (o.scoring.score_min_output > 0)
    out.scored = energy_stats_scored(rows, rc, out.fit.device, r, sensor, o.scoring, out.metrics);
  return out;
}

}  // namespace edgeperf::fit
