// `edgeperf validate`: MAPE and worst case of the profiles against measured
// runs, one Markdown row per (device, runtime, metric); fit/validate.hpp does
// the scoring. `--cv model` (several --runs): leave-one-model-out
// cross-validation of the joint AGX Orin fit (fit::cross_validate_models).

#include <algorithm>
#include <limits>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli.hpp"
#include "commands.hpp"
#include "edgeperf/fit/validate.hpp"
#include "edgeperf/io/io_error.hpp"
#include "edgeperf/io/runs_csv.hpp"
#include "edgeperf/report/fields.hpp"
#include "joint.hpp"
#include "runs.hpp"

namespace edgeperf::cli {
namespace {

/// One Markdown row per metric, in the order of `metrics`.
void print_stats_table(const std::string& dataset, const device_spec& d, const runtime_spec& r,
                       const std::vector<fit::metric_stats>& stats, const std::vector<fit::run_row>& rows,
                       const std::vector<std::string>& metrics) {
  for (const auto& name : metrics)
    for (const auto& s : stats)
      if (s.metric == name)
        fmt::print("| {} | {} | {} | {} | {} | {:.1f} % | {:.1f} % | {} |\n", dataset, d.id.view(), r.id.view(),
                   s.metric, s.n, 100.0 * s.mape, 100.0 * s.worst, describe_row(rows, s.worst_where));
}

void write_predictions(const std::string& path, const std::vector<fit::row_prediction>& predictions) {
  std::ofstream f(path);
  if (!f) throw io::io_error(path, "", "cannot open file for writing");
  f << "where,model,device,mode,runtime,quant,batch,samples,input_tokens,output_tokens,metric,"
       "measured,predicted,rel_error,excluded\n";
  for (const auto& p : predictions) {
    const auto& w = *p.row;
    f << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_escape(w.where), csv_escape(w.model),
                     csv_escape(w.device), csv_escape(w.mode), csv_escape(w.runtime), csv_escape(w.quant), w.batch,
                     w.samples, w.input_tokens, w.output_tokens, csv_escape(w.metric), w.value, p.predicted,
                     (p.predicted - w.value) / w.value, p.excluded ? "true" : "false");
  }
  if (!f) throw io::io_error(path, "", "error while writing");
  fmt::print(stderr, "wrote {} predictions to {}\n", predictions.size(), path);
}

struct validate_args : runs_args {
  std::vector<std::string> runs_files;  // every --runs
  std::string cv, published;            // --cv model, its --published rows
};

/// `validate --cv model`: for every model of the corpus, refit the joint AGX
/// Orin parameters without it and score its rows; prints per fold and metric
/// the MAPE and the worst case.
int run_validate_cv(const validate_args& a) {
  if (a.cv != "model") throw usage_error("--cv: '" + a.cv + "' is not a cross-validation (expected: model)");
  spec_cache cache;
  const device_spec& d = a.device.empty() ? cache.device("agx-orin-64gb") : cache.device(a.device);
  const auto rows = load_corpus(a.runs_files, a.published, std::string(d.id.view()));
  std::vector<std::string> models;
  for (const auto& r : rows)
    if (r.device == d.id.view() && std::find(models.begin(), models.end(), r.model) == models.end())
      models.push_back(r.model);
  if (models.size() < 2)
    throw cli_error(fmt::format("--cv model: needs rows of at least two models on {} (found {})", d.id.view(),
                                models.size()));
  const auto opt = fit::agx_orin_joint_options();
  const auto folds = fit::cross_validate_models(rows, make_resolver(cache), d, fit::agx_orin_corpus_runtimes(), opt);
  fmt::print("leave-one-model-out on {}: refit the joint parameters (fit::agx_orin_joint_options) without the "
             "model, predict its rows\n\n",
             d.id.view());
  fmt::print("| left out | runtime | metric | n | MAPE | worst | worst row |\n|---|---|---|---:|---:|---:|---|\n");
  for (const auto& f : folds) print_group_stats(f.stats);
  fmt::print("\nparameters no remaining row pins, per fold (kept at their prior centre):\n");
  for (const auto& f : folds) {
    fmt::print("- {}:", f.model);
    for (const auto& u : f.unpinned) fmt::print(" {}", u);
    fmt::print("{}\n", f.unpinned.empty() ? " none" : "");
  }
  print_excluded(opt.exclude);
  return exit_ok;
}

int run_validate(validate_args& a) {
  if (!a.cv.empty()) return run_validate_cv(a);
  if (a.runs_files.size() != 1) throw usage_error("validate: give one --runs file (several: with --cv model)");
  a.runs = a.runs_files.front();
  if (a.score_min_output < 0) throw usage_error("--score-min-output: expected >= 0");
  const auto rows = io::load_runs(a.runs);
  spec_cache cache;
  const auto resolver = make_resolver(cache);
  const auto sel = fit::select_metrics(rows, a.metrics);
  if (!sel) throw usage_error("--metric: " + sel.error_value().message);
  const std::string dataset = std::filesystem::path(a.runs).stem().string();
  std::vector<fit::row_prediction> predictions;
  fmt::print("| data set | device | runtime | metric | n | MAPE | worst | worst case |\n");
  fmt::print("|---|---|---|---|---:|---:|---:|---|\n");
  const std::string want_d = a.device.empty() ? "" : std::string(cache.device(a.device).id.view());
  const std::string want_r = a.runtime.empty() ? "" : std::string(cache.runtime(a.runtime).id.view());
  const auto pairs = fit::run_pairs(rows, want_d, want_r);
  if (!pairs) throw cli_error(a.runs + ": " + pairs.error_value().message);
  std::vector<std::string> ramps;
  for (const auto& [dev_id, rt_id] : *pairs) {
    const device_spec& d = cache.device(a.device.empty() ? dev_id : a.device);
    const runtime_spec& r = cache.runtime(a.runtime.empty() ? rt_id : a.runtime);
    const fit::validation v = fit::validate_runs(rows, resolver, d, r, *sel, a.scoring(), &predictions);
    print_stats_table(dataset, d, r, v.latency, rows, sel->latency);
    if (sel->energy.empty()) continue;
    print_stats_table(dataset, d, r, v.energy, rows, sel->energy);
    ramps.push_back(fmt::format("{} {:g} s", d.id.view(), v.sensor_ramp_s));
  }
  if (!sel->energy.empty()) {
    std::string ramp_text;
    for (const auto& x : ramps) ramp_text += (ramp_text.empty() ? "" : ", ") + x;
    fmt::print("\nenergy metrics: predicted through the sampled-sensor model (phases/sensor.hpp; "
               "ramp from the device profile's sensor_ramp_s: {}); rows whose measured window is "
               "shorter than {:g} s are left out (sampling artefacts)",
               ramp_text, a.min_window_s);
    if (a.score_min_output > 0)
      fmt::print("; decode_avg_power_w and total_energy_gpu_soc_j scored on rows with O >= {} "
                 "(--score-min-output), every other metric on all its rows",
                 a.score_min_output);
    fmt::print("\n");
  }
  print_excluded(a.exclude);
  if (!a.predictions.empty()) write_predictions(a.predictions, predictions);
  return exit_ok;
}

}  // namespace

