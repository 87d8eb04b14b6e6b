// The worked example of docs/energy.md: J/token and $ per 1M tokens for
// DSR1-Qwen-1.5B and DSR1-Qwen-14B (BF16, vLLM) on a Jetson AGX Orin 64GB,
// 512 prompt tokens and 1024 output tokens, in the MAXN and 30W power modes;
// then, per model, the power mode with the lowest J/token under a TPOT limit
// (plan/power_modes.hpp). Prints Markdown tables to paste into docs/energy.md.
// Every number comes from the library (phases/request.hpp, phases/rails.hpp,
// plan/cost.hpp); nothing is quoted.
//
//   edgeperf_energy_report                                  # the example above
//   edgeperf_energy_report --device-price 2000 --life-years 3 --utilization 0.5
//   edgeperf_energy_report --models dsr1-qwen-7b --tpot-limits 0.1 --modes MAXN,50W,30W,15W
//
// Cost: electricity on the module energy at --kwh-price (default $0.15/kWh, the
// rate the EdgeReasoning paper uses); with --device-price (the catalog has no
// prices) a second column adds the price amortized over --life-years at
// --utilization.
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli.hpp"
#include "edgeperf/report/table.hpp"
#include "edgeperf/phases/rails.hpp"
#include "edgeperf/plan/cost.hpp"
#include "edgeperf/plan/power_modes.hpp"

namespace {

using namespace edgeperf;
using namespace edgeperf::cli;

/// Dollars and durations with three significant digits (report/table.hpp).
std::string usd(double v) { return format_usd(v); }
std::string ms(double s) { return format_duration(s); }

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> models{"dsr1-qwen-1.5b", "dsr1-qwen-14b"};
  std::vector<std::string> modes{"MAXN", "30W"};
  std::vector<double> tpot_limits{0.05, 0.25};
  case_input base{};
  base.device = "agx-orin-64gb";
  base.runtime = "vllm";
  base.quant = "bf16";
  base.input_tokens = 512;
  base.output_tokens = 1024;
  cost_inputs cost{};
  CLI::Option* price_opt = nullptr;

