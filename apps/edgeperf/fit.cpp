// `edgeperf fit`: the joint AGX Orin latency fit of the device and runtime
// parameters to measured runs (`--runs`, repeatable: fit/joint_fit.hpp,
// fit/corpus.hpp), or a device profile fitted to the calibration suite's
// measurements (`--measurements`, fit/device_fit.hpp); prints the parameters
// and residuals and writes the fitted profiles.

#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cli.hpp"
#include "commands.hpp"
#include "edgeperf/fit/device_fit.hpp"
#include "edgeperf/fit/validate.hpp"
#include "edgeperf/io/measurements_json.hpp"
#include "edgeperf/io/profile_json.hpp"
#include "edgeperf/io/runs_csv.hpp"
#include "joint.hpp"
#include "runs.hpp"

namespace edgeperf::cli {
namespace {

struct fit_args : runs_args {
  std::string measurements, base;  // fit --measurements (calibration JSON)
  std::vector<std::string> runs_files;  // every --runs
  std::string published;                // joint fit: published-speeds CSV
  bool joint{false};                    // joint fit even with one --runs
};

/// `fit --runs A --runs B ...` (or `--joint`): the joint fit of the AGX Orin
/// corpus parameters (fit::agx_orin_joint_options) to every file's rows and
/// the device's rows of --published; prints each parameter with its 1-σ, the
/// correlation matrix and the in-sample errors, and writes the profiles.
int run_fit_joint(const fit_args& a) {
  spec_cache cache;
  const device_spec& d0 = a.device.empty() ? cache.device("agx-orin-64gb") : cache.device(a.device);
  const auto rows = load_corpus(a.runs_files, a.published, std::string(d0.id.view()));
  const auto opt = fit::agx_orin_joint_options();
  const auto rts = fit::agx_orin_corpus_runtimes();
  const auto res = fit::fit_joint(rows, make_resolver(cache), d0, rts, opt);
  if (res.rows == 0) throw cli_error("fit: no row of the runs files is on " + std::string(d0.id.view()) +
                                     " with a runtime of the corpus (vllm-0.8, vllm-0.6, mlc, llama.cpp)");
  fmt::print("joint fit of {} + vllm-0.8, vllm-0.6, mlc, llama.cpp: {} rows, {} iterations, {}converged, "
             "cost {:.4g}\n",
             d0.id.view(), res.rows, res.lm.iterations, res.lm.converged ? "" : "NOT ", res.lm.cost);
  fmt::print("method: Levenberg-Marquardt on log residuals with log-normal priors (fit/joint_fit.hpp, "
             "fit::agx_orin_joint_options)\n\n");
  fmt::print("| # | parameter | start (prior centre) | prior σ (log) | fitted | 1-σ (log) | ± 1σ |\n"
             "|---:|---|---:|---:|---:|---:|---:|\n");
  for (std::size_t i = 0; i < res.names.size(); ++i) {
    double prior = 0;
    for (const auto& p : opt.params)
      if (p.name() == res.names[i]) prior = p.prior_sigma;
    fmt::print("| {} | {} | {:.4g} | {:g} | {:.4g} | {:.3f} | {:.2g} |\n", i + 1, res.names[i], res.initial[i], prior,
               res.fitted[i], res.rel_sigma[i], res.rel_sigma[i] * res.fitted[i]);
  }
  fmt::print("\ncorrelation matrix of log θ (rows/columns numbered as above):\n\n|   |");
  for (std::size_t j = 0; j < res.names.size(); ++j) fmt::print(" {} |", j + 1);
  fmt::print("\n|---|");
  for (std::size_t j = 0; j < res.names.size(); ++j) fmt::print("---:|");
  fmt::print("\n");
  for (Eigen::Index i = 0; i < res.correlation.rows(); ++i) {
    fmt::print("| {} |", i + 1);
    for (Eigen::Index j = 0; j < res.correlation.cols(); ++j) fmt::print(" {:.2f} |", res.correlation(i, j));
    fmt::print("\n");
  }
  fmt::print("\npairs with |ρ| > 0.9:");
  int strong = 0;
  for (Eigen::Index i = 0; i < res.correlation.rows(); ++i)
    for (Eigen::Index j = i + 1; j < res.correlation.cols(); ++j)
      if (std::abs(res.correlation(i, j)) > 0.9)
        fmt::print("{} {} ~ {} (ρ = {:.2f})", strong++ ? ";" : "", res.names[static_cast<std::size_t>(i)],
                   res.names[static_cast<std::size_t>(j)], res.correlation(i, j));
  fmt::print("{}\n", strong ? "" : " none");
  fmt::print("\nin-sample (excluded: ");
  for (const auto& x : opt.exclude) fmt::print("{} ", x);
  fmt::print(")\n\n| model | runtime | metric | n | MAPE | worst | worst row |\n|---|---|---|---:|---:|---:|---|\n");
  print_group_stats(res.stats);
  if (!a.device_out.empty()) {
    io::save_device_profile(res.device, a.device_out);
    fmt::print("\nwrote the fitted device profile to {}\n", a.device_out);
  }
  if (!a.runtime_out.empty()) {
    const std::string want = a.runtime.empty() ? "vllm-0.8" : std::string(cache.runtime(a.runtime).id.view());
    const runtime_spec* out = nullptr;
    for (const auto& r : res.runtimes)
      if (r.id.view() == want) out = &r;
    if (!out) throw usage_error("--runtime-out: the joint fit has no runtime '" + want +
                                "' (vllm-0.8, vllm-0.6, mlc, llama.cpp)");
    io::save_runtime_profile(*out, a.runtime_out);
    fmt::print("wrote the fitted runtime profile ({}) to {}\n", want, a.runtime_out);
  }
  return exit_ok;
}

/// Prints a device fit's parameters, residuals, measured figures and notes as Markdown tables.
void print_device_fit(const fit::device_fit_result& f, const auto& m, const std::string& source,
                      const std::string& base) {
  fmt::print("device fit of {} (run {}) from {}, mode {}\n", base.empty() ? "measured properties" : base, m.run.id,
             source, f.profile.modes[static_cast<std::size_t>(f.mode_index)].name.view());
  fmt::print("method: non-negative LS (memory, launch), log-space Levenberg-Marquardt (GEMM, tiles, dequant) "
             "and a 2x2 solve (energy) through the library's cost model (fit/device_fit.hpp)\n\n");
  fmt::print("| parameter | base | fitted | σ | from |\n|---|---:|---:|---:|---|\n");
  for (const auto& p : f.parameters)  // kernel figures (tile efficiencies, ...) have no base value
    fmt::print("| {} | {} | {:.4g} | {:.2g} | {} |\n", p.name, p.profile_field ? fmt::format("{:.4g}", p.base) : "-",
               p.value, p.sigma, p.from);
  fmt::print("\n| benchmark | n | R² (log t) | mean err | worst err | worst case |\n|---|---:|---:|---:|---:|---|\n");
  for (const auto& r : f.residuals)
    fmt::print("| {}{} | {} | {} | {:.1f} % | {:+.1f} % | {} |\n", r.name, r.fitted ? "" : " (check)", r.n,
               std::isnan(r.r2) ? std::string("—") : fmt::format("{:.4f}", r.r2), 100 * r.mape,
               100 * r.worst_rel_error, r.worst_case);
  fmt::print("\n| measured | value | unit |\n|---|---:|---|\n");
  for (const auto& x : f.measured) fmt::print("| {} | {:.4g} | {} |\n", x.name, x.value, x.unit);
  if (!f.notes.empty()) {
    fmt::print("\nnotes:\n");
    for (const auto& n : f.notes) fmt::print("- {}\n", n);
  }
}

/// `fit --measurements`: loads the calibration JSON, fits it starting from
/// `--base` (a catalog id or profile JSON; none: a profile built from the
/// measured device properties), prints the report and writes the profile.
int run_fit_measurements(const fit_args& a) {
  const auto m = io::load_measurements(a.measurements);
  fit::device_fit_result f{};
  if (a.base.empty()) {
    f = fit::fit_device(m);
  } else {
    spec_cache cache;
    f = fit::fit_device(m, cache.device(a.base));
  }
  print_device_fit(f, m, a.measurements, a.base);
  if (!a.device_out.empty()) {
    io::save_device_profile(f.profile, a.device_out);
    fmt::print("\nwrote the fitted device profile to {}\n", a.device_out);
  }
  return exit_ok;
}

int run_fit(fit_args& a) {
  if (a.runs_files.size() == 1) a.runs = a.runs_files.front();
  if (!a.measurements.empty()) {
    if (!a.runs_files.empty()) throw usage_error("fit: give either --runs or --measurements, not both");
    return run_fit_measurements(a);
  }
  // One file too: since the joint fit, the device holds silicon efficiencies
  // and the runtime what its kernels reach, so the old one-model parameter set
  // (device tensor/mem efficiency, fit/latency_fit.hpp) no longer applies to
  // the catalog profiles; every runs fit is the joint fit.
  if (!a.runs_files.empty()) return run_fit_joint(a);
  if (a.joint) throw usage_error("fit --joint: give --runs FILE.csv (repeatable)");
  throw usage_error("fit: give --runs FILE.csv or --measurements FILE.json");
}

}  // namespace

subcommand add_fit(CLI::App& app) {
  auto a = std::make_shared<fit_args>();
  CLI::App* sub = app.add_subcommand("fit", "fit the device and runtime latency parameters");
  sub->add_option("--runs", a->runs_files,
                  "runs CSV to fit the latency parameters to (repeatable): the joint AGX Orin fit "
                  "over every file's models (fit/joint_fit.hpp; device agx-orin-64gb unless --device; "
                  "runtimes vllm-0.8, vllm-0.6, mlc, llama.cpp; --runtime-out writes --runtime's profile, "
                  "default vllm-0.8)");
  sub->add_flag("--joint", a->joint, "the joint fit (what every --runs fit is; kept for scripts)");
  sub->add_option("--published", a->published,
                  "joint fit: also fit the device's rows of this published-speeds CSV "
                  "(data/published-speeds.csv)");
  sub->add_option("--measurements", a->measurements,
                  "calibration measurements JSON (edgeperf_calibrate) to fit a device profile to");
  sub->add_option("--base", a->base,
                  "with --measurements: catalog id or profile JSON to start from "
                  "(default: a profile built from the measured device properties)");
  sub->add_option("--device", a->device, "with --runs: device id or profile JSON to start from");
  sub->add_option("--runtime", a->runtime, "with --runs: runtime id or profile JSON to start from");
  sub->add_option("--exclude", a->exclude, "leave out metric@input_tokens (repeatable)");
  sub->add_option("--metric", a->metrics, "fit only these metrics");
  sub->add_option("-o,--device-out", a->device_out, "write the fitted device profile here");
  sub->add_option("--runtime-out", a->runtime_out, "write the fitted runtime profile here");
  sub->add_flag("--documented-start", a->documented_start,
                "start (and centre the priors) at the documented AGX Orin + vLLM values "
                "(fit::agx_orin_vllm_start) instead of the profiles' current values: "
                "reproduces the catalog fit");
  return {sub, [a] { return run_fit(*a); }};
}

}  // namespace edgeperf::cli
