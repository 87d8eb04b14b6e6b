// edgeperf: the command-line front end of the library (issue 3, "The CLI").
//
//   edgeperf estimate --model M --device D [--mode P] --runtime R --quant Q
//                     [--kv-dtype K] [--batch B] [--samples N] --input I --output O
//                     [--format table|json|csv]
//                     [cost options]
//   edgeperf estimate ... --best-mode [--tpot-limit SECONDS]   (every power mode, the
//                     lowest J/token meeting the TPOT limit)
//   edgeperf estimate --cases FILE.csv [--format csv|json] [cost options]
//   edgeperf sweep    (the estimate options, each a list: a,b,c  a:b:step  a:b*factor)
//   edgeperf validate --runs FILE.csv [--device D] [--runtime R] [--exclude metric@I]...
//                     [--metric M]... [--predictions FILE.csv] [--score-min-output N]
//                     [--min-window S]
//   edgeperf fit      --runs FILE.csv --device D --runtime R [--exclude metric@I]...
//                     [--documented-start] [-o device.json] [--runtime-out runtime.json]
//   edgeperf fit-energy --runs FILE.csv --device D --runtime R [--exclude metric@I]...
//                     [--min-window S] [--score-min-output N] [--documented-start]
//                     [-o device.json]
//   edgeperf list     models|quants|devices|runtimes|modes [--device D]
//   edgeperf plan     --device D [--mode P] --latency-budget SECONDS [--energy-budget JOULES]
//                     [--memory-budget BYTES] [--accuracy FILE.csv] [--benchmark NAME]
//                     [--models a,b] [--quants a,b] [--samples 1,2,4,8] [--budgets none,128,256]
//                     [--runtime R] [--input I]   (the best configuration under the budget,
//                     docs/planning.md; exit 0 also when nothing fits)
//   edgeperf pareto   (the plan options minus the budgets) [--all]: the accuracy-latency-
//                     energy-memory frontier as CSV
//
// Cost options (estimate, sweep): --kwh-price $/kWh (default 0.15), --device-price $
// (default: the profile's price_usd; none in the catalog), --life-years (3),
// --utilization (0, 1] (1), --cloud-input-price / --cloud-output-price $ per 1M
// tokens (no built-in cloud prices).
//
// Exit status: 0 ok; 1 bad input or any case failed; 2 bad command line.
// Tables use human units; CSV and JSON carry SI base units (s, bytes, FLOPs, J,
// W) and US dollars.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli_common.hpp"
#include "fit_measurements.hpp"
#include "edgeperf/accounting/params.hpp"
#include "edgeperf/fit/energy_fit.hpp"
#include "edgeperf/fit/latency_fit.hpp"
#include "edgeperf/io/csv.hpp"
#include "edgeperf/io/runs_csv.hpp"
#include "edgeperf/phases/sensor.hpp"
#include "edgeperf/plan/power_modes.hpp"
#include "plan_common.hpp"

namespace {

using namespace edgeperf;
using namespace edgeperf::cli;

// ---- output of rows -------------------------------------------------------------------

/// Streams rows as CSV (header first) or as a JSON array.
class row_writer {
 public:
  row_writer(std::string format, std::vector<column> cols)
      : format_(std::move(format)), cols_(std::move(cols)) {}
  void write(const case_outcome& r, const row_extras& x = {}) {
    const request_estimate<double>* e = r.estimate.get();
    if (format_ == "json") {
      fmt::print("{}  {}", rows_ == 0 ? "[\n" : ",\n", json_object(cols_, r.desc, e, r.error, x));
    } else {
      if (rows_ == 0) fmt::print("{}\n", csv_header(cols_));
      fmt::print("{}\n", csv_row(cols_, r.desc, e, r.error, x));
    }
    ++rows_;
    failed_ += r.estimate ? 0 : 1;
  }
  int finish() {
    if (format_ == "json") fmt::print("{}", rows_ == 0 ? "[]\n" : "\n]\n");
    if (format_ != "json" && rows_ == 0) fmt::print("{}\n", csv_header(cols_));
    return failed_ == 0 ? exit_ok : exit_failed;
  }

