// `edgeperf list`: the catalog ids (models, quants, devices, runtimes) and
// the power modes of a device.

#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli.hpp"
#include "commands.hpp"
#include "edgeperf/accounting/params.hpp"
#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/report/table.hpp"

namespace edgeperf::cli {
namespace {

struct list_args {
  std::string what, device;
};

int run_list(const std::string& what, const std::string& device) {
  if (what == "models") {
    fmt::print("{:<22} {:<12} {:>6} {:>6} {:>8} {:>10}\n", "id", "family", "layers", "hidden",
               "heads", "params");
    for (const model_spec& m : model_catalog())
      fmt::print("{:<22} {:<12} {:>6} {:>6} {:>8} {:>9.2f}B\n", m.id.view(), m.family.view(),
                 m.layers, m.hidden, fmt::format("{}/{}", m.heads, m.kv_heads),
                 static_cast<double>(count_params(m).total) / 1e9);
  } else if (what == "quants") {
    fmt::print("{:<12} {:<20} {}\n", "id", "compute path", "activations");
    for (const quant_spec& q : quant_catalog())
      fmt::print("{:<12} {:<20} {}\n", q.id.view(), to_string(q.path), to_string(q.activation));
  } else if (what == "devices") {
    fmt::print("{:<16} {:<13} {:>5} {:>10}  {}\n", "id", "kind", "SMs", "memory", "modes");
    for (const device_spec& d : device_catalog()) {
      std::string modes;
      for (int i = 0; i < d.mode_count; ++i)
        modes += (i ? ", " : "") + std::string(d.modes[static_cast<std::size_t>(i)].name.view());
      fmt::print("{:<16} {:<13} {:>5} {:>10}  {}\n", d.id.view(), to_string(d.kind),
                 d.sm_count.value, format_memory(d.memory_bytes.value), modes);
    }
  } else if (what == "runtimes") {
    fmt::print("{:<10} {:<13} {:<14} {}\n", "id", "attention", "decode graphs", "backends");
    for (const runtime_spec& r : runtime_catalog())
      fmt::print("{:<10} {:<13} {:<14} {}\n", r.id.view(), to_string(r.attention),
                 r.graphs_decode ? "yes" : "no",
                 r.gpu_backend && r.cpu_backend ? "gpu, cpu" : (r.cpu_backend ? "cpu" : "gpu"));
  } else {  // modes
    if (device.empty()) throw usage_error("list modes: --device is required");
    spec_cache cache;
    const device_spec& d = cache.device(device);
    fmt::print("{:<12} {:>9} {:>9} {:>5} {:>9} {:>8}\n", "mode", "GPU MHz", "EMC MHz", "SMs",
               "CPU cores", "cap W");
    for (int i = 0; i < d.mode_count; ++i) {
      const power_mode& m = d.modes[static_cast<std::size_t>(i)];
      fmt::print("{:<12} {:>9.0f} {:>9.0f} {:>5} {:>9} {:>8}{}\n", m.name.view(),
                 m.gpu_clock_hz.value / 1e6, m.emc_clock_hz.value / 1e6, m.active_sms.value,
                 m.cpu_cores.value,
                 m.power_cap_w.value > 0 ? fmt::format("{:g}", m.power_cap_w.value) : "-", i == 0 ? "  (default)" : "");
    }
  }
  return exit_ok;
}

}  // namespace

subcommand add_list(CLI::App& app) {
  auto a = std::make_shared<list_args>();
  CLI::App* sub = app.add_subcommand("list", "list catalog ids");
  sub->add_option("what", a->what, "models, quants, devices, runtimes or modes")
      ->required()
      ->check(CLI::IsMember({"models", "quants", "devices", "runtimes", "modes"}));
  sub->add_option("--device", a->device, "device whose modes to list");
  return {sub, [a] { return run_list(a->what, a->device); }};
}

}  // namespace edgeperf::cli
