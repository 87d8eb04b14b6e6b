// `edgeperf pareto`: the exact Pareto frontier (latency, energy, accuracy,
// memory) of the usable configurations as CSV, fastest first; `--all` writes
// every evaluated configuration (plan/pareto.hpp, report/plan.hpp).

#include <algorithm>
#include <cstddef>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "cli.hpp"
#include "commands.hpp"
#include "edgeperf/plan/pareto.hpp"
#include "edgeperf/plan/planner.hpp"
#include "edgeperf/report/plan.hpp"
#include "plan_options.hpp"

namespace edgeperf::cli {
namespace {

struct pareto_args {
  plan_args p;
  bool all{false};  ///< every evaluated point, not only the frontier
};

int run_pareto(const pareto_args& a) {
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

subcommand add_pareto(CLI::App& app) {
  auto a = std::make_shared<pareto_args>();
  CLI::App* sub = app.add_subcommand("pareto",
                                     "the exact Pareto frontier (latency, energy, accuracy, memory) of the usable "
                                     "configurations as CSV, fastest first");
  add_plan_options(*sub, a->p);
  sub->add_flag("--all", a->all, "write every evaluated configuration (usable or not), not only the frontier");
  return {sub, [a] { return run_pareto(*a); }};
}

}  // namespace edgeperf::cli
