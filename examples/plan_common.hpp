#pragma once
// Shared by `edgeperf plan` / `edgeperf pareto` (edgeperf.cpp), the robot
// example (robot_planner.cpp) and the plots (plots.cpp): building a
// plan_request (plan/planner.hpp) from command-line style lists, and printing
// a plan choice with the numbers behind it, or the points as CSV.
//
// Defaults (docs/planning.md): the models of the accuracy table that have
// rows on the benchmark and are in the model catalog; quants bf16, w8a16,
// w4a16; samples 1, 2, 4, 8; every power mode of the device; runtime vllm;
// benchmark mmlu-redux; I = 170 (MMLU-Redux mean input 169.6 tokens);
// reasoning with no budget and with 128 and 256 token hard cuts, plus
// no-reasoning and direct answers.

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cli_common.hpp"
#include "edgeperf/io/number.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/plan/planner.hpp"

namespace edgeperf::cli {

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
  std::string cur;
  const auto flush = [&] {
    const auto b = cur.find_first_not_of(" \t");
    if (b != std::string::npos) out.push_back(cur.substr(b, cur.find_last_not_of(" \t") - b + 1));
    cur.clear();
  };
  for (char ch : s) {
    if (ch == ',')
      flush();
    else
      cur += ch;
  }
  flush();
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
  if (!csv.empty()) t = with_overrides(std::move(t), read_accuracy_csv(csv));
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
  for (const std::string& q : split_list(a.quants)) r.quants.push_back(spec_cache::unwrap(find_quant(q)));
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
    const int mi = spec_cache::unwrap(find_mode(d, a.mode));
    r.power_modes = {std::string(d.modes[static_cast<std::size_t>(mi)].name.view())};
  }
  r.runtime = cache.runtime(a.runtime);
  return r;
}

// ---- printing ----------------------------------------------------------------------------

/// "reasoning", "reasoning ≤128 (cut)", "reasoning, budget 128 in the prompt", "direct".
[[nodiscard]] inline std::string answer_name(const plan_point& p) {
  if (!p.budget_tokens) return p.answer;
  if (p.hard_cut) return fmt::format("{} ≤{} (cut)", p.answer, *p.budget_tokens);
  return fmt::format("{}, {} in prompt", p.answer, *p.budget_tokens);
}

/// "dsr1-qwen-14b · no-reasoning · w8a16 · MAXN · 4 samples".
[[nodiscard]] inline std::string config_name(const plan_point& p) {
  return fmt::format("{} · {} · {} · {} · {} sample{}", p.model, answer_name(p), p.quant, p.power_mode, p.samples,
                     p.samples == 1 ? "" : "s");
}

/// "61.7 %" or "missing".
[[nodiscard]] inline std::string accuracy_text(const plan_point& p) {
  return p.accuracy ? fmt::format("{:.1f} %", *p.accuracy * 100) : std::string("missing");
}

/// The numbers behind a choice: the point's estimates and the accuracy source.
[[nodiscard]] inline std::string format_plan_point(const plan_point& p, const std::string& indent) {
  std::string out;
  out += fmt::format("{}expected latency {}, energy {} (accelerator rail), memory {}\n", indent,
                     format_duration(p.latency_s), format_energy(p.energy_j), format_memory(p.memory_bytes));
  out += fmt::format("{}mean output {:.1f} tokens per sample; the latency follows the longest of {}\n", indent,
                     p.mean_output_tokens, p.samples);
  out += fmt::format("{}accuracy {} — {}\n", indent, accuracy_text(p), p.accuracy_source);
  return out;
}

/// The fastest usable point more accurate than `best` (what a larger budget would buy).
[[nodiscard]] inline const plan_point* next_step_up(const std::vector<plan_point>& pts, const plan_point& best) {
  const plan_point* up = nullptr;
  for (const plan_point& p : pts)
    if (p.usable && *p.accuracy > *best.accuracy && (!up || p.latency_s < up->latency_s)) up = &p;
  return up;
}

