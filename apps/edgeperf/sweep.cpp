// `edgeperf sweep`: the cartesian product of lists (a,b,c) and ranges
// (a:b:step, a:b*factor) as CSV or JSON rows; the grid is plan/sweep.hpp,
// each description resolved once per list item (io/resolve.hpp).

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
  cost_args cost;
};

/// One axis value from a resolution result.
template <class T, class U>
sweep_value<T> axis_value(const std::string& label, const result<U>& r) {
  if (!r) return sweep_value<T>{label, T{}, r.error_value().message};
  return sweep_value<T>{label, T(*r), {}};
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
  if (n > 1e6) throw usage_error(fmt::format("sweep: {:.0f} cases; at most 1e6", n));
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

  row_writer out(a.format, sweep_columns());
  for_each_case(g, [&](const sweep_row& row) {
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
    out.write(d, e, row.error, x);
  });
  return out.finish();
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
  add_cost_options(*sub, a->cost);
  return {sub, [a] { return run_sweep(*a); }};
}

}  // namespace edgeperf::cli
