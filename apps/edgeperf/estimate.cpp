// `edgeperf estimate`: one case (table, CSV or JSON), every row of a cases
// CSV (`--cases`), or every power mode of one case (`--best-mode`).

#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli.hpp"
#include "commands.hpp"
#include "edgeperf/io/csv.hpp"
#include "edgeperf/plan/power_modes.hpp"
#include "edgeperf/report/fields.hpp"
#include "edgeperf/report/table.hpp"

namespace edgeperf::cli {
namespace {

struct estimate_args {
  case_input c;
  std::string cases;
  std::string format;
  cost_args cost;
  bool best_mode{false};
  double tpot_limit_s{0};
};

int run_cases(const estimate_args& a) {
  const std::string format = a.format.empty() ? "csv" : a.format;
  if (format == "table") throw usage_error("estimate --cases: --format must be csv or json");
  const io::csv_table t = io::read_csv(a.cases);
  io::require_columns(t, {"model", "device", "runtime", "quant", "input_tokens", "output_tokens"});
  spec_cache cache{std::filesystem::path(a.cases).parent_path()};
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
      case_description bad{};
      bad.id = c.id;
      bad.model = c.model;
      bad.device = c.device;
      bad.mode = c.mode;
      bad.runtime = c.runtime;
      bad.quant = c.quant;
      out.write(bad, nullptr, parse_error);
      continue;
    }
    case_outcome r = evaluate_case(cache, c, true);
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
  const io::resolved_case rc = resolve_or_throw(cache, a.c);
  std::set<std::string> noted;
  if (a.format.empty() || a.format == "table") print_notes(rc.notes, noted);  // rows print their own
  case_description d = describe(a.c, rc);
  auto choice = best_energy_mode(*rc.model, rc.quant, *rc.device, *rc.runtime, d.load, a.tpot_limit_s);
  if (!choice) throw cli_error(choice.error_value().message);
  // Each mode's full estimate (the same call best_energy_mode makes).
  std::vector<case_outcome> per_mode;
  for (const mode_outcome& m : choice->modes) {
    case_input in = a.c;
    in.mode = m.name;
    per_mode.push_back(evaluate_case(cache, in, true));
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

int run_estimate(const CLI::App& sub, const estimate_args& a) {
  const char* case_opts[] = {"--model", "--device", "--mode",    "--runtime", "--quant",
                             "--kv-dtype", "--batch", "--samples", "--input", "--output"};
  check_cost_args(a.cost);
  if (sub.count("--tpot-limit") > 0 && !a.best_mode) throw usage_error("estimate: --tpot-limit needs --best-mode");
  if (!(a.tpot_limit_s >= 0) || !std::isfinite(a.tpot_limit_s))
    throw usage_error(fmt::format("--tpot-limit {:g}: expected seconds >= 0 (0: no limit)", a.tpot_limit_s));
  if (!a.cases.empty()) {
    for (const char* o : case_opts)
      if (sub.count(o) > 0) throw usage_error(std::string("estimate: ") + o + " cannot be combined with --cases");
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
  const case_outcome r = evaluate_case(cache, a.c, true);
  std::set<std::string> noted;
  print_notes(r.notes, noted);  // loader notes and profile warnings, on stderr
  if (!r.estimate) {
    fmt::print(stderr, "edgeperf estimate: {}\n", r.error);
    return exit_failed;
  }
  const std::optional<cost_breakdown> cost = case_cost(a.cost, r);
  const cost_inputs cost_in = a.cost.for_device(r.device);
  const std::string format = a.format.empty() ? "table" : a.format;
  if (format == "table") {
    table_extras t{};
    t.device = r.device;
    t.cost_in = &cost_in;
    t.cost = cost ? &*cost : nullptr;
    // The ±1σ band (phases/interval.hpp) next to TTFT, decode, total and energy.
    t.interval = r.interval ? &*r.interval : nullptr;
    fmt::print("{}", format_estimate_table(r.desc, *r.estimate, t));
  } else if (format == "json") {
    fmt::print("{}\n", estimate_json(r.desc, *r.estimate, cost ? &*cost : nullptr, &r.notes,
                                      r.interval ? &*r.interval : nullptr));
  } else {
    row_extras x{};
    x.cost = cost ? &*cost : nullptr;
    x.interval = r.interval ? &*r.interval : nullptr;
    fmt::print("{}\n{}\n", csv_header(estimate_columns()),
               csv_row(estimate_columns(), r.desc, r.estimate.get(), r.error, x));
  }
  return exit_ok;
}

}  // namespace

subcommand add_estimate(CLI::App& app) {
  auto a = std::make_shared<estimate_args>();
  CLI::App* sub = app.add_subcommand("estimate", "estimate one case, or every row of a cases CSV");
  add_case_options(*sub, a->c, false);
  sub->add_option("--cases", a->cases,
                  "CSV with columns id,model,device,mode,runtime,quant,kv_dtype,batch,"
                  "samples,input_tokens,output_tokens (header row, any order)");
  sub->add_option("--format", a->format, "table (one case, default), csv (--cases default), json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  sub->add_flag("--best-mode", a->best_mode,
                "compare every power mode of the device and pick the lowest J/token "
                "(accelerator rail) meeting --tpot-limit; csv/json: one row per mode with `best`");
  sub->add_option("--tpot-limit", a->tpot_limit_s, "TPOT limit for --best-mode, seconds (default 0: no limit)");
  add_cost_options(*sub, a->cost);
  return {sub, [sub, a] { return run_estimate(*sub, *a); }};
}

}  // namespace edgeperf::cli