/// The planner's answer as text: the choice with the numbers behind it and why,
/// the runners-up, and how many configurations were evaluated.
[[nodiscard]] inline std::string format_plan(const std::vector<plan_point>& pts, const plan_choice& c,
                                             const plan_budget& b) {
  std::string out;
  std::string budget = "latency <= " + format_duration(b.latency_s);
  if (b.energy_j) budget += ", energy <= " + format_energy(*b.energy_j);
  if (b.memory_bytes) budget += ", memory <= " + format_memory(*b.memory_bytes);
  std::size_t failed = 0;
  for (const plan_point& p : pts) failed += p.error.empty() ? 0 : 1;
  out += fmt::format("budget: {}\n", budget);
  out += fmt::format("evaluated {} configurations: {} usable, {} missing accuracy, {} not fitting in memory, "
                     "{} not estimated; {} within the budget\n",
                     c.evaluated, c.usable, c.missing_accuracy,
                     std::count_if(pts.begin(), pts.end(), [](const plan_point& p) { return p.error.empty() && !p.fits; }),
                     failed, c.feasible);
  if (!c.best) {
    out += fmt::format("\nnothing fits the budget. {}\n", c.reason);
    return out;
  }
  const plan_point& p = *c.best;
  out += fmt::format("\nchoice: {}\n", config_name(p));
  out += format_plan_point(p, "  ");
  out += fmt::format("  why: {}\n", c.reason);
  if (const plan_point* up = next_step_up(pts, p)) {
    std::string over;
    if (up->latency_s > b.latency_s) over = fmt::format("{} > {}", format_duration(up->latency_s), format_duration(b.latency_s));
    else if (b.energy_j && up->energy_j > *b.energy_j) over = fmt::format("{} > {}", format_energy(up->energy_j), format_energy(*b.energy_j));
    else if (b.memory_bytes) over = fmt::format("{} > {}", format_memory(up->memory_bytes), format_memory(*b.memory_bytes));
    out += fmt::format("  more accuracy costs more: the fastest more accurate option, {} ({}), needs {}\n",
                       config_name(*up), accuracy_text(*up), over);
  } else {
    out += "  no usable configuration is more accurate\n";
  }
  if (!c.runners_up.empty()) {
    out += "\nrunners-up (most accurate first, then fastest):\n";
    out += fmt::format("  {:<62} {:>8} {:>9} {:>9} {:>10}\n", "configuration", "accuracy", "latency", "energy", "memory");
    for (const plan_point& r : c.runners_up)
      out += fmt::format("  {:<62} {:>8} {:>9} {:>9} {:>10}\n", config_name(r), accuracy_text(r),
                         format_duration(r.latency_s), format_energy(r.energy_j), format_memory(r.memory_bytes));
  }
  return out;
}

/// The CSV header of plan points: every field of plan_point, SI units.
[[nodiscard]] inline std::string plan_csv_header() {
  return "model,answer,budget_tokens,hard_cut,quant,device,power_mode,samples,mean_output_tokens,latency_s,"
         "energy_j,memory_bytes,fits,accuracy,accuracy_source,usable,error";
}

/// One plan point as a CSV line (no newline); an absent budget or accuracy is an empty cell.
[[nodiscard]] inline std::string plan_csv_row(const plan_point& p) {
  const auto num = [](double v) { return std::isfinite(v) ? fmt::format("{}", v) : std::string(); };
  return fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}", csv_escape(p.model), csv_escape(p.answer),
                     p.budget_tokens ? std::to_string(*p.budget_tokens) : "", p.hard_cut ? "true" : "false",
                     csv_escape(p.quant), csv_escape(p.device), csv_escape(p.power_mode), p.samples,
                     num(p.mean_output_tokens), num(p.latency_s), num(p.energy_j), num(p.memory_bytes),
                     p.fits ? "true" : "false", p.accuracy ? num(*p.accuracy) : "", csv_escape(p.accuracy_source),
                     p.usable ? "true" : "false", csv_escape(p.error));
}

}  // namespace edgeperf::cli