 private:
  std::string format_;
  std::vector<column> cols_;
  int rows_{0};
  int failed_{0};
};

// ---- estimate ---------------------------------------------------------------------------

struct estimate_args {
  case_input c;
  std::string cases;
  std::string format;
  cost_args cost;
  bool best_mode{false};
  double tpot_limit_s{0};
};

/// Writes a successful or failed case with its cost.
void write_with_cost(row_writer& out, const cost_args& cost, const case_outcome& r,
                     row_extras x = {}) {
  const std::optional<cost_breakdown> c = case_cost(cost, r);
  x.cost = c ? &*c : nullptr;
  out.write(r, x);
}

int run_cases(const estimate_args& a) {
  const std::string format = a.format.empty() ? "csv" : a.format;
  if (format == "table") throw usage_error("estimate --cases: --format must be csv or json");
  const io::csv_table t = io::read_csv(a.cases);
  io::require_columns(t, {"model", "device", "runtime", "quant", "input_tokens", "output_tokens"});
  spec_cache cache;
  cache.base_dir = std::filesystem::path(a.cases).parent_path();
  row_writer out(format, estimate_columns());
  std::size_t index = 0;
  for (const io::csv_row& row : t.rows) {
    ++index;
    case_input c{};
    c.id = t.has("id") ? t.cell(row, "id") : std::to_string(index);
    c.model = t.cell(row, "model");
    c.device = t.cell(row, "device");
    c.mode = t.cell(row, "mode");
    c.runtime = t.cell(row, "runtime");
    c.quant = t.cell(row, "quant");
    c.kv_dtype = t.cell(row, "kv_dtype");
    std::string parse_error;
    try {
      c.batch = t.int_cell(row, "batch", 1, 1);
      c.samples = t.int_cell(row, "samples", 1, 1);
      c.input_tokens = t.int_cell(row, "input_tokens", 1);
      c.output_tokens = t.int_cell(row, "output_tokens", 1);
    } catch (const std::exception& ex) {
      parse_error = ex.what();
    }
    if (!parse_error.empty()) {
      case_outcome bad{};
      bad.desc.id = c.id;
      bad.desc.model = c.model;
      bad.desc.device = c.device;
      bad.desc.mode = c.mode;
      bad.desc.runtime = c.runtime;
      bad.desc.quant = c.quant;
      bad.error = parse_error;
      out.write(bad);
      continue;
    }
    case_outcome r = evaluate_case(cache, c);
    if (!r.estimate) r.error = t.where(row) + ": " + r.error;
    write_with_cost(out, a.cost, r);
  }
  return out.finish();
}

/// `estimate --best-mode`: every power mode of the device for the case, and
/// the lowest J/token meeting the TPOT limit (plan/power_modes.hpp). Table:
/// one line per mode and the choice; CSV/JSON: one row per mode with `best`.
int run_best_mode(const estimate_args& a) {
  spec_cache cache;
  case_description d{};
  const resolved_case rc = resolve_case(cache, a.c, d);
  auto choice = best_energy_mode(*rc.model, rc.quant, *rc.device, *rc.runtime, d.load, a.tpot_limit_s);
  if (!choice) throw cli_error(choice.error_value().message);
  // Each mode's full estimate (the same call best_energy_mode makes).
  std::vector<case_outcome> per_mode;
  for (const mode_outcome& m : choice->modes) {
    case_input in = a.c;
    in.mode = m.name;
    per_mode.push_back(evaluate_case(cache, in));
    if (!per_mode.back().estimate) throw cli_error(per_mode.back().error);
  }
  const std::string format = a.format.empty() ? "table" : a.format;
  if (format == "table") {
    d.mode = "every mode";
    fmt::print("{}", format_mode_choice(d, per_mode.front().estimate->kv, *choice, a.tpot_limit_s));
    return exit_ok;
  }
  row_writer out(format, mode_columns());
  for (std::size_t i = 0; i < per_mode.size(); ++i) {
    row_extras x{};
    x.tpot_limit_s = a.tpot_limit_s;
    x.meets_limit = choice->modes[i].meets_limit;
    x.best = static_cast<int>(i) == choice->best;
    write_with_cost(out, a.cost, per_mode[i], x);
  }
  return out.finish();
}

int run_estimate(CLI::App& sub, const estimate_args& a) {
  const char* case_opts[] = {"--model", "--device", "--mode",    "--runtime", "--quant",
                             "--kv-dtype", "--batch", "--samples", "--input", "--output"};
  check_cost_args(a.cost);
  if (sub.count("--tpot-limit") > 0 && !a.best_mode)
    throw usage_error("estimate: --tpot-limit needs --best-mode");
  if (!(a.tpot_limit_s >= 0) || !std::isfinite(a.tpot_limit_s))
    throw usage_error(fmt::format("--tpot-limit {:g}: expected seconds >= 0 (0: no limit)", a.tpot_limit_s));
  if (!a.cases.empty()) {
    for (const char* o : case_opts)
      if (sub.count(o) > 0)
        throw usage_error(std::string("estimate: ") + o + " cannot be combined with --cases");
    if (a.best_mode) throw usage_error("estimate: --best-mode cannot be combined with --cases");
    return run_cases(a);
  }
  for (const char* o : {"--model", "--device", "--runtime", "--quant", "--input", "--output"})
    if (sub.count(o) == 0) throw usage_error(std::string("estimate: ") + o + " is required (or --cases FILE)");
  if (a.best_mode) {
    if (sub.count("--mode") > 0)
      throw usage_error("estimate: --mode cannot be combined with --best-mode (it compares every mode)");
    return run_best_mode(a);
  }
  spec_cache cache;
  const case_outcome r = evaluate_case(cache, a.c);
  if (!r.estimate) {
    fmt::print(stderr, "edgeperf estimate: {}\n", r.error);
    return exit_failed;
  }
  const std::optional<cost_breakdown> cost = case_cost(a.cost, r);
  const cost_inputs cost_in = a.cost.for_device(r.device);
  row_extras x{};
  x.cost = cost ? &*cost : nullptr;
  const std::string format = a.format.empty() ? "table" : a.format;
  if (format == "table") {
    table_extras t{};
    t.device = r.device;
    t.cost_in = &cost_in;
    t.cost = x.cost;
    fmt::print("{}", format_estimate_table(r.desc, *r.estimate, t));
  } else if (format == "json") {
    fmt::print("{}\n", json_object(estimate_columns(), r.desc, r.estimate.get(), r.error, x));
  } else {
    fmt::print("{}\n{}\n", csv_header(estimate_columns()),
               csv_row(estimate_columns(), r.desc, r.estimate.get(), r.error, x));
  }
  return exit_ok;
}

// ---- sweep --------------------------------------------------------------------------------

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s) {
    if (ch == sep) {
      out.push_back(io::detail::trim(cur));
      cur.clear();
    } else {
      cur += ch;
    }
  }
  out.push_back(io::detail::trim(cur));
  return out;
}

long long to_int(const std::string& s, const std::string& what) {
  std::size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (s.empty() || used != s.size())
    throw usage_error(what + ": expected an integer, got '" + s + "'");
  return v;
}

/// Integers from a list: `128,256`, `128:1024:128` (arithmetic), `128:4096*2`
/// (geometric; also `128:4096:*2`), or a mix (`1,2,4:32*2`).
std::vector<int> parse_int_list(const std::string& text, const std::string& what) {
  std::vector<int> out;
  for (const std::string& item : split(text, ',')) {
    const auto parts = split(item, ':');
    if (parts.size() == 1) {
      out.push_back(static_cast<int>(to_int(item, what)));
      continue;
    }
    if (parts.size() > 3) throw usage_error(what + ": bad range '" + item + "'");
    std::string hi = parts[1], step = parts.size() == 3 ? parts[2] : "1";
    if (parts.size() == 2 && hi.find('*') != std::string::npos) {
      step = hi.substr(hi.find('*'));
      hi = hi.substr(0, hi.find('*'));
    }
    const long long a = to_int(parts[0], what), b = to_int(hi, what);
    const bool geometric = !step.empty() && step[0] == '*';
    const long long s = to_int(geometric ? step.substr(1) : step, what);
    if (a < 1 || b < a || (geometric ? s < 2 : s < 1))
      throw usage_error(what + ": bad range '" + item +
                        "' (expected a:b:step with 1 <= a <= b, step >= 1, or a:b*factor, factor >= 2)");
    for (long long v = a; v <= b; v = geometric ? v * s : v + s) {
      out.push_back(static_cast<int>(v));
      if (out.size() > 100000) throw usage_error(what + ": range '" + item + "' is too long");
    }
  }
  return out;
}

struct sweep_args {
  std::string model, device, mode, runtime, quant, kv_dtype;
  std::string batch{"1"}, samples{"1"}, input, output;
  std::string format{"csv"};
  cost_args cost;
};