  CLI::App app{"edgeperf energy report: J/token and $ per 1M tokens per model and power mode "
               "(Markdown for docs/energy.md)"};
  app.add_option("--models", models, "model ids or config paths")->delimiter(',')->capture_default_str();
  app.add_option("--modes", modes, "power modes to tabulate")->delimiter(',')->capture_default_str();
  app.add_option("--tpot-limits", tpot_limits,
                 "TPOT limit per model for the best-mode choice, seconds (one per model, or one for all)")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--device", base.device, "device id or profile JSON")->capture_default_str();
  app.add_option("--runtime", base.runtime, "runtime id or profile JSON")->capture_default_str();
  app.add_option("--quant", base.quant, "quant id")->capture_default_str();
  app.add_option("--input", base.input_tokens, "prompt tokens I")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--output", base.output_tokens, "output tokens O")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--kwh-price", cost.electricity_usd_per_kwh, "electricity price, $/kWh (module energy)")
      ->capture_default_str();
  price_opt = app.add_option("--device-price", cost.device_price_usd,
                             "example device price, $ (adds an amortized column; the catalog has no prices)");
  app.add_option("--life-years", cost.service_life_years, "service life for the amortization, years")
      ->capture_default_str();
  app.add_option("--utilization", cost.utilization, "fraction of the service life spent generating, (0, 1]")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? exit_ok : exit_usage;
  }
  try {
    check_cost_args(cost_args{cost, nullptr});  // names the flag of a bad value
  } catch (const usage_error& e) {
    fmt::print(stderr, "edgeperf_energy_report: {}\n", e.what());
    return exit_usage;
  }
  if (tpot_limits.size() != 1 && tpot_limits.size() != models.size()) {
    fmt::print(stderr, "edgeperf_energy_report: --tpot-limits: give one limit per model ({}) or one for all, got {}\n",
               models.size(), tpot_limits.size());
    return exit_usage;
  }
  const bool amortize = price_opt->count() > 0 && cost.device_price_usd > 0;
  cost_inputs electricity_only = cost;
  electricity_only.device_price_usd = 0;

  spec_cache cache;
  try {
    const device_spec& dev = cache.device(base.device);
    const std::string accel(dev.accel_rail.view()), module(dev.module_rail.view());
    std::string model_list;
    for (const auto& m : models) model_list += (model_list.empty() ? "" : " and ") + m;
    fmt::print("### {} on {}, {}, {}, {} in / {} out\n\n", model_list, dev.id.view(),
               base.runtime, base.quant, base.input_tokens, base.output_tokens);
    fmt::print("| model | mode | TTFT | TPOT | decode power ({}) | J/token ({}) | J/token (module, {}) "
               "| tokens/J ({}) | $/1M tokens, electricity at {}/kWh |{}\n",
               accel, accel, module, accel, usd(cost.electricity_usd_per_kwh),
               amortize ? fmt::format(" $/1M tokens incl. device {} over {:g} y at {:g} % |",
                                      usd(cost.device_price_usd), cost.service_life_years,
                                      100.0 * cost.utilization)
                        : "");
    fmt::print("|---|---|---:|---:|---:|---:|---:|---:|---:|{}\n", amortize ? "---:|" : "");
    int failures = 0;
    for (const std::string& m : models)
      for (const std::string& p : modes) {
        case_input in = base;
        in.model = m;
        in.mode = p;
        const case_outcome r = evaluate_case(cache, in);
        if (!r.estimate) {
          fmt::print("| {} | {} | {} |\n", m, p, r.error);
          ++failures;
          continue;
        }
        const request_estimate<double>& e = *r.estimate;
        const double tokens = static_cast<double>(in.batch) * in.samples * in.output_tokens;
        const cost_breakdown c0 = request_cost(e, r.desc.load, electricity_only).value();
        std::string with_device;
        if (amortize)
          with_device = fmt::format(" {} |", usd(request_cost(e, r.desc.load, cost).value().total_per_1m_usd));
        fmt::print("| {} | {} | {} | {} | {:.1f} W | {:.3f} J | {:.3f} J | {:.3f} | {} |{}\n", m,
                   r.desc.mode, ms(e.ttft_s), ms(e.tpot_s), e.decode_power_w, e.j_per_token,
                   e.module_energy_j / tokens, e.tokens_per_j, usd(c0.total_per_1m_usd), with_device);
      }
    fmt::print("\nTTFT = prefill + first token; TPOT = decode time / (O - 1); decode power = the "
               "average {} power over the decode phase (physical, not as a 1 Hz sampled log would "
               "read it); electricity = module energy ({}) x price.\n",
               accel, module);

    fmt::print("\n### Lowest J/token ({}) under a TPOT limit, every power mode of {}\n\n", accel,
               dev.id.view());
    fmt::print("| model | TPOT limit | best mode | TPOT | J/token | module J/token | modes meeting the limit |\n");
    fmt::print("|---|---:|---|---:|---:|---:|---|\n");
    std::vector<std::string> reasons;
    for (std::size_t i = 0; i < models.size(); ++i) {
      const double limit = tpot_limits.size() == 1 ? tpot_limits[0] : tpot_limits[i];
      case_input in = base;
      in.model = models[i];
      const io::resolved_case rc = resolve_or_throw(cache, in);
      auto choice = best_energy_mode(*rc.model, rc.quant, *rc.device, *rc.runtime, rc.load, limit);
      if (!choice) {
        fmt::print("| {} | {} | {} |\n", models[i], ms(limit), choice.error_value().message);
        ++failures;
        continue;
      }
      std::string meeting;
      for (const mode_outcome& o : choice->modes)
        if (o.meets_limit) meeting += (meeting.empty() ? "" : ", ") + o.name;
      if (choice->best >= 0) {
        const mode_outcome& b = choice->modes[static_cast<std::size_t>(choice->best)];
        fmt::print("| {} | {} | {} | {} | {:.3f} J | {:.3f} J | {} |\n", models[i], ms(limit), b.name,
                   ms(b.tpot_s), b.j_per_token, b.module_j_per_token, meeting);
      } else {
        fmt::print("| {} | {} | none | | | | none |\n", models[i], ms(limit));
      }
      reasons.push_back(models[i] + ": " + choice->reason);
    }
    fmt::print("\n");
    for (const auto& r : reasons) fmt::print("- {}\n", r);
    return failures == 0 ? exit_ok : exit_failed;
  } catch (const std::exception& e) {
    fmt::print(stderr, "edgeperf_energy_report: {}\n", e.what());
    return exit_failed;
  }
}
