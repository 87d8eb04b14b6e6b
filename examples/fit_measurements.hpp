#pragma once
// `edgeperf fit --measurements FILE -o profile.json [--base DEVICE]`: fits a
// device profile to the calibration suite's measurements JSON
// (fit/device_fit.hpp) and prints the residual report (docs/calibration.md,
// "Fitting a profile"). Used by examples/edgeperf.cpp.

#include <cmath>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/fit/device_fit.hpp"
#include "edgeperf/io/measurements_json.hpp"
#include "edgeperf/io/profile_json.hpp"

namespace edgeperf::cli {

/// Prints the fit's parameters, residuals, measured figures and notes as Markdown tables.
inline void print_device_fit(const fit::device_fit_result& f, const io::measurements& m, const std::string& source,
                             const std::string& base) {
  fmt::print("device fit of {} (run {}) from {}, mode {}\n", base.empty() ? "measured properties" : base,
             m.run.id, source, f.profile.modes[static_cast<std::size_t>(f.mode_index)].name.view());
  fmt::print("method: non-negative LS (memory, launch) and log-space Levenberg-Marquardt (GEMM, dequant) "
             "through the library's cost model (fit/device_fit.hpp)\n\n");
  fmt::print("| parameter | base | fitted | from |\n|---|---:|---:|---|\n");
  for (const auto& p : f.parameters) fmt::print("| {} | {:.4g} | {:.4g} | {} |\n", p.name, p.base, p.value, p.from);
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

/// Loads `path`, fits it starting from `base_id` (a catalog id, a profile JSON
/// path, or "" for a profile built from the measured device properties),
/// prints the report and writes the profile to `out_path` (when not empty).
/// Throws io_error / std::runtime_error on bad input; returns 0.
inline int run_fit_measurements(const std::string& path, const std::string& base_id, const std::string& out_path) {
  const io::measurements m = io::load_measurements(path);
  fit::device_fit_result f{};
  if (base_id.empty()) {
    f = fit::fit_device(m);
  } else if (const device_spec* d = find_device_or_null(base_id)) {
    f = fit::fit_device(m, *d);
  } else if (std::filesystem::exists(base_id)) {
    f = fit::fit_device(m, io::load_device_profile(base_id));
  } else {
    (void)find_device(base_id).value();  // throws with the nearest catalog ids
  }
  print_device_fit(f, m, path, base_id);
  if (!out_path.empty()) {
    io::save_device_profile(f.profile, out_path);
    fmt::print("\nwrote the fitted device profile to {}\n", out_path);
  }
  return 0;
}

}  // namespace edgeperf::cli
