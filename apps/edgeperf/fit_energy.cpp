// `edgeperf fit-energy`: the energy coefficients of one power mode (idle
// power, pJ/FLOP, pJ/byte, host-work power, sensor ramp) fitted to measured
// power and energy rows (fit/validate.hpp over fit/energy_fit.hpp); the
// latency profile must already be fitted (energy = power × the modelled times).

#include <limits>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli.hpp"
#include "commands.hpp"
#include "edgeperf/fit/validate.hpp"
#include "edgeperf/io/profile_json.hpp"
#include "edgeperf/io/runs_csv.hpp"
#include "runs.hpp"

namespace edgeperf::cli {
namespace {

int run_fit_energy(const runs_args& a) {
  if (a.device.empty() || a.runtime.empty()) throw usage_error("fit-energy: --device and --runtime are required");
  if (a.score_min_output < 0) throw usage_error("--score-min-output: expected >= 0");
  if (!(a.min_window_s >= 0)) throw usage_error("--min-window: expected seconds >= 0");
  const auto rows = io::load_runs(a.runs);
  spec_cache cache;
  const auto resolver = make_resolver(cache);
  const device_spec& d = cache.device(a.device);
  const runtime_spec& r = cache.runtime(a.runtime);
  for (const auto& m : a.metrics)
    if (fit::classify_energy_metric(m) == fit::energy_metric::none)
      throw usage_error("--metric: '" + m + "' is not an energy metric (" + fit::energy_metric_names + ")");
  fit::energy_run_options o{};
  o.metrics = a.metrics;
  o.scoring = a.scoring();
  o.documented_start = a.documented_start;
  const auto rep = fit::fit_energy_runs(rows, resolver, d, r, o);
  if (!rep) {
    // An unknown mode names its row (file:line); the other errors get the file.
    const error& e = rep.error_value();
    throw cli_error(e.code == errc::unknown_id ? e.message : a.runs + ": " + e.message);
  }
  const fit::energy_fit_result& f = rep->fit;
  const auto& pm = d.modes[static_cast<std::size_t>(rep->mode)];
  fmt::print("energy fit of {} ({}) / {} to {} ({} iterations, {}converged, cost {:.4g})\n", d.id.view(),
             pm.name.view(), r.id.view(), a.runs, f.lm.iterations, f.lm.converged ? "" : "NOT ", f.lm.cost);
  fmt::print("method: Levenberg-Marquardt on weighted log residuals with log-normal priors, "
             "predictions through the sampled-sensor model (fit/energy_fit.hpp); start: {}\n\n",
             a.documented_start ? "documented AGX Orin values (fit::agx_orin_energy_start)"
                                : "the profile's current values");
  fmt::print("| parameter | initial | fitted | ± 1σ |\n|---|---:|---:|---:|\n");
  const auto as_vector = [](const fit::energy_params& p) {
    return std::vector<double>{p.static_power_w, p.pj_per_flop_tensor, p.pj_per_byte_dram, p.host_active_power_w,
                               p.sensor_ramp_s};
  };
  const auto init = as_vector(f.initial), fitv = as_vector(f.fitted);
  for (std::size_t i = 0; i < f.names.size() && i < fitv.size(); ++i) {
    const double sigma = i < f.rel_sigma.size() ? f.rel_sigma[i] * fitv[i] : std::nan("");
    fmt::print("| {} | {:.4g} | {:.4g} | {:.2g} |\n", f.names[i], init[i], fitv[i], sigma);
  }
  fmt::print("\nresiduals on every fitted row (windows >= {:g} s)\n\n", a.min_window_s);
  fmt::print("| metric | n | MAPE before | MAPE after | worst after | worst case |\n"
             "|---|---:|---:|---:|---:|---|\n");
  print_before_after(rep->metrics, rep->before, rep->after, rows);
  if (a.score_min_output > 0) {
    fmt::print("\nscored subset: decode_avg_power_w and total_energy_gpu_soc_j on O >= {}, the "
               "other metrics on all their rows\n\n| metric | n | MAPE | worst | worst case |\n"
               "|---|---:|---:|---:|---|\n",
               a.score_min_output);
    for (const auto& name : rep->metrics)
      if (const fit::metric_stats* s = find_stats(rep->scored, name))
        fmt::print("| {} | {} | {:.1f} % | {:.1f} % | {} |\n", s->metric, s->n, 100.0 * s->mape, 100.0 * s->worst,
                   describe_row(rows, s->worst_where));
  }
  print_excluded(a.exclude);
  if (!a.device_out.empty()) {
    io::save_device_profile(f.device, a.device_out);
    fmt::print("\nwrote the fitted device profile to {}\n", a.device_out);
  }
  return exit_ok;
}

}  // namespace

subcommand add_fit_energy(CLI::App& app) {
  auto a = std::make_shared<runs_args>();
  CLI::App* sub = app.add_subcommand("fit-energy",
                                     "fit the energy coefficients of one power mode (idle power, pJ/FLOP, pJ/byte, "
                                     "host-work power, sensor ramp) to measured power and energy rows");
  sub->add_option("--runs", a->runs, "runs CSV to fit to")->required();
  sub->add_option("--device", a->device, "device id or profile JSON (latency already fitted)")->required();
  sub->add_option("--runtime", a->runtime, "runtime id or profile JSON")->required();
  sub->add_option("--exclude", a->exclude, "leave out metric@input_tokens (repeatable)");
  sub->add_option("--metric", a->metrics, "fit only these energy metrics (default: all in the rows)");
  sub->add_option("--min-window", a->min_window_s, "leave out rows whose measured window is shorter than this (s)")
      ->capture_default_str();
  sub->add_option("--score-min-output", a->score_min_output,
                  "also report decode_avg_power_w and total_energy_gpu_soc_j on rows with "
                  "output_tokens >= N (the issue's targets use 256)")
      ->transform(decimal_int(0, std::numeric_limits<int>::max()));
  sub->add_flag("--documented-start", a->documented_start,
                "start at the documented AGX Orin values (fit::agx_orin_energy_start) "
                "instead of the profile's: reproduces the catalog fit");
  sub->add_option("-o,--device-out", a->device_out, "write the fitted device profile here");
  return {sub, [a] { return run_fit_energy(*a); }};
}

}  // namespace edgeperf::cli