int run_sweep(const sweep_args& a) {
  for (const auto& [name, v] : {std::pair{"--model", a.model}, {"--device", a.device},
                                {"--runtime", a.runtime}, {"--quant", a.quant},
                                {"--input", a.input}, {"--output", a.output}})
    if (v.empty()) throw usage_error(std::string("sweep: ") + name + " is required");
  const auto models = split(a.model, ','), devices = split(a.device, ','),
             modes = split(a.mode, ','), runtimes = split(a.runtime, ','),
             quants = split(a.quant, ','), kvs = split(a.kv_dtype, ',');
  const auto batches = parse_int_list(a.batch, "--batch");
  const auto samples = parse_int_list(a.samples, "--samples");
  const auto inputs = parse_int_list(a.input, "--input");
  const auto outputs = parse_int_list(a.output, "--output");
  const double n = static_cast<double>(models.size() * devices.size() * modes.size() *
                                       runtimes.size() * quants.size() * kvs.size()) *
                   static_cast<double>(batches.size() * samples.size() * inputs.size() *
                                       outputs.size());
  if (n > 1e6) throw usage_error(fmt::format("sweep: {:.0f} cases; at most 1e6", n));
  check_cost_args(a.cost);
  spec_cache cache;
  row_writer out(a.format, sweep_columns());
  int id = 0;
  for (const auto& m : models)
    for (const auto& q : quants)
      for (const auto& d : devices)
        for (const auto& p : modes)
          for (const auto& r : runtimes)
            for (const auto& kv : kvs)
              for (int b : batches)
                for (int s : samples)
                  for (int i : inputs)
                    for (int o : outputs) {
                      case_input c{std::to_string(++id), m, d, p, r, q, kv, b, s, i, o};
                      write_with_cost(out, a.cost, evaluate_case(cache, c));
                    }
  return out.finish();
}

// ---- validate and fit ------------------------------------------------------------------

struct runs_args {
  std::string runs, device, runtime, predictions, device_out, runtime_out;
  std::string measurements, base;  // fit --measurements (calibration JSON)
  std::vector<std::string> exclude, metrics;
  bool documented_start{false};  ///< fit: start from the documented AGX Orin values
  int score_min_output{0};       ///< energy: decode power and total energy on O >= this
  double min_window_s{fit::energy_fit_options{}.min_window_s};
};

/// Energy metrics whose targets are stated for long outputs (O >= 256):
/// `--score-min-output` applies to these only.
bool long_output_metric(const std::string& m) {
  const auto k = fit::classify_energy_metric(m);
  return k == fit::energy_metric::decode_power || k == fit::energy_metric::total_energy;
}

/// The energy metrics to report: --metric's energy names, else every energy
/// metric in the rows (in order of first appearance).
std::vector<std::string> energy_metrics_of(const runs_args& a, const std::vector<io::run_measurement>& rows) {
  std::vector<std::string> out;
  if (!a.metrics.empty()) {
    for (const auto& m : a.metrics)
      if (fit::classify_energy_metric(m) != fit::energy_metric::none) out.push_back(m);
    return out;
  }
  for (const auto& r : rows)
    if (fit::classify_energy_metric(r.metric) != fit::energy_metric::none &&
        std::find(out.begin(), out.end(), r.metric) == out.end())
      out.push_back(r.metric);
  return out;
}

/// Energy statistics: the metrics of `metrics` that `long_output_metric` names
/// scored on O >= `score_min_output`, the others on all rows.
std::vector<fit::metric_stats> energy_stats_split(const std::vector<io::run_measurement>& rows,
                                                  const fit::case_resolver& rc, const device_spec& d,
                                                  const runtime_spec& r, const power_sensor& sensor,
                                                  const runs_args& a, const std::vector<std::string>& metrics,
                                                  std::vector<fit::row_prediction>* predictions) {
  std::vector<fit::metric_stats> out;
  for (const bool long_only : {true, false}) {
    fit::energy_fit_options o{};
    o.exclude = a.exclude;
    o.min_window_s = a.min_window_s;
    o.score_min_output = long_only ? a.score_min_output : 0;
    o.metrics.clear();
    for (const auto& m : metrics)
      if (long_output_metric(m) == long_only) o.metrics.push_back(m);
    if (o.metrics.empty()) continue;
    for (auto& s : fit::energy_stats(rows, rc, d, r, sensor, o, predictions)) out.push_back(s);
  }
  return out;
}

fit::case_resolver make_resolver(spec_cache& cache) {
  fit::case_resolver r;
  r.model = [&cache](const io::run_measurement& row) { return cache.model(row.model).spec; };
  r.quant = [&cache](const io::run_measurement& row) {
    if (row.quant.empty()) {  // an unquantized config.json names its dtype
      const auto& m = cache.model(row.model);
      if (m.config_quant) return *m.config_quant;
    }
    auto q = find_quant(row.quant);
    if (!q) throw cli_error(row.where + ": " + q.error_value().message);
    return *q;
  };
  return r;
}

/// Fit options from the command line. Without --metric, `validate` reports
/// every latency metric in the rows and `fit` uses the library's default set.
fit::latency_fit_options make_options(const runs_args& a, const std::vector<io::run_measurement>& rows,
                                      bool all_metrics) {
  fit::latency_fit_options opt{};
  opt.exclude = a.exclude;
  if (a.documented_start) opt.start = fit::agx_orin_vllm_start();
  if (!a.metrics.empty()) {
    opt.metrics.clear();
    for (const auto& m : a.metrics) {
      if (fit::classify_metric(m) != fit::latency_metric::none) {
        opt.metrics.push_back(m);
      } else if (!all_metrics || fit::classify_energy_metric(m) == fit::energy_metric::none) {
        throw usage_error("--metric: '" + m + "' is not a latency metric (ttft_s, decode_s, "
                          "tts_decode_s, tts_total_s, total_s)" +
                          (all_metrics ? " nor an energy metric (decode_avg_power_w, "
                                         "total_energy_gpu_soc_j, prefill_avg_power_w, "
                                         "prefill_energy_gpu_soc_j, tts_avg_power_w, "
                                         "tts_energy_gpu_soc_j)"
                                       : ""));
      }
    }
    if (opt.metrics.empty() && !all_metrics) throw usage_error("--metric: no latency metric named");
  } else if (all_metrics) {
    opt.metrics.clear();
    for (const auto& r : rows)
      if (fit::classify_metric(r.metric) != fit::latency_metric::none &&
          std::find(opt.metrics.begin(), opt.metrics.end(), r.metric) == opt.metrics.end())
        opt.metrics.push_back(r.metric);
  }
  return opt;
}

