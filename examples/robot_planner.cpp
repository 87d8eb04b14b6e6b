// The assistive-robot case of docs/planning.md: a robot with a Jetson AGX Orin
// 64GB answers two kinds of requests — an urgent one that must be answered
// within 5 s, and a planning request that may take 60 s. For each, the
// planner (plan/planner.hpp) searches every model of the built-in accuracy
// table that is in the catalog × answer mode (reasoning with no budget, with
// a 128 or 256 token cut or prompt budget, no-reasoning, direct) × BF16 /
// W8A16 / W4A16 × 1, 2, 4, 8 parallel samples × every power mode, and prints
// which configuration it picks and the numbers behind it: expected latency and
// energy from the latency and energy models, the accuracy and its source from
// the table (or the vote over n samples), and the runners-up. Nothing here is
// hard-coded but the scenario: the device, the two budgets and the search space.
//
//   edgeperf_robot_planner [--accuracy FILE.csv] [--length-cv CV] [--vote-options K]

#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "edgeperf/report/plan.hpp"
#include "plan_options.hpp"

using namespace edgeperf;
using namespace edgeperf::cli;

int main(int argc, char** argv) {
  plan_args a;
  a.device = "agx-orin-64gb";
  a.runtime = "vllm";
  a.budgets = "none,128,256,128nc,256nc";
  CLI::App app{"The assistive-robot planning example (docs/planning.md)"};
  app.add_option("--accuracy", a.accuracy, "accuracy CSV over the built-in table");
  app.add_option("--length-cv", a.length_cv, "assumed CV of the output length")->capture_default_str();
  app.add_option("--vote-options", a.vote_options, "answer options of the vote")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  struct request_kind {
    const char* name;
    const char* example;
    double budget_s;
  };
  const std::vector<request_kind> requests{
      {"urgent", "\"Is it safe to put this pan in the microwave?\" while the user waits", 5.0},
      {"planning", "\"Plan tomorrow's medication and meal schedule\" at a calm moment", 60.0},
  };
  try {
    spec_cache cache;
    const plan_request req = make_plan_request(cache, a);
    const std::vector<plan_point> pts = enumerate_plans(req);
    const device_spec& d = req.devices.front();
    std::string modes;
    for (int i = 0; i < d.mode_count; ++i)
      modes += (i ? ", " : "") + std::string(d.modes[static_cast<std::size_t>(i)].name.view());
    std::string models;
    for (const model_spec& m : req.models) models += (models.empty() ? "" : ", ") + std::string(m.id.view());
    fmt::print("Assistive robot on {} ({} runtime), {} questions, I = {} prompt tokens\n", d.id.view(),
               req.runtime.id.view(), req.benchmark, req.input_tokens);
    fmt::print("search space: {} models ({}) × {} answer modes × {} quants × samples {{{}}} × {} power modes ({})\n",
               req.models.size(), models, req.answer_modes.size(), req.quants.size(), a.samples, d.mode_count,
               modes);
    fmt::print("output length per sample: lognormal, CV {:g} (assumed), mean = the published mean for the "
               "model and mode; n samples: the latency of the longest, the vote over {} options when the "
               "table has only the 1-sample accuracy\n",
               req.length_cv, req.vote_options);
    for (const request_kind& r : requests) {
      fmt::print("\n== {} request: {}, budget {:g} s ==\n", r.name, r.example, r.budget_s);
      const auto choice = plan(pts, plan_budget{r.budget_s});
      if (!choice) throw cli_error(choice.error_value().message);
      fmt::print("{}", format_plan(pts, *choice, plan_budget{r.budget_s}));
    }
    const std::vector<std::size_t> front = plan_frontier(pts);
    std::size_t usable = 0;
    for (const plan_point& p : pts) usable += p.usable ? 1 : 0;
    fmt::print("\nPareto frontier (latency, energy, accuracy, memory): {} of the {} usable configurations; "
               "`edgeperf pareto --device {}` writes it as CSV.\n",
               front.size(), usable, d.id.view());
  } catch (const std::exception& e) {
    fmt::print(stderr, "edgeperf_robot_planner: {}\n", e.what());
    return exit_failed;
  }
  return exit_ok;
}
