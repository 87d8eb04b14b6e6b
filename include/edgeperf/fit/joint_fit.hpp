#pragma once
/// @file
/// The joint latency fit: one device profile and one profile per runtime,
/// fitted at once to every row of every fitting file (several models, several
/// runtimes on one device), with no per-model constant. Any `sourced` number
/// of the device or of a runtime can be a parameter (`param_ref`), so a
/// runtime with one or two rows fits only what those rows pin (e.g. its host
/// time per step) and keeps the rest as stated assumptions.
///
/// Residuals are log(predicted / measured) / σ_data; the rows of each
/// (model, runtime, metric) group together weigh as one observation, so a
/// model with 160 decode rows does not outvote a published single point and
/// each model counts the same. Log-normal priors only where a parameter has
/// one (prior_sigma > 0). The result carries each parameter's 1-σ and the
/// correlation matrix (Gauss–Newton covariance at the optimum).
///
/// `cross_validate_models` refits without each model in turn and scores the
/// left-out model's rows: leave-one-model-out (LOMO) cross-validation.

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/fit/latency_fit.hpp"

namespace edgeperf::fit {

/// A fittable number: a `sourced` field of the device (`runtime` empty) or of
/// the runtime with that id, by its JSON name (for_each_sourced).
struct param_ref {
  std::string runtime;  ///< "" = the device
  std::string field;
  double start{0};        ///< starting value and prior centre (<= 0: the profile's value)
  double prior_sigma{0};  ///< σ of log θ; 0 = no prior
  [[nodiscard]] std::string name() const { return (runtime.empty() ? std::string("device") : runtime) + "." + field; }
};

/// The `sourced` fields a reference names: the device's, or the field of
/// every runtime listed in `runtime` ("vllm-0.8+vllm-0.6" ties the field of
/// both runtimes to one parameter: variants that share their kernels).
[[nodiscard]] inline std::vector<sourced*> find_fields(device_spec& d, std::vector<runtime_spec>& rts,
                                                      const param_ref& p) {
  std::vector<sourced*> out;
  if (p.runtime.empty()) {
    for_each_sourced(d, [&](const char* n, sourced& s) {
      if (p.field == n) out.push_back(&s);
    });
    return out;
  }
  std::string rest = p.runtime;
  while (!rest.empty()) {
    const auto plus = rest.find('+');
    const std::string id = rest.substr(0, plus);
    rest = plus == std::string::npos ? "" : rest.substr(plus + 1);
    for (auto& r : rts)
      if (runtime_matches(id, r))
        for_each_sourced(r, [&](const char* n, sourced& s) {
          if (p.field == n) out.push_back(&s);
        });
  }
  return out;
}

/// Whether a parameter belongs to runtime `r` (or to the device).
[[nodiscard]] inline bool param_of(const param_ref& p, const runtime_spec& r) {
  std::string rest = p.runtime;
  while (!rest.empty()) {
    const auto plus = rest.find('+');
    if (runtime_matches(rest.substr(0, plus), r)) return true;
    rest = plus == std::string::npos ? "" : rest.substr(plus + 1);
  }
  return false;
}

/// Options of the joint fit.
struct joint_fit_options {
  std::vector<param_ref> params;
  std::vector<std::string> metrics{"ttft_s", "decode_s", "tts_total_s", "decode_tok_s", "prefill_tok_s"};
  std::vector<std::string> exclude{};  ///< "metric@input_tokens"
  std::vector<std::string> exclude_models{};  ///< rows of these models are left out (LOMO folds)
  double data_sigma{0.05};
};

/// Per (model, runtime, metric) residual statistics.
struct group_stats {
  std::string model, runtime, metric;
  int n{0};
  double mape{0};
  double worst{0};
  std::string worst_where;
};

/// Result of a joint fit.
struct joint_fit_result {
  std::vector<std::string> names;
  std::vector<double> initial, fitted, rel_sigma;  ///< rel_sigma: 1-σ of log θ (≈ relative)
  Eigen::MatrixXd correlation;                     ///< of log θ
  lm_result lm{};
  device_spec device{};
  std::vector<runtime_spec> runtimes;
  std::vector<group_stats> stats;  ///< in-sample, every wanted row (excluded rows left out)
  int rows{0};
};

namespace detail {

/// The runtime of `rts` a row names, or nullptr.
[[nodiscard]] inline const runtime_spec* runtime_of(const std::vector<runtime_spec>& rts,
                                                   const run_measurement& row) {
  for (const auto& r : rts)
    if (runtime_matches(row.runtime, r)) return &r;
  return nullptr;
}

/// The row's mode index (an empty mode is the device's default mode 0).
[[nodiscard]] inline int mode_of(const device_spec& d, const run_measurement& row) {
  if (row.mode.empty()) return 0;
  const int m = find_mode_index(d, row.mode);
  if (m < 0) throw std::runtime_error(row.where + ": unknown mode '" + row.mode + "' of device '" +
                                      std::string(d.id.view()) + "'");
  return m;
}

struct joint_row {
  const run_measurement* row;
  model_spec model;
  quant_spec quant;
  int mode;
  std::size_t runtime;
  double weight;
};

/// Rows of `rows` the fit uses: the device's, a listed runtime's, a wanted
/// latency metric, not excluded, not of an excluded model.
[[nodiscard]] inline std::vector<joint_row> select_rows(const std::vector<run_measurement>& rows,
                                                       const case_resolver& rc, const device_spec& d,
                                                       const std::vector<runtime_spec>& rts,
                                                       const joint_fit_options& opt, bool keep_excluded_rows = false) {
  std::vector<joint_row> out;
  for (const auto& row : rows) {
    if (row.device != d.id.view()) continue;
    const runtime_spec* r = runtime_of(rts, row);
    if (!r) continue;
    if (!wanted_metric(opt.metrics, row) || classify_metric(row.metric) == latency_metric::none) continue;
    if (!keep_excluded_rows && excluded_row(opt.exclude, row)) continue;
    if (std::find(opt.exclude_models.begin(), opt.exclude_models.end(), row.model) != opt.exclude_models.end())
      continue;
    out.push_back(joint_row{&row, rc.model(row), rc.quant(row), mode_of(d, row),
                            static_cast<std::size_t>(r - rts.data()), 0});
  }
  std::map<std::string, int> per_group;
  const auto key = [](const joint_row& x) { return x.row->model + "|" + x.row->runtime + "|" + x.row->metric; };
  for (const auto& x : out) ++per_group[key(x)];
  for (auto& x : out) x.weight = 1.0 / (opt.data_sigma * std::sqrt(static_cast<double>(per_group[key(x)])));
  return out;
}

}  // namespace detail

/// Per (model, runtime, metric) statistics of `rows` under the profiles
/// (excluded rows are predicted but not scored).
[[nodiscard]] inline std::vector<group_stats> joint_stats(const std::vector<run_measurement>& rows,
                                                          const case_resolver& rc, const device_spec& d,
                                                          const std::vector<runtime_spec>& rts,
                                                          const joint_fit_options& opt,
                                                          std::vector<row_prediction>* predictions = nullptr) {
  std::map<std::string, group_stats> acc;
  std::vector<std::string> order;
  for (const auto& x : detail::select_rows(rows, rc, d, rts, opt, true)) {
    const double p = predict_row(*x.row, x.model, x.quant, d, x.mode, rts[x.runtime]);
    const bool excluded = detail::excluded_row(opt.exclude, *x.row);
    if (predictions) predictions->push_back(row_prediction{x.row, p, excluded});
    if (excluded) continue;
    const std::string k = x.row->model + "|" + std::string(rts[x.runtime].id.view()) + "|" + x.row->metric;
    auto [it, fresh] = acc.try_emplace(k);
    if (fresh) order.push_back(k);
    auto& s = it->second;
    s.model = x.row->model;
    s.runtime = std::string(rts[x.runtime].id.view());
    s.metric = x.row->metric;
    const double err = std::abs(p - x.row->value) / x.row->value;
    s.mape += err;
    ++s.n;
    if (err >= s.worst) {
      s.worst = err;
      s.worst_where = x.row->where;
    }
  }
  std::vector<group_stats> out;
  for (const auto& k : order) {
    auto s = acc[k];
    s.mape /= s.n;
    out.push_back(s);
  }
  return out;
}

/// Fits `opt.params` of `d` and `rts` to the rows (see the file comment).
/// Parameters whose owner has no row in the fit keep their start value and
/// are reported with σ = 0 and left out of the fit (nothing pins them).
[[nodiscard]] inline joint_fit_result fit_joint(const std::vector<run_measurement>& rows,
                                                const case_resolver& rc, const device_spec& d,
                                                const std::vector<runtime_spec>& rts,
                                                const joint_fit_options& opt) {
  const auto data = detail::select_rows(rows, rc, d, rts, opt);
  if (data.empty())
    throw std::runtime_error("fit_joint: no latency rows for device '" + std::string(d.id.view()) +
                             "' and the given runtimes");
  joint_fit_result out{};
  out.device = d;
  out.runtimes = rts;
  out.rows = static_cast<int>(data.size());
  // Which runtimes have rows.
  std::set<std::size_t> used;
  for (const auto& x : data) used.insert(x.runtime);
  std::vector<param_ref> active;
  std::vector<parameter> lm_params;
  for (const auto& p : opt.params) {
    const auto fs = find_fields(out.device, out.runtimes, p);
    if (fs.empty()) throw std::runtime_error("fit_joint: no field '" + p.field + "' on " +
                                     (p.runtime.empty() ? std::string("the device") : "runtime '" + p.runtime + "'"));
    bool has_rows = p.runtime.empty();
    for (std::size_t i = 0; i < rts.size(); ++i)
      if (!p.runtime.empty() && param_of(p, rts[i]) && used.count(i)) has_rows = true;
    const double start = p.start > 0 ? p.start : fs.front()->value;
    if (!has_rows) {
      for (sourced* f : fs) f->value = start;
      continue;
    }
    active.push_back(p);
    lm_params.push_back(parameter{p.name(), start, start, p.prior_sigma});
  }
  const auto apply = [&](const std::vector<double>& th, device_spec& dd, std::vector<runtime_spec>& rr,
                         const char* note) {
    for (std::size_t i = 0; i < active.size(); ++i) {
      for (sourced* f : find_fields(dd, rr, active[i])) *f = sourced{th[i], source::fitted, note};
    }
  };
  const auto residuals = [&](const std::vector<double>& th) {
    device_spec dd = d;
    std::vector<runtime_spec> rr = rts;
    apply(th, dd, rr, "fit in progress");
    Eigen::VectorXd res(static_cast<Eigen::Index>(data.size()));
    for (std::size_t i = 0; i < data.size(); ++i) {
      const auto& x = data[i];
      const double pred = predict_row(*x.row, x.model, x.quant, dd, x.mode, rr[x.runtime]);
      res(static_cast<Eigen::Index>(i)) = x.weight * std::log(pred / x.row->value);
    }
    return res;
  };
  if (!lm_params.empty()) {
    out.lm = levenberg_marquardt(lm_params, residuals);
    apply(out.lm.values, out.device, out.runtimes, "fitted: edgeperf fit --runs (joint; docs/validation.md)");
    for (std::size_t i = 0; i < active.size(); ++i)
      for (sourced* f : find_fields(out.device, out.runtimes, active[i])) f->rel_sigma = out.lm.rel_sigma[i];
  }
  for (std::size_t i = 0; i < active.size(); ++i) {
    out.names.push_back(active[i].name());
    out.initial.push_back(lm_params[i].initial);
    out.fitted.push_back(out.lm.values[i]);
    out.rel_sigma.push_back(out.lm.rel_sigma[i]);
  }
  out.correlation = out.lm.correlation;
  out.stats = joint_stats(rows, rc, out.device, out.runtimes, opt);
  return out;
}

/// One fold of a leave-one-model-out cross-validation.
struct lomo_fold {
  std::string model;                ///< the model left out
  std::vector<std::string> unpinned;  ///< parameters no remaining row pins (kept at their start)
  std::vector<group_stats> stats;   ///< the left-out model's rows under the refitted profiles
  joint_fit_result fit;             ///< the refit without it
};

/// Leave-one-model-out: for every model in the fitting rows, refit without it
/// (same options, same starts and priors) and score its rows.
[[nodiscard]] inline std::vector<lomo_fold> cross_validate_models(const std::vector<run_measurement>& rows,
                                                                 const case_resolver& rc, const device_spec& d,
                                                                 const std::vector<runtime_spec>& rts,
                                                                 const joint_fit_options& opt) {
  std::vector<std::string> models;
  for (const auto& x : detail::select_rows(rows, rc, d, rts, opt))
    if (std::find(models.begin(), models.end(), x.row->model) == models.end()) models.push_back(x.row->model);
  std::vector<lomo_fold> out;
  for (const auto& m : models) {
    lomo_fold f{};
    f.model = m;
    joint_fit_options o = opt;
    o.exclude_models.push_back(m);
    f.fit = fit_joint(rows, rc, d, rts, o);
    for (const auto& p : opt.params)
      if (std::find(f.fit.names.begin(), f.fit.names.end(), p.name()) == f.fit.names.end())
        f.unpinned.push_back(p.name());
    // Score only the left-out model's rows.
    std::vector<run_measurement> mine;
    for (const auto& r : rows)
      if (r.model == m) mine.push_back(r);
    joint_fit_options so = opt;
    f.stats = joint_stats(mine, rc, f.fit.device, f.fit.runtimes, so);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace edgeperf::fit