/// "file:line" → the case of that row ("I=2561 O=1 N=1, line 42").
std::string describe_row(const std::vector<io::run_measurement>& rows, const std::string& where) {
  for (const auto& r : rows)
    if (r.where == where)
      return fmt::format("I={} O={} b={} n={} (line {})", r.input_tokens, r.output_tokens, r.batch,
                         r.samples, where.substr(where.rfind(':') + 1));
  return where;
}

/// One Markdown row per metric, in the order of `metrics`.
void print_stats_table(const std::string& dataset, const device_spec& d, const runtime_spec& r,
                       const std::vector<fit::metric_stats>& stats,
                       const std::vector<io::run_measurement>& rows,
                       const std::vector<std::string>& metrics) {
  for (const auto& name : metrics)
    for (const auto& s : stats)
      if (s.metric == name)
        fmt::print("| {} | {} | {} | {} | {} | {:.1f} % | {:.1f} % | {} |\n", dataset, d.id.view(),
               r.id.view(), s.metric, s.n, 100.0 * s.mape, 100.0 * s.worst,
               describe_row(rows, s.worst_where));
}

/// The (device, runtime) pairs the rows name, restricted to the ones asked for.
std::vector<std::pair<std::string, std::string>> pairs_of(const std::vector<io::run_measurement>& rows,
                                                          spec_cache& cache, const runs_args& a) {
  const std::string want_d = a.device.empty() ? "" : std::string(cache.device(a.device).id.view());
  const std::string want_r = a.runtime.empty() ? "" : std::string(cache.runtime(a.runtime).id.view());
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : rows) {
    if ((!want_d.empty() && r.device != want_d) || (!want_r.empty() && r.runtime != want_r)) continue;
    const std::pair<std::string, std::string> p{r.device, r.runtime};
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  }
  if (out.empty())
    throw cli_error(a.runs + ": no rows for device '" + (want_d.empty() ? "*" : want_d) +
                    "' and runtime '" + (want_r.empty() ? "*" : want_r) + "'");
  return out;
}

int run_validate(const runs_args& a) {
  if (a.score_min_output < 0) throw usage_error("--score-min-output: expected >= 0");
  const auto rows = io::load_runs(a.runs);
  spec_cache cache;
  const auto resolver = make_resolver(cache);
  const auto opt = make_options(a, rows, true);
  const auto emetrics = energy_metrics_of(a, rows);
  const std::string dataset = std::filesystem::path(a.runs).stem().string();
  std::vector<fit::row_prediction> predictions;
  fmt::print("| data set | device | runtime | metric | n | MAPE | worst | worst case |\n");
  fmt::print("|---|---|---|---|---:|---:|---:|---|\n");
  std::vector<std::string> ramps;
  for (const auto& [dev_id, rt_id] : pairs_of(rows, cache, a)) {
    const device_spec& d = cache.device(a.device.empty() ? dev_id : a.device);
    const runtime_spec& r = cache.runtime(a.runtime.empty() ? rt_id : a.runtime);
    const auto stats = fit::latency_stats(rows, resolver, d, r, opt, &predictions);
    print_stats_table(dataset, d, r, stats, rows, opt.metrics);
    if (emetrics.empty()) continue;
    const power_sensor sensor{d.sensor_ramp_s.value};
    const auto estats = energy_stats_split(rows, resolver, d, r, sensor, a, emetrics, &predictions);
    print_stats_table(dataset, d, r, estats, rows, emetrics);
    ramps.push_back(fmt::format("{} {:g} s", d.id.view(), sensor.ramp_s));
  }
  if (!emetrics.empty()) {
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
  if (!a.exclude.empty()) {
    std::string ex;
    for (const auto& x : a.exclude) ex += (ex.empty() ? "" : ", ") + x;
    fmt::print("\nexcluded: {}\n", ex);
  }
  if (!a.predictions.empty()) {
    std::ofstream f(a.predictions);
    if (!f) throw io::io_error(a.predictions, "", "cannot open file for writing");
    f << "where,model,device,mode,runtime,quant,batch,samples,input_tokens,output_tokens,metric,"
         "measured,predicted,rel_error,excluded\n";
    for (const auto& p : predictions) {
      const auto& w = *p.row;
      f << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_escape(w.where),
                       csv_escape(w.model), csv_escape(w.device), csv_escape(w.mode),
                       csv_escape(w.runtime), csv_escape(w.quant), w.batch, w.samples,
                       w.input_tokens, w.output_tokens, csv_escape(w.metric), w.value, p.predicted,
                       (p.predicted - w.value) / w.value, p.excluded ? "true" : "false");
    }
    if (!f) throw io::io_error(a.predictions, "", "error while writing");
    fmt::print(stderr, "wrote {} predictions to {}\n", predictions.size(), a.predictions);
  }
  return exit_ok;
}

/// `fit --runs`: fits the latency parameters to measured runs. (Issue 5 adds
/// `fit --measurements calib.json`, a second source dispatched in `run_fit`.)
int run_fit_runs(const runs_args& a) {
  if (a.device.empty() || a.runtime.empty()) throw usage_error("fit --runs: --device and --runtime are required");
  const auto rows = io::load_runs(a.runs);
  spec_cache cache;
  const auto resolver = make_resolver(cache);
  const auto opt = make_options(a, rows, false);
  const device_spec& d = cache.device(a.device);
  const runtime_spec& r = cache.runtime(a.runtime);
  const fit::latency_fit_result f = fit::fit_latency(rows, resolver, d, r, opt);
  // "before": the starting point (the profiles, or the documented start).
  device_spec d0 = d;
  runtime_spec r0 = r;
  fit::apply_params(f.initial, d0, r0, "fit start");
  const auto before = fit::latency_stats(rows, resolver, d0, r0, opt);
  fmt::print("fit of {} / {} to {} ({} iterations, {}converged, cost {:.4g})\n", d.id.view(),
             r.id.view(), a.runs, f.lm.iterations, f.lm.converged ? "" : "NOT ", f.lm.cost);
  fmt::print("method: Levenberg-Marquardt on weighted log residuals with log-normal priors "
             "(fit/latency_fit.hpp); start: {}\n\n",
             a.documented_start ? "documented AGX Orin + vLLM values (fit::agx_orin_vllm_start)"
                                : "the profiles' current values");
  fmt::print("| parameter | initial | fitted | ± 1σ |\n|---|---:|---:|---:|\n");
  const std::map<std::string, std::pair<double, double>> values{
      {"mem_efficiency", {f.initial.mem_efficiency, f.fitted.mem_efficiency}},
      {"tensor_efficiency", {f.initial.tensor_efficiency, f.fitted.tensor_efficiency}},
      {"host_per_step_s", {f.initial.host_per_step_s, f.fitted.host_per_step_s}},
      {"host_per_seq_s", {f.initial.host_per_seq_s, f.fitted.host_per_seq_s}}};
  for (std::size_t i = 0; i < f.names.size(); ++i) {
    const auto [init, fitted] = values.at(f.names[i]);
    const double sigma = i < f.rel_sigma.size() ? f.rel_sigma[i] * fitted : std::nan("");
    fmt::print("| {} | {:.4g} | {:.4g} | {:.2g} |\n", f.names[i], init, fitted, sigma);
  }
  fmt::print("\n| metric | n | MAPE before | MAPE after | worst after | worst case |\n"
             "|---|---:|---:|---:|---:|---|\n");
  for (const auto& name : opt.metrics) {
    const auto it = std::find_if(f.stats.begin(), f.stats.end(),
                                 [&](const fit::metric_stats& s) { return s.metric == name; });
    if (it == f.stats.end()) continue;
    const fit::metric_stats& s = *it;
    double mape_before = std::nan("");
    for (const auto& b : before)
      if (b.metric == s.metric) mape_before = b.mape;
    fmt::print("| {} | {} | {:.1f} % | {:.1f} % | {:.1f} % | {} |\n", s.metric, s.n,
               100.0 * mape_before, 100.0 * s.mape, 100.0 * s.worst,
               describe_row(rows, s.worst_where));
  }
  if (!a.device_out.empty()) {
    io::save_device_profile(f.device, a.device_out);
    fmt::print("\nwrote the fitted device profile to {}\n", a.device_out);
  }
  if (!a.runtime_out.empty()) {
    io::save_runtime_profile(f.runtime, a.runtime_out);
    fmt::print("wrote the fitted runtime profile to {}\n", a.runtime_out);
  }
  return exit_ok;
}

