#pragma once
/// @file
/// Reports of a plan (fmt): a plan choice with the numbers behind it, why it
/// was chosen and what more accuracy would cost, the runners-up, and plan
/// points as CSV (SI units). Used by `edgeperf plan` / `edgeperf pareto` and
/// the planning examples; the plans come from plan/planner.hpp.

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "edgeperf/plan/planner.hpp"
#include "edgeperf/report/fields.hpp"
#include "edgeperf/report/table.hpp"

namespace edgeperf {

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

}  // namespace edgeperf
