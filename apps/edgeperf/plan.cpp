// `edgeperf plan`: the most accurate configuration (model, answer mode, token
// budget, quant, samples, power mode) within a latency / energy / memory
// budget, with the numbers behind it and the runners-up (plan/planner.hpp,
// report/plan.hpp; docs/planning.md). Exit 0 also when nothing fits.

#include <limits>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli.hpp"
#include "commands.hpp"
#include "edgeperf/plan/planner.hpp"
#include "edgeperf/report/plan.hpp"
#include "plan_options.hpp"

namespace edgeperf::cli {
namespace {

struct plan_cmd_args {
  plan_args p;
  double latency_budget_s{0}, energy_budget_j{0}, memory_budget_bytes{0};
  std::size_t runners_up{4};
  bool time{false};  ///< time enumerate_plans (configurations per second)
};

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

}  // namespace

subcommand add_plan(CLI::App& app) {
  auto a = std::make_shared<plan_cmd_args>();
  CLI::App* sub = app.add_subcommand(
      "plan", "the most accurate configuration (model, answer mode, token budget, quant, samples, "
              "power mode) within a latency / energy / memory budget, with the runners-up");
  add_plan_options(*sub, a->p);
  sub->add_option("--latency-budget", a->latency_budget_s, "expected latency budget, seconds")->required();
  sub->add_option("--energy-budget", a->energy_budget_j, "expected energy budget (accelerator rail), joules");
  sub->add_option("--memory-budget", a->memory_budget_bytes, "memory budget, bytes");
  sub->add_option("--runners-up", a->runners_up, "how many runners-up to list")
      ->transform(decimal_int(0, 1000))
      ->capture_default_str();
  sub->add_flag("--time", a->time,
                "also time enumerate_plans (repeated for >= 1 s) and print configurations per second");
  return {sub, [sub, a] { return run_plan(*sub, *a); }};
}

}  // namespace edgeperf::cli