int run_fit(const runs_args& a) {
  if (!a.measurements.empty()) {
    if (!a.runs.empty()) throw usage_error("fit: give either --runs or --measurements, not both");
    return run_fit_measurements(a.measurements, a.base, a.device_out);
  }
  if (!a.runs.empty()) return run_fit_runs(a);
  throw usage_error("fit: give --runs FILE.csv or --measurements FILE.json");
}

/// `fit-energy --runs`: fits the energy coefficients of one power mode
/// (fit/energy_fit.hpp) to the energy rows of the runs; the latency profile
/// must already be fitted (energy = power × the modelled times).
int run_fit_energy(const runs_args& a) {
  if (a.device.empty() || a.runtime.empty())
    throw usage_error("fit-energy: --device and --runtime are required");
  if (a.score_min_output < 0) throw usage_error("--score-min-output: expected >= 0");
  if (!(a.min_window_s >= 0)) throw usage_error("--min-window: expected seconds >= 0");
  const auto rows = io::load_runs(a.runs);
  spec_cache cache;
  const auto resolver = make_resolver(cache);
  const device_spec& d = cache.device(a.device);
  const runtime_spec& r = cache.runtime(a.runtime);
  for (const auto& m : a.metrics)
    if (fit::classify_energy_metric(m) == fit::energy_metric::none)
      throw usage_error("--metric: '" + m + "' is not an energy metric (decode_avg_power_w, "
                        "total_energy_gpu_soc_j, prefill_avg_power_w, prefill_energy_gpu_soc_j, "
                        "tts_avg_power_w, tts_energy_gpu_soc_j)");
  const auto metrics = energy_metrics_of(a, rows);
  if (metrics.empty()) throw cli_error(a.runs + ": no energy metrics to fit");
  // The power mode of the energy rows (the fit takes one mode; fit_energy checks).
  int mode = -1;
  for (const auto& row : rows)
    if (row.device == d.id.view() && row.runtime == r.id.view() &&
        fit::classify_energy_metric(row.metric) != fit::energy_metric::none) {
      mode = find_mode_index(d, row.mode);
      if (mode < 0) throw cli_error(row.where + ": unknown mode '" + row.mode + "' of device '" +
                                    std::string(d.id.view()) + "'");
      break;
    }
  if (mode < 0)
    throw cli_error(a.runs + ": no energy rows for device '" + std::string(d.id.view()) +
                    "' and runtime '" + std::string(r.id.view()) + "'");
  fit::energy_fit_options opt{};
  opt.metrics = metrics;
  opt.exclude = a.exclude;
  opt.min_window_s = a.min_window_s;
  // Start: the documented AGX Orin values, else the profile's current values.
  const auto& pm = d.modes[static_cast<std::size_t>(mode)];
  opt.start = a.documented_start
                  ? fit::agx_orin_energy_start()
                  : fit::energy_params{pm.static_power_w.value, d.pj_per_flop_tensor.value,
                                       d.pj_per_byte_dram.value, d.host_active_power_w.value,
                                       d.sensor_ramp_s.value > 0 ? d.sensor_ramp_s.value
                                                                 : fit::energy_params{}.sensor_ramp_s};
  const fit::energy_fit_result f = fit::fit_energy(rows, resolver, d, r, opt);
  const device_spec& fitted = f.device;  // carries the fitted sensor ramp too
  device_spec initial = d;
  fit::apply_energy(f.initial, initial, mode, "fit start");
  fmt::print("energy fit of {} ({}) / {} to {} ({} iterations, {}converged, cost {:.4g})\n",
             d.id.view(), pm.name.view(), r.id.view(), a.runs, f.lm.iterations,
             f.lm.converged ? "" : "NOT ", f.lm.cost);
  fmt::print("method: Levenberg-Marquardt on weighted log residuals with log-normal priors, "
             "predictions through the sampled-sensor model (fit/energy_fit.hpp); start: {}\n\n",
             a.documented_start ? "documented AGX Orin values (fit::agx_orin_energy_start)"
                                : "the profile's current values");
  fmt::print("| parameter | initial | fitted | ± 1σ |\n|---|---:|---:|---:|\n");
  const auto as_vector = [](const fit::energy_params& p) {
    return std::vector<double>{p.static_power_w, p.pj_per_flop_tensor, p.pj_per_byte_dram,
                               p.host_active_power_w, p.sensor_ramp_s};
  };
  const auto init = as_vector(f.initial), fitv = as_vector(f.fitted);
  for (std::size_t i = 0; i < f.names.size() && i < fitv.size(); ++i) {
    const double sigma = i < f.rel_sigma.size() ? f.rel_sigma[i] * fitv[i] : std::nan("");
    fmt::print("| {} | {:.4g} | {:.4g} | {:.2g} |\n", f.names[i], init[i], fitv[i], sigma);
  }
  runs_args all = a;
  all.score_min_output = 0;
  const auto before = energy_stats_split(rows, resolver, initial, r, power_sensor{f.initial.sensor_ramp_s},
                                         all, metrics, nullptr);
  const power_sensor sensor{f.fitted.sensor_ramp_s};
  const auto after = energy_stats_split(rows, resolver, fitted, r, sensor, all, metrics, nullptr);
  fmt::print("\nresiduals on every fitted row (windows >= {:g} s)\n\n", a.min_window_s);
  fmt::print("| metric | n | MAPE before | MAPE after | worst after | worst case |\n"
             "|---|---:|---:|---:|---:|---|\n");
  for (const auto& name : metrics)
    for (const auto& s : after) {
      if (s.metric != name) continue;
      double mape_before = std::nan("");
      for (const auto& b : before)
        if (b.metric == s.metric) mape_before = b.mape;
      fmt::print("| {} | {} | {:.1f} % | {:.1f} % | {:.1f} % | {} |\n", s.metric, s.n,
                 100.0 * mape_before, 100.0 * s.mape, 100.0 * s.worst,
                 describe_row(rows, s.worst_where));
    }
  if (a.score_min_output > 0) {
    const auto scored = energy_stats_split(rows, resolver, fitted, r, sensor, a, metrics, nullptr);
    fmt::print("\nscored subset: decode_avg_power_w and total_energy_gpu_soc_j on O >= {}, the "
               "other metrics on all their rows\n\n| metric | n | MAPE | worst | worst case |\n"
               "|---|---:|---:|---:|---|\n",
               a.score_min_output);
    for (const auto& name : metrics)
      for (const auto& s : scored)
        if (s.metric == name)
          fmt::print("| {} | {} | {:.1f} % | {:.1f} % | {} |\n", s.metric, s.n, 100.0 * s.mape,
                     100.0 * s.worst, describe_row(rows, s.worst_where));
  }
  if (!a.exclude.empty()) {
    std::string ex;
    for (const auto& x : a.exclude) ex += (ex.empty() ? "" : ", ") + x;
    fmt::print("\nexcluded: {}\n", ex);
  }
  if (!a.device_out.empty()) {
    io::save_device_profile(fitted, a.device_out);
    fmt::print("\nwrote the fitted device profile to {}\n", a.device_out);
  }
  return exit_ok;
}

