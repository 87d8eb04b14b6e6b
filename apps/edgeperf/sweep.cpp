// `edgeperf sweep`: the cartesian product of lists (a,b,c) and ranges
// (a:b:step, a:b*factor) as CSV or JSON rows; the grid is plan/sweep.hpp,
// each description resolved once per list item (io/resolve.hpp). Rows are
// evaluated and formatted on `--threads` threads (plan/sweep.hpp `sweep_map`)
// and written in row order; `--summary` prints counts and ranges instead of
// rows (for grids of 10^7 points and more).

#include <cstdio>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cli.hpp"
#include "commands.hpp"
#include "edgeperf/io/resolve.hpp"
#include "edgeperf/plan/sweep.hpp"
#include "edgeperf/report/fields.hpp"

namespace edgeperf::cli {
namespace {

struct sweep_args {
  std::string model, device, mode, runtime, quant, kv_dtype;
  std::string batch{"1"}, samples{"1"}, input, output;
  std::string format{"csv"};
  unsigned threads{0};
  bool summary{false};
  cost_args cost;
};

/// One axis value from a resolution result.
template <class T, class U>
sweep_value<T> axis_value(const std::string& label, const result<U>& r) {
  if (!r) return sweep_value<T>{label, T{}, r.error_value().message};
  return sweep_value<T>{label, T(*r), {}};
}

/// Counts and ranges of a sweep, without rows: points, estimated, failed,
/// fitting in memory, and the minimum and maximum of total_s, energy_j and
/// output tokens/s over the estimated points.
int sweep_summary(const sweep_grid& g, const sweep_options& opts) {
  struct stat {
    double lo{std::numeric_limits<double>::infinity()}, hi{-std::numeric_limits<double>::infinity()};
    void add(double v) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  };
  struct numbers {
    bool ok{false}, fits{false};
    double total_s{0}, energy_j{0}, tps{0};
  };
  std::size_t points = 0, ok = 0, fits = 0;
  stat total, energy, tps;
  sweep_map(
      g, opts,
      [](const sweep_row& r) {
        if (!r.estimate) return numbers{};
        return numbers{true, r.estimate->memory.fits, r.estimate->total_s, r.estimate->energy_j,
                       r.estimate->output_tokens_per_s};
      },
      [&](numbers&& n) {
        ++points;
        if (!n.ok) return;
        ++ok;
        fits += n.fits ? 1 : 0;
        total.add(n.total_s);
        energy.add(n.energy_j);
        tps.add(n.tps);
      });
  fmt::print("points,{}\nestimated,{}\nfailed,{}\nfits,{}\n", points, ok, points - ok, fits);
  if (ok > 0)
    fmt::print("total_s,{:.6g},{:.6g}\nenergy_j,{:.6g},{:.6g}\noutput_tokens_per_s,{:.6g},{:.6g}\n", total.lo,
               total.hi, energy.lo, energy.hi, tps.lo, tps.hi);
  return ok == points ? exit_ok : exit_failed;
}

int run_sweep(const sweep_args& a) {
  for (const auto& [name, v] : {std::pair{"--model", a.model}, {"--device", a.device}, {"--runtime", a.runtime},
                                {"--quant", a.quant}, {"--input", a.input}, {"--output", a.output}})
    if (v.empty()) throw usage_error(std::string("sweep: ") + name + " is required");
  sweep_grid g;
  g.modes = split(a.mode, ',');
  g.batches = parse_int_list(a.batch, "--batch");
  g.samples = parse_int_list(a.samples, "--samples");
  g.input_tokens = parse_int_list(a.input, "--input");
  g.output_tokens = parse_int_list(a.output, "--output");
  const auto models = split(a.model, ','), devices = split(a.device, ','), runtimes = split(a.runtime, ','),
             quants = split(a.quant, ','), kvs = split(a.kv_dtype, ',');
  const double n = static_cast<double>(models.size() * devices.size() * g.modes.size() * runtimes.size() *
                                       quants.size() * kvs.size()) *
                   static_cast<double>(g.batches.size() * g.samples.size() * g.input_tokens.size() *
                                       g.output_tokens.size());
  // Rows: at most 1e8 (a CSV row is ~0.5 kB); a summary: at most 1e10.
  const double cap = a.summary ? 1e10 : 1e8;
  if (n > cap) throw usage_error(fmt::format("sweep: {:.0f} cases; at most {:.0e}{}", n, cap, a.summary ? "" : " (1e10 with --summary)"));
  check_cost_args(a.cost);
  // Each list item resolved once (io/resolve.hpp); failures become row errors.
  for (const auto& m : models) {
    const auto r = io::resolve_model(m);
    g.models.push_back(r ? sweep_value<sweep_model>{m, sweep_model{r->spec, r->config_quant}, {}}
                         : sweep_value<sweep_model>{m, {}, r.error_value().message});
  }
  for (const auto& q : quants)
    g.quants.push_back(q.empty() ? sweep_value<std::optional<quant_spec>>{q, std::nullopt, {}}
                                 : axis_value<std::optional<quant_spec>>(q, io::resolve_quant(q)));
  for (const auto& d : devices) g.devices.push_back(axis_value<device_spec>(d, io::resolve_device(d)));
  for (const auto& r : runtimes) g.runtimes.push_back(axis_value<runtime_spec>(r, io::resolve_runtime(r)));
  g.kv_dtypes.clear();
  for (const auto& kv : kvs) g.kv_dtypes.push_back(axis_value<std::optional<dtype>>(kv, io::resolve_kv_dtype(kv)));

  const sweep_options opts{a.threads, 0};
  if (a.summary) return sweep_summary(g, opts);
  // Each row is formatted on a worker thread and written here, in order.
  const std::vector<column> cols = sweep_columns();
  const bool json = a.format == "json";
  struct line {
    std::string text;
    bool ok{false};
  };
  std::size_t rows = 0, failed = 0;
  const auto make = [&](const sweep_row& row) {
    case_description d{};
    d.id = std::to_string(row.at.index + 1);
    d.model = g.models[row.at.model].label;
    d.quant = row.quant;
    d.device = g.devices[row.at.device].label;
    d.mode = row.mode;
    d.runtime = g.runtimes[row.at.runtime].label;
    d.load = row.load;
    const request_estimate<double>* e = row.estimate ? &*row.estimate : nullptr;
    const std::optional<cost_breakdown> c = estimate_cost(a.cost, e, row.load, &g.devices[row.at.device].value);
    row_extras x{};
    x.cost = c ? &*c : nullptr;
    return line{json ? json_object(cols, d, e, row.error, x) : csv_row(cols, d, e, row.error, x), e != nullptr};
  };
  const auto emit = [&](line&& l) {
    if (json)
      fmt::print("{}  {}", rows == 0 ? "[\n" : ",\n", l.text);
    else
      fmt::print("{}{}\n", rows == 0 ? csv_header(cols) + "\n" : std::string(), l.text);
    ++rows;
    failed += l.ok ? 0 : 1;
  };
  sweep_map(g, opts, make, emit);
  if (json) fmt::print("{}", rows == 0 ? "[]\n" : "\n]\n");
  if (!json && rows == 0) fmt::print("{}\n", csv_header(cols));
  return failed == 0 ? exit_ok : exit_failed;
}

}  // namespace

subcommand add_sweep(CLI::App& app) {
  auto a = std::make_shared<sweep_args>();
  CLI::App* sub =
      app.add_subcommand("sweep", "cartesian product of lists (a,b,c) or ranges (a:b:step, a:b*factor); CSV out");
  sub->add_option("--model", a->model, "model ids or config paths");
  sub->add_option("--device", a->device, "device ids or profile paths");
  sub->add_option("--mode", a->mode, "power modes (empty: each device's default)");
  sub->add_option("--runtime", a->runtime, "runtime ids or profile paths");
  sub->add_option("--quant", a->quant, "quant ids");
  sub->add_option("--kv-dtype", a->kv_dtype, "KV dtypes (empty: the runtime's)");
  sub->add_option("--batch", a->batch, "batch sizes")->capture_default_str();
  sub->add_option("--samples", a->samples, "parallel samples")->capture_default_str();
  sub->add_option("--input", a->input, "prompt lengths, e.g. 128:4096*2");
  sub->add_option("--output", a->output, "output lengths, e.g. 256,1024");
  sub->add_option("--format", a->format, "csv or json")->check(CLI::IsMember({"csv", "json"}))->capture_default_str();
  sub->add_option("--threads", a->threads, "worker threads (0: every core the grid has work for, one per ~2 ms; 1: serial)")->capture_default_str();
  sub->add_flag("--summary", a->summary,
                "print counts and min/max of total_s, energy_j, output_tokens_per_s instead of rows");
  add_cost_options(*sub, a->cost);
  return {sub, [a] { return run_sweep(*a); }};
}

}  // namespace edgeperf::cli
