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
//   edgeperf fit      --measurements FILE.json [--base D] [-o device.json]
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
// W) and US dollars (report/fields.hpp).
//
// One file per subcommand (commands.hpp); each only parses its flags and calls
// the library.

#include <exception>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli.hpp"
#include "commands.hpp"

int main(int argc, char** argv) {
  using namespace edgeperf::cli;
  CLI::App app{"edgeperf: predicts LLM inference latency, energy and memory on edge GPUs"};
  app.require_subcommand(1);
  app.footer("Exit status: 0 ok, 1 bad input or a failed case, 2 bad command line.");
  const std::vector<subcommand> commands{add_estimate(app), add_sweep(app),      add_validate(app),
                                         add_fit(app),      add_fit_energy(app), add_list(app),
                                         add_plan(app),     add_pareto(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? exit_ok : exit_usage;
  }
  try {
    for (const subcommand& c : commands)
      if (c.app->parsed()) return c.run();
    return exit_usage;  // unreachable: require_subcommand(1)
  } catch (const usage_error& e) {
    fmt::print(stderr, "edgeperf: {}\nRun with --help for more information.\n", e.what());
    return exit_usage;
  } catch (const std::exception& e) {
    fmt::print(stderr, "edgeperf: {}\n", e.what());
    return exit_failed;
  }
}