// ---- list -----------------------------------------------------------------------------------

int run_list(const std::string& what, const std::string& device) {
  if (what == "models") {
    fmt::print("{:<22} {:<12} {:>6} {:>6} {:>8} {:>10}\n", "id", "family", "layers", "hidden",
               "heads", "params");
    for (const model_spec& m : model_catalog())
      fmt::print("{:<22} {:<12} {:>6} {:>6} {:>8} {:>9.2f}B\n", m.id.view(), m.family.view(),
                 m.layers, m.hidden, fmt::format("{}/{}", m.heads, m.kv_heads),
                 static_cast<double>(count_params(m).total) / 1e9);
  } else if (what == "quants") {
    fmt::print("{:<12} {:<20} {}\n", "id", "compute path", "activations");
    for (const quant_spec& q : quant_catalog())
      fmt::print("{:<12} {:<20} {}\n", q.id.view(), to_string(q.path), to_string(q.activation));
  } else if (what == "devices") {
    fmt::print("{:<16} {:<13} {:>5} {:>10}  {}\n", "id", "kind", "SMs", "memory", "modes");
    for (const device_spec& d : device_catalog()) {
      std::string modes;
      for (int i = 0; i < d.mode_count; ++i)
        modes += (i ? ", " : "") + std::string(d.modes[static_cast<std::size_t>(i)].name.view());
      fmt::print("{:<16} {:<13} {:>5} {:>10}  {}\n", d.id.view(), to_string(d.kind),
                 d.sm_count.value, format_memory(d.memory_bytes.value), modes);
    }
  } else if (what == "runtimes") {
    fmt::print("{:<10} {:<13} {:<14} {}\n", "id", "attention", "decode graphs", "backends");
    for (const runtime_spec& r : runtime_catalog())
      fmt::print("{:<10} {:<13} {:<14} {}\n", r.id.view(), to_string(r.attention),
                 r.graphs_decode ? "yes" : "no",
                 r.gpu_backend && r.cpu_backend ? "gpu, cpu" : (r.cpu_backend ? "cpu" : "gpu"));
  } else {  // modes
    if (device.empty()) throw usage_error("list modes: --device is required");
    spec_cache cache;
    const device_spec& d = cache.device(device);
    fmt::print("{:<12} {:>9} {:>9} {:>5} {:>9} {:>8}\n", "mode", "GPU MHz", "EMC MHz", "SMs",
               "CPU cores", "cap W");
    for (int i = 0; i < d.mode_count; ++i) {
      const power_mode& m = d.modes[static_cast<std::size_t>(i)];
      fmt::print("{:<12} {:>9.0f} {:>9.0f} {:>5} {:>9} {:>8}{}\n", m.name.view(),
                 m.gpu_clock_hz.value / 1e6, m.emc_clock_hz.value / 1e6, m.active_sms.value,
                 m.cpu_cores.value,
                 m.power_cap_w.value > 0 ? fmt::format("{:g}", m.power_cap_w.value) : "-", i == 0 ? "  (default)" : "");
    }
  }
  return exit_ok;
}

// ---- plan and pareto -------------------------------------------------------------------------

struct plan_cmd_args {
  plan_args p;
  double latency_budget_s{0}, energy_budget_j{0}, memory_budget_bytes{0};
  std::size_t runners_up{4};
  bool all{false};   ///< pareto: every evaluated point, not only the frontier
  bool time{false};  ///< plan: time enumerate_plans (configurations per second)
};