subcommand add_validate(CLI::App& app) {
  auto a = std::make_shared<validate_args>();
  CLI::App* sub =
      app.add_subcommand("validate", "MAPE and worst case of the profiles against measured runs (Markdown table)");
  sub->add_option("--runs", a->runs_files,
                  "runs CSV (model,device,mode,runtime,quant,batch,"
                  "samples,input_tokens,output_tokens,metric,value,unit); repeatable with --cv model")
      ->required();
  sub->add_option("--cv", a->cv,
                  "'model': leave-one-model-out cross-validation of the joint AGX Orin fit over every "
                  "--runs file (device agx-orin-64gb unless --device)");
  sub->add_option("--published", a->published,
                  "with --cv model: also fit the device's rows of this published-speeds CSV");
  sub->add_option("--device", a->device, "only this device (id or profile JSON)");
  sub->add_option("--runtime", a->runtime, "only this runtime (id or profile JSON)");
  sub->add_option("--exclude", a->exclude, "leave out metric@input_tokens (repeatable)");
  sub->add_option("--metric", a->metrics, "only these metrics (default: every latency and energy metric in the rows)");
  sub->add_option("--predictions", a->predictions, "write measured vs predicted per row to this CSV");
  sub->add_option("--score-min-output", a->score_min_output,
                  "score the energy metrics decode_avg_power_w and total_energy_gpu_soc_j on "
                  "rows with output_tokens >= N only (the issue's targets use 256); latency "
                  "and the other energy metrics are scored on all their rows")
      ->transform(decimal_int(0, std::numeric_limits<int>::max()))
      ->capture_default_str();
  sub->add_option("--min-window", a->min_window_s,
                  "energy rows whose measured window is shorter than this (s) are left out "
                  "as sampling artefacts")
      ->capture_default_str();
  return {sub, [a] { return run_validate(*a); }};
}

}  // namespace edgeperf::cli
