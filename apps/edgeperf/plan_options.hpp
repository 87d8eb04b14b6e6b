#pragma once
// The options `plan` and `pareto` share (and the planning examples use):
// parsed into a plan_request (plan/planner.hpp), errors naming the flag.

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/io/accuracy_csv.hpp"
#include "edgeperf/plan/planner.hpp"

namespace edgeperf::cli {

// ---- plan and pareto ------------------------------------------------------------------------------
//
// Defaults (docs/planning.md): the models of the accuracy table that have
// rows on the benchmark and are in the model catalog; quants bf16, w8a16,
// w4a16; samples 1, 2, 4, 8; every power mode of the device; runtime vllm;
// benchmark mmlu-redux; I = 170 (MMLU-Redux mean input 169.6 tokens);
// reasoning with no budget and with 128 and 256 token hard cuts, plus
// no-reasoning and direct answers.

/// The options of `plan` and `pareto`, as given (lists comma-separated).
struct plan_args {
  std::string device;                        ///< catalog id or profile JSON (required)
  std::string mode;                          ///< one power mode; empty = every mode
  std::string accuracy;                      ///< user accuracy CSV, over the built-in table
  std::string benchmark{"mmlu-redux"};
  std::string models;                        ///< empty = the table's models in the catalog
  std::string quants{"bf16,w8a16,w4a16"};
  std::string samples{"1,2,4,8"};
  std::string budgets{"none,128,256"};       ///< reasoning budgets: none, N (hard cut), Nnc (prompt only)
  std::string runtime{"vllm"};
  int input{170};
  double length_cv{1.0};
  unsigned vote_options{2};
  int length_bins{48};
};

/// Items of a comma-separated list, trimmed; empty items dropped.
[[nodiscard]] inline std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  for (std::string& item : split(s, ','))
    if (!item.empty()) out.push_back(std::move(item));
  return out;
}

/// The models of `t` with rows on `benchmark` that are in the model catalog, in table order.
[[nodiscard]] inline std::vector<std::string> default_plan_models(const accuracy_table& t,
                                                                  std::string_view benchmark) {
  std::vector<std::string> out;
  for (const accuracy_row& r : t.rows)
    if (r.key.benchmark == benchmark && find_model_or_null(r.key.model) &&
        std::find(out.begin(), out.end(), r.key.model) == out.end())
      out.push_back(r.key.model);
  return out;
}

/// The answer modes of a budget list: reasoning per budget, then no-reasoning and direct.
[[nodiscard]] inline std::vector<answer_mode> plan_answer_modes(const std::string& budgets) {
  std::vector<answer_mode> out;
  for (const std::string& b : split_list(budgets)) {
    if (b == "none") {
      out.push_back({"reasoning", std::nullopt, true});
      continue;
    }
    const bool nc = b.size() > 2 && (b.compare(b.size() - 2, 2, "nc") == 0 || b.compare(b.size() - 2, 2, "NC") == 0);
    const std::string digits = nc ? b.substr(0, b.size() - 2) : b;
    // Decimal only, range-checked (io/number.hpp).
    const io::parsed_integer p = io::parse_decimal_integer(digits, 1, std::numeric_limits<int>::max());
    const long long v = p.value;
    if (!p)
      throw usage_error("--budgets: expected none, a token count >= 1 (hard cut) or a count with 'nc' "
                        "(prompt budget, no cut), got '" + b + "'");
    out.push_back({"reasoning", v, !nc});
  }
  out.push_back({"no-reasoning", std::nullopt, true});
  out.push_back({"direct", std::nullopt, true});
  return out;
}

/// The accuracy table: the built-in one with the user's CSV rows over it.
[[nodiscard]] inline accuracy_table plan_accuracy_table(const std::string& csv) {
  accuracy_table t = builtin_accuracy_table();
  if (!csv.empty()) t = with_overrides(std::move(t), io::read_accuracy_csv(csv));
  return t;
}

/// Builds the request; throws usage_error (bad lists) or cli_error (unknown ids, bad files).
[[nodiscard]] inline plan_request make_plan_request(spec_cache& cache, const plan_args& a) {
  if (a.device.empty()) throw usage_error("--device is required");
  if (a.input < 1) throw usage_error(fmt::format("--input {}: expected prompt tokens >= 1", a.input));
  if (!(a.length_cv > 0) || !std::isfinite(a.length_cv))
    throw usage_error(fmt::format("--length-cv {:g}: expected a coefficient of variation > 0", a.length_cv));
  if (a.vote_options < 2) throw usage_error(fmt::format("--vote-options {}: expected >= 2", a.vote_options));
  plan_request r;
  r.accuracy = plan_accuracy_table(a.accuracy);
  r.benchmark = a.benchmark;
  r.input_tokens = a.input;
  r.length_cv = a.length_cv;
  r.vote_options = a.vote_options;
  r.length_bins = a.length_bins;
  const std::vector<std::string> models =
      a.models.empty() ? default_plan_models(r.accuracy, a.benchmark) : split_list(a.models);
  if (models.empty())
    throw cli_error("no models to plan with: the accuracy table has no rows on benchmark '" + a.benchmark +
                    "' for a model in the catalog (give --models, or --accuracy with rows for it)");
  for (const std::string& m : models) r.models.push_back(cache.model(m).spec);
  for (const std::string& q : split_list(a.quants)) r.quants.push_back(unwrap(find_quant(q)));
  if (r.quants.empty()) throw usage_error("--quants: no quant given");
  r.samples.clear();  // plan_request's default is {1}
  for (const std::string& s : split_list(a.samples)) {
    const io::parsed_integer p =
        io::parse_decimal_integer(s, 1, static_cast<long long>(max_exact_vote_samples));
    const long long v = p.value;
    if (!p)
      throw usage_error(fmt::format("--samples: expected integers in [1, {}], got '{}'", max_exact_vote_samples, s));
    if (std::find(r.samples.begin(), r.samples.end(), static_cast<unsigned>(v)) == r.samples.end())
      r.samples.push_back(static_cast<unsigned>(v));
  }
  if (r.samples.empty()) throw usage_error("--samples: no sample count given");
  r.answer_modes = plan_answer_modes(a.budgets);
  const device_spec& d = cache.device(a.device);
  r.devices = {d};
  if (!a.mode.empty()) {
    const int mi = unwrap(find_mode(d, a.mode));
    r.power_modes = {std::string(d.modes[static_cast<std::size_t>(mi)].name.view())};
  }
  r.runtime = cache.runtime(a.runtime);
  return r;
}


/// Adds the options shared by `plan` and `pareto`.
inline void add_plan_options(CLI::App& app, plan_args& a) {
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
  app.add_option("--input", a.input, "prompt tokens I (MMLU-Redux mean: 169.6)")
      ->transform(decimal_int(1, std::numeric_limits<int>::max()))
      ->capture_default_str();
  app.add_option("--length-cv", a.length_cv, "assumed coefficient of variation of the output length")
      ->capture_default_str();
  app.add_option("--vote-options", a.vote_options,
                 "answer options of the vote over n samples (2: binary majority, conservative; "
                 "4: MMLU's choices with wrong answers spread evenly, optimistic)")
      ->transform(decimal_int(2, 1000))
      ->capture_default_str();
}

}  // namespace edgeperf::cli