/// Adds the options shared by `plan` and `pareto` (plan_common.hpp has the defaults).
void add_plan_options(CLI::App& app, plan_args& a) {
  app.add_option("--device", a.device, "device catalog id or profile JSON")->required();
  app.add_option("--mode", a.mode, "only this power mode (default: every mode of the device)");
  app.add_option("--accuracy", a.accuracy,
                 "accuracy CSV (model,benchmark,mode,budget,samples,accuracy,source); its rows "
                 "replace or extend the built-in published table");
  app.add_option("--benchmark", a.benchmark, "benchmark of the accuracy cells")->capture_default_str();
  app.add_option("--models", a.models,
                 "model ids or config paths, comma-separated (default: the models of the accuracy "
                 "table on the benchmark that are in the catalog)");
  app.add_option("--quants", a.quants, "quant ids, comma-separated")->capture_default_str();
  app.add_option("--samples", a.samples, "parallel sample counts, comma-separated (1..64)")->capture_default_str();
  app.add_option("--budgets", a.budgets,
                 "reasoning token budgets: none, N (generation cut at N) or Nnc (budget in the "
                 "prompt only); no-reasoning and direct answers are always added")
      ->capture_default_str();
  app.add_option("--runtime", a.runtime, "runtime catalog id or profile JSON")->capture_default_str();
  app.add_option("--input", a.input, "prompt tokens I (MMLU-Redux mean: 169.6)")->capture_default_str();
  app.add_option("--length-cv", a.length_cv, "assumed coefficient of variation of the output length")
      ->capture_default_str();
  app.add_option("--vote-options", a.vote_options,
                 "answer options of the vote over n samples (2: binary majority, conservative; "
                 "4: MMLU's choices with wrong answers spread evenly, optimistic)")
      ->capture_default_str();
}

int run_plan(const CLI::App& sub, const plan_cmd_args& a) {
  plan_budget b{};
  if (!(a.latency_budget_s > 0) || !std::isfinite(a.latency_budget_s))
    throw usage_error(fmt::format("--latency-budget {:g}: expected seconds > 0", a.latency_budget_s));
  b.latency_s = a.latency_budget_s;
  if (sub.count("--energy-budget") > 0) {
    if (!(a.energy_budget_j > 0) || !std::isfinite(a.energy_budget_j))
      throw usage_error(fmt::format("--energy-budget {:g}: expected joules > 0", a.energy_budget_j));
    b.energy_j = a.energy_budget_j;
  }
  if (sub.count("--memory-budget") > 0) {
    if (!(a.memory_budget_bytes > 0) || !std::isfinite(a.memory_budget_bytes))
      throw usage_error(fmt::format("--memory-budget {:g}: expected bytes > 0", a.memory_budget_bytes));
    b.memory_bytes = a.memory_budget_bytes;
  }
  spec_cache cache;
  const plan_request req = make_plan_request(cache, a.p);
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<plan_point> pts = enumerate_plans(req);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::size_t runs = 1;
  if (a.time)  // repeat for at least a second of wall time
    for (; seconds < 1.0; ++runs) {
      const auto t = std::chrono::steady_clock::now();
      const std::vector<plan_point> again = enumerate_plans(req);
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
      if (again.size() != pts.size()) throw cli_error("enumerate_plans is not deterministic");
    }
  auto choice = plan(pts, b, a.runners_up);
  if (!choice) throw usage_error(choice.error_value().message);
  std::vector<std::string> mode_names;
  for (const plan_point& p : pts)
    if (std::find(mode_names.begin(), mode_names.end(), p.power_mode) == mode_names.end())
      mode_names.push_back(p.power_mode);
  std::string modes;
  for (const std::string& m : mode_names) modes += (modes.empty() ? "" : ", ") + m;
  fmt::print("plan for {} ({}) · {} · {} · I = {} · length CV {:g} · vote over {} options\n",
             req.devices.front().id.view(), modes, req.runtime.id.view(), req.benchmark, req.input_tokens,
             req.length_cv, req.vote_options);
  fmt::print("{}", format_plan(pts, *choice, b));
  if (a.time)
    fmt::print("\ntiming: enumerate_plans evaluated {} configurations {} times in {:.3f} s: {:.0f} configurations/s "
               "({:.1f} ms per plan space)\n",
               pts.size(), runs, seconds, static_cast<double>(pts.size() * runs) / seconds, 1e3 * seconds / runs);
  return exit_ok;
}

int run_pareto(const plan_cmd_args& a) {
  spec_cache cache;
  const plan_request req = make_plan_request(cache, a.p);
  const std::vector<plan_point> pts = enumerate_plans(req);
  fmt::print("{}\n", plan_csv_header());
  if (a.all) {
    for (const plan_point& p : pts) fmt::print("{}\n", plan_csv_row(p));
  } else {
    std::vector<std::size_t> front = plan_frontier(pts);
    std::sort(front.begin(), front.end(),
              [&](std::size_t x, std::size_t y) { return pts[x].latency_s < pts[y].latency_s; });
    for (std::size_t i : front) fmt::print("{}\n", plan_csv_row(pts[i]));
  }
  return exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"edgeperf: predicts LLM inference latency, energy and memory on edge GPUs"};
  app.require_subcommand(1);
  app.footer("Exit status: 0 ok, 1 bad input or a failed case, 2 bad command line.");

  estimate_args est;
  CLI::App* estimate = app.add_subcommand("estimate", "estimate one case, or every row of a cases CSV");
  add_case_options(*estimate, est.c, false);
  estimate->add_option("--cases", est.cases,
                       "CSV with columns id,model,device,mode,runtime,quant,kv_dtype,batch,"
                       "samples,input_tokens,output_tokens (header row, any order)");
  estimate->add_option("--format", est.format, "table (one case, default), csv (--cases default), json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  estimate->add_flag("--best-mode", est.best_mode,
                     "compare every power mode of the device and pick the lowest J/token "
                     "(accelerator rail) meeting --tpot-limit; csv/json: one row per mode with `best`");
  estimate->add_option("--tpot-limit", est.tpot_limit_s,
                       "TPOT limit for --best-mode, seconds (default 0: no limit)");
  add_cost_options(*estimate, est.cost);

  sweep_args sw;
  CLI::App* sweep = app.add_subcommand(
      "sweep", "cartesian product of lists (a,b,c) or ranges (a:b:step, a:b*factor); CSV out");
  sweep->add_option("--model", sw.model, "model ids or config paths");
  sweep->add_option("--device", sw.device, "device ids or profile paths");
  sweep->add_option("--mode", sw.mode, "power modes (empty: each device's default)");
  sweep->add_option("--runtime", sw.runtime, "runtime ids or profile paths");
  sweep->add_option("--quant", sw.quant, "quant ids");
  sweep->add_option("--kv-dtype", sw.kv_dtype, "KV dtypes (empty: the runtime's)");
  sweep->add_option("--batch", sw.batch, "batch sizes")->capture_default_str();
  sweep->add_option("--samples", sw.samples, "parallel samples")->capture_default_str();
  sweep->add_option("--input", sw.input, "prompt lengths, e.g. 128:4096*2");
  sweep->add_option("--output", sw.output, "output lengths, e.g. 256,1024");
  sweep->add_option("--format", sw.format, "csv or json")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  add_cost_options(*sweep, sw.cost);

  runs_args va, fa, fe;
  CLI::App* validate = app.add_subcommand(
      "validate", "MAPE and worst case of the profiles against measured runs (Markdown table)");
  validate->add_option("--runs", va.runs, "runs CSV (model,device,mode,runtime,quant,batch,"
                                          "samples,input_tokens,output_tokens,metric,value,unit)")
      ->required();
  validate->add_option("--device", va.device, "only this device (id or profile JSON)");
  validate->add_option("--runtime", va.runtime, "only this runtime (id or profile JSON)");
  validate->add_option("--exclude", va.exclude, "leave out metric@input_tokens (repeatable)");
  validate->add_option("--metric", va.metrics,
                       "only these metrics (default: every latency and energy metric in the rows)");
  validate->add_option("--predictions", va.predictions, "write measured vs predicted per row to this CSV");
  validate->add_option("--score-min-output", va.score_min_output,
                       "score the energy metrics decode_avg_power_w and total_energy_gpu_soc_j on "
                       "rows with output_tokens >= N only (the issue's targets use 256); latency "
                       "and the other energy metrics are scored on all their rows")
      ->capture_default_str();
  validate->add_option("--min-window", va.min_window_s,
                       "energy rows whose measured window is shorter than this (s) are left out "
                       "as sampling artefacts")
      ->capture_default_str();

  CLI::App* fitcmd = app.add_subcommand("fit", "fit the device and runtime latency parameters");
  // Sources of a fit: --runs (measured requests). Issue 5 adds --measurements
  // (calibration JSON) beside it, dispatched in run_fit.
  fitcmd->add_option("--runs", fa.runs, "runs CSV to fit the latency parameters to");
  fitcmd->add_option("--measurements", fa.measurements,
                     "calibration measurements JSON (edgeperf_calibrate) to fit a device profile to");
  fitcmd->add_option("--base", fa.base,
                     "with --measurements: catalog id or profile JSON to start from "
                     "(default: a profile built from the measured device properties)");
  fitcmd->add_option("--device", fa.device, "with --runs: device id or profile JSON to start from");
  fitcmd->add_option("--runtime", fa.runtime, "with --runs: runtime id or profile JSON to start from");
  fitcmd->add_option("--exclude", fa.exclude, "leave out metric@input_tokens (repeatable)");
  fitcmd->add_option("--metric", fa.metrics, "fit only these metrics");
  fitcmd->add_option("-o,--device-out", fa.device_out, "write the fitted device profile here");
  fitcmd->add_option("--runtime-out", fa.runtime_out, "write the fitted runtime profile here");
  fitcmd->add_flag("--documented-start", fa.documented_start,
                   "start (and centre the priors) at the documented AGX Orin + vLLM values "
                   "(fit::agx_orin_vllm_start) instead of the profiles' current values: "
                   "reproduces the catalog fit");

  CLI::App* fitenergy = app.add_subcommand(
      "fit-energy", "fit the energy coefficients of one power mode (idle power, pJ/FLOP, pJ/byte, "
                    "host-work power, sensor ramp) to measured power and energy rows");
  fitenergy->add_option("--runs", fe.runs, "runs CSV to fit to")->required();
  fitenergy->add_option("--device", fe.device, "device id or profile JSON (latency already fitted)")
      ->required();
  fitenergy->add_option("--runtime", fe.runtime, "runtime id or profile JSON")->required();
  fitenergy->add_option("--exclude", fe.exclude, "leave out metric@input_tokens (repeatable)");
  fitenergy->add_option("--metric", fe.metrics, "fit only these energy metrics (default: all in the rows)");
  fitenergy->add_option("--min-window", fe.min_window_s,
                        "leave out rows whose measured window is shorter than this (s)")
      ->capture_default_str();
  fitenergy->add_option("--score-min-output", fe.score_min_output,
                        "also report decode_avg_power_w and total_energy_gpu_soc_j on rows with "
                        "output_tokens >= N (the issue's targets use 256)");
  fitenergy->add_flag("--documented-start", fe.documented_start,
                      "start at the documented AGX Orin values (fit::agx_orin_energy_start) "
                      "instead of the profile's: reproduces the catalog fit");
  fitenergy->add_option("-o,--device-out", fe.device_out, "write the fitted device profile here");

  std::string list_what, list_device;
  CLI::App* list = app.add_subcommand("list", "list catalog ids");
  list->add_option("what", list_what, "models, quants, devices, runtimes or modes")
      ->required()
      ->check(CLI::IsMember({"models", "quants", "devices", "runtimes", "modes"}));
  list->add_option("--device", list_device, "device whose modes to list");

  plan_cmd_args pl, pa;
  CLI::App* plancmd = app.add_subcommand(
      "plan", "the most accurate configuration (model, answer mode, token budget, quant, samples, "
              "power mode) within a latency / energy / memory budget, with the runners-up");
  add_plan_options(*plancmd, pl.p);
  plancmd->add_option("--latency-budget", pl.latency_budget_s, "expected latency budget, seconds")->required();
  plancmd->add_option("--energy-budget", pl.energy_budget_j, "expected energy budget (accelerator rail), joules");
  plancmd->add_option("--memory-budget", pl.memory_budget_bytes, "memory budget, bytes");
  plancmd->add_option("--runners-up", pl.runners_up, "how many runners-up to list")->capture_default_str();
  plancmd->add_flag("--time", pl.time,
                    "also time enumerate_plans (repeated for >= 1 s) and print configurations per second");
  CLI::App* paretocmd = app.add_subcommand(
      "pareto", "the exact Pareto frontier (latency, energy, accuracy, memory) of the usable "
                "configurations as CSV, fastest first");
  add_plan_options(*paretocmd, pa.p);
  paretocmd->add_flag("--all", pa.all, "write every evaluated configuration (usable or not), not only the frontier");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? exit_ok : exit_usage;
  }
  try {
    if (estimate->parsed()) return run_estimate(*estimate, est);
    if (sweep->parsed()) return run_sweep(sw);
    if (validate->parsed()) return run_validate(va);
    if (fitcmd->parsed()) return run_fit(fa);
    if (fitenergy->parsed()) return run_fit_energy(fe);
    if (plancmd->parsed()) return run_plan(*plancmd, pl);
    if (paretocmd->parsed()) return run_pareto(pa);
    return run_list(list_what, list_device);
  } catch (const usage_error& e) {
    fmt::print(stderr, "edgeperf: {}\nRun with --help for more information.\n", e.what());
    return exit_usage;
  } catch (const std::exception& e) {
    fmt::print(stderr, "edgeperf: {}\n", e.what());
    return exit_failed;
  }
}
